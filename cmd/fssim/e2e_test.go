package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// result is what one run of fssim did.
type result struct {
	stdout, stderr string
	code           int
}

// runBin runs fssim in process, through run, the whole program below main,
// with args, stdin and extra environment (KEY=value, set for the test), as a
// user's pipe would: stdin, stdout and stderr are not terminals, and stdout
// and stderr are apart.
func runBin(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	setEnv(t, append([]string{"NO_COLOR=", "TERM=xterm"}, env...)...)
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return result{out.String(), errb.String(), code}
}

// setEnv sets each KEY=value for the rest of the test.
func setEnv(t *testing.T, env ...string) {
	t.Helper()
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const lesson = "# a lesson\nfs register ntfs\nfilter load av --notify\nmount C:\n! fs register av\nshow --json\n"

func TestExitCodes(t *testing.T) {
	good := writeFile(t, "good.fss", lesson)
	bad := writeFile(t, "bad.fss", "fs register ntfs\nmount C:\nfilter attach nosuch C:\nshow\n")
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		code  int
		out   string // must appear in stdout; status 2 wants stdout empty
		err   string // must appear in stderr; status 0 wants stderr empty
	}{
		{"file ok", []string{"run", good}, "", 0, `"stack":["av","ntfs"]`, ""},
		{"stdin ok", nil, lesson, 0, "fssim> mount C:", ""},
		{"run - ok", []string{"run", "-"}, lesson, 0, "fssim> show --json", ""},
		{"failing line", []string{"run", bad}, "", 1, bad + `:3: error: filter "nosuch" is not loaded`, ":3: error:"},
		{"stdin failing line is named -", nil, "mount C:\nbogus\n", 1, "-:2: error: unknown command", ""},
		{"missing file", []string{"run", "/no/such.fss"}, "", 2, "", "/no/such.fss: no such file"},
		{"folder", []string{"run", t.TempDir()}, "", 2, "", "is a folder"},
		{"bad flag", []string{"--bogus"}, "", 2, "", "unknown flag: --bogus"},
		{"bad color", []string{"--color=sometimes", "-c", "show"}, "", 2, "", `bad --color "sometimes"`},
		{"run without file", []string{"run"}, "", 2, "", "run needs one FILE"},
		{"unknown command", []string{"frobnicate"}, "", 2, "", "unknown command"},
		{"version", []string{"version"}, "", 0, "fssim ", ""},
		{"help verb", []string{"help", "mount"}, "", 0, "usage: mount VOLUME", ""},
		{"help two-word verb", []string{"help", "fs", "register"}, "", 0, "usage: fs register NAME", ""},
		{"help unknown verb", []string{"help", "nosuch"}, "", 2, "", "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runBin(t, tc.stdin, nil, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tc.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout, tc.out) {
				t.Errorf("stdout lacks %q:\n%s", tc.out, r.stdout)
			}
			if !strings.Contains(r.stderr, tc.err) {
				t.Errorf("stderr lacks %q:\n%s", tc.err, r.stderr)
			}
			// A success says nothing on stderr; a usage error (2) says it
			// on stderr only, so a pipeline reading stdout gets nothing.
			if tc.code == 0 && r.stderr != "" {
				t.Errorf("status 0 with stderr %q", r.stderr)
			}
			if tc.code == 2 && r.stdout != "" {
				t.Errorf("status 2 with stdout %q", r.stdout)
			}
			if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stdout, "panic:") {
				t.Errorf("a Go stack trace reached the user:\n%s%s", r.stdout, r.stderr)
			}
		})
	}
}

func TestFailingLineStopsTheRun(t *testing.T) {
	bad := writeFile(t, "bad.fss", "fs register ntfs\nbogus\nmount C:\n")
	r := runBin(t, "", nil, "run", bad)
	if r.code != 1 || strings.Contains(r.stdout, "fssim> mount C:") {
		t.Fatalf("the run went on after a failing line (exit %d):\n%s", r.code, r.stdout)
	}
	r = runBin(t, "", nil, "run", "--keep-going", bad)
	if r.code != 1 {
		t.Fatalf("--keep-going must still exit 1, got %d", r.code)
	}
	if !strings.Contains(r.stdout, "fssim> mount C:") || !strings.Contains(r.stdout, "claims C:") {
		t.Fatalf("--keep-going did not run the rest:\n%s", r.stdout)
	}
	r = runBin(t, "fs register ntfs\nbogus\nmount C:\n", nil, "--keep-going")
	if r.code != 1 || !strings.Contains(r.stdout, "claims C:") {
		t.Fatalf("--keep-going on stdin: exit %d\n%s", r.code, r.stdout)
	}
}

func TestBangLines(t *testing.T) {
	// A '!' line that fails is fine and the run goes on.
	r := runBin(t, "filter load av\n! fs register av\nfs register ntfs\n", nil)
	if r.code != 0 || !strings.Contains(r.stdout, "refused as expected: \"av\" is a loaded filter") || !strings.Contains(r.stdout, "IoRegisterFileSystem(\\Ntfs)") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	// A '!' line that succeeds is the failure.
	r = runBin(t, "! fs register ntfs\nmount C:\n", nil)
	if r.code != 1 || !strings.Contains(r.stdout, "-:1: error: expected this line to fail") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
}

func TestDashC(t *testing.T) {
	r := runBin(t, "", nil, "-c", "fs register ntfs; filter load av --notify; mount C:; show --json")
	if r.code != 0 || !strings.Contains(r.stdout, `"stack":["av","ntfs"]`) {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "fssim>") {
		t.Errorf("-c echoes its verbs like a transcript:\n%s", r.stdout)
	}
	r = runBin(t, "", nil, "-c", "fs register ntfs; mount Q1; show")
	if r.code != 1 || !strings.Contains(r.stdout, "-c:2: error: bad volume") || strings.Contains(r.stdout, "volumes") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
}

// TestFileAndStdinSameBytes: a scenario prints byte for byte the same from a
// file, from run -, and from plain stdin, CRLF and BOM or not.
func TestFileAndStdinSameBytes(t *testing.T) {
	text, err := os.ReadFile("../../testdata/seed-sentences.fss")
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "x.fss")
	if err := os.WriteFile(name, text, 0o644); err != nil {
		t.Fatal(err)
	}
	fromFile := runBin(t, "", nil, "run", name)
	fromDash := runBin(t, string(text), nil, "run", "-")
	fromStdin := runBin(t, string(text), nil)
	crlf := "\uFEFF" + strings.ReplaceAll(string(text), "\n", "\r\n")
	fromCRLF := runBin(t, crlf, nil)
	if fromFile.code != 0 || fromFile.stdout == "" {
		t.Fatalf("exit %d\n%s", fromFile.code, fromFile.stdout)
	}
	for name, r := range map[string]result{"run -": fromDash, "stdin": fromStdin, "CRLF+BOM": fromCRLF} {
		if r.stdout != fromFile.stdout {
			t.Errorf("%s differs from the file run", name)
		}
	}
	again := runBin(t, "", nil, "run", name)
	if again.stdout != fromFile.stdout {
		t.Errorf("two runs of the same scenario differ")
	}
}

// TestColor: output into a pipe. NO_COLOR is not here: on a pipe --color=auto
// is off anyway, so a NO_COLOR case could not fail; TestColorOnATerminal and
// TestPTYColors check it where color would be on.
func TestColor(t *testing.T) {
	in := "fs register ntfs\nmount C:\nbogus\n"
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		esc  bool
	}{
		{"piped output is plain", nil, nil, false},
		{"never", nil, []string{"--color=never"}, false},
		{"always forces it into a pipe", nil, []string{"--color=always"}, true},
		{"always beats NO_COLOR", []string{"NO_COLOR=1"}, []string{"--color", "always"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runBin(t, in, tc.env, tc.args...)
			if got := strings.Contains(r.stdout, "\x1b["); got != tc.esc {
				t.Errorf("escape sequences present = %v, want %v:\n%q", got, tc.esc, r.stdout)
			}
		})
	}
}

// TestColorOnATerminal runs fssim -c and fssim run with stdout on a
// terminal, where --color=auto turns color on: NO_COLOR (not empty) and
// TERM=dumb must turn it off again, and then not one escape byte may be
// written (no prompt and no line editing here, so any ESC is a defect).
func TestColorOnATerminal(t *testing.T) {
	scen := writeFile(t, "c.fss", "fs register ntfs\nfilter load av --notify\nmount C:\nbogus\n")
	for _, tc := range []struct {
		name  string
		extra []string
		args  []string
		color bool
	}{
		{"auto", nil, []string{"--color=auto"}, true},
		{"default is auto", nil, nil, true},
		{"NO_COLOR", []string{"NO_COLOR=1"}, []string{"--color=auto"}, false},
		{"NO_COLOR, default", []string{"NO_COLOR=1"}, nil, false},
		{"empty NO_COLOR is unset", []string{"NO_COLOR="}, []string{"--color=auto"}, true},
		{"TERM=dumb", []string{"TERM=dumb"}, []string{"--color=auto"}, false},
		{"always beats NO_COLOR", []string{"NO_COLOR=1"}, []string{"--color=always"}, true},
	} {
		for _, how := range [][]string{{"-c", "fs register ntfs; filter load av --notify; mount C:; bogus"}, {"run", scen}} {
			t.Run(tc.name+"/"+how[0], func(t *testing.T) {
				tm := startTerm(t, testEnv(t.TempDir(), tc.extra...), append(slices.Clone(tc.args), how...)...)
				if code := tm.wait(); code != 1 {
					t.Errorf("status %d, want 1 (bogus fails)", code)
				}
				raw := tm.all()
				if !strings.Contains(stripANSI(raw), "claims C:") || !strings.Contains(stripANSI(raw), "error: unknown command") {
					t.Fatalf("the terminal does not show the run:\n%q", raw)
				}
				if got := bytes.IndexByte(raw, 0x1b) >= 0; got != tc.color {
					t.Errorf("escape bytes on the terminal = %v, want %v:\n%q", got, tc.color, raw)
				}
				if tc.color && !regexp.MustCompile("\x1b\\[[0-9;]*31[0-9;]*m[^\x1b]*error: ").Match(raw) {
					t.Errorf("with color on, the error is not red:\n%q", raw)
				}
			})
		}
	}
}

func TestTour(t *testing.T) {
	r := runBin(t, "", nil, "tour")
	if r.code != 0 {
		t.Fatalf("tour exits %d\n%s", r.code, r.stdout)
	}
	// The tour ends with its lab built: C:'s stack, explained.
	for _, want := range []string{"IoRegisterFsRegistrationChange", "IRP_MN_MOUNT_VOLUME", "FsActive=TRUE", "> ffffa",
		"why each device of C: is there", "# Try next: lesson notify"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("tour never shows %q", want)
		}
	}
}

// TestQuizPipedAnswers: fssim run - with stdin holding a quiz and, on the
// next line, its answer: one right and one wrong answer; a wrong answer is
// not a failure of the run. fssim lesson lists and plays lessons, and
// --step on a pipe runs straight through.
func TestQuizPipedAnswers(t *testing.T) {
	ans := runBin(t, "", nil, "-c", "quiz --seed 1 --answer")
	_, answer, ok := strings.Cut(ans.stdout, "\nanswer: ")
	answer, _, _ = strings.Cut(answer, "\n")
	if ans.code != 0 || !ok || len(strings.Fields(answer)) < 3 {
		t.Fatalf("quiz --seed 1 --answer: status %d, answer %q\n%s", ans.code, answer, ans.stdout)
	}
	f := strings.Fields(answer)
	wrong := strings.Join(append([]string{f[1], f[0]}, f[2:]...), " ")
	r := runBin(t, "quiz --seed 1\n"+answer+"\nreset\nquiz --seed 1\n"+wrong+"\nshow C:\n", nil, "run", "-")
	if r.code != 0 {
		t.Fatalf("status %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"your answer: " + answer + "\nright: C: is " + answer,
		"your answer: " + wrong + "\nnot quite: C: is " + answer, "why each device of C: is there", "fssim> show C:"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("piped quiz never prints %q:\n%s", want, r.stdout)
		}
	}
	if strings.Count(r.stdout, "fssim> quiz --seed 1") != 2 || strings.Contains(r.stdout, "fssim> "+answer) {
		t.Errorf("the answers must be read by the quiz, not run as verbs:\n%s", r.stdout)
	}

	l := runBin(t, "", nil, "lesson", "list")
	if l.code != 0 || !strings.Contains(l.stdout, "detach-middle") || !strings.Contains(l.stdout, "tour ") {
		t.Errorf("fssim lesson list: status %d\n%s", l.code, l.stdout)
	}
	st := runBin(t, "\n\n", nil, "lesson", "detach-middle", "--step")
	if st.code != 0 || strings.Contains(st.stdout, "Enter: next") || !strings.Contains(st.stdout, "# Try next:") {
		t.Errorf("fssim lesson --step on a pipe: status %d\n%s", st.code, st.stdout)
	}
	bad := runBin(t, "", nil, "lesson", "nosuch")
	if bad.code != 2 || !strings.Contains(bad.stderr, `no lesson "nosuch"`) {
		t.Errorf("fssim lesson nosuch: status %d, stderr %q", bad.code, bad.stderr)
	}
}

// errorStreamCases are runs with a failing line 3, after two lines that
// print, as stdin and arguments for fssim.
var errorStreamCases = []struct {
	name, stdin string
	args        func(file string) []string
	before, err string // a transcript line before the error; the error's text
}{
	{"run FILE", "", func(f string) []string { return []string{"run", f} }, "fssim> mount C:", `:3: error: filter "nosuch" is not loaded`},
	{"stdin", "fs register ntfs\nmount C:\nfilter attach nosuch C:\nshow\n", func(string) []string { return nil }, "fssim> mount C:", `-:3: error: filter "nosuch" is not loaded`},
	{"-c", "", func(string) []string { return []string{"-c", "fs register ntfs; mount C:; filter attach nosuch C:"} }, "mounted by \\FileSystem\\Ntfs", `-c:3: error: filter "nosuch" is not loaded`},
}

// TestErrorOnceOnSharedOutput: with stdout and stderr on one pipe (2>&1 |
// cat) or one file (>out 2>&1), a failing line's error appears once, after
// the transcript lines that led to it.
func TestErrorOnceOnSharedOutput(t *testing.T) {
	bad := writeFile(t, "bad.fss", "fs register ntfs\nmount C:\nfilter attach nosuch C:\nshow\n")
	for _, tc := range errorStreamCases {
		for _, target := range []string{"pipe", "file"} {
			t.Run(tc.name+" to one "+target, func(t *testing.T) {
				setEnv(t, "NO_COLOR=", "TERM=xterm")
				// One file for both, as a shell gives fssim one pipe or one
				// file as fd 1 and 2.
				var w *os.File
				var read func() string
				if target == "pipe" {
					r, pw, err := os.Pipe()
					if err != nil {
						t.Fatal(err)
					}
					defer r.Close()
					w = pw
					got := make(chan string, 1)
					go func() { b, _ := io.ReadAll(r); got <- string(b) }()
					read = func() string { pw.Close(); return <-got }
				} else {
					f, err := os.Create(filepath.Join(t.TempDir(), "out"))
					if err != nil {
						t.Fatal(err)
					}
					defer f.Close()
					w = f
					read = func() string {
						b, err := os.ReadFile(f.Name())
						if err != nil {
							t.Fatal(err)
						}
						return string(b)
					}
				}
				if code := run(tc.args(bad), strings.NewReader(tc.stdin), w, w); code != 1 {
					t.Fatalf("want exit 1, got %d", code)
				}
				out := read()
				if n := strings.Count(out, tc.err); n != 1 {
					t.Fatalf("the error appears %d times, want once:\n%s", n, out)
				}
				if b, e := strings.Index(out, tc.before), strings.Index(out, tc.err); b < 0 || b > e {
					t.Errorf("the error comes before %q:\n%s", tc.before, out)
				}
			})
		}
	}
}

// TestErrorOnStderrWhenSeparate: with stdout and stderr apart, stderr
// still gets each failing line, and the transcript has it once.
func TestErrorOnStderrWhenSeparate(t *testing.T) {
	bad := writeFile(t, "bad.fss", "fs register ntfs\nmount C:\nfilter attach nosuch C:\nshow\n")
	for _, tc := range errorStreamCases {
		t.Run(tc.name, func(t *testing.T) {
			r := runBin(t, tc.stdin, nil, tc.args(bad)...)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1", r.code)
			}
			if strings.Count(r.stderr, tc.err) != 1 || !strings.HasPrefix(r.stderr, "fssim: ") {
				t.Errorf("stderr %q, want the error once, after fssim: ", r.stderr)
			}
			if strings.Count(r.stdout, tc.err) != 1 {
				t.Errorf("the transcript holds the error %d times, want once:\n%s", strings.Count(r.stdout, tc.err), r.stdout)
			}
		})
	}
}

// TestBriefFlag: --brief applies to -c and run (before or after the
// subcommand), and fssim test refuses it: goldens hold the full form.
func TestBriefFlag(t *testing.T) {
	for _, args := range [][]string{
		{"--brief", "-c", "fs register ntfs; mount C:"},
		{"--brief", "run", "-"},
		{"run", "--brief", "-"},
	} {
		r := rbRun(t, []byte("fs register ntfs\nmount C:\n"), args...)
		if r.code != 0 || bytes.Contains(r.stdout, []byte("ffffa080")) || !bytes.Contains(r.stdout, []byte("\n  \\FileSystem\\Ntfs  VDO\n")) {
			t.Errorf("fssim %q: status %d, want brief output:\n%s", args, r.code, r.stdout)
		}
	}
	if r := rbRun(t, nil, "-c", "fs register ntfs"); !bytes.Contains(r.stdout, []byte("  ffffa08000004000  \\FileSystem\\Ntfs  CDO")) {
		t.Errorf("without --brief: want addresses:\n%s", r.stdout)
	}
	r := rbRun(t, nil, "test", "--brief", "../../testdata")
	if r.code != 2 || !bytes.Contains(r.stderr, []byte("--brief does not apply to fssim test")) {
		t.Errorf("fssim test --brief: status %d, stderr %q; want 2 and why", r.code, r.stderr)
	}
}

// jsonLine returns the last line of out that is show --json's output.
func jsonLine(t *testing.T, out string) string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "{") {
			return lines[i]
		}
	}
	t.Fatalf("no show --json line in:\n%s", out)
	return ""
}

// TestSaveThenRun: a session saved with save, run with fssim run, gives
// the same show --json; so does loading it into a fresh session. The
// session has views, refusals, an undo and a reset in it.
func TestSaveThenRun(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "saved.fss")
	cmds := "os w2ksp4; fs register fs_rec; fs register ntfs; filter load av --notify --ex; show; mount C:;" +
		"! [not-mounted] filter attach av Q:; mount D: --media cdrom; filter load backup; filter attach backup C:;" +
		"mount E: --format fat32; undo; filter load enc --notify --ex --attach-raw; dismount D:; brief on;" +
		"save " + p + "; show --json"
	r := runBin(t, "", nil, "-c", cmds)
	if r.code != 0 {
		t.Fatalf("status %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	want := jsonLine(t, r.stdout)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "undo") || strings.Contains(string(b), "E:") || strings.Contains(string(b), "brief") {
		t.Errorf("the saved file holds what it should not:\n%s", b)
	}
	run := runBin(t, string(b)+"show --json\n", nil, "run", "-")
	if run.code != 0 {
		t.Fatalf("fssim run of the saved file: status %d:\n%s", run.code, run.stdout)
	}
	if got := jsonLine(t, run.stdout); got != want {
		t.Errorf("fssim run of the saved file gives\n%s\nwant\n%s", got, want)
	}
	load := runBin(t, "", nil, "-c", "load "+p+"; show --json")
	if load.code != 0 || jsonLine(t, load.stdout) != want {
		t.Errorf("load of the saved file: status %d, JSON\n%s\nwant\n%s", load.code, jsonLine(t, load.stdout), want)
	}
	// A second save to the same file is refused, and the file stays.
	again := runBin(t, "", nil, "-c", "fs register ntfs; save "+p)
	if again.code != 1 || !strings.Contains(again.stderr, "save --force") {
		t.Errorf("save over a file: status %d, stderr %q", again.code, again.stderr)
	}
	if b2, _ := os.ReadFile(p); string(b2) != string(b) {
		t.Errorf("a refused save changed the file")
	}
}

// TestLoadFailureInScript: in a scenario, a load whose file fails stops the
// run at the load line, after the loaded file's own FILE:LINE error.
func TestLoadFailureInScript(t *testing.T) {
	bad := writeFile(t, "bad.fss", "fs register ntfs\nmount C:\nfilter attach nosuch C:\n")
	outer := writeFile(t, "outer.fss", "filter load av\nload "+bad+"\nshow --json\n")
	r := runBin(t, "", nil, "run", outer)
	if r.code != 1 {
		t.Errorf("status %d, want 1", r.code)
	}
	if !strings.Contains(r.stdout, bad+":3: error: filter \"nosuch\" is not loaded") ||
		!strings.Contains(r.stdout, outer+":2: error: load stopped at "+bad+":3") {
		t.Errorf("transcript:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "fssim> show --json") {
		t.Error("the run went on after the failing load")
	}
}
