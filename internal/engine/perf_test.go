package engine

import (
	"reflect"
	"slices"
	"testing"
)

// TestAppendQueriesReuse: each Append query, given the results of a bigger
// lab to reuse, lists what its plain query lists once the lab has shrunk and
// changed (lists it reuses may be empty where the plain one's are nil).
func TestAppendQueriesReuse(t *testing.T) {
	e := fresh(t)
	ok := mustOK(t, e)
	ok(e.RegisterFileSystem("ntfs", FSOptions{}))
	ok(e.RegisterFileSystem("fs_rec", FSOptions{}))
	ok(e.RegisterFileSystem("fastfat", FSOptions{}))
	ok(e.LoadFilter("av", FilterOptions{Notify: true, AttachRaw: true}))
	ok(e.LoadFilter("cmd", FilterOptions{}))
	for _, l := range []string{"Z:", "C:", "M:", "D:"} {
		ok(e.Mount(l, MountOptions{}))
	}
	ok(e.AttachFilter("cmd", "M:"))
	ok(e.AttachFilter("cmd", "C:"))
	filters, fss := e.AppendFilters(nil), e.AppendFileSystems(nil)
	cdos, cdoDevs := e.AppendCDOs(nil, nil)
	vols, volDevs := e.AppendVolumes(nil, nil)
	if !same(filters, e.Filters()) || !same(fss, e.FileSystems()) {
		t.Fatal("Append queries differ from the plain ones on a nil buffer")
	}

	ok(e.DetachFilter("cmd", "C:"))
	ok(e.Dismount("Z:"))
	ok(e.DetachFilter("cmd", "M:"))
	ok(e.UnloadFilter("av"))
	ok(e.LoadFilter("backup", FilterOptions{Notify: true}))
	ok(e.Mount("Z:", MountOptions{Format: "fat32"}))
	filters, fss = e.AppendFilters(filters), e.AppendFileSystems(fss)
	cdos, _ = e.AppendCDOs(cdos, cdoDevs)
	vols, _ = e.AppendVolumes(vols, volDevs)
	if want := e.Filters(); !same(filters, want) {
		t.Errorf("AppendFilters reusing memory = %+v\nFilters = %+v", filters, want)
	}
	if want := e.FileSystems(); !same(fss, want) {
		t.Errorf("AppendFileSystems reusing memory = %+v\nFileSystems = %+v", fss, want)
	}
	st := e.State()
	if !same(cdos, st.CDOs) {
		t.Errorf("AppendCDOs = %+v\nState's = %+v", cdos, st.CDOs)
	}
	if !same(vols, st.Volumes) {
		t.Errorf("AppendVolumes = %+v\nState's = %+v", vols, st.Volumes)
	}
	for _, q := range QueueOrder {
		if got, want := e.AppendQueueNames([]string{"x", "y", "z"}, q), e.QueueNames(q); !same(got, want) {
			t.Errorf("AppendQueueNames(%s) = %v, QueueNames = %v", q, got, want)
		}
	}
	ok(e.UnloadFilter("backup"))
	if fl, fs := e.AppendDrivers(filters, fss); !same(fl, e.Filters()) || !same(fs, e.FileSystems()) {
		t.Errorf("AppendDrivers = %+v, %+v\nFilters, FileSystems = %+v, %+v", fl, fs, e.Filters(), e.FileSystems())
	}
}

// same compares as reflect.DeepEqual does, but an empty list equals a nil
// one.
func same(a, b any) bool {
	return reflect.DeepEqual(normalize(reflect.ValueOf(a)).Interface(), normalize(reflect.ValueOf(b)).Interface())
}

// normalize copies v with every empty slice made nil.
func normalize(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Slice:
		if v.Len() == 0 {
			return reflect.Zero(v.Type())
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(normalize(v.Index(i)))
		}
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		for i := range v.NumField() {
			out.Field(i).Set(normalize(v.Field(i)))
		}
		return out
	}
	return v
}

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
