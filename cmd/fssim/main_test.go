package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain makes this test binary the fssim command too, through testscript
// (github.com/rogpeppe/go-internal, the Go toolchain's own script-test
// engine): run under the name fssim it is main and nothing else, and before
// the tests run, testscript puts a copy of it named fssim first in $PATH.
//
// Most tests call run in process (inProcess, runBin). The few that need a
// real process, a terminal (repl_pty_test.go), a pipe whose reader goes away,
// a killed child, start that copy (fssimBin): no go build before the tests,
// and it is the very binary go test built, so
//   - under go test -race (make test) the terminal tests run fssim with the
//     race detector, the only place the prompt's goroutines (readline, the
//     key filter, the history) run at all;
//   - under go test -cover the child writes its counts to GOCOVERDIR (go test
//     sets it; childEnv passes it on) and they count in the package's figure:
//     interactive, RunInteractive and historyFile are covered by the terminal
//     tests.
//
// Every fssim a test starts skips the race detector's one-second sleep
// before it exits (GORACE's atexit_sleep_ms, 1000 unless set), which added
// a second to each under -race: TestMain sets it in this process's
// environment, which a child inherits (exec.Command without Env, a shell
// pipeline, testscript, which passes GORACE on) or gets from childEnv. The
// exit status after a race (66) is left as it is, and so is this test
// binary's own sleep.
func TestMain(m *testing.M) {
	if g := os.Getenv("GORACE"); !strings.Contains(g, "atexit_sleep_ms") {
		os.Setenv("GORACE", strings.TrimSpace(g+" atexit_sleep_ms=0"))
	}
	testscript.Main(m, map[string]func(){"fssim": main})
}

// fssimBin returns the path of the fssim command testscript.Main set up:
// this test binary, under the name fssim, in the folder TestMain put first
// in $PATH.
func fssimBin(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("fssim")
	if err != nil {
		t.Fatalf("no fssim in $PATH: %v", err)
	}
	first, _, _ := strings.Cut(os.Getenv("PATH"), string(filepath.ListSeparator))
	if filepath.Dir(p) != first {
		t.Fatalf("fssim in $PATH is %s, not the test binary testscript.Main put in %s", p, first)
	}
	return p
}

// ptyBin returns the path of the fssim the terminal tests run: the same
// binary as fssimBin, built with -race when the tests are.
func ptyBin(t testing.TB) string {
	t.Helper()
	return fssimBin(t)
}

// childEnv is what each fssim a test starts with an environment built by
// hand needs besides it: GORACE as TestMain set it, and GOCOVERDIR when go
// test -cover set it, so that what the child ran counts in the coverage
// figure.
func childEnv() []string {
	env := []string{"GORACE=" + os.Getenv("GORACE")}
	if d := os.Getenv("GOCOVERDIR"); d != "" {
		env = append(env, "GOCOVERDIR="+d)
	}
	return env
}
