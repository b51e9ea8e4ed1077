package repl

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/fssim/fssim/internal/render"
)

// Transcript runs a scenario in a fresh session with color off, running on
// past failing lines, and returns what it printed. This is what a .golden
// file holds.
func Transcript(r io.Reader, name string) ([]byte, ScriptResult, error) {
	out, _, res, err := transcript(r, name, nil)
	return out, res, err
}

// transcript is Transcript that also returns, for each line of the
// transcript, the number of the scenario line that printed it.
//
// The numbers come from the runner itself rather than from reading the
// transcript back: RunScript reports each line number before that line
// prints anything (ScriptOptions.Line), and originWriter stamps every
// newline written with the current number. So the mapping does not depend
// on how lines are echoed, on ';' or '!' syntax, or on what a verb prints.
// A blank line that parts two outputs belongs to the line after it.
func transcript(r io.Reader, name string, files Files) ([]byte, []int, ScriptResult, error) {
	var out originWriter
	s := NewSession(&out, render.NewTheme(false))
	s.Files = files
	res, err := s.RunScript(r, ScriptOptions{Name: name, KeepGoing: true, Echo: true,
		Line: func(n int) { out.cur = n }})
	return out.buf.Bytes(), out.origin, res, err
}

// originWriter keeps a transcript and, for each line of it, the scenario
// line being run when the line ended. It does not embed bytes.Buffer: a
// WriteString or ReadFrom of the buffer's would bypass Write.
type originWriter struct {
	buf    bytes.Buffer
	cur    int
	origin []int
}

func (w *originWriter) Write(p []byte) (int, error) {
	for n := bytes.Count(p, []byte{'\n'}); n > 0; n-- {
		w.origin = append(w.origin, w.cur)
	}
	return w.buf.Write(p)
}

// goldenWrite is writeAtomic's wording for fssim test --update. A golden is
// a file of its own: a symbolic link is reported and left alone, not
// written through.
var goldenWrite = writer{verb: "write the golden", noLinks: true}

// WriteGolden writes a golden file as save writes a scenario: a temporary
// file in the same folder, synced and renamed over it, so a full disk
// leaves the old golden whole. Only a regular file or a missing name is
// written; anything else (a symbolic link, a folder, a named pipe, a
// device) is left alone and the error says what it is.
func WriteGolden(path string, data []byte) error {
	return writeAtomic(OSFiles{}, path, string(data), true, goldenWrite)
}

// scenarioFiles is Files for a scenario under fssim test, so that a test
// never writes into the caller's folders: everything it writes (save,
// export) lands in a scratch folder, relative and absolute names alike
// (RootedFiles), which fssim test removes after the scenario. What it reads
// (load, source) is looked for in the scratch folder first, so a scenario
// can load what it saved, then relative to the scenario's own folder, so a
// lesson loads its parts from wherever fssim test is run.
type scenarioFiles struct {
	dir     string // the scenario's folder
	scratch RootedFiles
}

// read is the name a read of name opens: in the scratch folder if the
// scenario wrote it, else as the scenario names it, from its folder.
func (f scenarioFiles) read(name string) string {
	if _, err := os.Lstat(f.scratch.path(name)); err == nil {
		return f.scratch.path(name)
	}
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(f.dir, name)
}

func (f scenarioFiles) Open(name string) (io.ReadCloser, error) { return OpenScenario(f.read(name)) }
func (f scenarioFiles) Stat(name string) (fs.FileInfo, error)   { return os.Stat(f.read(name)) }
func (f scenarioFiles) Lstat(name string) (fs.FileInfo, error)  { return f.scratch.Lstat(name) }
func (f scenarioFiles) Readlink(name string) (string, error)    { return f.scratch.Readlink(name) }
func (f scenarioFiles) Rename(oldpath, newpath string) error {
	return f.scratch.Rename(oldpath, newpath)
}
func (f scenarioFiles) Remove(name string) error       { return f.scratch.Remove(name) }
func (f scenarioFiles) RemoveStale(dir, prefix string) { f.scratch.RemoveStale(dir, prefix) }
func (f scenarioFiles) SyncDir(dir string) error       { return f.scratch.SyncDir(dir) }
func (f scenarioFiles) CreateTemp(dir, pattern string) (TempFile, error) {
	return f.scratch.CreateTemp(dir, pattern)
}

// Scenario is a .fss file and the .golden file beside it, or, with Orphan
// set, a .golden file whose .fss is gone.
type Scenario struct {
	Path   string // X.fss
	Golden string // X.golden
	Orphan bool   // Golden exists but Path does not
}

// FindScenarios lists the scenarios under each path (a .fss file, or a folder
// searched recursively), sorted by path. Every .fss is a scenario, with or
// without its golden (CheckScenario reports a missing one). A .golden found
// in a folder with no .fss beside it is listed as an orphan. A file reached
// twice (named twice, or through a folder and by name, or as ./x.fss and
// x.fss) is listed once, under the first name it was reached by.
func FindScenarios(paths []string) ([]Scenario, error) {
	seen := map[string]bool{} // cleaned absolute paths
	var out []Scenario
	first := func(p string) bool {
		key, err := filepath.Abs(p)
		if err != nil {
			key = filepath.Clean(p)
		}
		if seen[key] {
			return false
		}
		seen[key] = true
		return true
	}
	add := func(p string) {
		if first(p) {
			out = append(out, Scenario{Path: p, Golden: strings.TrimSuffix(p, ".fss") + ".golden"})
		}
	}
	orphan := func(g string) {
		p := strings.TrimSuffix(g, ".golden") + ".fss"
		if _, err := os.Stat(p); err == nil {
			return
		}
		if first(g) {
			out = append(out, Scenario{Path: p, Golden: g, Orphan: true})
		}
	}
	for _, root := range paths {
		st, err := os.Stat(root)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			if !strings.HasSuffix(root, ".fss") {
				return nil, fmt.Errorf("%s is not a .fss scenario", ShowName(root))
			}
			add(root)
			continue
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir():
			case strings.HasSuffix(p, ".fss"):
				add(p)
			case strings.HasSuffix(p, ".golden"):
				orphan(p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// Check is the outcome of one scenario under fssim test.
type Check struct {
	Scenario
	Got     []byte
	Want    []byte // the golden, CRLF line endings read as LF
	Missing bool   // no golden yet
	// GoldenErr: the golden is there but cannot be read (a folder, a
	// named pipe, no permission, a link to nothing); it says why.
	GoldenErr error
	Failed    int    // lines that failed unexpectedly
	Err       error  // reading the scenario failed
	Diff      string // unified diff, golden to actual, when they differ
}

// OK reports whether the scenario ran clean and matched its golden.
func (c Check) OK() bool {
	return c.Err == nil && c.GoldenErr == nil && !c.Orphan && !c.Missing && c.Failed == 0 && bytes.Equal(c.Got, c.Want)
}

// CheckScenario runs one scenario and compares it with its golden file. An
// orphan golden is not run: the Check only carries Orphan. The diff is
// colored with th, and each hunk header names the scenario line that its
// first change comes from.
//
// A golden checked out with CRLF line endings (Git for Windows, autocrlf)
// matches the LF transcript: each CRLF in it is read as LF before comparing.
// Only line endings are touched: a CR not followed by LF is content.
func CheckScenario(sc Scenario, th render.Theme) Check {
	c := Check{Scenario: sc}
	if sc.Orphan {
		return c
	}
	text, err := readScenario(sc.Path)
	if err != nil {
		c.Err = readErr(err)
		return c
	}
	name := filepath.ToSlash(sc.Path)
	scratch, err := os.MkdirTemp("", "fssim-test-")
	if err != nil {
		c.Err = err
		return c
	}
	defer os.RemoveAll(scratch)
	files := scenarioFiles{dir: filepath.Dir(sc.Path), scratch: RootedFiles{Root: scratch}}
	got, origin, res, err := transcript(bytes.NewReader(text), name, files)
	c.Got, c.Failed, c.Err = got, res.Failed, err
	want, err := readScenario(sc.Golden)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, lerr := os.Lstat(sc.Golden); lerr == nil {
			c.GoldenErr = errors.New("it is a symbolic link to a file that does not exist")
			return c
		}
		c.Missing = true
		return c
	case err != nil:
		c.GoldenErr = readErr(err)
		return c
	}
	c.Want = bytes.ReplaceAll(want, []byte("\r\n"), []byte("\n"))
	if !bytes.Equal(got, c.Want) {
		lines := scenarioLines(string(text))
		label := func(gotLine int) string {
			if gotLine < 0 || gotLine >= len(origin) || origin[gotLine] < 1 || origin[gotLine] > len(lines) {
				return ""
			}
			n := origin[gotLine]
			return fmt.Sprintf("%s:%d: %s", ShowName(name), n, shortLine(lines[n-1]))
		}
		c.Diff = unifiedDiff(ShowName(sc.Golden), ShowName(name)+" (actual)", string(c.Want), string(got), th, label)
	}
	return c
}

// readScenario reads a whole scenario or golden: a regular file of at most
// MaxFileSize bytes (OpenScenario), so a named pipe or a link to a device
// fails at once instead of hanging or filling the memory.
func readScenario(name string) ([]byte, error) {
	f, err := OpenScenario(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// readErr is a read error without the operation and path around it: the
// caller names the file.
func readErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, syscall.EISDIR) {
			return notRegular{"a folder"}
		}
		if errors.Is(pe.Err, fs.ErrPermission) {
			return errors.New("permission denied")
		}
		return pe.Err
	}
	return err
}

// scenarioLines splits a scenario into lines numbered as RunScript numbers
// them: split at LF, a CR before it and a BOM at the start dropped, blanks
// around each line trimmed.
func scenarioLines(text string) []string {
	lines := strings.Split(strings.TrimPrefix(text, "\uFEFF"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(strings.TrimSuffix(l, "\r"))
	}
	return lines
}

// maxLabel is how much of a scenario line a hunk header shows.
const maxLabel = 60

// shortLine is a scenario line as a hunk header shows it: terminal-safe and
// cut to maxLabel bytes at a character boundary.
func shortLine(line string) string {
	if len(line) <= maxLabel {
		return render.Clean(line)
	}
	cut := maxLabel
	for cut > 0 && !utf8.RuneStart(line[cut]) {
		cut--
	}
	return render.Clean(line[:cut]) + "…"
}

// UnifiedDiff returns a unified diff with three lines of context between two
// texts, or "" if they are equal.
func UnifiedDiff(nameA, nameB, a, b string) string {
	return unifiedDiff(nameA, nameB, a, b, render.Theme{}, nil)
}

// unifiedDiff is UnifiedDiff colored with th: file headers bold, hunk
// headers, removed and added lines each in their color. If label is set,
// each hunk header is followed by label(i), where i is the line of b (from
// 0) that the hunk's first change belongs to: its first added line, or for
// a change that only removes lines, the line of b just before the removal
// (the output the removed lines used to follow). Lines are shown
// terminal-safe (render.Clean), so a stray CR or escape byte is visible.
func unifiedDiff(nameA, nameB, a, b string, th render.Theme, label func(int) string) string {
	if a == b {
		return ""
	}
	la, lb := splitLines(a), splitLines(b)
	ops := diffLines(la, lb)
	var out strings.Builder
	out.WriteString(th.Bold("--- "+nameA) + "\n" + th.Bold("+++ "+nameB) + "\n")
	const ctx = 3
	// Group ops into hunks around changes.
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(0, i-ctx)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run-end > 2*ctx || run == len(ops) {
				end = min(run, end+ctx)
				break
			}
			end = run
		}
		aStart, bStart, aN, bN := ops[start].a, ops[start].b, 0, 0
		var body strings.Builder
		for _, op := range ops[start:end] {
			switch op.kind {
			case ' ':
				aN++
				bN++
				body.WriteString(" " + render.Clean(la[op.a]) + "\n")
			case '-':
				aN++
				body.WriteString(th.DiffDel("-"+render.Clean(la[op.a])) + "\n")
			case '+':
				bN++
				body.WriteString(th.DiffAdd("+"+render.Clean(lb[op.b])) + "\n")
			}
		}
		out.WriteString(th.DiffHunk(fmt.Sprintf("@@ -%d,%d +%d,%d @@", aStart+1, aN, bStart+1, bN)))
		if label != nil {
			if l := label(changeLine(ops[i:end])); l != "" {
				out.WriteString(" " + l)
			}
		}
		out.WriteString("\n" + body.String())
		i = end
	}
	return out.String()
}

// changeLine returns the line of b that the change starting at ops[0]
// belongs to: its first added line, or, if it only removes lines, the line
// of b before the removal (the first line, if the removal is at the top).
func changeLine(ops []diffOp) int {
	for _, op := range ops {
		switch op.kind {
		case '+':
			return op.b
		case ' ':
			return max(0, ops[0].b-1)
		}
	}
	return max(0, ops[0].b-1)
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

type diffOp struct {
	kind byte // ' ', '-', '+'
	a, b int  // line indexes in a and b at this op
}

// diffLines is a longest-common-subsequence line diff. Goldens are small;
// for very large inputs it trims the common head and tail first.
func diffLines(a, b []string) []diffOp {
	var ops []diffOp
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		ops = append(ops, diffOp{' ', head, head})
		head++
	}
	ta, tb := len(a), len(b)
	for ta > head && tb > head && a[ta-1] == b[tb-1] {
		ta--
		tb--
	}
	ma, mb := a[head:ta], b[head:tb]
	if len(ma)*len(mb) > 4_000_000 {
		// Too big to align: show it as a replacement.
		for i := range ma {
			ops = append(ops, diffOp{'-', head + i, head})
		}
		for j := range mb {
			ops = append(ops, diffOp{'+', head + len(ma), head + j})
		}
	} else {
		lcs := make([][]int32, len(ma)+1)
		for i := range lcs {
			lcs[i] = make([]int32, len(mb)+1)
		}
		for i := len(ma) - 1; i >= 0; i-- {
			for j := len(mb) - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < len(ma) || j < len(mb) {
			switch {
			case i < len(ma) && j < len(mb) && ma[i] == mb[j]:
				ops = append(ops, diffOp{' ', head + i, head + j})
				i++
				j++
			case i < len(ma) && (j == len(mb) || lcs[i+1][j] >= lcs[i][j+1]):
				ops = append(ops, diffOp{'-', head + i, head + j})
				i++
			default:
				ops = append(ops, diffOp{'+', head + i, head + j})
				j++
			}
		}
	}
	for k := 0; ta+k < len(a); k++ {
		ops = append(ops, diffOp{' ', ta + k, tb + k})
	}
	return ops
}
