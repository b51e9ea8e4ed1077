package repl

import (
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
