package repl

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/fssim/fssim/internal/engine"
)

// The built-in lessons: scenarios embedded in the binary, each with its
// golden transcript beside it in lessons/ (TestGolden checks them). A
// lesson's first line is a comment, its title; a step is a paragraph of
// comments and the verbs under it; the last line is "# Try next: ...".
//
//go:embed lessons/*.fss
var lessons embed.FS

// lessonOrder is the order lesson list shows the lessons in: the tour, the
// seed page's sentences in the page's order, the mechanisms, Filter
// Manager, then the classic bugs. TestLessonsListed checks it names every lesson file.
var lessonOrder = []string{
	"tour",
	// The seed sentences (MODEL.md), one lesson each.
	"notify", "choose", "never-register", "on-command", "after-mount", "not-on-vdo", "below-command",
	// Mechanisms.
	"recognizer", "remount", "detach-middle", "irp", "w2k",
	// Filter Manager: minifilters beside legacy filters (rules 26 to 28).
	"minifilters",
	// Classic bugs (domain facts §8).
	"no-enumerate", "register-twice", "raw", "skip-recognizer", "unload", "stale-routine",
}

// Lesson returns a built-in lesson's scenario by name ("tour").
func Lesson(name string) (string, bool) {
	if !containsFold(lessonOrder, name) {
		return "", false
	}
	b, err := lessons.ReadFile("lessons/" + strings.ToLower(name) + ".fss")
	if err != nil {
		return "", false
	}
	return string(b), true
}

// LessonNames lists the built-in lessons in the order lesson list shows.
func LessonNames() []string { return append([]string(nil), lessonOrder...) }

// lessonNames is completion's list: the built-in lessons, the course's, and
// list.
func lessonNames(s *Session) []string { return append(s.allLessons(), "list") }

// CourseLesson is a lesson of a course (fssim --lessons DIR): a scenario
// file played beside the built-in lessons.
type CourseLesson struct {
	Name string // the file's name without .fss, in lower case
	Text string
}

// LoadCourse reads the *.fss files of dir as lessons, by name. A name that
// is a built-in lesson's, or two files whose names differ only in case,
// is an error that names the file.
func LoadCourse(dir string) ([]CourseLesson, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fileErr("cannot read the lessons in "+showPath(dir), dir, err)
	}
	if !st.IsDir() {
		return nil, errorf(ErrFile, "--lessons %s: not a folder; it takes a folder of .fss lesson files", showPath(dir))
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.fss"))
	if err != nil {
		return nil, errorf(ErrFile, "--lessons %s: %v", showPath(dir), err)
	}
	if len(paths) == 0 {
		return nil, errorf(ErrFile, "--lessons %s: no .fss file in it", showPath(dir))
	}
	sort.Strings(paths)
	var out []CourseLesson
	seen := map[string]string{}
	for _, p := range paths {
		name := strings.ToLower(strings.TrimSuffix(filepath.Base(p), filepath.Ext(p)))
		if containsFold(lessonOrder, name) {
			return nil, errorf(ErrUsage, "course lesson %s has the name of a built-in lesson, %s; rename the file", showPath(p), name)
		}
		if other, ok := seen[name]; ok {
			return nil, errorf(ErrUsage, "course lessons %s and %s have the same name, %s; rename one", showPath(other), showPath(p), name)
		}
		seen[name] = p
		f, err := OpenScenario(p)
		if err != nil {
			return nil, fileErr("cannot read the lesson "+showPath(p), p, err)
		}
		b, err := io.ReadAll(io.LimitReader(f, maxStepText+1))
		f.Close()
		if err != nil {
			return nil, fileErr("cannot read the lesson "+showPath(p), p, err)
		}
		if len(b) > maxStepText {
			return nil, errorf(ErrFile, "the lesson %s is longer than %d MiB", showPath(p), maxStepText>>20)
		}
		out = append(out, CourseLesson{Name: name, Text: string(b)})
	}
	return out, nil
}

// lesson is a lesson's text by name: a built-in one or the course's.
func (s *Session) lesson(name string) (string, bool) {
	if text, ok := Lesson(name); ok {
		return text, true
	}
	for _, c := range s.Course {
		if strings.EqualFold(c.Name, name) {
			return c.Text, true
		}
	}
	return "", false
}

// allLessons names the built-in lessons, then the course's.
func (s *Session) allLessons() []string {
	out := LessonNames()
	for _, c := range s.Course {
		out = append(out, c.Name)
	}
	return out
}

// LessonTitle is a lesson's title: its first line, a comment.
func LessonTitle(text string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(text, "\uFEFF"), "\n")
	first = strings.TrimSpace(strings.TrimSuffix(first, "\r"))
	if !strings.HasPrefix(first, "#") {
		return ""
	}
	return strings.TrimSpace(strings.TrimPrefix(first, "#"))
}

// lessonSteps returns the lines at which a lesson's steps after the first
// start: each comment line that follows a verb line, when a verb line comes
// after it (the closing "Try next" comment starts no step).
func lessonSteps(text string) map[int]bool {
	lines := scenarioLines(text)
	steps := map[int]bool{}
	afterVerb, pending := false, 0
	for i, l := range lines {
		switch {
		case l == "":
		case strings.HasPrefix(l, "#"):
			if afterVerb {
				pending, afterVerb = i+1, false
			}
		default:
			if pending > 0 {
				steps[pending] = true
				pending = 0
			}
			afterVerb = true
		}
	}
	return steps
}

// printLessons is lesson list.
func (s *Session) printLessons() {
	var b strings.Builder
	w := 0
	for _, n := range s.allLessons() {
		w = max(w, len(n))
	}
	for _, n := range lessonOrder {
		text, _ := Lesson(n)
		fmt.Fprintf(&b, "  %-*s  %s\n", w, n, LessonTitle(text))
	}
	if len(s.Course) > 0 {
		b.WriteString("\nthe course's lessons (--lessons):\n")
		for _, c := range s.Course {
			fmt.Fprintf(&b, "  %-*s  %s\n", w, c.Name, LessonTitle(c.Text))
		}
	}
	b.WriteString("\nlesson NAME plays one; lesson NAME --step pauses after each step at a terminal.\n")
	io.WriteString(s.Out, b.String())
}

// lessonVerb is lesson [list|NAME] [--step].
func (s *Session) lessonVerb(c *Call) error {
	name := strings.ToLower(c.Arg(0))
	if name == "" || name == "list" {
		if c.Bool("step") {
			return usageErr(c.Verb, "lesson: --step needs a lesson's name (lesson list lists them)")
		}
		s.printLessons()
		return nil
	}
	if _, ok := s.lesson(name); !ok {
		msg := fmt.Sprintf("no lesson %s", quoteWord(c.Arg(0)))
		if sg := suggest(name, s.allLessons()); sg != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", sg)
		} else {
			msg += " (lesson list lists them)"
		}
		return errorf(engine.ErrBadValue, "%s", msg)
	}
	return s.runLesson(name, c.Bool("step"))
}

// lessonProfile is the profile a lesson runs on: the one its first verb
// line sets (os win7), or xp.
func lessonProfile(text string) engine.Profile {
	for _, l := range scenarioLines(text) {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Fields(l)
		if len(f) == 2 && strings.EqualFold(f[0], "os") {
			if p, err := engine.ParseProfile(f[1]); err == nil {
				return p
			}
		}
		break
	}
	return engine.XP
}

// lessonMark is where the last lesson's verbs lie in the history, so that
// undo right after it takes the whole lesson back.
type lessonMark struct {
	start, end int // the history's length before and after the lesson
	changes    int // s.changes after it: anything since makes the mark stale
	what       string
}

// lessonLab makes the lab the one every lesson starts from, the boot state
// of xp with no policy (the lesson's own os line, if any, then sets its
// profile as its golden shows). It runs the verbs that get there, reset and
// os xp, as the teacher would, quietly, so they join the history and undo
// can take them back; then it says so in one line. A lab already there is
// left alone and nothing is printed.
func (s *Session) lessonLab(what string, p engine.Profile) error {
	var steps []string
	if s.Eng.NotBootState() != "" {
		steps = append(steps, "reset")
	}
	if s.Eng.Profile() != engine.XP || s.Eng.BlockLegacy() {
		steps = append(steps, "os xp")
	}
	if len(steps) == 0 {
		return nil
	}
	out := s.Out
	s.Out = io.Discard
	defer func() { s.Out = out }()
	for _, v := range steps {
		if err := s.exec(strings.Fields(v), v, s.at); err != nil {
			return err
		}
	}
	s.Out = out
	if p == engine.XP {
		fmt.Fprintf(s.Out, "%s runs on a fresh %s lab (%s), so it ran %s first; undo right after it brings your lab back\n",
			what, p, p.Title(), strings.Join(steps, ", "))
	} else {
		// The lesson's own os line sets its profile from xp's boot state.
		fmt.Fprintf(s.Out, "%s runs on a fresh %s lab (%s): it ran %s first, and its first line sets %s; undo right after it brings your lab back\n",
			what, p, p.Title(), strings.Join(steps, ", "), p)
	}
	return nil
}

// runLesson plays a built-in lesson in this session, from its own boot
// state and profile (lessonLab). Its verbs join the history as any
// script's do, and undo right after the lesson takes them all back. With
// step and someone at a terminal to ask (the lesson verb's origin.ask), it
// pauses after each step; q (or Ctrl-D) stops it there, and the lab stays
// as the steps so far built it.
func (s *Session) runLesson(name string, step bool) error {
	what := "lesson " + name
	if name == "tour" {
		what = "the tour"
	}
	text, _ := s.lesson(name)
	start := s.hist.len()
	defer func() {
		if !s.hist.full && s.hist.len() > start {
			s.lastLesson = lessonMark{start: start, end: s.hist.len(), changes: s.changes, what: what}
		}
	}()
	if err := s.lessonLab(what, lessonProfile(text)); err != nil {
		return err
	}
	s.markBoot("at the start of " + what)
	// The lesson runs under its file's name, so explain names its lines
	// as the golden beside it does (tour.fss:12).
	opt := ScriptOptions{Name: name + ".fss", Echo: true}
	var ask func(string) (string, error)
	if step {
		ask = s.at.ask
	}
	pc := s.newPacer(text, ask)
	defer pc.done() // a panic in a verb must not leave the session printing into the pacer
	opt.Step = pc.step
	last := 0
	opt.Line = func(n int) { last = n }
	res, err := s.RunScript(strings.NewReader(text), opt)
	pc.done()
	quit, at, total := pc.quit, pc.at, pc.total()
	if errors.Is(err, ErrInterrupted) {
		return fmt.Errorf("%w: %s stopped at %s.fss:%d; the lab stays as the lines before built it (lesson %s starts it again; undo takes it back)",
			ErrInterrupted, what, name, last, name)
	}
	if err == nil && res.Failed > 0 {
		if _, builtin := Lesson(name); builtin {
			err = errorf(ErrUsage, "%s failed (this is a bug in fssim)", what)
		} else {
			// A course's lesson: the file is its author's to fix.
			err = errorf(ErrLoadFailed, "%s failed at %s.fss:%d, a line of the course's lesson file (--lessons): fix that line, then lesson %s again",
				what, name, last, name)
		}
	}
	if err == nil && quit {
		fmt.Fprintf(s.Out, "\n%s stopped after step %d of %d; the lab stays as those steps built it (lesson %s starts it again; undo takes it back)\n",
			what, at, total, name)
	}
	return err
}
