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
// Frames, verified against the Filter Manager team's explanations (rule 26):
// frame 0 is created with the range 0 to 0. A minifilter whose altitude
// lies outside every frame's range widens the top frame to take it, unless
// a legacy filter sits above the top frame's device on some stack: then
// FltMgr creates a new frame on top, whose range starts (and, until
// widened, ends) at that altitude, and whose device attaches at the top of
// every stack the old top frame was on (CDOs by name, then volumes by
// letter). This holds even when the top frame holds no minifilter yet. All
// instances of a minifilter belong to its frame. FltMgr opens RAW's
// \Device\RawDisk and \Device\RawCdRom by name, so RAW volumes get frames.
//
// Where Windows does not document a detail, fssim chooses; each choice is
// shown in testdata/minifilters*.fss and listed in docs/model.md:
//
//   - An altitude between two frames' ranges widens the lower frame, so
//     ranges stay disjoint and ordered bottom-up.
//   - Frames are never deleted: a minifilter unloaded and loaded again at
//     the same altitude returns to the same frame.
//   - The notification routine is frame 0's. When a file system registers
//     later, the callback attaches frame 0 and then each higher frame to
//     its CDO, lowest first; a mount then passes each frame's CDO device,
//     and each frame's completion attaches that frame to the new volume,
//     bottom-up, interleaved with the legacy filters there, so every
//     stack keeps the order of its CDO. Instance setup on the new volume
//     is pending until the first operation FltMgr sees there: io or
//     dismount on it. fltmc attach is not such an operation: a manual
//     instance made meanwhile is kept, and the pending automatic setup
//     may then collide with it.
//   - An instance whose altitude or name another instance has on the
//     volume fails with STATUS_FLT_INSTANCE_ALTITUDE_COLLISION or
//     STATUS_FLT_INSTANCE_NAME_COLLISION; loading never fails for it.
//   - A manual detach of a minifilter without InstanceQueryTeardown is
//     refused with STATUS_FLT_DO_NOT_DETACH, as a callback refusing is.
//   - FltMgr is not a legacy filter a user commands: filter attach,
//     detach, notify and unload refuse it, and it is never unloaded.
//   - io: a frame device calls its instances' pre-operation callbacks,
//     highest altitude first, then passes the IRP down; its completion
//     routine calls their post-operation callbacks, lowest first. A
//     minifilter loaded with --complete ends the operation in its
//     pre-operation callback (FLT_PREOP_COMPLETE, STATUS_ACCESS_DENIED).
//     In io --json, down and up list the frame as fltmgr, followed by the
//     instances it called as NAME@ALTITUDE, in the order they ran.
//   - fltmc filters lists rows in stack order, top first: each frame's
//     minifilters (highest altitude first) with the legacy filters between
//     the frames they sit between. fltmc volumes (whose real layout we
//     could not check) lists the volumes FltMgr is attached to.

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// fltMgr is Filter Manager's state.
type fltMgr struct {
	drv    *driver
	frames []*frame               // bottom first: frames[i].id == i
	minis  map[string]*minifilter // loaded, by lower-case name
	order  int                    // load counter
	objs   int                    // FLTP_FRAME, FLT_FILTER, FLT_INSTANCE address counter
}

// fltObjBase is where the synthetic addresses of FltMgr's own structures
// (frames, filters, instances) start: a region apart from device objects,
// so making them moves no device's address.
const fltObjBase = 0xffffa0c000000000

// newObj gives the next FltMgr structure address, as !fltkd prints it.
func (f *fltMgr) newObj() string {
	f.objs++
	return hex16(fltObjBase + uint64(f.objs)<<9)
}

// frame is an FLTP_FRAME: a range of altitudes, the same on every volume.
type frame struct {
	id        int
	low, high Altitude // the range, both ends included
	why       chain    // the chain that created it
	addr      string
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
	addr       string
	// refuseDetach: InstanceQueryTeardown returns STATUS_FLT_DO_NOT_DETACH;
	// noQuery: the filter registers no InstanceQueryTeardown at all.
	refuseDetach, noQuery bool
	completeOps           majors // pre-operation callbacks that return FLT_PREOP_COMPLETE
}

// instance is a minifilter attached to a volume at an altitude.
type instance struct {
	mf     *minifilter
	alt    Altitude
	name   string
	manual bool
	why    chain
	addr   string
}

// label is how io --json names an instance: NAME@ALTITUDE.
func (in *instance) label() string { return strings.ToLower(in.mf.short) + "@" + in.alt.String() }

func (f *frame) holds(a Altitude) bool {
	return f.low.Cmp(a) <= 0 && a.Cmp(f.high) <= 0
}

// frameCreate is the event of f's creation; above is the legacy filter's
// device that made a new frame necessary, nil for frame 0.
func frameCreate(f *frame, above *device) FrameCreate {
	p := FrameCreate{Frame: f.id, Low: f.low.String(), High: f.high.String()}
	if above != nil {
		p.Legacy, p.LegacyDevice = above.drv.short, above.ref
	}
	return p
}

// put records d in its stack's index; drop removes it.
func (s *stack) put(d *device) {
	if d.frame != nil && d.frame.id > 0 {
		if s.frames == nil {
			s.frames = map[*frame]*device{}
		}
		s.frames[d.frame] = d
		return
	}
	s.setMember(d)
}

func (s *stack) drop(d *device) {
	if d.frame != nil && d.frame.id > 0 {
		delete(s.frames, d.frame)
		return
	}
	s.dropMember(d)
}

// like returns the device of d's driver and frame in s, if any.
func (s *stack) like(d *device) *device { return s.frameDev(d.drv, d.frame) }

func (s *stack) frameDev(drv *driver, fr *frame) *device {
	if fr != nil && fr.id > 0 {
		return s.frames[fr]
	}
	return s.member(drv)
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
	d.fltmgr, d.enumerate, d.attachRaw = true, true, true
	e.addDriver(d)
	e.flt = &fltMgr{drv: d, minis: map[string]*minifilter{}}
	e.t.op(KindCall, DriverEntry{Driver: d.short})
	e.t.in()
	f0 := &frame{id: 0, low: MustAltitude("0"), high: MustAltitude("0"), addr: e.flt.newObj()}
	e.flt.frames = []*frame{f0}
	e.t.op(KindNote, frameCreate(f0, nil))
	f0.why = e.t.chain()
	e.registerNotification(d, false, false)
	// RAW is never reported: frame 0 opens RAW's disk and CD-ROM control
	// devices by name, so volumes RAW mounts get frames (rule 26).
	e.openRawByName(d)
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
	// RefuseDetach: InstanceQueryTeardown returns STATUS_FLT_DO_NOT_DETACH;
	// NoQueryTeardown: the filter registers no InstanceQueryTeardown, so
	// its instances cannot be detached by hand (rule 27).
	RefuseDetach, NoQueryTeardown bool
	// Complete lists the operations its pre-operation callback completes
	// with STATUS_ACCESS_DENIED (FLT_PREOP_COMPLETE).
	Complete []Major
}

// LoadMinifilter loads a minifilter: DriverEntry calls FltRegisterFilter,
// FltMgr picks the frame for its altitude (widening one or creating one
// above a legacy filter, rule 26), and FltStartFiltering sets up an
// instance on every volume that frame is on, unless NoAuto (rule 27). An
// altitude another minifilter has does not stop the load: its instances
// collide, volume by volume.
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
	if opt.RefuseDetach && opt.NoQueryTeardown {
		return nil, fail(ErrBadOption, "--refuse-detach and --no-query-teardown contradict: one makes InstanceQueryTeardown refuse, the other registers none; choose one")
	}
	var complete majors
	for _, m := range opt.Complete {
		if m >= MjFileSystemControl {
			return nil, fail(ErrBadOption, "--complete takes %s", strings.Join(ioNames[:], ", "))
		}
		complete |= 1 << m
	}
	e.flt.order++
	m := &minifilter{key: key, short: name, alt: alt, group: group, inst: inst, noAuto: opt.NoAuto, order: e.flt.order,
		refuseDetach: opt.RefuseDetach, noQuery: opt.NoQueryTeardown, completeOps: complete, addr: e.flt.newObj()}
	e.flt.minis[key] = m
	e.t.op(KindCall, DriverEntry{Driver: m.short})
	e.t.in()
	e.t.op(KindCall, FltRegister{Driver: m.short, Altitude: alt.String(), Group: group})
	m.frame = e.placeFrame(m.short, alt)
	e.t.op(KindCall, FltStart{Driver: m.short, Frame: m.frame.id})
	e.t.in()
	if m.noAuto {
		e.t.op(KindNote, NoAutoAttach{Driver: m.short})
	} else {
		n := 0
		for _, d := range e.frameDevices(m.frame) {
			if d.st.bottom.role != RoleVDO {
				continue
			}
			n++
			if v := d.st.bottom.vol; v.fltPending {
				e.t.op(KindNote, SetupStillPending{Driver: m.short, Volume: v.letter})
				continue
			}
			e.setupInstance(d, m, m.alt, m.inst, false, false)
		}
		if n == 0 {
			e.t.op(KindNote, NoVolumes{Driver: m.short, Frame: m.frame.id})
		}
	}
	e.t.out()
	e.t.out()
	return e.t.take(), nil
}

// framePlace is where an altitude goes: an existing frame whose range holds
// it, a frame to widen up to it, or (fr nil) a new frame on top.
func (e *Engine) framePlace(a Altitude) (fr *frame, widen bool, above *device) {
	frames := e.flt.frames
	for _, f := range frames {
		if f.holds(a) {
			return f, false, nil
		}
	}
	top := frames[len(frames)-1]
	if a.Cmp(top.high) > 0 {
		if x := e.legacyAbove(top); x != nil {
			return nil, false, x
		}
		return top, true, nil
	}
	// Between two frames' ranges: the lower one widens (chosen).
	for i := len(frames) - 1; i >= 0; i-- {
		if frames[i].high.Cmp(a) < 0 {
			return frames[i], true, nil
		}
	}
	return frames[0], true, nil // unreachable: frame 0 starts at 0
}

// placeFrame finds (widening or creating) the frame for altitude a of
// minifilter who, and traces the choice (rule 26).
func (e *Engine) placeFrame(who string, a Altitude) *frame {
	fr, widen, above := e.framePlace(a)
	switch {
	case fr == nil:
		top := e.flt.frames[len(e.flt.frames)-1]
		fr = &frame{id: len(e.flt.frames), low: a, high: a, addr: e.flt.newObj()}
		e.flt.frames = append(e.flt.frames, fr)
		e.t.op(KindNote, frameCreate(fr, above))
		fr.why = e.t.chain()
		e.t.in()
		for _, d := range e.frameDevices(top) {
			e.attachDev(e.flt.drv, fr, d.st, OriginFrame)
		}
		e.t.out()
	case widen:
		old := fr.high
		fr.high = a
		next := ""
		if fr.id+1 < len(e.flt.frames) {
			next = e.flt.frames[fr.id+1].low.String()
		}
		e.t.op(KindNote, FrameWiden{Driver: who, Frame: fr.id, Altitude: a.String(), Low: fr.low.String(), OldHigh: old.String(), NextLow: next})
	}
	e.t.op(KindNote, FrameChosen{Driver: who, Frame: fr.id, Altitude: a.String(), Low: fr.low.String(), High: fr.high.String()})
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

// collision returns the instance on d's volume that an instance of m at
// alt named name would collide with, and the status: one instance per
// altitude, and one per name, per volume (rule 27).
func (e *Engine) collision(d *device, alt Altitude, name string) (*instance, Status) {
	for _, x := range e.frameDevsOn(d.st) {
		for _, in := range x.inst {
			if in.alt.Cmp(alt) == 0 {
				return in, StatusFltAltitudeCollision
			}
		}
	}
	for _, x := range e.frameDevsOn(d.st) {
		for _, in := range x.inst {
			if strings.EqualFold(in.name, name) {
				return in, StatusFltNameCollision
			}
		}
	}
	return nil, StatusSuccess
}

// setupInstance is InstanceSetup: an instance of m at alt on the volume of
// frame device d. FltMgr refuses it first if the volume has an instance at
// that altitude or with that name; it reports whether the instance was made.
func (e *Engine) setupInstance(d *device, m *minifilter, alt Altitude, name string, manual, newly bool) bool {
	vol := d.st.key()
	if in, st := e.collision(d, alt, name); in != nil {
		e.t.status(st, InstanceCollides{FrameDevice: d.ref, Driver: m.short, Volume: vol, Altitude: alt.String(), Instance: name,
			Holder: in.mf.short, HolderInstance: in.name, HolderAltitude: in.alt.String()})
		return false
	}
	e.t.opOn(KindAttach, vol, InstanceSetup{FrameDevice: d.ref, Driver: m.short, Volume: vol, Altitude: alt.String(), Instance: name,
		Manual: manual, NewlyMounted: newly, Raw: d.st.bottom.drv.kind == kindRaw})
	in := &instance{mf: m, alt: alt, name: name, manual: manual, why: e.t.chain(), addr: e.flt.newObj()}
	i := sort.Search(len(d.inst), func(i int) bool { return d.inst[i].alt.Cmp(alt) < 0 })
	d.inst = append(d.inst, nil)
	copy(d.inst[i+1:], d.inst[i:])
	d.inst[i] = in
	return true
}

// frameAttached runs when a frame device attaches: on a newly mounted
// volume, instance setup waits for the first operation there (rule 27).
func (e *Engine) frameAttached(d *device) {
	if d.how != OriginMount || d.st.bottom.role != RoleVDO {
		return
	}
	v := d.st.bottom.vol
	if v.fltPending {
		return
	}
	v.fltPending = true
	e.t.in()
	e.t.op(KindNote, SetupPending{Volume: v.letter})
	e.t.out()
}

// runPending runs the instance setup a newly mounted volume waits for, as
// FltMgr sees the first operation there: each frame's minifilters, lowest
// frame first, by name, with FLTFL_INSTANCE_SETUP_AUTOMATIC_ATTACHMENT |
// FLTFL_INSTANCE_SETUP_NEWLY_MOUNTED_VOLUME. It reports whether it ran.
func (e *Engine) runPending(v *volume, what string) bool {
	if v.vdo == nil || !v.fltPending {
		return false
	}
	v.fltPending = false
	e.t.op(KindCall, SetupRuns{Volume: v.letter, First: what})
	e.t.in()
	n := 0
	for _, d := range e.frameDevsOn(v.vdo.st) {
		for _, m := range e.sortedMinis() {
			if m.frame == d.frame && !m.noAuto {
				n++
				e.setupInstance(d, m, m.alt, m.inst, false, true)
			}
		}
	}
	if n == 0 {
		e.t.op(KindNote, SetupNone{Volume: v.letter})
	}
	e.t.out()
	return true
}

// SetupPending reports whether instance setup on volume vol waits for the
// first operation after its mount (rule 27).
func (e *Engine) SetupPending(vol string) bool {
	v := e.volumes[strings.ToUpper(vol)]
	return v != nil && v.vdo != nil && v.fltPending
}

// PendingVolumes lists, by letter, the volumes whose instance setup waits.
func (e *Engine) PendingVolumes() []string {
	var out []string
	for _, v := range sortedVolumes(e.volumes) {
		if v.vdo != nil && v.fltPending {
			out = append(out, v.letter)
		}
	}
	return out
}

// frameGone tears down the instances of a frame device leaving its stack.
func (e *Engine) frameGone(d *device) {
	if len(d.inst) == 0 {
		return
	}
	e.t.in()
	for _, in := range d.inst {
		e.t.opOn(KindDetach, d.st.key(), InstanceDown{FrameDevice: d.ref, Driver: in.mf.short, Volume: d.st.key(), Altitude: in.alt.String(), Instance: in.name, Reason: TeardownDismount})
	}
	e.t.out()
	d.inst = nil
}

// TeardownReason is the FLTFL_INSTANCE_TEARDOWN_* reason an instance
// teardown is given.
type TeardownReason uint8

const (
	TeardownManual   TeardownReason = 0x1 // FilterDetach (fltmc detach)
	TeardownUnload   TeardownReason = 0x2 // the minifilter unloads
	TeardownDismount TeardownReason = 0x8 // the volume is dismounted, or FltMgr's frame leaves it
)

// fltLeft runs after devices left stack s: a volume FltMgr has left has no
// instance setup waiting.
func (e *Engine) fltLeft(s *stack) {
	if s.bottom.role == RoleVDO && len(e.frameDevsOn(s)) == 0 {
		s.bottom.vol.fltPending = false
	}
}

// UnloadMinifilter unloads a minifilter as FltMgr does: it calls the
// filter's FilterUnloadCallback, which calls FltUnregisterFilter, and that
// tears down each instance (volumes by letter) with InstanceTeardownStart
// and InstanceTeardownComplete (rule 27). Its frame stays.
func (e *Engine) UnloadMinifilter(name string) ([]Event, error) {
	m, err := e.mini(name)
	if err != nil {
		return nil, err
	}
	e.t.op(KindCall, FilterUnloadCb{Driver: m.short})
	e.t.in()
	e.t.op(KindCall, FltUnregister{Driver: m.short})
	e.t.in()
	for _, v := range sortedVolumes(e.volumes) {
		if v.vdo == nil {
			continue
		}
		for _, d := range e.frameDevsOn(v.vdo.st) {
			e.dropInstances(d, m, "", TeardownUnload)
		}
	}
	e.t.out()
	e.t.out()
	delete(e.flt.minis, m.key)
	return e.t.take(), nil
}

// dropInstances tears down m's instances on frame device d (only the one
// named inst, if given) and says how many went.
func (e *Engine) dropInstances(d *device, m *minifilter, inst string, reason TeardownReason) int {
	keep := d.inst[:0]
	n := 0
	for _, in := range d.inst {
		if in.mf == m && (inst == "" || strings.EqualFold(in.name, inst)) {
			e.t.opOn(KindDetach, d.st.key(), InstanceDown{FrameDevice: d.ref, Driver: m.short, Volume: d.st.key(), Altitude: in.alt.String(), Instance: in.name, Reason: reason})
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
// manual instance of a minifilter on a volume, at its altitude or alt. The
// altitude must fall in the minifilter's own frame: all its instances are
// there (rule 26).
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
	fr, widen, _ := e.framePlace(a)
	if fr != m.frame {
		where := "a new frame above a legacy filter"
		if fr != nil {
			where = fmt.Sprintf("frame %d (altitudes %s to %s)", fr.id, fr.low, fr.high)
		}
		return nil, fail(ErrWrongFrame, "altitude %s belongs in %s, but every instance of %s is in its frame %d (altitudes %s to %s): choose an altitude in that range",
			a, where, m.key, m.frame.id, m.frame.low, m.frame.high)
	}
	d := v.vdo.st.frameDev(e.flt.drv, fr)
	if d == nil {
		return nil, fail(ErrNotAttached, "%s's frame %d is not on %s (it left with a legacy filter below it); dismount and mount %s to bring it back", m.key, fr.id, v.letter, v.letter)
	}
	if in, st := e.collision(d, a, inst); in != nil {
		return nil, e.collisionErr(v, in, st, a, inst)
	}
	e.t.op(KindCall, FltmcAttach{Driver: m.short, Volume: v.letter, Altitude: a.String(), Instance: inst})
	e.t.in()
	if widen {
		e.placeFrame(m.short, a)
	}
	e.setupInstance(d, m, a, inst, true, false)
	e.t.out()
	return e.t.take(), nil
}

// collisionErr is the refusal of an instance that collides with in.
func (e *Engine) collisionErr(v *volume, in *instance, st Status, a Altitude, inst string) error {
	if st == StatusFltAltitudeCollision {
		return failStatus(ErrAltitudeCollision, st,
			"%s has %s's instance %q at altitude %s already: one instance per altitude per volume; choose another altitude", v.letter, in.mf.key, in.name, in.alt)
	}
	return failStatus(ErrAlreadyAttached, st, "%s already has an instance named %q (%s's, at %s): one instance per name per volume; name it with -i", v.letter, in.name, in.mf.key, in.alt)
}

// FltmcDetach is fltmc detach (FilterDetach): FltMgr asks the instance's
// InstanceQueryTeardown first, and tears it down only if that returns
// STATUS_SUCCESS; a minifilter without the callback cannot be detached by
// hand (rule 27).
func (e *Engine) FltmcDetach(name, vol, inst string) ([]Event, error) {
	m, err := e.mini(name)
	if err != nil {
		return nil, err
	}
	v, err := e.mountedVolume(vol)
	if err != nil {
		return nil, err
	}
	name0, d, err := e.detachable(m, v, inst)
	if err != nil {
		return nil, err
	}
	e.t.op(KindCall, FltmcDetach{Driver: m.short, Volume: v.letter, Instance: name0})
	e.t.in()
	e.t.status(StatusSuccess, QueryTeardown{FrameDevice: d.ref, Driver: m.short, Volume: v.letter, Instance: name0})
	e.dropInstances(d, m, name0, TeardownManual)
	e.t.out()
	return e.t.take(), nil
}

// detachable finds m's instance on v to detach (the one named inst, or
// its only one) and checks that InstanceQueryTeardown lets it go.
func (e *Engine) detachable(m *minifilter, v *volume, inst string) (string, *device, error) {
	var names []string
	var dev *device
	for _, x := range e.frameDevsOn(v.vdo.st) {
		for _, in := range x.inst {
			if in.mf == m && (inst == "" || strings.EqualFold(in.name, inst)) {
				names, dev = append(names, in.name), x
			}
		}
	}
	switch {
	case len(names) == 0 && v.fltPending:
		return "", nil, fail(ErrNotAttached, "minifilter %q has no instance on %s yet: instance setup there waits for the first operation after the mount (io read %s runs it)", m.key, v.letter, v.letter)
	case len(names) == 0 && inst != "":
		return "", nil, fail(ErrNotAttached, "minifilter %q has no instance %q on %s", m.key, inst, v.letter)
	case len(names) == 0:
		return "", nil, fail(ErrNotAttached, "minifilter %q has no instance on %s", m.key, v.letter)
	case len(names) > 1:
		return "", nil, fail(ErrBadOption, "minifilter %q has %d instances on %s (%s): name one with -i", m.key, len(names), v.letter, strings.Join(names, ", "))
	case m.noQuery:
		return names[0], dev, failStatus(ErrDetachRefused, StatusFltDoNotDetach,
			"%s registers no InstanceQueryTeardown callback (loaded with --no-query-teardown), so its instance %q on %s cannot be detached by hand; nothing changes (minifilter unload %s tears it down)",
			m.key, names[0], v.letter, m.key)
	case m.refuseDetach:
		return names[0], dev, failStatus(ErrDetachRefused, StatusFltDoNotDetach,
			"%s!InstanceQueryTeardown(%s) returns STATUS_FLT_DO_NOT_DETACH (loaded with --refuse-detach): instance %q stays and nothing changes",
			m.key, v.letter, names[0])
	}
	return names[0], dev, nil
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

// FrameInfo describes a frame: its altitudes, the volumes and CDOs it is
// on, and its minifilters with their instances, as !fltkd.frames lists them.
type FrameInfo struct {
	ID        int
	Addr      string // the FLTP_FRAME's synthetic address
	Low, High string // the range, both ends included
	Volumes   []string
	CDOs      []string
	Filters   []FrameFilter // highest altitude first
}

// FrameFilter is a minifilter of a frame and its instances on every
// volume (volumes by letter, then highest altitude first).
type FrameFilter struct {
	Name, Addr, Altitude string
	Instances            []InstanceInfo
}

// InstanceInfo is one instance on a volume.
type InstanceInfo struct {
	Minifilter string
	Volume     string
	Altitude   string
	Frame      int
	Instance   string
	Manual     bool
	Addr       string // the FLT_INSTANCE's synthetic address
}

// Minifilters lists the loaded minifilters, highest altitude first.
func (e *Engine) Minifilters() []MinifilterInfo {
	ms := e.minisByAltitude()
	if len(ms) == 0 {
		return nil
	}
	count := make(map[*minifilter]int, len(ms))
	for _, r := range e.instanceRefs("") {
		count[r.in.mf]++
	}
	out := make([]MinifilterInfo, 0, len(ms))
	for _, m := range ms {
		out = append(out, MinifilterInfo{Name: m.short, Altitude: m.alt.String(), Frame: m.frame.id, Group: m.group, Instances: count[m]})
	}
	return out
}

// minisByAltitude lists the loaded minifilters, highest altitude first,
// those of one altitude by name.
func (e *Engine) minisByAltitude() []*minifilter {
	ms := e.sortedMinis()
	slices.SortStableFunc(ms, func(a, b *minifilter) int { return b.alt.Cmp(a.alt) })
	return ms
}

// Frames lists FltMgr's frames, bottom first.
func (e *Engine) Frames() []FrameInfo {
	if e.flt == nil {
		return nil
	}
	// Gathered once for every frame: the minifilters, their instances in
	// Instances' order, and the stacks a frame device may be on.
	ms := e.minisByAltitude()
	refs := e.instanceRefs("")
	// Each minifilter's instances, in Instances' order, are a piece of
	// one list: counted first, then placed.
	next := make(map[*minifilter]int, len(ms))
	for _, r := range refs {
		next[r.in.mf]++
	}
	end := 0
	for _, m := range ms {
		end += next[m]
		next[m] = end - next[m] // where its first instance goes
	}
	all := make([]InstanceInfo, len(refs))
	for _, r := range refs {
		all[next[r.in.mf]] = r.info()
		next[r.in.mf]++
	}
	of := make(map[*minifilter][]InstanceInfo, len(ms))
	start := 0
	for _, m := range ms {
		if next[m] > start {
			of[m] = all[start:next[m]:next[m]]
		}
		start = next[m]
	}
	var stacks []*stack // CDOs by name, then volumes by letter, as frameDevices walks them
	for _, c := range e.sortedCDOs() {
		stacks = append(stacks, c.st)
	}
	for _, v := range sortedVolumes(e.volumes) {
		if v.vdo != nil {
			stacks = append(stacks, v.vdo.st)
		}
	}
	var out []FrameInfo
	for _, f := range e.flt.frames {
		fi := FrameInfo{ID: f.id, Addr: f.addr, Low: f.low.String(), High: f.high.String()}
		for _, m := range ms {
			if m.frame == f {
				fi.Filters = append(fi.Filters, FrameFilter{Name: m.short, Addr: m.addr, Altitude: m.alt.String(), Instances: of[m]})
			}
		}
		for _, s := range stacks {
			if s.frameDev(e.flt.drv, f) == nil {
				continue
			}
			if s.bottom.role == RoleVDO {
				fi.Volumes = append(fi.Volumes, s.key())
			} else {
				fi.CDOs = append(fi.CDOs, s.key())
			}
		}
		out = append(out, fi)
	}
	return out
}

// Instances lists the instances on one volume (or on every volume, by
// letter, if vol is ""), highest altitude first.
func (e *Engine) Instances(vol string) []InstanceInfo {
	refs := e.instanceRefs(vol)
	if len(refs) == 0 {
		return nil
	}
	out := make([]InstanceInfo, len(refs))
	for i, r := range refs {
		out[i] = r.info()
	}
	return out
}

// instRef is an instance, the volume it is on and its frame's number.
type instRef struct {
	in    *instance
	v     *volume
	frame int
}

func (r instRef) info() InstanceInfo {
	return InstanceInfo{Minifilter: r.in.mf.short, Volume: r.v.letter, Altitude: r.in.alt.String(), Frame: r.frame,
		Instance: r.in.name, Manual: r.in.manual, Addr: r.in.addr}
}

// instanceRefs is Instances before each instance is described.
func (e *Engine) instanceRefs(vol string) []instRef {
	if e.flt == nil {
		return nil
	}
	// Made at the size of one instance of each minifilter per volume, the
	// usual count, rather than grown from nothing.
	n := len(e.flt.minis)
	if vol == "" {
		n *= len(e.volumes)
	}
	out := make([]instRef, 0, n)
	for _, v := range sortedVolumes(e.volumes) {
		if v.vdo == nil || (vol != "" && !strings.EqualFold(vol, v.letter)) {
			continue
		}
		start := len(out)
		for _, d := range e.frameDevsOn(v.vdo.st) {
			for _, in := range d.inst {
				out = append(out, instRef{in, v, d.frame.id})
			}
		}
		slices.SortStableFunc(out[start:], func(a, b instRef) int { return b.in.alt.Cmp(a.in.alt) })
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
		fmt.Fprintf(b, "frame %d %s-%s %s\n", f.id, f.low, f.high, f.addr)
	}
	for _, m := range e.sortedMinis() {
		fmt.Fprintf(b, "minifilter %s %q alt %s group %q inst %q noauto %t frame %d order %d refuse %t noquery %t complete %q %s\n",
			m.key, m.short, m.alt, m.group, m.inst, m.noAuto, m.frame.id, m.order, m.refuseDetach, m.noQuery, m.completeOps.words(), m.addr)
	}
	fmt.Fprintf(b, "flt order %d objs %d pending %v\n", e.flt.order, e.flt.objs, e.PendingVolumes())
}

// dumpInst writes a frame device's instances for Dump.
func dumpInst(b *strings.Builder, d *device) {
	if d.frame == nil {
		return
	}
	fmt.Fprintf(b, "[frame %d", d.frame.id)
	for _, in := range d.inst {
		fmt.Fprintf(b, " %s@%s/%s/%t/%s", in.mf.key, in.alt, in.name, in.manual, in.addr)
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
	// "frame-missing", "pending", "collided" or "detached".
	Absent string
	Above  []string // legacy filters above its frame's device, lowest first
	Below  []string // legacy filters below it, top first
	// NextFrame is the frame above its frame, if there is one, with its
	// lowest altitude; Low and Highest are its own frame's range.
	NextFrame    int
	NextFrameLow string
	Low, Highest string
	// Pending: the volume's instance setup waits for its first operation.
	Pending bool
	// Collision, when Absent is "collided": the status its automatic
	// instance got, and the instance it collides with: Holder's
	// HolderInstance at HolderAltitude.
	Collision                              Status
	Holder, HolderInstance, HolderAltitude string
	Rules                                  []int
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
	w.Highest = m.frame.high.String()
	w.Low = m.frame.low.String()
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
		switch {
		case m.noAuto:
			w.Absent = "no-auto"
		case s.bottom.vol.fltPending:
			w.Absent, w.Pending = "pending", true
		default:
			if in, st := e.collision(d, m.alt, m.inst); in != nil {
				w.Absent, w.Collision = "collided", st
				w.Holder, w.HolderInstance, w.HolderAltitude = in.mf.short, in.name, in.alt.String()
			}
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

// FltmcRow is one row of fltmc filters: a minifilter, or a legacy filter
// (Legacy set, Frame unused) with the altitude fltmc derives from its load
// order group ("" without one).
type FltmcRow struct {
	Name      string
	Legacy    bool
	Altitude  string
	Group     string
	Frame     int
	Instances int
}

// FltmcFilters lists the rows of fltmc filters in stack order, top first,
// as real captures show them: each frame's minifilters, highest altitude
// first, with the legacy filters between the frames they sit between (on
// the first stack each is on: volumes by letter, then CDOs by name), the
// higher first; legacy filters on no stack come last, by name (rule 28).
func (e *Engine) FltmcFilters() []FltmcRow {
	if e.flt == nil {
		return nil
	}
	type legacy struct {
		row          FltmcRow
		below, above int // the frame below it (-1: none, -2: on no stack), devices between
	}
	var legs []legacy
	for _, d := range sortedDrivers(e.drivers) {
		if !d.isFilter() || d.fltmgr {
			continue
		}
		l := legacy{row: FltmcRow{Name: d.short, Legacy: true, Group: d.group}, below: -2}
		if !d.alt.IsZero() {
			l.row.Altitude = d.alt.String()
		}
		if dev := e.firstDevice(d); dev != nil {
			l.below = -1
			for x := dev.below; x != nil; x = x.below {
				if x.drv.fltmgr {
					l.below = x.frame.id
					break
				}
				l.above++
			}
		}
		legs = append(legs, l)
	}
	sort.SliceStable(legs, func(i, j int) bool {
		if legs[i].below != legs[j].below {
			return legs[i].below > legs[j].below
		}
		return legs[i].above > legs[j].above
	})
	minis := e.Minifilters()
	var out []FltmcRow
	k := 0
	for f := len(e.flt.frames) - 1; f >= -2; f-- {
		for ; k < len(legs) && legs[k].below == f; k++ {
			out = append(out, legs[k].row)
		}
		for _, m := range minis {
			if f >= 0 && m.Frame == f {
				out = append(out, FltmcRow{Name: m.Name, Altitude: m.Altitude, Group: m.Group, Frame: f, Instances: m.Instances})
			}
		}
	}
	return out
}

// firstDevice is d's device on the first stack it is on: volumes by
// letter, then CDOs by name.
func (e *Engine) firstDevice(d *driver) *device {
	for _, v := range sortedVolumes(e.volumes) {
		if v.vdo != nil && v.vdo.st.member(d) != nil {
			return v.vdo.st.member(d)
		}
	}
	for _, c := range e.sortedCDOs() {
		if x := c.st.member(d); x != nil {
			return x
		}
	}
	return nil
}
