package render

import (
	"strconv"

	"github.com/fssim/fssim/internal/engine"
)

// The words of a trace. The engine reports each step as data (an Op and the
// devices, drivers and names it involves); this file is the one place that
// says it in English. Lines are appended to a byte slice piece by piece, so
// a long trace costs no string per line. With brief set, device addresses
// are left out ("av" for "av ffffa08000005000").

// EventText is one event's line, without indentation.
func EventText(e engine.Event, brief bool) string {
	return string(appendEvent(nil, e, brief))
}

// appendLabel appends how a trace names a device: `\Ntfs` for a CDO,
// "C: VDO ffff…" for a VDO, "av ffff…" for a filter device.
func appendLabel(b []byte, d *engine.DeviceRef, brief bool) []byte {
	if d == nil {
		return append(b, '?')
	}
	switch d.Role {
	case engine.RoleCDO:
		return append(b, d.Name...)
	case engine.RoleVDO:
		b = cat(b, d.Volume, " VDO")
	default:
		b = append(b, d.Driver...)
		if d.IsFrame {
			b = strconv.AppendInt(append(b, " frame "...), int64(d.Frame), 10)
		}
	}
	if !brief {
		b = cat(b, " ", d.Addr)
	}
	return b
}

// appendLongLabel adds the driver: `\FileSystem\Ntfs \Ntfs`,
// `\FileSystem\av ffff…`.
func appendLongLabel(b []byte, d *engine.DeviceRef, brief bool) []byte {
	b = appendDriver(b, d.Driver)
	if d.IsFrame {
		b = strconv.AppendInt(append(b, " frame "...), int64(d.Frame), 10)
	}
	if d.Role == engine.RoleFilter {
		if brief {
			return b
		}
		return cat(b, " ", d.Addr)
	}
	return appendLabel(append(b, ' '), d, brief)
}

// appendDriver appends a driver object's name, \FileSystem\<short>.
func appendDriver(b []byte, short string) []byte {
	return cat(b, `\FileSystem\`, short)
}

func appendStatus(b []byte, st engine.Status) []byte { return append(b, st.String()...) }

// cat appends words to b.
func cat(b []byte, words ...string) []byte {
	for _, w := range words {
		b = append(b, w...)
	}
	return b
}

// join appends words joined by sep.
func join(b []byte, words []string, sep string) []byte {
	for i, w := range words {
		if i > 0 {
			b = append(b, sep...)
		}
		b = append(b, w...)
	}
	return b
}

// appendEvent appends one event's line: the words of its payload, said by
// its family's function.
func appendEvent(b []byte, e engine.Event, brief bool) []byte {
	if f := e.Op.Family(); f < engine.NumFamilies {
		if out, ok := families[f](b, e, brief); ok {
			return out
		}
	}
	return cat(b, "? ", e.Op.String())
}

// families say the events of each family of Ops, one function each: it
// returns false for a payload it has no words for.
var families = [engine.NumFamilies]func(b []byte, e engine.Event, brief bool) ([]byte, bool){
	engine.FamilySession:    appendSession,
	engine.FamilyFileSystem: appendFileSystem,
	engine.FamilyCallback:   appendCallback,
	engine.FamilyAttach:     appendAttach,
	engine.FamilyMount:      appendMount,
	engine.FamilyIrp:        appendIrp,
	engine.FamilyFltMgr:     appendFltMgr,
}

// appendSession says resets, profiles, the policy and driver entry points.
func appendSession(b []byte, e engine.Event, _ bool) ([]byte, bool) {
	switch p := e.Data.(type) {
	case engine.Reset:
		return cat(b, "reset: back to the boot state (", p.Profile.Title(), "); only RAW is registered"), true
	case engine.ProfileSame:
		return cat(b, "profile is already ", p.Profile.String(), " (", p.Profile.Title(), ")"), true
	case engine.ProfileSet:
		return cat(b, "profile ", p.Profile.String(), ": ", p.Profile.Title()), true
	case engine.W2KNoReplay:
		return append(b, "IoRegisterFsRegistrationChange does not report file systems registered earlier"...), true
	case engine.W2KEx:
		if p.Profile.Caps().Ex {
			return append(b, "the Update Rollup adds IoRegisterFsRegistrationChangeEx (filter load --ex), which does, and IoEnumerateDeviceObjectList and IoAttachDeviceToDeviceStackSafe; sfilter still never enumerates here, since it tests the OS version (IS_WINDOWSXP_OR_LATER), not the routine"...), true
		}
		return append(b, "IoRegisterFsRegistrationChangeEx, IoEnumerateDeviceObjectList and IoAttachDeviceToDeviceStackSafe do not exist: all three came with the SP4 Update Rollup (os w2ksp4)"...), true
	case engine.XPReplays:
		return append(b, "IoRegisterFsRegistrationChange replays every registered file system but RAW"...), true
	case engine.HasMountAware:
		return append(b, "IoRegisterFsRegistrationChangeMountAware exists (filter load --notify --mount-aware): with SynchronizeWithMounts=TRUE no mount runs during the replay"...), true
	case engine.HasBlockPolicy:
		return append(b, "the IoBlockLegacyFsFilters policy exists (policy block-legacy on): it blocks legacy filters from registering (STATUS_NOT_SUPPORTED) and from attaching to volumes; Filter Manager keeps working"...), true
	case engine.PolicySame:
		return cat(b, "policy block-legacy is already ", onOff(p.On)), true
	case engine.PolicySet:
		if p.On {
			return append(b, "policy block-legacy on: legacy filters cannot load with --notify or attach to volumes (STATUS_NOT_SUPPORTED); Filter Manager is not blocked"...), true
		}
		return append(b, "policy block-legacy off: legacy filters may register for file system notifications"...), true
	case engine.PolicyRegistry:
		b = append(b, `HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\I/O System: IoBlockLegacyFsFilters=`...)
		if p.On {
			b = append(b, '1')
		} else {
			b = append(b, '0')
		}
		return append(b, "; Windows reads it at boot, so it applies after a reboot: fssim sets it only in the boot state"...), true
	case engine.PolicyKept:
		return append(b, "policy block-legacy stays on: IoBlockLegacyFsFilters is a registry value, and the reboot reads it again"...), true
	case engine.DriverEntry:
		return append(appendDriver(append(b, "DriverEntry("...), p.Driver), ')'), true
	case engine.FSUnloads:
		return append(appendDriver(b, p.Driver), " unloads"...), true
	case engine.DriverUnload:
		return append(appendDriver(append(b, "DriverUnload("...), p.Driver), ')'), true
	}
	return b, false
}

// appendFileSystem says file systems registering, the recognizer, status
// answers and notification routines being registered.
func appendFileSystem(b []byte, e engine.Event, brief bool) ([]byte, bool) {
	switch p := e.Data.(type) {
	case engine.RegisterFS:
		b = cat(b, "IoRegisterFileSystem(", p.CDO.Name, "): ", p.CDO.Type.String())
		switch p.Place {
		case engine.QueueBeforeEnd:
			return cat(b, " queue, low priority: just before the last entry, ", p.Before), true
		case engine.QueueEmpty:
			return append(b, " queue, low priority: into the empty queue"...), true
		}
		return append(b, " queue, at the head"...), true
	case engine.NetworkNoMount:
		return cat(b, "a network file system gets no IRP_MN_MOUNT_VOLUME: it mounts no volumes, and remote files are opened through its own device, so a filter sees them by attaching to ", p.CDO.Name), true
	case engine.UnregisterFS:
		return cat(b, "IoUnregisterFileSystem(", p.CDO.Name, "): leaves the ", p.CDO.Type.String(), " queue"), true
	case engine.RecLoaded:
		return cat(b, p.Driver, " is loaded already: no recognizer for it"), true
	case engine.RecNothing:
		return append(b, "every file system fs_rec knows is loaded: it registers nothing"...), true
	case engine.LoadFSIrp:
		b = cat(b, "IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_LOAD_FILE_SYSTEM to the top of ", p.Recognizer.Name, "'s stack (")
		return append(appendLongLabel(b, p.Top, brief), ')'), true
	case engine.ZwLoadDriver:
		return cat(b, `ZwLoadDriver(\Registry\Machine\System\CurrentControlSet\Services\`, p.Driver, ")"), true
	case engine.NameCollision:
		b = cat(b, p.Driver, " DriverEntry: IoCreateDevice(", p.Owner.Name, ") fails, ")
		return appendStatus(append(appendDriver(b, p.Owner.Driver), " owns that name: "...), e.Status), true
	case engine.Transparent:
		return cat(b, p.Partner.Name, ", ", p.Loaded.Name, "'s partner, turns transparent: it will answer the next mount with STATUS_FS_DRIVER_REQUIRED and then unregister"), true
	case engine.PartnerLoaded:
		return cat(b, p.Recognizer.Name, "'s partner has loaded ", p.Driver, " already: nothing to load"), true
	case engine.RecStays:
		return cat(b, p.Recognizer.Name, ` stays a device of \FileSystem\Fs_Rec, unregistered, until fs_rec unloads`), true
	case engine.RecTransparent:
		b = cat(b, p.Recognizer.Name, ", transparent since its partner loaded ", p.Driver, ", answers any volume so that it is told to unregister: ")
		return appendStatus(b, e.Status), true
	case engine.RecRecognizes:
		b = cat(b, p.Recognizer.Name, " reads the boot sector: ", p.Driver, ", whose driver is not loaded: ")
		return appendStatus(b, e.Status), true
	case engine.Answer:
		if p.By != nil {
			b = append(appendLabel(b, p.By, brief), ": "...)
		}
		return appendStatus(b, e.Status), true
	case engine.NotifyStale:
		return cat(b, p.Driver, "!FsNotification is still registered, but ", p.Driver, " is unloaded: Windows would call into freed memory and bug-check here; fssim skips the call"), true
	case engine.OpenByName:
		return cat(b, "IoGetDeviceObjectPointer(", p.CDO.Name, "): RAW is never reported, so ", p.Driver, " opens it by name"), true
	case engine.LateRegister:
		b = cat(b, p.Driver, " calls ", registerAPI(p.Ex))
		return append(b, " late, from a running driver"...), true
	case engine.RegisterNotify:
		if p.MountAware {
			b = appendDriver(append(b, "IoRegisterFsRegistrationChangeMountAware("...), p.Driver)
			return cat(b, ", ", p.Driver, "!FsNotification, SynchronizeWithMounts=TRUE)"), true
		}
		b = appendDriver(cat(b, registerAPI(p.Ex), "("), p.Driver)
		return cat(b, ", ", p.Driver, "!FsNotification)"), true
	case engine.MountLock:
		return append(b, "SynchronizeWithMounts=TRUE: takes the mount lock; a mount in progress completes first, and a new mount waits until the replay is done"...), true
	case engine.MountUnlock:
		return cat(b, "the replay is done: the mount lock is released, and the mounts that waited proceed (each sends IRP_MN_MOUNT_VOLUME past ", p.Driver, " on its file system's CDO)"), true
	case engine.RegisteredTimes:
		b = cat(b, p.Driver, "'s routine is now registered ", strconv.Itoa(p.Times))
		return append(b, " times: it will be called once per registration"...), true
	case engine.W2KNoReplayFor:
		return cat(b, "Windows 2000: no replay; file systems registered before ", p.Driver, " are not reported (IoRegisterFsRegistrationChangeEx, from the SP4 Update Rollup on, would report them)"), true
	case engine.ReplayNone:
		return append(b, "replay: no file system registered but RAW, which is never reported"...), true
	case engine.Replay:
		return cat(b, "replay: ", strconv.Itoa(p.CDOs), " registered file system CDO(s), RAW never reported; network, cdrom, disk, tape queues, each from the head"), true
	case engine.NoNotify:
		return cat(b, "no IoRegisterFsRegistrationChange: ", p.Driver, " attaches only when a user-mode command tells it to"), true
	}
	return b, false
}

// appendCallback says registration-change callbacks and enumerations.
func appendCallback(b []byte, e engine.Event, _ bool) ([]byte, bool) {
	switch p := e.Data.(type) {
	case engine.Callback:
		b = cat(b, p.Driver, "!FsNotification(", p.CDO.Name, ", FsActive=")
		if p.Active {
			return append(b, "TRUE)"...), true
		}
		return append(b, "FALSE)"...), true
	case engine.NotAttachedCDO:
		return cat(b, p.Driver, " is not attached to ", p.CDO.Name, ": nothing to do"), true
	case engine.SkipTape:
		return cat(b, "skip: ", p.CDO.Name, " is a tape file system ("+engine.Tape.DeviceType()+")", "; sfilter attaches only to disk, CD-ROM and network file systems"), true
	case engine.SkipRecognizer:
		return append(appendDriver(cat(b, "skip: ", p.CDO.Name, " belongs to "), p.CDO.Driver), ", a recognizer"...), true
	case engine.SkipAttachedCDO:
		return cat(b, "skip: ", p.Driver, " is already attached to ", p.CDO.Name), true
	case engine.EnumMissed:
		if p.NoAPI {
			b = append(b, "no enumeration on Windows 2000 (sfilter tests the OS version; IoEnumerateDeviceObjectList came only with the SP4 Update Rollup): "...)
		} else {
			b = append(b, "no IoEnumerateDeviceObjectList (--no-enumerate): "...)
		}
		b = join(b, p.Volumes, ", ")
		if len(p.Volumes) > 1 {
			b = append(b, " stay"...)
		} else {
			b = append(b, " stays"...)
		}
		return cat(b, " unfiltered by ", p.Driver), true
	case engine.Enumerate:
		b = append(appendDriver(append(b, "IoEnumerateDeviceObjectList("...), p.Driver), "): "...)
		return cat(b, strconv.Itoa(p.VDOs), " volume device object(s), newest first"), true
	case engine.EnumSkipType:
		b = cat(b, "skip ", p.VDO.Volume, " (a ", p.VDO.Type.String(), " volume: ")
		return cat(b, p.CDO.Name, "'s enumeration is for ", p.CDO.Type.String(), " volumes only)"), true
	case engine.EnumSkipHas:
		return cat(b, "skip ", p.VDO.Volume, " (already attached)"), true
	}
	return b, false
}

// appendAttach says devices attaching, detaching and being deleted, and
// filters told by commands.
func appendAttach(b []byte, e engine.Event, brief bool) ([]byte, bool) {
	switch p := e.Data.(type) {
	case engine.Attach:
		if p.Safe {
			b = append(b, "IoAttachDeviceToDeviceStackSafe("...)
		} else {
			b = append(b, "IoAttachDeviceToDeviceStack("...)
		}
		b = append(appendLabel(append(appendLabel(b, p.Device, brief), ", "...), p.Bottom, brief), ") -> landed on "...)
		return appendLongLabel(b, p.LandedOn, brief), true
	case engine.Detach:
		b = append(appendLabel(append(b, "IoDetachDevice("...), p.Below, brief), "): "...)
		return cat(appendLabel(b, p.Device, brief), " leaves ", e.Stack), true
	case engine.StaysAttached:
		b = append(appendLabel(append(appendLabel(b, p.Above, brief), " stays attached to "...), p.Leaving, brief), ": IoDetachDevice clears only "...)
		return append(appendLabel(b, p.Below, brief), "'s AttachedDevice and does not rejoin the stack"...), true
	case engine.DeleteDevice:
		return append(appendLabel(append(b, "IoDeleteDevice("...), p.Device, brief), ')'), true
	case engine.FastIoDetach:
		b = append(appendLabel(append(appendLabel(append(b, "FastIoDetachDevice("...), p.Device, brief), ", "...), p.Deleted, brief), "): "...)
		return cat(b, p.Device.Driver, " detaches and deletes its device"), true
	case engine.UnsafeUnload:
		return append(b, "a real legacy filter cannot be unloaded safely (IRPs in flight can complete into freed code); fssim allows it"...), true
	case engine.UnregNotify:
		b = appendDriver(append(b, "IoUnregisterFsRegistrationChange("...), p.Driver)
		return cat(b, ", ", p.Driver, "!FsNotification)"), true
	case engine.UnregOneEntry:
		b = cat(b, "it removes one entry: ", p.Driver, " registered its routine ", strconv.Itoa(p.Before))
		b = cat(b, " times, so ", strconv.Itoa(p.Before-1), " stay registered, pointing into ")
		return cat(b, p.Driver, " after it unloads"), true
	case engine.CommandAttach:
		return cat(b, p.Driver, ": a user-mode program asks it to attach to ", p.Volume), true
	case engine.AlsoNotify:
		return cat(b, p.Driver, " also registered for notifications: a filter that attaches only when directed should not call IoRegisterFsRegistrationChange"), true
	case engine.CommandDetach:
		return cat(b, p.Driver, ": a user-mode program asks it to detach from ", p.Volume), true
	case engine.SkipAttachedTo:
		return cat(b, "skip: already attached to ", p.Volume), true
	}
	return b, false
}

// appendMount says volumes mounting and dismounting.
func appendMount(b []byte, e engine.Event, brief bool) ([]byte, bool) {
	switch p := e.Data.(type) {
	case engine.Reformatted:
		return cat(b, p.Volume, " was reformatted: it now holds ", formatName(p.Format)), true
	case engine.Remount:
		return cat(b, p.Volume, " was dismounted: this access mounts it again, with a new VDO"), true
	case engine.FirstAccess:
		b = cat(b, "first access to ", p.Volume, " (", p.Storage)
		b = cat(b, ", ", p.Media.String(), " media, ")
		return cat(b, formatName(p.Format), "): VPB_MOUNTED is clear"), true
	case engine.MountScan:
		return cat(b, "IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME down the ", p.Queue.String(), " queue, head first"), true
	case engine.ScanRestart:
		return cat(b, "the mount scan restarts from the head of the ", p.Queue.String(), " queue"), true
	case engine.MountToCDO:
		if p.Bare {
			return append(appendDriver(cat(b, "to ", p.CDO.Name, " ("), p.CDO.Driver), ", nothing attached)"...), true
		}
		return cat(b, "to the top of ", p.CDO.Name, "'s stack"), true
	case engine.Claim:
		b = cat(appendLongLabel(b, p.CDO, brief), " recognizes ", p.What)
		return cat(b, " and claims ", p.Volume), true
	case engine.CreateVDO:
		b = append(b, "IoCreateDevice -> VDO "...)
		if !brief {
			b = cat(b, p.VDO.Addr, " ")
		}
		return append(b, "(unnamed); Vpb->DeviceObject = VDO, VPB_MOUNTED"...), true
	case engine.RawHint:
		return appendRawHint(b, p), true
	case engine.MountCompletion:
		return append(appendLabel(b, p.Device, brief), ": mount completion"...), true
	case engine.Dismount:
		return cat(b, "FSCTL_DISMOUNT_VOLUME on ", p.Volume, " (", p.Storage, ")"), true
	case engine.DismountMark:
		b = cat(appendDriver(b, p.VDO.Driver), " marks ", p.VDO.Volume, " dismounted and clears VPB_MOUNTED: ")
		return appendStatus(b, e.Status), true
	case engine.DismountDelete:
		return cat(appendLabel(cat(appendDriver(b, p.VDO.Driver), " deletes "), p.VDO, brief), ": its last reference is gone"), true
	case engine.StaysUnmounted:
		return cat(b, p.Volume, " stays as ", p.Storage, ", not mounted; the next access mounts it with a new VDO"), true
	}
	return b, false
}

// appendIrp says IRPs on their way down a stack and back up.
func appendIrp(b []byte, e engine.Event, brief bool) ([]byte, bool) {
	switch p := e.Data.(type) {
	case engine.PassDown:
		return cat(appendLabel(b, p.Device, brief), " sees ", p.Irp, " and passes it down"), true
	case engine.FilterFails:
		b = cat(appendLabel(b, p.Device, brief), " completes ", p.Irp, " itself (loaded with --fail ", p.Major.Word(), "): ")
		return appendStatus(b, e.Status), true
	case engine.NeverSaw:
		b = cat(b, "never see ", p.Irp, ": ")
		b = join(b, p.Lower, ", ")
		for i, x := range p.Below {
			if i > 0 || len(p.Lower) > 0 {
				b = append(b, ", "...)
			}
			b = appendLongLabel(b, x, brief)
		}
		return b, true
	case engine.Completion:
		return cat(b, "completion runs bottom-up through ", p.Stack, "'s stack"), true
	case engine.CompletionRoutine:
		return appendStatus(cat(appendLabel(b, p.Device, brief), ": completion routine, ", p.Irp, " "), p.Status), true
	case engine.IoSend:
		return cat(appendLongLabel(cat(b, p.Major.String(), " for ", p.Target, " to the top of ", p.Volume, "'s stack ("), p.Top, brief), ")"), true
	case engine.Completes:
		return appendStatus(cat(appendLongLabel(b, p.VDO, brief), " completes ", p.Irp, ": "), e.Status), true
	case engine.IoDone:
		return appendStatus(cat(b, "IoCompleteRequest: ", p.Irp, " returns to the caller with "), e.Status), true
	}
	return b, false
}

// appendFltMgr says Filter Manager's frames, minifilters and instances.
func appendFltMgr(b []byte, e engine.Event, brief bool) ([]byte, bool) {
	switch p := e.Data.(type) {
	case engine.FrameCreate:
		b = strconv.AppendInt(append(b, "FltMgr creates frame "...), int64(p.Frame), 10)
		b = appendRange(append(b, " ("...), p.Low, p.High)
		if p.Legacy == "" {
			return append(b, ")"...), true
		}
		b = cat(b, "): the altitude lies above every frame's range and legacy filter ", p.Legacy, " sits above frame ", strconv.Itoa(p.Frame-1))
		return cat(b, ", so instead of widening frame ", strconv.Itoa(p.Frame-1), " FltMgr puts a new frame on top of each stack frame ", strconv.Itoa(p.Frame-1), " is on"), true
	case engine.FltRegister:
		b = appendDriver(append(b, "FltRegisterFilter("...), p.Driver)
		b = cat(b, "): joins FltMgr's minifilters at altitude ", p.Altitude)
		if p.Group != "" {
			b = cat(b, ", in ", p.Group, "'s range")
		}
		return b, true
	case engine.FrameChosen:
		b = cat(b, "altitude ", p.Altitude, " lies in frame ", strconv.Itoa(p.Frame), " (")
		return append(appendRange(b, p.Low, p.High), ')'), true
	case engine.FrameWiden:
		b = cat(b, "altitude ", p.Altitude, " lies outside every frame's range: FltMgr widens frame ", strconv.Itoa(p.Frame), " (")
		b = appendRange(b, p.Low, p.OldHigh)
		b = appendRange(append(b, ") to "...), p.Low, p.Altitude)
		if p.NextLow != "" {
			return cat(b, " (frame ", strconv.Itoa(p.Frame+1), " starts at ", p.NextLow, ")"), true
		}
		return append(b, " (no legacy filter sits above it)"...), true
	case engine.InstanceCollides:
		b = cat(b, "FltMgr refuses ", p.Driver, "'s instance ", p.Instance, " at ", p.Altitude, " on ", p.Volume, " with ")
		b = appendStatus(b, e.Status)
		return cat(b, " (", p.Volume, " has ", p.Holder, "'s instance ", p.HolderInstance, " at ", p.HolderAltitude, ")"), true
	case engine.SetupPending:
		return cat(b, "FltMgr's instance setup on ", p.Volume, " waits for the first operation on the newly mounted volume (io, or dismount)"), true
	case engine.SetupStillPending:
		return cat(b, p.Driver, "'s instance on ", p.Volume, " waits with the rest: instance setup there runs at the first operation after the mount"), true
	case engine.SetupRuns:
		return cat(b, "FltMgr sees the first operation on ", p.Volume, " since it mounted (", p.First, "): instance setup for the newly mounted volume runs now"), true
	case engine.SetupNone:
		return cat(b, "no minifilter attaches automatically: ", p.Volume, " has no instance"), true
	case engine.FilterUnloadCb:
		return cat(b, "FltMgr calls ", p.Driver, "!FilterUnloadCallback, which calls FltUnregisterFilter"), true
	case engine.QueryTeardown:
		b = cat(b, p.Driver, "!InstanceQueryTeardown(", p.Volume, ", 0) for instance ", p.Instance, ", a manual detach: ")
		return appendStatus(b, e.Status), true
	case engine.PreOpComplete:
		b = cat(appendLabel(b, p.FrameDevice, brief), ": ", p.Driver, "@", p.Altitude, " completes ", p.Irp, " in its pre-operation callback (FLT_PREOP_COMPLETE, loaded with --complete): ")
		return appendStatus(b, e.Status), true
	case engine.FltStart:
		return cat(b, "FltStartFiltering(", p.Driver, "): instance setup on each volume frame ", strconv.Itoa(p.Frame), " is attached to"), true
	case engine.NoAutoAttach:
		return cat(b, "--no-auto: ", p.Driver, " suppresses automatic attachment; fltmc attach makes instances"), true
	case engine.NoVolumes:
		return cat(b, "no volume has frame ", strconv.Itoa(p.Frame), " yet: ", p.Driver, "'s instances come as volumes mount"), true
	case engine.InstanceSetup:
		b = cat(b, p.Driver, "!InstanceSetup(", p.Volume, ", ")
		switch {
		case p.Manual:
			b = append(b, "FLTFL_INSTANCE_SETUP_MANUAL_ATTACHMENT"...)
		case p.NewlyMounted:
			b = append(b, "FLTFL_INSTANCE_SETUP_AUTOMATIC_ATTACHMENT | FLTFL_INSTANCE_SETUP_NEWLY_MOUNTED_VOLUME"...)
		default:
			b = append(b, "FLTFL_INSTANCE_SETUP_AUTOMATIC_ATTACHMENT"...)
		}
		if p.Raw {
			b = append(b, ", FLT_FSTYPE_RAW"...)
		}
		b = cat(b, "): instance ", p.Instance, " at ", p.Altitude, " in ")
		return appendLabel(b, p.FrameDevice, brief), true
	case engine.InstanceDown:
		b = cat(b, p.Driver, "!InstanceTeardownStart and InstanceTeardownComplete(", p.Volume, ", ", teardownFlag(p.Reason), "): instance ", p.Instance, " at ", p.Altitude, " leaves ")
		return appendLabel(b, p.FrameDevice, brief), true
	case engine.FltUnregister:
		return cat(b, "FltUnregisterFilter(", p.Driver, "): each instance is torn down; its frame stays, so a reload at the same altitude returns to it"), true
	case engine.FltmcAttach:
		return cat(b, "fltmc attach: FilterAttachAtAltitude(", p.Driver, ", ", p.Volume, ", ", p.Altitude, ", ", p.Instance, ")"), true
	case engine.FltmcDetach:
		return cat(b, "fltmc detach: FilterDetach(", p.Driver, ", ", p.Volume, ", ", p.Instance, ")"), true
	case engine.PreOp:
		return cat(appendLabel(b, p.FrameDevice, brief), ": ", p.Driver, "@", p.Altitude, " pre-operation callback for ", p.Irp), true
	case engine.PostOp:
		b = cat(appendLabel(b, p.FrameDevice, brief), ": ", p.Driver, "@", p.Altitude, " post-operation callback for ", p.Irp, " ")
		return appendStatus(b, p.Status), true
	}
	return b, false
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// appendRange appends a frame's altitudes: "altitudes 0 to 328000".
func appendRange(b []byte, low, high string) []byte {
	return cat(b, "altitudes ", low, " to ", high)
}

// teardownFlag names a teardown's FLTFL_INSTANCE_TEARDOWN_* reason.
func teardownFlag(r engine.TeardownReason) string {
	switch r {
	case engine.TeardownManual:
		return "FLTFL_INSTANCE_TEARDOWN_MANUAL"
	case engine.TeardownUnload:
		return "FLTFL_INSTANCE_TEARDOWN_FILTER_UNLOAD"
	case engine.TeardownDismount:
		return "FLTFL_INSTANCE_TEARDOWN_VOLUME_DISMOUNT"
	}
	return ""
}

func registerAPI(ex bool) string {
	if ex {
		return "IoRegisterFsRegistrationChangeEx"
	}
	return "IoRegisterFsRegistrationChange"
}

// formatName is a volume's format as the trace says it.
func formatName(f string) string {
	if f == "" {
		return "no known format"
	}
	return f
}

// appendRawHint says why RAW claimed a volume and how to have its file
// system claim it instead.
func appendRawHint(b []byte, p engine.RawHint) []byte {
	q := p.Queue.String()
	b = cat(b, "RAW claims ", p.Volume, " because ")
	if p.RawAlone {
		b = cat(b, "no file system but RAW is registered in the ", q, " queue")
	} else {
		what := p.Format
		if what == "" {
			what = "a volume with no known format"
		}
		b = cat(b, "no file system in the ", q, " queue", " recognizes ", what)
	}
	switch p.Fix {
	case engine.RawFixRegister:
		b = cat(b, "; fs register ", p.FS, " (or fs_rec), dismount ")
		b = cat(b, p.Volume, " and mount it again to have ", p.FSShort)
		b = append(b, " claim it"...)
	case engine.RawFixElsewhere:
		b = cat(b, " (", p.FSShort, " is registered, but has no CDO in the ", q, " queue)")
	}
	return b
}
