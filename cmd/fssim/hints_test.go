package main

import (
	"strings"
	"testing"
)

// TestShellHints: the mistakes people make on the shell's command line get
// one line naming the fix, and status 2.
func TestShellHints(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // must appear in stderr
	}{
		{[]string{"mount", "C:"}, `"mount" is a verb of fssim's language, not a command of fssim: run it with fssim -c 'mount C:'`},
		{[]string{"fs", "register", "ntfs"}, `fssim -c 'fs register ntfs'`},
		{[]string{"filter", "load", "av", "--notify"}, `fssim -c 'filter load av --notify'`},
		{[]string{"--color=never", "mount", "D:", "--media", "cdrom"}, `fssim -c 'mount D: --media cdrom'`},
		{[]string{"fs", "register", "it's"}, `fssim -c 'fs register "it'\''s"'`},
		{[]string{"mount", "\x1b[2J"}, `"mount" is a verb of fssim's language, not a command of fssim: run it with fssim -c 'LINE'`},
		{[]string{"--colr=never"}, "unknown flag: --colr (did you mean --color?)"},
		{[]string{"--keepgoing"}, "unknown flag: --keepgoing (did you mean --keep-going?)"},
		{[]string{"run", "--keepgoing", "x.fss"}, "(did you mean --keep-going?)"},
	} {
		r := runBin(t, "", nil, tc.args...)
		if r.code != 2 {
			t.Errorf("fssim %s: exit %d, want 2\n%s%s", strings.Join(tc.args, " "), r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stderr, tc.want) {
			t.Errorf("fssim %s: stderr lacks %q:\n%s", strings.Join(tc.args, " "), tc.want, r.stderr)
		}
		if i := rawControl([]byte(r.stderr)); i >= 0 {
			t.Errorf("fssim %q wrote a raw control byte: %q", tc.args, r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("fssim %s printed on stdout: %q", strings.Join(tc.args, " "), r.stdout)
		}
	}
	// The suggested -c line really runs.
	r := runBin(t, "", nil, "-c", "fs register ntfs; mount C:")
	if r.code != 0 {
		t.Errorf("the suggested form fails: %d %s", r.code, r.stderr)
	}
	// Commands of fssim that are also verbs stay commands.
	if r := runBin(t, "", nil, "help", "fs"); r.code != 0 || !strings.Contains(r.stdout, "fs register") {
		t.Errorf("fssim help fs: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runBin(t, "", nil, "--bogus"); strings.Contains(r.stderr, "did you mean") {
		t.Errorf("--bogus got a far-fetched suggestion: %s", r.stderr)
	}
}

func TestVersionFlag(t *testing.T) {
	a := runBin(t, "", nil, "--version")
	b := runBin(t, "", nil, "version")
	if a.code != 0 || b.code != 0 || a.stdout != b.stdout || !strings.HasPrefix(a.stdout, "fssim ") {
		t.Errorf("fssim --version (%d) %q and fssim version (%d) %q differ", a.code, a.stdout, b.code, b.stdout)
	}
}

// TestShellQuote: fssim's one shell quoter gives back a word a POSIX shell
// reads as the original, and never a raw byte a terminal would act on.
func TestShellQuote(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a.fss", "a.fss"},
		{"lessons/tour.fss", "lessons/tour.fss"},
		{"mount C:", "'mount C:'"},
		{"fs register it's", `'fs register it'\''s'`},
		{`say "hi"`, `'say "hi"'`},
		{"", "''"},
		{"a\x1b[2Jb.fss", `$'a\x1b[2Jb.fss'`},
		{"x\u202eb.fss", `$'x\u202eb.fss'`},
		{"new\nline", `$'new\nline'`},
		{"bad\xffutf8", `$'bad\xffutf8'`},
	} {
		if got := shellQuote(c.in); got != c.want {
			t.Errorf("shellQuote(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}
