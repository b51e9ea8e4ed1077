package repl

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/render"
)

// If this test fails, run `make golden` (go test ./internal/repl -run
// TestGolden -update) and read the diff. Commit the new goldens only if you
// understand what caused each change, and say why in the commit message.
var update = flag.Bool("update", false, "rewrite the transcript goldens in testdata/ and lessons/")

// TestGolden runs every scenario with a golden beside it through the same
// code path as `fssim test`: our own goldens test our users' workflow.
func TestGolden(t *testing.T) {
	scs, err := FindScenarios([]string{"../../testdata", "lessons"})
	if err != nil {
		t.Fatal(err)
	}
	if len(scs) < 10 {
		t.Fatalf("found only %d scenarios with goldens; the suite lost its files", len(scs))
	}
	for _, sc := range scs {
		t.Run(strings.TrimSuffix(filepath.Base(sc.Path), ".fss"), func(t *testing.T) {
			if sc.Orphan {
				t.Fatalf("%s has no %s beside it: delete the golden or restore the scenario", sc.Golden, filepath.Base(sc.Path))
			}
			c := CheckScenario(sc, render.NewTheme(false))
			if c.Err != nil {
				t.Fatal(c.Err)
			}
			if c.Missing && !*update {
				t.Fatalf("%s has no golden: run make golden and read what it writes", sc.Path)
			}
			if c.Failed > 0 {
				t.Errorf("%d line(s) failed unexpectedly; the transcript says where:\n%s", c.Failed, failLines(c.Got))
			}
			if *update {
				if c.Missing || !bytes.Equal(c.Got, c.Want) {
					if err := os.WriteFile(sc.Golden, c.Got, 0o644); err != nil {
						t.Fatal(err)
					}
					t.Logf("wrote %s", sc.Golden)
				}
				return
			}
			if !c.OK() && c.Diff != "" {
				t.Errorf("transcript differs from %s:\n%s", sc.Golden, c.Diff)
			}
			if bytes.IndexByte(c.Got, 0x1b) >= 0 {
				t.Errorf("color-off transcript holds an escape byte")
			}
		})
	}
}

func failLines(out []byte) string {
	var b strings.Builder
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, ": error: ") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// TestTranscriptLineOrigins: over every scenario of ours, each echoed verb
// or comment line of the transcript is mapped to the scenario line it echoes (the
// echo is that line, or with ';' one verb of it), and the numbers never go
// back. fssim test's hunk headers rest on this mapping.
func TestTranscriptLineOrigins(t *testing.T) {
	scs, err := FindScenarios([]string{"../../testdata", "lessons"})
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range scs {
		text, err := os.ReadFile(sc.Path)
		if err != nil {
			t.Fatal(err)
		}
		got, origin, _, err := transcript(bytes.NewReader(text), sc.Path, nil)
		if err != nil {
			t.Fatal(err)
		}
		lines := splitLines(string(got))
		if len(origin) != len(lines) {
			t.Fatalf("%s: %d transcript lines, %d origins", sc.Path, len(lines), len(origin))
		}
		src := scenarioLines(string(text))
		echoes := 0
		for i, l := range lines {
			if i > 0 && origin[i] < origin[i-1] {
				t.Fatalf("%s: transcript line %d maps to scenario line %d, before line %d's %d", sc.Path, i+1, origin[i], i, origin[i-1])
			}
			v, ok := strings.CutPrefix(l, "fssim> ")
			if strings.HasPrefix(l, "# ") {
				v, ok = l, true // a comment, echoed as it is
			}
			if !ok || strings.Contains(v, "… [") {
				continue
			}
			echoes++
			if n := origin[i]; n < 1 || n > len(src) || !strings.Contains(src[n-1], v) {
				t.Errorf("%s: transcript line %d %q maps to scenario line %d", sc.Path, i+1, l, n)
			}
		}
		if echoes == 0 {
			t.Errorf("%s: no echoed line checked", sc.Path)
		}
	}
}

// TestCheckScenarioWritesOnlyToScratch (issue 13.3): a scenario under
// fssim test writes nothing outside a scratch folder that is gone after it,
// whatever names it saves to, while load finds its parts beside it and what
// it saved itself.
func TestCheckScenarioWritesOnlyToScratch(t *testing.T) {
	dir := t.TempDir()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Chdir(t.TempDir()) // were the fix gone, relative writes land here, not in the package
	victim := filepath.Join(dir, "victim.txt")
	files := map[string]string{
		victim:                              "precious\n",
		filepath.Join(dir, "s", "part.fss"): "mount C:\n",
		filepath.Join(dir, "s", "a.fss"): "fs register ntfs\nsave ../victim.txt --force\nsave victim.txt --force\n! save " + victim +
			" --force\n! export dot " + filepath.Join(dir, "abs.dot") + "\nload part.fss\nsave mine.fss\nreset\nload mine.fss\n",
	}
	for p, text := range files {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := CheckScenario(Scenario{Path: filepath.Join(dir, "s", "a.fss"), Golden: filepath.Join(dir, "s", "a.golden")}, render.Theme{})
	if c.Err != nil || c.Failed != 0 {
		t.Fatalf("scenario: %v, %d failed lines:\n%s", c.Err, c.Failed, c.Got)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious\n" {
		t.Errorf("the scenario overwrote %s: %q", victim, b)
	}
	for _, p := range []string{filepath.Join(dir, "s", "victim.txt"), filepath.Join(dir, "s", "mine.fss"), filepath.Join(dir, "abs.dot")} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("the scenario wrote %s", p)
		}
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("scratch left behind: %v", ents)
	}
	if !bytes.Contains(c.Got, []byte("loaded part.fss: 1 line")) || !bytes.Contains(c.Got, []byte("loaded mine.fss")) {
		t.Errorf("load did not find the scenario's part or what it saved:\n%s", c.Got)
	}
}
