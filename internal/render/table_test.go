package render

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
)

// tableLab has four minifilters with instances on C: and D:, one with a
// second, manual instance, above a legacy filter with a group; long is the
// name of one of them, and of its instances.
func tableLab(t *testing.T, long string) *engine.Engine {
	t.Helper()
	e := engine.New()
	must := step(t)
	must(e.RegisterFileSystem("ntfs", engine.FSOptions{}))
	must(e.LoadFilter("av", engine.FilterOptions{Notify: true, Group: "FSFilter Anti-Virus"}))
	must(e.Mount("C:", engine.MountOptions{}))
	must(e.Mount("D:", engine.MountOptions{}))
	must(e.LoadFltMgr())
	must(e.LoadMinifilter("scanner", engine.MiniOptions{Altitude: "328000", Group: "anti-virus"}))
	must(e.LoadMinifilter(long, engine.MiniOptions{Altitude: "141100", Group: "encryption"}))
	must(e.LoadMinifilter("watch", engine.MiniOptions{Altitude: "385100.25", Group: "activity-monitor"}))
	must(e.LoadMinifilter("hsm", engine.MiniOptions{Altitude: "180451", Group: "hsm"}))
	must(e.FltmcAttach("scanner", "C:", "328000.5", "second"))
	return e
}

// fltmcTables are the three fltmc views of e at width, with their headers
// and cells as the engine has them.
func fltmcTables(e *engine.Engine, width int) []struct {
	name, out string
	heads     []string
	rows      [][]string
} {
	type tbl = struct {
		name, out string
		heads     []string
		rows      [][]string
	}
	var f, i, v bytes.Buffer
	FltmcFilters(&f, e, width)
	FltmcInstances(&i, e, "", "", width)
	FltmcVolumes(&v, e, width)
	filters := tbl{name: "fltmc filters", out: f.String(), heads: []string{"Filter Name", "Num Instances", "Altitude", "Frame"}}
	for _, r := range e.FltmcFilters() {
		n, fr := "", "<Legacy>"
		if !r.Legacy {
			n, fr = strconv.Itoa(r.Instances), strconv.Itoa(r.Frame)
		}
		filters.rows = append(filters.rows, []string{r.Name, n, r.Altitude, fr})
	}
	instances := tbl{name: "fltmc instances", out: i.String(), heads: []string{"Filter", "Volume Name", "Altitude", "Instance Name", "Frame", "SprtFtrs", "VlStatus"}}
	ins := e.Instances("")
	sort.SliceStable(ins, func(i, j int) bool { // fltmc's order: by filter, then volume
		return ins[i].Minifilter < ins[j].Minifilter || ins[i].Minifilter == ins[j].Minifilter && ins[i].Volume < ins[j].Volume
	})
	for _, in := range ins {
		instances.rows = append(instances.rows, []string{in.Minifilter, in.Volume, in.Altitude, in.Instance, strconv.Itoa(in.Frame), "0000000f", ""})
	}
	volumes := tbl{name: "fltmc volumes", out: v.String(), heads: []string{"Dos Name", "Volume Name", "FileSystem", "Status"}}
	for _, l := range []string{"C:", "D:"} {
		vi, _ := e.Volume(l)
		volumes.rows = append(volumes.rows, []string{l, vi.Device, "NTFS", ""})
	}
	return []tbl{filters, instances, volumes}
}

// span is the columns [from, to) of a run of dashes under a header.
type span struct{ from, to int }

// runs are the runs of s not made of spaces (sep 1), or separated by two
// spaces or more (sep 2: headers of two words), each with its columns.
func runs(s string, sep int) (texts []string, at []span) {
	start, gap := -1, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != ' ' {
			if start < 0 {
				start = i
			}
			gap = 0
			continue
		}
		gap++
		if start >= 0 && (gap >= sep || i == len(s)) {
			end := i - gap + 1
			texts, at = append(texts, s[start:end]), append(at, span{start, end})
			start = -1
		}
	}
	return texts, at
}

// checkTable checks a fitted table: no line wider than width; above each
// run of dashes, the header of one column; below them, each row of cells
// in order, each cell whole under its own column's dashes, a row's first
// line starting at the left edge and its continuation lines indented.
func checkTable(t *testing.T, name, out string, width int, heads []string, rows [][]string) {
	t.Helper()
	checkWidth(t, name, out, width)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	// The dash lines, one per line of a row's block.
	first, last := -1, -1
	for n, l := range lines {
		if strings.Trim(l, "- ") == "" && strings.Contains(l, "-") {
			if first < 0 {
				first = n
			}
			last = n
		} else if first >= 0 {
			break
		}
	}
	if first < 1 {
		t.Fatalf("%s at %d: no header and dashes:\n%s", name, width, out)
	}
	dashes := make([][]span, 0, last-first+1)
	for _, l := range lines[first : last+1] {
		_, at := runs(l, 1)
		dashes = append(dashes, at)
	}
	// Each dash run's header: the header lines above its line of dashes
	// (all of them when there is one line of dashes, stacked headers).
	head := make([][]string, len(dashes))
	for k := range dashes {
		head[k] = make([]string, len(dashes[k]))
	}
	for n, l := range lines[:first] {
		k := 0
		if len(dashes) > 1 {
			k = n
		}
		if k >= len(dashes) {
			t.Fatalf("%s at %d: %d header lines over %d lines of dashes:\n%s", name, width, first, len(dashes), out)
		}
		texts, at := runs(l, 2)
		for j, s := range at {
			c := under(dashes[k], s)
			if c < 0 {
				t.Errorf("%s at %d: header %q is not over a column's dashes:\n%s", name, width, texts[j], out)
				continue
			}
			head[k][c] = strings.TrimSpace(head[k][c] + " " + texts[j])
		}
	}
	var got []string
	for _, h := range head {
		got = append(got, h...)
	}
	if strings.Join(got, "|") != strings.Join(heads, "|") {
		t.Errorf("%s at %d: headers %q, want %q:\n%s", name, width, got, heads, out)
	}
	// The rows: a line at the left edge starts one.
	var blocks [][]string
	for _, l := range lines[last+1:] {
		if l == "" || l[0] == '(' {
			break // the notes after the table
		}
		if l[0] != ' ' {
			blocks = append(blocks, nil)
		}
		if len(blocks) == 0 {
			t.Fatalf("%s at %d: the first row starts indented: %q", name, width, l)
		}
		blocks[len(blocks)-1] = append(blocks[len(blocks)-1], l)
	}
	if len(blocks) != len(rows) {
		t.Fatalf("%s at %d: %d rows, want %d:\n%s", name, width, len(blocks), len(rows), out)
	}
	for r, block := range blocks {
		cells := map[string]string{} // header: the cell under it
		k := 0
		for _, l := range block {
			texts, at := runs(l, 1)
			for k < len(dashes) && !allUnder(dashes[k], at) {
				k++ // a continuation line with nothing in it is left out
			}
			if k == len(dashes) {
				t.Fatalf("%s at %d: row %d: a line not under its columns: %q\n%s", name, width, r, l, out)
			}
			for j, s := range at {
				cells[head[k][under(dashes[k], s)]] = texts[j]
			}
			k++
		}
		for c, want := range rows[r] {
			if cells[heads[c]] != want {
				t.Errorf("%s at %d: row %d: under %q %q, want %q:\n%s", name, width, r, heads[c], cells[heads[c]], want, out)
			}
		}
	}
}

// checkWidth checks that no line of a table is wider than width.
func checkWidth(t *testing.T, name, out string, width int) {
	t.Helper()
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if l != "" && l[0] == '(' {
			break // the notes after the table are prose, wrapped at a terminal
		}
		if n := len([]rune(l)); n > width {
			t.Errorf("%s at %d: a line of %d columns: %q", name, width, n, l)
		}
	}
}

// under is the index of the dash run holding s whole, or -1.
func under(dashes []span, s span) int {
	for i, d := range dashes {
		if s.from >= d.from && s.to <= d.to {
			return i
		}
	}
	return -1
}

func allUnder(dashes []span, at []span) bool {
	for _, s := range at {
		if under(dashes, s) < 0 {
			return false
		}
	}
	return true
}

// TestFltmcTablesFitTheWidth: at 100, 80 and 60 columns the fltmc tables
// fit: no line is wider, every header stands over its own cells, and
// every cell is there whole, in its row, with short names (a lab that fits
// 80 columns by stacking a header) and long ones (rows as blocks).
func TestFltmcTablesFitTheWidth(t *testing.T) {
	for _, long := range []string{"encryptionfilter", "contosoencryptionfilterdriver"} {
		e := tableLab(t, long)
		piped := fltmcTables(e, 0)
		for _, width := range []int{100, 80, 60} {
			for i, tb := range fltmcTables(e, width) {
				if tb.out == piped[i].out { // fltmc's own layout, which fits: its legacy rows stick out
					checkWidth(t, tb.name, tb.out, width)
					continue
				}
				checkTable(t, tb.name+" ("+long+")", tb.out, width, tb.heads, tb.rows)
			}
		}
	}
}

// TestFltmcTablesKeepFltmcsLayout: with no width (a pipe, a golden), or a
// terminal wide enough, the tables are fltmc's own layout, byte for byte;
// narrower, they are not, and they keep fltmc's headers in its order.
func TestFltmcTablesKeepFltmcsLayout(t *testing.T) {
	e := tableLab(t, "encryptionfilter")
	piped := fltmcTables(e, 0)
	if h := strings.SplitN(piped[1].out, "\n", 2)[0]; h != "Filter                Volume Name                              Altitude        Instance Name       Frame   SprtFtrs  VlStatus" {
		t.Errorf("fltmc instances piped: header %q", h)
	}
	for i, tb := range fltmcTables(e, 125) {
		if tb.out != piped[i].out {
			t.Errorf("%s at 125 columns, wide enough, is not fltmc's layout:\n%s\nwant:\n%s", tb.name, tb.out, piped[i].out)
		}
	}
	for i, tb := range fltmcTables(e, 80) {
		if tb.name != "fltmc filters" && tb.out == piped[i].out { // fltmc filters is 66 wide
			t.Errorf("%s at 80 columns is fltmc's wide layout:\n%s", tb.name, tb.out)
		}
	}
}

// TestTableLayouts: the layouts a table takes as the width shrinks:
// content widths, then a stacked header, then rows as blocks, and a cell
// wider than the width alone on its line, whole.
func TestTableLayouts(t *testing.T) {
	g := &grid{cols: []tableCol{{"Filter", alignLeft}, {"Volume Name", alignLeft}, {"Altitude", alignPoint}, {"Frame", alignRight}},
		rows: [][]string{{"scanner", "C:", "328000", "0"}, {"watch", "D:", "385100.25", "1"}}, dashes: true}
	for _, tc := range []struct {
		width int
		want  string
	}{
		{0, "" +
			"Filter   Volume Name   Altitude  Frame\n" +
			"-------  -----------  ---------  -----\n" +
			"scanner  C:           328000         0\n" +
			"watch    D:           385100.25      1\n"},
		{33, "" +
			"         Volume\n" +
			"Filter   Name     Altitude  Frame\n" +
			"-------  ------  ---------  -----\n" +
			"scanner  C:      328000         0\n" +
			"watch    D:      385100.25      1\n"},
		{28, "" +
			"Filter   Volume Name\n" +
			"     Altitude  Frame\n" +
			"-------  -----------\n" +
			"    ---------  -----\n" +
			"scanner  C:\n" +
			"    328000         0\n" +
			"watch    D:\n" +
			"    385100.25      1\n"},
		{6, "" +
			"Filter\n" +
			"    Volume Name\n" +
			"     Altitude\n" +
			"    Frame\n" +
			"-------\n" +
			"    -----------\n" +
			"    ---------\n" +
			"    -----\n" +
			"scanner\n" +
			"    C:\n" +
			"    328000\n" +
			"        0\n" +
			"watch\n" +
			"    D:\n" +
			"    385100.25\n" +
			"        1\n"},
	} {
		var b bytes.Buffer
		g.write(&b, tc.width)
		if b.String() != tc.want {
			t.Errorf("width %d:\n%s\nwant:\n%s", tc.width, b.String(), tc.want)
		}
	}
}

// TestFilterListFits: filter list, whose cells hold spaces (its CDOs), fits
// 80 columns as blocks, each cell whole on one line, the header bold on
// each of its lines with color on.
func TestFilterListFits(t *testing.T) {
	e := tableLab(t, "encryptionfilter")
	fs := e.Filters()
	var b bytes.Buffer
	Filters(&b, fs, NewTheme(false), 80)
	for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if len(l) > 80 {
			t.Errorf("filter list at 80: a line of %d columns: %q", len(l), l)
		}
	}
	for _, f := range fs {
		for _, c := range []string{f.Name, f.Driver, f.Mode, list(f.CDOs), list(f.Volumes)} {
			if !strings.Contains(b.String(), "\n"+c) && !strings.Contains(b.String(), " "+c+"\n") && !strings.Contains(b.String(), "  "+c+"  ") {
				t.Errorf("filter list at 80: cell %q is not whole on a line:\n%s", c, b.String())
			}
		}
	}
	var on bytes.Buffer
	Filters(&on, fs, NewTheme(true), 80)
	if got := escape.ReplaceAllString(on.String(), ""); got != b.String() {
		t.Errorf("color changed the layout:\n%s\nwant:\n%s", got, b.String())
	}
	if n := strings.Count(on.String(), "\x1b[1m"); n != 2 {
		t.Errorf("filter list at 80: %d bold header lines, want 2:\n%q", n, on.String())
	}
}
