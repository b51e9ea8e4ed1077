package engine

import (
	"slices"
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
	refusedUnchanged(t, e, ErrAltitudeCollision, func() ([]Event, error) {
		return e.LoadMinifilter("twin", MiniOptions{Altitude: "0385100.000"})
	})

	// A new mount keeps the CDO's order: frame 0, av, frame 1, and every
	// instance set up as newly mounted.
	evs = mount(t, e, "D:")
	if got := shortsOf(t, e, "D:"); !slices.Equal(got, []string{"fltmgr", "av", "fltmgr", "ntfs"}) {
		t.Fatalf("D: %v", got)
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
