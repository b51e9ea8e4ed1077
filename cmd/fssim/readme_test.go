package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/fssim/fssim/internal/repl"
)

// TestReadmeVerbReference fails when the README's verb reference and the
// verb table disagree: every verb's usage line must appear in it.
func TestReadmeVerbReference(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, v := range repl.Verbs() {
		if !strings.Contains(readme, "`"+v.Usage()+"`") {
			t.Errorf("README.md lacks the usage of %q: `%s`", v.Name, v.Usage())
		}
	}
	lines := strings.SplitN(readme, "\n", 6)
	if len(lines) < 5 || !strings.Contains(lines[3], "go run ./cmd/fssim") || !strings.Contains(lines[4], "make test") {
		t.Errorf("README must start with the two commands (run fssim; run all tests)")
	}
}

// TestReadmeErrorKinds: the README names every kind a '! [KIND]' line may
// expect.
func TestReadmeErrorKinds(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range repl.ErrorKindNames() {
		if !strings.Contains(string(b), "`"+k+"`") {
			t.Errorf("README.md does not list the error kind %q", k)
		}
	}
}

// mdLink is a Markdown link's target: [text](target).
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestDocsStayInsideTheRepository: a reader of a clone has this repository
// and nothing beside it, so the README, docs/ and the engine's doc comment
// point at no ../ path, no absolute path, and no relative link that is not
// a file of the repository.
func TestDocsStayInsideTheRepository(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"README.md", "internal/engine/doc.go"}
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil || len(docs) == 0 {
		t.Fatalf("docs/*.md: %v (found %d)", err, len(docs))
	}
	for _, d := range docs {
		rel, _ := filepath.Rel(root, d)
		files = append(files, rel)
	}
	for _, name := range files {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, bad := range []string{"../", "..\\", "/work/", "file://", "shared/MODEL.md", "reference/domain-facts.md"} {
				if strings.Contains(line, bad) {
					t.Errorf("%s:%d points outside the repository (%q): %s", name, i+1, bad, line)
				}
			}
			for _, m := range mdLink.FindAllStringSubmatch(line, -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				target, _, _ = strings.Cut(target, "#")
				if filepath.IsAbs(target) {
					t.Errorf("%s:%d links an absolute path: %s", name, i+1, m[1])
					continue
				}
				p := filepath.Join(root, filepath.Dir(name), target)
				if r, err := filepath.Rel(root, p); err != nil || strings.HasPrefix(r, "..") {
					t.Errorf("%s:%d links outside the repository: %s", name, i+1, m[1])
				} else if _, err := os.Stat(p); err != nil {
					t.Errorf("%s:%d links a file the repository lacks: %s", name, i+1, m[1])
				}
			}
		}
	}
}

// TestNoBuildOutputInGit: no executable binary is tracked. A binary such as a
// built gen-scenario is build output: it goes stale, bloats every clone, and
// belongs in .gitignore.
func TestNoBuildOutputInGit(t *testing.T) {
	out, err := exec.Command("git", "-C", "../..", "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if name == "" {
			continue
		}
		f, err := os.Open(filepath.Join("../..", name))
		if err != nil {
			continue // deleted in the work tree
		}
		head := make([]byte, 4)
		n, _ := f.Read(head)
		f.Close()
		h := head[:n]
		if bytes.HasPrefix(h, []byte("\x7fELF")) || bytes.HasPrefix(h, []byte("MZ")) ||
			bytes.HasPrefix(h, []byte{0xcf, 0xfa, 0xed, 0xfe}) || bytes.HasPrefix(h, []byte{0xfe, 0xed, 0xfa, 0xcf}) {
			t.Errorf("%s is an executable binary tracked by git: git rm --cached it and add it to .gitignore", name)
		}
	}
}

// githubAnchor is the anchor GitHub gives a Markdown heading: lower case,
// punctuation other than '-' and '_' dropped, spaces as '-'.
func githubAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestReadmeAnchorsResolve: every in-page link (#anchor) in the README and
// docs/*.md names a heading of its own file, so moving or renaming a
// section cannot leave a reader at a dead link.
func TestReadmeAnchorsResolve(t *testing.T) {
	files, _ := filepath.Glob("../../docs/*.md")
	files = append(files, "../../README.md")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		anchors := map[string]bool{}
		fence := false
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "```") {
				fence = !fence
			}
			if !fence && strings.HasPrefix(line, "#") {
				anchors[githubAnchor(strings.TrimLeft(line, "#"))] = true
			}
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, m := range mdLink.FindAllStringSubmatch(line, -1) {
				if a, ok := strings.CutPrefix(m[1], "#"); ok && !anchors[a] {
					t.Errorf("%s:%d links #%s, which is no heading of the file", filepath.Base(name), i+1, a)
				}
			}
		}
	}
}

// TestReadmeTeachingSection: the README keeps one section a lecturer and a
// course author can start from (issue 16), naming each thing they need.
func TestReadmeTeachingSection(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "\n## Teaching with fssim\n")
	if !ok {
		t.Fatal(`README.md has no "## Teaching with fssim" section`)
	}
	if i := strings.Index(sec, "\n## "); i >= 0 {
		sec = sec[:i]
	}
	for _, want := range []string{"--theme=high-contrast", "--trace=stacks", "--step", "-- more (N lines) --",
		"--lessons DIR", "FSSIM_LESSONS", "expect ", "--junit", "fssim serve", "80x24"} {
		if !strings.Contains(sec, want) {
			t.Errorf("README's Teaching with fssim section does not mention %q", want)
		}
	}
}
