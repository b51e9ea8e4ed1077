package repl

import (
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fssim/fssim/internal/render"
)

// latencyLab is the lab of the interactive-latency target: 24 volumes, C: to
// Z:, with 100 notify filters on each, and a command filter loaded.
func latencyLab(b *testing.B) (*Session, *bytes.Buffer) {
	b.Helper()
	// The fssim binary collects garbage at GOGC=400 (cmd/fssim run); time
	// the verbs as it runs them, unless GOGC is set.
	if os.Getenv("GOGC") == "" {
		old := debug.SetGCPercent(400)
		b.Cleanup(func() { debug.SetGCPercent(old) })
	}
	var out bytes.Buffer
	s := NewSession(&out, render.NewTheme(false))
	lines := []string{"fs register ntfs"}
	for i := 0; i < 100; i++ {
		lines = append(lines, fmt.Sprintf("filter load f%03d --notify", i))
	}
	lines = append(lines, "filter load cmd")
	for c := 'C'; c <= 'Z'; c++ {
		lines = append(lines, fmt.Sprintf("mount %c:", c))
	}
	for _, l := range lines {
		if err := s.Exec(l); err != nil {
			b.Fatalf("%s: %v", l, err)
		}
	}
	return s, &out
}

// latencyVerbs is one round of every verb at the prompt, each state change
// followed by the one that undoes it, so the lab is the same after a round.
var latencyVerbs = []string{
	"filter attach cmd M:", "filter detach cmd M:",
	"dismount M:", "mount M:",
	"filter load late --notify", "filter unload late",
	"fs register cdfs", "fs unregister cdfs",
	"fs register myfs --type disk", "fs unregister myfs",
	"show M:", "show \\Ntfs", "devstack M:", "show --json M:",
	"show", "show --json", "fs list", "filter list",
	"os", "help mount", "moutn C:",
}

// BenchmarkInteractiveLatency times each verb of latencyVerbs, rendered
// into memory with color off, in the 24-volume, 100-filter lab, and reports
// the median, 99th percentile and worst of all of them. The target is every
// verb under 1 ms.
func BenchmarkInteractiveLatency(b *testing.B) {
	s, out := latencyLab(b)
	var lat []time.Duration
	worst := ""
	var worstD time.Duration
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range latencyVerbs {
			out.Reset()
			t0 := time.Now()
			err := s.Exec(l)
			d := time.Since(t0)
			if err != nil && !strings.HasPrefix(l, "moutn") {
				b.Fatalf("%s: %v", l, err)
			}
			lat = append(lat, d)
			if d > worstD {
				worst, worstD = l, d
			}
		}
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Nanoseconds()) }
	b.ReportMetric(q(0.50), "p50-ns")
	b.ReportMetric(q(0.99), "p99-ns")
	b.ReportMetric(float64(lat[len(lat)-1].Nanoseconds()), "max-ns")
	b.ReportMetric(0, "ns/op") // a round is many verbs; the quantiles are the figures
	b.Logf("%d verbs timed; slowest %q took %v", len(lat), worst, worstD)
}

// BenchmarkVerb times each verb of latencyVerbs alone in the same lab, in
// pairs so the lab stays the same: ns/op is per verb (half the pair).
func BenchmarkVerb(b *testing.B) {
	for i := 0; i < len(latencyVerbs); i++ {
		pair := []string{latencyVerbs[i]}
		if i < 10 { // the first ten are do/undo pairs
			pair = append(pair, latencyVerbs[i+1])
			i++
		}
		b.Run(strings.ReplaceAll(strings.Join(pair, "+"), " ", "_"), func(b *testing.B) {
			s, out := latencyLab(b)
			b.ReportAllocs()
			for b.Loop() {
				for _, l := range pair {
					out.Reset()
					s.Exec(l)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pair)), "ns/verb")
		})
	}
}

// BenchmarkSplit is the line parser on a typical line.
func BenchmarkSplit(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Split(`filter load "av" --notify --no-enumerate # a comment`); err != nil {
			b.Fatal(err)
		}
	}
}
