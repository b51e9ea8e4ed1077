package engine

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// Helpers shared by the rule tests. Every helper that calls the engine checks
// the invariants right after the call, so no test step goes unchecked.

// inv fails the test if the engine's invariants are broken.
func inv(t *testing.T, e *Engine) {
	t.Helper()
	if err := e.CheckInvariants(); err != nil {
		t.Fatalf("invariants broken: %v", err)
	}
}

// fresh returns a new engine in the boot state, invariants checked.
func fresh(t *testing.T) *Engine {
	t.Helper()
	e := New()
	inv(t, e)
	return e
}

// mustOK wraps a state-changing call: mustOK(t, e)(e.Mount("C:", MountOptions{})).
func mustOK(t *testing.T, e *Engine) func([]Event, error) []Event {
	return func(ev []Event, err error) []Event {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		inv(t, e)
		if err := checkTrace(ev); err != nil {
			t.Fatalf("%v\n%s", err, FormatEvents(ev))
		}
		return ev
	}
}

// mustFail wraps a call that must be refused with a given sentinel.
func mustFail(t *testing.T, e *Engine, want error) func([]Event, error) error {
	return func(ev []Event, err error) error {
		t.Helper()
		inv(t, e)
		if err == nil {
			t.Fatalf("call succeeded, want an error wrapping %v", want)
		}
		if !errors.Is(err, want) {
			t.Fatalf("error %q does not wrap %q", err, want)
		}
		if len(ev) != 0 {
			t.Errorf("a refused call returned %d events: %s", len(ev), FormatEvents(ev))
		}
		return err
	}
}

// refusedUnchanged runs call, which must fail with want, and checks that the
// whole lab is the same before and after: the State and the Dump, which
// holds the counters (addresses to come, storage numbers), the notification
// list and each driver's device list too.
func refusedUnchanged(t *testing.T, e *Engine, want error, call func() ([]Event, error)) error {
	t.Helper()
	before, dump := e.State(), e.Dump()
	inv(t, e)
	err := mustFail(t, e, want)(call())
	after := e.State()
	inv(t, e)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("refused call changed the state:\nbefore %+v\nafter  %+v", before, after)
	}
	if d := e.Dump(); d != dump {
		t.Errorf("refused call changed the lab:\nbefore\n%s\nafter\n%s", dump, d)
	}
	return err
}

// Shorthands for the commands.

func regFS(t *testing.T, e *Engine, name string) []Event {
	t.Helper()
	return mustOK(t, e)(e.RegisterFileSystem(name, FSOptions{}))
}

func regFSType(t *testing.T, e *Engine, name string, typ FsType, low bool) []Event {
	t.Helper()
	return mustOK(t, e)(e.RegisterFileSystem(name, FSOptions{Type: typ, TypeSet: true, LowPriority: low}))
}

func unregFS(t *testing.T, e *Engine, name string) []Event {
	t.Helper()
	return mustOK(t, e)(e.UnregisterFileSystem(name))
}

func loadNotify(t *testing.T, e *Engine, name string) []Event {
	t.Helper()
	return mustOK(t, e)(e.LoadFilter(name, FilterOptions{Notify: true}))
}

func loadCmd(t *testing.T, e *Engine, name string) []Event {
	t.Helper()
	return mustOK(t, e)(e.LoadFilter(name, FilterOptions{}))
}

func mount(t *testing.T, e *Engine, vol string) []Event {
	t.Helper()
	return mustOK(t, e)(e.Mount(vol, MountOptions{}))
}

func mountAs(t *testing.T, e *Engine, vol string, m Media, format string) []Event {
	t.Helper()
	return mustOK(t, e)(e.Mount(vol, MountOptions{Format: format, Media: m, MediaSet: true}))
}

func dismount(t *testing.T, e *Engine, vol string) []Event {
	t.Helper()
	return mustOK(t, e)(e.Dismount(vol))
}

func attachCmd(t *testing.T, e *Engine, flt, vol string) []Event {
	t.Helper()
	return mustOK(t, e)(e.AttachFilter(flt, vol))
}

// Queries.

func stackOf(t *testing.T, e *Engine, name string) StackInfo {
	t.Helper()
	s, err := e.Stack(name)
	inv(t, e)
	if err != nil {
		t.Fatalf("Stack(%s): %v", name, err)
	}
	return s
}

// shortsOf lists the Short names of a stack, top first.
func shortsOf(t *testing.T, e *Engine, name string) []string {
	t.Helper()
	return shorts(stackOf(t, e, name).Devices)
}

func shorts(devs []DeviceInfo) []string {
	out := []string{}
	for _, d := range devs {
		out = append(out, d.Short)
	}
	return out
}

func hows(devs []DeviceInfo) []Origin {
	out := []Origin{}
	for _, d := range devs {
		out = append(out, d.How)
	}
	return out
}

func roles(devs []DeviceInfo) []Role {
	out := []Role{}
	for _, d := range devs {
		out = append(out, d.Role)
	}
	return out
}

func volumeOf(t *testing.T, e *Engine, name string) VolumeInfo {
	t.Helper()
	v, err := e.Volume(name)
	inv(t, e)
	if err != nil {
		t.Fatalf("Volume(%s): %v", name, err)
	}
	return v
}

func queueNames(t *testing.T, e *Engine, q FsType) []string {
	t.Helper()
	out := []string{}
	for _, c := range e.Queue(q) {
		out = append(out, c.Name)
	}
	inv(t, e)
	return out
}

func filterOf(t *testing.T, e *Engine, name string) FilterInfo {
	t.Helper()
	fs := e.Filters()
	inv(t, e)
	for _, f := range fs {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("filter %q not in Filters()", name)
	return FilterInfo{}
}

func hasFilter(t *testing.T, e *Engine, name string) bool {
	t.Helper()
	fs := e.Filters()
	inv(t, e)
	for _, f := range fs {
		if f.Name == name {
			return true
		}
	}
	return false
}

// addrOf returns the address of the device of driver short in stack name.
func addrOf(t *testing.T, e *Engine, name, short string) string {
	t.Helper()
	for _, d := range stackOf(t, e, name).Devices {
		if d.Short == short {
			return d.Addr
		}
	}
	t.Fatalf("%s has no device of %s", name, short)
	return ""
}

func parseAddr(t *testing.T, a string) uint64 {
	t.Helper()
	if len(a) != 16 {
		t.Fatalf("address %q is not 16 hex digits", a)
	}
	v, err := strconv.ParseUint(a, 16, 64)
	if err != nil {
		t.Fatalf("address %q: %v", a, err)
	}
	return v
}

// Events.

func ofKind(evs []Event, k Kind) []Event {
	var out []Event
	for _, ev := range evs {
		if ev.Kind == k {
			out = append(out, ev)
		}
	}
	return out
}

// stacksOf lists the Stack fields of the events of kind k, in order.
func stacksOf(evs []Event, k Kind) []string {
	out := []string{}
	for _, ev := range ofKind(evs, k) {
		out = append(out, ev.Stack)
	}
	return out
}

// indexOf returns the index of the first event satisfying f, or -1.
func indexOf(evs []Event, f func(Event) bool) int {
	for i, ev := range evs {
		if f(ev) {
			return i
		}
	}
	return -1
}

func statuses(evs []Event) []Status {
	out := []Status{}
	for _, ev := range ofKind(evs, KindStatus) {
		out = append(out, ev.Status)
	}
	return out
}

// checkTrace checks a trace's structure: IDs increase by one, each event's
// Cause is the nearest earlier event one level up (0 at the top level),
// depth grows by at most one, and every op is a known one.
func checkTrace(evs []Event) error {
	var open []int // IDs of the latest event at each depth
	for i, e := range evs {
		if i > 0 && e.ID != evs[i-1].ID+1 {
			return fmt.Errorf("event %d has ID %d after %d", i, e.ID, evs[i-1].ID)
		}
		if e.Op == OpNone || e.Op >= numOps || e.Op.String() == "?" {
			return fmt.Errorf("event %d has op %d", i, e.Op)
		}
		if e.Depth < 0 || e.Depth > len(open) {
			return fmt.Errorf("event %d jumps to depth %d from %d", i, e.Depth, len(open)-1)
		}
		want := 0
		if e.Depth > 0 {
			want = open[e.Depth-1]
		}
		if e.Cause != want {
			return fmt.Errorf("event %d (#%d) has cause %d, want %d", i, e.ID, e.Cause, want)
		}
		open = append(open[:e.Depth], e.ID)
	}
	return nil
}

// callbacks lists the registration-change callbacks of a trace as
// "filter:CDO:TRUE|FALSE", in order.
// callbacks lists the registration-change callbacks of a trace as
// "filter:CDO:TRUE|FALSE".
func callbacks(evs []Event) []string {
	out := []string{}
	for _, ev := range evs {
		cb, ok := ev.Data.(Callback)
		if !ok {
			continue
		}
		active := "FALSE"
		if cb.Active {
			active = "TRUE"
		}
		out = append(out, cb.Driver+":"+cb.CDO.Name+":"+active)
	}
	return out
}

// evString shows an event's data for a test failure: the engine has no
// words for its events (the renderer does), so tests read and show data,
// each payload field by its name.
func evString(e Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d<-%d %s/%s", e.ID, e.Cause, e.Kind, e.Op)
	if e.Data != nil {
		v := reflect.ValueOf(e.Data)
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			if f.IsZero() {
				continue
			}
			fmt.Fprintf(&b, " %s=", strings.ToLower(v.Type().Field(i).Name))
			switch x := f.Interface().(type) {
			case *DeviceRef:
				b.WriteString(refString(x))
			case []*DeviceRef:
				for j, d := range x {
					if j > 0 {
						b.WriteByte(',')
					}
					b.WriteString(refString(d))
				}
			default:
				fmt.Fprint(&b, x)
			}
		}
	}
	if e.Stack != "" {
		fmt.Fprintf(&b, " stack=%s", e.Stack)
	}
	if e.Kind == KindStatus {
		fmt.Fprintf(&b, " %s", e.Status)
	}
	return b.String()
}

func refString(d *DeviceRef) string {
	return fmt.Sprintf("%s:%s#%d%s%s", d.Driver, d.Role, d.ID, d.Name, d.Volume)
}

// refs lists every device an event's payload names, whatever its field:
// for tests that ask whether a device appears in an event at all.
func refs(e Event) []*DeviceRef {
	var out []*DeviceRef
	if e.Data == nil {
		return nil
	}
	v := reflect.ValueOf(e.Data)
	for i := 0; i < v.NumField(); i++ {
		switch x := v.Field(i).Interface().(type) {
		case *DeviceRef:
			if x != nil {
				out = append(out, x)
			}
		case []*DeviceRef:
			out = append(out, x...)
		}
	}
	return out
}

// FormatEvents shows a trace's data, one event a line, indented by depth.
func FormatEvents(evs []Event) string {
	var b strings.Builder
	for _, e := range evs {
		b.WriteString(strings.Repeat("  ", e.Depth) + evString(e) + "\n")
	}
	return b.String()
}

func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %v\n want %v", what, got, want)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
