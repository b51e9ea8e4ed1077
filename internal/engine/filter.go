package engine

import (
	"sort"
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
}

// LoadFilter loads a legacy file-system filter driver and runs its
// DriverEntry (rules 7, 8, 12, 14).
func (e *Engine) LoadFilter(name string, opt FilterOptions) ([]Event, error) {
	key, err := checkName("filter", name)
	if err != nil {
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
		}{{opt.NoEnumerate, "--no-enumerate"}, {opt.AttachRaw, "--attach-raw"}, {opt.Ex, "--ex"}} {
			if f.set {
				return nil, fail(ErrBadOption, "%s needs --notify: only a filter that registers for file system notifications attaches on its own", f.flag)
			}
		}
	}
	d := newDriver(key, name, kindFilter)
	d.enumerate, d.attachRaw = !opt.NoEnumerate, opt.AttachRaw
	e.drivers[key] = d
	e.t.add(KindCall, "DriverEntry(%s)", d)
	e.t.in()
	if !opt.Notify {
		e.t.add(KindNote, "no IoRegisterFsRegistrationChange: %s attaches only when a user-mode command tells it to", d.short)
	} else {
		// Registration cannot fail for a newly loaded driver: it is the last
		// to register only if it registered before.
		e.registerNotification(d, opt.Ex)
		if opt.AttachRaw {
			for _, n := range []string{`\Device\RawDisk`, `\Device\RawCdRom`} {
				cdo := e.cdos[strings.ToLower(n)]
				e.t.add(KindCall, "IoGetDeviceObjectPointer(%s): RAW is never reported, so %s opens it by name", n, d.short)
				e.t.in()
				e.callback(d, cdo, true, OriginByName)
				e.t.out()
			}
		}
	}
	e.t.out()
	return e.t.take(), nil
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
	api := "IoRegisterFsRegistrationChange"
	if ex {
		api += "Ex"
	}
	if n := len(e.notify); n > 0 && e.notify[n-1] == d {
		return nil, failStatus(ErrAlreadyRegistered, StatusDeviceAlreadyAttach,
			"%s(%s) again: %s's routine is already the last one registered", api, d, d.short)
	}
	e.t.add(KindCall, "%s calls %s late, from a running driver", d.short, api)
	e.t.in()
	e.registerNotification(d, ex)
	e.t.out()
	return e.t.take(), nil
}

// registerNotification is IoRegisterFsRegistrationChange[Ex]: append the
// routine, then on XP (or with Ex) call it at once for every registered file
// system but RAW, in replay order (rule 7).
func (e *Engine) registerNotification(d *driver, ex bool) {
	api := "IoRegisterFsRegistrationChange"
	if ex {
		api += "Ex"
	}
	again := d.notifyRoutine
	d.notifyRoutine = true
	d.ex = d.ex || ex
	e.notify = append(e.notify, d)
	e.t.add(KindCall, "%s(%s, %s!FsNotification)", api, d, d.short)
	e.t.in()
	if again {
		e.t.add(KindNote, "%s's routine is now registered %d times: it will be called once per registration", d.short, e.registrations(d))
	}
	switch {
	case e.profile == W2K && !ex:
		e.t.add(KindNote, "Windows 2000: no replay; file systems registered before %s are not reported (IoRegisterFsRegistrationChangeEx would report them)", d.short)
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
			e.t.add(KindNote, "replay: no file system registered but RAW, which is never reported")
		} else {
			e.t.add(KindNote, "replay: %d registered file system CDO(s), RAW never reported; network, cdrom, disk, tape queues, each from the head", len(cdos))
		}
		for _, cdo := range cdos {
			e.callback(d, cdo, true, OriginNotify)
		}
	}
	e.t.status(StatusSuccess, "")
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
		e.callback(d, cdo, active, OriginNotify)
	}
}

// callback is a filter's notification routine, written the way sfilter's
// SfFsNotification is (rules 12 and 13).
func (e *Engine) callback(d *driver, cdo *device, active bool, how Origin) {
	e.t.addText(KindCallback, d.short+"!FsNotification("+cdo.name+", FsActive="+boolName(active)+")")
	e.t.in()
	defer e.t.out()
	s := cdo.st
	if !active {
		if dev := s.members[d]; dev != nil {
			e.removeFilterDevice(dev)
		} else {
			e.t.add(KindSkip, "%s is not attached to %s: nothing to do", d.short, cdo.name)
		}
		return
	}
	if cdo.isRecognizer() {
		e.t.add(KindSkip, "skip: %s belongs to %s, a recognizer", cdo.name, cdo.drv)
		return
	}
	if s.members[d] != nil {
		e.t.add(KindSkip, "skip: %s is already attached to %s", d.short, cdo.name)
		return
	}
	e.attachFilter(d, s, how)
	// For RAW too: sfilter runs the same attach path for \Device\RawDisk,
	// so on XP it enumerates the volumes RAW has already claimed.
	e.enumerate(d, cdo.drv)
}

// enumerate attaches d to every volume the file system has mounted, newest
// VDO first, as SfEnumerateFileSystemVolumes does (rule 12).
func (e *Engine) enumerate(d *driver, fs *driver) {
	var vdos []*device
	for x := fs.devs; x != nil; x = x.nextDev {
		if x.role == RoleVDO {
			vdos = append(vdos, x)
		}
	}
	missed := func(why string) {
		if len(vdos) == 0 {
			return
		}
		var names []string
		for _, v := range vdos {
			names = append(names, v.vol.letter)
		}
		e.t.add(KindSkip, "%s: %s stays unfiltered by %s", why, strings.Join(names, ", "), d.short)
	}
	switch {
	case e.profile == W2K:
		missed("no IoEnumerateDeviceObjectList on Windows 2000")
		return
	case !d.enumerate:
		missed("no IoEnumerateDeviceObjectList (--no-enumerate)")
		return
	}
	e.t.add(KindCall, "IoEnumerateDeviceObjectList(%s): %d volume device object(s), newest first", fs, len(vdos))
	e.t.in()
	for _, v := range vdos {
		if v.st.members[d] != nil {
			e.t.add(KindSkip, "skip %s (already attached)", v.vol.letter)
			continue
		}
		e.attachFilter(d, v.st, OriginEnumerate)
	}
	e.t.out()
}

func boolName(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

func (e *Engine) filter(name string) (*driver, error) {
	key, err := checkName("filter", name)
	if err != nil {
		return nil, err
	}
	d := e.drivers[key]
	if d == nil || !d.isFilter() {
		if d != nil {
			return nil, fail(ErrFilterNotLoaded, "%q is a file system, not a filter", key)
		}
		return nil, fail(ErrFilterNotLoaded, "filter %q is not loaded (filter load %s first)", key, name)
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

// UnloadFilter unloads a filter: it unregisters its routine, then detaches
// and deletes every device object it has, oldest first (rules 11, 25).
func (e *Engine) UnloadFilter(name string) ([]Event, error) {
	d, err := e.filter(name)
	if err != nil {
		return nil, err
	}
	e.t.add(KindCall, "DriverUnload(%s)", d)
	e.t.in()
	if !e.unloadNoted {
		e.unloadNoted = true
		e.t.add(KindNote, "a real legacy filter cannot be unloaded safely (IRPs in flight can complete into freed code); fssim allows it")
	}
	kept := e.notify[:0]
	for _, x := range e.notify {
		if x == d {
			e.t.add(KindCall, "IoUnregisterFsRegistrationChange(%s, %s!FsNotification)", d, d.short)
			continue
		}
		kept = append(kept, x)
	}
	e.notify = kept
	var devs []*device
	for x := d.devs; x != nil; x = x.nextDev {
		devs = append(devs, x)
	}
	sort.Slice(devs, func(i, j int) bool { return devs[i].id < devs[j].id })
	for _, x := range devs {
		e.removeFilterDevice(x)
	}
	e.t.out()
	delete(e.drivers, d.key)
	return e.t.take(), nil
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
	if v.vdo.st.members[d] != nil {
		return nil, failStatus(ErrAlreadyAttached, StatusDeviceAlreadyAttach, "filter %q is already attached to %s", d.key, v.letter)
	}
	e.t.addText(KindCall, d.short+": a user-mode program asks it to attach to "+v.letter)
	e.t.in()
	if d.notifyRoutine {
		e.t.add(KindNote, "%s also registered for notifications: a filter that attaches only when directed should not call IoRegisterFsRegistrationChange", d.short)
	}
	e.attachFilter(d, v.vdo.st, OriginCommand)
	e.t.out()
	return e.t.take(), nil
}

// DetachFilter detaches a filter from a volume's stack, wherever it sits;
// the device above it joins the device below it (rule 23).
func (e *Engine) DetachFilter(name, vol string) ([]Event, error) {
	d, err := e.filter(name)
	if err != nil {
		return nil, err
	}
	v, err := e.mountedVolume(vol)
	if err != nil {
		return nil, err
	}
	dev := v.vdo.st.members[d]
	if dev == nil {
		return nil, fail(ErrNotAttached, "filter %q is not attached to %s", d.key, v.letter)
	}
	e.t.addText(KindCall, d.short+": a user-mode program asks it to detach from "+v.letter)
	e.t.in()
	e.removeFilterDevice(dev)
	e.t.out()
	return e.t.take(), nil
}

// describeFilter is a one-line summary of how a filter finds volumes.
func describeFilter(d *driver) string {
	if !d.notifyRoutine {
		return "waits for commands"
	}
	parts := []string{"notify"}
	if d.ex {
		parts = append(parts, "ex")
	}
	if !d.enumerate {
		parts = append(parts, "no-enumerate")
	}
	if d.attachRaw {
		parts = append(parts, "attach-raw")
	}
	return strings.Join(parts, ", ")
}
