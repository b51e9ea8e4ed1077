package repl

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// smallSnapshots makes snapshots every n verbs for one test.
func smallSnapshots(t *testing.T, n int) {
	t.Helper()
	old := snapEvery
	snapEvery = n
	t.Cleanup(func() { snapEvery = old })
}

// manyLines is a scenario of n verbs, each of which succeeds, with
// filters, mounts, detaches, reboots and a profile change, so undo and a
// failed load cross snapshots and reboots.
func manyLines(n int) []string {
	out := []string{"fs register ntfs", "fs register fastfat", "filter load av --notify", "mount C:"}
	for i := 0; len(out) < n; i++ {
		f := "f" + strconv.Itoa(i)
		out = append(out, "filter load "+f, "filter attach "+f+" C:", "mount D: --format fat32",
			"filter load n"+strconv.Itoa(i)+" --notify", "dismount D:", "filter detach "+f+" C:")
		if i%5 == 4 {
			out = append(out, "reset", "os w2ksp4", "fs register ntfs", "fs register fastfat", "filter load av --notify --ex", "mount C:")
		}
	}
	return out[:n]
}

// explainAll is explain of every stack of the lab, which names, for each
// device, the verb and the line that put it there.
func explainAll(t *testing.T, s *Session) string {
	t.Helper()
	var b bytes.Buffer
	out := s.Out
	s.Out = &b
	defer func() { s.Out = out }()
	for _, name := range s.Eng.StackNames() {
		if err := s.Exec("explain " + quoteWord(name)); err != nil {
			fmt.Fprintf(&b, "explain %s: %v\n", name, err)
		}
	}
	return b.String()
}

// loadedSession loads lines from lab.fss, so that each verb has a file and
// line for explain to name.
func loadedSession(t *testing.T, lines []string) *Session {
	t.Helper()
	s, _, _ := histSession(map[string]string{"lab.fss": strings.Join(lines, "\n") + "\n"})
	mustExec(t, s, "load lab.fss")
	return s
}

// TestUndoAcrossSnapshots: with a snapshot every 4 verbs, undo N of a
// 90-verb history, for every N, gives the lab of running the first lines
// (Dump, counters and addresses included), the same explanations (each
// device's verb and line, rebuilt from what the replay traced, not from
// the event numbers the first run gave out), and the same history; and
// running the undone lines again gives the whole lab back.
func TestUndoAcrossSnapshots(t *testing.T) {
	smallSnapshots(t, 4)
	lines := manyLines(90)
	full := loadedSession(t, lines)
	if len(full.snaps) == 0 {
		t.Fatal("no snapshot taken")
	}
	fullExplain := explainAll(t, full)
	for n := 1; n <= len(lines); n++ {
		s := loadedSession(t, lines)
		mustExec(t, s, "undo "+strconv.Itoa(n))
		prefix := loadedSession(t, lines[:len(lines)-n])
		if s.Eng.Dump() != prefix.Eng.Dump() {
			t.Fatalf("undo %d: the lab differs from running the first %d lines", n, len(lines)-n)
		}
		if got, want := explainAll(t, s), explainAll(t, prefix); got != want {
			t.Fatalf("undo %d: explain differs from running the first %d lines:\n%s\nwant:\n%s", n, len(lines)-n, got, want)
		}
		if got := hist(s); !slices.Equal(got, lines[:len(lines)-n]) {
			t.Fatalf("undo %d: history %q", n, got)
		}
		for i, l := range lines[len(lines)-n:] {
			if err := s.execLine(l, origin{name: "lab.fss", line: len(lines) - n + i + 1}); err != nil {
				t.Fatalf("%q: %v", l, err)
			}
		}
		if s.Eng.Dump() != full.Eng.Dump() {
			t.Fatalf("undo %d, then the %d lines again: the lab differs from running them once", n, n)
		}
		if got := explainAll(t, s); got != fullExplain {
			t.Fatalf("undo %d, then the %d lines again: explain differs:\n%s\nwant:\n%s", n, n, got, fullExplain)
		}
	}
}

// TestUndoInSteps: undo after undo, each a few verbs, with verbs run in
// between, keeps the lab equal to the history's replay at every step, as
// the snapshots behind the cut go and new ones come.
func TestUndoInSteps(t *testing.T) {
	smallSnapshots(t, 3)
	lines := manyLines(120)
	s, _, _ := histSession(nil)
	mustExec(t, s, lines...)
	for step := 0; s.hist.len() > 5; step++ {
		mustExec(t, s, "undo "+strconv.Itoa(1+step%7))
		if step%3 == 0 {
			h := hist(s)
			mustExec(t, s, "filter load extra"+strconv.Itoa(step))
			mustExec(t, s, "undo")
			if !slices.Equal(hist(s), h) {
				t.Fatalf("step %d: undo after one verb left history %q, want %q", step, hist(s), h)
			}
		}
		again, _, _ := histSession(nil)
		mustExec(t, again, hist(s)...)
		if s.Eng.Dump() != again.Eng.Dump() {
			t.Fatalf("step %d: after undo the lab differs from its history's replay (%d verbs)", step, s.hist.len())
		}
	}
}

// TestUndoAfterRebootNamesTheRightVerb: a reset restarts event numbers, so
// the verbs after it reuse the numbers of the verbs before it. Undoing the
// reset must not leave explain naming a verb of after the reset for a
// device a verb of before it made.
func TestUndoAfterRebootNamesTheRightVerb(t *testing.T) {
	lines := []string{"fs register ntfs", "filter load av --notify", "mount C:", "reset", "fs register fastfat", "filter load zz --notify", "mount D: --format fat32"}
	s := loadedSession(t, lines)
	mustExec(t, s, "undo 4")
	prefix := loadedSession(t, lines[:3])
	got, want := explainAll(t, s), explainAll(t, prefix)
	if got != want {
		t.Errorf("explain after undoing the reset:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(got, "fastfat") || strings.Contains(got, "filter load zz") {
		t.Errorf("explain names a verb that was undone:\n%s", got)
	}
}

// TestFailedLoadAcrossSnapshots: a load that fails puts the lab, history
// and explanations back as they were before it, when the load ran past
// several snapshots, when the file undid verbs from before the load (the
// history cut below the load's start), and when a nested load failed.
func TestFailedLoadAcrossSnapshots(t *testing.T) {
	smallSnapshots(t, 3)
	lines := manyLines(40)
	more := strings.Join(manyLines(60)[40:], "\n")
	files := map[string]string{
		"long.fss":    more + "\nmount nosuch\n",
		"undo.fss":    "undo 25\nfilter load y\n" + more + "\nmount nosuch\n",
		"undoall.fss": "undo 40\nfs register ntfs\nmount nosuch\n",
		"outer.fss":   "filter load o1\nload undo.fss\n",
		"inner.fss":   "filter load o2\nundo 2\nload long.fss\n",
	}
	for _, name := range []string{"long.fss", "undo.fss", "undoall.fss", "outer.fss", "inner.fss"} {
		s, _, m := histSession(files)
		m.files["lab.fss"] = strings.Join(lines, "\n") + "\n"
		mustExec(t, s, "load lab.fss")
		dump, h, ex := s.Eng.Dump(), hist(s), explainAll(t, s)
		if err := s.Exec("load " + name); err == nil {
			t.Fatalf("load %s succeeded", name)
		}
		if s.Eng.Dump() != dump {
			t.Errorf("load %s failed but changed the lab", name)
		}
		if !slices.Equal(hist(s), h) {
			t.Errorf("load %s failed but changed the history: %q", name, hist(s))
		}
		if got := explainAll(t, s); got != ex {
			t.Errorf("load %s failed but changed explain:\n%s\nwant:\n%s", name, got, ex)
		}
		// Undo still works from the restored history and snapshots.
		mustExec(t, s, "undo 7")
		prefix := loadedSession(t, lines[:len(lines)-7])
		if s.Eng.Dump() != prefix.Eng.Dump() {
			t.Errorf("load %s failed, then undo 7: the lab differs from the first lines", name)
		}
	}
}

// TestFailedLoadWhenHistoryOverflows: a load whose verbs push the history
// past its limit (so it is dropped) and then fails still puts back the lab
// and the history of before the load.
func TestFailedLoadWhenHistoryOverflows(t *testing.T) {
	defer func(n int) { maxHistoryBytes = n }(maxHistoryBytes)
	maxHistoryBytes = 400
	smallSnapshots(t, 3)
	lines := manyLines(12)
	s, _, m := histSession(map[string]string{"big.fss": strings.Join(manyLines(80)[12:], "\n") + "\nmount nosuch\n"})
	mustExec(t, s, lines...)
	dump, h := s.Eng.Dump(), hist(s)
	if err := s.Exec("load big.fss"); err == nil {
		t.Fatal("load big.fss succeeded")
	}
	_ = m
	if s.hist.full || !slices.Equal(hist(s), h) {
		t.Fatalf("history after the failed load: %q (full %v), want %q", hist(s), s.hist.full, h)
	}
	if s.Eng.Dump() != dump {
		t.Error("the failed load changed the lab")
	}
	mustExec(t, s, "undo 3")
	prefix, _, _ := histSession(nil)
	mustExec(t, prefix, lines[:len(lines)-3]...)
	if s.Eng.Dump() != prefix.Eng.Dump() {
		t.Error("undo after the failed load: the lab differs from the first lines")
	}
}

// TestSnapshotsStayFew: over a long history the snapshots grow in number
// with the logarithm of its length, and any point of the history has one
// at most max(snapEvery, its distance from the end) verbs before it.
func TestSnapshotsStayFew(t *testing.T) {
	smallSnapshots(t, 10)
	s, _, _ := histSession(nil)
	mustExec(t, s, "fs register ntfs")
	for i := range 6000 {
		mustExec(t, s, []string{"mount C:", "dismount C:"}[i%2])
		l := s.hist.len()
		prev := 0
		for _, sn := range s.snaps {
			if sn.at-prev > max(snapEvery, l-sn.at) {
				t.Fatalf("at %d verbs: snapshots at %d and %d are too far apart", l, prev, sn.at)
			}
			prev = sn.at
		}
		if l-prev > snapEvery {
			t.Fatalf("at %d verbs: the newest snapshot is at %d", l, prev)
		}
	}
	if n := len(s.snaps); n > 24 {
		ats := make([]string, n)
		for i, sn := range s.snaps {
			ats[i] = fmt.Sprint(sn.at)
		}
		t.Errorf("%d snapshots for 6,001 verbs (every 10): %s", n, strings.Join(ats, " "))
	}
}

// TestUndoCostFlat: undo costs the same with 300 or 3,000 verbs of
// history (snapshots every 50), counted in allocations rather than time,
// which a shared machine makes noisy. Replaying the whole history made it
// ten times as much.
func TestUndoCostFlat(t *testing.T) {
	smallSnapshots(t, 50)
	var allocs []float64
	for _, n := range []int{300, 3000} {
		s, _, _ := histSession(nil)
		mustExec(t, s, "fs register ntfs", "filter load av --notify")
		for i := 2; i < n; i++ {
			mustExec(t, s, []string{"mount C:", "dismount C:"}[i%2])
		}
		last := s.hist.at(n - 1)
		allocs = append(allocs, testing.AllocsPerRun(20, func() {
			mustExec(t, s, "undo", last)
		}))
	}
	if allocs[1] > 2*allocs[0] {
		t.Errorf("undo with 3,000 verbs of history allocates %.0f times, with 300 %.0f: it grows with the history", allocs[1], allocs[0])
	}
}
