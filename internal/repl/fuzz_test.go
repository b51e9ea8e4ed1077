package repl

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

var fuzzLines = []string{
	"fs register ntfs", "filter load av --notify", "mount C: --format=fat32 --media disk",
	`show "\Ntfs"`, "filter attach 'a b' C:", `help "fs register"`, "fs register x # comment",
	"'unterminated", `"`, "a''b", `""`, "\t mount\tC:  ", "# only a comment", "!", "! fs register av",
	"mount C: --format", "--notify", "filter load av --notify=yes", "os w2k extra", "show --json --json",
	"filter load \x1b[31mred", "mount \xff\xfe", "fs register a\x00b", "help mount --help",
	"FILTER LOAD Av --NOTIFY", "devstack RawDisk", "moutn C:", "fs regster ntfs", "filter",
	"undo 2", "history", "save lab.fss --force", "load lab.fss", "source nosuch.fss",
}

// FuzzSplit checks the line parser: it never panics, a word never holds a
// blank unless it was quoted, and words that need no quotes survive being
// quoted again and re-split.
func FuzzSplit(f *testing.F) {
	for _, l := range fuzzLines {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words, err := Split(line)
		if err != nil {
			if words != nil {
				t.Fatalf("Split(%q) failed (%v) but returned words", line, err)
			}
			return
		}
		if !strings.ContainsAny(line, `'"`) {
			for _, w := range words {
				if w == "" || strings.ContainsAny(w, " \t") {
					t.Fatalf("Split(%q) gave word %q", line, w)
				}
			}
		}
		var quoted []string
		for _, w := range words {
			switch {
			case !strings.Contains(w, "'"):
				quoted = append(quoted, "'"+w+"'")
			case !strings.Contains(w, `"`):
				quoted = append(quoted, `"`+w+`"`)
			default:
				return // a word with both quotes cannot be written back as one word
			}
		}
		again, err := Split(strings.Join(quoted, " "))
		if err != nil || len(again) != len(words) {
			t.Fatalf("re-split of %q: %q, %v; want %q", line, again, err, words)
		}
		for i := range words {
			if again[i] != words[i] {
				t.Fatalf("re-split of %q: word %d is %q, want %q", line, i, again[i], words[i])
			}
		}
	})
}

// FuzzExec runs a line in a lab that has a bit of everything and checks that
// Exec never reaches its panic guard, that the lab's invariants hold after
// it, that with color off nothing printed holds a raw control byte, and
// that a failing line changed nothing.
func FuzzExec(f *testing.F) {
	for _, l := range fuzzLines {
		f.Add(l)
	}
	setup := []string{"fs register fs_rec", "fs register ntfs", "filter load av --notify --attach-raw",
		"filter load backup", "mount C:", "mount D: --media cdrom", "filter attach backup C:", "mount E: --format fat32"}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.HasPrefix(strings.TrimSpace(strings.ToLower(line)), "tour") {
			return // the tour needs the boot state, and is tested whole elsewhere
		}
		var out bytes.Buffer
		s := NewSession(&out, render.NewTheme(false))
		s.Files = newMemFiles(map[string]string{"lab.fss": "mount F:\n"}) // save and load never touch the disk
		for _, l := range setup {
			if err := s.Exec(l); err != nil {
				t.Fatalf("setup %q: %v", l, err)
			}
		}
		before, dump := s.Eng.State(), s.Eng.Dump()
		out.Reset()
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
		if err != nil && !strings.Contains(line, "\n") {
			if strings.ContainsAny(errText(err), "\r\n") {
				t.Fatalf("Exec(%q): error is more than one line: %q", line, err)
			}
			if !stateEqual(before, s.Eng.State()) || s.Eng.Dump() != dump {
				t.Fatalf("Exec(%q) failed (%v) but changed the lab", line, err)
			}
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
