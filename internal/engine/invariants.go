package engine

import "fmt"

// CheckInvariants verifies the invariants listed in the package doc and
// returns the first one broken. It walks the whole lab; tests and fuzz
// targets call it after every step, verbs never do.
func (e *Engine) CheckInvariants() error {
	seen := map[*device]*stack{}
	checkStack := func(s *stack, what string) error {
		if s == nil {
			return fmt.Errorf("%s has no stack", what)
		}
		if s.bottom.below != nil {
			return fmt.Errorf("%s: bottom %s is attached to something", what, s.bottom.label())
		}
		if s.top.above != nil {
			return fmt.Errorf("%s: top %s has a device above it", what, s.top.label())
		}
		n := 0
		drivers := map[*driver]bool{}
		for d := s.bottom; d != nil; d = d.above {
			n++
			if d.st != s {
				return fmt.Errorf("%s: %s points at another stack", what, d.label())
			}
			if prev, dup := seen[d]; dup {
				return fmt.Errorf("%s: %s is also in stack %s", what, d.label(), prev.key())
			}
			seen[d] = s
			if d.above != nil && d.above.below != d {
				return fmt.Errorf("%s: %s's AttachedDevice does not point back", what, d.label())
			}
			if d != s.bottom && d.role != RoleFilter {
				return fmt.Errorf("%s: %s %s above the bottom", what, d.role, d.label())
			}
			if drivers[d.drv] {
				return fmt.Errorf("%s: %s appears twice", what, d.drv)
			}
			drivers[d.drv] = true
			if s.members[d.drv] != d {
				return fmt.Errorf("%s: member index wrong for %s", what, d.drv)
			}
			if d.above == nil && s.top != d {
				return fmt.Errorf("%s: top is not %s", what, d.label())
			}
		}
		if n != s.n || len(s.members) != n {
			return fmt.Errorf("%s: counts %d devices, %d recorded, %d indexed", what, n, s.n, len(s.members))
		}
		return nil
	}

	inQueue := map[*device]int{}
	for _, q := range QueueOrder {
		list := e.queues[q]
		for i, c := range list {
			inQueue[c]++
			if c.typ != q {
				return fmt.Errorf("%s (%s) is in the %s queue", c.name, c.typ, q)
			}
			if c.drv.kind == kindRaw && i != len(list)-1 {
				return fmt.Errorf("RAW's %s is not last in the %s queue", c.name, q)
			}
		}
		if q != Network && (len(list) == 0 || list[len(list)-1].drv.kind != kindRaw) {
			return fmt.Errorf("the %s queue does not end with RAW", q)
		}
	}
	for name, c := range e.cdos {
		if inQueue[c] != 1 {
			return fmt.Errorf("CDO %s is in %d queues", name, inQueue[c])
		}
		if err := checkStack(c.st, c.name); err != nil {
			return err
		}
	}
	if len(inQueue) != len(e.cdos) {
		return fmt.Errorf("%d CDOs queued, %d registered", len(inQueue), len(e.cdos))
	}
	for letter, v := range e.volumes {
		if v.vdo == nil {
			continue
		}
		if v.vdo.role != RoleVDO || v.vdo.vol != v {
			return fmt.Errorf("%s: VPB does not point at its own VDO", letter)
		}
		if d := e.drivers[v.vdo.drv.key]; d != v.vdo.drv {
			return fmt.Errorf("%s: mounted by %s, which is not loaded", letter, v.vdo.drv)
		}
		if err := checkStack(v.vdo.st, letter); err != nil {
			return err
		}
	}
	for _, d := range e.drivers {
		for x := d.devs; x != nil; x = x.nextDev {
			if x.drv != d {
				return fmt.Errorf("%s lists a device of %s", d, x.drv)
			}
			if seen[x] == nil {
				return fmt.Errorf("%s's device %s is in no stack", d, x.label())
			}
			if x.nextDev != nil && x.nextDev.prevDev != x {
				return fmt.Errorf("%s's device list is broken at %s", d, x.label())
			}
		}
	}
	count := 0
	for _, d := range e.drivers {
		for x := d.devs; x != nil; x = x.nextDev {
			count++
		}
	}
	if count != len(seen) {
		return fmt.Errorf("%d devices in stacks, %d in driver lists", len(seen), count)
	}
	return nil
}
