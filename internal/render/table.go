package render

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"
)

// Tables that fit the terminal.
//
// The fltmc views print fltmc's own fixed layout (its column widths and
// gaps), which is what a student holds up against a capture from a real
// machine; but fltmc instances is 125 columns wide and fltmc volumes 93.
// On a narrower terminal the terminal would cut those lines anywhere, and
// the prose wrapper (WrapWriter) would break them at the spaces between
// and inside cells, which reads no better: a volume's name ends up under
// an altitude. So a table given the terminal's width takes the first of
// these layouts that fits:
//
//  1. fltmc's fixed layout, byte for byte. It is also what every pipe,
//     file and golden gets (width 0), and what a wide terminal shows.
//  2. The same columns, headers and order, each only as wide as its
//     widest cell or header, two spaces apart. fltmc's widths are fixed
//     and much wider than fssim's names, so this alone fits a usual lab
//     in 80 columns.
//  3. As 2, with headers of two words stacked on two lines (Volume over
//     Name) where a header is wider than its cells, the one that saves
//     most first, until the table fits: a short table that still reads
//     across.
//  4. Each row as a block: as many columns as fit on the row's first
//     line, the rest on continuation lines indented 4 spaces, the header
//     and its dashes laid out the same way; every column stays aligned
//     down the table, so each header is right above its cells. A
//     continuation line with nothing in it is left out.
//
// No cell is shortened or broken: a cell is a name the student types back
// (a minifilter, a volume, an instance, an altitude) or looks for in
// another view, and a shortened \Device\HarddiskVolume1 is a name found
// nowhere else. A single cell wider than the whole terminal stands alone
// on its line and runs past the edge, as a long word does in WrapWriter.
// Every other line of a fitted table fits the width, so WrapWriter, which
// writes a line that fits as it came, leaves tables alone.

// align is how a column's cells line up.
type align uint8

const (
	alignLeft  align = iota
	alignRight       // counts
	alignPoint       // altitudes: integer parts right-aligned, each fraction after its point
)

// tableCol is a table's column: its header and how its cells align.
type tableCol struct {
	head  string
	align align
}

// grid is a table as cells, for the layouts 2 to 4 above.
type grid struct {
	cols   []tableCol
	rows   [][]string
	dashes bool                // a line of dashes under the header, as fltmc prints
	style  func(string) string // colors a header line (Theme.Bold), or nil
}

// contIndent is how far a row's continuation lines are indented.
const contIndent = 4

// fitTable writes a table to b: fixed's layout (layout 1) if width is 0 or
// less or every line of it fits width columns, else g fitted to width
// (layouts 2 to 4). fixed writes the table alone, without notes after it,
// since only the table's lines are measured.
func fitTable(b sink, width int, fixed func(sink), g *grid) {
	if width <= 0 {
		fixed(b)
		return
	}
	var tmp bytes.Buffer // only at a terminal: no pool needed
	fixed(&tmp)
	if widest(tmp.Bytes()) <= width {
		b.Write(tmp.Bytes())
		return
	}
	g.write(b, width)
}

// widest is the visible width of the widest line of text.
func widest(text []byte) int {
	n := 0
	for len(text) > 0 {
		i := indexByte(text, '\n')
		if i < 0 {
			i = len(text) - 1
		}
		n = max(n, visibleWidth(text[:i+1]))
		text = text[i+1:]
	}
	return n
}

// runes is how many columns s takes: cells are plain text.
func runes(s string) int { return utf8.RuneCountInString(s) }

// write writes g in the first of layouts 2 to 4 that fits width columns;
// width 0 or less is layout 2 at any width.
func (g *grid) write(b sink, width int) {
	n := len(g.cols)
	cells := make([]int, n) // each column's widest cell
	whole := make([]int, n) // alignPoint: the widest integer part
	frac := make([]int, n)  // alignPoint: the widest fraction, its point included
	for _, r := range g.rows {
		for i, c := range r {
			if g.cols[i].align == alignPoint {
				in, f := splitPoint(c)
				whole[i], frac[i] = max(whole[i], runes(in)), max(frac[i], runes(f))
				continue
			}
			cells[i] = max(cells[i], runes(c))
		}
	}
	w := make([]int, n)          // each column's width
	heads := make([][]string, n) // each header's lines, bottom-aligned
	for i, c := range g.cols {
		cells[i] = max(cells[i], whole[i]+frac[i])
		w[i], heads[i] = max(cells[i], runes(c.head)), []string{c.head}
	}
	if width > 0 && total(w) > width {
		g.stackHeads(w, heads, cells, width)
	}
	lines := blockLines(w, width)
	cell := func(i int, s string) string {
		switch g.cols[i].align {
		case alignRight:
			return padLeft(s, w[i])
		case alignPoint:
			in, f := splitPoint(s)
			return padLeft(padLeft(in, whole[i])+pad(f, frac[i]), w[i])
		}
		return pad(s, w[i])
	}
	// line writes one line of a block: the cells of cols, or nothing if
	// keepEmpty is unset and they are all empty (a continuation line with
	// nothing in it would read as a gap between rows).
	line := func(cols []int, k int, text func(i int) string, keepEmpty bool, style func(string) string) {
		var l strings.Builder
		if k > 0 {
			l.WriteString(strings.Repeat(" ", contIndent))
		}
		for j, i := range cols {
			if j > 0 {
				l.WriteString("  ")
			}
			l.WriteString(text(i))
		}
		s := strings.TrimRight(l.String(), " ")
		if s == "" && !keepEmpty {
			return
		}
		if style != nil {
			s = style(s)
		}
		b.WriteString(s)
		b.WriteByte('\n')
	}
	for k, cols := range lines {
		rows := 0
		for _, i := range cols {
			rows = max(rows, len(heads[i]))
		}
		for h := range rows {
			line(cols, k, func(i int) string {
				t := ""
				if j := h - (rows - len(heads[i])); j >= 0 {
					t = heads[i][j]
				}
				if g.cols[i].align == alignLeft {
					return pad(t, w[i])
				}
				return padLeft(t, w[i]) // over numbers, a header ends where they end
			}, h == rows-1, g.style)
		}
	}
	if g.dashes {
		for k, cols := range lines {
			line(cols, k, func(i int) string { return strings.Repeat("-", w[i]) }, true, nil)
		}
	}
	for _, r := range g.rows {
		for k, cols := range lines {
			line(cols, k, func(i int) string { return cell(i, r[i]) }, k == 0, nil)
		}
	}
}

// stackHeads is layout 3: it stacks headers of more than one word (Volume
// Name, Num Instances) on two lines or more, each column then as wide as
// its widest cell or header word, the one that saves most columns first,
// until the table fits width. If stacking them all does not make it fit, it
// changes nothing, and the table goes on to layout 4 with its headers whole.
func (g *grid) stackHeads(w []int, heads [][]string, cells []int, width int) {
	narrow := make([]int, len(w)) // each column's width with its header stacked
	order := make([]int, 0, len(w))
	for i, c := range g.cols {
		narrow[i] = cells[i]
		for _, word := range strings.Fields(c.head) {
			narrow[i] = max(narrow[i], runes(word))
		}
		if narrow[i] < w[i] {
			order = append(order, i)
		}
	}
	if total(narrow) > width {
		return // even with every header stacked, too wide
	}
	sort.SliceStable(order, func(a, b int) bool { return w[order[a]]-narrow[order[a]] > w[order[b]]-narrow[order[b]] })
	for _, i := range order {
		w[i] = narrow[i]
		heads[i] = strings.Split(Fill(g.cols[i].head, w[i]), "\n")
		if total(w) <= width {
			return
		}
	}
}

// total is how wide a line of columns of widths w is, two spaces apart.
func total(w []int) int {
	n := 0
	for _, x := range w {
		n += x
	}
	return n + 2*max(len(w)-1, 0)
}

// blockLines splits the columns, of widths w, into the lines of a row's
// block: from the left, as many as fit width on each line, the first line
// starting at column 0 and the others at contIndent, columns two apart. A
// column wider than a whole line gets a line of its own. Width 0 or less
// puts them all on one line.
func blockLines(w []int, width int) [][]int {
	var lines [][]int
	used := 0
	for i, cw := range w {
		switch {
		case len(lines) == 0:
			lines, used = [][]int{{i}}, cw
		case width <= 0 || used+2+cw <= width:
			lines[len(lines)-1] = append(lines[len(lines)-1], i)
			used += 2 + cw
		default:
			lines, used = append(lines, []int{i}), contIndent+cw
		}
	}
	return lines
}

// padLeft pads s with spaces on the left to w columns.
func padLeft(s string, w int) string {
	if n := runes(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}

// splitPoint splits an altitude at its decimal point: "385100.25" is
// "385100" and ".25"; one without a point is all integer part.
func splitPoint(s string) (whole, frac string) {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}
