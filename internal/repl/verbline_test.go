package repl

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/render"
)

func TestSplitLine(t *testing.T) {
	cases := []struct {
		line string
		want []lineVerb
	}{
		{"mount C:", []lineVerb{{text: "mount C:"}}},
		{"fs register ntfs; mount C: ;show", []lineVerb{{text: "fs register ntfs"}, {text: "mount C:"}, {text: "show"}}},
		{";; mount C:;", []lineVerb{{text: "mount C:"}}},
		{"show 'a;b'; show \"c;d\"", []lineVerb{{text: "show 'a;b'"}, {text: "show \"c;d\""}}},
		{"mount C: # a comment; not a verb", []lineVerb{{text: "mount C:"}}},
		{"mount C:;# comment", []lineVerb{{text: "mount C:"}}},
		{"fs register a#b", []lineVerb{{text: "fs register a#b"}}},
		{"! mount Q:", []lineVerb{{text: "mount Q:", expect: true}}},
		{"! [not-mounted] dismount Q:", []lineVerb{{text: "dismount Q:", expect: true, kind: "not-mounted"}}},
		{"![usage]mount", []lineVerb{{text: "mount", expect: true, kind: "usage"}}},
		{"mount C:; ! [already-mounted] mount C:", []lineVerb{{text: "mount C:"}, {text: "mount C:", expect: true, kind: "already-mounted"}}},
		{"!", []lineVerb{{expect: true}}},
		{"!mount", []lineVerb{{text: "!mount"}}}, // not a '!' line: an unknown verb
		{"", nil},
		{"# only a comment", nil},
	}
	for _, c := range cases {
		got, err := splitLine(c.line)
		if err != nil {
			t.Errorf("splitLine(%q): %v", c.line, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("splitLine(%q) = %+v, want %+v", c.line, got, c.want)
		}
	}
	for _, bad := range []string{"! [nosuch] mount C:", "! [not-mounted mount C:", "mount C:; ! [] x"} {
		if _, err := splitLine(bad); err == nil || ErrorKindOf(err) != "syntax" {
			t.Errorf("splitLine(%q) = %v, want a syntax error", bad, err)
		}
	}
}

// TestExpectedRefusals runs '!' lines through a script: the right kind
// prints "refused as expected", the wrong kind or a success fails the line
// and names what happened.
func TestExpectedRefusals(t *testing.T) {
	cases := []struct {
		line, want string
		failed     int
	}{
		{"! [not-mounted] dismount Q:", "refused as expected: volume \"Q:\" is not mounted (mount Q: first)", 0},
		{"! dismount Q:", "refused as expected: volume \"Q:\" is not mounted", 0},
		{"! [bad-name] dismount Q:", "t.fss:1: error: expected a [bad-name] refusal, got [not-mounted]: volume \"Q:\" is not mounted", 1},
		{"! [usage] os", "t.fss:1: error: expected this line to fail (it starts with '!'), but it succeeded", 1},
		{"! [nosuch] os", "t.fss:1: error: unknown error kind \"nosuch\" in '! [KIND]' (known: ", 1},
		{"os; ! [unknown-command] moutn C:", "os xp (Windows XP and later)\n\nrefused as expected: unknown command \"moutn\"", 0},
		{"os; ! [usage] os", "t.fss:1: error: expected this line to fail", 1},
	}
	for _, c := range cases {
		var out bytes.Buffer
		s := NewSession(&out, render.NewTheme(false))
		res, err := s.RunScript(strings.NewReader(c.line+"\n"), ScriptOptions{Name: "t.fss"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), c.want) || res.Failed != c.failed {
			t.Errorf("%q: failed %d (want %d), printed\n%s\nwant it to contain %q", c.line, res.Failed, c.failed, out.String(), c.want)
		}
		if c.failed == 0 && strings.Contains(out.String(), "error:") {
			t.Errorf("%q: an expected refusal printed like an error:\n%s", c.line, out.String())
		}
	}
}

// TestSemicolonsEverywhere: a line of verbs separated by ';' does the same in
// a scenario file and in -c.
func TestSemicolonsEverywhere(t *testing.T) {
	line := "fs register ntfs; mount C:; ! [already-mounted] mount C:; devstack C:"
	var a, b bytes.Buffer
	sa := NewSession(&a, render.NewTheme(false))
	if res, _ := sa.RunScript(strings.NewReader(line+"\n"), ScriptOptions{Name: "t"}); res.Failed != 0 {
		t.Fatalf("script failed:\n%s", a.String())
	}
	sb := NewSession(&b, render.NewTheme(false))
	if res := sb.RunCommands(line, ScriptOptions{Name: "-c"}); res.Failed != 0 {
		t.Fatalf("-c failed:\n%s", b.String())
	}
	if a.String() != b.String() {
		t.Errorf("script and -c differ:\n%s\n----\n%s", a.String(), b.String())
	}
	if sa.Eng.Dump() != sb.Eng.Dump() {
		t.Errorf("script and -c built different labs")
	}
	if !strings.Contains(a.String(), "> ffffa08000005000  \\FileSystem\\Ntfs") {
		t.Errorf("devstack did not run:\n%s", a.String())
	}
}

// TestOwnScenariosNameTheirKinds: every '!' line of this repository's
// scenarios names the refusal it expects, so a line that fails for an
// earlier reason does not pass.
func TestOwnScenariosNameTheirKinds(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/*.fss")
	lessons, _ := filepath.Glob("lessons/*.fss")
	files = append(files, lessons...)
	if len(files) < 10 {
		t.Fatalf("found %d scenarios", len(files))
	}
	n := 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for ln := 1; sc.Scan(); ln++ {
			vs, err := splitLine(strings.TrimSpace(sc.Text()))
			if err != nil {
				t.Errorf("%s:%d: %v", f, ln, err)
			}
			for _, v := range vs {
				if v.expect {
					n++
					if v.kind == "" {
						t.Errorf("%s:%d: a '!' line without [kind]: %s", f, ln, sc.Text())
					}
				}
			}
		}
		fh.Close()
	}
	if n < 40 {
		t.Errorf("only %d '!' lines found", n)
	}
}
