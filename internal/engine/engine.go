package engine

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Engine is the simulated I/O manager and every driver loaded under it.
// The zero value is not usable; call New.
type Engine struct {
	profile Profile
	seq     int // device creation counter: addresses come from it

	drivers map[string]*driver // loaded drivers by lower-case short name
	// slots numbers the loaded drivers for the stacks' index (perf.go).
	slots   slotTable
	queues  [numQueues][]*device
	cdos    map[string]*device // registered CDOs by lower-case name
	volumes map[string]*volume // by drive letter, "C:"
	notify  []*driver          // registration-change routines, oldest first

	storageCount [3]int // next storage number per Media
	unloadNoted  bool   // rule 25: say once that unloading is unsafe
	// blockLegacy is the IoBlockLegacyFsFilters policy (rule 10): set in
	// the boot state only, kept by Reset, cleared by a profile change.
	blockLegacy bool

	flt *fltMgr // Filter Manager, once fltmgr load has run (fltmgr.go)
	// setupRan: the last SendIo ran a pending instance setup.
	setupRan bool

	t tracer
	// addrs formats device addresses in chunks (perf.go): a 100,000-verb
	// run creates 420,000 devices.
	addrs addrChunk
	// epoch counts reboots (Reset, a profile change): event IDs start
	// again at each (see Epoch).
	epoch int
}

type driverKind int

const (
	kindFS driverKind = iota
	kindRaw
	kindRecognizer
	kindFilter
)

// driver is a driver object, \FileSystem\<short>.
type driver struct {
	key   string // lower-case short name: the user-facing identity
	short string // as Windows spells it: Ntfs, fastfat, av
	kind  driverKind
	devs  *device // IoCreateDevice inserts at the head: newest first
	slot  int     // its place in every stack's members (perf.go)

	// file systems
	known    *knownFS
	cdos     []*device // in creation order
	formats  []string
	lowPrio  bool
	recLoads map[*device]*knownFS // recognizers: which file system a CDO stands for
	recState map[*device]recState

	// Strings every rendered stack row needs, made once by newDriver
	// rather than formatted again for each row of each listing.
	path  string // \FileSystem\<short>
	lower string // short in lower case

	// filters
	notifyRoutine bool // follows the sfilter pattern (attaches from callbacks)
	enumerate     bool
	attachRaw     bool
	ex            bool
	mountAware    bool   // registered with IoRegisterFsRegistrationChangeMountAware (rule 10)
	failOps       majors // operations it completes itself with STATUS_ACCESS_DENIED
	unloaded      bool   // a stale registration may still point at it (rule 25)
	fltmgr        bool   // \FileSystem\FltMgr: its devices are frames (fltmgr.go)
	// group is a legacy filter's load order group, if given, and alt the
	// altitude fltmc derives from it (rule 28).
	group string
	alt   Altitude
}

// newDriver makes a driver object, \FileSystem\<short>.
func newDriver(key, short string, kind driverKind) *driver {
	return &driver{key: key, short: short, kind: kind, path: `\FileSystem\` + short, lower: strings.ToLower(short)}
}

func (d *driver) String() string { return d.path }

func (d *driver) isFilter() bool { return d.kind == kindFilter }

// recognizes reports whether this file system claims a volume of format f.
func (d *driver) recognizes(f string) bool {
	return d.kind == kindRaw || slices.Contains(d.formats, f)
}

// device is a device object.
type device struct {
	id    int
	drv   *driver
	role  Role
	typ   FsType
	name  string // CDOs only: \Ntfs
	how   Origin
	lowPr bool // CDO registered with DO_LOW_PRIORITY_FILESYSTEM
	// registered: a CDO in its queue. A recognizer CDO stays, unregistered,
	// after its file system loads (rule 19).
	registered bool

	above, below *device // AttachedDevice, AttachedTo
	st           *stack
	vol          *volume // VDOs only

	prevDev, nextDev *device // the driver's device list

	// addrs is the device's address and its extension's, 16 hex digits
	// each, formatted once, at creation, since every listing prints them.
	// One string, not two, keeps the device in a smaller size class
	// (192 bytes, not 208): a 100,000-verb run creates 420,000 devices.
	addrs string
	// ref is the device as traces name it.
	ref *DeviceRef
	// why is the chain of events that put the device where it is: from the
	// verb's first event to its registration (a CDO), or to the event its
	// attach or its creation (a filter device, a VDO) happened inside: that
	// last event is said again from the device (see explain.go).
	why chain
	// landed is the device a filter device landed on when it attached.
	landed *DeviceRef

	// FltMgr's devices only: the frame the device stands for, and on a
	// volume the minifilter instances it hosts, highest altitude first.
	frame *frame
	inst  []*instance

	// pass is the device's latest PassDown payload, kept boxed: see
	// passDown.
	pass Payload
}

// passDown is the payload of d passing the IRP named irp down. Passing an
// IRP down is the commonest event (a mount sends the same request past the
// same filters again and again), so each device keeps its latest one boxed
// and shares it: a payload is a value no one changes, and the sharing saves
// an allocation per device per IRP. Performance only.
func (d *device) passDown(irp string) Payload {
	if p, ok := d.pass.(PassDown); !ok || p.Irp != irp || p.Device != d.ref {
		d.pass = PassDown{Device: d.ref, Irp: irp}
	}
	return d.pass
}

// addrBase is where synthetic device addresses start; each device created
// gets the next 4 KiB slot, so addresses depend only on creation order.
const addrBase = 0xffffa08000000000

// deviceAddr is the address of the device created id-th.
func deviceAddr(id int) uint64 { return addrBase + uint64(id)<<12 }

// Addr is the address as WinDbg prints it.
func (d *device) Addr() string { return d.addrs[:16] }

// devExt is the address of the device extension as !devstack prints it:
// CDOs have none.
func (d *device) devExt() string {
	if d.role == RoleCDO {
		return "00000000"
	}
	return d.addrs[16:]
}

// hex16 is fmt.Sprintf("%016x", x) without fmt's cost; stack listings
// print two of these per row.
func hex16(x uint64) string {
	var b [16]byte
	return string(appendHex16(b[:0], x))
}

// appendHex16 appends x as 16 hex digits.
func appendHex16(b []byte, x uint64) []byte {
	const digits = "0123456789abcdef"
	for i := 60; i >= 0; i -= 4 {
		b = append(b, digits[x>>i&0xf])
	}
	return b
}

// label names a device in an error message: "av ffffa08000003000",
// `\Ntfs` for CDOs, "C: VDO ffff…" for VDOs. Traces name devices through
// their DeviceRef, and the renderer's words; errors and invariant reports
// are rare, so the label is made when asked for.
func (d *device) label() string {
	switch {
	case d.role == RoleCDO:
		return d.name
	case d.role == RoleVDO:
		return d.vol.letter + " VDO " + d.Addr()
	case d.frame != nil:
		return d.drv.short + " frame " + strconv.Itoa(d.frame.id) + " " + d.Addr()
	}
	return d.drv.short + " " + d.Addr()
}

// longLabel adds the driver to a label: `\FileSystem\Ntfs \Ntfs`.
func (d *device) longLabel() string {
	if d.role == RoleFilter {
		return d.drv.path + " " + d.Addr()
	}
	return d.drv.path + " " + d.label()
}

// setLabels makes the device's DeviceRef for traces. A VDO gets it once it
// has its volume.
func (d *device) setLabels() {
	d.ref = &DeviceRef{ID: d.id, Addr: d.Addr(), Driver: d.drv.short, Role: d.role, Type: d.typ, Name: d.name}
	if d.vol != nil {
		d.ref.Volume = d.vol.letter
	}
}

// stack is a CDO or VDO and the filter device objects above it.
type stack struct {
	bottom, top *device
	n           int
	// members indexes the devices by their driver's slot (perf.go); read
	// it with member. FltMgr's there is its frame 0 device.
	members []*device
	frames  map[*frame]*device // FltMgr's devices of frames 1 and up
	// left records, for a filter whose device left this stack, the event
	// that removed it: explain says why a filter is not (or no longer) here.
	left departures
}

func (s *stack) key() string {
	if s.bottom.role == RoleVDO {
		return s.bottom.vol.letter
	}
	return s.bottom.name
}

// volume is a storage volume behind a drive letter and its VPB.
type volume struct {
	letter  string
	media   Media
	storage string // \Device\HarddiskVolume1, assigned at first mount
	// The addresses of its storage device object and VPB (storageAddr),
	// formatted once, at first mount: every listing of the volume's stack
	// carries them.
	realS, vpbS string
	format      string
	vdo         *device // Vpb->DeviceObject; nil while VPB_MOUNTED is clear
	// fltPending: FltMgr's frames attached to this VDO in the mount's
	// completion and instance setup waits for the first operation on the
	// volume (rule 27).
	fltPending bool
	// left records, for a filter whose device left the volume's stack (this
	// VDO's or an earlier one's), the event that removed it.
	left departures
}

// leftRec is a filter device leaving a stack: the event, the stack's
// bottom (a volume outlives its VDOs), and the MODEL rule that made it go:
// 23 a detach below or of it, 24 its CDO or VDO deleted, 25 its unload.
type leftRec struct {
	drv    *driver // the filter whose device left
	chain  chain   // the verb's first event down to the removal, or to its cause
	bottom int
	rule   int
	// A device torn down because the one below it went (FastIoDetachDevice)
	// shares its teardown's chain, which ends at that cause; these say the
	// rest, so a teardown of many devices copies no event per device.
	dev, on *DeviceRef
	stack   string
}

// events is the removal's chain, root first, ending with the removal.
func (l leftRec) events() []Event {
	evs := l.chain.events()
	if l.dev != nil && len(evs) > 0 {
		last := evs[len(evs)-1]
		evs = append(evs, Event{Cause: last.ID, Depth: last.Depth + 1, Kind: KindDetach, Op: OpFastIoDetach,
			Stack: l.stack, Data: FastIoDetach{Device: l.dev, Deleted: l.on}})
	}
	return evs
}

// New returns an engine in the boot state on the Windows XP profile.
func New() *Engine {
	e := &Engine{}
	e.reset(XP)
	return e
}

// Reset returns to the boot state, keeping the profile.
func (e *Engine) Reset() []Event {
	block, epoch := e.blockLegacy, e.epoch
	e.reset(e.profile)
	e.blockLegacy, e.epoch = block, epoch+1
	e.t.op(KindNote, Reset{Profile: e.profile})
	if block {
		// A registry value: it survives the reboot.
		e.t.in()
		e.t.op(KindNote, PolicyKept{})
		e.t.out()
	}
	return e.t.reboot()
}

func (e *Engine) reset(p Profile) {
	*e = Engine{
		profile: p,
		drivers: map[string]*driver{},
		cdos:    map[string]*device{},
		volumes: map[string]*volume{},
	}
	raw := newDriver("raw", "RAW", kindRaw)
	e.addDriver(raw)
	for _, c := range []struct {
		name string
		typ  FsType
	}{{`\Device\RawDisk`, Disk}, {`\Device\RawCdRom`, CdRom}, {`\Device\RawTape`, Tape}} {
		d := e.newDevice(raw, RoleCDO, c.typ, c.name)
		d.registered = true
		raw.cdos = append(raw.cdos, d)
		e.queues[c.typ] = append(e.queues[c.typ], d)
		e.cdos[strings.ToLower(c.name)] = d
		newStack(d)
	}
}

// Profile returns the OS profile.
func (e *Engine) Profile() Profile { return e.profile }

// caps is what the profile's kernel has.
func (e *Engine) caps() Caps { return profiles[e.profile].caps }

// SetProfile changes the OS profile. It is allowed only in the boot state:
// nothing registered but RAW, no filter loaded, no volume mounted.
func (e *Engine) SetProfile(p Profile) ([]Event, error) {
	if why := e.notBoot(); why != "" {
		return nil, fail(ErrNotBootState, "the OS profile can change only in the boot state, and %s; run reset first", why)
	}
	if p == e.profile {
		e.t.op(KindNote, ProfileSame{Profile: p})
		return e.t.take(), nil
	}
	epoch := e.epoch
	e.reset(p)
	e.epoch = epoch + 1
	e.t.op(KindNote, ProfileSet{Profile: p})
	e.t.in()
	c := p.Caps()
	if c.Replay {
		e.t.op(KindNote, XPReplays{})
	} else {
		e.t.op(KindNote, W2KNoReplay{})
		e.t.op(KindNote, W2KEx{Profile: p})
	}
	if c.MountAware {
		e.t.op(KindNote, HasMountAware{})
	}
	if c.BlockPolicy {
		e.t.op(KindNote, HasBlockPolicy{})
	}
	e.t.out()
	return e.t.reboot(), nil
}

// BlockLegacy reports whether the IoBlockLegacyFsFilters policy is on.
func (e *Engine) BlockLegacy() bool { return e.blockLegacy }

// SetBlockLegacy turns the IoBlockLegacyFsFilters policy on or off (rule
// 10). Only a profile with the policy has it, and, since Windows reads it at
// boot (it applies after a reboot), fssim sets it only in the boot state, as
// it sets the profile. Reset keeps it; a profile change clears it.
func (e *Engine) SetBlockLegacy(on bool) ([]Event, error) {
	if !e.caps().BlockPolicy {
		return nil, fail(ErrNotOnProfile, "the legacy-filter blocking policy (IoBlockLegacyFsFilters) does not exist on %s (%s): it came with Windows 10 1607; os win10 first, in the boot state",
			e.profile, e.profile.Title())
	}
	if why := e.notBoot(); why != "" {
		return nil, fail(ErrNotBootState, "policy block-legacy can change only in the boot state (Windows reads IoBlockLegacyFsFilters at boot, so a change applies after a reboot), and %s; run reset first", why)
	}
	if on == e.blockLegacy {
		e.t.op(KindNote, PolicySame{On: on})
		return e.t.take(), nil
	}
	e.blockLegacy = on
	e.t.op(KindNote, PolicySet{On: on})
	e.t.in()
	e.t.op(KindNote, PolicyRegistry{On: on})
	e.t.out()
	return e.t.take(), nil
}

// notBoot says why the engine is not in the boot state, or "".
func (e *Engine) notBoot() string {
	var what []string
	for _, d := range sortedDrivers(e.drivers) {
		if d.kind == kindRaw {
			continue
		}
		if d.isFilter() {
			what = append(what, fmt.Sprintf("filter %q is loaded", d.key))
		} else {
			what = append(what, fmt.Sprintf("%q is registered", d.key))
		}
	}
	for _, v := range sortedVolumes(e.volumes) {
		if v.vdo != nil {
			what = append(what, fmt.Sprintf("%s is mounted", v.letter))
		} else {
			what = append(what, fmt.Sprintf("%s exists (dismounted)", v.letter))
		}
	}
	for _, d := range e.notify {
		if d.unloaded {
			what = append(what, fmt.Sprintf("a stale notification routine of unloaded %q is still registered", d.key))
			break
		}
	}
	if len(what) == 0 {
		return ""
	}
	if len(what) > 3 {
		what = append(what[:3], fmt.Sprintf("%d more", len(what)-3))
	}
	return strings.Join(what, ", ")
}

// newDevice is IoCreateDevice: a new device object at the head of its
// driver's device list.
func (e *Engine) newDevice(drv *driver, role Role, typ FsType, name string) *device {
	e.seq++
	d := &device{id: e.seq, drv: drv, role: role, typ: typ, name: name}
	d.addrs = e.addrs.of(d.id)
	if role != RoleVDO { // a VDO's label needs its volume: see claim
		d.setLabels()
	}
	d.nextDev = drv.devs
	if drv.devs != nil {
		drv.devs.prevDev = d
	}
	drv.devs = d
	return d
}

// deleteDevice is IoDeleteDevice: the device leaves its driver's list. It
// must already be out of any stack.
func deleteDevice(d *device) {
	if d.prevDev != nil {
		d.prevDev.nextDev = d.nextDev
	} else {
		d.drv.devs = d.nextDev
	}
	if d.nextDev != nil {
		d.nextDev.prevDev = d.prevDev
	}
	d.prevDev, d.nextDev = nil, nil
}

func newStack(bottom *device) *stack {
	s := &stack{bottom: bottom, top: bottom, n: 1}
	s.put(bottom)
	bottom.st = s
	return s
}

// attach is IoAttachDeviceToDeviceStackSafe: src lands on the current top of
// s, whatever is there. It returns the device src landed on.
func attach(src *device, s *stack) *device {
	old := s.top
	src.below = old
	old.above = src
	s.top = src
	s.n++
	s.put(src)
	src.st = s
	return old
}

// detach is IoDetachDevice(d.below) with nothing above d: d leaves the top
// of its stack.
func detach(d *device) {
	s := d.st
	s.top = d.below
	d.below.above = nil
	s.drop(d)
	s.n--
	d.above, d.below, d.st = nil, nil, nil
}

// attachFilter creates a filter device object of the target's type and
// attaches it at the top of s, tracing where it landed. On Windows 2000,
// which lacks the Safe variant, sfilter calls IoAttachDeviceToDeviceStack
// (rule 21).
func (e *Engine) attachFilter(flt *driver, s *stack, how Origin) *device {
	return e.attachDev(flt, e.notifyFrame(flt), s, how)
}

// attachDev is attachFilter for a device of frame fr (nil but for FltMgr).
func (e *Engine) attachDev(flt *driver, fr *frame, s *stack, how Origin) *device {
	d := e.newDevice(flt, RoleFilter, s.bottom.typ, "")
	d.how = how
	if fr != nil {
		d.setFrame(fr)
	}
	on := attach(d, s)
	e.t.opOn(KindAttach, s.key(), Attach{Device: d.ref, LandedOn: on.ref, Bottom: s.bottom.ref, Safe: e.caps().SafeAttach, Origin: how})
	d.why, d.landed = e.t.parentChain(), on.ref
	if fr != nil && fr.id > 0 {
		// Explain asks a stack about FltMgr's frame 0 device only, so a
		// departure recorded before this device of another frame attached
		// must not answer for it.
		e.forgetLeftOn(s, flt)
	}
	// Otherwise flt's departure from s (or from the volume's earlier VDOs),
	// if recorded, stays: explain reads it only while flt has no device in
	// s, and the device just attached can leave only by a departure that
	// records itself over it (putLeft). Deleting it here cost an update of
	// the map at each attach and another at each departure.
	if fr != nil {
		e.frameAttached(d)
	}
	return d
}

// removeFilterDevice is a filter leaving a stack on its own initiative (a
// command, or FsActive=FALSE for a CDO): IoDetachDevice on the device below
// it, then IoDeleteDevice. IoDetachDevice does not rejoin the stack: the
// device above, if any, stays attached to the deleted device, so the I/O
// manager sends it FastIoDetachDevice, and so on up the stack (rule 23).
func (e *Engine) removeFilterDevice(d *device) {
	s := d.st
	key := s.key()
	e.t.opOn(KindDetach, key, Detach{Device: d.ref, Below: d.below.ref})
	if d.above != nil {
		e.t.in()
		e.t.op(KindNote, StaysAttached{Above: d.above.ref, Leaving: d.ref, Below: d.below.ref})
		e.t.out()
	}
	e.t.opOn(KindDetach, key, DeleteDevice{Device: d.ref})
	e.noteLeft(s, d, 23)
	e.cutFrom(d)
}

// noteLeft records that filter device d leaves stack s, with the event just
// traced, for the reason rule names.
func (e *Engine) noteLeft(s *stack, d *device, rule int) {
	if d.role != RoleFilter || len(e.t.events) == 0 {
		return
	}
	e.putLeft(s, d, leftRec{chain: e.t.chain(), bottom: s.bottom.id, rule: rule})
}

func (e *Engine) putLeft(s *stack, d *device, rec leftRec) {
	if s.bottom.role == RoleVDO {
		s.bottom.vol.left.set(d.drv, rec)
		return
	}
	s.left.set(d.drv, rec)
}

// forgetLeftOn drops what s, or its volume, recorded of flt's departure.
func (e *Engine) forgetLeftOn(s *stack, flt *driver) {
	s.left.forget(flt)
	if v := s.bottom.vol; v != nil {
		v.left.forget(flt)
	}
}

// teardown deletes the bottom of a stack (a VDO at dismount, a CDO when its
// file system unloads). Each filter device above it gets FastIoDetachDevice,
// lowest first, detaches and deletes itself (rule 24).
func (e *Engine) teardown(s *stack) {
	// The whole stack goes, and its index with it, at once: cutFrom's
	// drop of each device from the index is then a no-op.
	s.members, s.frames = nil, nil
	e.cutFrom(s.bottom)
	s.top = nil
	s.n = 0
}

// cutFrom deletes d, which is being deleted by its driver, and everything
// above it: each device above gets FastIoDetachDevice naming the device it
// was attached to (the one deleted just before it), detaches and deletes its
// own device, lowest first, as sfilter's and FileSpy's SfFastIoDetachDevice
// do (rules 23 and 24).
func (e *Engine) cutFrom(d *device) {
	s := d.st
	key := s.key()
	if d.below != nil {
		s.top = d.below
		d.below.above = nil
	}
	var cause chain // the deletion that starts the teardown, for explain
	if d.above != nil {
		cause = e.t.chain()
	}
	e.t.in()
	rule := 24 // the CDO or VDO goes
	if d.role == RoleFilter {
		rule = 23 // a filter left from below
	}
	gone := d
	for x := d; x != nil; {
		next := x.above
		if x != d {
			e.t.opOn(KindDetach, key, FastIoDetach{Device: x.ref, Deleted: gone.ref})
			e.putLeft(s, x, leftRec{chain: cause, bottom: s.bottom.id, rule: rule, dev: x.ref, on: gone.ref, stack: key})
		}
		e.frameGone(x)
		s.drop(x)
		s.n--
		x.above, x.below, x.st = nil, nil, nil
		deleteDevice(x)
		gone, x = x, next
	}
	e.fltLeft(s)
	e.t.out()
}

// isRecognizer reports whether a CDO belongs to \FileSystem\Fs_Rec.
func (d *device) isRecognizer() bool { return d.drv.kind == kindRecognizer }

// ValidName reports whether s is a valid driver name: 1 to 32 letters,
// digits, '_', '.' or '-'.
func ValidName(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '.', c == '-':
		default:
			return false
		}
	}
	return true
}

func checkName(what, s string) (string, error) {
	if !ValidName(s) {
		return "", fail(ErrBadName, "bad %s name %s: use 1 to 32 letters, digits, '_', '.' or '-'", what, Quote(s))
	}
	return strings.ToLower(s), nil
}

// ParseVolume reads a drive letter with a colon and returns it upper case.
func ParseVolume(s string) (string, error) {
	if c, ok := volumeLetter(s); ok {
		return driveNames[c-'A'], nil
	}
	return "", fail(ErrBadName, "bad volume %s: name a drive letter with a colon, like C:", Quote(s))
}

// IsVolume reports whether s is a drive letter with a colon, as ParseVolume
// reads one. It makes no error to say why not: callers that only ask
// (is this word a volume or a name?) ask once per verb.
func IsVolume(s string) bool {
	_, ok := volumeLetter(s)
	return ok
}

// volumeLetter is the upper-case letter of a drive letter with a colon.
func volumeLetter(s string) (byte, bool) {
	if len(s) != 2 || s[1] != ':' {
		return 0, false
	}
	c := s[0]
	if 'a' <= c && c <= 'z' {
		c -= 'a' - 'A'
	}
	return c, 'A' <= c && c <= 'Z'
}

// driveNames are "A:" to "Z:", so that reading a volume's name makes no
// string.
var driveNames = func() (n [26]string) {
	for i := range n {
		n[i] = string(rune('A'+i)) + ":"
	}
	return n
}()

// Quote quotes user text for a message: Go syntax, so control characters and
// escape sequences never reach a terminal raw, and at most 40 runes long.
func Quote(s string) string {
	cut := ""
	if r := []rune(s); len(r) > 40 {
		s, cut = string(r[:40]), "…"
	}
	if plain(s) {
		return `"` + s + `"` + cut // keep \Ntfs readable: no doubled backslashes
	}
	return fmt.Sprintf("%q", s) + cut
}

// plain reports whether s is valid UTF-8 of printable characters and holds
// no double quote, so quoting it needs no escapes.
func plain(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || r == '"' {
			return false
		}
	}
	return true
}

// NotBootState says why the lab is not in the boot state, or "" if it is:
// nothing registered but RAW, no filter loaded, no volume mounted.
func (e *Engine) NotBootState() string { return e.notBoot() }
