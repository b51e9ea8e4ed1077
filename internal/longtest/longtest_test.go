package longtest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// named is a test of the given name that records a failure instead of
// ending.
type named struct {
	testing.TB
	name   string
	failed string
}

func (n *named) Helper()                        {}
func (n *named) Name() string                   { return n.name }
func (n *named) Fatalf(format string, a ...any) { n.failed = fmt.Sprintf(format, a...) }

// TestShortNeedsTheSuffix: a test, or any subtest of it, that asks whether
// -short is set fails unless its top-level name ends in Long.
func TestShortNeedsTheSuffix(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"TestSeedsStayValidLong", true},
		{"TestRobustClosedStdoutLong/tour_|_head_-1", true},
		{"TestSeedsStayValid", false},
		{"TestLongLine", false},
		{"TestRobust/caseLong", false}, // a subtest's name is not what -run 'Long$' matches
	} {
		n := &named{name: tc.name}
		if got := Short(n); got != testing.Short() {
			t.Errorf("%s: Short = %v, testing.Short() = %v", tc.name, got, testing.Short())
		}
		if (n.failed == "") != tc.ok {
			t.Errorf("%s: failed %q, want ok %v", tc.name, n.failed, tc.ok)
		}
		if !tc.ok && !strings.Contains(n.failed, "name it ") {
			t.Errorf("%s: the failure %q does not say what to name it", tc.name, n.failed)
		}
	}
}

// root is the module's folder (this package's is internal/longtest).
func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("no go.mod two folders up from internal/longtest: %v", err)
	}
	return dir
}

// TestOnlyLongtestAsksShort: no Go file of the module outside this package reads
// testing.Short, so every test that -short skips or shortens goes through
// Short and is named for make test's second pass.
func TestOnlyLongtestAsksShort(t *testing.T) {
	dir := root(t)
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != dir && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || filepath.Dir(path) == filepath.Join(dir, "internal", "longtest") {
			return nil
		}
		files++
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p != "testing" {
				continue
			}
			name := "testing"
			if imp.Name != nil {
				name = imp.Name.Name
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Short" {
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == name {
						rel, _ := filepath.Rel(dir, path)
						t.Errorf("%s:%d: testing.Short: use longtest.Short or longtest.Skip, which make sure make test runs the test in full", rel, fset.Position(sel.Pos()).Line)
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("read %d Go files under %s: not the module", files, dir)
	}
}

// TestMakeTestRunsTheLongOnes: make test runs every test under -race
// -short, then the long ones by their suffix.
func TestMakeTestRunsTheLongOnes(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root(t), "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	mk := string(b)
	for _, want := range []string{
		"$(GO) test -race -short -count=1 ./...",
		"$(GO) test -count=1 -run '" + Suffix + "$$' ./...",
	} {
		if !strings.Contains(mk, "\t"+want+"\n") {
			t.Errorf("the Makefile has no recipe line %q", want)
		}
	}
}
