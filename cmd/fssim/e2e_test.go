package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// result is what one run of the real binary did.
type result struct {
	stdout, stderr string
	code           int
}

// runBin runs the built fssim with args, stdin and extra environment.
func runBin(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(fssimBin(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "NO_COLOR=", "TERM=xterm")
	cmd.Env = append(cmd.Env, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
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
	if r.code != 0 || !strings.Contains(r.stdout, "error: \"av\" is a loaded filter") || !strings.Contains(r.stdout, "IoRegisterFileSystem(\\Ntfs)") {
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
	for _, want := range []string{"IoRegisterFsRegistrationChange", "IRP_MN_MOUNT_VOLUME", "FsActive=FALSE", "> ffffa"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("tour never shows %q", want)
		}
	}
}
