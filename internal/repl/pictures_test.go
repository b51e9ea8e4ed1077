package repl

import (
	"errors"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
)

// TestExportWritesFilesAsSaveDoes: export with FILE goes through
// writeAtomic: the file holds what export prints, an existing file is
// kept without --force and replaced with it, a failed write leaves the old
// file, and --force without FILE is a usage error.
func TestExportWritesFilesAsSaveDoes(t *testing.T) {
	s, out, m := histSession(map[string]string{"old.svg": "old"})
	mustExec(t, s, richLab...)
	out.Reset()
	mustExec(t, s, "export mermaid")
	printed := out.String()
	out.Reset()
	mustExec(t, s, "export mermaid lab.mmd")
	if m.files["lab.mmd"] != printed {
		t.Errorf("lab.mmd holds something other than what export mermaid prints")
	}
	if got := out.String(); got != "exported 16 stacks as mermaid to lab.mmd\n" {
		t.Errorf("export said %q", got)
	}
	mustExec(t, s, "export dot c: c.dot")
	if !strings.Contains(m.files["c.dot"], `subgraph cluster_s_C`) || strings.Contains(m.files["c.dot"], "cluster_cdos") {
		t.Errorf("export dot c: c.dot drew more or less than C:\n%s", m.files["c.dot"])
	}

	err := s.Exec("export svg old.svg")
	if !errors.Is(err, ErrFileExists) || m.files["old.svg"] != "old" ||
		!strings.Contains(err.Error(), "old.svg exists: export svg old.svg --force replaces it") {
		t.Errorf("export over a file without --force: %v; file %q", err, m.files["old.svg"])
	}
	m.failRenam = true
	if err := s.Exec("export svg old.svg --force"); !errors.Is(err, ErrFile) || m.files["old.svg"] != "old" {
		t.Errorf("a failed export: %v; file %q", err, m.files["old.svg"])
	}
	m.failRenam = false
	mustExec(t, s, "export svg old.svg --force")
	if !strings.HasPrefix(m.files["old.svg"], "<?xml") {
		t.Errorf("export --force did not replace old.svg")
	}
	if err := s.Exec("export svg C: --force"); !errors.Is(err, ErrUsage) {
		t.Errorf("--force without FILE: %v", err)
	}
	if err := s.Exec("export svg Q: q.svg"); !errors.Is(err, engine.ErrNoSuchDevice) {
		t.Errorf("export of a missing stack: %v", err)
	}
	if _, ok := m.files["q.svg"]; ok {
		t.Error("a refused export wrote its file")
	}
}
