package repl

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCourseLessons: a course folder's *.fss files are lessons beside the
// built-in ones: lesson list shows them with their titles, lesson NAME
// plays them, Tab completes them; a name clash with a built-in lesson, a
// missing folder or an empty one is a clear error.
func TestCourseLessons(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("Intro.fss", "# Our first lab\n# ntfs\nfs register ntfs\n\n# a filter\nfilter load av --notify\n")
	write("notes.txt", "not a lesson")
	course, err := LoadCourse(dir)
	if err != nil || len(course) != 1 || course[0].Name != "intro" {
		t.Fatalf("LoadCourse = %v, %v", course, err)
	}
	ss := newScreenSession(80, 100)
	ss.Ask = nil
	ss.Course = course
	mustExec(t, ss.Session, "lesson list")
	if !strings.Contains(ss.out.String(), "intro") || !strings.Contains(ss.out.String(), "Our first lab") {
		t.Errorf("lesson list does not show the course:\n%s", ss.out.String())
	}
	mustExec(t, ss.Session, "lesson intro")
	if h := hist(ss.Session); !slices.Equal(h, []string{"fs register ntfs", "filter load av --notify"}) {
		t.Errorf("lesson intro: history %q", h)
	}
	if _, cands := ss.Complete("lesson in"); !slices.Contains(cands, "intro") {
		t.Errorf("Tab after lesson in: %q", cands)
	}
	if err := ss.Exec("lesson intr"); err == nil || !strings.Contains(err.Error(), "did you mean intro?") {
		t.Errorf("lesson intr: %v", err)
	}

	write("tour.fss", "# mine\nfs register ntfs\n")
	if _, err := LoadCourse(dir); err == nil || !strings.Contains(err.Error(), "has the name of a built-in lesson, tour; rename the file") {
		t.Errorf("a clash with the tour: %v", err)
	}
	if _, err := LoadCourse(filepath.Join(dir, "nosuch")); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("a missing folder: %v", err)
	}
	if _, err := LoadCourse(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no .fss file") {
		t.Errorf("an empty folder: %v", err)
	}
}

// TestCourseLessonFailsAsTheAuthors: a course lesson whose line fails is
// the course author's to fix, not a bug in fssim: the error names the
// lesson file's line and the kind is load-failed. A lesson on another
// profile says, when it resets the lab, that its own first line sets it.
func TestCourseLessonFailsAsTheAuthors(t *testing.T) {
	dir := t.TempDir()
	text := "# A win7 lab\n# a mistake on line 5\nos win7\nfs register ntfs\nfilter load av --notify --ex --mount-aware\n"
	if err := os.WriteFile(filepath.Join(dir, "w7.fss"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	course, err := LoadCourse(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, buf := newTestSession()
	s.Course = course
	mustExec(t, s, "fs register ntfs")
	buf.Reset()
	err = s.Exec("lesson w7")
	if !errors.Is(err, ErrLoadFailed) || !strings.Contains(err.Error(), "w7.fss:5") || strings.Contains(err.Error(), "bug in fssim") {
		t.Errorf("lesson w7: want a load-failed error naming w7.fss:5, got %v", err)
	}
	first, _, _ := strings.Cut(buf.String(), "\n")
	if !strings.Contains(first, "fresh win7 lab") || !strings.Contains(first, "its first line sets win7") {
		t.Errorf("the reset line: %q", first)
	}
}
