package main

import (
	"os"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/repl"
)

// TestReadmeVerbReference fails when the README's verb reference and the
// verb table disagree: every verb's usage line must appear in it.
func TestReadmeVerbReference(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, v := range repl.Verbs() {
		if !strings.Contains(readme, "`"+v.Usage()+"`") {
			t.Errorf("README.md lacks the usage of %q: `%s`", v.Name, v.Usage())
		}
	}
	lines := strings.SplitN(readme, "\n", 6)
	if len(lines) < 5 || !strings.Contains(lines[3], "go run ./cmd/fssim") || !strings.Contains(lines[4], "make test") {
		t.Errorf("README must start with the two commands (run fssim; run all tests)")
	}
}

// TestReadmeErrorKinds: the README names every kind a '! [KIND]' line may
// expect.
func TestReadmeErrorKinds(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range repl.ErrorKindNames() {
		if !strings.Contains(string(b), "`"+k+"`") {
			t.Errorf("README.md does not list the error kind %q", k)
		}
	}
}
