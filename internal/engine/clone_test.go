package engine

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/fssim/fssim/internal/longtest"
)

// TestCloneGoesOnAsTheLabLong runs long random scenarios (the fuzzer's calls)
// and, before each call, clones the lab: the clone has the same Dump and
// keeps the invariants; the call on the clone leaves the original as it
// was; and the call on both gives the same events, error and Dump. The lab
// goes on as the clone every other step, so clones of clones are checked.
// Eight seeds of 400 steps; two under -short, which is all the race detector
// would see (the engine is one goroutine: it only slows the eight, from
// about 1.3 s to 7 s), while make test's second pass runs the eight.
func TestCloneGoesOnAsTheLabLong(t *testing.T) {
	seeds := uint64(8)
	if longtest.Short(t) {
		seeds = 2
	}
	for seed := range seeds {
		r := rand.New(rand.NewPCG(seed, 13))
		e := New()
		// Set up a lab with something in it most of the time.
		for _, op := range [][]byte{{0, 0, 0, 0}, {2, 0, 1, 0}, {8, 0, 1, 0}, {12, 0, 0, 0}, {13, 0, 0, 0}} {
			fuzzOp(e, op)
		}
		for step := range 400 {
			op := []byte{byte(r.IntN(16)), byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))}
			before := e.Dump()
			c := e.Clone()
			if got := c.Dump(); got != before {
				t.Fatalf("seed %d step %d: the clone's Dump differs:\n%s\nwant:\n%s", seed, step, got, before)
			}
			if err := c.CheckInvariants(); err != nil {
				t.Fatalf("seed %d step %d: clone: %v", seed, step, err)
			}
			if c.Epoch() != e.Epoch() || c.EventCount() != e.EventCount() {
				t.Fatalf("seed %d step %d: clone epoch %d events %d, want %d and %d", seed, step, c.Epoch(), c.EventCount(), e.Epoch(), e.EventCount())
			}
			name, cev, cerr := fuzzOp(c, op)
			if got := e.Dump(); got != before {
				t.Fatalf("seed %d step %d: %s on the clone changed the original:\n%s\nwant:\n%s", seed, step, name, got, before)
			}
			_, eev, eerr := fuzzOp(e, op)
			if (cerr == nil) != (eerr == nil) || (cerr != nil && cerr.Error() != eerr.Error()) {
				t.Fatalf("seed %d step %d: %s: clone error %v, lab error %v", seed, step, name, cerr, eerr)
			}
			if !reflect.DeepEqual(cev, eev) {
				t.Fatalf("seed %d step %d: %s: the clone traced\n%v\nthe lab\n%v", seed, step, name, cev, eev)
			}
			if c.Dump() != e.Dump() {
				t.Fatalf("seed %d step %d: %s: the clone's Dump differs from the lab's", seed, step, name)
			}
			if c.Epoch() != e.Epoch() {
				t.Fatalf("seed %d step %d: %s: clone epoch %d, lab %d", seed, step, name, c.Epoch(), e.Epoch())
			}
			if step%2 == 1 {
				e = c
			}
		}
	}
}

// TestCloneKnowsEveryField fails when a field is added to the lab's types
// without Clone being taught it: copy it (a pointer into the lab must point
// at the copy's object) or share it (only what never changes), then add it
// here.
func TestCloneKnowsEveryField(t *testing.T) {
	known := map[reflect.Type][]string{
		reflect.TypeFor[Engine]():     {"profile", "seq", "drivers", "slots", "queues", "cdos", "volumes", "notify", "storageCount", "unloadNoted", "blockLegacy", "flt", "setupRan", "t", "addrs", "epoch"},
		reflect.TypeFor[driver]():     {"key", "short", "kind", "devs", "slot", "known", "cdos", "formats", "lowPrio", "recLoads", "recState", "path", "lower", "notifyRoutine", "enumerate", "attachRaw", "ex", "mountAware", "failOps", "unloaded", "fltmgr", "group", "alt"},
		reflect.TypeFor[device]():     {"id", "drv", "role", "typ", "name", "how", "lowPr", "registered", "above", "below", "st", "vol", "prevDev", "nextDev", "addrs", "ref", "why", "landed", "frame", "inst", "pass"},
		reflect.TypeFor[stack]():      {"bottom", "top", "n", "members", "frames", "left"},
		reflect.TypeFor[volume]():     {"letter", "media", "storage", "realS", "vpbS", "format", "vdo", "fltPending", "left"},
		reflect.TypeFor[fltMgr]():     {"drv", "frames", "minis", "order", "objs"},
		reflect.TypeFor[frame]():      {"id", "low", "high", "why", "addr"},
		reflect.TypeFor[minifilter](): {"key", "short", "alt", "group", "inst", "noAuto", "frame", "order", "addr", "refuseDetach", "noQuery", "completeOps"},
		reflect.TypeFor[instance]():   {"mf", "alt", "name", "manual", "why", "addr"},
		reflect.TypeFor[tracer]():     {"events", "parents", "latest", "seq", "spare", "nodes"},
		reflect.TypeFor[leftRec]():    {"drv", "chain", "bottom", "rule", "dev", "on", "stack"},
	}
	for typ, want := range known {
		var got []string
		for i := range typ.NumField() {
			got = append(got, typ.Field(i).Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s has fields %v; Clone knows %v: teach Clone the new ones (clone.go), then list them here", typ.Name(), got, want)
		}
	}
}

// TestEpochCountsReboots: a reset and a profile change start a new epoch,
// and the next call numbers its events from 1; a profile set to the same
// profile does not.
func TestEpochCountsReboots(t *testing.T) {
	e := New()
	must := func(_ []Event, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.RegisterFileSystem("ntfs", FSOptions{}))
	if e.Epoch() != 0 || e.EventCount() == 0 {
		t.Fatalf("epoch %d events %d", e.Epoch(), e.EventCount())
	}
	e.Reset()
	if e.Epoch() != 1 || e.EventCount() != 0 {
		t.Fatalf("after Reset: epoch %d events %d, want 1 and 0", e.Epoch(), e.EventCount())
	}
	must(e.SetProfile(XP))
	if e.Epoch() != 1 {
		t.Fatalf("a profile set to the one it is: epoch %d, want 1", e.Epoch())
	}
	n := e.EventCount()
	must(e.SetProfile(W2K))
	if e.Epoch() != 2 || e.EventCount() != 0 {
		t.Fatalf("after a profile change: epoch %d events %d (was %d), want 2 and 0", e.Epoch(), e.EventCount(), n)
	}
	ev, err := e.RegisterFileSystem("ntfs", FSOptions{})
	if err != nil || ev[0].ID != 1 {
		t.Fatalf("first event after a reboot: %v %v, want ID 1", ev, err)
	}
}
