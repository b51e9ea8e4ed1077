package render

import (
	"bytes"
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	const red, reset = "\x1b[31m", "\x1b[0m"
	for _, tc := range []struct {
		name  string
		width int
		in    string
		want  string
	}{
		{"fits", 20, "a short line\n", "a short line\n"},
		{"exact fit", 12, "a short line\n", "a short line\n"},
		{"one over", 11, "a short line\n", "a short\n    line\n"},
		{"empty line", 10, "\n", "\n"},
		{"no width", 0, "a line far longer than the terminal is wide\n", "a line far longer than the terminal is wide\n"},
		{"unknown width", -1, "a line far longer than ten\n", "a line far longer than ten\n"},
		{"hanging indent", 20, "one two three four five six seven\n",
			"one two three four\n    five six seven\n"},
		{"indented line", 20, "    alpha beta gamma delta epsilon\n",
			"    alpha beta gamma\n        delta\n        epsilon\n"},
		{"long word overflows", 10, "a verylongwordindeed b\n", "a\n    verylongwordindeed\n    b\n"},
		{"long first word", 8, "abcdefghij k\n", "abcdefghij\n    k\n"},
		{"spaces inside a row kept", 30, "  ffff  \\FileSystem\\av  filter  notify\n",
			"  ffff  \\FileSystem\\av  filter\n        notify\n"}, // a row of columns hangs at its second column
		{"help row lines up with its column", 40, "  mount     mount a volume, the first access to it\n",
			"  mount     mount a volume, the first\n            access to it\n"},
		{"flag row with a space in its first column", 40, "  --media TYPE  the media: disk, cdrom or tape\n",
			"  --media TYPE  the media: disk, cdrom\n                or tape\n"},
		{"second column past half the width: the usual hang", 20, "  abcdefghijkl  xyz uvw rst\n", "  abcdefghijkl  xyz\n      uvw rst\n"},
		{"escapes take no room", 12, red + "a short line" + reset + "\n", red + "a short line" + reset + "\n"},
		{"escapes stay whole", 9, red + "alpha" + reset + " " + red + "beta" + reset + " gamma\n",
			red + "alpha" + reset + "\n    " + red + "beta" + reset + "\n    gamma\n"},
		{"colored indented line", 16, "  " + red + "IoAttach(av, C:) -> x" + reset + "\n",
			"  " + red + "IoAttach(av,\n      C:) -> x" + reset + "\n"},
		{"no final newline", 8, "one two three", "one two\n    three"},
		{"runes count once", 8, "… 5 more …\n", "… 5 more\n    …\n"},
		{"narrow terminal: hang capped", 8, "          abc def ghi\n", "          abc\n    def\n    ghi\n"},
	} {
		got := string(Wrap(nil, []byte(tc.in), tc.width))
		if got != tc.want {
			t.Errorf("%s: Wrap(%q, %d) =\n%q\nwant\n%q", tc.name, tc.in, tc.width, got, tc.want)
		}
		for _, l := range strings.Split(got, "\n") {
			// Only a lone word may run past the edge.
			if w := visibleWidth([]byte(l)); w > tc.width && tc.width > 0 && strings.Contains(strings.TrimSpace(stripEsc(l)), " ") {
				t.Errorf("%s: line %q is %d wide, over %d", tc.name, l, w, tc.width)
			}
		}
	}
}

// stripEsc removes escape sequences.
func stripEsc(s string) string {
	var b []byte
	for i := 0; i < len(s); {
		if k := escapeLen([]byte(s[i:])); k > 0 {
			i += k
			continue
		}
		b = append(b, s[i])
		i++
	}
	return string(b)
}

// TestWrapWriter: lines are held until they end, however the writes cut
// them; the width is asked for each line; Flush writes a line without its
// newline.
func TestWrapWriter(t *testing.T) {
	var out bytes.Buffer
	widths := []int{10, 0, 10}
	asked := 0
	ww := NewWrapWriter(&out, func() int {
		w := widths[asked%len(widths)]
		asked++
		return w
	})
	text := "alpha beta gamma\nalpha beta gamma\nalpha beta gamma\nrest of it"
	for i := 0; i < len(text); i += 3 { // writes that cut lines and words
		end := min(i+3, len(text))
		if n, err := ww.Write([]byte(text[i:end])); n != end-i || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	want := "alpha beta\n    gamma\nalpha beta gamma\nalpha beta\n    gamma\n"
	if out.String() != want {
		t.Errorf("before Flush:\n%q\nwant\n%q", out.String(), want)
	}
	if err := ww.Flush(); err != nil {
		t.Fatal(err)
	}
	if want += "rest of it"; out.String() != want {
		t.Errorf("after Flush:\n%q\nwant\n%q", out.String(), want)
	}
	if asked != 4 {
		t.Errorf("width asked %d times, want once per line (4)", asked)
	}
}

// TestFill: help's prose breaks at spaces to the width with no indent, each
// paragraph on its own, and a word wider than the width stands alone.
func TestFill(t *testing.T) {
	got := Fill("one two three four\nfive six\nsupercalifragilistic x", 9)
	want := "one two\nthree\nfour\nfive six\nsupercalifragilistic\nx"
	if got != want {
		t.Errorf("Fill:\n%q\nwant\n%q", got, want)
	}
}
