package engine

import (
	"slices"
	"testing"
)

// TestDriverSlotReused: a filter loaded after another unloaded takes its
// slot in the stacks' index (perf.go), and the stacks tell the two apart:
// the new one's devices are found, the old one's are not, before and after
// a clone and a remount. A slot is given back only once its driver has no
// device left.
func TestDriverSlotReused(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	loadNotify(t, e, "spy")
	loadNotify(t, e, "av") // on top, so that it may unload
	mount(t, e, "C:")
	av := e.drivers["av"]
	slot := av.slot
	mustOK(t, e)(e.UnloadFilter("av"))
	inv(t, e)
	loadNotify(t, e, "late")
	late := e.drivers["late"]
	if late.slot != slot {
		t.Fatalf("late has slot %d, want av's %d given back", late.slot, slot)
	}
	for _, lab := range []*Engine{e, e.Clone()} {
		inv(t, lab)
		v := lab.volumes["C:"].vdo.st
		if d := v.member(lab.drivers["late"]); d == nil || d.drv.key != "late" {
			t.Errorf("late's device on C: not found in the index: %v", d)
		}
		if d := v.member(av); d != nil {
			t.Errorf("the unloaded av still has a device on C: in the index: %s", d.label())
		}
	}
	dismount(t, e, "C:")
	mount(t, e, "C:")
	if got := shortsOf(t, e, "C:"); !slices.Contains(got, "late") || slices.Contains(got, "av") {
		t.Errorf("C: after a remount holds %v, want late and not av", got)
	}
	if _, _, err := e.ExplainFilter("late", "C:"); err != nil {
		t.Errorf("explain late on C:: %v", err)
	}
}
