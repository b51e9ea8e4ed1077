package engine

import (
	"fmt"
	"strings"
)

// Kind classifies an event, so that a renderer can color it by role and a test
// can pick events out without reading their text.
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

// Event is one step of a trace. Depth nests it under the event that caused
// it. Stack names the stack it changed, if any: a drive letter ("C:") for a
// volume stack or a CDO name (`\Ntfs`) for a control device stack.
type Event struct {
	Depth  int
	Kind   Kind
	Status Status
	Stack  string
	Text   string
}

// String is the event's line without indentation.
func (e Event) String() string { return e.Text }

// tracer collects the events of one engine call.
type tracer struct {
	events []Event
	depth  int
	spare  []Event // a trace handed back by Recycle, for the next one
}

func (t *tracer) reset() {
	t.events = nil
	t.depth = 0
}

func (t *tracer) add(k Kind, format string, args ...any) {
	t.push(Event{Depth: t.depth, Kind: k, Text: fmt.Sprintf(format, args...)})
}

// push appends an event. A new trace starts with room for a typical verb's
// events rather than growing a line at a time.
func (t *tracer) push(e Event) {
	if t.events == nil {
		if t.spare != nil {
			t.events, t.spare = t.spare, nil
		} else {
			t.events = make([]Event, 0, 16)
		}
	}
	t.events = append(t.events, e)
}

// addText is add for a line already made: the hot lines of a trace are
// joined with + rather than formatted.
func (t *tracer) addText(k Kind, text string) {
	t.push(Event{Depth: t.depth, Kind: k, Text: text})
}

// changedText is changed for a line already made.
func (t *tracer) changedText(k Kind, stack, text string) {
	t.push(Event{Depth: t.depth, Kind: k, Stack: stack, Text: text})
}

// changed records an event that changed the named stack.
func (t *tracer) changed(k Kind, stack string, format string, args ...any) {
	t.push(Event{Depth: t.depth, Kind: k, Stack: stack, Text: fmt.Sprintf(format, args...)})
}

func (t *tracer) status(st Status, format string, args ...any) {
	t.statusText(st, fmt.Sprintf(format, args...))
}

// statusText is status with its subject already made (`\Ntfs`), or none.
func (t *tracer) statusText(st Status, subject string) {
	text := st.String()
	if subject != "" {
		text = subject + ": " + text
	}
	t.push(Event{Depth: t.depth, Kind: KindStatus, Status: st, Text: text})
}

func (t *tracer) in()  { t.depth++ }
func (t *tracer) out() { t.depth-- }

func (t *tracer) take() []Event {
	ev := t.events
	t.reset()
	return ev
}

// Recycle hands a trace back once the caller is done with it, so that the
// next call can build its trace in the same memory instead of growing a new
// slice; a mount in a deep lab traces hundreds of events. Calling it is
// optional, and evs must not be used afterwards.
func (e *Engine) Recycle(evs []Event) {
	if cap(evs) > cap(e.t.spare) {
		clear(evs) // drop the old lines' text for the collector
		e.t.spare = evs[:0]
	}
}

// FormatEvents renders a trace as plain text, two spaces per level of depth,
// one line per event. Renderers that color use the same layout.
func FormatEvents(evs []Event) string {
	var b strings.Builder
	for _, e := range evs {
		b.WriteString(strings.Repeat("  ", e.Depth))
		b.WriteString(e.Text)
		b.WriteByte('\n')
	}
	return b.String()
}
