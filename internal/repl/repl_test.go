package repl

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

func newTestSession() (*Session, *bytes.Buffer) {
	var out bytes.Buffer
	return NewSession(&out, render.NewTheme(false)), &out
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  bool
	}{
		{"mount C:", []string{"mount", "C:"}, false},
		{"  fs   register\tntfs  ", []string{"fs", "register", "ntfs"}, false},
		{"show # a comment", []string{"show"}, false},
		{"# only a comment", nil, false},
		{"", nil, false},
		{`fs register 'a b'`, []string{"fs", "register", "a b"}, false},
		{`fs register "x"y`, []string{"fs", "register", "xy"}, false},
		{"show C:#not-a-comment", []string{"show", "C:#not-a-comment"}, false},
		{`show 'open`, nil, true},
	} {
		got, err := Split(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("Split(%q) error = %v", tc.in, err)
			continue
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("Split(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestEveryVerbIsDocumented: help, completion and the README read the verb
// table, so every verb needs a group, a summary and two examples that parse.
func TestEveryVerbIsDocumented(t *testing.T) {
	groups := map[string]bool{}
	for _, g := range Groups {
		groups[g] = true
	}
	for _, v := range Verbs() {
		if !groups[v.Group] {
			t.Errorf("%s: unknown group %q", v.Name, v.Group)
		}
		if v.Summary == "" || strings.HasSuffix(v.Summary, ".") {
			t.Errorf("%s: summary %q (want one line, no final period)", v.Name, v.Summary)
		}
		if len(v.Examples) < 2 {
			t.Errorf("%s: %d example(s), want at least 2", v.Name, len(v.Examples))
		}
		for _, ex := range v.Examples {
			words, err := Split(ex)
			if err != nil {
				t.Errorf("%s: example %q: %v", v.Name, ex, err)
				continue
			}
			ev, rest, err := Lookup(words)
			if err != nil {
				t.Errorf("%s: example %q: %v", v.Name, ex, err)
				continue
			}
			if _, err := ev.parse(rest); err != nil {
				t.Errorf("%s: example %q does not parse: %v", v.Name, ex, err)
			}
		}
		for _, a := range v.Args {
			if a.Help == "" {
				t.Errorf("%s: argument %s has no help", v.Name, a.Name)
			}
		}
		for _, f := range v.Flags {
			if f.Help == "" {
				t.Errorf("%s: flag --%s has no help", v.Name, f.Name)
			}
		}
	}
}

func TestLookupSuggests(t *testing.T) {
	for in, want := range map[string]string{
		"moutn C:":         `did you mean "mount"?`,
		"dismoutn C:":      `did you mean "dismount"?`,
		"register ntfs":    `did you mean "fs register"?`,
		"fs regster ntfs":  `did you mean "fs register"?`,
		"filter lod av":    `did you mean "filter load"?`,
		"filter frob av":   "filter takes load, unload, attach, detach, notify or list",
		"xyzzy":            "help lists the commands",
		"fs":               "fs needs a subcommand",
		"FS REGISTER ntfs": "",
	} {
		_, _, err := Lookup(strings.Fields(in))
		switch {
		case want == "" && err != nil:
			t.Errorf("Lookup(%q): %v", in, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, ErrUnknownVerb)):
			t.Errorf("Lookup(%q) = %v, want it to say %q", in, err, want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	s, out := newTestSession()
	for _, line := range []string{
		"mount", "mount C: D:", "mount C: --formt ntfs", "mount C: --format", "mount C: --media floppy",
		"filter load av --notify=yes", "fs list extra", "os vista", "show --json --json",
	} {
		err := s.Exec(line)
		var ue *UsageError
		if !errors.As(err, &ue) || !errors.Is(err, ErrUsage) {
			t.Errorf("%q: got %v, want a usage error", line, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "; usage: "+ue.Verb.Usage()) || strings.Contains(msg, "\n") {
			t.Errorf("%q: %q must be one line ending with the usage", line, msg)
		}
	}
	if out.Len() != 0 {
		t.Errorf("usage errors printed output:\n%s", out.String())
	}
}

// TestErrorsLeaveTheLabAlone: a typo never loses what the user built.
func TestErrorsLeaveTheLabAlone(t *testing.T) {
	s, _ := newTestSession()
	for _, line := range []string{"fs register ntfs", "filter load av --notify", "mount C:", "filter load backup", "filter attach backup C:"} {
		if err := s.Exec(line); err != nil {
			t.Fatal(err)
		}
	}
	before := s.Eng.State()
	for _, line := range []string{
		"moutn C:", "mount C:", "filter attach backup C:", "fs unregister ntfs", "fs register av", "filter load ntfs",
		"dismount Q:", "os w2k", "show 'x", "devstack Q:", "filter detach nosuch C:", "mount \x1b[2J:",
	} {
		if err := s.Exec(line); err == nil {
			t.Errorf("%q succeeded", line)
		}
		if after := s.Eng.State(); !equalState(before, after) {
			t.Fatalf("%q changed the lab", line)
		}
	}
}

func equalState(a, b engine.State) bool { return reflect.DeepEqual(a, b) }

func TestVerbHelp(t *testing.T) {
	s, out := newTestSession()
	if err := s.Exec("help fs register"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"usage: fs register NAME", "--type disk|cdrom|network|tape", "--low-priority", "examples:", "fs register fs_rec"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help fs register lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := s.Exec("mount --help"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "usage: mount VOLUME") {
		t.Errorf("mount --help:\n%s", out.String())
	}
	out.Reset()
	if err := s.Exec("help"); err != nil {
		t.Fatal(err)
	}
	for _, g := range Groups {
		if !strings.Contains(out.String(), g+"\n") {
			t.Errorf("help lacks the group %q", g)
		}
	}
}

func runScript(t *testing.T, text string, opt ScriptOptions) (string, ScriptResult) {
	t.Helper()
	s, out := newTestSession()
	if opt.Name == "" {
		opt.Name = "x.fss"
	}
	opt.Echo = true
	res, err := s.RunScript(strings.NewReader(text), opt)
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), res
}

func TestScript(t *testing.T) {
	out, res := runScript(t, "\uFEFF# intro\r\nfs register ntfs\r\n\r\n! fs register ntfs\r\nmount C:\r\n", ScriptOptions{})
	if res.Failed != 0 || res.Lines != 3 {
		t.Fatalf("result %+v\n%s", res, out)
	}
	if !strings.HasPrefix(out, "# intro\nfssim> fs register ntfs\n") || strings.Contains(out, "\r") || strings.Contains(out, "\uFEFF") {
		t.Fatalf("BOM/CRLF leaked or echo wrong:\n%q", out)
	}
	if !strings.Contains(out, "fssim> ! fs register ntfs\nrefused as expected: file system \"ntfs\" is already registered\n") {
		t.Fatalf("expected failure not printed:\n%s", out)
	}

	out, res = runScript(t, "fs register ntfs\nbogus\nmount C:\n", ScriptOptions{})
	if res.Failed != 1 || strings.Contains(out, "mount C:") || !strings.Contains(out, "x.fss:2: error: unknown command \"bogus\"") {
		t.Fatalf("a failing line must stop the run:\n%s", out)
	}
	out, res = runScript(t, "fs register ntfs\nbogus\nmount C:\n! show\n", ScriptOptions{KeepGoing: true})
	if res.Failed != 2 || !strings.Contains(out, "claims C:") || !strings.Contains(out, "x.fss:4: error: expected this line to fail") {
		t.Fatalf("--keep-going:\n%s", out)
	}
	out, res = runScript(t, "fs register ntfs\nexit\nmount C:\n", ScriptOptions{})
	if !res.Exited || strings.Contains(out, "mount C:") {
		t.Fatalf("exit must stop the script:\n%s", out)
	}
}

func TestScriptLongAndHostileLines(t *testing.T) {
	long := "fs register " + strings.Repeat("a", MaxLine+10)
	out, res := runScript(t, long+"\nfs register ntfs\n", ScriptOptions{KeepGoing: true})
	if res.Failed != 1 || !strings.Contains(out, "x.fss:1: error: syntax error: line 1 is longer than 4 MiB") || !strings.Contains(out, "IoRegisterFileSystem(\\Ntfs)") {
		t.Fatalf("too-long line:\n%.500s", out)
	}
	out, _ = runScript(t, "fs register \x1b]0;pwned\x07evil\x00\nmount \xff:\n", ScriptOptions{KeepGoing: true})
	// Byte by byte: strings.ContainsAny reads "\xff" as U+FFFD, not the
	// byte. A bad byte is shown escaped (\xff), never as U+FFFD either.
	for _, b := range []byte{0x1b, 0x07, 0x00, 0xff} {
		if strings.IndexByte(out, b) >= 0 {
			t.Fatalf("raw byte %#x reached the transcript: %q", b, out)
		}
	}
	if strings.ContainsRune(out, utf8.RuneError) {
		t.Fatalf("a bad byte became U+FFFD in the transcript: %q", out)
	}
}

// endless is a line that never ends, up to a point: it counts what was read.
type endless struct{ n, max int }

func (e *endless) Read(p []byte) (int, error) {
	if e.n >= e.max {
		return 0, io.EOF
	}
	for i := range p {
		p[i] = 'a'
	}
	e.n += len(p)
	return len(p), nil
}

// TestScriptEndlessLine (issue 13.7): a line with no end fails as soon as
// it passes MaxLine, having read little more than that.
func TestScriptEndlessLine(t *testing.T) {
	r := &endless{max: 4 * MaxLine}
	s, out := newTestSession()
	res, err := s.RunScript(r, ScriptOptions{Name: "x.fss"})
	if err != nil || res.Failed != 1 || !strings.Contains(out.String(), "x.fss:1: error: syntax error: line 1 is longer than 4 MiB") {
		t.Fatalf("endless line: %v, %+v\n%.300s", err, res, out.String())
	}
	if r.n > MaxLine+1<<20 {
		t.Errorf("read %d bytes of an endless line before failing; want about %d", r.n, MaxLine)
	}
}

func TestRunCommands(t *testing.T) {
	s, out := newTestSession()
	res := s.RunCommands("fs register ntfs; mount C: ; ; show C:", ScriptOptions{Name: "-c"})
	if res.Failed != 0 || res.Lines != 3 || !strings.Contains(out.String(), "mounted by \\FileSystem\\Ntfs") {
		t.Fatalf("%+v\n%s", res, out.String())
	}
	out.Reset()
	res = s.RunCommands("show; bogus; show", ScriptOptions{Name: "-c"})
	if res.Failed != 1 || !strings.Contains(out.String(), "-c:2: error: unknown command") {
		t.Fatalf("%+v\n%s", res, out.String())
	}
}

func TestUnifiedDiff(t *testing.T) {
	var a, b strings.Builder
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&a, "%d\n", i)
		if i == 5 {
			b.WriteString("five\n")
		} else {
			fmt.Fprintf(&b, "%d\n", i)
		}
	}
	b.WriteString("21\n")
	d := UnifiedDiff("want", "got", a.String(), b.String())
	for _, want := range []string{"--- want\n+++ got\n", "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n@@", "@@ -18,3 +18,4 @@\n 18\n 19\n 20\n+21\n"} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
	if UnifiedDiff("a", "b", a.String(), a.String()) != "" {
		t.Error("equal texts must give no diff")
	}
}

// flushRecorder notes how much of the input had been read when the output
// was first flushed with an error in it.
type flushRecorder struct {
	bytes.Buffer
	r       *endless
	readAt  int
	flushed bool
}

func (f *flushRecorder) Flush() error {
	if !f.flushed && strings.Contains(f.String(), "longer than 4 MiB") {
		f.flushed, f.readAt = true, f.r.n
	}
	return nil
}

// TestScriptEndlessLineKeepGoing (issue 13.7): under --keep-going the error
// of an endless line is handed on (flushed) as soon as the limit is passed,
// not when the line finally ends.
func TestScriptEndlessLineKeepGoing(t *testing.T) {
	r := &endless{max: 4 * MaxLine}
	out := &flushRecorder{r: r}
	s := NewSession(out, render.NewTheme(false))
	if _, err := s.RunScript(r, ScriptOptions{Name: "x.fss", KeepGoing: true}); err != nil {
		t.Fatal(err)
	}
	if !out.flushed || out.readAt > MaxLine+1<<20 {
		t.Errorf("the error was flushed after %d bytes (flushed: %t); want it at about %d", out.readAt, out.flushed, MaxLine)
	}
}
