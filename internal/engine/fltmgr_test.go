package engine

import (
	"slices"
	"strings"
	"testing"
)

func frameIDs(devs []DeviceInfo) []int {
	var out []int
	for _, d := range devs {
		if d.IsFrame {
			out = append(out, d.Frame)
		}
	}
	return out
}

// TestFramesAroundLegacyFilters: a minifilter lands below a legacy filter
// that attached after frame 0, unless its altitude is above every
// minifilter of frame 0, which makes frame 1 at the top (rule 28).
func TestFramesAroundLegacyFilters(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	mount(t, e, "C:")
	mustOK(t, e)(e.LoadFltMgr())
	mustOK(t, e)(e.LoadMinifilter("crypt", MiniOptions{Altitude: "141100"}))
	loadNotify(t, e, "av")
	mustOK(t, e)(e.LoadMinifilter("scanner", MiniOptions{Altitude: "138000"}))
	if got := shortsOf(t, e, "C:"); !slices.Equal(got, []string{"av", "fltmgr", "ntfs"}) {
		t.Fatalf("stack %v: scanner needs no new frame", got)
	}
	mustOK(t, e)(e.LoadMinifilter("watch", MiniOptions{Altitude: "385100"}))
	st := stackOf(t, e, "C:")
	if got := shorts(st.Devices); !slices.Equal(got, []string{"fltmgr", "av", "fltmgr", "ntfs"}) {
		t.Fatalf("stack %v: watch should have made frame 1 on top", got)
	}
	if got := frameIDs(st.Devices); !slices.Equal(got, []int{1, 0}) {
		t.Fatalf("frames %v", got)
	}
	res, evs, err := e.SendIo(MjRead, `C:\x`)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkTrace(evs); err != nil {
		t.Fatal(err)
	}
	want := []string{"fltmgr", "watch@385100", "av", "fltmgr", "crypt@141100", "scanner@138000", "ntfs"}
	if !slices.Equal(res.Down, want) {
		t.Errorf("down %v, want %v", res.Down, want)
	}
	wantUp := []string{"fltmgr", "scanner@138000", "crypt@141100", "av", "fltmgr", "watch@385100"}
	if !slices.Equal(res.Up, wantUp) {
		t.Errorf("up %v, want %v", res.Up, wantUp)
	}
	w, err := e.ExplainMinifilter("scanner", "C:")
	if err != nil || w.Frame != 0 || !slices.Equal(w.Above, []string{"av"}) || w.NextFrame != 1 {
		t.Errorf("explain scanner: %+v %v", w, err)
	}

	// Unload and reload: the same frame. A collision in another spelling
	// changes nothing.
	mustOK(t, e)(e.UnloadMinifilter("watch"))
	mustOK(t, e)(e.LoadMinifilter("watch", MiniOptions{Altitude: "385100"}))
	if ms := e.Minifilters(); ms[0].Name != "watch" || ms[0].Frame != 1 || ms[0].Instances != 1 {
		t.Errorf("reloaded watch: %+v", ms[0])
	}
	// A new mount keeps the CDO's order: frame 0, av, frame 1; instance
	// setup waits for the first operation, then runs as newly mounted.
	evs = mount(t, e, "D:")
	if got := shortsOf(t, e, "D:"); !slices.Equal(got, []string{"fltmgr", "av", "fltmgr", "ntfs"}) {
		t.Fatalf("D: %v", got)
	}
	if !e.SetupPending("D:") || len(e.Instances("D:")) != 0 {
		t.Fatalf("D: setup should be pending: %v %v", e.SetupPending("D:"), e.Instances("D:"))
	}
	if !slices.ContainsFunc(evs, func(ev Event) bool { return ev.Op == OpSetupPending }) {
		t.Errorf("the mount of D: does not say its instance setup waits")
	}
	_, evs, err = e.SendIo(MjRead, `D:\x`)
	if err != nil || !e.SetupRan() || e.SetupPending("D:") {
		t.Fatalf("io on D: ran no setup: %v", err)
	}
	n := 0
	for _, ev := range evs {
		if p, ok := ev.Data.(InstanceSetup); ok && p.NewlyMounted {
			n++
		}
	}
	if n != 3 || len(e.Instances("D:")) != 3 {
		t.Errorf("D: %d newly mounted setups, %v", n, e.Instances("D:"))
	}
	evs = dismount(t, e, "D:")
	down := 0
	for _, ev := range evs {
		if ev.Op == OpInstanceDown {
			down++
		}
	}
	if down != 3 || len(e.Instances("D:")) != 0 {
		t.Errorf("dismount tore down %d instances", down)
	}
}

func TestInstancesManualAndRefusals(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	mount(t, e, "C:")
	refusedUnchanged(t, e, ErrFltMgrNotLoaded, func() ([]Event, error) {
		return e.LoadMinifilter("m", MiniOptions{Altitude: "1"})
	})
	mustOK(t, e)(e.LoadFltMgr())
	refusedUnchanged(t, e, ErrBadAltitude, func() ([]Event, error) {
		return e.LoadMinifilter("m", MiniOptions{Altitude: "1.2.3"})
	})
	refusedUnchanged(t, e, ErrBadAltitude, func() ([]Event, error) {
		return e.LoadMinifilter("m", MiniOptions{Altitude: "100", Group: "anti-virus"})
	})
	refusedUnchanged(t, e, ErrFltMgr, func() ([]Event, error) { return e.UnloadFilter("fltmgr") })
	mustOK(t, e)(e.LoadMinifilter("probe", MiniOptions{Altitude: "385200", NoAuto: true}))
	if len(e.Instances("C:")) != 0 {
		t.Fatal("--no-auto made an instance")
	}
	mustOK(t, e)(e.FltmcAttach("probe", "C:", "", ""))
	refusedUnchanged(t, e, ErrAltitudeCollision, func() ([]Event, error) { return e.FltmcAttach("probe", "C:", "385200.0", "x") })
	refusedUnchanged(t, e, ErrAlreadyAttached, func() ([]Event, error) { return e.FltmcAttach("probe", "C:", "1", "") })
	mustOK(t, e)(e.FltmcAttach("probe", "C:", "2", "second"))
	if in := e.Instances("C:"); len(in) != 2 || in[0].Altitude != "385200" || !in[0].Manual {
		t.Fatalf("instances %+v", in)
	}
	refusedUnchanged(t, e, ErrBadOption, func() ([]Event, error) { return e.FltmcDetach("probe", "C:", "") })
	mustOK(t, e)(e.FltmcDetach("probe", "C:", "second"))
	refusedUnchanged(t, e, ErrNotAttached, func() ([]Event, error) { return e.FltmcDetach("probe", "C:", "second") })
}

// TestFrameRanges: frame 0 starts as 0 to 0 and widens; a legacy filter
// above the top frame makes a new frame even when the top frame is empty
// (issue 15.1, rule 26).
func TestFrameRanges(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	mustOK(t, e)(e.LoadFltMgr())
	if f := e.Frames(); len(f) != 1 || f[0].Low != "0" || f[0].High != "0" {
		t.Fatalf("frame 0 %+v, want 0 to 0", f)
	}
	mount(t, e, "C:")
	loadCmd(t, e, "leg")
	attachCmd(t, e, "leg", "C:")
	ev := mustOK(t, e)(e.LoadMinifilter("top", MiniOptions{Altitude: "409000"}))
	if !slices.Contains(opsOf(ev), OpFrameCreate) {
		t.Errorf("no frame created: %v", opsOf(ev))
	}
	st := stackOf(t, e, "C:")
	if got := shorts(st.Devices); !slices.Equal(got, []string{"fltmgr", "leg", "fltmgr", "ntfs"}) {
		t.Fatalf("C: %v", got)
	}
	if got := frameIDs(st.Devices); !slices.Equal(got, []int{1, 0}) {
		t.Fatalf("frames %v", got)
	}
	f := e.Frames()
	if f[0].High != "0" || f[1].Low != "409000" || f[1].High != "409000" {
		t.Errorf("ranges %+v", f)
	}
	// No legacy filter above frame 1: a higher altitude widens it; one in
	// the gap widens frame 0.
	mustOK(t, e)(e.LoadMinifilter("higher", MiniOptions{Altitude: "409500"}))
	mustOK(t, e)(e.LoadMinifilter("mid", MiniOptions{Altitude: "200000"}))
	f = e.Frames()
	if len(f) != 2 || f[1].High != "409500" || f[0].High != "200000" {
		t.Errorf("after widening %+v", f)
	}
	if err := e.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// TestOneFramePerMinifilter: fltmc attach at an altitude of another frame
// is refused, naming the minifilter's range (issue 15.3).
func TestOneFramePerMinifilter(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	mount(t, e, "C:")
	mustOK(t, e)(e.LoadFltMgr())
	mustOK(t, e)(e.LoadMinifilter("crypt", MiniOptions{Altitude: "141100"}))
	loadNotify(t, e, "av")
	mustOK(t, e)(e.LoadMinifilter("watch", MiniOptions{Altitude: "385100"}))
	err := refusedUnchanged(t, e, ErrWrongFrame, func() ([]Event, error) { return e.FltmcAttach("crypt", "C:", "390000", "hi") })
	if !strings.Contains(err.Error(), "0 to 141100") {
		t.Errorf("refusal %q does not name crypt's range", err)
	}
	// Inside crypt's range: fine.
	mustOK(t, e)(e.FltmcAttach("crypt", "C:", "141000", "lo"))
}

// TestCollisionsBelongToInstances: a second minifilter at an altitude
// loads, and its instance collides; so does an instance name (issue 15.4).
func TestCollisionsBelongToInstances(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	mount(t, e, "C:")
	mustOK(t, e)(e.LoadFltMgr())
	mustOK(t, e)(e.LoadMinifilter("one", MiniOptions{Altitude: "328000"}))
	ev := mustOK(t, e)(e.LoadMinifilter("two", MiniOptions{Altitude: "0328000.0"}))
	var st []Status
	for _, x := range ev {
		if x.Op == OpInstanceCollides {
			st = append(st, x.Status)
			p := x.Data.(InstanceCollides)
			if p.Driver != "two" || p.Volume != "C:" || p.Holder != "one" || p.HolderInstance != "one" || p.HolderAltitude != "328000" {
				t.Errorf("collision %+v", p)
			}
		}
	}
	if !slices.Equal(st, []Status{StatusFltAltitudeCollision}) {
		t.Errorf("collisions %v", st)
	}
	if ms := e.Minifilters(); len(ms) != 2 || ms[0].Instances+ms[1].Instances != 1 {
		t.Errorf("minifilters %+v", ms)
	}
	ev = mustOK(t, e)(e.LoadMinifilter("three", MiniOptions{Altitude: "100", Instance: "one"}))
	if x := ofOp(ev, OpInstanceCollides); len(x) != 1 || x[0].Status != StatusFltNameCollision {
		t.Errorf("name collision: %v", opsOf(ev))
	}
	err := refusedUnchanged(t, e, ErrAlreadyAttached, func() ([]Event, error) { return e.FltmcAttach("three", "C:", "", "") })
	equal(t, "status", StatusOf(err), StatusFltNameCollision)
	if err := e.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// TestRawVolumesGetFrames: FltMgr opens RawDisk by name, so a RAW volume
// gets a frame and instances that see FLT_FSTYPE_RAW (issue 15.5).
func TestRawVolumesGetFrames(t *testing.T) {
	e := fresh(t)
	mustOK(t, e)(e.LoadFltMgr())
	mustOK(t, e)(e.LoadMinifilter("m", MiniOptions{Altitude: "328000"}))
	mount(t, e, "C:") // nothing but RAW
	if got := shortsOf(t, e, "C:"); !slices.Equal(got, []string{"fltmgr", "raw"}) {
		t.Fatalf("C: %v", got)
	}
	_, ev, err := e.SendIo(MjCreate, "C:")
	if err != nil {
		t.Fatal(err)
	}
	x := ofOp(ev, OpInstanceSetup)
	if len(x) != 1 || !x[0].Data.(InstanceSetup).Raw || !x[0].Data.(InstanceSetup).NewlyMounted {
		t.Errorf("setup %+v", x)
	}
}

// TestMinifilterUnloadOrder: FilterUnloadCallback, then FltUnregisterFilter
// and the teardowns inside it; no DriverUnload (issue 15.7).
func TestMinifilterUnloadOrder(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	mount(t, e, "C:")
	mustOK(t, e)(e.LoadFltMgr())
	mustOK(t, e)(e.LoadMinifilter("m", MiniOptions{Altitude: "328000"}))
	ev := mustOK(t, e)(e.UnloadMinifilter("m"))
	equal(t, "ops", opsOf(ev), []Op{OpFilterUnloadCb, OpFltUnregister, OpInstanceDown})
	if ev[2].Cause != ev[1].ID {
		t.Errorf("teardown is not inside FltUnregisterFilter")
	}
	equal(t, "reason", ev[2].Data.(InstanceDown).Reason, TeardownUnload)
}

// TestManualDetachAsksFirst: InstanceQueryTeardown may refuse, and a
// minifilter without it cannot be detached by hand (issue 15.8).
func TestManualDetachAsksFirst(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	mount(t, e, "C:")
	mustOK(t, e)(e.LoadFltMgr())
	mustOK(t, e)(e.LoadMinifilter("ok", MiniOptions{Altitude: "300000"}))
	mustOK(t, e)(e.LoadMinifilter("no", MiniOptions{Altitude: "310000", RefuseDetach: true}))
	mustOK(t, e)(e.LoadMinifilter("none", MiniOptions{Altitude: "320000", NoQueryTeardown: true}))
	for _, n := range []string{"no", "none"} {
		err := refusedUnchanged(t, e, ErrDetachRefused, func() ([]Event, error) { return e.FltmcDetach(n, "C:", "") })
		equal(t, n+" status", StatusOf(err), StatusFltDoNotDetach)
	}
	ev := mustOK(t, e)(e.FltmcDetach("ok", "C:", ""))
	equal(t, "ops", opsOf(ev), []Op{OpFltmcDetach, OpQueryTeardown, OpInstanceDown})
	if q := ev[1].Data.(QueryTeardown); q.Driver != "ok" || q.Volume != "C:" || q.Instance != "ok" || ev[1].Status != StatusSuccess {
		t.Errorf("query %+v, %v", q, ev[1].Status)
	}
	equal(t, "reason", ev[2].Data.(InstanceDown).Reason, TeardownManual)
	refusedUnchanged(t, e, ErrBadOption, func() ([]Event, error) {
		return e.LoadMinifilter("both", MiniOptions{Altitude: "1", RefuseDetach: true, NoQueryTeardown: true})
	})
}

// TestPreOpComplete: a minifilter's pre-operation callback ends the IRP;
// lower instances, frames, legacy filters and the file system never see
// it, and the post-operation callbacks above it run (issue 15.9).
func TestPreOpComplete(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	mount(t, e, "C:")
	mustOK(t, e)(e.LoadFltMgr())
	mustOK(t, e)(e.LoadMinifilter("low", MiniOptions{Altitude: "100000"}))
	loadNotify(t, e, "av")
	mustOK(t, e)(e.LoadMinifilter("mid", MiniOptions{Altitude: "400000"}))
	mustOK(t, e)(e.LoadMinifilter("top", MiniOptions{Altitude: "405000"}))
	mustOK(t, e)(e.LoadMinifilter("guard", MiniOptions{Altitude: "402000", Complete: []Major{MjWrite}}))
	res, _, err := e.SendIo(MjWrite, `C:\x`)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "down", res.Down, []string{"fltmgr", "top@405000", "guard@402000"})
	equal(t, "by", res.CompletedBy, "guard@402000")
	equal(t, "status", res.Status, StatusAccessDenied)
	equal(t, "up", res.Up, []string{"top@405000"})
	res, _, _ = e.SendIo(MjRead, `C:\x`)
	equal(t, "read reaches ntfs", res.CompletedBy, "ntfs")
}

// TestLegacyAltitudeAndRows: a legacy filter's altitude comes from its
// group, and fltmc filters lists rows in stack order (issue 15.10).
func TestLegacyAltitudeAndRows(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	mount(t, e, "C:")
	mustOK(t, e)(e.LoadFltMgr())
	mustOK(t, e)(e.LoadMinifilter("crypt", MiniOptions{Altitude: "141100"}))
	mustOK(t, e)(e.LoadFilter("avl", FilterOptions{Notify: true, Group: "FSFilter Anti-Virus"}))
	mustOK(t, e)(e.LoadMinifilter("watch", MiniOptions{Altitude: "385100"}))
	mustOK(t, e)(e.LoadFilter("idle", FilterOptions{}))
	var got []string
	for _, r := range e.FltmcFilters() {
		got = append(got, r.Name+"/"+r.Altitude)
	}
	equal(t, "rows", got, []string{"watch/385100", "avl/329998.99", "crypt/141100", "idle/"})
	for g, want := range map[string]string{"encryption": "149998.99", "activity-monitor": "389998.99", "top": "409998.99"} {
		gr, err := FindGroup(g)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, g, gr.legacyAltitude().String(), want)
	}
}

// TestDevstackAddress: devstack ADDRESS finds the stack and marks that
// device (issue 15.13).
func TestDevstackAddress(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	mount(t, e, "C:")
	loadNotify(t, e, "av")
	st := stackOf(t, e, "C:")
	got, err := e.Stack(st.Devices[0].Addr)
	if err != nil || got.Name != "C:" || got.Marked != 1 {
		t.Fatalf("%+v %v", got, err)
	}
	if got, _ := e.Stack("0x" + st.Devices[1].Addr); got.Marked != 0 {
		t.Errorf("VDO marked %d", got.Marked)
	}
	refusedUnchanged(t, e, ErrNoSuchDevice, func() ([]Event, error) { _, err := e.Stack("ffffa0800000ffff"); return nil, err })
}

// ofOp picks the events of one op.
func ofOp(evs []Event, o Op) []Event {
	var out []Event
	for _, e := range evs {
		if e.Op == o {
			out = append(out, e)
		}
	}
	return out
}

// TestFrameInvariantsCatchBreakage: checkFrames reports overlapping
// ranges, an instance outside its frame, and a shared altitude or name.
func TestFrameInvariantsCatchBreakage(t *testing.T) {
	build := func() *Engine {
		e := fresh(t)
		regFS(t, e, "ntfs")
		mount(t, e, "C:")
		mustOK(t, e)(e.LoadFltMgr())
		mustOK(t, e)(e.LoadMinifilter("a", MiniOptions{Altitude: "100"}))
		mustOK(t, e)(e.LoadMinifilter("b", MiniOptions{Altitude: "200"}))
		loadNotify(t, e, "av")
		mustOK(t, e)(e.LoadMinifilter("c", MiniOptions{Altitude: "300000"}))
		if err := e.CheckInvariants(); err != nil {
			t.Fatal(err)
		}
		return e
	}
	dev := func(e *Engine, fr int) *device { return e.volumes["C:"].vdo.st.frameDev(e.flt.drv, e.flt.frames[fr]) }
	for name, breakIt := range map[string]func(e *Engine){
		"overlap":          func(e *Engine) { e.flt.frames[0].high = MustAltitude("300000") },
		"outside range":    func(e *Engine) { e.flt.minis["a"].alt = MustAltitude("250") },
		"wrong frame":      func(e *Engine) { dev(e, 1).inst = append(dev(e, 1).inst, dev(e, 0).inst[0]) },
		"shared altitude":  func(e *Engine) { dev(e, 0).inst[1].alt = dev(e, 0).inst[0].alt },
		"shared name":      func(e *Engine) { dev(e, 0).inst[1].name = "B" },
		"pending and auto": func(e *Engine) { e.volumes["C:"].fltPending = true },
	} {
		e := build()
		breakIt(e)
		if err := e.CheckInvariants(); err == nil {
			t.Errorf("%s: invariants hold", name)
		}
	}
}
