package repl

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

var fuzzLines = []string{
	"fs register x; mount Q:", "fs register ntfs\nmount F:", "mount F:; bogus; mount G:", "os; ! [not-mounted] dismount Q:; os",
	"! os", "! [usage] os", "! [nosuch] os", "exit; mount F:", "mount F: # c\r\nmount G:", "show 'a;b'; show \"c\nd\"",
	"! [syntax] show 'open", "!;!", "fs register a#b;#x\n!mount",
	"fs register ntfs", "filter load av --notify", "mount C: --format=fat32 --media disk",
	`show "\Ntfs"`, "filter attach 'a b' C:", `help "fs register"`, "fs register x # comment",
	"'unterminated", `"`, "a''b", `""`, "\t mount\tC:  ", "# only a comment", "!", "! fs register av",
	"mount C: --format", "--notify", "filter load av --notify=yes", "os w2k extra", "show --json --json",
	"filter load \x1b[31mred", "mount \xff\xfe", "fs register a\x00b", "help mount --help",
	"FILTER LOAD Av --NOTIFY", "devstack RawDisk", "moutn C:", "fs regster ntfs", "filter",
	"undo 2", "history", "save lab.fss --force", "load lab.fss", "source nosuch.fss",
}

// FuzzSplit checks the lexer: it never panics; reading only the prefixes
// (checkLine) finds the same error as reading everything; a word never holds
// a blank, ';' or newline unless it was quoted; each verb's text, which the
// history records and replays, reads back as the same words; and the verbs
// survive being written back (each word quoted, prefixes restored, verbs
// joined by ';' or newlines, or by joinWords as the history writes them) and
// read again.
func FuzzSplit(f *testing.F) {
	for _, l := range fuzzLines {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, line string) {
		verbs, err := lexAll(line)
		l := lexer{line: line}
		var full error
		for {
			_, ok, err := l.next()
			if err != nil || !ok {
				full = err
				break
			}
		}
		if (err == nil) != (full == nil) || (err != nil && err.Error() != full.Error()) {
			t.Fatalf("lex %q: checkLine says %v, reading it whole %v", line, err, full)
		}
		// Split is the lexer's words for a line of one plain verb, and
		// nothing else.
		words, serr := Split(line)
		switch {
		case serr != nil && (words != nil || ErrorKindOf(serr) != "syntax"):
			t.Fatalf("Split(%q) failed (%v) but returned words %q", line, serr, words)
		case serr == nil && len(verbs) == 0 && words != nil:
			t.Fatalf("Split(%q) = %q, but the line holds no verb", line, words)
		case serr == nil && len(verbs) > 0 && (len(verbs) != 1 || verbs[0].expect || !slices.Equal(words, verbs[0].words)):
			t.Fatalf("Split(%q) = %q, but the line holds %+v", line, words, verbs)
		case serr != nil && err == nil && len(verbs) == 1 && !verbs[0].expect && verbs[0].err == "":
			t.Fatalf("Split(%q) failed (%v) on a line of one plain verb", line, serr)
		}
		if err != nil {
			if ErrorKindOf(err) != "syntax" {
				t.Fatalf("lex %q: %v is not a syntax error", line, err)
			}
			return
		}
		var back []string
		for i, v := range verbs {
			if v.err != "" && i != len(verbs)-1 {
				t.Fatalf("lex %q: verb %d failed (%s) but is not the last", line, i, v.err)
			}
			if !strings.ContainsAny(line, `'"`) {
				for _, w := range v.words {
					if w == "" || strings.ContainsAny(w, " \t;\n") {
						t.Fatalf("lex %q gave word %q", line, w)
					}
				}
			}
			if v.err != "" {
				return
			}
			if len(v.words) > 0 && !(v.expect && strings.HasPrefix(v.text, "!")) { // "! ! x": its text is "! x"
				again, err := lexAll(v.text)
				if err != nil || len(again) != 1 || again[0].expect || !slices.Equal(again[0].words, v.words) {
					t.Fatalf("lex %q: verb %d's text %q reads back as %+v, %v; want %q", line, i, v.text, again, err, v.words)
				}
			}
			if len(v.words) > 0 && !slices.ContainsFunc(v.words, bothQuotes) {
				if again, err := Split(joinWords(v.words)); err != nil || !slices.Equal(again, v.words) {
					t.Fatalf("lex %q: joinWords(%q) = %q reads back as %q, %v", line, v.words, joinWords(v.words), again, err)
				}
			}
			var b strings.Builder
			if v.expect {
				b.WriteString("! ")
				if v.kind != "" {
					b.WriteString("[" + v.kind + "] ")
				}
			}
			for j, w := range v.words {
				if j > 0 {
					b.WriteString(" ")
				}
				switch {
				case !strings.Contains(w, "'"):
					b.WriteString("'" + w + "'")
				case !strings.Contains(w, `"`):
					b.WriteString(`"` + w + `"`)
				default:
					return // a word with both quotes cannot be written back as one word
				}
			}
			back = append(back, b.String())
		}
		for _, sep := range []string{"; ", "\n", " ;\r\n"} {
			joined := strings.Join(back, sep)
			again, err := lexAll(joined)
			if err != nil || len(again) != len(verbs) {
				t.Fatalf("re-lex of %q as %q: %+v, %v; want %+v", line, joined, again, err, verbs)
			}
			for i := range verbs {
				a, w := again[i], verbs[i]
				if !slices.Equal(a.words, w.words) || a.expect != w.expect || a.kind != w.kind {
					t.Fatalf("re-lex of %q as %q: verb %d is %+v, want %+v", line, joined, i, a, w)
				}
			}
		}
	})
}

func bothQuotes(w string) bool { return strings.Contains(w, "'") && strings.Contains(w, `"`) }

// FuzzExec runs a line in a lab that has a bit of everything and checks that
// Exec never reaches its panic guard, that the lab's invariants hold after
// it, that with color off nothing printed holds a raw control byte, and
// that Exec is the line's verbs run one at a time: each verb that fails
// (or is refused as its '!' expects) changes nothing, and the first
// failure ends the line.
func FuzzExec(f *testing.F) {
	for _, l := range fuzzLines {
		f.Add(l)
	}
	setup := []string{"fs register fs_rec", "fs register ntfs", "filter load av --notify --attach-raw",
		"filter load backup", "mount C:", "mount D: --media cdrom", "filter attach backup C:", "mount E: --format fat32"}
	lab := func(t *testing.T, out *bytes.Buffer) *Session {
		s := NewSession(out, render.NewTheme(false))
		s.Files = newMemFiles(map[string]string{"lab.fss": "mount F:\n"}) // save and load never touch the disk
		for _, l := range setup {
			if err := s.Exec(l); err != nil {
				t.Fatalf("setup %q: %v", l, err)
			}
		}
		out.Reset()
		return s
	}
	f.Fuzz(func(t *testing.T, line string) {
		verbs, lexErr := lexAll(line)
		for _, v := range verbs {
			if len(v.words) > 0 && strings.EqualFold(v.words[0], "tour") {
				return // the tour needs the boot state, and is tested whole elsewhere
			}
		}
		var out bytes.Buffer
		s := lab(t, &out)
		err := s.Exec(line)
		if errors.Is(err, ErrInternal) {
			t.Fatalf("Exec(%q): %v", line, err)
		}
		if ierr := s.Eng.CheckInvariants(); ierr != nil {
			t.Fatalf("Exec(%q): invariants broken: %v", line, ierr)
		}
		for _, b := range [][]byte{out.Bytes(), []byte(errText(err))} {
			for i, c := range b {
				if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
					t.Fatalf("Exec(%q) printed raw control byte 0x%02x at %d: %q", line, c, i, b)
				}
			}
		}

		// The same line, one verb at a time.
		var out1 bytes.Buffer
		s1 := lab(t, &out1)
		var err1 error
		if lexErr != nil {
			err1 = lexErr
		}
		l := lexer{line: line}
		for err1 == nil {
			v, ok, _ := l.next()
			if !ok {
				break
			}
			before, dump := s1.Eng.State(), s1.Eng.Dump()
			refused, verr := s1.runVerb(v, origin{})
			failed := verr != nil && !errors.Is(verr, ErrExit) && !errors.Is(verr, errExpectedFailure)
			if verr == nil && v.expect {
				failed = true // refused as expected
				out1.WriteString("refused as expected: " + refused + "\n")
			}
			if failed && (!stateEqual(before, s1.Eng.State()) || s1.Eng.Dump() != dump) {
				t.Fatalf("Exec(%q): verb %q failed (%v) but changed the lab", line, v.text, verr)
			}
			if verr != nil && !strings.Contains(v.text, "\n") && strings.ContainsAny(errText(verr), "\r\n") {
				t.Fatalf("Exec(%q): error is more than one line: %q", line, verr)
			}
			err1 = verr
		}
		if errText(err) != errText(err1) || out.String() != out1.String() || s.Eng.Dump() != s1.Eng.Dump() {
			t.Fatalf("Exec(%q) = %v, printed %q; its verbs one at a time: %v, printed %q", line, err, out.String(), err1, out1.String())
		}
	})
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func stateEqual(a, b engine.State) bool { return reflect.DeepEqual(a, b) }
