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
		real := storageAddr(v)
		v.realS, v.vpbS = hex16(real), hex16(real+vpbOffset)
		e.volumes[letter] = v
	}
	// Formats are names: case does not matter, and they are kept lower case.
	reformatted := opt.Format != "" && remount && strings.ToLower(opt.Format) != v.format
	if opt.Format != "" {
		v.format = strings.ToLower(opt.Format)
	}

	switch {
	case reformatted:
		e.t.op(KindNote, Reformatted{Volume: v.letter, Format: v.format})
	case remount:
		e.t.op(KindNote, Remount{Volume: v.letter})
	}
	e.t.op(KindIrp, FirstAccess{Volume: v.letter, Storage: v.storage, Media: v.media, Format: v.format})
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
		e.t.op(KindIrp, MountScan{Queue: q})
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
				e.t.op(KindNote, ScanRestart{Queue: q})
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
	e.t.op(KindIrp, MountToCDO{CDO: cdo.ref, Bare: s.top == cdo})
	e.t.in()
	defer e.t.out()
	var vdo *device
	p := &irp{major: MjFileSystemControl, minor: "IRP_MN_MOUNT_VOLUME", quiet: true}
	// Rule 17: each filter that saw the request attaches to the new volume
	// in its completion routine, lowest first.
	completed := func(d *device, _ Status) {
		e.t.op(KindCallback, MountCompletion{Device: d.ref})
		e.t.in()
		if vdo.st.like(d) != nil {
			e.t.op(KindSkip, SkipAttachedTo{Volume: v.letter})
		} else {
			e.attachDev(d.drv, d.frame, vdo.st, OriginMount)
		}
		e.t.out()
	}
	return e.dispatch(s, p, func() Status {
		switch {
		case cdo.isRecognizer():
			k := cdo.drv.recLoads[cdo]
			if cdo.drv.recState[cdo] == recTransparent {
				e.t.status(StatusFsDriverRequired, RecTransparent{Recognizer: cdo.ref, Driver: k.short})
				return StatusFsDriverRequired
			}
			if !slices.Contains(k.formats, v.format) {
				e.t.status(StatusUnrecognizedVolume, Answer{By: cdo.ref})
				return StatusUnrecognizedVolume
			}
			e.t.status(StatusFsDriverRequired, RecRecognizes{Recognizer: cdo.ref, Driver: k.short})
			return StatusFsDriverRequired
		case !cdo.drv.recognizes(v.format):
			e.t.status(StatusUnrecognizedVolume, Answer{By: cdo.ref})
			return StatusUnrecognizedVolume
		}
		vdo = e.claim(cdo, v)
		return StatusSuccess
	}, completed).Status
}

// claim: the file system creates an unnamed VDO, links it into the VPB and
// marks it mounted (rule 16). The mount's completion then runs bottom-up
// through the CDO's stack (rule 17; see sendMount).
func (e *Engine) claim(cdo *device, v *volume) *device {
	vdo := e.newDevice(cdo.drv, RoleVDO, cdo.typ, "")
	vdo.vol = v
	vdo.setLabels()
	v.vdo = vdo
	newStack(vdo)
	what := v.format
	if cdo.drv.kind == kindRaw {
		what = "anything"
	}
	e.t.opOn(KindClaim, v.letter, Claim{CDO: cdo.ref, Volume: v.letter, What: what})
	e.t.in()
	e.t.op(KindCall, CreateVDO{VDO: vdo.ref})
	vdo.why = e.t.parentChain()
	if cdo.drv.kind == kindRaw {
		e.t.op(KindNote, e.rawHint(v))
	}
	e.t.out()
	e.t.status(StatusSuccess, Answer{})
	return vdo
}

// Dismount is FSCTL_DISMOUNT_VOLUME: the request passes down the volume's
// stack, so every filter sees it (sfilter only logs it); the file system
// marks the volume dismounted and completes it, and the completions run
// back up. Then, its last reference gone, the file system deletes the VDO
// and each filter above it gets FastIoDetachDevice, lowest first. The
// storage volume stays, unmounted (rule 24).
func (e *Engine) Dismount(vol string) ([]Event, error) {
	v, err := e.mountedVolume(vol)
	if err != nil {
		return nil, err
	}
	vdo := v.vdo
	e.t.op(KindIrp, Dismount{Volume: v.letter, Storage: v.storage})
	e.t.in()
	e.runPending(v, "FSCTL_DISMOUNT_VOLUME")
	e.dispatch(vdo.st, &irp{major: MjFileSystemControl, minor: "FSCTL_DISMOUNT_VOLUME"}, func() Status {
		e.t.status(StatusSuccess, DismountMark{VDO: vdo.ref})
		return StatusSuccess
	}, nil)
	e.t.opOn(KindDetach, v.letter, DismountDelete{VDO: vdo.ref})
	e.teardown(vdo.st)
	v.vdo = nil
	e.t.op(KindNote, StaysUnmounted{Volume: v.letter, Storage: v.storage})
	e.t.out()
	return e.t.take(), nil
}

// rawHint says why RAW, which claims whatever reaches it, got v: nothing
// else is registered in the queue, or nothing there recognizes the format;
// and, for a format a built-in file system reads, how to have it claimed.
func (e *Engine) rawHint(v *volume) RawHint {
	q := v.media.Queue()
	h := RawHint{Volume: v.letter, Queue: q, RawAlone: len(e.queues[q]) == 1, Format: v.format}
	if k := knownForFormat(v.format); k != nil {
		h.Fix, h.FS, h.FSShort = RawFixRegister, k.key, k.short
		if e.drivers[k.key] != nil {
			h.Fix = RawFixElsewhere
		}
	}
	return h
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
