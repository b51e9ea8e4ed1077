package engine

import "slices"

// Kind classifies an event by its role, so that a renderer can color it and
// a test can pick events out; Op says exactly what happened.
type Kind uint8

const (
	// KindCall is a kernel routine being called: DriverEntry,
	// IoRegisterFileSystem, IoRegisterFsRegistrationChange, ...
	KindCall Kind = iota
	// KindCallback is a filter's registration-change routine being called.
	KindCallback
	// KindIrp is an IRP on its way: sent, or passing a device.
	KindIrp
	// KindStatus is the NTSTATUS a device or routine answered with.
	KindStatus
	// KindClaim is a file system claiming a volume and creating its VDO.
	KindClaim
	// KindAttach is IoAttachDeviceToDeviceStackSafe landing a device.
	KindAttach
	// KindDetach is a device leaving a stack and being deleted.
	KindDetach
	// KindSkip is a filter choosing not to attach, and why.
	KindSkip
	// KindNote is an explanation or a warning for the reader.
	KindNote
)

var kindNames = [...]string{"call", "callback", "irp", "status", "claim", "attach", "detach", "skip", "note"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "?"
}

// Op is what an event says happened. Each Op documents the Event fields it
// uses; the renderer turns them into words.
type Op uint8

// The operations of a trace. Fields not named are zero.
const (
	OpNone Op = iota

	// Session.
	OpReset          // N: the profile
	OpProfileSame    // N: the profile
	OpProfileSet     // N: the profile
	OpW2KNoReplay    // (a note under OpProfileSet)
	OpW2KEx          // N: the profile (w2k: none of the rollup's routines; w2ksp4: the rollup's)
	OpXPReplays      //
	OpHasMountAware  // (a note under OpProfileSet)
	OpHasBlockPolicy //
	OpPolicySame     // Flag: the policy is on
	OpPolicySet      // Flag: the policy is on
	OpPolicyRegistry // Flag: the policy is on
	OpPolicyKept     // Flag: the policy is on (a note under OpReset)
	OpDriverEntry    // Driver
	OpFSUnloads      // Driver
	OpDriverUnload   // Driver

	// File systems and the recognizer.
	OpRegisterFS      // Dev: the CDO; N: where (0 head, 1 low priority before Name, 2 low priority into an empty queue)
	OpNetworkNoMount  // Dev: the CDO
	OpUnregisterFS    // Dev: the CDO
	OpRecLoaded       // Driver: a file system already loaded, so fs_rec registers no recognizer for it
	OpRecNothing      //
	OpLoadFSIrp       // Dev: the recognizer CDO; On: the top of its stack
	OpZwLoadDriver    // Driver: the file system's service
	OpNameCollision   // status; Driver: the file system whose DriverEntry fails; Dev: the CDO that owns the name
	OpTransparent     // Dev: a partner recognizer; On: the recognizer that loaded
	OpPartnerLoaded   // Dev: the recognizer; Driver: the file system its partner loaded
	OpRecStays        // Dev: the recognizer
	OpRecTransparent  // status; Dev: a transparent recognizer; Driver: the file system its partner loaded
	OpRecRecognizes   // status; Dev: the recognizer; Driver: the file system it stands for
	OpStatus          // status; Dev: the device that answered, if named
	OpNotifyStale     // Driver: an unloaded filter whose routine is still registered
	OpOpenByName      // Dev: the RAW CDO; Driver: the filter
	OpLateRegister    // Driver; Flag: the Ex variant
	OpRegisterNotify  // Driver; Flag: the Ex variant; N: 1 for IoRegisterFsRegistrationChangeMountAware(SynchronizeWithMounts=TRUE)
	OpMountLock       // Driver: a mount-aware registration takes the mount lock before its replay
	OpMountUnlock     // Driver: ... and releases it after
	OpRegisteredTimes // Driver; N: entries of its routine
	OpW2KNoReplayFor  // Driver
	OpReplayNone      //
	OpReplay          // N: CDOs replayed
	OpNoNotify        // Driver: a filter that waits for commands

	// Callbacks and enumeration (the sfilter pattern).
	OpCallback        // Driver; Dev: the CDO; Flag: FsActive
	OpNotAttachedCDO  // Driver; Dev: the CDO
	OpSkipTape        // Dev: the CDO
	OpSkipRecognizer  // Dev: the CDO
	OpSkipAttachedCDO // Driver; Dev: the CDO
	OpEnumMissed      // Driver; Flag: true when the profile has no IoEnumerateDeviceObjectList (Windows 2000), false for --no-enumerate; Names: the volumes
	OpEnumerate       // Driver: the file system; N: its VDOs
	OpEnumSkipType    // Dev: the VDO; On: the CDO enumerating
	OpEnumSkipHas     // Dev: the VDO

	// Attaching and detaching.
	OpAttach         // Dev: the new filter device; On: the device it landed on; Base: the stack's bottom; Flag: the Safe variant; Origin
	OpDetach         // Dev: the device leaving; On: the device below it
	OpStaysAttached  // Dev: the device above; On: the device leaving; Base: the device below that
	OpDeleteDevice   // Dev
	OpFastIoDetach   // Dev: the device told; On: the deleted device it was attached to
	OpUnsafeUnload   //
	OpUnregNotify    // Driver
	OpUnregOneEntry  // Driver; N: registrations before the unload
	OpCommandAttach  // Driver; Name: the volume
	OpAlsoNotify     // Driver
	OpCommandDetach  // Driver; Name: the volume
	OpSkipAttachedTo // Name: the volume (mount completion finds the filter there already)

	// Mounting and dismounting.
	OpReformatted     // Name: the volume; Names: [format]
	OpRemount         // Name: the volume
	OpFirstAccess     // Name: the volume; Names: [storage, media, format]
	OpMountScan       // N: the queue
	OpScanRestart     // N: the queue
	OpMountToCDO      // Dev: the CDO; Flag: nothing attached to it
	OpClaim           // Dev: the CDO; Name: the volume; Names: [what it recognizes]
	OpCreateVDO       // Dev: the VDO
	OpRawHint         // Name: the volume; N: the queue; Flag: RAW is alone in the queue; Names: [format, fix, key, short]: fix "register" (the file system for the format is not loaded) or "elsewhere" (it has no CDO in this queue)
	OpMountCompletion // Dev: the filter device on the CDO
	OpDismount        // Name: the volume; Names: [storage]
	OpDismountMark    // status; Dev: the VDO
	OpDismountDelete  // Dev: the VDO
	OpStaysUnmounted  // Name: the volume; Names: [storage]

	// IRPs on their way (the dispatcher).
	OpPassDown          // Dev: a filter device passing the IRP down; Name: the IRP
	OpFilterFails       // status; Dev: the filter device completing the IRP itself; Name: the IRP; N: its major
	OpNeverSaw          // Devs: the devices below, which never see the IRP; Name: the IRP
	OpCompletion        // Name: the stack whose completion routines run
	OpCompletionRoutine // Dev: the filter device; Name: the IRP; Status: the IRP's
	OpIoSend            // Name: the volume and path; Names: [the major, the volume]; Dev: the top of the stack
	OpCompletes         // status; Dev: the VDO; Name: the IRP
	OpIoDone            // status; Name: the IRP

	// Filter Manager and minifilters (fltmgr.go).
	OpFrameCreate       // N: the frame; Names: [low, high] ("" high: no upper bound); Driver: a legacy filter above the top frame, if that is why
	OpFltRegister       // Driver: the minifilter; Names: [altitude, group or ""]
	OpFrameChosen       // Driver: the minifilter; N: the frame; Names: [altitude, low, high]
	OpFltStart          // Driver: the minifilter; N: its frame
	OpNoAutoAttach      // Driver: the minifilter
	OpNoVolumes         // Driver: the minifilter; N: its frame
	OpInstanceSetup     // Dev: the frame device; Driver: the minifilter; Name: the volume; Names: [altitude, instance]; Flag: manual; N: 1 if the volume is newly mounted
	OpInstanceDown      // Dev: the frame device; Driver: the minifilter; Name: the volume; Names: [altitude, instance]; N: the Teardown* reason
	OpFltUnregister     // Driver: the minifilter
	OpFltmcAttach       // Driver: the minifilter; Name: the volume; Names: [altitude, instance]
	OpFltmcDetach       // Driver: the minifilter; Name: the volume; Names: [instance]
	OpPreOp             // Dev: the frame device; Driver: the minifilter; Name: the IRP; Names: [altitude]
	OpPostOp            // Dev: the frame device; Driver: the minifilter; Name: the IRP; Names: [altitude]; Status: the IRP's
	OpFrameWiden        // Driver: the minifilter; N: the frame; Names: [altitude, low, old high, next frame's low or ""]
	OpInstanceCollides  // status; Dev: the frame device; Driver: the minifilter; Name: the volume; Names: [altitude, instance, holder, holder's instance, holder's altitude]
	OpSetupPending      // Name: the volume whose instance setup waits for its first operation
	OpSetupStillPending // Driver: the minifilter; Name: the volume whose setup waits
	OpSetupRuns         // Name: the volume; Names: [what FltMgr saw first]
	OpSetupNone         // Name: the volume
	OpFilterUnloadCb    // Driver: the minifilter
	OpQueryTeardown     // status; Dev: the frame device; Driver: the minifilter; Name: the volume; Names: [instance]; N: 1 when the filter has no such callback
	OpPreOpComplete     // status; Dev: the frame device; Driver: the minifilter; Name: the IRP; Names: [altitude]

	numOps
)

// DeviceRef identifies a device object in a trace. The engine makes one
// per device when it creates it and never changes it after the device has
// its place (a VDO's once it has its volume), so events may share it and
// keep it after the device is gone.
type DeviceRef struct {
	ID     int    // creation number: the address derives from it
	Addr   string // as WinDbg prints it: 16 hex digits
	Driver string // the owning driver's name as Windows spells it: Ntfs, av
	Role   Role
	Type   FsType
	Name   string // CDOs: \Ntfs
	Volume string // VDOs: C:
	// FltMgr's devices: IsFrame is set and Frame is the frame's number.
	IsFrame bool
	Frame   int
}

// Event is one step of a trace, as data: what happened (Op), to which
// devices and drivers, with what status. ID numbers the lab's events from 1
// since it booted (New, Reset or SetProfile); Cause is the ID of the event
// this one happened inside (0 for the first event of a verb), and Depth
// that nesting level.
// Stack names the stack the event changed, if any: a drive letter ("C:")
// or a CDO name (`\Ntfs`).
type Event struct {
	ID, Cause int
	Depth     int
	Kind      Kind
	Op        Op
	Origin    Origin // OpAttach: how the device got there
	Flag      bool
	Status    Status
	Stack     string
	Dev       *DeviceRef // the device acting or acted on
	On        *DeviceRef // the other device: landed on, below, ...
	Base      *DeviceRef // a third device: the bottom of the stack
	Devs      []*DeviceRef
	Driver    string   // a driver's name as Windows spells it (\FileSystem\<Driver>)
	Name      string   // a name: a volume letter, a CDO
	Names     []string // more words: formats, volumes, storage names
	N         int
}

// tracer collects the events of one engine call.
type tracer struct {
	events  []Event
	parents []int // IDs of the open events, one per depth
	latest  []int // ID of the latest event at each depth
	seq     int   // the last event ID given out
	spare   []Event
	nodes   []*chainNode // chain nodes of the open events, made on demand
}

func (t *tracer) reset() {
	t.events = nil
	t.parents = t.parents[:0]
	t.latest = t.latest[:0]
	clear(t.nodes)
	t.nodes = t.nodes[:0]
}

// add appends an event at the current depth, giving it its ID and cause.
// A new trace starts with room for a typical verb's events rather than
// growing a line at a time.
func (t *tracer) add(e Event) {
	if t.events == nil {
		if t.spare != nil {
			t.events, t.spare = t.spare, nil
		} else {
			t.events = make([]Event, 0, 16)
		}
	}
	t.seq++
	e.ID = t.seq
	e.Depth = len(t.parents)
	if n := len(t.parents); n > 0 {
		e.Cause = t.parents[n-1]
	}
	t.latest = append(t.latest[:e.Depth], e.ID)
	t.events = append(t.events, e)
}

// op adds an event of kind k and op o.
func (t *tracer) op(k Kind, o Op, e Event) {
	e.Kind, e.Op = k, o
	t.add(e)
}

// status adds an answer: OpStatus, or an op that explains the status.
func (t *tracer) status(st Status, o Op, e Event) {
	e.Kind, e.Op, e.Status = KindStatus, o, st
	t.add(e)
}

// in nests what follows under the latest event at the current depth; out
// ends that.
func (t *tracer) in() {
	id := 0
	if d := len(t.parents); d < len(t.latest) {
		id = t.latest[d]
	}
	t.parents = append(t.parents, id)
}

func (t *tracer) out() {
	t.parents = t.parents[:len(t.parents)-1]
	if len(t.nodes) > len(t.parents) {
		t.nodes[len(t.parents)] = nil
		t.nodes = t.nodes[:len(t.parents)]
	}
}

// chain is the events that led to an event, root first, ending with it: a
// device keeps the chain that put it where it is. Chains are linked nodes,
// each event copied once however many chains pass through it (a mount's
// completions, an enumeration, a teardown share their open events).
type chain struct{ n *chainNode }

type chainNode struct {
	ev Event
	up *chainNode
}

func (c chain) set() bool { return c.n != nil }

// events is the whole chain, root first, in a new slice.
func (c chain) events() []Event {
	var out []Event
	for n := c.n; n != nil; n = n.up {
		out = append(out, n.ev)
	}
	slices.Reverse(out)
	return out
}

// parentChain takes the chain of the open events only, the causes of the
// last event added: a device whose own event the engine can say again from
// the device (an attach, a VDO's creation) keeps this, so it copies no
// event of its own.
func (t *tracer) parentChain() chain {
	if len(t.events) == 0 {
		return chain{}
	}
	return chain{t.openNodes()}
}

// chain takes the chain of the last event added.
func (t *tracer) chain() chain {
	if len(t.events) == 0 {
		return chain{}
	}
	return chain{&chainNode{ev: t.events[len(t.events)-1], up: t.openNodes()}}
}

// openNodes returns the node of the innermost open event, making the open
// events' nodes the first time a chain needs them.
func (t *tracer) openNodes() *chainNode {
	first := t.events[0].ID
	for len(t.nodes) < len(t.parents) {
		t.nodes = append(t.nodes, nil)
	}
	var up *chainNode
	for d, id := range t.parents {
		if t.nodes[d] == nil || t.nodes[d].ev.ID != id {
			if i := id - first; i >= 0 && i < len(t.events) {
				t.nodes[d] = &chainNode{ev: t.events[i], up: up}
			}
		}
		up = t.nodes[d]
	}
	return up
}

// reboot takes the trace of a reset or profile change: event numbering
// starts again after it, so a lab reset and rebuilt numbers its events as a
// fresh one does.
func (t *tracer) reboot() []Event {
	ev := t.take()
	t.seq = 0
	return ev
}

func (t *tracer) take() []Event {
	ev := t.events
	t.reset()
	return ev
}

// EventCount is how many events the lab has numbered since it booted: the
// ID of the latest.
func (e *Engine) EventCount() int { return e.t.seq }

var opNames = [...]string{
	OpNone: "none", OpReset: "reset", OpProfileSame: "profile-same", OpProfileSet: "profile-set",
	OpW2KNoReplay: "w2k-no-replay", OpW2KEx: "w2k-ex", OpXPReplays: "xp-replays",
	OpHasMountAware: "has-mount-aware", OpHasBlockPolicy: "has-block-policy", OpPolicySame: "policy-same",
	OpPolicySet: "policy-set", OpPolicyRegistry: "policy-registry", OpPolicyKept: "policy-kept",
	OpMountLock: "mount-lock", OpMountUnlock: "mount-unlock", OpDriverEntry: "driver-entry",
	OpFSUnloads: "fs-unloads", OpDriverUnload: "driver-unload", OpRegisterFS: "register-fs",
	OpNetworkNoMount: "network-no-mount", OpUnregisterFS: "unregister-fs", OpRecLoaded: "recognizer-loaded",
	OpRecNothing: "recognizer-nothing", OpLoadFSIrp: "load-fs-irp",
	OpZwLoadDriver: "zw-load-driver", OpNameCollision: "name-collision", OpTransparent: "transparent",
	OpPartnerLoaded: "partner-loaded", OpRecStays: "recognizer-stays", OpRecTransparent: "recognizer-transparent",
	OpRecRecognizes: "recognizer-recognizes", OpStatus: "status", OpNotifyStale: "notify-stale",
	OpOpenByName: "open-by-name", OpLateRegister: "late-register", OpRegisterNotify: "register-notify",
	OpRegisteredTimes: "registered-times", OpW2KNoReplayFor: "w2k-no-replay-for", OpReplayNone: "replay-none",
	OpReplay: "replay", OpNoNotify: "no-notify", OpCallback: "callback", OpNotAttachedCDO: "not-attached-cdo",
	OpSkipTape: "skip-tape", OpSkipRecognizer: "skip-recognizer", OpSkipAttachedCDO: "skip-attached-cdo",
	OpEnumMissed: "enumerate-missed", OpEnumerate: "enumerate", OpEnumSkipType: "enumerate-skip-type",
	OpEnumSkipHas: "enumerate-skip-attached", OpAttach: "attach", OpDetach: "detach",
	OpStaysAttached: "stays-attached", OpDeleteDevice: "delete-device", OpFastIoDetach: "fast-io-detach",
	OpUnsafeUnload: "unsafe-unload", OpUnregNotify: "unregister-notify", OpUnregOneEntry: "unregister-one-entry",
	OpCommandAttach: "command-attach", OpAlsoNotify: "also-notify", OpCommandDetach: "command-detach",
	OpSkipAttachedTo: "skip-attached-volume", OpReformatted: "reformatted", OpRemount: "remount",
	OpFirstAccess: "first-access", OpMountScan: "mount-scan", OpScanRestart: "scan-restart",
	OpMountToCDO: "mount-to-cdo", OpClaim: "claim", OpCreateVDO: "create-vdo",
	OpRawHint: "raw-hint", OpCompletion: "completion", OpMountCompletion: "mount-completion",
	OpDismount: "dismount", OpDismountMark: "dismount-mark", OpDismountDelete: "dismount-delete",
	OpStaysUnmounted: "stays-unmounted", OpPassDown: "pass-down", OpFilterFails: "filter-fails",
	OpNeverSaw: "never-saw", OpCompletionRoutine: "completion-routine", OpIoSend: "io-send",
	OpCompletes: "completes", OpIoDone: "io-done",
	OpFrameCreate: "frame-create", OpFltRegister: "flt-register", OpFrameChosen: "frame-chosen",
	OpFltStart: "flt-start", OpNoAutoAttach: "no-auto-attach", OpNoVolumes: "no-volumes",
	OpInstanceSetup: "instance-setup", OpInstanceDown: "instance-teardown", OpFltUnregister: "flt-unregister",
	OpFltmcAttach: "fltmc-attach", OpFltmcDetach: "fltmc-detach", OpPreOp: "pre-op", OpPostOp: "post-op",
	OpFrameWiden: "frame-widen", OpInstanceCollides: "instance-collides", OpSetupPending: "setup-pending",
	OpSetupStillPending: "setup-still-pending", OpSetupRuns: "setup-runs", OpSetupNone: "setup-none",
	OpFilterUnloadCb: "filter-unload-callback", OpQueryTeardown: "query-teardown", OpPreOpComplete: "pre-op-complete",
}

// String names the op in lower case with dashes, for JSON and tests.
func (o Op) String() string {
	if int(o) < len(opNames) && opNames[o] != "" {
		return opNames[o]
	}
	return "?"
}
