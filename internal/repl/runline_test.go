package repl

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/longtest"
	"github.com/fssim/fssim/internal/render"
)

// TestLongLineMemoryBoundedByVerbLong: a line of many verbs is read one verb at
// a time, so what it holds while it runs is bounded by the line and its
// longest verb, not by how many verbs it has (issue 13.11: "x;" x 2M took
// 281 MB, 643 MB with --keep-going, when every verb of the line was read
// before the first ran). 200,000 verbs, so that the session's own heap is
// small beside the line (at 200,000 the peak is about 1.3 times the line);
// one goroutine, measured: not under -short, so make test runs it once,
// without the race detector (1.3 s; 4.9 s under -race).
func TestLongLineMemoryBoundedByVerbLong(t *testing.T) {
	longtest.Skip(t, "runs 400,000 verbs and measures the heap")
	const verbs = 200_000
	for _, c := range []struct {
		verb      string
		keepGoing bool
	}{
		{"os", false},  // each verb succeeds
		{"! os", true}, // each verb fails (it succeeds), and the run goes on
	} {
		line := strings.Repeat(c.verb+";", verbs)
		var base runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&base)
		n, peak := 0, uint64(0)
		stop := func() bool {
			// Every 40,000 verbs, what is live (garbage collected first).
			if n++; n%40_000 == 0 {
				var m runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc-min(m.HeapAlloc, base.HeapAlloc))
			}
			return false
		}
		s := NewSession(io.Discard, render.NewTheme(false))
		res, err := s.RunScript(strings.NewReader(line+"\n"), ScriptOptions{Name: "long.fss", KeepGoing: c.keepGoing, Stop: stop})
		if err != nil || n < verbs || (res.Failed == verbs) != c.keepGoing {
			t.Fatalf("%s x %d: ran %d verbs, %+v, %v", c.verb, verbs, n, res, err)
		}
		// The line itself is held, once it is read (a bit more than its
		// size); twice that leaves room for the session and the test.
		// Every verb read at once would hold 48 bytes or more for each:
		// 10 to 16 times the line.
		t.Logf("%s x %d (%d bytes): %d bytes live at most", c.verb, verbs, len(line), peak)
		if limit := uint64(2 * len(line)); peak > limit {
			t.Errorf("%s x %d (%d bytes): %d bytes live while it ran, want at most %d", c.verb, verbs, len(line), peak, limit)
		}
	}
}

// TestLexerAllocs: reading a verb of plain words allocates nothing once
// the lexer's word list has grown to the longest verb; a quoted word
// allocates itself.
func TestLexerAllocs(t *testing.T) {
	line := strings.Repeat("filter attach av C:; ", 1000)
	var l lexer
	allocs := testing.AllocsPerRun(20, func() {
		l.line, l.pos = line, 0
		for {
			if _, ok, _ := l.next(); !ok {
				break
			}
		}
	})
	if allocs > 0 {
		t.Errorf("reading 1,000 verbs of plain words: %.1f allocations, want none", allocs)
	}
	quoted := strings.Repeat(`fs register 'a b'; `, 1000)
	allocs = testing.AllocsPerRun(20, func() {
		l.line, l.pos = quoted, 0
		for {
			if _, ok, _ := l.next(); !ok {
				break
			}
		}
	})
	if allocs > 1000 {
		t.Errorf("reading 1,000 verbs of one quoted word each: %.1f allocations, want 1,000", allocs)
	}
	if allocs = testing.AllocsPerRun(20, func() { checkLine(quoted) }); allocs > 0 {
		t.Errorf("checkLine keeps nothing, but allocated %.1f times", allocs)
	}
}

// TestCommandsNewlines: in fssim -c a newline parts verbs as ';' does and
// ends a '#' comment, so a -c argument written over several lines runs as
// the same verbs on one line do (issue 13.15).
func TestCommandsNewlines(t *testing.T) {
	run := func(cmds string) (string, ScriptResult, *Session) {
		s, out := newTestSession()
		res := s.RunCommands(cmds, ScriptOptions{Name: "-c"})
		return out.String(), res, s
	}
	want, wres, ws := run("fs register ntfs; mount C:; devstack C:")
	if wres.Failed != 0 || !strings.Contains(want, "\\FileSystem\\Ntfs") {
		t.Fatalf("one line: %+v\n%s", wres, want)
	}
	for _, cmds := range []string{
		"fs register ntfs\nmount C:\ndevstack C:",
		"fs register ntfs\r\nmount C:\r\ndevstack C:\r\n",
		"\n# the file system\nfs register ntfs # ntfs\n\nmount C: # and; its volume\n  devstack C:\n",
	} {
		got, res, s := run(cmds)
		if res != wres || got != want || s.Eng.Dump() != ws.Eng.Dump() {
			t.Errorf("-c %q: %+v\n%s\nwant, as with ';': %+v\n%s", cmds, res, got, wres, want)
		}
	}
	// A quoted newline stays in its word.
	if out, res, _ := run("fs register ntfs\nfs register 'a\nb'"); res.Failed != 1 || !strings.Contains(out, `-c:2: error: `) || !strings.Contains(out, `a\nb`) {
		t.Errorf("a quoted newline: %+v\n%s", res, out)
	}
}

// TestErrorPositions: every runner words a failed verb one way, with the
// position its source has: a file's line, -c's verb (its argument is one
// line, newlines included, whose verbs are numbered from 1, empty ones
// not counted), none at the prompt.
func TestErrorPositions(t *testing.T) {
	const msg = `unknown command "bogus" (help lists the commands)`
	// A script: the line, for each verb of it.
	out, res := runScript(t, "fs register ntfs\nmount C:; bogus\n", ScriptOptions{})
	if res.Failed != 1 || !strings.Contains(out, "x.fss:2: error: "+msg+"\n") {
		t.Errorf("script: %+v\n%s", res, out)
	}
	// -c: the verb.
	s, buf := newTestSession()
	res = s.RunCommands("fs register ntfs;; mount C:\n\nbogus; os", ScriptOptions{Name: "-c"})
	if res.Failed != 1 || res.Lines != 3 || !strings.Contains(buf.String(), "-c:3: error: "+msg+"\n") || strings.Contains(buf.String(), "os xp") {
		t.Errorf("-c: %+v\n%s", res, buf.String())
	}
	// The prompt: no position, and the line goes on.
	s, buf = newTestSession()
	if exit := s.RunTyped("bogus; os"); exit || !strings.HasPrefix(buf.String(), "error: "+msg+"\nos xp") {
		t.Errorf("prompt: exit %v\n%s", exit, buf.String())
	}
	// Exec: the error, unpositioned and unprinted.
	s, buf = newTestSession()
	if err := s.Exec("os; bogus; os"); err == nil || err.Error() != msg || strings.Count(buf.String(), "os xp") != 1 {
		t.Errorf("Exec: %v\n%s", err, buf.String())
	}

	// A '!' prefix that does not parse fails its line before any verb of
	// it runs, at that verb.
	out, res = runScript(t, "os; ! [nosuch] os\n", ScriptOptions{})
	if res.Failed != 1 || strings.Contains(out, "os xp") || !strings.Contains(out, `x.fss:1: error: unknown error kind "nosuch"`) {
		t.Errorf("script, bad prefix: %+v\n%s", res, out)
	}
	s, buf = newTestSession()
	res = s.RunCommands("os; os\n! [nosuch] os", ScriptOptions{Name: "-c"})
	if res.Failed != 1 || strings.Contains(buf.String(), "os xp") || !strings.Contains(buf.String(), `-c:3: error: unknown error kind "nosuch"`) {
		t.Errorf("-c, bad prefix: %+v\n%s", res, buf.String())
	}
}

// TestOriginPerLine: a verb's position is its own line's, even after a
// verb before it on that line read the script's next line (quiz's answer),
// and nothing of a line is left in the session after it.
func TestOriginPerLine(t *testing.T) {
	q := makeQuiz(4)
	out, res := runScript(t, "quiz --seed 4; bogus\n"+strings.Join(q.answer, " ")+"\nos\n", ScriptOptions{KeepGoing: true})
	if res.Failed != 1 || !strings.Contains(out, "right: ") || !strings.Contains(out, "x.fss:1: error: unknown command \"bogus\"") {
		t.Errorf("%+v\n%s", res, out)
	}
	s, _ := newTestSession()
	if _, err := s.RunScript(strings.NewReader("fs register ntfs\nmount C:\n"), ScriptOptions{Name: "a.fss"}); err != nil {
		t.Fatal(err)
	}
	if s.at.name != "" || s.at.line != 0 || s.at.verb != "" || s.at.next != nil || s.at.ask != nil {
		t.Errorf("after the script the session still holds its origin: %+v", s.at)
	}
	// explain names each verb's origin: a file's line, -c's verb.
	var buf bytes.Buffer
	s = NewSession(&buf, render.NewTheme(false))
	s.RunCommands("fs register ntfs\nfilter load av; mount C:; filter attach av C:; explain C:", ScriptOptions{Name: "-c"})
	for _, want := range []string{"(-c:3)", "(-c:4)"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("explain after -c lacks %q:\n%s", want, buf.String())
		}
	}
}

// TestRunTypedPartsOutputs: at a prompt a blank line follows each verb that
// printed, and only those, so verbs' outputs stand apart from each other
// and from the next prompt; the session's output is its own again after.
func TestRunTypedPartsOutputs(t *testing.T) {
	s, buf := newTestSession()
	out := s.Out
	if exit := s.RunTyped("os; trace brief; bogus; os"); exit {
		t.Fatal("exit")
	}
	got := buf.String()
	parts := strings.Split(strings.TrimSuffix(got, "\n\n"), "\n\n")
	// A failure is printed after the verb's parting line: it printed
	// nothing, so the error line and the next verb's output meet.
	if len(parts) != 3 || !strings.HasPrefix(parts[0], "os xp") || !strings.HasPrefix(parts[1], "trace brief") ||
		!strings.HasPrefix(parts[2], "error: unknown command \"bogus\"") || !strings.Contains(parts[2], "\nos xp") || !strings.HasSuffix(got, "\n\n") {
		t.Errorf("want each verb's output followed by one blank line:\n%q", got)
	}
	s.RunTyped("fs register ntfs; mount C:")
	buf.Reset()
	if s.RunTyped("expect C: ntfs"); buf.String() != "" {
		t.Errorf("a verb that prints nothing is followed by nothing: %q", buf.String())
	}
	if s.Out != out {
		t.Errorf("RunTyped left the session's output replaced")
	}
}
