package engine

import (
	"fmt"
	"strings"
)

// CheckInvariants verifies the invariants listed in the package doc and
// returns the first one broken. It walks the whole lab; tests and fuzz
// targets call it after every step, verbs never do.
func (e *Engine) CheckInvariants() error {
	w := invariantWalk{seen: map[*device]*stack{}}
	inQueue, err := e.checkQueues()
	if err != nil {
		return err
	}
	if err := e.checkCDOs(&w, inQueue); err != nil {
		return err
	}
	if err := e.checkVolumes(&w); err != nil {
		return err
	}
	return e.checkDeviceLists(w.seen)
}

// invariantWalk remembers the stack each device was found in, so that a
// device in two stacks, or in a driver's list and no stack, is caught.
type invariantWalk struct {
	seen map[*device]*stack
}

// checkStack walks one stack bottom up: links both ways, one device per
// driver (FltMgr: one per frame, frames rising), and the counts it keeps.
func (w *invariantWalk) checkStack(s *stack, what string) error {
	if s == nil {
		return fmt.Errorf("%s has no stack", what)
	}
	if s.bottom.below != nil {
		return fmt.Errorf("%s: bottom %s is attached to something", what, s.bottom.label())
	}
	if s.top.above != nil {
		return fmt.Errorf("%s: top %s has a device above it", what, s.top.label())
	}
	n, lastFrame := 0, -1
	drivers := map[*driver]bool{}
	frames := map[*frame]bool{}
	for d := s.bottom; d != nil; d = d.above {
		n++
		if err := w.checkLinks(s, d, what); err != nil {
			return err
		}
		if d.drv.fltmgr {
			// FltMgr has one device per frame here, frames rising
			// upward, frame 0's indexed as its member.
			if d.frame == nil || frames[d.frame] || d.frame.id <= lastFrame {
				return fmt.Errorf("%s: FltMgr frame out of order or repeated at %s", what, d.label())
			}
			frames[d.frame], lastFrame = true, d.frame.id
			if s.frameDev(d.drv, d.frame) != d {
				return fmt.Errorf("%s: frame index wrong for %s", what, d.label())
			}
			if d.frame.id > 0 {
				continue
			}
		} else if d.frame != nil || len(d.inst) > 0 {
			return fmt.Errorf("%s: %s has a frame but is not FltMgr's", what, d.label())
		}
		if drivers[d.drv] {
			return fmt.Errorf("%s: %s appears twice", what, d.drv)
		}
		drivers[d.drv] = true
		if s.member(d.drv) != d {
			return fmt.Errorf("%s: member index wrong for %s", what, d.drv)
		}
	}
	if n != s.n || s.memberCount()+len(s.frames) != n {
		return fmt.Errorf("%s: counts %d devices, %d recorded, %d indexed", what, n, s.n, s.memberCount()+len(s.frames))
	}
	return nil
}

// checkLinks checks one device of stack s: it points at s, is in no other
// stack, its AttachedDevice points back, only the bottom is not a filter,
// and the device with nothing above is the stack's top.
func (w *invariantWalk) checkLinks(s *stack, d *device, what string) error {
	if d.st != s {
		return fmt.Errorf("%s: %s points at another stack", what, d.label())
	}
	if prev, dup := w.seen[d]; dup {
		return fmt.Errorf("%s: %s is also in stack %s", what, d.label(), prev.key())
	}
	w.seen[d] = s
	if d.above != nil && d.above.below != d {
		return fmt.Errorf("%s: %s's AttachedDevice does not point back", what, d.label())
	}
	if d != s.bottom && d.role != RoleFilter {
		return fmt.Errorf("%s: %s %s above the bottom", what, d.role, d.label())
	}
	if d.above == nil && s.top != d {
		return fmt.Errorf("%s: top is not %s", what, d.label())
	}
	return nil
}

// checkQueues checks that each queue holds CDOs of its type with RAW last,
// and returns how many queues each CDO is in.
func (e *Engine) checkQueues() (map[*device]int, error) {
	inQueue := map[*device]int{}
	for _, q := range QueueOrder {
		list := e.queues[q]
		for i, c := range list {
			inQueue[c]++
			if c.typ != q {
				return nil, fmt.Errorf("%s (%s) is in the %s queue", c.name, c.typ, q)
			}
			if c.drv.kind == kindRaw && i != len(list)-1 {
				return nil, fmt.Errorf("RAW's %s is not last in the %s queue", c.name, q)
			}
		}
		if q != Network && (len(list) == 0 || list[len(list)-1].drv.kind != kindRaw) {
			return nil, fmt.Errorf("the %s queue does not end with RAW", q)
		}
	}
	return inQueue, nil
}

// checkCDOs checks that the registered CDOs are exactly the queued ones,
// each in one queue, and walks the stack of every CDO, registered or not.
func (e *Engine) checkCDOs(w *invariantWalk, inQueue map[*device]int) error {
	for name, c := range e.cdos {
		if !c.registered {
			return fmt.Errorf("CDO %s is listed as registered but is not marked so", name)
		}
		if inQueue[c] != 1 {
			return fmt.Errorf("CDO %s is in %d queues", name, inQueue[c])
		}
		if err := w.checkStack(c.st, c.name); err != nil {
			return err
		}
	}
	if len(inQueue) != len(e.cdos) {
		return fmt.Errorf("%d CDOs queued, %d registered", len(inQueue), len(e.cdos))
	}
	// A CDO its driver still has but unregistered (fs_rec's recognizers
	// after a load) keeps its stack.
	for _, d := range e.drivers {
		for _, c := range d.cdos {
			if c.registered {
				if e.cdos[strings.ToLower(c.name)] != c {
					return fmt.Errorf("CDO %s is marked registered but is not listed", c.name)
				}
				continue
			}
			if inQueue[c] != 0 {
				return fmt.Errorf("unregistered CDO %s is in a queue", c.name)
			}
			if err := w.checkStack(c.st, c.name); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkVolumes checks that each mounted volume's VPB points at its own VDO,
// made by a loaded driver, and walks its stack.
func (e *Engine) checkVolumes(w *invariantWalk) error {
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
		if err := w.checkStack(v.vdo.st, letter); err != nil {
			return err
		}
	}
	return nil
}

// checkDeviceLists checks each driver's device list against the stacks
// walked: every device listed is in a stack, and every device in a stack
// is listed.
func (e *Engine) checkDeviceLists(seen map[*device]*stack) error {
	count := 0
	for _, d := range e.drivers {
		for x := d.devs; x != nil; x = x.nextDev {
			count++
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
	if count != len(seen) {
		return fmt.Errorf("%d devices in stacks, %d in driver lists", len(seen), count)
	}
	return e.checkFrames()
}

// checkFrames verifies Filter Manager's invariants (rules 26 and 27):
// frame ranges are disjoint and ordered bottom-up, frame 0 starts at 0;
// every minifilter is in a frame whose range holds its altitude; every
// instance sits in its minifilter's frame, inside that frame's range, on
// a device of that frame, sorted highest first; one instance per altitude
// and one per name on each volume; instances only on volumes, and none on
// a volume whose setup is pending unless made by hand.
func (e *Engine) checkFrames() error {
	if e.flt == nil {
		return nil
	}
	fs := e.flt.frames
	if len(fs) == 0 || !fs[0].low.IsZero() && fs[0].low.String() != "0" {
		return fmt.Errorf("frame 0 does not start at 0")
	}
	for i, f := range fs {
		if f.id != i {
			return fmt.Errorf("frame %d is numbered %d", i, f.id)
		}
		if f.high.Cmp(f.low) < 0 {
			return fmt.Errorf("frame %d: range %s to %s is reversed", i, f.low, f.high)
		}
		if i > 0 && fs[i-1].high.Cmp(f.low) >= 0 {
			return fmt.Errorf("frames %d (%s to %s) and %d (%s to %s) overlap or are out of order", i-1, fs[i-1].low, fs[i-1].high, i, f.low, f.high)
		}
	}
	for _, m := range e.flt.minis {
		if m.frame == nil || fs[m.frame.id] != m.frame || !m.frame.holds(m.alt) {
			return fmt.Errorf("minifilter %s at %s is outside its frame's range", m.key, m.alt)
		}
	}
	stacks := []*stack{}
	for _, c := range e.sortedCDOs() {
		stacks = append(stacks, c.st)
	}
	for _, v := range sortedVolumes(e.volumes) {
		if v.vdo != nil {
			stacks = append(stacks, v.vdo.st)
		} else if v.fltPending {
			return fmt.Errorf("%s: setup pending on a volume that is not mounted", v.letter)
		}
	}
	for _, s := range stacks {
		alts, names := map[string]string{}, map[string]string{}
		auto := false
		for d := s.bottom; d != nil; d = d.above {
			for i, in := range d.inst {
				if s.bottom.role != RoleVDO {
					return fmt.Errorf("%s: instance %s on a CDO stack", s.key(), in.name)
				}
				if e.flt.minis[in.mf.key] != in.mf {
					return fmt.Errorf("%s: instance %s of an unloaded minifilter", s.key(), in.name)
				}
				if in.mf.frame != d.frame || !d.frame.holds(in.alt) {
					return fmt.Errorf("%s: instance %s at %s is not in %s's frame %d and its range", s.key(), in.name, in.alt, in.mf.key, in.mf.frame.id)
				}
				if i > 0 && d.inst[i-1].alt.Cmp(in.alt) <= 0 {
					return fmt.Errorf("%s: instances of frame %d are not highest first", s.key(), d.frame.id)
				}
				k := in.alt.String()
				if other, dup := alts[k]; dup {
					return fmt.Errorf("%s: instances %s and %s share altitude %s", s.key(), other, in.name, k)
				}
				alts[k] = in.name
				n := strings.ToLower(in.name)
				if _, dup := names[n]; dup {
					return fmt.Errorf("%s: two instances named %s", s.key(), in.name)
				}
				names[n] = in.name
				auto = auto || !in.manual
			}
		}
		if s.bottom.role == RoleVDO && s.bottom.vol.fltPending && auto {
			return fmt.Errorf("%s: setup pending, yet it has automatic instances", s.key())
		}
	}
	return nil
}

// Dump writes out the whole lab, counters included, one fact a line: the
// profile, the creation counter and storage numbers, the queues, the
// notification list (stale entries marked), every driver with its options
// and devices (newest first), every stack bottom up, and every volume. Two
// labs with the same Dump behave the same from then on. Tests compare Dumps
// to check that a refused call changed nothing and that a replay rebuilds a
// lab; it costs time in proportion to the whole lab.
func (e *Engine) Dump() string {
	var b strings.Builder
	fmt.Fprintf(&b, "profile %s block-legacy %t seq %d events %d storage %v unload-noted %t\n", e.profile, e.blockLegacy, e.seq, e.t.seq, e.storageCount, e.unloadNoted)
	for _, q := range QueueOrder {
		fmt.Fprintf(&b, "queue %s:", q)
		for _, c := range e.queues[q] {
			fmt.Fprintf(&b, " %s#%d", c.name, c.id)
		}
		b.WriteByte('\n')
	}
	b.WriteString("notify:")
	for _, d := range e.notify {
		fmt.Fprintf(&b, " %s", d.key)
		if d.unloaded {
			b.WriteString("(unloaded)")
		}
	}
	b.WriteByte('\n')
	dumpStack := func(s *stack) {
		for d := s.bottom; d != nil; d = d.above {
			fmt.Fprintf(&b, " %s#%d:%s:%s", d.drv.key, d.id, d.role, d.how)
			dumpInst(&b, d)
		}
		fmt.Fprintf(&b, " (n %d)\n", s.n)
	}
	for _, d := range sortedDrivers(e.drivers) {
		fmt.Fprintf(&b, "driver %s %q kind %d notify %t enumerate %t raw %t ex %t mount-aware %t fail %q low %t formats %v devs:",
			d.key, d.short, d.kind, d.notifyRoutine, d.enumerate, d.attachRaw, d.ex, d.mountAware, d.failOps.words(), d.lowPrio, d.formats)
		for x := d.devs; x != nil; x = x.nextDev {
			fmt.Fprintf(&b, " #%d", x.id)
		}
		b.WriteByte('\n')
		for _, c := range d.cdos {
			fmt.Fprintf(&b, "  cdo %s#%d %s low %t registered %t", c.name, c.id, c.typ, c.lowPr, c.registered)
			if d.recState != nil {
				fmt.Fprintf(&b, " rec %s state %d", d.recLoads[c].key, d.recState[c])
			}
			b.WriteString(" stack:")
			dumpStack(c.st)
		}
	}
	e.dumpFlt(&b)
	for _, v := range sortedVolumes(e.volumes) {
		fmt.Fprintf(&b, "volume %s %s %s %q", v.letter, v.media, v.storage, v.format)
		if v.vdo == nil {
			b.WriteString(" not mounted\n")
			continue
		}
		b.WriteString(" stack:")
		dumpStack(v.vdo.st)
	}
	return b.String()
}
