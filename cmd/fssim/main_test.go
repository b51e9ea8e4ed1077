package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// binPath is the fssim binary built once for the end-to-end tests of this
// package that use pipes and files (e2e, robustness): they run the real
// program the way users do. Tests that need it call fssimBin(t).
//
// ptyBinPath is the binary the terminal tests (repl_pty_test.go) run. When
// this test binary is built with -race (make test), it is built with -race
// too: the interactive prompt (readline's goroutines, the key filter, the
// history) only ever runs on a terminal, so it is only under the race
// detector there. A data race then prints "WARNING: DATA RACE" on the
// terminal and makes fssim exit 66, and the terminal tests fail on either.
// The pipe tests keep the plain binary: a race binary is several times
// slower and bigger, which would distort their timing and memory checks,
// and the code they reach is run in-process, under -race, by run().
var binPath, ptyBinPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fssim-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binPath = filepath.Join(dir, "fssim")
	builds := [][]string{{"build", "-o", binPath, "."}}
	ptyBinPath = binPath
	if raceEnabled {
		ptyBinPath = filepath.Join(dir, "fssim-race")
		builds = append(builds, []string{"build", "-race", "-o", ptyBinPath, "."})
	}
	// The two builds run side by side.
	errs := make(chan error, len(builds))
	for _, args := range builds {
		go func() {
			out, err := exec.Command("go", args...).CombinedOutput()
			if err != nil {
				err = fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			errs <- err
		}()
	}
	for range builds {
		if err := <-errs; err != nil {
			fmt.Fprintf(os.Stderr, "building fssim: %v", err)
			os.RemoveAll(dir)
			os.Exit(2)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fssimBin returns the path of the plain built binary.
func fssimBin(t testing.TB) string {
	t.Helper()
	return binPath
}

// ptyBin returns the path of the binary for the terminal tests: built with
// -race when the tests are.
func ptyBin(t testing.TB) string {
	t.Helper()
	return ptyBinPath
}
