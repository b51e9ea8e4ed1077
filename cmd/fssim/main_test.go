package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binPath is the fssim binary built once for every end-to-end test of this
// package (e2e, pty, robustness): they run the real program the way users do.
// Tests that need it call fssimBin(t).
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fssim-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binPath = filepath.Join(dir, "fssim")
	out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building fssim: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fssimBin returns the path of the built binary.
func fssimBin(t testing.TB) string {
	t.Helper()
	return binPath
}
