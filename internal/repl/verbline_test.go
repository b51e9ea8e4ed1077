package repl

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/render"
)

// lexed is one verb as the lexer read it, its words copied.
type lexed struct {
	words  []string
	text   string
	expect bool
	kind   string
	err    string // the verb's own error
}

// lexAll reads every verb of line, as runLine does.
func lexAll(line string) ([]lexed, error) {
	if _, err := checkLine(line); err != nil {
		return nil, err
	}
	var out []lexed
	l := lexer{line: line}
	for {
		v, ok, err := l.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		x := lexed{words: slices.Clone(v.words), text: v.text, expect: v.expect, kind: v.kind}
		if v.err != nil {
			x.err = v.err.Error()
		}
		out = append(out, x)
	}
}

// TestLexer: the one lexer parts a line into verbs at ';' and newlines
// outside quotes, reads each verb's '!' prefix, and splits the rest into
// words, as the two parsers it replaced did (splitLine's verbs, Split's
// words), each case with both.
func TestLexer(t *testing.T) {
	w := func(s ...string) []string { return s }
	cases := []struct {
		line string
		want []lexed
	}{
		{"mount C:", []lexed{{words: w("mount", "C:"), text: "mount C:"}}},
		{"fs register ntfs; mount C: ;show", []lexed{{words: w("fs", "register", "ntfs"), text: "fs register ntfs"},
			{words: w("mount", "C:"), text: "mount C:"}, {words: w("show"), text: "show"}}},
		{";; mount C:;", []lexed{{words: w("mount", "C:"), text: "mount C:"}}},
		{"show 'a;b'; show \"c;d\"", []lexed{{words: w("show", "a;b"), text: "show 'a;b'"}, {words: w("show", "c;d"), text: "show \"c;d\""}}},
		{"mount C: # a comment; not a verb", []lexed{{words: w("mount", "C:"), text: "mount C:"}}},
		{"mount C:;# comment", []lexed{{words: w("mount", "C:"), text: "mount C:"}}},
		{"fs register a#b", []lexed{{words: w("fs", "register", "a#b"), text: "fs register a#b"}}},
		{"! mount Q:", []lexed{{words: w("mount", "Q:"), text: "mount Q:", expect: true}}},
		{"! [not-mounted] dismount Q:", []lexed{{words: w("dismount", "Q:"), text: "dismount Q:", expect: true, kind: "not-mounted"}}},
		{"![usage]mount", []lexed{{words: w("mount"), text: "mount", expect: true, kind: "usage"}}},
		{"mount C:; ! [already-mounted] mount C:", []lexed{{words: w("mount", "C:"), text: "mount C:"},
			{words: w("mount", "C:"), text: "mount C:", expect: true, kind: "already-mounted"}}},
		{"!", []lexed{{words: w(), expect: true}}},
		{"!;mount C:", []lexed{{words: w(), expect: true}, {words: w("mount", "C:"), text: "mount C:"}}},
		{"!mount", []lexed{{words: w("!mount"), text: "!mount"}}}, // not a '!' line: an unknown verb
		{"!#x", []lexed{{words: w("!#x"), text: "!#x"}}},
		{"", nil},
		{"# only a comment", nil},
		{" \t ;\t; ", nil},
		// Split's words.
		{"  fs   register\tntfs  ", []lexed{{words: w("fs", "register", "ntfs"), text: "fs   register\tntfs"}}},
		{`fs register 'a b'`, []lexed{{words: w("fs", "register", "a b"), text: `fs register 'a b'`}}},
		{`fs register "x"y`, []lexed{{words: w("fs", "register", "xy"), text: `fs register "x"y`}}},
		{`a"b c"d 'e f'`, []lexed{{words: w("ab cd", "e f"), text: `a"b c"d 'e f'`}}},
		{`show "#C:" # comment`, []lexed{{words: w("show", "#C:"), text: `show "#C:"`}}},
		{"show C:#not-a-comment", []lexed{{words: w("show", "C:#not-a-comment"), text: "show C:#not-a-comment"}}},
		{`a''b ""`, []lexed{{words: w("ab", ""), text: `a''b ""`}}},
		// An unterminated quote is its verb's error, which runs to the end
		// of the line; the column counts from the verb's first word.
		{`show 'open`, []lexed{{err: "unterminated ' quote at column 6"}}},
		{`os; ! [syntax] show "open; os`, []lexed{{words: w("os"), text: "os"},
			{expect: true, kind: "syntax", err: `unterminated " quote at column 6`}}},
		// Newlines (fssim -c) part verbs as ';' does, and end a comment.
		{"fs register ntfs\nmount C:", []lexed{{words: w("fs", "register", "ntfs"), text: "fs register ntfs"}, {words: w("mount", "C:"), text: "mount C:"}}},
		{"fs register ntfs\r\nmount C:\r\n", []lexed{{words: w("fs", "register", "ntfs"), text: "fs register ntfs"}, {words: w("mount", "C:"), text: "mount C:"}}},
		{"# setup\nfs register ntfs # the fs\n\n  mount C: # and; a volume\nshow", []lexed{{words: w("fs", "register", "ntfs"), text: "fs register ntfs"},
			{words: w("mount", "C:"), text: "mount C:"}, {words: w("show"), text: "show"}}},
		{"! [usage]\nmount", []lexed{{words: w(), expect: true, kind: "usage"}, {words: w("mount"), text: "mount"}}},
		{"show 'a\nb'", []lexed{{words: w("show", "a\nb"), text: "show 'a\nb'"}}},
		{"show a\rb", []lexed{{words: w("show", "a\rb"), text: "show a\rb"}}},
	}
	for _, c := range cases {
		got, err := lexAll(c.line)
		if err != nil {
			t.Errorf("lex %q: %v", c.line, err)
			continue
		}
		if len(got) == 0 && len(c.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("lex %q =\n  %+v\nwant\n  %+v", c.line, got, c.want)
		}
	}
	for _, bad := range []struct{ line, msg string }{
		{"! [nosuch] mount C:", `unknown error kind "nosuch" in '! [KIND]' (known: `},
		{"! [not-mounted mount C:", `unterminated '[' in "! [not-mounted mount C:": write ! [KIND] VERB`},
		{"mount C:; ! [] x", `unknown error kind "" in '! [KIND]'`},
		{"mount C:; ! [usage x; os", `unterminated '[' in "! [usage x": write ! [KIND] VERB`},
		{"os\n! [usage x\nos", `unterminated '[' in "! [usage x": write ! [KIND] VERB`},
		{"! [usage x # c; d", `unterminated '[' in "! [usage x": write ! [KIND] VERB`},
	} {
		_, err := lexAll(bad.line)
		if err == nil || ErrorKindOf(err) != "syntax" || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("lex %q: %v, want a syntax error %q", bad.line, err, bad.msg)
		}
	}
}

// TestSplitOneVerb: Split, the lexer's words for a caller with one verb,
// refuses what only a runner reads.
func TestSplitOneVerb(t *testing.T) {
	for _, c := range []struct{ line, want string }{
		{`fs register 'a b'`, "fs|register|a b"},
		{"show # c", "show"},
		{"", ""},
		{"# c", ""},
		{"a; b", "error: holds more than one"},
		{"a\nb", "error: holds more than one"},
		{"! mount", "error: starts with '!'"},
		{"! [nosuch] mount", "error: unknown error kind"},
		{`show 'open`, "error: unterminated ' quote at column 6"},
	} {
		words, err := Split(c.line)
		got := strings.Join(words, "|")
		if err != nil {
			if ErrorKindOf(err) != "syntax" || words != nil {
				t.Errorf("Split(%q) = %q, %v: want no words and a syntax error", c.line, words, err)
			}
			got = "error: " + err.Error()
		}
		if ok := strings.HasPrefix(c.want, "error: ") && strings.Contains(got, strings.TrimPrefix(c.want, "error: ")); !ok && got != c.want {
			t.Errorf("Split(%q) = %q, want %q", c.line, got, c.want)
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
			vs, err := lexAll(strings.TrimSpace(sc.Text()))
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
