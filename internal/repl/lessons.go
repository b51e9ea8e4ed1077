package repl

import (
	"embed"
	"errors"
	"fmt"
	"io"
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

// lessonNames is LessonNames for completion.
func lessonNames(*Session) []string { return append(LessonNames(), "list") }

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
	for _, n := range lessonOrder {
		w = max(w, len(n))
	}
	for _, n := range lessonOrder {
		text, _ := Lesson(n)
		fmt.Fprintf(&b, "  %-*s  %s\n", w, n, LessonTitle(text))
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
	if _, ok := Lesson(name); !ok {
		msg := fmt.Sprintf("no lesson %s", quoteWord(c.Arg(0)))
		if sg := suggest(name, lessonOrder); sg != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", sg)
		} else {
			msg += " (lesson list lists them)"
		}
		return errorf(engine.ErrBadValue, "%s", msg)
	}
	return s.runLesson(name, c.Bool("step"))
}

// runLesson plays a built-in lesson in this session, from the boot state.
// Its verbs join the history as any script's do. With step and someone at
// a terminal to ask (the lesson verb's origin.ask), it pauses after each
// step; q (or Ctrl-D) stops it there, and the lab stays as the steps so
// far built it.
func (s *Session) runLesson(name string, step bool) error {
	what := "lesson " + name
	if name == "tour" {
		what = "the tour"
	}
	if why := s.Eng.NotBootState(); why != "" {
		return errorf(engine.ErrNotBootState, "%s starts from the boot state, and %s; run reset first", what, why)
	}
	s.markBoot("at the start of " + what)
	text, _ := Lesson(name)
	// The lesson runs under its file's name, so explain names its lines
	// as the golden beside it does (tour.fss:12).
	opt := ScriptOptions{Name: name + ".fss", Echo: true}
	quit, at, total := false, 1, len(lessonSteps(text))+1
	if ask := s.at.ask; step && ask != nil {
		starts := lessonSteps(text)
		opt.Step = func(lineNo int) bool {
			if !starts[lineNo] {
				return true
			}
			answer, err := ask(fmt.Sprintf("[step %d of %d done. Enter: next, q: quit] ", at, total))
			if err != nil || strings.EqualFold(strings.TrimSpace(answer), "q") {
				quit = true
				return false
			}
			at++
			return true
		}
	}
	last := 0
	opt.Line = func(n int) { last = n }
	res, err := s.RunScript(strings.NewReader(text), opt)
	if errors.Is(err, ErrInterrupted) {
		return fmt.Errorf("%w: %s stopped at %s.fss:%d; the lab stays as the lines before built it (reset, then lesson %s, starts it again)",
			ErrInterrupted, what, name, last, name)
	}
	if err == nil && res.Failed > 0 {
		err = errorf(ErrUsage, "%s failed (this is a bug in fssim)", what)
	}
	if err == nil && quit {
		fmt.Fprintf(s.Out, "\n%s stopped after step %d of %d; the lab stays as those steps built it (reset, then lesson %s, starts it again)\n",
			what, at, total, name)
	}
	return err
}
