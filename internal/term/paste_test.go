//go:build !js

package term

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// readPastes reads all of in through a pasteReader and returns what
// readline would get, with each mark written as «text».
func readPastes(t *testing.T, in io.Reader) string {
	t.Helper()
	p := newPasteReader(in)
	b, err := io.ReadAll(p)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, r := range string(b) {
		if r != pasteMark {
			out.WriteRune(r)
			continue
		}
		text, ok := p.take()
		if !ok {
			t.Fatalf("a mark without its text in %q", b)
		}
		out.WriteString("«" + text + "»")
	}
	if text, ok := p.take(); ok {
		t.Errorf("a text without its mark: %q", text)
	}
	return out.String()
}

func TestPasteReader(t *testing.T) {
	long := strings.Repeat("x", 40)
	tests := []struct {
		name, in, want string
	}{
		{"typed keys pass", "fs\t\x1b[A\x03", "fs\t\x1b[A\x03"},
		{"a bracketed paste is one mark", "filter load " + pasteStart + "av --notify" + pasteEnd + "\r",
			"filter load «av --notify»\r"},
		{"each pasted line runs", pasteStart + "fs register ntfs\r\nmount C:\n\ntree\r" + pasteEnd,
			"«fs register ntfs»\r«mount C:»\r\r«tree»\r"},
		{"a long run in one read is a paste", "fs register " + long + "\r", "«fs register " + long + "»\r"},
		{"an escape sequence before a run stays whole", "\x1b[1;5C" + long, "\x1b[1;5C«" + long + "»"},
		{"a typed mark is text", "a\uE000b", "a«\uE000»b"},
		{"an unfinished paste ends at EOF", pasteStart + "mount C:", "«mount C:»"},
		{"a start cut short at EOF passes", "ls\x1b[20", "ls\x1b[20"},
		{"Ctrl-Z never reaches readline", "ls\x1a\r", "ls\r"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readPastes(t, strings.NewReader(tt.in)); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestPasteReaderMarkersCutByReads: the paste markers are found when every
// read brings one byte (and no run is long enough to pass for a paste).
func TestPasteReaderMarkersCutByReads(t *testing.T) {
	in := "ab\x1b[A" + pasteStart + "fs register ntfs\r\nmount C:" + pasteEnd + "\r"
	got := readPastes(t, iotest.OneByteReader(strings.NewReader(in)))
	if want := "ab\x1b[A«fs register ntfs»\r«mount C:»\r"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestPasteInsert: the Listener swaps the mark at the cursor's left for
// its text, and leaves other keys alone.
func TestPasteInsert(t *testing.T) {
	p := newPasteReader(strings.NewReader(""))
	p.mark([]byte("load é.fss"))
	line := []rune("x \uE000 y")
	got, pos, ok := p.insert(line, 3, pasteMark)
	if !ok || string(got) != "x load é.fss y" || pos != 2+utf8.RuneCountInString("load é.fss") {
		t.Errorf("insert: %q at %d, %v", string(got), pos, ok)
	}
	if _, _, ok := p.insert(line, 3, 'a'); ok {
		t.Errorf("a key that is not a mark changed the line")
	}
	if _, _, ok := p.insert(line, 3, pasteMark); ok {
		t.Errorf("a mark with no text left changed the line")
	}
}
