package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/fssim/fssim/internal/longtest"
	"github.com/fssim/fssim/internal/render"
	"github.com/fssim/fssim/internal/repl"
)

var update = flag.Bool("update", false, "rewrite testdata/seed1.fss")

func generate(t testing.TB, cfg Config) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Generate(&b, cfg); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestStable: a seed gives the same bytes every time, and the bytes checked
// in under testdata (a change there must be understood before -update).
func TestStable(t *testing.T) {
	cfg := Config{Seed: 1, Verbs: 400, Filters: 8, FileSystems: 12}
	a, b := generate(t, cfg), generate(t, cfg)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same seed differ")
	}
	if c := generate(t, Config{Seed: 2, Verbs: 400, Filters: 8, FileSystems: 12}); bytes.Equal(a, c) {
		t.Fatal("seeds 1 and 2 give the same scenario")
	}
	golden := filepath.Join("testdata", "seed1.fss")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, a, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./scripts/gen-scenario -update)", err)
	}
	if !bytes.Equal(a, want) {
		t.Errorf("seed 1 no longer gives %s (sha256 %x, now %x); if the engine changed on purpose, rerun with -update",
			golden, sha256.Sum256(want), sha256.Sum256(a))
	}
}

// TestShape: the scenario uses every drive letter, every state-changing
// verb, and the counts asked for.
func TestShape(t *testing.T) {
	out := string(generate(t, Config{Seed: 7, Verbs: 6000, Filters: 10, FileSystems: 12}))
	verbs := 0
	for _, l := range strings.Split(out, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			verbs++
		}
	}
	if verbs != 6000 {
		t.Errorf("%d verb lines, want 6000", verbs)
	}
	for c := 'C'; c <= 'Z'; c++ {
		if !strings.Contains(out, fmt.Sprintf("mount %c:", c)) {
			t.Errorf("%c: is never mounted", c)
		}
	}
	for _, v := range []string{"fs register", "fs unregister", "filter load", "filter unload", "filter attach",
		"filter detach", "filter notify", "mount", "dismount", "os ", "reset", "show --json",
		"--notify", "--no-enumerate", "--attach-raw", "--ex", "--low-priority", "--type network", "fs register fs_rec"} {
		if !strings.Contains(out, v) {
			t.Errorf("no %q in the scenario", v)
		}
	}
}

// TestRunsCleanLong: the real binary runs a generated scenario with status 0,
// nothing on stderr.
func TestRunsCleanLong(t *testing.T) {
	longtest.Skip(t, "builds the binary")
	dir := t.TempDir()
	bin := filepath.Join(dir, "fssim")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command("go", "build", "-o", bin, "github.com/fssim/fssim/cmd/fssim")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	scen := filepath.Join(dir, "gen.fss")
	if err := os.WriteFile(scen, generate(t, Config{Seed: 3, Verbs: 3000, Filters: 20, FileSystems: 12}), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "run", "--color=never", scen)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("fssim run: %v\nstderr: %s", err, stderr.Bytes())
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %s", stderr.Bytes())
	}
	if bytes.Contains(stdout.Bytes(), []byte("error:")) {
		t.Errorf("the transcript reports an error")
	}
}

var (
	benchOnce sync.Once
	benchScen []byte
)

// BenchmarkRun100k runs the 100,000-verb scenario of make bench (50 filters,
// 12 file systems) in-process, with color off, into a buffered io.Discard.
// Bytes/op is the transcript's size.
// BenchmarkRun100k runs the 100,000-verb scenario as fssim run does, its
// output drawn and written on a second goroutine (Session.Pipeline), and,
// as the direct sub-benchmark, all on one.
func BenchmarkRun100k(b *testing.B) {
	b.Run("pipeline", func(b *testing.B) { benchRun100k(b, true) })
	b.Run("direct", func(b *testing.B) { benchRun100k(b, false) })
}

func benchRun100k(b *testing.B, pipeline bool) {
	benchOnce.Do(func() { benchScen = generate(b, Config{Seed: 1, Verbs: 100000, Filters: 50, FileSystems: 12}) })
	b.SetBytes(0)
	b.ReportAllocs()
	var written int64
	for b.Loop() {
		cw := &countWriter{}
		out := bufio.NewWriterSize(cw, 64<<10)
		s := repl.NewSession(out, render.NewTheme(false))
		end := func() error { return nil }
		if pipeline {
			end = s.Pipeline()
		}
		res, err := s.RunScript(bytes.NewReader(benchScen), repl.ScriptOptions{Name: "bench", Echo: true})
		if ferr := end(); ferr != nil {
			b.Fatal(ferr)
		}
		out.Flush()
		if err != nil || res.Failed > 0 {
			b.Fatalf("run failed: %v, %d lines failed", err, res.Failed)
		}
		written = cw.n
	}
	b.ReportMetric(float64(written), "out-bytes/op")
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)

// TestSeedsStayValidLong: long runs of many seeds stay valid line by line (the
// generator checks each line against the engine). Seeds 3 and 4 at 20,000
// verbs once failed: the generator's model of the notification list keyed
// routines by name, but a routine left registered by an unloaded filter
// (MODEL rule 25) is not the routine of that name loaded again.
func TestSeedsStayValidLong(t *testing.T) {
	longtest.Skip(t, "8 seeds of 20,000 verbs")
	for seed := uint64(1); seed <= 8; seed++ {
		generate(t, Config{Seed: seed, Verbs: 20000, Filters: 12, FileSystems: 8})
	}
}
