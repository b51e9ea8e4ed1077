package engine

import (
	"fmt"
	"slices"
	"strings"
)

// MountOptions are the options of Mount. Empty Format means the volume's
// format (or the media's default for a new volume); MediaSet says --media was
// given.
type MountOptions struct {
	Format   string
	Media    Media
	MediaSet bool
}

// Mount stands for the first access to an unmounted volume: the I/O manager
// sends IRP_MN_MOUNT_VOLUME to the top of each CDO stack in the queue of the
// volume's media, head first, until a file system claims it; notify filters
// on the claiming CDO's stack then attach to the new VDO, lowest first
// (rules 15 to 20).
func (e *Engine) Mount(vol string, opt MountOptions) ([]Event, error) {
	letter, err := ParseVolume(vol)
	if err != nil {
		return nil, err
	}
	if opt.Format != "" && !ValidName(opt.Format) {
		return nil, fail(ErrBadName, "bad format %s: use 1 to 32 letters, digits, '_', '.' or '-'", Quote(opt.Format))
	}
	v := e.volumes[letter]
	switch {
	case v != nil && v.vdo != nil:
		return nil, fail(ErrAlreadyMounted, "volume %q is already mounted by %s (dismount it first)", letter, v.vdo.drv)
	case v != nil && opt.MediaSet && opt.Media != v.media:
		return nil, fail(ErrMediaMismatch, "volume %q is on %s media (%s) for life; it cannot become %s", letter, v.media, v.storage, opt.Media)
	}
	remount := v != nil
	if v == nil {
		v = &volume{letter: letter, media: opt.Media, format: opt.Media.defaultFormat()}
		n := e.storageCount[v.media]
		e.storageCount[v.media]++
		v.storage = v.media.storage(n)
		e.volumes[letter] = v
	}
	// Formats are names: case does not matter, and they are kept lower case.
	reformatted := opt.Format != "" && remount && strings.ToLower(opt.Format) != v.format
	if opt.Format != "" {
		v.format = strings.ToLower(opt.Format)
	}

	format := v.format
	if format == "" {
		format = "no known format"
	}
	switch {
	case reformatted:
		e.t.add(KindNote, "%s was reformatted: it now holds %s", v.letter, format)
	case remount:
		e.t.add(KindNote, "%s was dismounted: this access mounts it again, with a new VDO", v.letter)
	}
	e.t.add(KindIrp, "first access to %s (%s, %s media, %s): VPB_MOUNTED is clear", v.letter, v.storage, v.media, format)
	e.t.in()
	e.mountScan(v)
	e.t.out()
	return e.t.take(), nil
}

// mountScan walks the queue of v's media from the head. A recognizer that
// answers STATUS_FS_DRIVER_REQUIRED gets IRP_MN_LOAD_FILE_SYSTEM and the
// scan restarts from the head (rule 19). RAW, at the tail, claims anything.
func (e *Engine) mountScan(v *volume) {
	q := v.media.Queue()
	for {
		e.t.add(KindIrp, "IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME down the %s queue, head first", q)
		e.t.in()
		restart := false
		for _, cdo := range append([]*device(nil), e.queues[q]...) {
			st := e.sendMount(cdo, v)
			if st == StatusSuccess {
				e.t.out()
				return
			}
			if st == StatusFsDriverRequired {
				e.loadFromRecognizer(cdo)
				e.t.add(KindNote, "the mount scan restarts from the head of the %s queue", q)
				restart = true
				break
			}
		}
		e.t.out()
		if !restart {
			// Unreachable while RAW is the tail of every mounting queue.
			panic(fmt.Sprintf("engine: no file system claimed %s", v.letter))
		}
	}
}

// sendMount sends the mount request to the top of cdo's stack; every filter
// on the way sees it and passes it down. It returns the file system's
// answer.
func (e *Engine) sendMount(cdo *device, v *volume) Status {
	s := cdo.st
	if s.top == cdo {
		e.t.addText(KindIrp, "to "+cdo.name+" ("+cdo.drv.path+", nothing attached)")
	} else {
		e.t.addText(KindIrp, "to the top of "+cdo.name+"'s stack")
	}
	e.t.in()
	defer e.t.out()
	for d := s.top; d != cdo; d = d.below {
		e.t.addText(KindIrp, d.passLine)
	}
	switch {
	case cdo.isRecognizer():
		k := cdo.drv.recLoads[cdo]
		if cdo.drv.recState[cdo] == recTransparent {
			e.t.status(StatusFsDriverRequired, "%s, transparent since its partner loaded %s, answers any volume so that it is told to unregister", cdo.name, k.short)
			return StatusFsDriverRequired
		}
		if !slices.Contains(k.formats, v.format) {
			e.t.statusText(StatusUnrecognizedVolume, cdo.name)
			return StatusUnrecognizedVolume
		}
		e.t.status(StatusFsDriverRequired, "%s reads the boot sector: %s, whose driver is not loaded", cdo.name, k.short)
		return StatusFsDriverRequired
	case !cdo.drv.recognizes(v.format):
		e.t.statusText(StatusUnrecognizedVolume, cdo.name)
		return StatusUnrecognizedVolume
	}
	e.claim(cdo, v)
	return StatusSuccess
}

// claim: the file system creates an unnamed VDO, links it into the VPB and
// marks it mounted (rule 16); then the mount completes bottom-up through the
// CDO's stack and each filter there attaches to the new VDO (rule 17).
func (e *Engine) claim(cdo *device, v *volume) {
	vdo := e.newDevice(cdo.drv, RoleVDO, cdo.typ, "")
	vdo.vol = v
	vdo.setLabels()
	v.vdo = vdo
	newStack(vdo)
	what := v.format
	if cdo.drv.kind == kindRaw {
		what = "anything"
	}
	e.t.changed(KindClaim, v.letter, "%s recognizes %s and claims %s", cdo.longLabel(), what, v.letter)
	e.t.in()
	e.t.add(KindCall, "IoCreateDevice -> VDO %s (unnamed); Vpb->DeviceObject = VDO, VPB_MOUNTED", vdo.Addr())
	if cdo.drv.kind == kindRaw {
		e.t.addText(KindNote, e.rawHint(v))
	}
	e.t.out()
	e.t.status(StatusSuccess, "")
	if cdo.above == nil {
		return
	}
	e.t.add(KindIrp, "completion runs bottom-up through %s's stack", cdo.name)
	e.t.in()
	for d := cdo.above; d != nil; d = d.above {
		e.t.addText(KindCallback, d.label()+": mount completion")
		e.t.in()
		if vdo.st.members[d.drv] != nil {
			e.t.add(KindSkip, "skip: already attached to %s", v.letter)
		} else {
			e.attachFilter(d.drv, vdo.st, OriginMount)
		}
		e.t.out()
	}
	e.t.out()
}

// Dismount is FSCTL_DISMOUNT_VOLUME: the file system deletes the VDO and each
// filter above it gets FastIoDetachDevice, lowest first. The storage volume
// stays, unmounted (rule 24).
func (e *Engine) Dismount(vol string) ([]Event, error) {
	v, err := e.mountedVolume(vol)
	if err != nil {
		return nil, err
	}
	vdo := v.vdo
	e.t.add(KindIrp, "FSCTL_DISMOUNT_VOLUME on %s (%s)", v.letter, v.storage)
	e.t.in()
	e.t.changed(KindDetach, v.letter, "%s clears VPB_MOUNTED and deletes %s", vdo.drv, vdo.label())
	e.teardown(vdo.st)
	v.vdo = nil
	e.t.add(KindNote, "%s stays as %s, not mounted; the next access mounts it with a new VDO", v.letter, v.storage)
	e.t.out()
	return e.t.take(), nil
}

// rawHint says why RAW, which claims whatever reaches it, got v: nothing
// else is registered in the queue, or nothing there recognizes the format.
func (e *Engine) rawHint(v *volume) string {
	q := v.media.Queue()
	fix := ""
	if k := knownForFormat(v.format); k != nil {
		if e.drivers[k.key] == nil {
			fix = "; fs register " + k.key + " (or fs_rec), dismount " + v.letter + " and mount it again to have " + k.short + " claim it"
		} else {
			fix = " (" + k.short + " is registered, but has no CDO in the " + q.String() + " queue)"
		}
	}
	if len(e.queues[q]) == 1 {
		return "RAW claims " + v.letter + " because no file system but RAW is registered in the " + q.String() + " queue" + fix
	}
	what := v.format
	if what == "" {
		what = "a volume with no known format"
	}
	return "RAW claims " + v.letter + " because no file system in the " + q.String() + " queue recognizes " + what + fix
}

// knownForFormat returns the built-in file system that recognizes format f,
// if any.
func knownForFormat(f string) *knownFS {
	for _, k := range knownFileSystems {
		if slices.Contains(k.formats, f) {
			return k
		}
	}
	return nil
}
