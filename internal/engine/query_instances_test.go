package engine

import (
	"fmt"
	"testing"
)

// TestFrameInstancesFollowTheFrameDevice: AppendFrameInstances gives a
// frame device's instances highest altitude first, the same rows Instances
// gives for that frame, none on a CDO, an unmounted volume or an unknown
// frame; a frame holding more than limit comes as its k highest and k
// lowest; NumInstances counts every frame's.
func TestFrameInstancesFollowTheFrameDevice(t *testing.T) {
	e := fresh(t)
	ok := mustOK(t, e)
	regFS(t, e, "ntfs")
	mount(t, e, "C:")
	ok(e.LoadFltMgr())
	ok(e.LoadMinifilter("crypt", MiniOptions{Altitude: "141100"}))
	loadNotify(t, e, "av")
	ok(e.LoadMinifilter("scanner", MiniOptions{Altitude: "138000"}))
	ok(e.LoadMinifilter("watch", MiniOptions{Altitude: "385100"}))
	ok(e.FltmcAttach("crypt", "C:", "141000.5", "low"))

	names := func(ins []InstanceInfo) []string {
		var out []string
		for _, in := range ins {
			out = append(out, fmt.Sprintf("%s@%s/%s/%d/%t", in.Minifilter, in.Altitude, in.Instance, in.Frame, in.Manual))
		}
		return out
	}
	f0, cut := e.AppendFrameInstances(nil, "c:", 0, 24, 10)
	equal(t, "frame 0 on C:", names(f0), []string{"crypt@141100/crypt/0/false", "crypt@141000.5/low/0/true", "scanner@138000/scanner/0/false"})
	equal(t, "frame 0 cut", cut, 0)
	f1, _ := e.AppendFrameInstances(f0, "C:", 1, 24, 10)
	equal(t, "frame 1 on C:", names(f1), []string{"watch@385100/watch/1/false"})
	var byFrame []string
	for _, in := range e.Instances("C:") {
		if in.Frame == 0 {
			byFrame = append(byFrame, names([]InstanceInfo{in})...)
		}
	}
	equal(t, "Instances agrees", byFrame, []string{"crypt@141100/crypt/0/false", "crypt@141000.5/low/0/true", "scanner@138000/scanner/0/false"})
	equal(t, "NumInstances(C:)", e.NumInstances("C:"), 4)

	for _, c := range []struct {
		vol   string
		frame int
	}{{`\Ntfs`, 0}, {"C:", 2}, {"C:", -1}, {"D:", 0}, {"??", 0}} {
		if ins, n := e.AppendFrameInstances(nil, c.vol, c.frame, 24, 10); len(ins) != 0 || n != 0 {
			t.Errorf("AppendFrameInstances(%q, %d) = %v, %d; want none", c.vol, c.frame, ins, n)
		}
	}
	equal(t, "NumInstances(D:)", e.NumInstances("D:"), 0)

	for i := 0; i < 7; i++ {
		ok(e.LoadMinifilter(fmt.Sprintf("m%d", i), MiniOptions{Altitude: fmt.Sprint(100 + i)}))
	}
	ins, cut := e.AppendFrameInstances(nil, "C:", 0, 8, 2)
	equal(t, "cut frame 0", names(ins), []string{"crypt@141100/crypt/0/false", "crypt@141000.5/low/0/true", "m1@101/m1/0/false", "m0@100/m0/0/false"})
	equal(t, "left out", cut, 6)
	equal(t, "NumInstances(C:) after", e.NumInstances("C:"), 11)
}

// TestNoFltMgrNoInstances: without Filter Manager the queries answer
// nothing and do not fail.
func TestNoFltMgrNoInstances(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	mount(t, e, "C:")
	if ins, n := e.AppendFrameInstances(nil, "C:", 0, 24, 10); len(ins) != 0 || n != 0 || e.NumInstances("C:") != 0 {
		t.Errorf("instances without FltMgr: %v %d %d", ins, n, e.NumInstances("C:"))
	}
}
