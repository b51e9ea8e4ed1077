package repl

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

// pipeScenarios are every scenario of ours, and one that runs through
// each trace level, exports its record twice and prints deep stacks,
// FltMgr's instances and a report after an export.
func pipeScenarios(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, pat := range []string{"../../testdata/*.fss", "lessons/*.fss"} {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out[f] = string(b)
		}
	}
	if len(out) < 20 {
		t.Fatalf("found %d scenarios: the suite lost its files", len(out))
	}
	var b strings.Builder
	b.WriteString("fs register ntfs\nfs register fastfat\nfilter load av --notify\nfilter load bk\nfltmgr load\nminifilter load scanner --altitude 320000\n")
	for i := range 30 {
		b.WriteString("filter load f" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + " --notify\n")
	}
	for _, tr := range []string{"full", "brief", "stacks", "full"} {
		b.WriteString("trace " + tr + "\nmount C:\nmount D: --format fastfat\nfilter attach bk C:\nexport html -\nshow --json\nexport cast -\ndismount C:\ndismount D:\nundo\ndismount D:\n")
	}
	out["mixed"] = b.String()
	return out
}

// runBoth runs text once as fssim test does (no pipeline) and once through
// a pipeline, and returns both transcripts.
func runBoth(t *testing.T, name, text string, color bool) (plain, piped []byte) {
	return runBothFailed(t, name, text, color, nil)
}

func runBothFailed(t *testing.T, name, text string, color bool, failed *int) (plain, piped []byte) {
	t.Helper()
	run := func(pipeline bool) []byte {
		var out bytes.Buffer
		s := NewSession(&out, render.NewTheme(color))
		s.Files = RootedFiles{Root: t.TempDir()}
		var end func() error
		if pipeline {
			end = s.Pipeline()
		}
		res, err := s.RunScript(strings.NewReader(text), ScriptOptions{Name: name, KeepGoing: true, Echo: true})
		if err != nil {
			t.Fatal(err)
		}
		if failed != nil {
			*failed = res.Failed
		}
		if pipeline {
			if err := end(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if s.Out != &out || s.pipe != nil {
				t.Fatalf("%s: the pipeline's end left s.Out %T", name, s.Out)
			}
		}
		return out.Bytes()
	}
	return run(false), run(true)
}

// TestPipelineSameBytes: a scenario run through a pipeline prints byte
// for byte what it prints without one, its handouts (the record, kept on
// the pipeline's goroutine) included, with color and without. Under -race
// (make test) it also shows that the two goroutines share nothing
// unguarded.
func TestPipelineSameBytes(t *testing.T) {
	for name, text := range pipeScenarios(t) {
		for _, color := range []bool{false, true} {
			plain, piped := runBoth(t, name, text, color)
			if !bytes.Equal(plain, piped) {
				i := 0
				for i < min(len(plain), len(piped)) && plain[i] == piped[i] {
					i++
				}
				t.Errorf("%s (color %v): the pipeline's transcript differs at byte %d of %d:\nwithout: %q\nwith:    %q",
					name, color, i, len(plain), plain[max(0, i-80):min(len(plain), i+80)], piped[max(0, i-80):min(len(piped), i+80)])
			}
		}
	}
	// The mixed scenario's handouts must hold its reports: a record that
	// missed what the pipeline drew would still be the same both ways.
	failed := -1
	_, piped := runBothFailed(t, "mixed", pipeScenarios(t)["mixed"], false, &failed)
	if failed != 0 {
		t.Fatalf("%d lines of the mixed scenario failed: it no longer tests what it says", failed)
	}
	// Each html handout holds, escaped, the trace drawn for mount C: and
	// FltMgr's instance row drawn under its frame.
	for _, want := range []string{`sees IRP_MN_MOUNT_VOLUME`, `scanner`} {
		if n := bytes.Count(piped, []byte(want)); n < 8 {
			t.Errorf("%q %d times in the transcript and its handouts, want 8 or more", want, n)
		}
	}
}

// TestPipelineDrawFault: a report whose drawing panics (a bug in fssim)
// prints an internal error in its place; the output goes on, and the
// pipeline's end says so.
func TestPipelineDrawFault(t *testing.T) {
	var out bytes.Buffer
	s := NewSession(&out, render.NewTheme(false))
	end := s.Pipeline()
	io.WriteString(s.Out, "before\n")
	// A mounted volume whose stack is empty: drawing it indexes past it.
	r := s.pipe.newReport(nil, s.Theme)
	r.stacks = append(r.stacks, stackView{name: "C:", vol: true, v: render.VolumeView{Info: engine.VolumeInfo{Name: "C:", Mounted: true}}})
	r.n = 1
	s.pipe.draw(r)
	io.WriteString(s.Out, "after\n")
	err := end()
	if err == nil || !strings.Contains(err.Error(), "internal error") {
		t.Fatalf("end returned %v, want the internal error", err)
	}
	got := out.String()
	if !strings.HasPrefix(got, "before\n") || !strings.HasSuffix(got, "after\n") || !strings.Contains(got, "error: internal error: ") {
		t.Errorf("output %q: want before, the internal error, after", got)
	}
}

// TestPipelineFlush: Flush writes out everything printed so far, through
// the pipeline and the buffer under it, before it returns, so that an
// error on stderr or a wait for input comes after it.
func TestPipelineFlush(t *testing.T) {
	var out bytes.Buffer
	bw := &flushCounter{w: &out}
	s := NewSession(bw, render.NewTheme(false))
	end := s.Pipeline()
	defer end()
	if err := s.Exec("fs register ntfs"); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Fatalf("the pipeline wrote %d bytes before a batch was full or flushed", out.Len())
	}
	s.Flush()
	if !strings.Contains(out.String(), `IoRegisterFileSystem(\Ntfs)`) || bw.flushes != 1 {
		t.Errorf("after Flush: %d flushes of the buffer, output %q", bw.flushes, out.String())
	}
}

type flushCounter struct {
	w       io.Writer
	flushes int
}

func (f *flushCounter) Write(p []byte) (int, error) { return f.w.Write(p) }
func (f *flushCounter) Flush() error                { f.flushes++; return nil }
