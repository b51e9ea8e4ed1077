package engine

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// checkExplained checks every stack of the lab: each device's chain of
// causes reaches a verb (a top-level event) through events each caused by
// the one before, and ends with the event that put this device there; and
// for every loaded filter, explain either finds it or names a known reason.
func checkExplained(t *testing.T, e *Engine, step string) {
	t.Helper()
	for _, name := range e.StackNames() {
		whys, err := e.ExplainStack(name)
		if errors.Is(err, ErrNotMounted) {
			continue // a dismounted volume has no stack
		}
		if err != nil {
			t.Fatalf("%s: explain %s: %v", step, name, err)
		}
		for w := range whys {
			c := w.Chain
			if len(c) == 0 {
				if w.Device.Driver != "RAW" || w.Device.Role != RoleCDO {
					t.Fatalf("%s: %s %s#%d has no chain of causes", step, name, w.Device.Driver, w.Device.ID)
				}
				continue
			}
			if c[0].Depth != 0 || c[0].Cause != 0 {
				t.Fatalf("%s: %s: chain of %s#%d does not start at a verb: %s", step, name, w.Device.Driver, w.Device.ID, evString(c[0]))
			}
			for i := 1; i < len(c); i++ {
				if c[i].Cause != c[i-1].ID || c[i].Depth != c[i-1].Depth+1 {
					t.Fatalf("%s: %s: chain of %s#%d broken at %d:\n%s", step, name, w.Device.Driver, w.Device.ID, i, FormatEvents(c))
				}
			}
			last := c[len(c)-1]
			want := map[Role][]Op{RoleFilter: {OpAttach}, RoleVDO: {OpCreateVDO}, RoleCDO: {OpRegisterFS}}[w.Device.Role]
			if !slices.Contains(want, last.Op) || !slices.Contains(refs(last), w.Device) {
				t.Fatalf("%s: %s: chain of %s#%d ends with %s", step, name, w.Device.Driver, w.Device.ID, evString(last))
			}
		}
		for _, m := range e.MiniNames() {
			w, err := e.ExplainMinifilter(m, name)
			switch {
			case err != nil:
				t.Fatalf("%s: explain %s %s: %v", step, m, name, err)
			case (w.Instance == "") == (w.Absent == ""):
				t.Fatalf("%s: explain %s %s: want exactly one of an instance and a reason: %+v", step, m, name, w)
			case w.Instance != "" && (len(w.Chain) == 0 || w.Chain[0].Cause != 0 || w.Chain[len(w.Chain)-1].Op != OpInstanceSetup):
				t.Fatalf("%s: explain %s %s: the instance's chain does not run from a verb to its setup", step, m, name)
			case (w.Absent == "pending") != (w.Pending):
				t.Fatalf("%s: explain %s %s: pending %v, absent %q", step, m, name, w.Pending, w.Absent)
			case w.Absent == "pending" && !e.SetupPending(name):
				t.Fatalf("%s: explain %s %s: pending, but the volume is not", step, m, name)
			}
		}
		for _, f := range e.Names(true) {
			why, a, err := e.ExplainFilter(f, name)
			switch {
			case err != nil:
				t.Fatalf("%s: explain %s %s: %v", step, f, name, err)
			case (why == nil) == (a == nil):
				t.Fatalf("%s: explain %s %s: want exactly one of why and absence", step, f, name)
			case a != nil && a.Reason == ReasonUnknown:
				t.Fatalf("%s: explain %s %s: no known reason\n%s", step, f, name, e.Dump())
			case a != nil && len(a.Rules) == 0 && a.Reason != ReasonNotLoaded:
				t.Fatalf("%s: explain %s %s: reason %d names no rule", step, f, name, a.Reason)
			}
		}
	}
}

// TestCauseChainsReachAVerb drives random labs, as the fuzz target does,
// and checks every device's chain and every filter's explanation after
// every step.
func TestCauseChainsReachAVerb(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		e := fresh(t)
		for i := 0; i < 150; i++ {
			data := []byte{byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))}
			op, _, _ := fuzzOp(e, data)
			checkExplained(t, e, op)
		}
	}
}

func TestExplainReasons(t *testing.T) {
	absent := func(t *testing.T, e *Engine, f, s string, want Reason, rules ...int) *Absence {
		t.Helper()
		why, a, err := e.ExplainFilter(f, s)
		if err != nil || why != nil || a == nil {
			t.Fatalf("explain %s %s: why %v, absence %v, err %v", f, s, why, a, err)
		}
		if a.Reason != want || !slices.Equal(a.Rules, rules) {
			t.Fatalf("explain %s %s: reason %d rules %v, want %d %v", f, s, a.Reason, a.Rules, want, rules)
		}
		return a
	}
	e := fresh(t)
	regFS(t, e, "ntfs")
	regFSType(t, e, "tapefs", Tape, false)
	mustOK(t, e)(e.RegisterFileSystem("fs_rec", FSOptions{}))
	mount(t, e, "C:")
	loadNotify(t, e, "av")
	mustOK(t, e)(e.LoadFilter("old", FilterOptions{Notify: true, NoEnumerate: true}))
	loadCmd(t, e, "cmd")
	mountAs(t, e, "T:", MediaTape, "tapefs")
	mountAs(t, e, "X:", MediaDisk, "junk") // RAW

	absent(t, e, "ghost", "C:", ReasonNotLoaded)
	absent(t, e, "cmd", "C:", ReasonWaitsCommand, 18, 22)
	absent(t, e, "cmd", `\Ntfs`, ReasonCommandOnCDO, 22)
	absent(t, e, "av", `\tapefs`, ReasonTape, 12)
	absent(t, e, "av", "T:", ReasonTape, 12)
	absent(t, e, "av", `\FileSystem\ExFatRecognizer`, ReasonRecognizer, 12)
	absent(t, e, "av", rawDisk, ReasonRawNotReported, 14)
	if a := absent(t, e, "av", "X:", ReasonRawNotReported, 14); a.Via != rawDisk {
		t.Errorf("X: absence via %q", a.Via)
	}
	if a := absent(t, e, "old", "C:", ReasonNoEnumerate, 14); a.Via != `\Ntfs` {
		t.Errorf("old on C: via %q", a.Via)
	}
	why, _, _ := e.ExplainFilter("av", "C:")
	if why == nil || why.How != OriginEnumerate || !slices.Equal(why.Rules, []int{7, 12, 21}) {
		t.Errorf("av on C:: %+v", why)
	}

	// Torn down by a detach below it (rule 23), and by its own detach.
	attachCmd(t, e, "cmd", "C:")
	mustOK(t, e)(e.DetachFilter("av", "C:"))
	a := absent(t, e, "cmd", "C:", ReasonLeft, 23)
	if l, ok := a.Left[len(a.Left)-1].Data.(FastIoDetach); !ok || l.Deleted.Driver != "av" || a.Left[0].Op != OpCommandDetach {
		t.Errorf("cmd left C: by\n%s", FormatEvents(a.Left))
	}
	if a := absent(t, e, "av", "C:", ReasonLeft, 23); a.Left[len(a.Left)-1].Op != OpDeleteDevice || a.Left[0].Data != (CommandDetach{Driver: "av", Volume: "C:"}) {
		t.Errorf("av left C: by\n%s", FormatEvents(a.Left))
	}
	// A command filter does not come back after a remount (rule 20); a
	// notify filter does.
	attachCmd(t, e, "cmd", "C:")
	dismount(t, e, "C:")
	absent(t, e, "cmd", "C:", ReasonNotMounted, 24)
	mount(t, e, "C:")
	if a := absent(t, e, "cmd", "C:", ReasonRemount, 20, 24); a.Left[len(a.Left)-1].Op != OpFastIoDetach || a.Left[0].Op != OpDismount {
		t.Errorf("cmd left the old C: by\n%s", FormatEvents(a.Left))
	}
	if why, _, _ := e.ExplainFilter("av", "C:"); why == nil || why.How != OriginMount {
		t.Errorf("av is not back on C: by its mount completion: %+v", why)
	}

	// Windows 2000 SP4 with the Update Rollup: no replay without Ex, and
	// sfilter never enumerates.
	w := fresh(t)
	mustOK(t, w)(w.SetProfile(W2KSP4))
	regFS(t, w, "ntfs")
	mount(t, w, "C:")
	loadNotify(t, w, "late")
	mustOK(t, w)(w.LoadFilter("ex", FilterOptions{Notify: true, Ex: true}))
	absent(t, w, "late", `\Ntfs`, ReasonW2KNoReplay, 8)
	if a := absent(t, w, "late", "C:", ReasonW2KNoReplay, 8, 18); a.Via != `\Ntfs` {
		t.Errorf("late on C: via %q", a.Via)
	}
	absent(t, w, "ex", "C:", ReasonW2KNoEnumerate, 8)

	// Refusals.
	refusedUnchanged(t, e, ErrNoSuchDevice, func() ([]Event, error) { _, _, err := e.ExplainFilter("av", "Q:"); return nil, err })
	refusedUnchanged(t, e, ErrFilterNotLoaded, func() ([]Event, error) { _, _, err := e.ExplainFilter("ntfs", "C:"); return nil, err })
	refusedUnchanged(t, e, ErrBadName, func() ([]Event, error) { _, _, err := e.ExplainFilter("a b", "C:"); return nil, err })
}

// TestExplainDeepStackIsLinear: in a stack 60 deep, each device's Why
// names at most AboveShown+1 devices above it, counts them all, and names
// the top when it leaves some out, so explaining a stack costs in
// proportion to its depth.
func TestExplainDeepStackIsLinear(t *testing.T) {
	e := New()
	if _, err := e.RegisterFileSystem("ntfs", FSOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Mount("C:", MountOptions{}); err != nil {
		t.Fatal(err)
	}
	const n = 60
	for i := range n {
		name := "f" + string(rune('a'+i/26)) + string(rune('a'+i%26))
		if _, err := e.LoadFilter(name, FilterOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.AttachFilter(name, "C:"); err != nil {
			t.Fatal(err)
		}
	}
	whys, err := e.ExplainStack("C:")
	if err != nil {
		t.Fatal(err)
	}
	st, _ := e.Stack("C:")
	top := st.Devices[0]
	above := 0
	for w := range whys {
		if w.AboveN != above {
			t.Fatalf("%s: AboveN %d, want %d", w.Device.Driver, w.AboveN, above)
		}
		switch {
		case above <= AboveShown+1:
			if len(w.Above) != above || w.AboveTop != nil {
				t.Fatalf("%s, %d above: Above %d, AboveTop %v", w.Device.Driver, above, len(w.Above), w.AboveTop)
			}
		default:
			if len(w.Above) != AboveShown || w.AboveTop == nil || w.AboveTop.Addr != top.Addr {
				t.Fatalf("%s, %d above: Above %d, AboveTop %v, want %d and the top", w.Device.Driver, above, len(w.Above), w.AboveTop, AboveShown)
			}
		}
		above++
	}
	if above != n+1 {
		t.Fatalf("explained %d devices, want %d", above, n+1)
	}
}

// TestUnloadForgetsLeft: an unloaded filter's departures are dropped from
// every stack's record, since explain asks only about loaded filters and a
// filter loaded again is a new driver object; the one loaded again under
// the name explains as itself.
func TestUnloadForgetsLeft(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	mount(t, e, "C:")
	loadNotify(t, e, "av")
	mustOK(t, e)(e.DetachFilter("av", "C:"))
	old := e.drivers["av"]
	if _, ok := e.volumes["C:"].left.get(old); !ok {
		t.Fatal("the detach left no record on C:")
	}
	mustOK(t, e)(e.UnloadFilter("av"))
	for _, v := range e.volumes {
		if _, ok := v.left.get(old); ok {
			t.Errorf("%s still records the unloaded av", v.letter)
		}
	}
	for _, c := range e.cdos {
		if _, ok := c.st.left.get(old); ok {
			t.Errorf("%s still records the unloaded av", c.name)
		}
	}
	loadCmd(t, e, "av")
	if _, a, err := e.ExplainFilter("av", "C:"); err != nil || a == nil || a.Reason != ReasonWaitsCommand {
		t.Errorf("explain av C: after av was loaded again: %+v, %v", a, err)
	}
}
