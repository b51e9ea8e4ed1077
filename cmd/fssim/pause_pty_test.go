package main

import "testing"

// TestPTYCtrlZThenExit: Ctrl-Z at the prompt does nothing, and exit after
// it ends fssim at once.
func TestPTYCtrlZThenExit(t *testing.T) {
	tm := startTerm(t, testEnv(t.TempDir()))
	tm.prompt()
	tm.send("\x1a")
	tm.send("exit\r")
	if code := tm.wait(); code != 0 {
		t.Errorf("exit after Ctrl-Z: status %d, want 0", code)
	}
}
