// Package engine is fssim's simulated I/O manager: a pure, deterministic state
// machine of the Windows file-system driver stack as legacy file-system filter
// drivers see it.
//
// It models what docs/model.md calls rules 1 to 28: the four file-system
// queues (disk, cdrom, tape, network) with head insertion,
// low-priority file systems just before the last entry of their queue and
// RAW at the tail; control device objects (CDOs) registered with
// IoRegisterFileSystem; registration-change notifications
// (IoRegisterFsRegistrationChange) with the Windows XP replay that skips RAW;
// the sfilter pattern of attaching to each disk, CD-ROM and network CDO and
// enumerating the mounted volumes of that CDO's device type;
// IRP_MN_MOUNT_VOLUME travelling down each CDO's stack in queue order, the
// claim and the bottom-up completion in which notify filters attach to the
// new volume device object (VDO); attach at the current top; detach, which
// does not rejoin the stack, so every device above the detached one gets
// FastIoDetachDevice and goes too; dismount with FastIoDetachDevice lowest
// first; unloads deferred while a device sits above the filter's; and the
// file system recognizer with its partner recognizers; the OS profiles as a
// table of capabilities, with Windows 7's mount-aware registration and
// Windows 10's legacy-filter blocking policy (rule 10); one IRP dispatcher
// for mounts, the recognizer's load request, dismounts and io; and Filter
// Manager with its frames, minifilters and instances (rules 26 to 28, see
// fltmgr.go for the choices Windows leaves open).
//
// The OS profiles (w2k, xp, win7, win10) are one table of capabilities
// (Caps: the replay, IoEnumerateDeviceObjectList, the Safe attach, the
// mount-aware registration, the blocking policy), and the engine asks the
// capability, never the profile's name. Rule 10 on win7 and win10: a
// filter registering with IoRegisterFsRegistrationChangeMountAware and
// SynchronizeWithMounts=TRUE makes mounts wait while its replay runs; since
// the engine runs one call at a time, no mount is ever in flight, and the
// trace shows the waiting as data: a note that the call takes the mount
// lock, the replay, and a note that it releases it (OpMountLock,
// OpMountUnlock). On win10 the IoBlockLegacyFsFilters policy, set only in
// the boot state because Windows reads it at boot, makes every
// registration routine return STATUS_NOT_SUPPORTED: a --notify load fails
// and changes nothing (ErrBlockedByPolicy), while a filter that never
// registers (it waits for commands) still loads.
//
// Every state-changing method returns the trace of what the kernel would do
// as a slice of Event values, and an error that leaves the state unchanged.
// Events are data, not text: each has an Op and its typed payload (one
// type per Op, payload.go, whose named fields are the devices (DeviceRef),
// drivers and names it involves), its status, an ID and the ID of the event
// that caused it, so a renderer, a test or an explanation reads the same
// facts. The engine has no words for them; internal/render does.
// The engine never prints, reads a clock, draws a random number or lets map
// order reach its results: device addresses come from a creation counter and
// every listing has a stated order, so one scenario always gives the same
// trace. It imports the standard library only.
//
// Invariants the engine keeps after every method (see CheckInvariants):
//   - each device object is in exactly one stack, and AttachedDevice and
//     AttachedTo links agree in both directions;
//   - the bottom of each stack is a CDO or a VDO, everything above is a filter
//     device object, and a driver appears at most once in a stack, but
//     FltMgr, which has one device per frame there, frames rising upward;
//   - every mounted volume's VPB points at a VDO of the file system it names;
//   - every registered CDO is in exactly one queue, and RAW is last in the
//     disk, cdrom and tape queues.
//
// Cost: every method touches only the stacks, queues and device lists it
// names, never every volume or filter of the lab.
package engine
