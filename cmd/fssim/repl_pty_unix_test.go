//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestPTYHistoryFIFO: a FIFO where the history file goes is left alone:
// the prompt comes at once, says so once, and history stays in memory.
func TestPTYHistoryFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "config", "fssim"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "config", "fssim", "history"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	tm := startTerm(t, testEnv(dir))
	tm.expect("is a named pipe (FIFO), not a regular file")
	tm.prompt()
	tm.run("fs register ntfs")
	tm.send("\x1b[A") // Up: the line typed, from memory
	tm.expect("fs register ntfs")
	tm.send("\x03")
	tm.nextPrompt()
	tm.exit("status %d, want 0")
	if n := strings.Count(tm.screen(), "history is off"); n != 1 {
		t.Errorf("the terminal says history is off %d times, want once", n)
	}
}
