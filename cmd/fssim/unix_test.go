//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalCleansUpFirst (issue 13.5): SIGTERM and SIGINT run the cleanup
// (repl.RemoveTempFiles in fssim) before fssim ends, with 128 + the
// signal's number. The signal is real, sent to this test process.
func TestSignalCleansUpFirst(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cleaned := make(chan bool, 1)
		exited := make(chan int, 1)
		stop := endOnSignal(func() int { cleaned <- true; return 1 }, func(code int) { exited <- code })
		if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		select {
		case code := <-exited:
			select {
			case <-cleaned:
			default:
				t.Errorf("%v: fssim ended before the cleanup ran", sig)
			}
			if code != 128+int(sig) {
				t.Errorf("%v: exit status %d, want %d", sig, code, 128+int(sig))
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%v: the handler did not run", sig)
		}
		stop()
	}
}

// TestSignalAtThePrompt: while the prompt runs, SIGINT is the prompt's (it
// stops a running load between verbs) and must not end fssim; SIGTERM
// still cleans up and ends it.
func TestSignalAtThePrompt(t *testing.T) {
	promptOwnsInterrupt.Store(true)
	defer promptOwnsInterrupt.Store(false)
	cleaned := make(chan bool, 2)
	exited := make(chan int, 2)
	stop := endOnSignal(func() int { cleaned <- true; return 1 }, func(code int) { exited <- code })
	defer stop()
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
	}
	// Signals to one process are delivered in order; the SIGTERM's exit is
	// the first the handler may report.
	select {
	case code := <-exited:
		if code != 128+int(syscall.SIGTERM) {
			t.Errorf("exit status %d, want %d (SIGTERM): SIGINT at the prompt ended fssim", code, 128+int(syscall.SIGTERM))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("SIGTERM at the prompt did not end fssim")
	}
	if n := len(cleaned); n != 1 {
		t.Errorf("cleanup ran %d times, want once (for SIGTERM only)", n)
	}
}

// TestRunAndTestReadRegularFilesOnly (issue 13.7): fssim run FILE and
// fssim test refuse a named pipe at once with a clear line, where they used
// to wait forever for a writer.
func TestRunAndTestReadRegularFilesOnly(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.fss")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"run", fifo}, {"test", dir}} {
		type res struct {
			out, errs string
			code      int
		}
		done := make(chan res, 1)
		go func() {
			out, errs, code := inProcess(t, args...)
			done <- res{out, errs, code}
		}()
		select {
		case r := <-done:
			if r.code == 0 || !strings.Contains(r.out+r.errs, "it is a named pipe (FIFO), not a regular file") {
				t.Errorf("fssim %s: status %d, %q %q", strings.Join(args, " "), r.code, r.out, r.errs)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("fssim %s hangs on a named pipe", strings.Join(args, " "))
		}
	}
}

// TestTestCmdSaysWhatIsWrongWithAGolden (issue 13.16): a golden that is
// there but cannot be read is not "no golden": the line says what it is.
func TestTestCmdSaysWhatIsWrongWithAGolden(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"folder.fss": cleanScenario, "folder.golden/x": "x",
		"pipe.fss": cleanScenario, "link.fss": cleanScenario,
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.golden"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nowhere", filepath.Join(dir, "link.golden")); err != nil {
		t.Fatal(err)
	}
	out, _, code := inProcess(t, "test", dir)
	if code != exitFailed || strings.Contains(out, "no golden") {
		t.Errorf("status %d, want %d, and no \"no golden\":\n%s", code, exitFailed, out)
	}
	for _, want := range []string{
		"folder.golden: it is a folder, not a regular file",
		"pipe.golden: it is a named pipe (FIFO), not a regular file",
		"link.golden: it is a symbolic link to a file that does not exist",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestTestCmdEscapesFileNames (issue 13.13): fssim test's ok/FAIL lines,
// its suggested command and its diff headers never carry a name's escape
// sequence, bidi override or line break raw.
func TestTestCmdEscapesFileNames(t *testing.T) {
	name := "ev\x1b[31mil\u202e\nx"
	dir := writeTree(t, map[string]string{name + ".fss": "fs register ntfs\n", "b" + name + ".fss": "fs register ntfs\n", "b" + name + ".golden": "other\n"})
	out, _, code := inProcess(t, "test", dir)
	if code != exitFailed {
		t.Errorf("status %d, want %d", code, exitFailed)
	}
	if strings.ContainsAny(out, "\x1b\u202e") || strings.Contains(out, "\nx.fss") || strings.Contains(out, "\nx.golden") {
		t.Errorf("a name reached the output raw:\n%q", out)
	}
	if !strings.Contains(out, `no golden: run fssim test --update $'`) || !strings.Contains(out, `--- "`) {
		t.Errorf("want the suggestion in $'...' and a quoted diff header:\n%q", out)
	}
}
