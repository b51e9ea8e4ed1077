package render

import (
	"io"
	"strings"
	"unicode/utf8"
)

// WrapWriter fits text to a terminal: it holds what is written to it until
// a line ends, then writes the line, broken at spaces if it is wider than
// the terminal, each continuation line starting at the line's own
// indentation plus 4 spaces (a hanging indent), or, in a row of two
// columns (two spaces or more between them), at the second column. It never breaks inside a
// word: a word wider than the room left stands alone on its line and runs
// past the edge. ANSI escape sequences take no room and are never split. A
// line that fits is written byte for byte as it came.
//
// The width is asked for afresh for each line, so resizing the terminal
// takes effect at the next line; a width of 0 or less (unknown, or not a
// terminal) turns wrapping off.
type WrapWriter struct {
	w     io.Writer
	width func() int
	line  []byte // the line being written, up to its newline
	out   []byte // a wrapped line, reused
}

// NewWrapWriter returns a WrapWriter writing to w, asking width for the
// terminal's width before each line.
func NewWrapWriter(w io.Writer, width func() int) *WrapWriter {
	return &WrapWriter{w: w, width: width}
}

// Write writes every whole line of p, wrapped, and keeps the rest for the
// next Write or Flush. It reports all of p written unless the underlying
// writer fails.
func (ww *WrapWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := indexByte(p, '\n')
		if i < 0 {
			ww.line = append(ww.line, p...)
			break
		}
		ww.line = append(ww.line, p[:i+1]...)
		p = p[i+1:]
		if err := ww.emit(); err != nil {
			return n - len(p), err
		}
	}
	return n, nil
}

// Flush writes a line left without its newline, wrapped.
func (ww *WrapWriter) Flush() error {
	if len(ww.line) == 0 {
		return nil
	}
	return ww.emit()
}

func indexByte(p []byte, c byte) int {
	for i, b := range p {
		if b == c {
			return i
		}
	}
	return -1
}

// emit writes the held line and empties it.
func (ww *WrapWriter) emit() error {
	width := 0
	if ww.width != nil {
		width = ww.width()
	}
	line := ww.line
	ww.line = ww.line[:0]
	if width <= 0 {
		_, err := ww.w.Write(line)
		return err
	}
	ww.out = Wrap(ww.out[:0], line, width)
	_, err := ww.w.Write(ww.out)
	return err
}

// escapeLen returns the length of the ANSI escape sequence at the start of
// b (ESC [ parameters final-byte, or ESC and one byte), or 0 if b does not
// start with ESC.
func escapeLen(b []byte) int {
	if len(b) == 0 || b[0] != 0x1b {
		return 0
	}
	if len(b) < 2 {
		return 1
	}
	if b[1] != '[' {
		return 2
	}
	for i := 2; i < len(b); i++ {
		if b[i] >= 0x40 && b[i] <= 0x7e {
			return i + 1
		}
	}
	return len(b) // unterminated: all of it, unsplit
}

// visibleWidth is how many columns b takes on a terminal: its runes but
// for escape sequences and the newline.
func visibleWidth(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		if k := escapeLen(b[i:]); k > 0 {
			i += k
			continue
		}
		if b[i] == '\n' {
			i++
			continue
		}
		_, size := utf8.DecodeRune(b[i:])
		i += size
		n++
	}
	return n
}

// Wrap appends line (which may end with a newline) to dst, broken at
// spaces to fit width columns with a hanging indent, as WrapWriter writes
// it. A line that fits, or a width of 0 or less, is appended unchanged.
func Wrap(dst, line []byte, width int) []byte {
	if width <= 0 || visibleWidth(line) <= width {
		return append(dst, line...)
	}
	nl := len(line) > 0 && line[len(line)-1] == '\n'
	if nl {
		line = line[:len(line)-1]
	}
	// The line's indentation: the spaces before its first visible
	// character, escape sequences aside.
	indent := 0
	for i := 0; i < len(line); {
		if k := escapeLen(line[i:]); k > 0 {
			i += k
			continue
		}
		if line[i] != ' ' {
			break
		}
		indent++
		i++
	}
	hang := indent + 4
	if c := secondColumn(line); c > hang && c <= width/2 {
		hang = c // a row of two columns (help's verbs, flags): the text lines up with its column
	}
	if hang > width/2 { // a narrow terminal: keep room for words
		hang = width / 2
	}
	dst = fill(dst, line, width, hang)
	if nl {
		dst = append(dst, '\n')
	}
	return dst
}

// secondColumn is the column where a row's second column starts: the
// first visible character after the first run of two or more spaces that
// follows the row's first word ("  mount D:  mount a volume"), or 0.
func secondColumn(line []byte) int {
	col, gap, seen := 0, 0, false
	for i := 0; i < len(line); {
		if k := escapeLen(line[i:]); k > 0 {
			i += k
			continue
		}
		if line[i] == ' ' {
			gap++
			col++
			i++
			continue
		}
		if seen && gap >= 2 {
			return col
		}
		seen, gap = true, 0
		_, size := utf8.DecodeRune(line[i:])
		i += size
		col++
	}
	return 0
}

// Fill breaks text at spaces into lines of at most width columns, each of
// its lines (paragraphs) on its own and with no indent: help's prose. It
// walks words as Wrap does.
func Fill(text string, width int) string {
	var dst []byte
	for i, para := range strings.Split(text, "\n") {
		if i > 0 {
			dst = append(dst, '\n')
		}
		dst = fill(dst, []byte(para), width, 0)
	}
	return string(dst)
}

// fill appends line (no newline) broken at spaces to fit width columns,
// each continuation line starting with hang spaces.
func fill(dst, line []byte, width, hang int) []byte {
	// Walk the line as words (runs of non-spaces, with any escape
	// sequences in or next to them) and gaps (runs of spaces). A gap is
	// written only once the word after it is known to fit on the same
	// line; where the line breaks, the gap is dropped.
	col := 0        // columns used on the current output line
	placed := false // a visible word is on the current output line
	gapStart, gapW := -1, 0
	for i := 0; i < len(line); {
		if line[i] == ' ' {
			if gapStart < 0 {
				gapStart, gapW = i, 0
			}
			gapW++
			i++
			continue
		}
		// A word: up to the next space, escape sequences included.
		start, w := i, 0
		for i < len(line) && line[i] != ' ' {
			if k := escapeLen(line[i:]); k > 0 {
				i += k
				continue
			}
			_, size := utf8.DecodeRune(line[i:])
			i += size
			w++
		}
		switch {
		case placed && w > 0 && col+gapW+w > width:
			dst = append(dst, '\n')
			dst = appendSpaces(dst, hang)
			col = hang
		case gapStart >= 0 && (w > 0 || col+gapW <= width):
			dst = append(dst, line[gapStart:gapStart+gapW]...)
			col += gapW
		}
		dst = append(dst, line[start:i]...)
		col += w
		if w > 0 {
			placed = true
		}
		gapStart, gapW = -1, 0
	}
	if gapStart >= 0 && col+gapW <= width { // trailing spaces, if they fit
		dst = append(dst, line[gapStart:]...)
	}
	return dst
}
