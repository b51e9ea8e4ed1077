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

func word(ws []string, i int) string {
	if i < len(ws) {
		return ws[i]
	}
	return ""
}

func profile(n int) engine.Profile { return engine.Profile(n) }

// appendEvent appends one event's line.
func appendEvent(b []byte, e engine.Event, brief bool) []byte {
	d := e.Dev
	switch e.Op {
	case engine.OpReset:
		return cat(b, "reset: back to the boot state (", profile(e.N).Title(), "); only RAW is registered")
	case engine.OpProfileSame:
		p := profile(e.N)
		return cat(b, "profile is already ", p.String(), " (", p.Title(), ")")
	case engine.OpProfileSet:
		p := profile(e.N)
		return cat(b, "profile ", p.String(), ": ", p.Title())
	case engine.OpW2KNoReplay:
		return append(b, "IoRegisterFsRegistrationChange does not report file systems registered earlier"...)
	case engine.OpW2KEx:
		if profile(e.N).Caps().Ex {
			return append(b, "the Update Rollup adds IoRegisterFsRegistrationChangeEx (filter load --ex), which does, and IoEnumerateDeviceObjectList and IoAttachDeviceToDeviceStackSafe; sfilter still never enumerates here, since it tests the OS version (IS_WINDOWSXP_OR_LATER), not the routine"...)
		}
		return append(b, "IoRegisterFsRegistrationChangeEx, IoEnumerateDeviceObjectList and IoAttachDeviceToDeviceStackSafe do not exist: all three came with the SP4 Update Rollup (os w2ksp4)"...)
	case engine.OpXPReplays:
		return append(b, "IoRegisterFsRegistrationChange replays every registered file system but RAW"...)
	case engine.OpHasMountAware:
		return append(b, "IoRegisterFsRegistrationChangeMountAware exists (filter load --notify --mount-aware): with SynchronizeWithMounts=TRUE no mount runs during the replay"...)
	case engine.OpHasBlockPolicy:
		return append(b, "the IoBlockLegacyFsFilters policy exists (policy block-legacy on): it blocks legacy filters from registering (STATUS_NOT_SUPPORTED) and from attaching to volumes; Filter Manager keeps working"...)
	case engine.OpPolicySame:
		return cat(b, "policy block-legacy is already ", onOff(e.Flag))
	case engine.OpPolicySet:
		if e.Flag {
			return append(b, "policy block-legacy on: legacy filters cannot load with --notify or attach to volumes (STATUS_NOT_SUPPORTED); Filter Manager is not blocked"...)
		}
		return append(b, "policy block-legacy off: legacy filters may register for file system notifications"...)
	case engine.OpPolicyRegistry:
		b = append(b, `HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\I/O System: IoBlockLegacyFsFilters=`...)
		if e.Flag {
			b = append(b, '1')
		} else {
			b = append(b, '0')
		}
		return append(b, "; Windows reads it at boot, so it applies after a reboot: fssim sets it only in the boot state"...)
	case engine.OpPolicyKept:
		return append(b, "policy block-legacy stays on: IoBlockLegacyFsFilters is a registry value, and the reboot reads it again"...)
	case engine.OpDriverEntry:
		return append(appendDriver(append(b, "DriverEntry("...), e.Driver), ')')
	case engine.OpFSUnloads:
		return append(appendDriver(b, e.Driver), " unloads"...)
	case engine.OpDriverUnload:
		return append(appendDriver(append(b, "DriverUnload("...), e.Driver), ')')

	case engine.OpRegisterFS:
		b = cat(b, "IoRegisterFileSystem(", d.Name, "): ", d.Type.String())
		switch e.N {
		case 1:
			return cat(b, " queue, low priority: just before the last entry, ", e.Name)
		case 2:
			return append(b, " queue, low priority: into the empty queue"...)
		}
		return append(b, " queue, at the head"...)
	case engine.OpNetworkNoMount:
		return cat(b, "a network file system gets no IRP_MN_MOUNT_VOLUME: it mounts no volumes, and remote files are opened through its own device, so a filter sees them by attaching to ", d.Name)
	case engine.OpUnregisterFS:
		return cat(b, "IoUnregisterFileSystem(", d.Name, "): leaves the ", d.Type.String(), " queue")
	case engine.OpRecLoaded:
		return cat(b, e.Driver, " is loaded already: no recognizer for it")
	case engine.OpRecNothing:
		return append(b, "every file system fs_rec knows is loaded: it registers nothing"...)
	case engine.OpLoadFSIrp:
		b = cat(b, "IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_LOAD_FILE_SYSTEM to the top of ", d.Name, "'s stack (")
		return append(appendLongLabel(b, e.On, brief), ')')
	case engine.OpZwLoadDriver:
		return cat(b, `ZwLoadDriver(\Registry\Machine\System\CurrentControlSet\Services\`, e.Driver, ")")
	case engine.OpNameCollision:
		b = cat(b, e.Driver, " DriverEntry: IoCreateDevice(", d.Name, ") fails, ")
		return appendStatus(append(appendDriver(b, d.Driver), " owns that name: "...), e.Status)
	case engine.OpTransparent:
		return cat(b, d.Name, ", ", e.On.Name, "'s partner, turns transparent: it will answer the next mount with STATUS_FS_DRIVER_REQUIRED and then unregister")
	case engine.OpPartnerLoaded:
		return cat(b, d.Name, "'s partner has loaded ", e.Driver, " already: nothing to load")
	case engine.OpRecStays:
		return cat(b, d.Name, ` stays a device of \FileSystem\Fs_Rec, unregistered, until fs_rec unloads`)
	case engine.OpRecTransparent:
		b = cat(b, d.Name, ", transparent since its partner loaded ", e.Driver, ", answers any volume so that it is told to unregister: ")
		return appendStatus(b, e.Status)
	case engine.OpRecRecognizes:
		b = cat(b, d.Name, " reads the boot sector: ", e.Driver, ", whose driver is not loaded: ")
		return appendStatus(b, e.Status)
	case engine.OpStatus:
		if d != nil {
			b = append(appendLabel(b, d, brief), ": "...)
		}
		return appendStatus(b, e.Status)
	case engine.OpNotifyStale:
		return cat(b, e.Driver, "!FsNotification is still registered, but ", e.Driver, " is unloaded: Windows would call into freed memory and bug-check here; fssim skips the call")
	case engine.OpOpenByName:
		return cat(b, "IoGetDeviceObjectPointer(", d.Name, "): RAW is never reported, so ", e.Driver, " opens it by name")
	case engine.OpLateRegister:
		b = cat(b, e.Driver, " calls ", registerAPI(e.Flag))
		return append(b, " late, from a running driver"...)
	case engine.OpRegisterNotify:
		if e.N == 1 {
			b = appendDriver(append(b, "IoRegisterFsRegistrationChangeMountAware("...), e.Driver)
			return cat(b, ", ", e.Driver, "!FsNotification, SynchronizeWithMounts=TRUE)")
		}
		b = appendDriver(cat(b, registerAPI(e.Flag), "("), e.Driver)
		return cat(b, ", ", e.Driver, "!FsNotification)")
	case engine.OpMountLock:
		return append(b, "SynchronizeWithMounts=TRUE: takes the mount lock; a mount in progress completes first, and a new mount waits until the replay is done"...)
	case engine.OpMountUnlock:
		return cat(b, "the replay is done: the mount lock is released, and the mounts that waited proceed (each sends IRP_MN_MOUNT_VOLUME past ", e.Driver, " on its file system's CDO)")
	case engine.OpRegisteredTimes:
		b = cat(b, e.Driver, "'s routine is now registered ", strconv.Itoa(e.N))
		return append(b, " times: it will be called once per registration"...)
	case engine.OpW2KNoReplayFor:
		return cat(b, "Windows 2000: no replay; file systems registered before ", e.Driver, " are not reported (IoRegisterFsRegistrationChangeEx, from the SP4 Update Rollup on, would report them)")
	case engine.OpReplayNone:
		return append(b, "replay: no file system registered but RAW, which is never reported"...)
	case engine.OpReplay:
		return cat(b, "replay: ", strconv.Itoa(e.N), " registered file system CDO(s), RAW never reported; network, cdrom, disk, tape queues, each from the head")
	case engine.OpNoNotify:
		return cat(b, "no IoRegisterFsRegistrationChange: ", e.Driver, " attaches only when a user-mode command tells it to")

	case engine.OpCallback:
		b = cat(b, e.Driver, "!FsNotification(", d.Name, ", FsActive=")
		if e.Flag {
			return append(b, "TRUE)"...)
		}
		return append(b, "FALSE)"...)
	case engine.OpNotAttachedCDO:
		return cat(b, e.Driver, " is not attached to ", d.Name, ": nothing to do")
	case engine.OpSkipTape:
		return cat(b, "skip: ", d.Name, " is a tape file system ("+engine.Tape.DeviceType()+")", "; sfilter attaches only to disk, CD-ROM and network file systems")
	case engine.OpSkipRecognizer:
		return append(appendDriver(cat(b, "skip: ", d.Name, " belongs to "), d.Driver), ", a recognizer"...)
	case engine.OpSkipAttachedCDO:
		return cat(b, "skip: ", e.Driver, " is already attached to ", d.Name)
	case engine.OpEnumMissed:
		if e.Flag {
			b = append(b, "no enumeration on Windows 2000 (sfilter tests the OS version; IoEnumerateDeviceObjectList came only with the SP4 Update Rollup): "...)
		} else {
			b = append(b, "no IoEnumerateDeviceObjectList (--no-enumerate): "...)
		}
		b = join(b, e.Names, ", ")
		if len(e.Names) > 1 {
			b = append(b, " stay"...)
		} else {
			b = append(b, " stays"...)
		}
		return cat(b, " unfiltered by ", e.Driver)
	case engine.OpEnumerate:
		b = append(appendDriver(append(b, "IoEnumerateDeviceObjectList("...), e.Driver), "): "...)
		return cat(b, strconv.Itoa(e.N), " volume device object(s), newest first")
	case engine.OpEnumSkipType:
		b = cat(b, "skip ", d.Volume, " (a ", d.Type.String(), " volume: ")
		return cat(b, e.On.Name, "'s enumeration is for ", e.On.Type.String(), " volumes only)")
	case engine.OpEnumSkipHas:
		return cat(b, "skip ", d.Volume, " (already attached)")

	case engine.OpAttach:
		if e.Flag {
			b = append(b, "IoAttachDeviceToDeviceStackSafe("...)
		} else {
			b = append(b, "IoAttachDeviceToDeviceStack("...)
		}
		b = append(appendLabel(append(appendLabel(b, d, brief), ", "...), e.Base, brief), ") -> landed on "...)
		return appendLongLabel(b, e.On, brief)
	case engine.OpDetach:
		b = append(appendLabel(append(b, "IoDetachDevice("...), e.On, brief), "): "...)
		return cat(appendLabel(b, d, brief), " leaves ", e.Stack)
	case engine.OpStaysAttached:
		b = append(appendLabel(append(appendLabel(b, d, brief), " stays attached to "...), e.On, brief), ": IoDetachDevice clears only "...)
		return append(appendLabel(b, e.Base, brief), "'s AttachedDevice and does not rejoin the stack"...)
	case engine.OpDeleteDevice:
		return append(appendLabel(append(b, "IoDeleteDevice("...), d, brief), ')')
	case engine.OpFastIoDetach:
		b = append(appendLabel(append(appendLabel(append(b, "FastIoDetachDevice("...), d, brief), ", "...), e.On, brief), "): "...)
		return cat(b, d.Driver, " detaches and deletes its device")
	case engine.OpUnsafeUnload:
		return append(b, "a real legacy filter cannot be unloaded safely (IRPs in flight can complete into freed code); fssim allows it"...)
	case engine.OpUnregNotify:
		b = appendDriver(append(b, "IoUnregisterFsRegistrationChange("...), e.Driver)
		return cat(b, ", ", e.Driver, "!FsNotification)")
	case engine.OpUnregOneEntry:
		b = cat(b, "it removes one entry: ", e.Driver, " registered its routine ", strconv.Itoa(e.N))
		b = cat(b, " times, so ", strconv.Itoa(e.N-1), " stay registered, pointing into ")
		return cat(b, e.Driver, " after it unloads")
	case engine.OpCommandAttach:
		return cat(b, e.Driver, ": a user-mode program asks it to attach to ", e.Name)
	case engine.OpAlsoNotify:
		return cat(b, e.Driver, " also registered for notifications: a filter that attaches only when directed should not call IoRegisterFsRegistrationChange")
	case engine.OpCommandDetach:
		return cat(b, e.Driver, ": a user-mode program asks it to detach from ", e.Name)
	case engine.OpSkipAttachedTo:
		return cat(b, "skip: already attached to ", e.Name)

	case engine.OpReformatted:
		return cat(b, e.Name, " was reformatted: it now holds ", formatName(word(e.Names, 0)))
	case engine.OpRemount:
		return cat(b, e.Name, " was dismounted: this access mounts it again, with a new VDO")
	case engine.OpFirstAccess:
		b = cat(b, "first access to ", e.Name, " (", word(e.Names, 0))
		b = cat(b, ", ", word(e.Names, 1), " media, ")
		return cat(b, formatName(word(e.Names, 2)), "): VPB_MOUNTED is clear")
	case engine.OpMountScan:
		return cat(b, "IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME down the ", engine.FsType(e.N).String(), " queue, head first")
	case engine.OpScanRestart:
		return cat(b, "the mount scan restarts from the head of the ", engine.FsType(e.N).String(), " queue")
	case engine.OpMountToCDO:
		if e.Flag {
			return append(appendDriver(cat(b, "to ", d.Name, " ("), d.Driver), ", nothing attached)"...)
		}
		return cat(b, "to the top of ", d.Name, "'s stack")
	case engine.OpClaim:
		b = cat(appendLongLabel(b, d, brief), " recognizes ", word(e.Names, 0))
		return cat(b, " and claims ", e.Name)
	case engine.OpCreateVDO:
		b = append(b, "IoCreateDevice -> VDO "...)
		if !brief {
			b = cat(b, d.Addr, " ")
		}
		return append(b, "(unnamed); Vpb->DeviceObject = VDO, VPB_MOUNTED"...)
	case engine.OpRawHint:
		return appendRawHint(b, e)
	case engine.OpMountCompletion:
		return append(appendLabel(b, d, brief), ": mount completion"...)
	case engine.OpDismount:
		return cat(b, "FSCTL_DISMOUNT_VOLUME on ", e.Name, " (", word(e.Names, 0), ")")
	case engine.OpDismountMark:
		b = cat(appendDriver(b, d.Driver), " marks ", d.Volume, " dismounted and clears VPB_MOUNTED: ")
		return appendStatus(b, e.Status)
	case engine.OpDismountDelete:
		return cat(appendLabel(cat(appendDriver(b, d.Driver), " deletes "), d, brief), ": its last reference is gone")
	case engine.OpPassDown:
		return cat(appendLabel(b, d, brief), " sees ", e.Name, " and passes it down")
	case engine.OpFilterFails:
		b = cat(appendLabel(b, d, brief), " completes ", e.Name, " itself (loaded with --fail ", engine.Major(e.N).Word(), "): ")
		return appendStatus(b, e.Status)
	case engine.OpNeverSaw:
		b = cat(b, "never see ", e.Name, ": ")
		for i, x := range e.Names {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, x...)
		}
		for i, x := range e.Devs {
			if i > 0 || len(e.Names) > 0 {
				b = append(b, ", "...)
			}
			b = appendLongLabel(b, x, brief)
		}
		return b
	case engine.OpCompletion:
		return cat(b, "completion runs bottom-up through ", e.Name, "'s stack")
	case engine.OpCompletionRoutine:
		return appendStatus(cat(appendLabel(b, d, brief), ": completion routine, ", e.Name, " "), e.Status)
	case engine.OpIoSend:
		return cat(appendLongLabel(cat(b, word(e.Names, 0), " for ", e.Name, " to the top of ", word(e.Names, 1), "'s stack ("), d, brief), ")")
	case engine.OpCompletes:
		return appendStatus(cat(appendLongLabel(b, d, brief), " completes ", e.Name, ": "), e.Status)
	case engine.OpIoDone:
		return appendStatus(cat(b, "IoCompleteRequest: ", e.Name, " returns to the caller with "), e.Status)

	case engine.OpFrameCreate:
		b = strconv.AppendInt(append(b, "FltMgr creates frame "...), int64(e.N), 10)
		b = appendRange(append(b, " ("...), word(e.Names, 0), word(e.Names, 1))
		if e.Driver == "" {
			return append(b, ")"...)
		}
		b = cat(b, "): the altitude lies above every frame's range and legacy filter ", e.Driver, " sits above frame ", strconv.Itoa(e.N-1))
		return cat(b, ", so instead of widening frame ", strconv.Itoa(e.N-1), " FltMgr puts a new frame on top of each stack frame ", strconv.Itoa(e.N-1), " is on")
	case engine.OpFltRegister:
		b = appendDriver(append(b, "FltRegisterFilter("...), e.Driver)
		b = cat(b, "): joins FltMgr's minifilters at altitude ", word(e.Names, 0))
		if g := word(e.Names, 1); g != "" {
			b = cat(b, ", in ", g, "'s range")
		}
		return b
	case engine.OpFrameChosen:
		b = cat(b, "altitude ", word(e.Names, 0), " lies in frame ", strconv.Itoa(e.N), " (")
		return append(appendRange(b, word(e.Names, 1), word(e.Names, 2)), ')')
	case engine.OpFrameWiden:
		b = cat(b, "altitude ", word(e.Names, 0), " lies outside every frame's range: FltMgr widens frame ", strconv.Itoa(e.N), " (")
		b = appendRange(b, word(e.Names, 1), word(e.Names, 2))
		b = appendRange(append(b, ") to "...), word(e.Names, 1), word(e.Names, 0))
		if next := word(e.Names, 3); next != "" {
			return cat(b, " (frame ", strconv.Itoa(e.N+1), " starts at ", next, ")")
		}
		return append(b, " (no legacy filter sits above it)"...)
	case engine.OpInstanceCollides:
		b = cat(b, "FltMgr refuses ", e.Driver, "'s instance ", word(e.Names, 1), " at ", word(e.Names, 0), " on ", e.Name, " with ")
		b = appendStatus(b, e.Status)
		return cat(b, " (", e.Name, " has ", word(e.Names, 2), "'s instance ", word(e.Names, 3), " at ", word(e.Names, 4), ")")
	case engine.OpSetupPending:
		return cat(b, "FltMgr's instance setup on ", e.Name, " waits for the first operation on the newly mounted volume (io, or dismount)")
	case engine.OpSetupStillPending:
		return cat(b, e.Driver, "'s instance on ", e.Name, " waits with the rest: instance setup there runs at the first operation after the mount")
	case engine.OpSetupRuns:
		return cat(b, "FltMgr sees the first operation on ", e.Name, " since it mounted (", word(e.Names, 0), "): instance setup for the newly mounted volume runs now")
	case engine.OpSetupNone:
		return cat(b, "no minifilter attaches automatically: ", e.Name, " has no instance")
	case engine.OpFilterUnloadCb:
		return cat(b, "FltMgr calls ", e.Driver, "!FilterUnloadCallback, which calls FltUnregisterFilter")
	case engine.OpQueryTeardown:
		if e.N == 1 {
			b = cat(b, e.Driver, " has no InstanceQueryTeardown on ", e.Name, ": ")
		} else {
			b = cat(b, e.Driver, "!InstanceQueryTeardown(", e.Name, ", 0) for instance ", word(e.Names, 0), ", a manual detach: ")
		}
		return appendStatus(b, e.Status)
	case engine.OpPreOpComplete:
		b = cat(appendLabel(b, d, brief), ": ", e.Driver, "@", word(e.Names, 0), " completes ", e.Name, " in its pre-operation callback (FLT_PREOP_COMPLETE, loaded with --complete): ")
		return appendStatus(b, e.Status)
	case engine.OpFltStart:
		return cat(b, "FltStartFiltering(", e.Driver, "): instance setup on each volume frame ", strconv.Itoa(e.N), " is attached to")
	case engine.OpNoAutoAttach:
		return cat(b, "--no-auto: ", e.Driver, " suppresses automatic attachment; fltmc attach makes instances")
	case engine.OpNoVolumes:
		return cat(b, "no volume has frame ", strconv.Itoa(e.N), " yet: ", e.Driver, "'s instances come as volumes mount")
	case engine.OpInstanceSetup:
		b = cat(b, e.Driver, "!InstanceSetup(", e.Name, ", ")
		switch {
		case e.Flag:
			b = append(b, "FLTFL_INSTANCE_SETUP_MANUAL_ATTACHMENT"...)
		case e.N == 1:
			b = append(b, "FLTFL_INSTANCE_SETUP_AUTOMATIC_ATTACHMENT | FLTFL_INSTANCE_SETUP_NEWLY_MOUNTED_VOLUME"...)
		default:
			b = append(b, "FLTFL_INSTANCE_SETUP_AUTOMATIC_ATTACHMENT"...)
		}
		if fs := word(e.Names, 2); fs != "" {
			b = cat(b, ", ", fs)
		}
		b = cat(b, "): instance ", word(e.Names, 1), " at ", word(e.Names, 0), " in ")
		return appendLabel(b, d, brief)
	case engine.OpInstanceDown:
		reason := map[int]string{engine.TeardownManual: "FLTFL_INSTANCE_TEARDOWN_MANUAL", engine.TeardownUnload: "FLTFL_INSTANCE_TEARDOWN_FILTER_UNLOAD",
			engine.TeardownDismount: "FLTFL_INSTANCE_TEARDOWN_VOLUME_DISMOUNT"}[e.N]
		b = cat(b, e.Driver, "!InstanceTeardownStart and InstanceTeardownComplete(", e.Name, ", ", reason, "): instance ", word(e.Names, 1), " at ", word(e.Names, 0), " leaves ")
		return appendLabel(b, d, brief)
	case engine.OpFltUnregister:
		return cat(b, "FltUnregisterFilter(", e.Driver, "): each instance is torn down; its frame stays, so a reload at the same altitude returns to it")
	case engine.OpFltmcAttach:
		return cat(b, "fltmc attach: FilterAttachAtAltitude(", e.Driver, ", ", e.Name, ", ", word(e.Names, 0), ", ", word(e.Names, 1), ")")
	case engine.OpFltmcDetach:
		return cat(b, "fltmc detach: FilterDetach(", e.Driver, ", ", e.Name, ", ", word(e.Names, 0), ")")
	case engine.OpPreOp:
		return cat(appendLabel(b, d, brief), ": ", e.Driver, "@", word(e.Names, 0), " pre-operation callback for ", e.Name)
	case engine.OpPostOp:
		b = cat(appendLabel(b, d, brief), ": ", e.Driver, "@", word(e.Names, 0), " post-operation callback for ", e.Name, " ")
		return appendStatus(b, e.Status)
	case engine.OpStaysUnmounted:
		b = cat(b, e.Name, " stays as ", word(e.Names, 0), ", not mounted; the next access mounts it with a new VDO")
		return b
	}
	return cat(b, "? ", e.Op.String())
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// appendRange appends a frame's altitudes: "0 and up", "0 to 328000".
func appendRange(b []byte, low, high string) []byte {
	return cat(b, "altitudes ", low, " to ", high)
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
func appendRawHint(b []byte, e engine.Event) []byte {
	q := engine.FsType(e.N).String()
	b = cat(b, "RAW claims ", e.Name, " because ")
	if e.Flag {
		b = cat(b, "no file system but RAW is registered in the ", q, " queue")
	} else {
		what := word(e.Names, 0)
		if what == "" {
			what = "a volume with no known format"
		}
		b = cat(b, "no file system in the ", q, " queue", " recognizes ", what)
	}
	switch word(e.Names, 1) {
	case "register":
		b = cat(b, "; fs register ", word(e.Names, 2), " (or fs_rec), dismount ")
		b = cat(b, e.Name, " and mount it again to have ", word(e.Names, 3))
		b = append(b, " claim it"...)
	case "elsewhere":
		b = cat(b, " (", word(e.Names, 3), " is registered, but has no CDO in the ", q, " queue)")
	}
	return b
}
