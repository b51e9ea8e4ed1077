package repl

import (
	"fmt"
	"io"
	"testing"

	"github.com/fssim/fssim/internal/render"
)

// undoLab is a session whose history holds n verbs: a few filters and
// file systems, then mount and dismount of C: in turn, so the lab stays
// small while its history grows (n = 100,000 fits in maxHistoryBytes).
func undoLab(b *testing.B, n int) *Session {
	b.Helper()
	s := NewSession(io.Discard, render.NewTheme(false))
	setup := []string{"fs register ntfs", "fs register fastfat", "filter load av --notify", "filter load bk"}
	for _, l := range setup {
		if err := s.Exec(l); err != nil {
			b.Fatalf("%s: %v", l, err)
		}
	}
	for i := len(setup); i < n; i++ {
		l := "mount C:"
		if i%2 != len(setup)%2 {
			l = "dismount C:"
		}
		if err := s.Exec(l); err != nil {
			b.Fatalf("verb %d, %s: %v", i+1, l, err)
		}
	}
	if s.hist.full || s.hist.len() != n {
		b.Fatalf("history holds %d verbs (full %v), want %d", s.hist.len(), s.hist.full, n)
	}
	return s
}

// BenchmarkUndo times undo of the last verb, and running it again, with
// 10,000 and 100,000 verbs of history: ns/op is one undo and one verb.
// Snapshots make it the same for both.
func BenchmarkUndo(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("history=%dk", n/1000), func(b *testing.B) {
			s := undoLab(b, n)
			last := s.hist.at(n - 1)
			b.ResetTimer()
			for b.Loop() {
				if err := s.Exec("undo"); err != nil {
					b.Fatal(err)
				}
				if err := s.Exec(last); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// countWriter counts the bytes written to it.
type countWriter struct{ n int }

func (w *countWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// BenchmarkExplainDeep times explain C: on a stack of 1,000, 2,000 and
// 4,000 filters, its output going to a plain writer (so render streams
// it): ns/op and B/op are one explain, out-bytes its output. All three
// grow in proportion to the depth.
func BenchmarkExplainDeep(b *testing.B) {
	for _, n := range []int{1000, 2000, 4000} {
		b.Run(fmt.Sprintf("devices=%dk", n/1000), func(b *testing.B) {
			s := deepLab(b, n)
			w := &countWriter{}
			s.Out = w
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := s.Exec("explain C:"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(w.n)/float64(b.N), "out-bytes")
		})
	}
}
