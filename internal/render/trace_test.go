package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
)

// traceLab traces a mount through two notify filters and a failed mount
// that RAW ends, at each level.
func traceLab(t *testing.T) (mount, raw []engine.Event) {
	t.Helper()
	e := engine.New()
	for _, f := range []func() ([]engine.Event, error){
		func() ([]engine.Event, error) { return e.RegisterFileSystem("ntfs", engine.FSOptions{}) },
		func() ([]engine.Event, error) { return e.LoadFilter("av", engine.FilterOptions{Notify: true}) },
		func() ([]engine.Event, error) { return e.LoadFilter("enc", engine.FilterOptions{Notify: true}) },
	} {
		if _, err := f(); err != nil {
			t.Fatal(err)
		}
	}
	mount, err := e.Mount("C:", engine.MountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err = e.Mount("D:", engine.MountOptions{Format: "fat33"})
	if err != nil {
		t.Fatal(err)
	}
	return mount, raw
}

func traceAt(evs []engine.Event, l Trace) (string, int) {
	var b bytes.Buffer
	n := Events(&b, evs, NewTheme(false).WithTrace(l))
	return b.String(), n
}

// TestTraceLevels: full prints every event; brief keeps the claim and the
// attaches, without addresses or the IRP passing down, each line indented
// at most one level under the line above it; stacks keeps only failures.
// Events reports the lines it wrote.
func TestTraceLevels(t *testing.T) {
	mount, raw := traceLab(t)
	full, n := traceAt(mount, TraceFull)
	if n != len(mount) || strings.Count(full, "\n") != len(mount) {
		t.Errorf("full: %d lines reported, %d written, want one per event (%d)", n, strings.Count(full, "\n"), len(mount))
	}
	brief, n := traceAt(mount, TraceBrief)
	if n != strings.Count(brief, "\n") || n >= len(mount) {
		t.Errorf("brief: %d lines reported, %d written, %d events", n, strings.Count(brief, "\n"), len(mount))
	}
	for _, want := range []string{"recognizes ntfs and claims C:", "IoAttachDeviceToDeviceStackSafe(av, C: VDO)", "IoAttachDeviceToDeviceStackSafe(enc, C: VDO)"} {
		if !strings.Contains(brief, want) {
			t.Errorf("brief lacks %q:\n%s", want, brief)
		}
	}
	for _, not := range []string{"ffffa080", "passes it down", "mount completion", "IoCreateDevice"} {
		if strings.Contains(brief, not) {
			t.Errorf("brief holds %q:\n%s", not, brief)
		}
	}
	prev := 0
	for _, line := range strings.Split(strings.TrimSuffix(brief, "\n"), "\n") {
		ind := len(line) - len(strings.TrimLeft(line, " "))
		if ind > prev+2 {
			t.Errorf("brief: %q is indented more than one level under the line above it:\n%s", line, brief)
		}
		prev = ind
	}
	if out, n := traceAt(mount, TraceStacks); n != 0 {
		t.Errorf("stacks: a successful mount printed %d lines, want none (its stack says it):\n%s", n, out)
	}
	out, _ := traceAt(raw, TraceStacks)
	if !strings.Contains(out, "STATUS_UNRECOGNIZED_VOLUME") || strings.Contains(out, "passes it down") {
		t.Errorf("stacks, a mount nobody recognizes: want its failures only:\n%s", out)
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if strings.HasPrefix(line, " ") {
			t.Errorf("stacks: %q is indented under a line it does not print", line)
		}
	}
}

// TestTraceLevelTable: the table is by Op, and every level keeps what the
// next shorter one keeps; a session's result shows at every level.
func TestTraceLevelTable(t *testing.T) {
	for op := engine.Op(1); op < engine.NumOps; op++ {
		e := engine.Event{Op: op, Data: op.Zero()}
		if traceShows(e, TraceStacks) && !traceShows(e, TraceBrief) {
			t.Errorf("%v shows at stacks but not at brief", op)
		}
		if !traceShows(e, TraceFull) {
			t.Errorf("%v does not show at full", op)
		}
	}
	for _, op := range []engine.Op{engine.OpReset, engine.OpProfileSet, engine.OpPolicySet, engine.OpIoDone} {
		if !traceShows(engine.Event{Op: op}, TraceStacks) {
			t.Errorf("%v does not show at stacks", op)
		}
	}
	for _, s := range TraceNames {
		l, err := ParseTrace(strings.ToUpper(s))
		if err != nil || l.String() != s {
			t.Errorf("ParseTrace(%q) = %v, %v", s, l, err)
		}
	}
	if _, err := ParseTrace("loud"); err == nil {
		t.Error("ParseTrace(loud): no error")
	}
}

// TestStackLine: a stack in one line, top first, each filter with how it
// got there; a cut stack says how many devices it leaves out.
func TestStackLine(t *testing.T) {
	e := lab(t)
	v, _ := e.Volume("C:")
	var b bytes.Buffer
	StackLine(&b, e, v.Name, v.Stack, v.Omitted, v.Mounted, NewTheme(false))
	if got, want := b.String(), "C:  backup (command) > av (mount) > Ntfs VDO\n"; got != want {
		t.Errorf("StackLine = %q, want %q", got, want)
	}
	b.Reset()
	StackLine(&b, nil, "C:", append(v.Stack[:1:1], v.Stack[2]), 5, true, NewTheme(false))
	if got, want := b.String(), "C:  backup (command) > … 5 more … > Ntfs VDO\n"; got != want {
		t.Errorf("cut StackLine = %q, want %q", got, want)
	}
}
