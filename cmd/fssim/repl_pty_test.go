package main

// These tests drive the real fssim binary the way a person does: through a
// pseudo-terminal, typing keys (Tab, Ctrl-C, Ctrl-D, arrows) and reading what
// the terminal shows. They need github.com/creack/pty, a test-only
// dependency: it is the standard pure-Go way to open a pty and start a child
// on it (no cgo, nothing to install), and nothing else can check what
// readline does on a real terminal. The fssim binary itself does not import
// it.
//
// The binary is built once in TestMain (main_test.go), with -race when the
// tests are: a data race in the prompt fails the test that ran into it (see
// raceReport). Every test gets HOME and
// XDG_CONFIG_HOME in its own temporary folder, so the real history file is
// never touched, and a deadline, so a hung prompt fails the test in seconds.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/fssim/fssim/internal/longtest"
)

// testEnv is a clean environment for the binary: no NO_COLOR or TERM from
// the outside, HOME and XDG_CONFIG_HOME under dir, and childEnv. extra
// entries (KEY=value) are added last and win.
func testEnv(dir string, extra ...string) []string {
	env := append(childEnv(),
		"PATH="+os.Getenv("PATH"),
		"HOME="+filepath.Join(dir, "home"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"TERM=xterm",
		"LANG=C.UTF-8",
	)
	return append(env, extra...)
}

// ptyDeadline bounds each terminal session: a prompt that hangs fails the
// test rather than the whole run.
const ptyDeadline = 8 * time.Second

// term is fssim running on a pseudo-terminal.
type term struct {
	t        *testing.T
	cmd      *exec.Cmd
	pty      *os.File
	deadline time.Time

	mu    sync.Mutex
	raw   []byte        // everything the terminal has shown
	more  chan struct{} // signalled after each read
	strip ansiStripper  // raw without escape sequences, kept up to date
	mark  int           // offset in strip.text where the next expect starts

	readDone chan struct{}
	waitDone chan struct{}
	waitErr  error
}

// startTerm starts fssim with args on a new pty, 200 columns wide.
func startTerm(t *testing.T, env []string, args ...string) *term {
	t.Helper()
	return startTermCols(t, 200, env, args...)
}

// startTermCols starts fssim with args on a new pty, cols columns wide.
func startTermCols(t *testing.T, cols uint16, env []string, args ...string) *term {
	t.Helper()
	return startTermSize(t, cols, 50, env, args...)
}

// startTermSize starts fssim with args on a new pty of cols x rows.
func startTermSize(t *testing.T, cols, rows uint16, env []string, args ...string) *term {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("creack/pty does not open a pty on Windows")
	}
	cmd := exec.Command(ptyBin(t), args...)
	cmd.Env = append(slices.Clip(env), childEnv()...) // for the tests that build env by hand
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: rows, Cols: cols})
	if err != nil {
		t.Skipf("cannot open a pseudo-terminal here: %v", err)
	}
	tm := &term{t: t, cmd: cmd, pty: f, deadline: time.Now().Add(ptyDeadline),
		more: make(chan struct{}, 1), readDone: make(chan struct{}), waitDone: make(chan struct{})}
	go func() {
		defer close(tm.readDone)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			if n > 0 {
				tm.mu.Lock()
				tm.raw = append(tm.raw, buf[:n]...)
				tm.strip.feed(buf[:n])
				tm.mu.Unlock()
				select {
				case tm.more <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return // EIO on Linux once the child has gone
			}
		}
	}()
	go func() {
		tm.waitErr = cmd.Wait()
		close(tm.waitDone)
	}()
	t.Cleanup(func() {
		select {
		case <-tm.waitDone:
		default:
			cmd.Process.Kill()
			<-tm.waitDone
		}
		f.Close()
		<-tm.readDone
		if r := raceReport(tm.screen()); r != "" {
			t.Errorf("the race detector found a data race in fssim:\n%s", r)
		}
		if t.Failed() {
			sc := tm.screen()
			if len(sc) > 4000 {
				sc = "…" + sc[len(sc)-4000:]
			}
			t.Logf("the terminal showed:\n%s", sc)
		}
	})
	return tm
}

// quitUnsaved types Ctrl-D at a prompt whose lab changed since the last
// save, and y at the question it asks.
func (tm *term) quitUnsaved() {
	tm.t.Helper()
	tm.send("\x04")
	tm.expect("quit anyway? (y/N)")
	tm.send("y\r")
}

// exit types exit at the prompt and waits for fssim to end, failing the
// test with msg (a format for the status) unless it exits 0.
func (tm *term) exit(msg string) {
	tm.t.Helper()
	tm.send("exit\r")
	if code := tm.wait(); code != 0 {
		tm.t.Errorf(msg, code)
	}
}

// send types keys.
func (tm *term) send(keys string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.pty, keys); err != nil {
		tm.t.Fatalf("typing %q: %v", keys, err)
	}
}

// expect waits until the terminal, past the mark and with escape sequences
// taken out, shows want, and moves the mark past it. It returns the text it
// skipped over, want included.
func (tm *term) expect(want string) string {
	tm.t.Helper()
	timer := time.NewTimer(time.Until(tm.deadline))
	defer timer.Stop()
	from := tm.mark // where the search resumes: text before it was searched
	for {
		tm.mu.Lock()
		text := tm.strip.text
		if i := bytes.Index(text[from:], []byte(want)); i >= 0 {
			end := from + i + len(want)
			got := string(text[tm.mark:end])
			tm.mark = end
			tm.mu.Unlock()
			return got
		}
		from = max(tm.mark, len(text)-len(want)+1)
		tail := string(text[max(tm.mark, len(text)-300):])
		tm.mu.Unlock()
		select {
		case <-tm.more:
		case <-tm.readDone:
			// One last look: the final read may have brought it.
			tm.mu.Lock()
			found := bytes.Contains(tm.strip.text[from:], []byte(want))
			tm.mu.Unlock()
			if found {
				continue
			}
			tm.t.Fatalf("fssim ended before the terminal showed %q; it last showed %q", want, tail)
		case <-timer.C:
			tm.t.Fatalf("timed out waiting for the terminal to show %q; it last showed %q", want, tail)
		}
	}
}

// prompt waits for the first prompt. readline prints it after it has put
// the terminal in raw mode, so keys sent after it are read as keys (Ctrl-C
// as a byte, not SIGINT).
func (tm *term) prompt() string {
	tm.t.Helper()
	return tm.expect("fssim> ")
}

// nextPrompt waits for the prompt of the next line. readline redraws
// "fssim> " and the line at each key, on one line; only once the line is
// done (Enter, Ctrl-C) does a newline come, and then the new prompt.
func (tm *term) nextPrompt() string {
	tm.t.Helper()
	return tm.expect("\n") + tm.expect("fssim> ")
}

// run types line and Enter and waits for the next prompt; it returns what
// the line printed, from the newline after the line to the prompt.
func (tm *term) run(line string) string {
	tm.t.Helper()
	tm.send(line + "\r")
	return tm.nextPrompt()
}

// wait waits for fssim to exit and for the terminal to have shown all it
// wrote (the reader ends at EIO once the last byte is read), and returns
// its status. Checks of the whole screen after wait see every byte.
func (tm *term) wait() int {
	tm.t.Helper()
	select {
	case <-tm.waitDone:
	case <-time.After(time.Until(tm.deadline)):
		tm.t.Fatalf("fssim did not exit; the terminal showed:\n%s", tm.screen())
	}
	select {
	case <-tm.readDone:
	case <-time.After(time.Until(tm.deadline)):
		tm.t.Fatalf("fssim exited but its terminal did not close; it showed:\n%s", tm.screen())
	}
	var xe *exec.ExitError
	switch {
	case tm.waitErr == nil:
		return 0
	case errors.As(tm.waitErr, &xe):
		if !xe.Exited() {
			tm.t.Fatalf("fssim did not exit normally: %v", tm.waitErr)
		}
		if xe.ExitCode() == raceExitCode && raceEnabled {
			tm.t.Errorf("fssim exited %d, the race detector's status: it found a data race", raceExitCode)
		}
		return xe.ExitCode()
	}
	tm.t.Fatalf("waiting for fssim: %v", tm.waitErr)
	return -1
}

// all returns everything the terminal showed, escape sequences and all.
func (tm *term) all() []byte {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return bytes.Clone(tm.raw)
}

// screen is everything the terminal showed, escape sequences taken out.
func (tm *term) screen() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return string(tm.strip.text)
}

// ansiStripper removes escape sequences, carriage returns and backspaces
// from a stream fed to it in pieces; a sequence split between two pieces is
// held back until it is whole.
type ansiStripper struct {
	text    []byte
	pending []byte
}

func (a *ansiStripper) feed(b []byte) {
	b = append(a.pending, b...)
	a.pending = nil
	for len(b) > 0 {
		// Copy runs of plain bytes at once: readline sends a megabyte for
		// a long line, and this runs under the race detector.
		i := bytes.IndexAny(b, "\x1b\r\b")
		if i < 0 {
			a.text = append(a.text, b...)
			return
		}
		a.text = append(a.text, b[:i]...)
		b = b[i:]
		if b[0] != 0x1b {
			b = b[1:]
			continue
		}
		n := escLen(b)
		if n == 0 { // not whole yet
			a.pending = append([]byte(nil), b...)
			return
		}
		b = b[n:]
	}
}

// escLen is the length of the escape sequence at the start of b, or 0 if b
// ends before it does.
func escLen(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	switch b[1] {
	case '[': // CSI: parameters, then a final byte in 0x40-0x7e
		for j := 2; j < len(b); j++ {
			if b[j] >= 0x40 && b[j] <= 0x7e {
				return j + 1
			}
		}
		return 0
	case ']': // OSC: up to BEL
		for j := 2; j < len(b); j++ {
			if b[j] == 0x07 {
				return j + 1
			}
		}
		return 0
	}
	return 2
}

// stripANSI is b without escape sequences, carriage returns and backspaces.
func stripANSI(b []byte) string {
	var a ansiStripper
	a.feed(b)
	return string(a.text)
}

// raceExitCode is the status a -race binary exits with once it has reported
// a data race (GORACE's exitcode, 66 unless set; testEnv does not set it).
const raceExitCode = 66

// raceReport returns the race detector's reports in out, from the first
// "WARNING: DATA RACE" on, or "".
func raceReport(out string) string {
	i := strings.Index(out, "WARNING: DATA RACE")
	if i < 0 {
		return ""
	}
	if r := out[i:]; len(r) <= 6000 {
		return r
	}
	return out[i:i+6000] + "\n…"
}

// sgr matches a color or attribute escape sequence (ESC [ ... m).
var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestPTYWelcomeAndExit(t *testing.T) {
	tm := startTerm(t, testEnv(t.TempDir()))
	tm.expect("Ctrl-D leaves")
	tm.prompt()
	out := tm.run("fs register ntfs")
	if !strings.Contains(out, `IoRegisterFileSystem(\Ntfs)`) {
		t.Errorf("fs register ntfs printed %q, want its trace", out)
	}
	tm.exit("exit: status %d, want 0")
}

func TestPTYQuitExits0(t *testing.T) {
	tm := startTerm(t, testEnv(t.TempDir()))
	tm.prompt()
	tm.send("quit\r")
	if code := tm.wait(); code != 0 {
		t.Errorf("quit: status %d, want 0", code)
	}
}

func TestPTYCtrlDOnEmptyLineExits0(t *testing.T) {
	tm := startTerm(t, testEnv(t.TempDir()))
	tm.prompt()
	tm.run("fs register ntfs")
	// Ctrl-D on a line with text in it does not leave.
	tm.send("mount C")
	tm.expect("mount C")
	tm.send("\x04")
	out := tm.run(":")
	if !strings.Contains(out, "claims C:") {
		t.Errorf("after Ctrl-D in the middle of a line, the line did not run: %q", out)
	}
	tm.send("\x04")
	tm.expect("quit anyway? (y/N)") // the lab changed, and nothing was saved
	tm.send("y\r")
	if code := tm.wait(); code != 0 {
		t.Errorf("Ctrl-D: status %d, want 0", code)
	}
}

func TestPTYCtrlCDiscardsTheLine(t *testing.T) {
	tm := startTerm(t, testEnv(t.TempDir()))
	tm.prompt()
	tm.send("fs register ntfs") // no Enter
	tm.expect("fs register ntfs")
	tm.send("\x03")
	tm.expect("^C")
	tm.nextPrompt()
	out := tm.run("fs list")
	if strings.Contains(out, `\Ntfs`) {
		t.Errorf("after Ctrl-C, fs list shows \\Ntfs: the half line ran:\n%s", out)
	}
	if !strings.Contains(out, `\Device\RawDisk`) {
		t.Errorf("fs list after Ctrl-C printed %q, want the queues", out)
	}
	// Ctrl-C on an empty line does not leave either.
	tm.send("\x03")
	tm.expect("^C")
	tm.nextPrompt()
	out = tm.run("fs register ntfs")
	if !strings.Contains(out, `IoRegisterFileSystem(\Ntfs)`) {
		t.Errorf("the session after two Ctrl-C does not run lines: %q", out)
	}
	tm.exit("exit after Ctrl-C: status %d, want 0")
	if strings.Count(tm.screen(), "DriverEntry(\\FileSystem\\Ntfs)") != 1 {
		t.Errorf("ntfs was loaded %d times, want once (only by the line ended with Enter)",
			strings.Count(tm.screen(), "DriverEntry(\\FileSystem\\Ntfs)"))
	}
}

// TestPTYCtrlCInSearch checks that Ctrl-C drops the line during a history
// search (Ctrl-R) too, where readline on its own only ends the search.
func TestPTYCtrlCInSearch(t *testing.T) {
	tm := startTerm(t, testEnv(t.TempDir()), "--no-history")
	tm.prompt()
	tm.run("filter load av")
	tm.send("\x12") // Ctrl-R
	tm.send("filter")
	tm.expect("filter load av")
	tm.send("\x03")
	tm.expect("^C")
	tm.nextPrompt()
	out := tm.run("filter list")
	if strings.Contains(out, "error") || strings.Count(out, `\FileSystem\av`) != 1 {
		t.Errorf("after Ctrl-C in a search, filter list printed:\n%s", out)
	}
	tm.exit("exit after Ctrl-C in a search: status %d, want 0")
}

func TestPTYTabCompletes(t *testing.T) {
	tm := startTerm(t, testEnv(t.TempDir()))
	tm.prompt()

	// A subcommand from the verb table.
	tm.send("filter lo\t")
	tm.expect("filter load ")
	out := tm.run("av --notify")
	if !strings.Contains(out, `DriverEntry(\FileSystem\av)`) {
		t.Fatalf("filter lo<TAB>av --notify did not load av:\n%s", out)
	}

	// A loaded filter, from the lab's state.
	tm.run("filter load backup")
	tm.send("filter unload \t")
	// Two candidates: readline lists them on the second Tab.
	tm.send("\t")
	tm.expect("av")
	tm.expect("backup")
	tm.send("a\t")
	tm.expect("filter unload av ")
	out = tm.run("")
	if !strings.Contains(out, `DriverUnload(\FileSystem\av)`) || strings.Contains(out, "error") {
		t.Fatalf("filter unload av (completed) printed:\n%s", out)
	}
	out = tm.run("filter list")
	if strings.Contains(out, `\FileSystem\av`) || !strings.Contains(out, "backup") {
		t.Errorf("after filter unload a<TAB>, filter list shows:\n%s", out)
	}

	// A mounted volume.
	tm.run("fs register ntfs")
	tm.run("mount C:")
	tm.send("dismount \t")
	tm.expect("dismount C: ")
	out = tm.run("")
	if !strings.Contains(out, "FSCTL_DISMOUNT_VOLUME on C:") {
		t.Errorf("dismount <TAB> did not dismount C:\n%s", out)
	}
	out = tm.run("show C:")
	if strings.Contains(out, "VDO") {
		t.Errorf("C: still has a VDO after dismount <TAB>:\n%s", out)
	}

	// An argument's values; Ctrl-C with the list open drops the line.
	tm.send("os \t")
	tm.send("\t")
	tm.expect("w2k")
	tm.send("\x03")
	tm.expect("^C")
	tm.nextPrompt()
	tm.exit("exit: status %d, want 0")
}

func TestPTYErrorsAreRedAndKeepTheSession(t *testing.T) {
	tm := startTerm(t, testEnv(t.TempDir()))
	tm.prompt()
	tm.run("fs register ntfs")
	before := tm.run("show")
	out := tm.run("fs register ntfs")
	if !strings.Contains(out, "error: ") {
		t.Fatalf("registering ntfs twice printed %q, want an error", out)
	}
	raw := tm.all()
	if !regexp.MustCompile("\x1b\\[[0-9;]*31[0-9;]*m[^\x1b]*error: ").Match(raw) {
		t.Errorf("the error is not red on a terminal: %q", raw[max(0, len(raw)-300):])
	}
	after := tm.run("show")
	if dropEcho(before) != dropEcho(after) {
		t.Errorf("a failing line changed the lab:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	for _, bad := range []string{"mount", "frobnicate", "fs register", "filter unload nope", `show "C:`, "mount C: --media floppy"} {
		out := tm.run(bad)
		if !strings.Contains(out, "error: ") {
			t.Errorf("%q printed %q, want an error", bad, out)
		}
	}
	tm.exit("exit after errors: status %d, want 0 (errors in the REPL do not change the status)")
}

// TestPTYBangLines: a lesson line pasted at the prompt with its "! " runs
// the rest, and says so when it does not fail.
func TestPTYBangLines(t *testing.T) {
	tm := startTerm(t, testEnv(t.TempDir()))
	tm.prompt()
	tm.run("filter load av")
	if out := tm.run("! fs register av"); !strings.Contains(out, "refused as expected: \"av\" is a loaded filter") ||
		!strings.Contains(out, "must never call IoRegisterFileSystem") {
		t.Errorf("! fs register av printed %q, want the seed's refusal, as expected", out)
	}
	if out := tm.run("! [bad-name] fs register av"); !strings.Contains(out, "error: expected a [bad-name] refusal, got [filter-is-not-fs]") {
		t.Errorf("! [bad-name] on another refusal printed %q", out)
	}
	if out := tm.run("! fs register ntfs"); !strings.Contains(out, "error: expected this line to fail") ||
		!strings.Contains(out, `IoRegisterFileSystem(\Ntfs)`) {
		t.Errorf("! on a line that succeeds printed %q, want its output and the complaint", out)
	}
	tm.exit("exit: status %d")
}

// dropEcho drops the echoed command and the prompt from a run's output.
func dropEcho(out string) string {
	_, body, _ := strings.Cut(out, "\n")
	return strings.TrimSuffix(body, "fssim> ")
}

func TestPTYLongLine(t *testing.T) {
	// 80 columns, and a line of 1000 bytes: 13 rows that readline wraps
	// and redraws at each key (half a megabyte in all). Longer lines only
	// make the test slower, not harder.
	tm := startTermCols(t, 80, testEnv(t.TempDir()))
	tm.prompt()
	long := "filter load " + strings.Repeat("x", 1000)
	tm.send(long + "\r")
	tm.expect("error: bad filter name")
	tm.nextPrompt()
	out := tm.run("filter load " + strings.Repeat("y", 32))
	if !strings.Contains(out, "DriverEntry(\\FileSystem\\"+strings.Repeat("y", 32)+")") {
		t.Errorf("a 32-letter filter did not load after a long line: %q", out)
	}
	out = tm.run("fs register ntfs")
	if !strings.Contains(out, `IoRegisterFileSystem(\Ntfs)`) {
		t.Errorf("the session is broken after a long line: %q", out)
	}
	tm.quitUnsaved() // the lab changed and was not saved: Ctrl-D asks
	if code := tm.wait(); code != 0 {
		t.Errorf("Ctrl-D after a long line: status %d, want 0", code)
	}
}

// TestPTYWrapsToTheWidth: at the prompt, a trace line longer than the
// terminal breaks at spaces, continuation lines indented 4 more than the
// line; color escapes do not count; resizing the terminal takes effect at
// the next verb. (Piped output never wraps: the goldens show that.)
func TestPTYWrapsToTheWidth(t *testing.T) {
	tm := startTermCols(t, 60, testEnv(t.TempDir())) // color on: escapes must not count
	tm.prompt()
	tm.run("fs register ntfs")
	out := tm.run("filter load av --notify")
	want := "    replay: 1 registered file system CDO(s), RAW never\n" +
		"        reported; network, cdrom, disk, tape queues, each\n" +
		"        from the head\n"
	if !strings.Contains(out, want) {
		t.Errorf("at 60 columns the replay line is not wrapped with a hanging indent:\n%s", out)
	}
	for _, l := range strings.Split(dropEcho(out), "\n") {
		if n := len([]rune(l)); n > 60 {
			t.Errorf("a line of %d columns on a 60-column terminal: %q", n, l)
		}
	}
	if !regexp.MustCompile("\x1b\\[[0-9;]*m").Match(tm.all()) {
		t.Errorf("no color on the terminal: the test means to show escapes do not count")
	}
	if err := pty.Setsize(tm.pty, &pty.Winsize{Rows: 50, Cols: 200}); err != nil {
		t.Fatal(err)
	}
	tm.run("reset")
	tm.run("fs register ntfs")
	out = tm.run("filter load av --notify")
	if !strings.Contains(out, "    replay: 1 registered file system CDO(s), RAW never reported; network, cdrom, disk, tape queues, each from the head\n") {
		t.Errorf("after widening to 200 columns the replay line is still wrapped:\n%s", out)
	}
	tm.exit("exit: status %d")
}

func TestPTYColors(t *testing.T) {
	tests := []struct {
		name  string
		extra []string
		args  []string
		color bool
	}{
		{"auto on a terminal", nil, nil, true},
		{"--color=auto on a terminal", nil, []string{"--color=auto"}, true},
		{"NO_COLOR", []string{"NO_COLOR=1"}, nil, false},
		{"--color=auto with NO_COLOR", []string{"NO_COLOR=1"}, []string{"--color=auto"}, false},
		// no-color.org: an empty NO_COLOR is the same as none.
		{"empty NO_COLOR", []string{"NO_COLOR="}, nil, true},
		{"TERM=dumb", []string{"TERM=dumb"}, nil, false},
		{"--color=never", nil, []string{"--color=never"}, false},
		{"--color=always with NO_COLOR", []string{"NO_COLOR=1"}, []string{"--color=always"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := startTerm(t, testEnv(t.TempDir(), tt.extra...), tt.args...)
			tm.prompt()
			tm.run("fs register ntfs")
			tm.run("frobnicate")
			tm.send("exit\r")
			if code := tm.wait(); code != 0 {
				t.Fatalf("status %d, want 0", code)
			}
			// With color off no SGR sequence (ESC [ ... m) may appear.
			// readline's own line editing (ESC [ J, ESC [ 2K) is not color
			// and stays.
			raw := tm.all()
			if loc := sgr.FindIndex(raw); (loc != nil) != tt.color {
				t.Errorf("color on the terminal: %v, want %v", loc != nil, tt.color)
				if loc != nil {
					t.Errorf("first color sequence: %q", raw[max(0, loc[0]-20):min(len(raw), loc[1]+20)])
				}
			}
			if tt.color && !regexp.MustCompile("\x1b\\[[0-9;]*31[0-9;]*m[^\x1b]*error: ").Match(raw) {
				t.Errorf("with color on, the error is not red")
			}
		})
	}
}

func TestPTYHistoryAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	env := testEnv(dir)
	tm := startTerm(t, env)
	tm.prompt()
	tm.run("fs register fastfat")
	tm.send("exit\r")
	if code := tm.wait(); code != 0 {
		t.Fatalf("first run: status %d", code)
	}
	hist := filepath.Join(dir, "config", "fssim", "history")
	b, err := os.ReadFile(hist)
	if err != nil {
		t.Fatalf("no history file after a session: %v", err)
	}
	if !strings.Contains(string(b), "fs register fastfat") {
		t.Errorf("history file holds %q, want the line typed", b)
	}

	// A second run recalls it with the up arrow.
	tm = startTerm(t, env)
	tm.prompt()
	tm.send("\x1b[A") // Up: the last line, "exit"
	tm.expect("exit")
	tm.send("\x1b[A") // Up again: "fs register fastfat"
	tm.expect("fs register fastfat")
	out := tm.run("")
	if !strings.Contains(out, `IoRegisterFileSystem(\Fat)`) {
		t.Errorf("the line recalled from the last run did not run: %q", out)
	}
	tm.quitUnsaved() // the lab changed and was not saved: Ctrl-D asks
	if code := tm.wait(); code != 0 {
		t.Errorf("second run: status %d", code)
	}
	// Every line ended with Enter is kept, exit included: the file is
	// written before the line runs, so leaving at once loses nothing.
	b, err = os.ReadFile(hist)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), "fs register fastfat\nexit\nfs register fastfat\n"; got != want {
		t.Errorf("history file after two runs:\n%q\nwant:\n%q", got, want)
	}
}

func TestPTYNoHistory(t *testing.T) {
	dir := t.TempDir()
	tm := startTerm(t, testEnv(dir), "--no-history")
	tm.prompt()
	tm.run("fs register ntfs")
	tm.send("exit\r")
	if code := tm.wait(); code != 0 {
		t.Fatalf("status %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "config", "fssim")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--no-history still made the history folder (stat: %v)", err)
	}
	if strings.Contains(tm.screen(), "history") {
		t.Errorf("--no-history talks about history:\n%s", tm.screen())
	}
}

func TestPTYHistoryFolderNotWritable(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) []string // returns the environment
	}{
		{"XDG_CONFIG_HOME is a file", func(t *testing.T, dir string) []string {
			// Nothing can be created under a file, even by root (a
			// read-only folder would not stop root).
			writeBlocker(t, filepath.Join(dir, "config"))
			return testEnv(dir)
		}},
		{"HOME is a file and XDG_CONFIG_HOME is unset", func(t *testing.T, dir string) []string {
			writeBlocker(t, filepath.Join(dir, "home"))
			return []string{"PATH=" + os.Getenv("PATH"), "TERM=xterm", "HOME=" + filepath.Join(dir, "home")}
		}},
		{"the history file is a folder", func(t *testing.T, dir string) []string {
			if err := os.MkdirAll(filepath.Join(dir, "config", "fssim", "history"), 0o755); err != nil {
				t.Fatal(err)
			}
			return testEnv(dir)
		}},
		{"read-only config folder", func(t *testing.T, dir string) []string {
			if os.Geteuid() == 0 {
				t.Skip("root writes into read-only folders; the other cases cover this as root")
			}
			ro := filepath.Join(dir, "config")
			if err := os.Mkdir(ro, 0o500); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(ro, 0o700) })
			return testEnv(dir)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tm := startTerm(t, tt.setup(t, dir))
			tm.expect("history is off")
			tm.prompt()
			out := tm.run("fs register ntfs")
			if !strings.Contains(out, `IoRegisterFileSystem(\Ntfs)`) {
				t.Errorf("without history the session does not run lines: %q", out)
			}
			tm.run("mount C:")
			tm.exit("status %d, want 0")
			if n := strings.Count(tm.screen(), "history is off"); n != 1 {
				t.Errorf("the terminal says history is off %d times, want once:\n%s", n, tm.screen())
			}
		})
	}
}

// TestPTYTwoPromptsShareHistoryLong: two prompts started together over a
// history of more than a thousand lines each type lines; none is lost, and
// the old lines stay. Repeated: the loss this guards against came from a
// race between the two starts.
func TestPTYTwoPromptsShareHistoryLong(t *testing.T) {
	trials := 5
	if longtest.Short(t) {
		trials = 2
	}
	for trial := range trials {
		dir := t.TempDir()
		hist := filepath.Join(dir, "config", "fssim", "history")
		if err := os.MkdirAll(filepath.Dir(hist), 0o700); err != nil {
			t.Fatal(err)
		}
		var old strings.Builder
		for i := range 1200 {
			fmt.Fprintf(&old, "old line %d\n", i)
		}
		if err := os.WriteFile(hist, []byte(old.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		env := testEnv(dir)
		a, b := startTerm(t, env), startTerm(t, env)
		a.prompt()
		b.prompt()
		for i := range 3 {
			a.run(fmt.Sprintf("help # a%d", i))
			b.run(fmt.Sprintf("help # b%d", i))
		}
		a.send("\x04")
		b.send("\x04")
		a.wait()
		b.wait()
		data, err := os.ReadFile(hist)
		if err != nil {
			t.Fatal(err)
		}
		got := string(data)
		for _, w := range []string{"a0", "a1", "a2", "b0", "b1", "b2"} {
			if !strings.Contains(got, "help # "+w+"\n") {
				t.Errorf("trial %d: the line %q typed in one of two prompts is not in the history", trial, "help # "+w)
			}
		}
		if !strings.HasPrefix(got, "old line 0\n") {
			t.Errorf("trial %d: the history was cut at start: it begins %q", trial, got[:min(len(got), 40)])
		}
	}
}

// writeBlocker puts a file where a folder should be.
func writeBlocker(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if b, _ := os.ReadFile(path); string(b) != "not a folder" {
			t.Errorf("fssim changed the file in the way: %q", b)
		}
	})
}

func TestPTYNoConfigDir(t *testing.T) {
	// Neither XDG_CONFIG_HOME nor HOME: os.UserConfigDir fails.
	env := []string{"PATH=" + os.Getenv("PATH"), "TERM=xterm"}
	tm := startTerm(t, env)
	tm.expect("history is off")
	tm.prompt()
	tm.send("\x04")
	if code := tm.wait(); code != 0 {
		t.Errorf("status %d, want 0", code)
	}
}

// TestPipedStdinNoReadline runs fssim with stdin from a pipe and stdout on
// a terminal: no readline, so no welcome, no prompt redraws and no cursor
// escapes; the lines are echoed as a transcript.
func TestPipedStdinNoReadline(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("creack/pty does not open a pty on Windows")
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("cannot open a pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	cmd := exec.Command(ptyBin(t), "--color=never")
	cmd.Env = testEnv(t.TempDir())
	cmd.Stdin = strings.NewReader("fs register ntfs\nfs list\n")
	cmd.Stdout = tty
	cmd.Stderr = tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	var out bytes.Buffer
	done := make(chan struct{})
	go func() { io.Copy(&out, ptmx); close(done) }()
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		if err != nil {
			t.Fatalf("fssim < pipe: %v", err)
		}
	case <-time.After(ptyDeadline):
		cmd.Process.Kill()
		t.Fatal("fssim < pipe did not end")
	}
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("the terminal did not close")
	}
	got := out.String()
	if r := raceReport(got); r != "" {
		t.Errorf("the race detector found a data race in fssim:\n%s", r)
	}
	if strings.Contains(got, "\x1b") {
		t.Errorf("piped stdin: the terminal got escape bytes: %q", got)
	}
	if strings.Contains(got, "Ctrl-D") {
		t.Errorf("piped stdin printed the prompt's welcome: %q", got)
	}
	if !strings.Contains(got, "fssim> fs register ntfs\r\n") || !strings.Contains(got, "fssim> fs list\r\n") {
		t.Errorf("piped stdin: want each line echoed once as a transcript, got %q", got)
	}
	if n := strings.Count(got, "fssim> "); n != 2 {
		t.Errorf("piped stdin: %d prompts, want 2 (one echo per line)", n)
	}
}

// TestPipedNoEscapes runs fssim with stdin and stdout both pipes: never an
// escape byte, unless --color=always asks for color.
func TestPipedNoEscapes(t *testing.T) {
	in := "fs register ntfs\nfilter load av --notify\nmount C:\nshow\n"
	for _, tc := range []struct {
		args []string
		esc  bool
	}{
		{nil, false},
		{[]string{"--color=auto"}, false},
		{[]string{"--color=always"}, true},
	} {
		cmd := exec.Command(ptyBin(t), tc.args...)
		cmd.Env = testEnv(t.TempDir())
		cmd.Stdin = strings.NewReader(in)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if r := raceReport(errb.String()); r != "" {
			t.Errorf("the race detector found a data race in fssim:\n%s", r)
		}
		if err != nil {
			t.Fatalf("fssim %v < pipe: %v\n%s", tc.args, err, errb.String())
		}
		if got := bytes.IndexByte(out.Bytes(), 0x1b) >= 0; got != tc.esc {
			t.Errorf("fssim %v < pipe > pipe: escape bytes in stdout = %v, want %v", tc.args, got, tc.esc)
		}
		if bytes.IndexByte(errb.Bytes(), 0x1b) >= 0 {
			t.Errorf("fssim %v < pipe: escape bytes on stderr: %q", tc.args, errb.String())
		}
		if text := stripANSI(out.Bytes()); !strings.Contains(text, "fssim> mount C:\n") {
			t.Errorf("fssim %v < pipe: no transcript echo of the lines", tc.args)
		}
	}
}

// TestPTYLessonStepAndQuiz: at the prompt, lesson --step pauses after each
// step with its own prompt, Enter goes on and q stops it, without Enter
// (the lab as far as it got, the prompt back); quiz reads the answer typed
// at answer>.
func TestPTYLessonStepAndQuiz(t *testing.T) {
	tm := startTermSize(t, 200, 200, testEnv(t.TempDir())) // tall enough that no step pages
	tm.prompt()
	tm.send("lesson detach-middle --step\r")
	tm.expect("[step 1 of 3 done: Detaching from the middle of a stack tears down everything above it. Enter: next, q: quit]")
	tm.send("\r")
	tm.expect("[step 2 of 3 done: ")
	tm.expect("Enter: next, q: quit]")
	tm.send("q")
	tm.expect("stopped after step 2 of 3")
	tm.nextPrompt()
	if out := tm.run("history"); !strings.Contains(out, "7  filter detach enc C:") || strings.Contains(tm.screen(), "fssim> explain backup C:") {
		t.Errorf("history after the stopped lesson: %q", out)
	}
	if out := tm.run("reset"); !strings.Contains(out, "boot state") {
		t.Errorf("reset: %q", out)
	}
	tm.send("quiz --seed 4\r")
	tm.expect("answer> ")
	tm.send("quota spy ntfs\r")
	tm.expect("right: C: is quota spy ntfs")
	tm.nextPrompt()
	tm.exit("exit: status %d, want 0")
}

// TestPTYFssimLessonStep: fssim lesson NAME --step on a terminal pauses too.
func TestPTYFssimLessonStep(t *testing.T) {
	tm := startTermSize(t, 200, 200, testEnv(t.TempDir()), "lesson", "detach-middle", "--step")
	tm.expect("Enter: next, q: quit]")
	tm.send("\r")
	tm.expect("Enter: next, q: quit]")
	tm.send("qhistory\r") // a paste, not a key: ignored, with a hint
	tm.expect("at the pause, press Enter, Space or n to go on, or q to quit")
	tm.expect("Enter: next, q: quit]")
	tm.send("q")
	tm.expect("stopped after step 2 of 3")
	if code := tm.wait(); code != 0 {
		t.Errorf("status %d, want 0", code)
	}
}

// TestPTYQuizKeys: at answer>, Enter alone asks again, Ctrl-C and Ctrl-D
// skip the quiz with a line that says so (and the session goes on), a
// file system named by its format is right, and the verdict comes again
// after the explanation (issue 16 point 13).
func TestPTYQuizKeys(t *testing.T) {
	tm := startTerm(t, testEnv(t.TempDir()))
	tm.prompt()
	tm.send("quiz --seed 4\r")
	tm.expect("answer> ")
	tm.send("\r")
	tm.expect("\n")
	tm.expect("answer> ")
	tm.send("\x03") // Ctrl-C
	if out := tm.nextPrompt(); !strings.Contains(out, "quiz skipped: the lab stays built") || strings.Contains(out, "nobody to answer") {
		t.Errorf("Ctrl-C at answer> printed %q", out)
	}
	tm.run("reset")
	tm.send("quiz --seed 4\r")
	tm.expect("answer> ")
	tm.send("\x04") // Ctrl-D
	if out := tm.nextPrompt(); !strings.Contains(out, "quiz skipped: the lab stays built") {
		t.Errorf("Ctrl-D at answer> printed %q", out)
	}
	tm.run("reset")
	tm.send("quiz --seed 4\r")
	tm.expect("answer> ")
	tm.send("quota spy\r")
	out := tm.nextPrompt()
	if i, j := strings.Index(out, "right: C: is quota spy ntfs"), strings.LastIndex(out, "right: C: is quota spy ntfs"); i < 0 || i == j ||
		!strings.Contains(out[i:j], "why each device of C:") {
		t.Errorf("the verdict is not before and after the explanation: %q", out)
	}
	tm.exit("exit: status %d, want 0")
}

// TestPTYHistoryDropsOverlongLines: a history line longer than the longest
// line fssim runs (4 MiB) is not loaded: the prompt starts at once and Up
// skips it.
func TestPTYHistoryDropsOverlongLines(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "config", "fssim", "history")
	if err := os.MkdirAll(filepath.Dir(hist), 0o700); err != nil {
		t.Fatal(err)
	}
	data := "fs register fastfat\n" + strings.Repeat("x", 5<<20) + "\nfs register ntfs\n"
	if err := os.WriteFile(hist, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := startTerm(t, testEnv(dir))
	tm.prompt()
	tm.send("\x1b[A") // Up: the last line
	tm.expect("fs register ntfs")
	tm.send("\x1b[A") // Up again: the line before the long one
	tm.expect("fs register fastfat")
	tm.send("\x03")
	tm.nextPrompt()
	tm.send("\x04")
	if code := tm.wait(); code != 0 {
		t.Errorf("status %d, want 0", code)
	}
	if strings.Contains(tm.screen(), "xxxxxxxx") {
		t.Errorf("the over-long history line reached the terminal")
	}
}

// TestPTYCtrlCStopsLoad: Ctrl-C while load runs a long file stops it
// between two verbs and returns to the prompt with one line; the verbs
// that ran stay in the lab (history lists them, undo takes them back), the
// rest of the typed line does not run, and fssim goes on.
func TestPTYCtrlCStopsLoad(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.fss")
	var b strings.Builder
	b.WriteString("fs register ntfs\n")
	for range 10000 {
		b.WriteString("mount C:\ndismount C:\n")
	}
	if err := os.WriteFile(big, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := startTermCols(t, 400, testEnv(dir), "--color=never") // the message on one line
	tm.deadline = time.Now().Add(4 * ptyDeadline)              // a long load's output, under -race on a busy machine
	tm.prompt()
	tm.send("load " + big + "; fs register fastfat\r")
	tm.expect("fssim> dismount C:") // the load is running: the terminal is not raw, Ctrl-C is SIGINT
	tm.send("\x03")
	msg := tm.expect("the lab keeps the verbs that ran")
	if !strings.Contains(msg, "interrupted: load "+big+" stopped after line ") {
		t.Errorf("Ctrl-C during load: no one-line message saying where it stopped: %q", msg[max(0, len(msg)-300):])
	}
	tm.expect("; 1 verb more on the line did not run")
	tm.nextPrompt()
	out := tm.run("history")
	all := regexp.MustCompile(`(?m)^ +([0-9]+) +(mount|dismount) C:$`).FindAllStringSubmatch(dropEcho(out), -1)
	if all == nil {
		t.Fatalf("history after an interrupted load: %q", out[max(0, len(out)-300):])
	}
	m := all[len(all)-1] // the last verb that ran
	if n, _ := strconv.Atoi(m[1]); n < 2 || n >= 20001 {
		t.Errorf("history has %d verbs after an interrupted load, want some of the file's 20001, not all", n)
	}
	if strings.Contains(out, "fastfat") {
		t.Errorf("the verb after the interrupted load ran")
	}
	out = tm.run("undo")
	if !strings.Contains(out, "undid 1 verb: "+m[2]+" C:") {
		t.Errorf("undo after an interrupted load: %q", out)
	}
	out = tm.run("fs register fastfat")
	if !strings.Contains(out, `IoRegisterFileSystem(\Fat)`) {
		t.Errorf("the session is broken after Ctrl-C: %q", out)
	}
	tm.exit("exit after Ctrl-C during load: status %d, want 0")
}

// TestPTYLongPaste: a pasted line of 20 KB, bracketed by the terminal or
// not, reaches the prompt whole and costs output in proportion to it.
// readline alone redraws the whole line after each rune: 55 MB written for
// 10 KB (14 s), and about four times that for 20 KB.
func TestPTYLongPaste(t *testing.T) {
	const size = 20 << 10
	for _, bracketed := range []bool{false, true} {
		t.Run(fmt.Sprintf("bracketed=%v", bracketed), func(t *testing.T) {
			dir := t.TempDir()
			tm := startTermCols(t, 80, testEnv(dir))
			tm.deadline = time.Now().Add(4 * ptyDeadline) // the size bound is the check, not the time
			tm.prompt()
			line := "filter load " + strings.Repeat("x", size)
			paste := line
			if bracketed {
				paste = "\x1b[200~" + line + "\x1b[201~"
			}
			before := len(tm.all())
			tm.send(paste + "\r")
			tm.expect("error: ")
			tm.nextPrompt()
			// A bracketed paste is one insertion: under 10x its size. An
			// unbracketed one is found by runs of 16 or more runes in one
			// read, and a loaded machine splits the pty's reads finer (one
			// make test run saw 25x): it gets 64x. Quadratic redrawing, the
			// bug, writes thousands of times the paste (55 MB for 10 KB).
			limit := 10 * size
			if !bracketed {
				limit = 64 * size
			}
			if n := len(tm.all()) - before; n > limit {
				t.Errorf("a %d-byte paste wrote %d bytes to the terminal, want under %d", size, n, limit)
			}
			if bracketed && !strings.Contains(string(tm.all()), "\x1b[?2004h") {
				t.Errorf("the prompt does not ask the terminal to bracket pastes")
			}
			tm.send("\x04")
			if code := tm.wait(); code != 0 {
				t.Errorf("status %d", code)
			}
			if strings.HasSuffix(string(tm.all()), "\x1b[?2004h") {
				t.Errorf("fssim left the terminal bracketing pastes")
			}
			hist, err := os.ReadFile(filepath.Join(dir, "config", "fssim", "history"))
			if err != nil {
				t.Fatal(err)
			}
			if string(hist) != line+"\n" {
				t.Errorf("the pasted line did not arrive whole: the history holds %d bytes, want %d", len(hist), len(line)+1)
			}
		})
	}
}

// TestPTYPasteLines: pasted lines each run, bracketed or not, and a paste
// into a line being typed goes in at the cursor.
func TestPTYPasteLines(t *testing.T) {
	tm := startTerm(t, testEnv(t.TempDir()), "--color=never")
	tm.prompt()
	tm.send("\x1b[200~fs register ntfs\nmount C:\n\x1b[201~")
	tm.expect(`IoRegisterFileSystem(\Ntfs)`)
	tm.expect(`C:  \Device\HarddiskVolume1  disk media, ntfs  mounted by \FileSystem\Ntfs`)
	tm.nextPrompt()
	tm.send("filter load ")
	tm.send("\x1b[200~av\x1b[201~")
	out := tm.run(" --notify")
	if !strings.Contains(out, `DriverEntry(\FileSystem\av)`) {
		t.Errorf("a paste into a typed line: %q", out)
	}
	tm.quitUnsaved() // the lab changed and was not saved: Ctrl-D asks
	if code := tm.wait(); code != 0 {
		t.Errorf("status %d", code)
	}
}

// TestPTYStepPagesAndKeys: at 80x8, tour --step pauses with -- more (N
// lines) -- before a step scrolls its comment away; at a pause what is not
// an answer (a pasted qhistory) is ignored with a one-line hint, Space and
// n go on and q quits as they are pressed, and the prompt comes back with
// the lab as far as it got.
func TestPTYStepPagesAndKeys(t *testing.T) {
	tm := startTermSize(t, 80, 8, testEnv(t.TempDir()))
	tm.prompt()
	tm.send("tour --step\r")
	tm.expect("# The 30-second tour")
	tm.expect("-- more (")
	tm.send("qhistory\r")
	tm.expect("at the pause, press Enter, Space or n to go on, or q to quit")
	tm.expect("-- more (")
	tm.send(" ")
	tm.expect("[step 1 of ")
	tm.send("n")
	tm.expect("fssim> filter load av --notify")
	tm.expect("-- more (")
	tm.send("q")
	tm.expect("the tour stopped after step 2 of")
	tm.nextPrompt()
	if out := tm.run("history"); !strings.Contains(out, "filter load backup") {
		t.Errorf("history after q: %q", out)
	}
	tm.exit("exit: status %d, want 0")
}

// TestPTYHelpAt80Columns: help at 80 columns wraps each verb's description
// under its own column, not at a fixed hang.
func TestPTYHelpAt80Columns(t *testing.T) {
	tm := startTermCols(t, 80, testEnv(t.TempDir()))
	tm.prompt()
	out := tm.run("help")
	col, wrapped := 0, 0
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimRight(l, "\r")
		lead := len(l) - len(strings.TrimLeft(l, " "))
		switch {
		case lead == 0 && l != "":
			col = 0 // a group's name, or the prose after the list
		case lead == 2 && col == 0:
			// A verb's row: its description starts after the name's gap.
			if i := strings.Index(l[2:], "  "); i > 0 {
				col = 2 + i + len(l[2+i:]) - len(strings.TrimLeft(l[2+i:], " "))
			}
		case lead > 2 && col > 0:
			wrapped++
			if lead != col {
				t.Errorf("help at 80 columns: a wrapped description starts at column %d, its column is %d: %q", lead, col, l)
			}
		}
		if len([]rune(l)) > 80 {
			t.Errorf("help at 80 columns: a line of %d columns: %q", len([]rune(l)), l)
		}
	}
	if wrapped == 0 {
		t.Errorf("help at 80 columns wrapped nothing; the test needs a description longer than the row:\n%s", out)
	}
	tm.send("exit\r")
	tm.wait()
}

// TestPTYCtrlDAsksAboutUnsavedVerbs: Ctrl-D with verbs not saved asks
// once; anything but y goes back to the prompt, y quits; after save it
// quits at once; clear clears the screen.
func TestPTYCtrlDAsksAboutUnsavedVerbs(t *testing.T) {
	dir := t.TempDir()
	tm := startTerm(t, testEnv(dir))
	tm.prompt()
	tm.run("fs register ntfs")
	tm.send("\x04")
	tm.expect("verbs changed the lab since the last save")
	tm.expect("quit anyway? (y/N)")
	tm.send("n\r")
	tm.nextPrompt()
	tm.send("clear\r")
	tm.nextPrompt()
	if !bytes.Contains(tm.all(), []byte("\x1b[H\x1b[2J")) {
		t.Error("clear did not clear the screen")
	}
	tm.send("\x04") // asked once: nothing changed since, so Ctrl-D quits
	if code := tm.wait(); code != 0 {
		t.Errorf("the second Ctrl-D: status %d, want 0", code)
	}

	tm = startTerm(t, testEnv(dir))
	tm.prompt()
	tm.run("fs register ntfs")
	if out := tm.run("save " + filepath.Join(dir, "lab.fss")); !strings.Contains(out, "saved 1 verb") {
		t.Fatalf("save: %q", out)
	}
	tm.send("\x04")
	if code := tm.wait(); code != 0 || strings.Contains(tm.screen(), "quit anyway") {
		t.Errorf("Ctrl-D after save: status %d, want 0 without asking", code)
	}

	tm = startTerm(t, testEnv(dir))
	tm.prompt()
	tm.run("fs register ntfs")
	tm.quitUnsaved()
	if code := tm.wait(); code != 0 {
		t.Errorf("y: status %d, want 0", code)
	}
}

// TestPTYRunStep: fssim run --step FILE at a terminal pauses after each
// step and q stops it; piped, it runs straight through.
func TestPTYRunStep(t *testing.T) {
	dir := t.TempDir()
	lab := filepath.Join(dir, "lab.fss")
	if err := os.WriteFile(lab, []byte("# My lab\nfs register ntfs\n\n# then a filter\nfilter load av --notify\n\n# and a volume\nmount C:\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := startTermSize(t, 200, 200, testEnv(dir), "run", "--step", lab)
	tm.expect("[step 1 of 3 done: My lab. Enter: next, q: quit]")
	tm.send("\r")
	tm.expect("[step 2 of 3 done: then a filter. Enter: next, q: quit]")
	tm.send("q")
	tm.expect("stopped after step 2 of 3")
	if code := tm.wait(); code != 0 {
		t.Errorf("status %d, want 0", code)
	}
	if strings.Contains(tm.screen(), "fssim> mount C:") {
		t.Error("q at the pause: the last step ran anyway")
	}

	cmd := exec.Command(ptyBin(t), "run", "--step", lab)
	cmd.Env = testEnv(dir)
	out, err := cmd.Output()
	if err != nil || !strings.Contains(string(out), "fssim> mount C:") || strings.Contains(string(out), "Enter: next") {
		t.Errorf("piped run --step: %v\n%s", err, out)
	}
}

// TestCourseFlag: fssim --lessons DIR (or FSSIM_LESSONS) adds a course's
// lessons; a clash with a built-in lesson is a usage error that names it.
func TestCourseFlag(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "intro.fss"), []byte("# Our first lab\nfs register ntfs\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--lessons", dir, "lesson", "intro"}, {"lesson", "intro"}} {
		cmd := exec.Command(ptyBin(t), args...)
		cmd.Env = append(testEnv(t.TempDir()), "FSSIM_LESSONS="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "IoRegisterFileSystem(\\Ntfs)") {
			t.Errorf("fssim %q: %v\n%s", args, err, out)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "tour.fss"), []byte("# mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(ptyBin(t), "--lessons", dir, "lesson", "list")
	cmd.Env = testEnv(t.TempDir())
	out, err := cmd.CombinedOutput()
	var xe *exec.ExitError
	if !errors.As(err, &xe) || xe.ExitCode() != 2 || !strings.Contains(string(out), "the name of a built-in lesson, tour") {
		t.Errorf("a clash: %v\n%s", err, out)
	}
}

// TestPTYTranscriptsWrap: fssim tour, fssim lesson, fssim -c and fssim run
// on an 80-column terminal wrap their lines at spaces, as the prompt does:
// no line is wider than the terminal but a lone word. So do fssim's own
// help (cobra's) and fssim help VERB.
func TestPTYTranscriptsWrap(t *testing.T) {
	dir := t.TempDir()
	lab := filepath.Join(dir, "lab.fss")
	if err := os.WriteFile(lab, []byte("fs register ntfs\nfilter load av --notify\nmount C:\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"tour"}, {"lesson", "irp"}, {"-c", "fs register ntfs; filter load av --notify; mount C:"}, {"run", lab},
		{"--help"}, {"run", "--help"}, {"help", "mount"}, {"-c", "help; lesson list; rule; rule 6"}} {
		tm := startTermSize(t, 80, 50, testEnv(dir), args...)
		if code := tm.wait(); code != 0 {
			t.Errorf("fssim %q: status %d", args, code)
		}
		for _, l := range strings.Split(tm.screen(), "\n") {
			l = strings.TrimRight(l, "\r ")
			if n := len([]rune(l)); n > 80 && strings.Contains(strings.TrimSpace(l), " ") {
				t.Errorf("fssim %q at 80 columns: a line of %d columns: %q", args, n, l)
			}
		}
	}
}

// TestPTYHelpFits: fssim --help, a command's --help and help VERB at 80
// columns fit the screen, with the prose paragraphs refilled to it rather
// than broken twice (at 100 columns in the source, then at 80), and the
// verb table's descriptions under their column. Piped, help is unchanged
// (TestHelp* compare it).
func TestPTYHelpFits(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"--help"}, {"help"}, {"test", "--help"}, {"serve", "--help"}, {"help", "mount"}} {
		tm := startTermSize(t, 80, 50, testEnv(dir), args...)
		if code := tm.wait(); code != 0 {
			t.Errorf("fssim %q: status %d", args, code)
		}
		lines := strings.Split(tm.screen(), "\n")
		for i, l := range lines {
			l = strings.TrimRight(l, "\r ")
			if n := len([]rune(l)); n > 80 {
				t.Errorf("fssim %q at 80 columns: a line of %d columns: %q", args, n, l)
			}
			// A prose line broken twice leaves a short line followed by
			// one that starts a sentence's middle: a line of a paragraph
			// shorter than half the screen and not its last.
			if i+1 < len(lines) && len(l) > 0 && len(l) < 40 && l[0] != ' ' && !strings.HasSuffix(l, ":") {
				next := strings.TrimRight(lines[i+1], "\r ")
				if next != "" && next[0] != ' ' && strings.ToLower(next[:1]) == next[:1] {
					t.Errorf("fssim %q at 80 columns: a ragged paragraph: %q then %q", args, l, next)
				}
			}
		}
	}
}

// tableLab has three minifilters with instances on two volumes, one of
// them with a name long enough that fltmc instances prints its rows as
// blocks at 80 columns, and a second instance of scanner.
const tableLab = `fs register ntfs
filter load av --notify --group "FSFilter Anti-Virus"
mount C:
mount D:
fltmgr load
minifilter load scanner --altitude 328000 --group anti-virus
minifilter load contosoencryptionfilter --altitude 141100 --group encryption
minifilter load watch --altitude 385100.25 --group activity-monitor
fltmc attach scanner C: -a 328000.5 -i second
`

// tableLabRows are tableLab's rows of fltmc instances and fltmc volumes,
// cell by cell (the empty ones left out).
var tableLabRows = map[string][][]string{
	"fltmc instances": {
		{"contosoencryptionfilter", "C:", "141100", "contosoencryptionfilter", "0", "0000000f"},
		{"contosoencryptionfilter", "D:", "141100", "contosoencryptionfilter", "0", "0000000f"},
		{"scanner", "C:", "328000.5", "second", "0", "0000000f"},
		{"scanner", "C:", "328000", "scanner", "0", "0000000f"},
		{"scanner", "D:", "328000", "scanner", "0", "0000000f"},
		{"watch", "C:", "385100.25", "watch", "0", "0000000f"},
		{"watch", "D:", "385100.25", "watch", "0", "0000000f"},
	},
	"fltmc volumes": {
		{"C:", `\Device\HarddiskVolume1`, "NTFS"},
		{"D:", `\Device\HarddiskVolume2`, "NTFS"},
	},
}

// checkTableRows checks a table that verb printed on a terminal cols wide:
// no line is wider; after the header, each row is a line at the left edge
// and the indented lines after it, whose words are the row's cells in
// order, each whole; and each word of a row's k-th line stands under a run
// of the k-th line of dashes (the header's), so the cells line up under
// their headers. It returns how many lines the rows took.
func checkTableRows(t *testing.T, verb, out string, cols int) int {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for _, l := range lines {
		if n := len([]rune(l)); n > cols {
			t.Errorf("%s at %d columns: a line of %d columns: %q", verb, cols, n, l)
		}
	}
	var dashes []string
	body := -1
	for i, l := range lines {
		if strings.Trim(l, "- ") == "" && strings.Contains(l, "-") {
			dashes, body = append(dashes, l), i+1
		}
	}
	if body < 0 {
		t.Fatalf("%s at %d columns: no dashes under a header:\n%s", verb, cols, out)
	}
	var rows [][]string
	k := 0
	for _, l := range lines[body:] {
		if l == "" {
			break
		}
		if l[0] != ' ' {
			rows, k = append(rows, nil), 0
		} else if len(rows) == 0 {
			t.Fatalf("%s at %d columns: the first row starts indented: %q", verb, cols, l)
		}
		if k >= len(dashes) {
			t.Fatalf("%s at %d columns: a row of more lines than the header has dashes: %q\n%s", verb, cols, l, out)
		}
		for i := 0; i < len(l); i++ {
			if l[i] != ' ' && (i >= len(dashes[k]) || dashes[k][i] != '-') {
				t.Fatalf("%s at %d columns: %q: column %d is under no header's dashes:\n%s", verb, cols, l, i, out)
			}
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], strings.Fields(l)...)
		k++
	}
	want := tableLabRows[verb]
	if len(rows) != len(want) {
		t.Fatalf("%s at %d columns: %d rows, want %d:\n%s", verb, cols, len(rows), len(want), out)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("%s at %d columns: row %d has the cells %q, want %q (a cell split or out of place):\n%s", verb, cols, i, rows[i], want[i], out)
		}
	}
	return len(lines) - body
}

// TestPTYTablesAt80Columns: at the prompt and in fssim run on an 80x24
// terminal, fltmc instances (125 columns as fltmc prints it) and fltmc
// volumes (93) fit 80 columns without splitting a cell: instances with a
// long minifilter name as two-line blocks, volumes as one line a row.
// Widened to 200 columns, the prompt prints fltmc's own layout again.
func TestPTYTablesAt80Columns(t *testing.T) {
	dir := t.TempDir()
	lab := filepath.Join(dir, "lab.fss")
	if err := os.WriteFile(lab, []byte(tableLab+"fltmc instances\nfltmc volumes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := startTermSize(t, 80, 24, testEnv(dir))
	tm.prompt()
	for _, l := range strings.Split(strings.TrimSpace(tableLab), "\n") {
		tm.run(l)
	}
	if n := checkTableRows(t, "fltmc instances", dropEcho(tm.run("fltmc instances")), 80); n != 2*len(tableLabRows["fltmc instances"]) {
		t.Errorf("fltmc instances at 80 columns: its rows took %d lines, want two each", n)
	}
	if n := checkTableRows(t, "fltmc volumes", dropEcho(tm.run("fltmc volumes")), 80); n != len(tableLabRows["fltmc volumes"]) {
		t.Errorf("fltmc volumes at 80 columns: its rows took %d lines, want one each", n)
	}
	if err := pty.Setsize(tm.pty, &pty.Winsize{Rows: 24, Cols: 200}); err != nil {
		t.Fatal(err)
	}
	const fltmcHeader = "Filter                Volume Name                              Altitude        Instance Name       Frame   SprtFtrs  VlStatus\n"
	if out := tm.run("fltmc instances"); !strings.Contains(out, fltmcHeader) {
		t.Errorf("fltmc instances at 200 columns is not in fltmc's layout:\n%s", out)
	}
	tm.quitUnsaved()
	tm.wait()

	tm = startTermSize(t, 80, 24, testEnv(dir), "--color=never", "run", lab)
	if code := tm.wait(); code != 0 {
		t.Fatalf("fssim run: status %d", code)
	}
	sc := tm.screen()
	for _, verb := range []string{"fltmc instances", "fltmc volumes"} {
		_, out, ok := strings.Cut(sc, "fssim> "+verb+"\n")
		if !ok {
			t.Fatalf("fssim run printed no %s:\n%s", verb, sc)
		}
		out, _, _ = strings.Cut(out, "fssim> ")
		checkTableRows(t, verb, out, 80)
	}
}
