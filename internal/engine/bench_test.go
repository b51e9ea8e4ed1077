package engine

import (
	"fmt"
	"testing"
)

// benchLab builds a lab of 24 volumes (C: to Z:) with nfilters notify
// filters on each, over ntfs.
func benchLab(b *testing.B, nfilters int) *Engine {
	b.Helper()
	e := New()
	must := func(_ []Event, err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(e.RegisterFileSystem("ntfs", FSOptions{}))
	for i := 0; i < nfilters; i++ {
		must(e.LoadFilter(fmt.Sprintf("f%03d", i), FilterOptions{Notify: true}))
	}
	must(e.LoadFilter("cmd", FilterOptions{}))
	for c := 'C'; c <= 'Z'; c++ {
		must(e.Mount(string(c)+":", MountOptions{}))
	}
	return e
}

// BenchmarkAttachDetach is the engine's share of the commonest pair of
// verbs: a command filter attaches to the top of a 100-filter stack and
// leaves it (no rendering).
func BenchmarkAttachDetach(b *testing.B) {
	e := benchLab(b, 100)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.AttachFilter("cmd", "M:"); err != nil {
			b.Fatal(err)
		}
		if _, err := e.DetachFilter("cmd", "M:"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRemount dismounts and mounts a volume under 100 notify filters:
// 100 FastIoDetachDevice calls, then the mount request past 100 filters and
// 100 attaches in the completion.
func BenchmarkRemount(b *testing.B) {
	e := benchLab(b, 100)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Dismount("M:"); err != nil {
			b.Fatal(err)
		}
		if _, err := e.Mount("M:", MountOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadUnloadNotify loads a notify filter into a lab of 24 volumes
// with 100 filters each (it attaches to \Ntfs and enumerates all 24) and
// unloads it again.
func BenchmarkLoadUnloadNotify(b *testing.B) {
	e := benchLab(b, 100)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.LoadFilter("late", FilterOptions{Notify: true}); err != nil {
			b.Fatal(err)
		}
		if _, err := e.UnloadFilter("late"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkState is the snapshot show --json reads: the whole lab of 24
// volumes with 100 filters each.
func BenchmarkState(b *testing.B) {
	e := benchLab(b, 100)
	b.ReportAllocs()
	for b.Loop() {
		_ = e.State()
	}
}

// BenchmarkCheckInvariants walks the whole 24x100 lab, as the fuzz targets
// do after every call.
func BenchmarkCheckInvariants(b *testing.B) {
	e := benchLab(b, 100)
	b.ReportAllocs()
	for b.Loop() {
		if err := e.CheckInvariants(); err != nil {
			b.Fatal(err)
		}
	}
}
