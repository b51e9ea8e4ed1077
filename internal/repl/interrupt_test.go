package repl

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/render"
)

// interruptAt is an output that calls Interrupt once what the session
// wrote contains at: a Ctrl-C that comes while that verb runs.
type interruptAt struct {
	s   *Session
	at  string
	buf bytes.Buffer
}

func (w *interruptAt) Write(p []byte) (int, error) {
	w.buf.Write(p)
	if w.at != "" && strings.Contains(w.buf.String(), w.at) {
		w.s.Interrupt()
		w.at = ""
	}
	return len(p), nil
}

// TestInterruptStopsNestedLoadKeepingTheLab: Ctrl-C while a load inside a
// load runs a verb lets that verb finish, stops both loads there, and
// keeps every verb that ran, where a failing line would roll the outer
// load back.
func TestInterruptStopsNestedLoadKeepingTheLab(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("outer.fss", "fs register ntfs\nload inner.fss\nmount D:\n")
	write("inner.fss", "mount C:\ndismount C:\nmount C:\n")
	s := NewSession(nil, render.Theme{})
	s.Files = RootedFiles{Root: dir}
	out := &interruptAt{s: s, at: "fssim> dismount C:"}
	s.Out = out
	err := s.Exec("load outer.fss")
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("load interrupted: %v, want ErrInterrupted", err)
	}
	if want := "interrupted: load outer.fss stopped after line 2; the lab keeps the verbs that ran (undo takes them back)"; err.Error() != want {
		t.Errorf("message:\n%s\nwant:\n%s", err, want)
	}
	hist, _ := s.History()
	if want := []string{"fs register ntfs", "mount C:", "dismount C:"}; !slices.Equal(hist, want) {
		t.Errorf("history after the interrupt: %q, want %q", hist, want)
	}
	if !s.ClearInterrupt() || s.ClearInterrupt() {
		t.Errorf("ClearInterrupt does not report and lower the flag")
	}
	if err := s.Exec("undo"); err != nil || !strings.Contains(out.buf.String(), "undid 1 verb: dismount C:") {
		t.Errorf("undo after the interrupt: %v", err)
	}
}

// TestInterruptStopsLesson: Ctrl-C during a lesson stops it after the verb
// running, says at which line, and keeps its lab.
func TestInterruptStopsLesson(t *testing.T) {
	s := NewSession(nil, render.Theme{})
	out := &interruptAt{s: s, at: "fssim> "}
	s.Out = out
	err := s.Exec("lesson tour")
	if !errors.Is(err, ErrInterrupted) || !strings.HasPrefix(err.Error(), "interrupted: the tour stopped at tour.fss:") {
		t.Fatalf("lesson interrupted: %v", err)
	}
	if hist, _ := s.History(); len(hist) != 1 {
		t.Errorf("history after the tour's first verb: %q, want that verb", hist)
	}
}
