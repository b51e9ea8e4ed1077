package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/fssim/fssim/internal/engine"
)

// Trace is how much of a verb's trace a listing prints: a level for a
// projector, decided per Op by the table below, never by a line's words.
type Trace uint8

const (
	// TraceFull prints every event, with device addresses: the default, and
	// what goldens hold.
	TraceFull Trace = iota
	// TraceBrief prints one line per driver call that matters (registrations,
	// callbacks, mount results, attaches, statuses), without addresses.
	TraceBrief
	// TraceStacks prints only what changed: a session's new state, the
	// failures and the result of an I/O request; the stacks a verb changed
	// are listed after it at every level.
	TraceStacks
)

// TraceNames are the levels' names, as --trace and the trace verb take them.
var TraceNames = []string{"full", "brief", "stacks"}

func (l Trace) String() string {
	if int(l) < len(TraceNames) {
		return TraceNames[l]
	}
	return "?"
}

// ParseTrace reads a level's name, in any case.
func ParseTrace(s string) (Trace, error) {
	for i, n := range TraceNames {
		if strings.EqualFold(s, n) {
			return Trace(i), nil
		}
	}
	return TraceFull, fmt.Errorf("unknown trace level %q: use full, brief or stacks", s)
}

// WithTrace returns the theme printing traces at level l.
func (t Theme) WithTrace(l Trace) Theme {
	t.trace = l
	return t
}

// Trace is the theme's trace level.
func (t Theme) Trace() Trace { return t.trace }

// WithBrief returns the theme with brief output on (TraceBrief) or off
// (TraceFull): the brief verb and --brief, kept as aliases of trace.
func (t Theme) WithBrief(on bool) Theme {
	if on {
		return t.WithTrace(TraceBrief)
	}
	return t.WithTrace(TraceFull)
}

// Brief reports whether output leaves device addresses out: at every level
// but full.
func (t Theme) Brief() bool { return t.trace != TraceFull }

// traceLevel is the one table of what each level prints: for each Op, the
// shortest level that still prints it. An Op not in the table prints only
// at TraceFull. Whatever an Op, a failed status prints at every level
// (traceShows), since a refusal or a failure is what changed.
var traceLevel = [engine.NumOps]Trace{
	// A session verb's result is its whole output: what the lab boots with.
	engine.OpReset:       TraceStacks,
	engine.OpProfileSame: TraceStacks,
	engine.OpProfileSet:  TraceStacks,
	engine.OpPolicySame:  TraceStacks,
	engine.OpPolicySet:   TraceStacks,
	engine.OpPolicyKept:  TraceBrief,

	// Driver entry points: the line the rest of a load hangs under.
	engine.OpDriverEntry:  TraceBrief,
	engine.OpDriverUnload: TraceBrief,

	// Registrations.
	engine.OpRegisterFS:     TraceBrief,
	engine.OpUnregisterFS:   TraceBrief,
	engine.OpRegisterNotify: TraceBrief,
	engine.OpUnregNotify:    TraceBrief,
	engine.OpLateRegister:   TraceBrief,
	engine.OpNoNotify:       TraceBrief,
	engine.OpZwLoadDriver:   TraceBrief,
	engine.OpFltRegister:    TraceBrief,
	engine.OpFltUnregister:  TraceBrief,

	// Callbacks, and why a filter did not attach where a reader expects it.
	engine.OpCallback:    TraceBrief,
	engine.OpEnumMissed:  TraceBrief,
	engine.OpNotifyStale: TraceBrief,

	// Mount results.
	engine.OpFirstAccess:  TraceBrief,
	engine.OpClaim:        TraceBrief,
	engine.OpRawHint:      TraceBrief,
	engine.OpDismount:     TraceBrief,
	engine.OpDismountMark: TraceBrief,

	// Attaches and detaches, legacy devices and minifilter instances.
	engine.OpCommandAttach: TraceBrief,
	engine.OpCommandDetach: TraceBrief,
	engine.OpAttach:        TraceBrief,
	engine.OpDetach:        TraceBrief,
	engine.OpFrameCreate:   TraceBrief,
	engine.OpInstanceSetup: TraceBrief,
	engine.OpInstanceDown:  TraceBrief,
	engine.OpFltmcAttach:   TraceBrief,
	engine.OpFltmcDetach:   TraceBrief,
	engine.OpFrameWiden:    TraceBrief,
	engine.OpSetupPending:  TraceBrief,
	engine.OpSetupRuns:     TraceBrief,

	// Minifilters' callbacks: an operation's pre and post callbacks, and
	// the unload callback.
	engine.OpPreOp:          TraceBrief,
	engine.OpPostOp:         TraceBrief,
	engine.OpFilterUnloadCb: TraceBrief,

	// Statuses: the answers of routines and devices, and an I/O request's
	// result, which is what changed when nothing else did.
	engine.OpStatus:           TraceBrief,
	engine.OpRecRecognizes:    TraceBrief,
	engine.OpRecTransparent:   TraceBrief,
	engine.OpNameCollision:    TraceBrief,
	engine.OpFilterFails:      TraceBrief,
	engine.OpCompletes:        TraceBrief,
	engine.OpIoSend:           TraceBrief,
	engine.OpIoDone:           TraceStacks,
	engine.OpInstanceCollides: TraceBrief,
	engine.OpQueryTeardown:    TraceBrief,
	engine.OpPreOpComplete:    TraceBrief,
}

// traceShows reports whether level l prints e.
func traceShows(e engine.Event, l Trace) bool {
	if l == TraceFull {
		return true
	}
	if e.Kind == engine.KindStatus && e.Status.Failed() {
		return true
	}
	return int(e.Op) < len(traceLevel) && traceLevel[e.Op] >= l
}

// StackLine writes a stack in one line, top first, as trace stacks lists
// the stacks a verb changed: each filter with how it got there, then the
// CDO or VDO; `C:  backup (command) > av (mount) > Ntfs VDO`. A FltMgr
// frame names the minifilters it hosts there, from e (nil for none):
// `FltMgr frame 0 [crypt 141000, scanner 138000]`. A cut listing
// (omitted > 0) says how many devices lie between its halves; a volume
// that is not mounted says so.
func StackLine(w io.Writer, e *engine.Engine, name string, devs []engine.DeviceInfo, omitted int, mounted bool, th Theme) {
	w.Write(AppendStackLine(nil, e, name, devs, omitted, mounted, th))
}

// AppendStackLine appends StackLine's line to dst.
func AppendStackLine(dst []byte, e *engine.Engine, name string, devs []engine.DeviceInfo, omitted int, mounted bool, th Theme) []byte {
	b := append(dst, th.Bold(name)...)
	b = append(b, "  "...)
	if !mounted {
		b = append(b, th.Dim("not mounted")...)
	}
	half := len(devs)
	if omitted > 0 {
		half = len(devs) / 2
	}
	for i, d := range devs {
		if i > 0 {
			b = append(b, " > "...)
		}
		if i == half {
			b = append(b, "… "...)
			b = strconv.AppendInt(b, int64(omitted), 10)
			b = append(b, " more … > "...)
		}
		b = append(b, th.Device(d, stackWord(d))...)
		if d.IsFrame && e != nil {
			b = append(b, frameInstances(e, name, d.Frame)...)
		}
	}
	return append(b, '\n')
}

// frameInstances are the minifilters a frame hosts on a volume, highest
// altitude first, as StackLine names them; at most stackLineInstances, and
// how many more.
func frameInstances(e *engine.Engine, vol string, frame int) string {
	ins, cut := e.AppendFrameInstances(nil, vol, frame, stackLineInstances, stackLineInstances/2)
	if len(ins) == 0 {
		return ""
	}
	parts := make([]string, 0, len(ins)+1)
	for i, in := range ins {
		if cut > 0 && i == len(ins)/2 {
			parts = append(parts, "… "+strconv.Itoa(cut)+" more")
		}
		parts = append(parts, in.Minifilter+" "+in.Altitude)
	}
	return " [" + strings.Join(parts, ", ") + "]"
}

// stackLineInstances is the most minifilters a one-line stack names in a
// frame.
const stackLineInstances = 4

// stackWord names a device in a one-line stack: a filter by its driver and
// how it got there, a frame by its number, a CDO or VDO by its driver and
// role.
func stackWord(d engine.DeviceInfo) string {
	switch {
	case d.IsFrame:
		return "FltMgr frame " + strconv.Itoa(d.Frame)
	case d.Role == engine.RoleFilter:
		return d.Short + " (" + shortHow(d) + ")"
	}
	return strings.TrimPrefix(d.Driver, `\FileSystem\`) + " " + role(d)
}

// shortHow is how a filter got where it is in a word or two: "callback",
// "enumerate", "mount", "command", "by name".
func shortHow(d engine.DeviceInfo) string {
	return strings.TrimSuffix(strings.TrimPrefix(how(d), "notify ("), ")")
}
