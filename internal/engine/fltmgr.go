package engine

// Filter Manager and minifilters (docs/model.md rules 26 to 28).
//
// FltMgr is a legacy filter, \FileSystem\FltMgr, following the notify
// pattern: fltmgr load calls IoRegisterFsRegistrationChange, and its
// callback attaches a filter device object to each disk, CD-ROM and
// network CDO and, by enumeration and in mount completions, to each
// volume. Each of its device objects stands for a frame: a range of
// altitudes that is the same on every stack. A minifilter attached to a
// volume at an altitude is an instance, hosted by the device of the
// frame that holds its altitude on that volume. To a legacy filter each
// frame device is just one more legacy filter device.
//
// Where Windows does not document a detail, fssim chooses; each choice is
// shown in testdata/minifilters-*.fss:
//
//   - Frame 0 is created by fltmgr load and covers altitude 0 and up, with
//     no upper bound, until a frame is created above it.
//   - A minifilter lands in the frame whose range holds its altitude. If
//     that is the top frame, a legacy filter device sits above the top
//     frame's device on some stack, and the altitude is above every
//     minifilter the top frame holds, FltMgr closes the top frame at that
//     altitude and creates a new frame from it up, whose device attaches
//     at the top of every stack the old top frame was on (CDOs by name,
//     then volumes by letter). So a minifilter can land above a legacy
//     filter only if a frame sits above it, and lands on the wrong side of
//     it otherwise. A top frame with no minifilter takes any altitude.
//   - Frames are never deleted: a minifilter unloaded and loaded again at
//     the same altitude returns to the same frame.
//   - The notification routine is frame 0's. When a file system registers
//     later, the callback attaches frame 0 and then each higher frame to
//     its CDO, lowest first; a mount then passes each frame's CDO device,
//     and each frame's completion attaches that frame to the new volume,
//     bottom-up, interleaved with the legacy filters there, so every
//     stack keeps the order of its CDO. Instance setup for a frame's
//     minifilters runs as its device attaches to the new volume
//     (FLTFL_INSTANCE_SETUP_NEWLY_MOUNTED_VOLUME).
//   - One instance per altitude per volume: a minifilter load whose
//     altitude another loaded minifilter has is refused, as is an fltmc
//     attach at an altitude taken on that volume, with
//     STATUS_FLT_INSTANCE_ALTITUDE_COLLISION. The default instance is named
//     after the minifilter (--instance names it otherwise).
//   - FltMgr is not a legacy filter a user commands: filter attach,
//     detach, notify and unload refuse it, and it is never unloaded.
//   - io: a frame device calls its instances' pre-operation callbacks,
//     highest altitude first, then passes the IRP down; its completion
//     routine calls their post-operation callbacks, lowest first. In
//     io --json, down and up list the frame as fltmgr, followed by the
//     instances it called as NAME@ALTITUDE, in the order they ran.
//   - fltmc filters lists the legacy filters first (by name, frame
//     <Legacy>, no altitude: fssim's legacy filters have none), then the
//     minifilters, highest altitude first. fltmc volumes (whose real layout
//     we could not check) lists the volumes FltMgr is attached to.

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// fltMgr is Filter Manager's state.
type fltMgr struct {
	drv    *driver
	frames []*frame               // bottom first: frames[i].id == i
	minis  map[string]*minifilter // loaded, by lower-case name
	order  int                    // load counter
}

// frame is an FLTP_FRAME: a range of altitudes, the same on every volume.
type frame struct {
	id        int
	low, high Altitude // high zero: no upper bound
	why       chain    // the chain that created it
}

// minifilter is a registered minifilter driver.
type minifilter struct {
	key, short string
	alt        Altitude
	group      string // the load order group given, if any
	inst       string // default instance name
	noAuto     bool
	frame      *frame
	order      int
}

// instance is a minifilter attached to a volume at an altitude.
type instance struct {
	mf     *minifilter
	alt    Altitude
	name   string
	manual bool
	why    chain
}

// label is how io --json names an instance: NAME@ALTITUDE.
func (in *instance) label() string { return strings.ToLower(in.mf.short) + "@" + in.alt.String() }

func (f *frame) holds(a Altitude) bool {
	return f.low.Cmp(a) <= 0 && (f.high.IsZero() || a.Cmp(f.high) < 0)
}

func (f *frame) bounds() []string { return []string{f.low.String(), f.high.String()} }

// put records d in its stack's index; drop removes it.
func (s *stack) put(d *device) {
	if d.frame != nil && d.frame.id > 0 {
		if s.frames == nil {
			s.frames = map[*frame]*device{}
		}
		s.frames[d.frame] = d
		return
	}
	s.members[d.drv] = d
}

func (s *stack) drop(d *device) {
	if d.frame != nil && d.frame.id > 0 {
		delete(s.frames, d.frame)
		return
	}
	delete(s.members, d.drv)
}

// like returns the device of d's driver and frame in s, if any.
func (s *stack) like(d *device) *device { return s.frameDev(d.drv, d.frame) }

func (s *stack) frameDev(drv *driver, fr *frame) *device {
	if fr != nil && fr.id > 0 {
		return s.frames[fr]
	}
	return s.members[drv]
}

// notifyFrame is the frame a driver's notification routine attaches:
// frame 0 for FltMgr, none for any other filter.
func (e *Engine) notifyFrame(d *driver) *frame {
	if d.fltmgr {
		return e.flt.frames[0]
	}
	return nil
}

func (d *device) setFrame(fr *frame) {
	d.frame = fr
	d.ref.IsFrame, d.ref.Frame = true, fr.id
}

// LoadFltMgr loads Filter Manager as a legacy filter that registers for
// notifications: it creates frame 0, and its callback attaches frame 0's
// device to each CDO and, enumerating, to each mounted volume (rule 26).
func (e *Engine) LoadFltMgr() ([]Event, error) {
	if e.flt != nil {
		return nil, fail(ErrFilterLoaded, "FltMgr is already loaded")
	}
	if d := e.drivers["fltmgr"]; d != nil {
		return nil, fail(ErrNameTaken, "%q is loaded already as %s", "fltmgr", d)
	}
	d := newDriver("fltmgr", "FltMgr", kindFilter)
	d.fltmgr, d.enumerate = true, true
	e.drivers[d.key] = d
	e.flt = &fltMgr{drv: d, minis: map[string]*minifilter{}}
	e.t.op(KindCall, OpDriverEntry, Event{Driver: d.short})
	e.t.in()
	f0 := &frame{id: 0, low: MustAltitude("0")}
	e.flt.frames = []*frame{f0}
	e.t.op(KindNote, OpFrameCreate, Event{N: 0, Names: f0.bounds()})
	f0.why = e.t.chain()
	e.registerNotification(d, false, false)
	e.t.out()
	return e.t.take(), nil
}

// notFltName refuses a legacy filter named fltmgr, or after a loaded
// minifilter.
func (e *Engine) notFltName(key string) error {
	if key == "fltmgr" {
		return fail(ErrNameTaken, "fltmgr is Filter Manager's name: fltmgr load loads it")
	}
	if e.flt != nil && e.flt.minis[key] != nil {
		return fail(ErrNameTaken, "%q is a loaded minifilter: a legacy filter needs a name of its own", key)
	}
	return nil
}

// FltMgrLoaded reports whether fltmgr load has run.
func (e *Engine) FltMgrLoaded() bool { return e.flt != nil }

func (e *Engine) needFlt() error {
	if e.flt == nil {
		return fail(ErrFltMgrNotLoaded, "Filter Manager is not loaded (fltmgr load first)")
	}
	return nil
}

// fltCallback runs after FltMgr's callback attached frame 0 to a CDO: each
// higher frame attaches too, lowest first.
func (e *Engine) fltCallback(d *driver, s *stack) {
	for _, fr := range e.flt.frames[1:] {
		if s.frameDev(d, fr) == nil {
			e.attachDev(d, fr, s, OriginNotify)
		}
	}
}

// MiniOptions are the options of LoadMinifilter.
type MiniOptions struct {
	Altitude string
	Group    string // a load order group the altitude must lie in
	Instance string // the default instance's name; the minifilter's if empty
	NoAuto   bool   // no automatic attachment: instances only by fltmc attach
}

// LoadMinifilter loads a minifilter: DriverEntry calls FltRegisterFilter,
// FltMgr picks the frame that holds its altitude (creating one above a
// legacy filter if it must, rule 28), and FltStartFiltering sets up an
// instance on every volume that frame is on, unless NoAuto (rule 27).
func (e *Engine) LoadMinifilter(name string, opt MiniOptions) ([]Event, error) {
	if err := e.needFlt(); err != nil {
		return nil, err
	}
	key, err := checkName("minifilter", name)
	if err != nil {
		return nil, err
	}
	if e.flt.minis[key] != nil {
		return nil, fail(ErrMiniLoaded, "minifilter %q is already loaded", key)
	}
	if d := e.drivers[key]; d != nil || reservedName(key) {
		return nil, fail(ErrNameTaken, "%q is the name of a loaded driver or a file system: a minifilter needs a name of its own", key)
	}
	alt, err := ParseAltitude(opt.Altitude)
	if err != nil {
		return nil, err
	}
	group := ""
	if opt.Group != "" {
		g, err := FindGroup(opt.Group)
		if err != nil {
			return nil, err
		}
		if !g.Holds(alt) {
			return nil, fail(ErrBadAltitude, "altitude %s is outside %s, which owns %s to %s", alt, g.Name, g.Low, g.High)
		}
		group = g.Name
	}
	inst := name
	if opt.Instance != "" {
		if !ValidName(opt.Instance) {
			return nil, fail(ErrBadName, "bad instance name %s: use 1 to 32 letters, digits, '_', '.' or '-'", Quote(opt.Instance))
		}
		inst = opt.Instance
	}
	for _, m := range e.sortedMinis() {
		if m.alt.Cmp(alt) == 0 {
			return nil, failStatus(ErrAltitudeCollision, StatusFltAltitudeCollision,
				"altitude %s is %s's (%s): one instance per altitude per volume; choose another altitude", alt, m.key, m.alt)
		}
	}
	e.flt.order++
	m := &minifilter{key: key, short: name, alt: alt, group: group, inst: inst, noAuto: opt.NoAuto, order: e.flt.order}
	e.flt.minis[key] = m
	e.t.op(KindCall, OpDriverEntry, Event{Driver: m.short})
	e.t.in()
	e.t.op(KindCall, OpFltRegister, Event{Driver: m.short, Names: []string{alt.String(), group}})
	m.frame = e.frameFor(m)
	e.t.op(KindCall, OpFltStart, Event{Driver: m.short, N: m.frame.id})
	e.t.in()
	if m.noAuto {
		e.t.op(KindNote, OpNoAutoAttach, Event{Driver: m.short})
	} else {
		n := 0
		for _, d := range e.frameDevices(m.frame) {
			if d.st.bottom.role == RoleVDO {
				n++
				e.setupInstance(d, m, m.alt, m.inst, false, false)
			}
		}
		if n == 0 {
			e.t.op(KindNote, OpNoVolumes, Event{Driver: m.short, N: m.frame.id})
		}
	}
	e.t.out()
	e.t.out()
	return e.t.take(), nil
}

// frameFor picks (or creates) the frame for a new minifilter (rule 28).
func (e *Engine) frameFor(m *minifilter) *frame {
	frames := e.flt.frames
	top := frames[len(frames)-1]
	var fr *frame
	for _, f := range frames {
		if f.holds(m.alt) {
			fr = f
		}
	}
	if fr == top {
		above := e.legacyAbove(top)
		highest := Altitude{}
		for _, x := range e.sortedMinis() {
			if x != m && x.frame == top && (highest.IsZero() || x.alt.Cmp(highest) > 0) {
				highest = x.alt
			}
		}
		if above != nil && !highest.IsZero() && m.alt.Cmp(highest) > 0 {
			top.high = m.alt
			nf := &frame{id: len(frames), low: m.alt}
			e.flt.frames = append(e.flt.frames, nf)
			e.t.op(KindNote, OpFrameCreate, Event{N: nf.id, Names: nf.bounds(), Driver: above.drv.short, Dev: above.ref})
			nf.why = e.t.chain()
			e.t.in()
			for _, d := range e.frameDevices(top) {
				e.attachDev(e.flt.drv, nf, d.st, OriginFrame)
			}
			e.t.out()
			fr = nf
		}
	}
	e.t.op(KindNote, OpFrameChosen, Event{Driver: m.short, N: fr.id, Names: append([]string{m.alt.String()}, fr.bounds()...)})
	return fr
}

// legacyAbove returns a legacy filter device sitting above frame fr's
// device on some stack (CDOs by name, then volumes by letter), or nil.
func (e *Engine) legacyAbove(fr *frame) *device {
	for _, d := range e.frameDevices(fr) {
		for x := d.above; x != nil; x = x.above {
			if !x.drv.fltmgr {
				return x
			}
		}
	}
	return nil
}

// frameDevices lists frame fr's devices: on CDOs sorted by name, then on
// volumes by letter.
func (e *Engine) frameDevices(fr *frame) []*device {
	var out []*device
	for _, c := range e.sortedCDOs() {
		if d := c.st.frameDev(e.flt.drv, fr); d != nil {
			out = append(out, d)
		}
	}
	for _, v := range sortedVolumes(e.volumes) {
		if v.vdo != nil {
			if d := v.vdo.st.frameDev(e.flt.drv, fr); d != nil {
				out = append(out, d)
			}
		}
	}
	return out
}

// setupInstance is InstanceSetup: an instance of m at alt on the volume of
// frame device d.
func (e *Engine) setupInstance(d *device, m *minifilter, alt Altitude, name string, manual, newly bool) {
	n := 0
	if newly {
		n = 1
	}
	e.t.op(KindAttach, OpInstanceSetup, Event{Dev: d.ref, Driver: m.short, Name: d.st.key(), Names: []string{alt.String(), name}, Flag: manual, N: n, Stack: d.st.key()})
	in := &instance{mf: m, alt: alt, name: name, manual: manual, why: e.t.chain()}
	i := sort.Search(len(d.inst), func(i int) bool { return d.inst[i].alt.Cmp(alt) < 0 })
	d.inst = append(d.inst, nil)
	copy(d.inst[i+1:], d.inst[i:])
	d.inst[i] = in
}

// frameAttached runs when a frame device attaches: on a newly mounted
// volume, its frame's minifilters set up their instances.
func (e *Engine) frameAttached(d *device) {
	if d.how != OriginMount || d.st.bottom.role != RoleVDO {
		return
	}
	for _, m := range e.sortedMinis() {
		if m.frame == d.frame && !m.noAuto {
			e.t.in()
			e.setupInstance(d, m, m.alt, m.inst, false, true)
			e.t.out()
		}
	}
}

// frameGone tears down the instances of a frame device leaving its stack.
func (e *Engine) frameGone(d *device) {
	if len(d.inst) == 0 {
		return
	}
	e.t.in()
	for _, in := range d.inst {
		e.t.op(KindDetach, OpInstanceDown, Event{Dev: d.ref, Driver: in.mf.short, Name: d.st.key(), Names: []string{in.alt.String(), in.name}, Stack: d.st.key()})
	}
	e.t.out()
	d.inst = nil
}

// UnloadMinifilter unloads a minifilter: each instance is torn down
// (volumes by letter), then FltUnregisterFilter. Its frame stays.
func (e *Engine) UnloadMinifilter(name string) ([]Event, error) {
	m, err := e.mini(name)
	if err != nil {
		return nil, err
	}
	e.t.op(KindCall, OpDriverUnload, Event{Driver: m.short})
	e.t.in()
	for _, v := range sortedVolumes(e.volumes) {
		if v.vdo == nil {
			continue
		}
		for _, d := range e.frameDevsOn(v.vdo.st) {
			e.dropInstances(d, m, "")
		}
	}
	e.t.op(KindCall, OpFltUnregister, Event{Driver: m.short})
	e.t.out()
	delete(e.flt.minis, m.key)
	return e.t.take(), nil
}

// dropInstances tears down m's instances on frame device d (only the one
// named inst, if given) and says how many went.
func (e *Engine) dropInstances(d *device, m *minifilter, inst string) int {
	keep := d.inst[:0]
	n := 0
	for _, in := range d.inst {
		if in.mf == m && (inst == "" || strings.EqualFold(in.name, inst)) {
			e.t.op(KindDetach, OpInstanceDown, Event{Dev: d.ref, Driver: m.short, Name: d.st.key(), Names: []string{in.alt.String(), in.name}, Stack: d.st.key()})
			n++
			continue
		}
		keep = append(keep, in)
	}
	clear(d.inst[len(keep):])
	d.inst = keep
	return n
}

// frameDevsOn lists FltMgr's devices on a stack, bottom first.
func (e *Engine) frameDevsOn(s *stack) []*device {
	var out []*device
	for d := s.bottom; d != nil; d = d.above {
		if d.drv.fltmgr {
			out = append(out, d)
		}
	}
	return out
}

func (e *Engine) mini(name string) (*minifilter, error) {
	if err := e.needFlt(); err != nil {
		return nil, err
	}
	key, err := checkName("minifilter", name)
	if err != nil {
		return nil, err
	}
	m := e.flt.minis[key]
	if m == nil {
		return nil, fail(ErrMiniNotLoaded, "minifilter %q is not loaded %s", key,
			orDidYouMean(key, e.miniNames(), fmt.Sprintf("(minifilter load %s --altitude A first)", name)))
	}
	return m, nil
}

// FltmcAttach is fltmc attach (FilterAttach, FltAttachVolumeAtAltitude): a
// manual instance of a minifilter on a volume, at its altitude or alt.
func (e *Engine) FltmcAttach(name, vol, alt, inst string) ([]Event, error) {
	m, err := e.mini(name)
	if err != nil {
		return nil, err
	}
	v, err := e.mountedVolume(vol)
	if err != nil {
		return nil, err
	}
	a := m.alt
	if alt != "" {
		if a, err = ParseAltitude(alt); err != nil {
			return nil, err
		}
	}
	if inst == "" {
		inst = m.inst
	} else if !ValidName(inst) {
		return nil, fail(ErrBadName, "bad instance name %s: use 1 to 32 letters, digits, '_', '.' or '-'", Quote(inst))
	}
	var fr *frame
	for _, f := range e.flt.frames {
		if f.holds(a) {
			fr = f
		}
	}
	d := v.vdo.st.frameDev(e.flt.drv, fr)
	if d == nil {
		return nil, fail(ErrNotAttached, "altitude %s lies in frame %d, and FltMgr's frame %d is not on %s (it left with a legacy filter below it); dismount and mount %s to bring it back", a, fr.id, fr.id, v.letter, v.letter)
	}
	for _, x := range e.frameDevsOn(v.vdo.st) {
		for _, in := range x.inst {
			if in.alt.Cmp(a) == 0 {
				return nil, failStatus(ErrAltitudeCollision, StatusFltAltitudeCollision,
					"%s has %s's instance %q at altitude %s already: one instance per altitude per volume", v.letter, in.mf.key, in.name, in.alt)
			}
			if in.mf == m && strings.EqualFold(in.name, inst) {
				return nil, failStatus(ErrAlreadyAttached, StatusFltNameCollision, "%s already has an instance named %q on %s", m.key, in.name, v.letter)
			}
		}
	}
	e.t.op(KindCall, OpFltmcAttach, Event{Driver: m.short, Name: v.letter, Names: []string{a.String(), inst}})
	e.t.in()
	e.setupInstance(d, m, a, inst, true, false)
	e.t.out()
	return e.t.take(), nil
}

// FltmcDetach is fltmc detach: tear down a minifilter's instance on a
// volume (the one named inst, or its only one).
func (e *Engine) FltmcDetach(name, vol, inst string) ([]Event, error) {
	m, err := e.mini(name)
	if err != nil {
		return nil, err
	}
	v, err := e.mountedVolume(vol)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, x := range e.frameDevsOn(v.vdo.st) {
		for _, in := range x.inst {
			if in.mf == m && (inst == "" || strings.EqualFold(in.name, inst)) {
				names = append(names, in.name)
			}
		}
	}
	switch {
	case len(names) == 0 && inst != "":
		return nil, fail(ErrNotAttached, "minifilter %q has no instance %q on %s", m.key, inst, v.letter)
	case len(names) == 0:
		return nil, fail(ErrNotAttached, "minifilter %q has no instance on %s", m.key, v.letter)
	case len(names) > 1:
		return nil, fail(ErrBadOption, "minifilter %q has %d instances on %s (%s): name one with -i", m.key, len(names), v.letter, strings.Join(names, ", "))
	}
	e.t.op(KindCall, OpFltmcDetach, Event{Driver: m.short, Name: v.letter, Names: []string{names[0]}})
	e.t.in()
	for _, x := range e.frameDevsOn(v.vdo.st) {
		e.dropInstances(x, m, names[0])
	}
	e.t.out()
	return e.t.take(), nil
}

func (e *Engine) sortedMinis() []*minifilter {
	if e.flt == nil {
		return nil
	}
	out := make([]*minifilter, 0, len(e.flt.minis))
	for _, m := range e.flt.minis {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// MinifilterInfo describes a loaded minifilter.
type MinifilterInfo struct {
	Name      string // as loaded
	Altitude  string
	Frame     int
	Group     string
	Instances int // on every volume
}

// FrameInfo describes a frame: its altitudes and the volumes it is on.
type FrameInfo struct {
	ID        int
	Low, High string // High "": no upper bound
	Volumes   []string
	CDOs      []string
}

// InstanceInfo is one instance on a volume.
type InstanceInfo struct {
	Minifilter string
	Volume     string
	Altitude   string
	Frame      int
	Instance   string
	Manual     bool
}

// Minifilters lists the loaded minifilters, highest altitude first.
func (e *Engine) Minifilters() []MinifilterInfo {
	ms := e.sortedMinis()
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].alt.Cmp(ms[j].alt) > 0 })
	count := map[*minifilter]int{}
	for _, in := range e.Instances("") {
		count[e.flt.minis[strings.ToLower(in.Minifilter)]]++
	}
	var out []MinifilterInfo
	for _, m := range ms {
		out = append(out, MinifilterInfo{Name: m.short, Altitude: m.alt.String(), Frame: m.frame.id, Group: m.group, Instances: count[m]})
	}
	return out
}

// Frames lists FltMgr's frames, bottom first.
func (e *Engine) Frames() []FrameInfo {
	if e.flt == nil {
		return nil
	}
	var out []FrameInfo
	for _, f := range e.flt.frames {
		fi := FrameInfo{ID: f.id, Low: f.low.String(), High: f.high.String()}
		for _, d := range e.frameDevices(f) {
			if d.st.bottom.role == RoleVDO {
				fi.Volumes = append(fi.Volumes, d.st.key())
			} else {
				fi.CDOs = append(fi.CDOs, d.st.key())
			}
		}
		out = append(out, fi)
	}
	return out
}

// Instances lists the instances on one volume (or on every volume, by
// letter, if vol is ""), highest altitude first.
func (e *Engine) Instances(vol string) []InstanceInfo {
	if e.flt == nil {
		return nil
	}
	var out []InstanceInfo
	for _, v := range sortedVolumes(e.volumes) {
		if v.vdo == nil || (vol != "" && !strings.EqualFold(vol, v.letter)) {
			continue
		}
		var here []InstanceInfo
		for _, d := range e.frameDevsOn(v.vdo.st) {
			for _, in := range d.inst {
				here = append(here, InstanceInfo{Minifilter: in.mf.short, Volume: v.letter, Altitude: in.alt.String(), Frame: d.frame.id, Instance: in.name, Manual: in.manual})
			}
		}
		sort.SliceStable(here, func(i, j int) bool { return MustAltitude(here[i].Altitude).Cmp(MustAltitude(here[j].Altitude)) > 0 })
		out = append(out, here...)
	}
	return out
}

// MiniNames lists the loaded minifilters' names, sorted.
func (e *Engine) MiniNames() []string {
	var out []string
	for _, m := range e.sortedMinis() {
		out = append(out, m.key)
	}
	return out
}

// dumpFlt writes FltMgr's state for Dump.
func (e *Engine) dumpFlt(b *strings.Builder) {
	if e.flt == nil {
		return
	}
	for _, f := range e.flt.frames {
		fmt.Fprintf(b, "frame %d %s-%s\n", f.id, f.low, f.high)
	}
	for _, m := range e.sortedMinis() {
		fmt.Fprintf(b, "minifilter %s %q alt %s group %q inst %q noauto %t frame %d order %d\n", m.key, m.short, m.alt, m.group, m.inst, m.noAuto, m.frame.id, m.order)
	}
	fmt.Fprintf(b, "flt order %d\n", e.flt.order)
}

// dumpInst writes a frame device's instances for Dump.
func dumpInst(b *strings.Builder, d *device) {
	if d.frame == nil {
		return
	}
	fmt.Fprintf(b, "[frame %d", d.frame.id)
	for _, in := range d.inst {
		fmt.Fprintf(b, " %s@%s/%s/%t", in.mf.key, in.alt, in.name, in.manual)
	}
	b.WriteByte(']')
}

// MiniWhy tells where a minifilter is in a volume's stack, or why it is
// not there, and why each legacy filter of the stack is on the side of it
// it is on (rules 26 to 28).
type MiniWhy struct {
	Minifilter string // as loaded
	Stack      string
	Altitude   string
	Frame      int
	FrameDev   *DeviceRef // its frame's device on the stack, if there
	Instance   string     // "" when it has no instance here
	Chain      []Event    // the instance setup, root first
	// Absent, when it has no instance: "cdo", "not-mounted", "no-auto",
	// "frame-missing" or "detached".
	Absent string
	Above  []string // legacy filters above its frame's device, lowest first
	Below  []string // legacy filters below it, top first
	// NextFrame is the frame above its frame, if there is one, with its
	// lowest altitude; Highest is the highest altitude in its frame.
	NextFrame    int
	NextFrameLow string
	Highest      string
	Rules        []int
}

// IsMinifilter reports whether name is a loaded minifilter.
func (e *Engine) IsMinifilter(name string) bool {
	return e.flt != nil && e.flt.minis[strings.ToLower(name)] != nil
}

// ExplainMinifilter tells where minifilter name sits on a stack and why.
func (e *Engine) ExplainMinifilter(name, stackName string) (*MiniWhy, error) {
	m, err := e.mini(name)
	if err != nil {
		return nil, err
	}
	w := &MiniWhy{Minifilter: m.short, Altitude: m.alt.String(), Frame: m.frame.id, NextFrame: -1, Rules: []int{26, 27, 28}}
	for _, x := range e.sortedMinis() {
		if x.frame == m.frame && (w.Highest == "" || x.alt.Cmp(MustAltitude(w.Highest)) > 0) {
			w.Highest = x.alt.String()
		}
	}
	if m.frame.id+1 < len(e.flt.frames) {
		nf := e.flt.frames[m.frame.id+1]
		w.NextFrame, w.NextFrameLow = nf.id, nf.low.String()
	}
	s, err := e.namedStack(stackName)
	if err != nil {
		if errors.Is(err, ErrNotMounted) {
			w.Stack, _ = ParseVolume(stackName)
			w.Absent = "not-mounted"
			return w, nil
		}
		return nil, err
	}
	w.Stack = s.key()
	if s.bottom.role == RoleCDO {
		w.Absent = "cdo"
		return w, nil
	}
	d := s.frameDev(e.flt.drv, m.frame)
	if d == nil {
		w.Absent = "frame-missing"
		return w, nil
	}
	w.FrameDev = d.ref
	for _, in := range d.inst {
		if in.mf == m && w.Instance == "" {
			w.Instance, w.Chain = in.name, in.why.events()
			w.Altitude = in.alt.String()
		}
	}
	if w.Instance == "" {
		w.Absent = "detached"
		if m.noAuto {
			w.Absent = "no-auto"
		}
	}
	for x := d.above; x != nil; x = x.above {
		if !x.drv.fltmgr {
			w.Above = append(w.Above, x.drv.short)
		}
	}
	for x := d.below; x != nil; x = x.below {
		if !x.drv.fltmgr && x.role == RoleFilter {
			w.Below = append(w.Below, x.drv.short)
		}
	}
	return w, nil
}
