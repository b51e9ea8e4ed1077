package repl

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSaveRebuildsTheLab: save writes what rebuilds the current lab from its
// boot state, and running that file in a fresh session gives the same
// show --json; save --all keeps the whole session (issue 16 point 11).
func TestSaveRebuildsTheLab(t *testing.T) {
	for _, tc := range []struct {
		name, cmds string
		want       []string // the saved verbs
		says       string
	}{
		{"session", "fs register ntfs; mount C:; filter load av --notify",
			[]string{"fs register ntfs", "mount C:", "filter load av --notify"}, "built since the session started"},
		{"reset", "fs register ntfs; mount C:; reset; fs register fastfat; mount D: --format fat",
			[]string{"fs register fastfat", "mount D: --format fat"}, "from its boot state after reset"},
		{"profile", "os win10; policy block-legacy on; fs register ntfs; mount C:; reset; fs register ntfs",
			[]string{"os win10", "policy block-legacy on", "fs register ntfs"}, "after reset"},
		{"lesson", "fs register fastfat; fs unregister fastfat; lesson tour",
			nil, "at the start of the tour"},
		{"quiz", "fs register ntfs; reset; quiz --seed 3 --answer; undo", nil, "at the start of quiz 3"},
		{"os", "os win7; fs register ntfs", []string{"os win7", "fs register ntfs"}, "after os win7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "lab.fss")
			s, out := newTestSession()
			if r := s.RunCommands(tc.cmds+"; save "+path, ScriptOptions{Name: "-c"}); r.Failed > 0 {
				t.Fatalf("failed:\n%s", out)
			}
			if !strings.Contains(out.String(), tc.says) {
				t.Errorf("save said:\n%s\nwant %q", lastLine(out.String()), tc.says)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			saved := strings.Split(strings.TrimSuffix(strings.TrimPrefix(string(b), saveHeader), "\n"), "\n")
			if tc.want != nil && strings.Join(saved, "|") != strings.Join(tc.want, "|") {
				t.Errorf("saved %q, want %q", saved, tc.want)
			}
			if strings.Contains(string(b), "reset") || strings.Contains(string(b), "lesson") || tc.name == "lesson" && strings.Contains(string(b), "fastfat") {
				t.Errorf("saved what came before the lab's boot state:\n%s", b)
			}
			if got, want := rerun(t, path), showJSON(t, s); got != want {
				t.Errorf("fssim run of the saved file shows\n%s\nthe session shows\n%s", got, want)
			}
		})
	}
}

// TestSaveAll: save --all writes the whole history, and says so.
func TestSaveAll(t *testing.T) {
	path := filepath.Join(t.TempDir(), "all.fss")
	s, out := newTestSession()
	if r := s.RunCommands("fs register ntfs; mount C:; reset; fs register fastfat; save --all "+path, ScriptOptions{Name: "-c"}); r.Failed > 0 {
		t.Fatalf("failed:\n%s", out)
	}
	b, _ := os.ReadFile(path)
	if want := saveHeader + "fs register ntfs\nmount C:\nreset\nfs register fastfat\n"; string(b) != want {
		t.Errorf("save --all wrote\n%s\nwant\n%s", b, want)
	}
	if !strings.Contains(out.String(), "saved 4 verbs to "+showPath(path)+": the whole session") {
		t.Errorf("save --all said %q", lastLine(out.String()))
	}
}

func rerun(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, out := newTestSession()
	if r, err := s.RunScript(f, ScriptOptions{Name: path}); err != nil || r.Failed > 0 {
		t.Fatalf("fssim run %s: %v\n%s", path, err, out)
	}
	return showJSON(t, s)
}

func showJSON(t *testing.T, s *Session) string {
	t.Helper()
	var b bytes.Buffer
	out := s.Out
	s.Out = &b
	defer func() { s.Out = out }()
	if err := s.Exec("show --json"); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
