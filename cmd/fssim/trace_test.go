package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// TestTraceStacksHalvesTheTour: a lecturer's shortest trace level prints
// the tour in at most half the lines of the full one (issue 16.1).
func TestTraceStacksHalvesTheTour(t *testing.T) {
	full := rbRun(t, nil, "lesson", "tour")
	lines := map[string]int{}
	for _, l := range []string{"full", "brief", "stacks"} {
		r := rbRun(t, nil, "--trace="+l, "lesson", "tour")
		if r.code != 0 {
			t.Fatalf("--trace=%s lesson tour: status %d, stderr %q", l, r.code, r.stderr)
		}
		lines[l] = bytes.Count(r.stdout, []byte("\n"))
	}
	if n := bytes.Count(full.stdout, []byte("\n")); lines["full"] != n {
		t.Errorf("--trace=full prints %d lines, fssim lesson tour %d: want the same", lines["full"], n)
	}
	if 2*lines["stacks"] > lines["full"] {
		t.Errorf("--trace=stacks lesson tour: %d lines, more than half of the full %d", lines["stacks"], lines["full"])
	}
	if !(lines["stacks"] < lines["brief"] && lines["brief"] < lines["full"]) {
		t.Errorf("lines per level: %v; want stacks < brief < full", lines)
	}
	t.Logf("tour lines: full %d, brief %d, stacks %d", lines["full"], lines["brief"], lines["stacks"])
}

// TestTraceFlag: --trace takes a level; a bad one, and --trace with
// --brief, are refused in one line; fssim test refuses it, since goldens
// hold the full form.
func TestTraceFlag(t *testing.T) {
	r := rbRun(t, nil, "--trace=stacks", "-c", "fs register ntfs; mount C:")
	if r.code != 0 || !bytes.Contains(r.stdout, []byte("C:  Ntfs VDO\n")) || bytes.Contains(r.stdout, []byte("IoRegisterFileSystem")) {
		t.Errorf("--trace=stacks: status %d, want one-line stacks and no trace:\n%s", r.code, r.stdout)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--trace=loud", "-c", "show"}, `bad --trace "loud": want full, brief or stacks`},
		{[]string{"--trace=brief", "--brief", "-c", "show"}, "--brief is --trace=brief: give one of them"},
		{[]string{"test", "--trace=stacks", "../../testdata"}, "--trace does not apply to fssim test"},
		{[]string{"--theme=neon", "-c", "show"}, `bad --theme "neon": want default or high-contrast`},
	} {
		r := rbRun(t, nil, tc.args...)
		if r.code != 2 || !bytes.Contains(r.stderr, []byte(tc.want)) || bytes.Count(r.stderr, []byte("\n")) != 1 {
			t.Errorf("fssim %q: status %d, stderr %q; want 2 and %q in one line", tc.args, r.code, r.stderr, tc.want)
		}
	}
}

// sgrSeq finds the escape sequences that color text.
var sgrSeq = regexp.MustCompile("\x1b\\[([0-9;]*)m")

// TestThemeForProjector: a lesson's comments are never faint; the
// high-contrast palette (--theme or FSSIM_THEME) has nothing faint at all;
// NO_COLOR still turns color off, whatever the theme. In process (runBin):
// the environment is what it checks, and run reads it as main does.
func TestThemeForProjector(t *testing.T) {
	runEnv := func(env []string, args ...string) string {
		t.Helper()
		r := runBin(t, "", env, args...)
		if r.code != 0 {
			t.Fatalf("fssim %q %q: status %d\n%s%s", env, args, r.code, r.stdout, r.stderr)
		}
		return r.stdout + r.stderr
	}
	faint := func(out string) bool {
		for _, m := range sgrSeq.FindAllStringSubmatch(out, -1) {
			for _, p := range strings.Split(m[1], ";") {
				if p == "2" {
					return true
				}
			}
		}
		return false
	}
	def := runEnv([]string{"NO_COLOR="}, "--color=always", "lesson", "tour")
	for _, line := range strings.Split(def, "\n") {
		if strings.Contains(line, "# backup attaches only") && faint(line) {
			t.Errorf("a lesson comment is faint: %q", line)
		}
	}
	if out := runEnv([]string{"NO_COLOR="}, "--color=always", "--theme=high-contrast", "lesson", "tour"); faint(out) || !sgrSeq.MatchString(out) {
		t.Errorf("--theme=high-contrast: want color and nothing faint")
	}
	if out := runEnv([]string{"NO_COLOR=", "FSSIM_THEME=high-contrast"}, "--color=always", "lesson", "tour"); faint(out) {
		t.Errorf("FSSIM_THEME=high-contrast: something is faint")
	}
	if out := runEnv([]string{"NO_COLOR=1", "FSSIM_THEME=high-contrast"}, "--theme=high-contrast", "lesson", "tour"); strings.Contains(out, "\x1b[") {
		t.Errorf("NO_COLOR with high-contrast: escape bytes in the output")
	}
	if r := runBin(t, "", []string{"FSSIM_THEME=loud"}, "-c", "show"); r.code == 0 || !strings.Contains(r.stderr, `bad FSSIM_THEME "loud"`) {
		t.Errorf("FSSIM_THEME=loud: status %d, stderr %q; want refused", r.code, r.stderr)
	}
}
