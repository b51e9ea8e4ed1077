package engine

import (
	"errors"
	"iter"
	"slices"
)

// Why is the story of one device in a stack: the chain of events that put it
// there, root first (the verb's first event, then each event inside the
// last, ending with the attach, the claim that created a VDO or the
// registration of a CDO), the device it landed on, the devices attached
// above it since, and the MODEL rules that explain it. A CDO of RAW, built
// in at boot, has no chain.
//
// The devices above are named by the lowest few and the highest, with a
// count, so that explaining a stack costs time and memory in proportion to
// its depth, not its square.
type Why struct {
	Device   *DeviceRef
	How      Origin
	Chain    []Event
	LandedOn *DeviceRef // filters: the top of the stack when it attached
	// Above is what attached above it since, lowest first: all of it when
	// that is at most AboveShown+1 devices; else the AboveShown lowest,
	// and AboveTop is the highest.
	Above    []*DeviceRef
	AboveTop *DeviceRef
	AboveN   int // how many devices are above it
	Rules    []int
}

// AboveShown is how many of the devices above a device Why names, from
// the lowest, when there are more than AboveShown+1.
const AboveShown = 3

// Absence says why a filter has no device in a stack: the reason, the MODEL
// rules it rests on, and, where it left the stack, the event that removed
// it (Left).
type Absence struct {
	Filter string // the filter's name as loaded
	Stack  string
	Reason Reason
	Rules  []int
	// Left is how the filter's device left the stack, for ReasonLeft and
	// ReasonRemount: the chain from the verb's first event to the removal.
	Left []Event
	// Via names the file system's CDO when the reason is about it: the
	// filter is missing from a volume because it is not on that CDO (so it
	// never saw the mount request, rule 18), or because it attached there
	// only after the volume mounted.
	Via string
}

// Reason is why a filter is not in a stack.
type Reason uint8

const (
	ReasonNotLoaded      Reason = iota + 1 // the filter is not loaded
	ReasonWaitsCommand                     // no --notify: it attaches only on command (rules 18, 22)
	ReasonCommandOnCDO                     // a command filter never attaches to a CDO (rule 22)
	ReasonTape                             // sfilter never filters tape file systems (rule 12)
	ReasonRecognizer                       // sfilter skips recognizers (rule 12)
	ReasonRawNotReported                   // RAW is never reported; only --attach-raw reaches it (rule 14)
	ReasonW2KNoReplay                      // registered after the file system on w2k, without Ex (rule 8)
	ReasonLeft                             // it was on the stack and left: Left says how (rules 23, 24)
	ReasonNoEnumerate                      // loaded after the mount, with --no-enumerate (rule 14)
	ReasonW2KNoEnumerate                   // loaded after the mount, on w2k: no IoEnumerateDeviceObjectList (rule 8)
	ReasonRemount                          // it left at a dismount; a command filter does not come back (rule 20)
	ReasonNotMounted                       // the volume has no stack
	ReasonUnknown                          // none of the above: a gap in fssim's explanations
)

// ExplainStack tells, for each device of a stack, top first, why it is
// there. The stack is named as Stack names it. The answers come one at a
// time, as the caller ranges over them, so a deep stack is never held
// whole; the lab must not change while they do.
func (e *Engine) ExplainStack(name string) (iter.Seq[Why], error) {
	s, err := e.namedStack(name)
	if err != nil {
		return nil, err
	}
	return func(yield func(Why) bool) {
		above := 0
		for d := s.top; d != nil; d = d.below {
			if !yield(e.why(d, above)) {
				return
			}
			above++
		}
	}, nil
}

// ExplainFilter tells why a filter is in a stack (a Why) or why it is not
// (an Absence); exactly one of the two is set.
func (e *Engine) ExplainFilter(filter, stackName string) (*Why, *Absence, error) {
	key, err := checkName("filter", filter)
	if err != nil {
		return nil, nil, err
	}
	s, err := e.namedStack(stackName)
	if err != nil {
		if errors.Is(err, ErrNotMounted) {
			letter, _ := ParseVolume(stackName)
			return nil, &Absence{Filter: key, Stack: letter, Reason: ReasonNotMounted, Rules: []int{24}}, nil
		}
		return nil, nil, err
	}
	d := e.drivers[key]
	if d == nil || !d.isFilter() {
		if d != nil {
			return nil, nil, fail(ErrFilterNotLoaded, "%q is a file system, not a filter", key)
		}
		return nil, &Absence{Filter: key, Stack: s.key(), Reason: ReasonNotLoaded}, nil
	}
	if dev := s.member(d); dev != nil {
		above := 0
		for x := dev.above; x != nil; x = x.above {
			above++
		}
		w := e.why(dev, above)
		return &w, nil, nil
	}
	a := e.absence(d, s)
	a.Filter, a.Stack = d.short, s.key()
	slices.Sort(a.Rules)
	return nil, &a, nil
}

// namedStack finds a stack as Stack does; a known but dismounted volume is
// ErrNotMounted.
func (e *Engine) namedStack(name string) (*stack, error) {
	if IsVolume(name) {
		v, err := e.knownVolume(name)
		if err != nil {
			return nil, err
		}
		if v.vdo == nil {
			return nil, fail(ErrNotMounted, "volume %q is not mounted: it has no device stack (mount %s first)", v.letter, v.letter)
		}
		return v.vdo.st, nil
	}
	if c := e.lookupCDO(name); c != nil {
		return c.st, nil
	}
	return nil, fail(ErrNoSuchDevice, "no volume or registered CDO named %s: try a drive letter like C:, or a CDO like \\Ntfs or \\Device\\RawDisk", Quote(name))
}

// chainOf is a device's chain of causes, root first, ending with the event
// that put it in place: a CDO's registration as recorded; a filter device's
// attach and a VDO's creation said again from the device, after the events
// they happened inside. RAW's built-in CDOs have none.
func (e *Engine) chainOf(d *device) []Event {
	evs := d.why.events()
	if d.role == RoleCDO || len(evs) == 0 {
		return evs
	}
	up := evs[len(evs)-1]
	last := Event{Cause: up.ID, Depth: up.Depth + 1, Kind: KindCall, Op: OpCreateVDO, Data: CreateVDO{VDO: d.ref}}
	if d.role != RoleVDO {
		// The profile changes only in the boot state, when no filter
		// device exists, so the attach used today's profile's API.
		last.Kind, last.Op, last.Stack = KindAttach, OpAttach, d.st.key()
		last.Data = Attach{Device: d.ref, LandedOn: d.landed, Bottom: d.st.bottom.ref, Safe: e.caps().SafeAttach, Origin: d.how}
	}
	return append(evs, last)
}

// why is one device's story; above counts the devices above it.
func (e *Engine) why(d *device, above int) Why {
	w := Why{Device: d.ref, How: d.how, Chain: e.chainOf(d)}
	for x := d.above; x != nil && len(w.Above) <= AboveShown+1; x = x.above {
		w.Above = append(w.Above, x.ref)
	}
	w.AboveN = above
	if len(w.Above) > AboveShown+1 {
		// More than AboveShown+1: the count and the top say the rest.
		w.Above = w.Above[:AboveShown]
		w.AboveTop = d.st.top.ref
	}
	switch d.role {
	case RoleCDO:
		w.Rules = []int{1, 2, 3}
		if d.drv.kind == kindRecognizer {
			w.Rules = append(w.Rules, 19)
		}
	case RoleVDO:
		w.Rules = []int{15, 16}
	default:
		w.LandedOn = d.landed
		// A callback inside the filter's own registration is the replay
		// (rule 7); inside a file system's registration, the notification
		// (rule 4).
		replay := chainHas(w.Chain, OpRegisterNotify) || chainHas(w.Chain, OpLateRegister)
		switch d.how {
		case OriginNotify, OriginEnumerate:
			w.Rules = []int{4, 12}
			if replay {
				w.Rules = []int{7, 12}
			}
		case OriginMount:
			w.Rules = []int{15, 17}
		case OriginByName:
			w.Rules = []int{14}
		case OriginCommand:
			w.Rules = []int{22}
		case OriginFrame:
			w.Rules = []int{28}
		}
		if slices.ContainsFunc(w.Chain, func(x Event) bool { r, ok := x.Data.(RegisterNotify); return ok && r.MountAware }) {
			w.Rules = append(w.Rules, 10) // the mount-aware registration's replay
		}
		w.Rules = append(w.Rules, 21)
		if d.frame != nil {
			w.Rules = append(w.Rules, 26)
		}
	}
	slices.Sort(w.Rules)
	return w
}

func chainHas(chain []Event, op Op) bool {
	return slices.ContainsFunc(chain, func(x Event) bool { return x.Op == op })
}

// absence says why filter d has no device in stack s.
func (e *Engine) absence(d *driver, s *stack) Absence {
	bottom := s.bottom
	if bottom.role == RoleCDO {
		return e.cdoAbsence(d, bottom)
	}
	v := bottom.vol
	l, left := v.left.get(d)
	if left && l.bottom == bottom.id {
		return Absence{Reason: ReasonLeft, Rules: []int{l.rule}, Left: l.events()}
	}
	if !d.notifyRoutine {
		if left {
			return Absence{Reason: ReasonRemount, Rules: []int{20, 24}, Left: l.events()}
		}
		return Absence{Reason: ReasonWaitsCommand, Rules: []int{18, 22}}
	}
	if bottom.typ == Tape {
		return Absence{Reason: ReasonTape, Rules: []int{12}}
	}
	// The CDO whose enumeration or mount completion would have put d here:
	// the claiming file system's CDO of the volume's type.
	var cdo *device
	for _, c := range bottom.drv.cdos {
		if c.typ == bottom.typ && c.registered {
			cdo = c
		}
	}
	if cdo == nil {
		return Absence{Reason: ReasonUnknown}
	}
	onCDO := cdo.st.member(d)
	if onCDO == nil {
		a := e.cdoAbsence(d, cdo)
		a.Via = cdo.name
		if a.Reason != ReasonRawNotReported {
			// Not on the CDO, so it never saw the mount request.
			a.Rules = append(a.Rules, 18)
		}
		return a
	}
	// On the CDO now: it came after the volume mounted and did not
	// enumerate it.
	if len(e.chainOf(onCDO)) > 0 && len(e.chainOf(bottom)) > 0 && onCDO.id > bottom.id {
		switch {
		case !e.caps().Enumerate:
			return Absence{Reason: ReasonW2KNoEnumerate, Rules: []int{8}, Via: cdo.name}
		case !d.enumerate:
			return Absence{Reason: ReasonNoEnumerate, Rules: []int{14}, Via: cdo.name}
		}
	}
	return Absence{Reason: ReasonUnknown, Via: cdo.name}
}

// cdoAbsence says why filter d is not on CDO c's stack.
func (e *Engine) cdoAbsence(d *driver, c *device) Absence {
	if l, ok := c.st.left.get(d); ok {
		return Absence{Reason: ReasonLeft, Rules: []int{l.rule}, Left: l.events()}
	}
	switch {
	case !d.notifyRoutine:
		return Absence{Reason: ReasonCommandOnCDO, Rules: []int{22}}
	case c.typ == Tape:
		return Absence{Reason: ReasonTape, Rules: []int{12}}
	case c.isRecognizer():
		return Absence{Reason: ReasonRecognizer, Rules: []int{12}}
	case c.drv.kind == kindRaw:
		return Absence{Reason: ReasonRawNotReported, Rules: []int{14}}
	case !e.caps().Replay && !d.ex:
		return Absence{Reason: ReasonW2KNoReplay, Rules: []int{8}}
	}
	return Absence{Reason: ReasonUnknown}
}
