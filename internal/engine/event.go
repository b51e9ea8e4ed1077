package engine

// How to add an Op (an event kind):
//
//  1. Add its constant below, in its family's block (session, file systems,
//     callbacks, attaching, mounting, IRPs, Filter Manager), before numOps.
//  2. Add its payload type to payload.go, in the same family: a struct with
//     exactly the fields the Op sets, named for what they mean (a device is
//     a *DeviceRef, a driver its name), and an Op method returning the
//     constant. Add the Op's name (JSON, tests) and the type's zero value to
//     the ops table at the end of payload.go.
//  3. Emit it from the engine: e.t.op(kind, Foo{...}); e.t.opOn when it
//     changes a stack (Event.Stack), e.t.status when it is an NTSTATUS
//     answer (Event.Status).
//  4. Give it words in internal/render/words.go: a case for Foo in its
//     family's appendX function.
//  5. Test what it says in an engine test, by type: x.Data.(Foo).Field,
//     or x.Data == Foo{...} for a payload without slices.
//
// The compiler and two tests hold this together: a field the Op does not
// set does not exist, so reading it does not compile; TestOpsTable (engine)
// fails if the table lacks the Op or its type answers another Op; and
// TestEveryOpHasWords (render) fills every Op's payload and fails if render
// has no words for it.

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

// Op is what an event says happened: one Op per payload type (payload.go),
// so Event.Op always equals Event.Data.Op().
type Op uint8

// The operations of a trace, by family. Each Op's payload type, of the same
// name without the prefix (OpStatus's is Answer), says what it carries.
const (
	OpNone Op = iota

	// Session.
	OpReset
	OpProfileSame
	OpProfileSet
	OpW2KNoReplay // a note under OpProfileSet
	OpW2KEx
	OpXPReplays
	OpHasMountAware // a note under OpProfileSet
	OpHasBlockPolicy
	OpPolicySame
	OpPolicySet
	OpPolicyRegistry
	OpPolicyKept // a note under OpReset
	OpDriverEntry
	OpFSUnloads
	OpDriverUnload

	// File systems and the recognizer.
	OpRegisterFS
	OpNetworkNoMount
	OpUnregisterFS
	OpRecLoaded
	OpRecNothing
	OpLoadFSIrp
	OpZwLoadDriver
	OpNameCollision // status
	OpTransparent
	OpPartnerLoaded
	OpRecStays
	OpRecTransparent // status
	OpRecRecognizes  // status
	OpStatus         // status
	OpNotifyStale
	OpOpenByName
	OpLateRegister
	OpRegisterNotify
	OpMountLock
	OpMountUnlock
	OpRegisteredTimes
	OpW2KNoReplayFor
	OpReplayNone
	OpReplay
	OpNoNotify

	// Callbacks and enumeration (the sfilter pattern).
	OpCallback
	OpNotAttachedCDO
	OpSkipTape
	OpSkipRecognizer
	OpSkipAttachedCDO
	OpEnumMissed
	OpEnumerate
	OpEnumSkipType
	OpEnumSkipHas

	// Attaching and detaching.
	OpAttach
	OpDetach
	OpStaysAttached
	OpDeleteDevice
	OpFastIoDetach
	OpUnsafeUnload
	OpUnregNotify
	OpUnregOneEntry
	OpCommandAttach
	OpAlsoNotify
	OpCommandDetach
	OpSkipAttachedTo

	// Mounting and dismounting.
	OpReformatted
	OpRemount
	OpFirstAccess
	OpMountScan
	OpScanRestart
	OpMountToCDO
	OpClaim
	OpCreateVDO
	OpRawHint
	OpMountCompletion
	OpDismount
	OpDismountMark // status
	OpDismountDelete
	OpStaysUnmounted

	// IRPs on their way (the dispatcher).
	OpPassDown
	OpFilterFails // status
	OpNeverSaw
	OpCompletion
	OpCompletionRoutine
	OpIoSend
	OpCompletes // status
	OpIoDone    // status

	// Filter Manager and minifilters (fltmgr.go).
	OpFrameCreate
	OpFltRegister
	OpFrameChosen
	OpFltStart
	OpNoAutoAttach
	OpNoVolumes
	OpInstanceSetup
	OpInstanceDown
	OpFltUnregister
	OpFltmcAttach
	OpFltmcDetach
	OpPreOp
	OpPostOp
	OpFrameWiden
	OpInstanceCollides // status
	OpSetupPending
	OpSetupStillPending
	OpSetupRuns
	OpSetupNone
	OpFilterUnloadCb
	OpQueryTeardown // status
	OpPreOpComplete // status

	numOps
)

// NumOps is one past the last Op: Op(1) to NumOps-1 are every Op there is.
const NumOps = numOps

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

// Event is one step of a trace, as data: what happened (Op, and its typed
// payload Data), with what status. ID numbers the lab's events from 1 since
// it booted (New, Reset or SetProfile); Cause is the ID of the event this
// one happened inside (0 for the first event of a verb), and Depth that
// nesting level.
// Stack names the stack the event changed, if any: a drive letter ("C:")
// or a CDO name (`\Ntfs`).
type Event struct {
	ID, Cause int
	Depth     int
	Kind      Kind
	Op        Op     // Data.Op()
	Status    Status // KindStatus: the NTSTATUS answered
	Stack     string
	Data      Payload // what happened, with the devices and drivers involved
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

// op adds an event of kind k whose payload p says what happened.
func (t *tracer) op(k Kind, p Payload) {
	t.add(Event{Kind: k, Op: p.Op(), Data: p})
}

// opOn adds an event of kind k that changed the stack named stack.
func (t *tracer) opOn(k Kind, stack string, p Payload) {
	t.add(Event{Kind: k, Op: p.Op(), Stack: stack, Data: p})
}

// status adds an answer: OpStatus, or an op that explains the status.
func (t *tracer) status(st Status, p Payload) {
	t.add(Event{Kind: KindStatus, Op: p.Op(), Status: st, Data: p})
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
