package engine

import (
	"fmt"
	"strings"
)

// FilterOptions are the options of LoadFilter.
type FilterOptions struct {
	// Notify: DriverEntry calls IoRegisterFsRegistrationChange and the filter
	// follows the sfilter pattern. Without it the filter waits for commands.
	Notify bool
	// NoEnumerate: the callback does not call IoEnumerateDeviceObjectList, so
	// volumes mounted before the filter loaded are missed (rule 14).
	NoEnumerate bool
	// AttachRaw: DriverEntry opens \Device\RawDisk and \Device\RawCdRom by
	// name and attaches to them, as sfilter does, since RAW is never reported.
	AttachRaw bool
	// Ex: register with IoRegisterFsRegistrationChangeEx, which gives the
	// Windows 2000 profile the replay.
	Ex bool
	// MountAware: register with IoRegisterFsRegistrationChangeMountAware
	// and SynchronizeWithMounts=TRUE, so no mount runs while the replay does
	// (rule 10; profiles with Caps.MountAware only).
	MountAware bool
	// Fail lists the operations the filter completes itself with
	// STATUS_ACCESS_DENIED instead of passing them down (see SendIo).
	Fail []Major
	// Group is the filter's load order group, if any: fltmc filters shows
	// the altitude Windows derives from it (rule 28).
	Group string
}

// LoadFilter loads a legacy file-system filter driver and runs its
// DriverEntry (rules 7, 8, 12, 14).
func (e *Engine) LoadFilter(name string, opt FilterOptions) ([]Event, error) {
	key, err := checkName("filter", name)
	if err != nil {
		return nil, err
	}
	if err := e.notFltName(key); err != nil {
		return nil, err
	}
	if d := e.drivers[key]; d != nil {
		if d.isFilter() {
			return nil, fail(ErrFilterLoaded, "filter %q is already loaded", key)
		}
		return nil, fail(ErrNameTaken, "%q is a file system (%s): a filter and a file system cannot share a name", key, d)
	}
	if reservedName(key) {
		return nil, fail(ErrNameTaken, "%q names a file system: a filter and a file system cannot share a name", key)
	}
	if !opt.Notify {
		for _, f := range []struct {
			set  bool
			flag string
		}{{opt.NoEnumerate, "--no-enumerate"}, {opt.AttachRaw, "--attach-raw"}, {opt.Ex, "--ex"}, {opt.MountAware, "--mount-aware"}} {
			if f.set {
				return nil, fail(ErrBadOption, "%s needs --notify: only a filter that registers for file system notifications attaches on its own", f.flag)
			}
		}
	}
	if opt.MountAware && opt.Ex {
		return nil, fail(ErrBadOption, "--mount-aware and --ex name two different routines (IoRegisterFsRegistrationChangeMountAware, IoRegisterFsRegistrationChangeEx): choose one")
	}
	if opt.Ex && !e.caps().Ex {
		return nil, e.noEx()
	}
	if opt.MountAware && !e.caps().MountAware {
		return nil, fail(ErrNotOnProfile, "--mount-aware: IoRegisterFsRegistrationChangeMountAware does not exist on the %s profile (%s): it came with Windows 7; os win7 or os win10 first, in the boot state",
			e.profile, e.profile.Title())
	}
	var group *LoadOrderGroup
	if opt.Group != "" {
		g, err := FindGroup(opt.Group)
		if err != nil {
			return nil, err
		}
		group = &g
	}
	d := newDriver(key, name, kindFilter)
	d.enumerate, d.attachRaw = !opt.NoEnumerate, opt.AttachRaw
	if group != nil {
		d.group, d.alt = group.Name, group.legacyAltitude()
	}
	for _, m := range opt.Fail {
		if m >= MjFileSystemControl {
			return nil, fail(ErrBadOption, "--fail takes %s", strings.Join(ioNames[:], ", "))
		}
		d.failOps |= 1 << m
	}
	if opt.Notify && e.blockLegacy {
		return nil, e.blocked(d, registerAPIName(opt.Ex, opt.MountAware), "its DriverEntry fails with it, so the load fails")
	}
	e.addDriver(d)
	e.t.op(KindCall, DriverEntry{Driver: d.short})
	e.t.in()
	if !opt.Notify {
		e.t.op(KindNote, NoNotify{Driver: d.short})
	} else {
		// Registration cannot fail for a newly loaded driver: it is the last
		// to register only if it registered before.
		e.registerNotification(d, opt.Ex, opt.MountAware)
		if opt.AttachRaw {
			e.openRawByName(d)
		}
	}
	e.t.out()
	return e.t.take(), nil
}

// openRawByName has d open RAW's disk and CD-ROM control devices by name
// and run its routine on each, as a filter (or FltMgr) that wants RAW's
// volumes must: RAW is never reported to registration-change routines
// (rule 14).
func (e *Engine) openRawByName(d *driver) {
	for _, n := range []string{`\Device\RawDisk`, `\Device\RawCdRom`} {
		cdo := e.cdos[strings.ToLower(n)]
		e.t.op(KindCall, OpenByName{CDO: cdo.ref, Driver: d.short})
		e.t.in()
		e.callback(d, cdo, true, OriginByName)
		e.t.out()
	}
}

// RegisterNotification makes a loaded filter call
// IoRegisterFsRegistrationChange (or the Ex variant) now. Registering the
// same routine twice in a row, with no other registration in between, fails
// with STATUS_DEVICE_ALREADY_ATTACHED (rule 9).
func (e *Engine) RegisterNotification(name string, ex bool) ([]Event, error) {
	d, err := e.filter(name)
	if err != nil {
		return nil, err
	}
	api := registerAPIName(ex, false)
	if ex && !e.caps().Ex {
		return nil, e.noEx()
	}
	if e.blockLegacy {
		return nil, e.blocked(d, api, "nothing changes")
	}
	if n := len(e.notify); n > 0 && e.notify[n-1] == d {
		return nil, failStatus(ErrAlreadyRegistered, StatusDeviceAlreadyAttach,
			"%s(%s) again: %s's routine is already the last one registered", api, d, d.short)
	}
	e.t.op(KindCall, LateRegister{Driver: d.short, Ex: ex})
	e.t.in()
	e.registerNotification(d, ex, false)
	e.t.out()
	return e.t.take(), nil
}

// noEx refuses IoRegisterFsRegistrationChangeEx on Windows 2000 as shipped
// (rule 8).
func (e *Engine) noEx() error {
	return fail(ErrNotOnProfile, "--ex: IoRegisterFsRegistrationChangeEx does not exist on the %s profile (%s): it came with the Windows 2000 SP4 Update Rollup, "+
		"with IoEnumerateDeviceObjectList and IoAttachDeviceToDeviceStackSafe; os w2ksp4 (in the boot state) has it", e.profile, e.profile.Title())
}

// registerAPIName names the registration routine a filter calls.
func registerAPIName(ex, mountAware bool) string {
	switch {
	case mountAware:
		return "IoRegisterFsRegistrationChangeMountAware"
	case ex:
		return "IoRegisterFsRegistrationChangeEx"
	}
	return "IoRegisterFsRegistrationChange"
}

// blocked is the refusal of a registration under the IoBlockLegacyFsFilters
// policy (rule 10): the routine returns STATUS_NOT_SUPPORTED.
func (e *Engine) blocked(d *driver, api, then string) error {
	return failStatus(ErrBlockedByPolicy, StatusNotSupported,
		`%s(%s) returns STATUS_NOT_SUPPORTED and %s: the policy blocks legacy file system filters `+
			`(IoBlockLegacyFsFilters=1 under HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\I/O System, `+
			`which Windows applies after a reboot and logs as event 1205); a filter loaded without --notify never calls it `+
			`and still loads, and policy block-legacy off (in the boot state) lifts the block`,
		api, d, then)
}

// registerNotification is IoRegisterFsRegistrationChange[Ex]: append the
// routine, then on XP (or with Ex) call it at once for every registered file
// system but RAW, in replay order (rule 7).
//
// With mountAware it is IoRegisterFsRegistrationChangeMountAware with
// SynchronizeWithMounts=TRUE (rule 10): the call waits for mounts in
// progress and holds new ones back until the replay is done. fssim runs one
// verb at a time, so no mount is ever in flight; the trace shows the lock
// taken before the replay and released after it, as notes.
func (e *Engine) registerNotification(d *driver, ex, mountAware bool) {
	again := d.notifyRoutine
	d.notifyRoutine = true
	d.ex = d.ex || ex
	d.mountAware = d.mountAware || mountAware
	e.notify = append(e.notify, d)
	e.t.op(KindCall, RegisterNotify{Driver: d.short, Ex: ex, MountAware: mountAware})
	e.t.in()
	if mountAware {
		e.t.op(KindNote, MountLock{Driver: d.short})
	}
	if again {
		e.t.op(KindNote, RegisteredTimes{Driver: d.short, Times: e.registrations(d)})
	}
	switch {
	case !e.caps().Replay && !ex:
		e.t.op(KindNote, W2KNoReplayFor{Driver: d.short})
	default:
		var cdos []*device
		for _, q := range replayOrder {
			for _, cdo := range e.queues[q] {
				if cdo.drv.kind != kindRaw {
					cdos = append(cdos, cdo)
				}
			}
		}
		if len(cdos) == 0 {
			e.t.op(KindNote, ReplayNone{})
		} else {
			e.t.op(KindNote, Replay{CDOs: len(cdos)})
		}
		for _, cdo := range cdos {
			e.callback(d, cdo, true, OriginNotify)
		}
	}
	if mountAware {
		e.t.op(KindNote, MountUnlock{Driver: d.short})
	}
	e.t.status(StatusSuccess, Answer{})
	e.t.out()
}

// registrations counts the entries of d in the notification list.
func (e *Engine) registrations(d *driver) int {
	n := 0
	for _, x := range e.notify {
		if x == d {
			n++
		}
	}
	return n
}

// notifyAll calls every registered routine, oldest first, for one CDO
// (rule 4).
func (e *Engine) notifyAll(cdo *device, active bool) {
	for _, d := range append([]*driver(nil), e.notify...) {
		if d.unloaded {
			// Rule 25: the entry a second registration left behind.
			e.t.op(KindNote, NotifyStale{Driver: d.short})
			continue
		}
		e.callback(d, cdo, active, OriginNotify)
	}
}

// callback is a filter's notification routine, written the way sfilter's
// SfFsNotification is (rules 12 and 13).
func (e *Engine) callback(d *driver, cdo *device, active bool, how Origin) {
	e.t.op(KindCallback, Callback{Driver: d.short, CDO: cdo.ref, Active: active})
	e.t.in()
	defer e.t.out()
	s := cdo.st
	if !active {
		if dev := s.member(d); dev != nil {
			e.removeFilterDevice(dev)
		} else {
			e.t.op(KindSkip, NotAttachedCDO{Driver: d.short, CDO: cdo.ref})
		}
		return
	}
	if cdo.typ == Tape {
		e.t.op(KindSkip, SkipTape{CDO: cdo.ref})
		return
	}
	if cdo.isRecognizer() {
		e.t.op(KindSkip, SkipRecognizer{CDO: cdo.ref})
		return
	}
	if s.member(d) != nil {
		e.t.op(KindSkip, SkipAttachedCDO{Driver: d.short, CDO: cdo.ref})
		return
	}
	e.attachFilter(d, s, how)
	if d.fltmgr {
		e.fltCallback(d, s)
	}
	// For RAW too: sfilter runs the same attach path for \Device\RawDisk,
	// so on XP it enumerates the volumes RAW has already claimed.
	e.enumerate(d, cdo)
}

// enumerate attaches d to every volume cdo's file system has mounted, newest
// VDO first, as SfEnumerateFileSystemVolumes does: it lists every device of
// the driver object and skips those whose device type differs from the CDO's
// (rule 12), so \Fat's enumeration leaves FAT CD-ROM volumes to \FatCdrom's,
// and \Device\RawDisk's never reaches RAW's CD-ROM or tape volumes.
func (e *Engine) enumerate(d *driver, cdo *device) {
	fs := cdo.drv
	var all, vdos []*device // every VDO newest first; those of cdo's type
	for x := fs.devs; x != nil; x = x.nextDev {
		if x.role == RoleVDO {
			all = append(all, x)
			if x.typ == cdo.typ {
				vdos = append(vdos, x)
			}
		}
	}
	noAPI := !e.caps().Enumerate
	if (noAPI || !d.enumerate) && len(vdos) > 0 {
		// Windows 2000 has no IoEnumerateDeviceObjectList; --no-enumerate
		// does not call it.
		e.t.op(KindSkip, EnumMissed{Driver: d.short, NoAPI: noAPI, Volumes: letters(vdos)})
	}
	if noAPI || !d.enumerate {
		return
	}
	e.t.op(KindCall, Enumerate{Driver: fs.short, VDOs: len(all)})
	e.t.in()
	for _, v := range all {
		switch {
		case v.typ != cdo.typ:
			e.t.op(KindSkip, EnumSkipType{VDO: v.ref, CDO: cdo.ref})
		case v.st.member(d) != nil:
			e.t.op(KindSkip, EnumSkipHas{VDO: v.ref})
		default:
			e.attachFilter(d, v.st, OriginEnumerate)
		}
	}
	e.t.out()
}

// letters lists the drive letters of VDOs, in the order given.
func letters(vdos []*device) []string {
	names := make([]string, 0, len(vdos))
	for _, v := range vdos {
		names = append(names, v.vol.letter)
	}
	return names
}

func (e *Engine) filter(name string) (*driver, error) {
	key, err := checkName("filter", name)
	if err != nil {
		return nil, err
	}
	d := e.drivers[key]
	if d != nil && d.fltmgr {
		return nil, fail(ErrFltMgr, "FltMgr is Filter Manager: it attaches by itself and is never unloaded; minifilter and fltmc verbs work with it")
	}
	if d == nil || !d.isFilter() {
		if d != nil {
			return nil, fail(ErrFilterNotLoaded, "%q is a file system, not a filter", key)
		}
		return nil, fail(ErrFilterNotLoaded, "filter %q is not loaded %s", key,
			orDidYouMean(key, e.Names(true), fmt.Sprintf("(filter load %s first)", name)))
	}
	return d, nil
}

func (e *Engine) mountedVolume(name string) (*volume, error) {
	letter, err := ParseVolume(name)
	if err != nil {
		return nil, err
	}
	v := e.volumes[letter]
	if v == nil || v.vdo == nil {
		return nil, fail(ErrNotMounted, "volume %q is not mounted (mount %s first)", letter, letter)
	}
	return v, nil
}

// UnloadFilter unloads a filter (rules 11 and 25). The I/O manager defers an
// unload while any device sits above one of the driver's devices
// (IopCheckUnloadDriver: AttachedDevice is not NULL); fssim refuses it and
// changes nothing. Otherwise DriverUnload calls
// IoUnregisterFsRegistrationChange once, which removes one entry of the
// routine, then detaches every device, newest first (the order of
// IoEnumerateDeviceObjectList), then deletes them.
func (e *Engine) UnloadFilter(name string) ([]Event, error) {
	d, err := e.filter(name)
	if err != nil {
		return nil, err
	}
	var devs []*device // newest first
	for x := d.devs; x != nil; x = x.nextDev {
		devs = append(devs, x)
	}
	if err := unloadBlocked(d, devs); err != nil {
		return nil, err
	}
	e.t.op(KindCall, DriverUnload{Driver: d.short})
	e.t.in()
	if !e.unloadNoted {
		e.unloadNoted = true
		e.t.op(KindNote, UnsafeUnload{})
	}
	if n := e.registrations(d); n > 0 {
		for i, x := range e.notify {
			if x == d {
				e.notify = append(e.notify[:i:i], e.notify[i+1:]...)
				break
			}
		}
		e.t.op(KindCall, UnregNotify{Driver: d.short})
		if n > 1 {
			e.t.in()
			e.t.op(KindNote, UnregOneEntry{Driver: d.short, Before: n})
			e.t.out()
		}
	}
	for _, x := range devs {
		e.t.opOn(KindDetach, x.st.key(), Detach{Device: x.ref, Below: x.below.ref})
		detach(x)
	}
	for _, x := range devs {
		e.t.op(KindDetach, DeleteDevice{Device: x.ref})
		deleteDevice(x)
	}
	e.t.out()
	d.unloaded = true
	e.removeDriver(d)
	e.forgetLeft(d)
	return e.t.take(), nil
}

// forgetLeft drops what the stacks recorded of d's devices leaving them
// (leftRec), once d is unloaded. Explain asks those records about a loaded
// filter only, and a filter loaded again under the same name is a new
// driver object, so d's records can never be read again; kept, they grew
// each volume's map by one entry per unloaded driver for good (2,000 in a
// 100,000-verb run), and the map's updates on every attach and detach with
// it: 7% of the run's time.
func (e *Engine) forgetLeft(d *driver) {
	for _, v := range e.volumes {
		v.left.forget(d)
	}
	for _, fs := range e.drivers {
		for _, c := range fs.cdos {
			if c.st != nil {
				c.st.left.forget(d)
			}
		}
	}
}

// UnloadBlocked returns the error UnloadFilter would refuse a loaded
// filter's unload with because a device sits above one of its devices, or
// nil; it changes nothing. Other refusals (no such filter) are UnloadFilter's.
func (e *Engine) UnloadBlocked(name string) error {
	d, err := e.filter(name)
	if err != nil {
		return nil
	}
	var devs []*device
	for x := d.devs; x != nil; x = x.nextDev {
		devs = append(devs, x)
	}
	return unloadBlocked(d, devs)
}

// unloadBlocked says why IopCheckUnloadDriver would defer d's unload: a
// device attached above one of d's devices. It names the oldest such device
// of d, for a stable message.
func unloadBlocked(d *driver, devs []*device) error {
	var blocked []*device
	for i := len(devs) - 1; i >= 0; i-- { // oldest first
		if devs[i].above != nil {
			blocked = append(blocked, devs[i])
		}
	}
	if len(blocked) == 0 {
		return nil
	}
	x := blocked[0]
	more := ""
	if n := len(blocked) - 1; n > 0 {
		more = fmt.Sprintf(" (and on %d more stack(s))", n)
	}
	return fail(ErrUnloadDeferred, "cannot unload %q: %s is attached above %s on %s%s, and the I/O manager defers an unload while a device sits above one of the driver's (IopCheckUnloadDriver); unload or detach %s first",
		d.key, x.above.longLabel(), x.label(), x.st.key(), more, x.above.drv.key)
}

// AttachFilter attaches a filter to a mounted volume because a user-mode
// program asked it to: the new device lands at the top of the volume's stack
// at that moment (rules 21, 22).
func (e *Engine) AttachFilter(name, vol string) ([]Event, error) {
	d, err := e.filter(name)
	if err != nil {
		return nil, err
	}
	v, err := e.mountedVolume(vol)
	if err != nil {
		return nil, err
	}
	if v.vdo.st.member(d) != nil {
		return nil, failStatus(ErrAlreadyAttached, StatusDeviceAlreadyAttach, "filter %q is already attached to %s", d.key, v.letter)
	}
	if e.blockLegacy {
		// Rule 10: the policy blocks legacy filters "from loading or
		// attaching to storage volumes"; the status is fssim's choice.
		return nil, failStatus(ErrBlockedByPolicy, StatusNotSupported,
			"%s(%s, %s VDO) fails with STATUS_NOT_SUPPORTED and nothing changes: the IoBlockLegacyFsFilters policy blocks legacy file system filters "+
				"from loading or attaching to storage volumes (Filter Manager is not blocked, and minifilters keep working); policy block-legacy off (in the boot state) lifts the block",
			attachAPIName(e.caps().SafeAttach), d, v.letter)
	}
	e.t.op(KindCall, CommandAttach{Driver: d.short, Volume: v.letter})
	e.t.in()
	if d.notifyRoutine {
		e.t.op(KindNote, AlsoNotify{Driver: d.short})
	}
	e.attachFilter(d, v.vdo.st, OriginCommand)
	e.t.out()
	return e.t.take(), nil
}

// DetachFilter detaches a filter from a volume's stack, wherever it sits.
// The stack does not rejoin (rule 23): the device above stays attached to
// the detached one, gets FastIoDetachDevice when that is deleted and goes
// too, and so on up, so the filter and every device above it leave.
func (e *Engine) DetachFilter(name, vol string) ([]Event, error) {
	d, err := e.filter(name)
	if err != nil {
		return nil, err
	}
	v, err := e.mountedVolume(vol)
	if err != nil {
		return nil, err
	}
	dev := v.vdo.st.member(d)
	if dev == nil {
		return nil, fail(ErrNotAttached, "filter %q is not attached to %s", d.key, v.letter)
	}
	e.t.op(KindCall, CommandDetach{Driver: d.short, Volume: v.letter})
	e.t.in()
	e.removeFilterDevice(dev)
	e.t.out()
	return e.t.take(), nil
}

// attachAPIName names the attach routine sfilter calls on this profile.
func attachAPIName(safe bool) string {
	if safe {
		return "IoAttachDeviceToDeviceStackSafe"
	}
	return "IoAttachDeviceToDeviceStack"
}

// describeFilter is a one-line summary of how a filter finds volumes.
func describeFilter(d *driver) string {
	mode := describeAttach(d)
	if d.failOps != 0 {
		mode += "; fails " + d.failOps.words()
	}
	return mode
}

func describeAttach(d *driver) string {
	if !d.notifyRoutine {
		return "waits for commands"
	}
	parts := []string{"notify"}
	if d.ex {
		parts = append(parts, "ex")
	}
	if d.mountAware {
		parts = append(parts, "mount-aware")
	}
	if !d.enumerate {
		parts = append(parts, "no-enumerate")
	}
	if d.attachRaw {
		parts = append(parts, "attach-raw")
	}
	return strings.Join(parts, ", ")
}
