package render

import (
	"regexp"
	"testing"
)

// stripEscapesRE is what StripEscapes did with a regular expression.
var stripEscapesRE = regexp.MustCompile("\x1b\\[[0-9;?]*[A-Za-z]")

var escapeSeeds = []string{
	"", "plain", "\x1b[1;31merror:\x1b[0m no", "\x1b[?25l\x1b[2K", "\x1b[", "\x1b[12", "\x1b[1;", "\x1b[1;2;x",
	"a\x1b\x1b[mb", "\x1b[\x1b[1mz", "\x1b[1;31", "\x1b]0;title\x07", "é\x1b[0m✓",
}

// TestStripEscapes: StripEscapes removes what the regular expression it
// replaced removed, and nothing else.
func TestStripEscapes(t *testing.T) {
	for _, s := range escapeSeeds {
		if got, want := StripEscapes(s), stripEscapesRE.ReplaceAllString(s, ""); got != want {
			t.Errorf("StripEscapes(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzStripEscapes(f *testing.F) {
	for _, s := range escapeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := StripEscapes(s), stripEscapesRE.ReplaceAllString(s, ""); got != want {
			t.Fatalf("StripEscapes(%q) = %q, want %q", s, got, want)
		}
	})
}
