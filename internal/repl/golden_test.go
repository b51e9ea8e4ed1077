package repl

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
			c := CheckScenario(sc)
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
