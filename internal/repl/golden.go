package repl

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/fssim/fssim/internal/render"
)

// Transcript runs a scenario in a fresh session with color off, running on
// past failing lines, and returns what it printed. This is what a .golden
// file holds.
func Transcript(r io.Reader, name string) ([]byte, ScriptResult, error) {
	var out bytes.Buffer
	s := NewSession(&out, render.NewTheme(false))
	res, err := s.RunScript(r, ScriptOptions{Name: name, KeepGoing: true, Echo: true})
	return out.Bytes(), res, err
}

// Scenario is a .fss file and the .golden file beside it.
type Scenario struct {
	Path   string // X.fss
	Golden string // X.golden
}

// FindScenarios lists the scenarios under each path (a .fss file, or a folder
// searched recursively), sorted. With all set, a .fss without a .golden
// counts too (fssim test --update creates it); otherwise it is skipped.
func FindScenarios(paths []string, all bool) ([]Scenario, error) {
	seen := map[string]bool{}
	var out []Scenario
	add := func(p string) {
		g := strings.TrimSuffix(p, ".fss") + ".golden"
		if seen[p] {
			return
		}
		if _, err := os.Stat(g); err != nil && !all {
			return
		}
		seen[p] = true
		out = append(out, Scenario{Path: p, Golden: g})
	}
	for _, root := range paths {
		st, err := os.Stat(root)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			if !strings.HasSuffix(root, ".fss") {
				return nil, fmt.Errorf("%s is not a .fss scenario", root)
			}
			add(root)
			continue
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(p, ".fss") {
				add(p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// Check is the outcome of one scenario under fssim test.
type Check struct {
	Scenario
	Got     []byte
	Want    []byte
	Missing bool   // no golden yet
	Failed  int    // lines that failed unexpectedly
	Err     error  // reading the scenario failed
	Diff    string // unified diff, golden to actual, when they differ
}

// OK reports whether the scenario ran clean and matched its golden.
func (c Check) OK() bool {
	return c.Err == nil && !c.Missing && c.Failed == 0 && bytes.Equal(c.Got, c.Want)
}

// CheckScenario runs one scenario and compares it with its golden file.
func CheckScenario(sc Scenario) Check {
	c := Check{Scenario: sc}
	f, err := os.Open(sc.Path)
	if err != nil {
		c.Err = err
		return c
	}
	defer f.Close()
	got, res, err := Transcript(f, filepath.ToSlash(sc.Path))
	c.Got, c.Failed, c.Err = got, res.Failed, err
	want, err := os.ReadFile(sc.Golden)
	if err != nil {
		c.Missing = true
		return c
	}
	c.Want = want
	if !bytes.Equal(got, want) {
		c.Diff = UnifiedDiff(sc.Golden, filepath.ToSlash(sc.Path)+" (actual)", string(want), string(got))
	}
	return c
}

// UnifiedDiff returns a unified diff with three lines of context between two
// texts, or "" if they are equal.
func UnifiedDiff(nameA, nameB, a, b string) string {
	if a == b {
		return ""
	}
	la, lb := splitLines(a), splitLines(b)
	ops := diffLines(la, lb)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", nameA, nameB)
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
				body.WriteString(" " + la[op.a] + "\n")
			case '-':
				aN++
				body.WriteString("-" + la[op.a] + "\n")
			case '+':
				bN++
				body.WriteString("+" + lb[op.b] + "\n")
			}
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n%s", aStart+1, aN, bStart+1, bN, body.String())
		i = end
	}
	return out.String()
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
