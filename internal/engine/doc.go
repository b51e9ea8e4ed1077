// Package engine is fssim's simulated I/O manager: a pure, deterministic state
// machine of the Windows file-system driver stack as legacy file-system filter
// drivers see it.
//
// It models what docs/model.md calls rules 1 to 25, but rule 10, whose
// APIs belong to Windows 7 and 10 and not to the xp and w2k profiles: the
// four file-system queues (disk, cdrom, tape, network) with head insertion,
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
// file system recognizer with its partner recognizers.
//
// Every state-changing method returns the trace of what the kernel would do
// as a slice of Event values, and an error that leaves the state unchanged.
// Events are data, not text: each has an Op, the devices (DeviceRef) and
// drivers it involves, its status, an ID and the ID of the event that caused
// it, so a renderer, a test or an explanation reads the same facts. The
// engine has no words for them; internal/render does.
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
