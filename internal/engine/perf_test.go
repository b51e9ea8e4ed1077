package engine

import (
	"reflect"
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
