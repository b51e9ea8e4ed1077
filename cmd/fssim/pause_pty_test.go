package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// These tests press keys at the pauses of --step (issue 16 point 2): a key
// acts the moment it is pressed, without Enter, and is not echoed into the
// prompt after the lesson. Each waits on what the terminal shows, within
// the terminal's deadline (startTerm), so a hang fails the test.

// TestPTYCtrlZThenExit: Ctrl-Z at the prompt does nothing, and exit after
// it ends fssim at once.
func TestPTYCtrlZThenExit(t *testing.T) {
	tm := startTerm(t, testEnv(t.TempDir()))
	tm.prompt()
	tm.send("\x1a")
	tm.exit("exit after Ctrl-Z: status %d, want 0")
}

// detachMiddle is the lesson these tests step through: three steps, whose
// pauses end with this.
const (
	detachMiddle = "lesson detach-middle --step\r"
	pauseEnd     = "Enter: next, q: quit] "
	keyHint      = "at the pause, press Enter, Space or n to go on, or q to quit"
)

// atFirstPause starts fssim's prompt on a 200x200 terminal and plays
// detachMiddle up to its first pause.
func atFirstPause(t *testing.T) *term {
	t.Helper()
	tm := startTermSize(t, 200, 200, testEnv(t.TempDir()))
	tm.prompt()
	tm.send(detachMiddle)
	tm.pauseAt(1)
	return tm
}

// pauseAt waits for the pause after step n of the lesson.
func (tm *term) pauseAt(n int) string {
	tm.t.Helper()
	got := tm.expect("[step " + string(rune('0'+n)) + " of 3 done: ")
	return got + tm.expect(pauseEnd)
}

// typedLineIsClean types line at the prompt and checks that the prompt
// shows it as typed: no key pressed at a pause was left in the line.
func (tm *term) typedLineIsClean(line string) string {
	tm.t.Helper()
	tm.send(line + "\r")
	got := tm.expect("\n")
	if !strings.HasSuffix(got, "fssim> "+line+"\n") {
		tm.t.Errorf("the prompt read %q, want %q alone: a key pressed at a pause spilled into it", got, line)
	}
	return tm.expect("fssim> ")
}

// TestPTYPauseSpaceAndN: Space and n go on at once, without Enter; after
// the last step the prompt comes back empty, and exit ends fssim.
func TestPTYPauseSpaceAndN(t *testing.T) {
	tm := atFirstPause(t)
	tm.send(" ")
	tm.pauseAt(2)
	tm.send("n")
	tm.expect("fssim> explain backup C:")
	tm.nextPrompt()
	if out := tm.typedLineIsClean("history"); !strings.Contains(out, "7  filter detach enc C:") {
		t.Errorf("history after the lesson: %q", out)
	}
	tm.exit("exit: status %d, want 0")
}

// TestPTYPauseQThenPrompt: q quits the lesson, not fssim: the prompt comes
// back and works as before (Tab, Up, Ctrl-C, a line), and exit ends fssim
// at once with status 0.
func TestPTYPauseQThenPrompt(t *testing.T) {
	tm := atFirstPause(t)
	tm.send("q")
	tm.expect("stopped after step 1 of 3")
	tm.nextPrompt()
	tm.send("hist\t")
	tm.expect("fssim> history ")
	tm.send("\x03")
	tm.nextPrompt()
	tm.send("\x1b[A") // Up: the lesson's line
	tm.expect("fssim> lesson detach-middle --step")
	tm.send("\x03")
	tm.nextPrompt()
	tm.typedLineIsClean("show C:")
	tm.exit("exit: status %d, want 0")
	if strings.Contains(tm.screen(), "[step 2 of 3") {
		t.Error("q at the first pause: the lesson went on")
	}
}

// TestPTYPauseOtherKeys: a key the pause does not act on (x, an arrow)
// shows the hint once, then rings the bell, and the pause waits on; Space
// then goes on.
func TestPTYPauseOtherKeys(t *testing.T) {
	tm := atFirstPause(t)
	tm.send("x")
	tm.expect(keyHint)
	tm.expect(pauseEnd) // the pause's prompt again, below the hint
	tm.send("\x1b[A")
	if got := tm.expect("\a"); strings.Contains(got, "[step 2") || strings.Contains(got, keyHint) {
		t.Errorf("an arrow at the pause: %q, want only the bell", got)
	}
	tm.send("y")
	tm.expect("\a")
	tm.send(" ")
	tm.pauseAt(2)
	tm.send("q")
	tm.expect("stopped after step 2 of 3")
	tm.nextPrompt()
	tm.typedLineIsClean("show C:")
	tm.exit("exit: status %d, want 0")
	if n := strings.Count(tm.screen(), keyHint); n != 1 {
		t.Errorf("the hint shows %d times, want once", n)
	}
}

// TestPTYPausePaste: a line pasted at a pause, bracketed or not, does not
// answer it (not even one starting with q), and does not spill into the
// prompt after the lesson.
func TestPTYPausePaste(t *testing.T) {
	tm := atFirstPause(t)
	tm.send("\x1b[200~quota load\r\x1b[201~")
	tm.expect(keyHint)
	tm.expect(pauseEnd)
	tm.send("mount Q:\r")
	tm.expect("\a")
	tm.send("q")
	tm.expect("stopped after step 1 of 3")
	tm.nextPrompt()
	tm.typedLineIsClean("show C:")
	tm.exit("exit: status %d, want 0")
	if sc := tm.screen(); strings.Contains(sc, "fssim> quota") || strings.Contains(sc, "fssim> mount Q:") {
		t.Error("a line pasted at a pause ran")
	}
}

// TestPTYPauseCtrlCAndCtrlD: Ctrl-C, and Ctrl-D, at a pause quit the
// lesson and bring the prompt back (fssim goes on); Ctrl-D at the prompt
// after still asks about the unsaved lab and quits.
func TestPTYPauseCtrlCAndCtrlD(t *testing.T) {
	for _, key := range []string{"\x03", "\x04"} {
		tm := startTermSize(t, 200, 200, testEnv(t.TempDir()))
		tm.prompt()
		tm.send(detachMiddle)
		tm.pauseAt(1)
		tm.send(" ")
		tm.pauseAt(2)
		tm.send(key)
		tm.expect("stopped after step 2 of 3")
		tm.nextPrompt()
		if out := tm.typedLineIsClean("show C:"); !strings.Contains(out, "\\FileSystem\\av") || strings.Contains(out, "\\FileSystem\\enc") {
			t.Errorf("%q at a pause: the lab after it: %q", key, out)
		}
		tm.quitUnsaved()
		if code := tm.wait(); code != 0 {
			t.Errorf("%q at a pause, then Ctrl-D: status %d, want 0", key, code)
		}
	}
}

// stepFile writes a scenario of three steps for load --step and run --step.
func stepFile(t *testing.T, dir string) string {
	t.Helper()
	lab := filepath.Join(dir, "lab.fss")
	if err := os.WriteFile(lab, []byte("# My lab\nfs register ntfs\n\n# then a filter\nfilter load av --notify\n\n# and a volume\nmount C:\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return lab
}

// TestPTYLoadStepKeys: load FILE --step at the prompt pauses the same way.
func TestPTYLoadStepKeys(t *testing.T) {
	dir := t.TempDir()
	lab := stepFile(t, dir)
	tm := startTermSize(t, 200, 200, testEnv(dir))
	tm.prompt()
	tm.send("load " + lab + " --step\r")
	tm.expect("[step 1 of 3 done: My lab. " + pauseEnd)
	tm.send(" ")
	tm.expect("[step 2 of 3 done: then a filter. " + pauseEnd)
	tm.send("q")
	tm.expect("stopped after step 2 of 3")
	tm.nextPrompt()
	tm.typedLineIsClean("show C:")
	tm.exit("exit: status %d, want 0")
}

// TestPTYFssimStepKeys: fssim lesson NAME --step and fssim run --step
// FILE, which have no prompt, read keys at their pauses too.
func TestPTYFssimStepKeys(t *testing.T) {
	tm := startTermSize(t, 200, 200, testEnv(t.TempDir()), "lesson", "detach-middle", "--step")
	tm.pauseAt(1)
	tm.send("x")
	tm.expect(keyHint)
	tm.expect(pauseEnd)
	tm.send(" ")
	tm.pauseAt(2)
	tm.send("\x03")
	tm.expect("stopped after step 2 of 3")
	if code := tm.wait(); code != 0 {
		t.Errorf("fssim lesson, Ctrl-C at a pause: status %d, want 0", code)
	}

	dir := t.TempDir()
	tm = startTermSize(t, 200, 200, testEnv(dir), "run", "--step", stepFile(t, dir))
	tm.expect("[step 1 of 3 done: My lab. " + pauseEnd)
	tm.send("n")
	tm.expect("[step 2 of 3 done: then a filter. " + pauseEnd)
	tm.send("\r")
	tm.expect("fssim> mount C:")
	if code := tm.wait(); code != 0 {
		t.Errorf("fssim run --step to the end: status %d, want 0", code)
	}
}
