//go:build !js

package term

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/fssim/fssim/internal/longtest"
	"github.com/fssim/fssim/internal/repl"
)

// writeLines writes n numbered lines ("old N") to path.
func writeLines(t *testing.T, path string, n int) {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "old %d\n", i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// fileLines is path's lines.
func fileLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		t.Errorf("%s does not end in a newline", path)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// collect returns a warn func that keeps the warnings.
func collect() (*[]string, func(string)) {
	var got []string
	return &got, func(m string) { got = append(got, m) }
}

// TestHistoryConcurrentWritersLoseNothingLong: two prompts, each with its own
// file descriptors, append to a history of more than a thousand lines at
// once; the trims that cut it back (rename) must never swallow a line of
// the other prompt. Each trial checks every line written is there, once,
// and that each writer's lines keep their order.
func TestHistoryConcurrentWritersLoseNothingLong(t *testing.T) {
	for _, tc := range []struct {
		name            string
		old, limit, per int
		wantAll         bool // no trim can have dropped a new line
	}{
		// Above the limit, at the trim threshold: the first line trims.
		{"1999 lines, limit 1000", 1999, 1000, 150, true},
		// A small limit trims every few lines: lines may go to a trim,
		// but only the oldest, never one with a newer one of the same
		// writer kept.
		{"1500 lines, limit 20", 1500, 20, 150, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trials := 20
			if longtest.Short(t) {
				trials = 4
			}
			for trial := range trials {
				path := filepath.Join(t.TempDir(), "history")
				writeLines(t, path, tc.old)
				var wg sync.WaitGroup
				for w := range 2 {
					h, lines := openHistoryFile(path, tc.limit, func(m string) { t.Errorf("warning: %s", m) })
					if len(lines) != min(tc.old, tc.limit) {
						t.Fatalf("loaded %d lines of %d, want the last %d", len(lines), tc.old, tc.limit)
					}
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := range tc.per {
							h.add(fmt.Sprintf("w%d line %d", w, i))
							if i%16 == 0 {
								runtime.Gosched()
							}
						}
					}()
				}
				wg.Wait()
				got := fileLines(t, path)
				for w := range 2 {
					var seq []int
					for _, l := range got {
						var ww, i int
						if n, _ := fmt.Sscanf(l, "w%d line %d", &ww, &i); n == 2 && ww == w {
							seq = append(seq, i)
						}
					}
					// The writer's lines left must be its last ones, in order.
					first := tc.per - len(seq)
					for k, i := range seq {
						if i != first+k {
							t.Fatalf("trial %d: writer %d's lines in the file are %v…, want %d..%d in order with no gap",
								trial, w, seq[:min(len(seq), 20)], first, tc.per-1)
						}
					}
					if tc.wantAll && len(seq) != tc.per {
						t.Fatalf("trial %d: writer %d has %d of its %d lines in the file", trial, w, len(seq), tc.per)
					}
				}
				if n := len(got); n > 2*tc.limit+1 {
					t.Fatalf("trial %d: the file holds %d lines, more than twice the limit %d", trial, n, tc.limit)
				}
			}
		})
	}
}

// TestHistoryLongFileKeptUntilTrim: a history longer than the limit is
// read (its last lines) but not cut at start; it is cut, by rename, only
// once a line is typed into a file of more than twice the limit.
func TestHistoryLongFileKeptUntilTrim(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	writeLines(t, path, 1500)
	h, lines := openHistoryFile(path, HistoryLimit, func(m string) { t.Errorf("warning: %s", m) })
	if len(lines) != HistoryLimit || lines[0] != "old 500" || lines[len(lines)-1] != "old 1499" {
		t.Fatalf("loaded %d lines, %q … %q; want old 500 … old 1499", len(lines), lines[0], lines[len(lines)-1])
	}
	if n := len(fileLines(t, path)); n != 1500 {
		t.Errorf("opening the history cut it to %d lines", n)
	}
	h.add("typed")
	if n := len(fileLines(t, path)); n != 1501 {
		t.Errorf("a line typed into 1500: %d lines, want 1501", n)
	}
	writeLines(t, path, 2*HistoryLimit)
	h.add("typed")
	got := fileLines(t, path)
	if len(got) != HistoryLimit || got[len(got)-1] != "typed" || got[0] != fmt.Sprintf("old %d", HistoryLimit+1) {
		t.Errorf("after a line typed into %d lines: %d lines, %q … %q", 2*HistoryLimit, len(got), got[0], got[len(got)-1])
	}
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Errorf("the trim left files behind: %v", ents)
	}
}

// TestHistoryMissingNewlineRepaired: a file whose last line has no
// newline gets one before the next line, rather than the two gluing.
func TestHistoryMissingNewlineRepaired(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	if err := os.WriteFile(path, []byte("fs register ntfs\nmount C:"), 0o600); err != nil {
		t.Fatal(err)
	}
	h, lines := openHistoryFile(path, HistoryLimit, func(m string) { t.Errorf("warning: %s", m) })
	if !slices.Equal(lines, []string{"fs register ntfs", "mount C:"}) {
		t.Errorf("loaded %q", lines)
	}
	h.add("tree")
	if got := fileLines(t, path); !slices.Equal(got, []string{"fs register ntfs", "mount C:", "tree"}) {
		t.Errorf("file after a line: %q", got)
	}
}

// TestHistoryReadOnlyStillRead: a history that cannot be written is read,
// said once, and not written.
func TestHistoryReadOnlyStillRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	if err := os.WriteFile(path, []byte("fs register ntfs\n"), 0o400); err != nil {
		t.Fatal(err)
	}
	// Root writes read-only files: fail the open for writing as a
	// read-only file does for anyone else.
	saved := openAppendHook
	openAppendHook = func(p string) (*os.File, error) {
		return nil, &os.PathError{Op: "open", Path: p, Err: syscall.EACCES}
	}
	defer func() { openAppendHook = saved }()
	warns, warn := collect()
	h, lines := openHistoryFile(path, HistoryLimit, warn)
	if !slices.Equal(lines, []string{"fs register ntfs"}) {
		t.Errorf("a read-only history loaded %q, want its line", lines)
	}
	h.add("mount C:")
	h.add("tree")
	if len(*warns) != 1 || !strings.Contains((*warns)[0], "read-only") || !strings.Contains((*warns)[0], "permission denied") {
		t.Errorf("warnings: %q, want one that says the history is read-only", *warns)
	}
	if b, _ := os.ReadFile(path); string(b) != "fs register ntfs\n" {
		t.Errorf("a read-only history was written: %q", b)
	}
}

// TestHistoryDropsOverlongLines: a line longer than repl.MaxLine is skipped as
// the file is read, and the lines around it load.
func TestHistoryDropsOverlongLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("before\n")
	long := strings.Repeat("x", 64<<10)
	for range repl.MaxLine/len(long) + 1 {
		f.WriteString(long)
	}
	f.WriteString("\nafter\n")
	f.Close()
	_, lines := openHistoryFile(path, HistoryLimit, func(m string) { t.Errorf("warning: %s", m) })
	if !slices.Equal(lines, []string{"before", "after"}) {
		t.Errorf("loaded %d lines, want before and after (first of %d bytes)", len(lines), len(lines[0]))
	}
}
