package repl

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/render"
)

// screenSession is a session on a screen of w x h whose pauses are
// answered from answers in turn (Enter when they run out); it records each
// prompt and the output printed before it.
type screenSession struct {
	*Session
	out     bytes.Buffer
	prompts []string
	pages   []string // the output between two prompts
	mark    int
}

func newScreenSession(w, h int, answers ...string) *screenSession {
	ss := &screenSession{}
	ss.Session = NewSession(&ss.out, render.NewTheme(false))
	ss.Screen = func() (int, int) { return w, h }
	ss.Ask = func(p string) (string, error) {
		ss.pages = append(ss.pages, ss.out.String()[ss.mark:])
		ss.mark = ss.out.Len()
		ss.prompts = append(ss.prompts, p)
		if len(answers) == 0 {
			return "\n", nil
		}
		a := answers[0]
		answers = answers[1:]
		return a, nil
	}
	return ss
}

func rowsOf(text string, w int) int {
	n := 0
	for _, l := range strings.SplitAfter(text, "\n") {
		if l != "" {
			n += screenRows(strings.TrimSuffix(l, "\n"), w)
		}
	}
	return n
}

// TestStepNeverScrollsItsComment: at 80x24 and at 80x12, every lesson
// played with --step shows at most a screenful less the prompt's row
// between two pauses, each step's pause names its title, a long step
// pauses with "-- more (N lines) --", and answered with Enter the whole
// output is the lesson's played straight through.
func TestStepNeverScrollsItsComment(t *testing.T) {
	for _, h := range []int{24, 12} {
		for _, name := range lessonOrder {
			ss := newScreenSession(80, h)
			if err := ss.Exec("lesson " + name + " --step"); err != nil {
				t.Fatalf("lesson %s: %v", name, err)
			}
			ss.pages = append(ss.pages, ss.out.String()[ss.mark:])
			for i, pg := range ss.pages[:len(ss.pages)-1] {
				if r := rowsOf(pg, 80); r > h-1 {
					t.Errorf("80x%d, lesson %s: %d rows before pause %d (%q): the step's start scrolled away", h, name, r, i+1, ss.prompts[i])
				}
			}
			text, _ := Lesson(name)
			titles := stepTitles(text)
			steps := 0
			for _, p := range ss.prompts {
				if strings.HasPrefix(p, "[step ") {
					if !strings.Contains(p, titles[steps][:min(10, len(titles[steps]))]) || len(p) > 80 {
						t.Errorf("lesson %s: pause %q does not name step %d's title %q in 80 columns", name, p, steps+1, titles[steps])
					}
					steps++
				}
			}
			if steps != len(lessonSteps(text)) {
				t.Errorf("lesson %s: %d step pauses, want %d", name, steps, len(lessonSteps(text)))
			}
			if h == 12 && name == "tour" && !strings.Contains(strings.Join(ss.prompts, "\n"), "-- more (") {
				t.Errorf("80x12, the tour never paused with -- more: %q", ss.prompts)
			}
			// Played straight through on the same screen (tables fitted
			// to its 80 columns, so not the piped golden), it prints the
			// same.
			straight := newScreenSession(80, h)
			straight.Ask = nil
			if err := straight.Exec("lesson " + name); err != nil {
				t.Fatalf("lesson %s: %v", name, err)
			}
			if want := straight.out.String(); ss.out.String() != want {
				t.Errorf("80x%d, lesson %s --step answered with Enter differs from the lesson played straight through:\n%s", h, name, UnifiedDiff("straight", "step", want, ss.out.String()))
			}
		}
	}
}

// TestPauseKeys: at a pause only Enter, Space, n and q act; anything else
// (qhistory) is ignored with a one-line hint and asked again; q at a
// "more" pause stops the lesson there.
func TestPauseKeys(t *testing.T) {
	ss := newScreenSession(80, 100, "qhistory\n", "x\n", " \n", "q\n")
	if err := ss.Exec("lesson detach-middle --step"); err != nil {
		t.Fatal(err)
	}
	out := ss.out.String()
	if c := strings.Count(out, pauseHint); c != 2 {
		t.Errorf("hint printed %d times, want 2:\n%s", c, out)
	}
	if len(ss.prompts) != 4 || !strings.Contains(out, "stopped after step 2 of") {
		t.Errorf("prompts %q; want 4, the last quitting after step 2:\n%s", ss.prompts, out)
	}

	ss = newScreenSession(80, 8, "q\n")
	if err := ss.Exec("tour --step"); err != nil {
		t.Fatal(err)
	}
	if len(ss.prompts) != 1 || !strings.HasPrefix(ss.prompts[0], "-- more (") || !strings.Contains(ss.out.String(), "stopped after step 1 of") {
		t.Errorf("q at the first more: prompts %q:\n%s", ss.prompts, ss.out.String())
	}
	if len(hist(ss.Session)) == 0 {
		t.Error("q at more: the step's verbs ran, so they stay in the history")
	}
}

// keySession is a session whose pauses read keys (Session.Key), pressed
// from keys in turn (Enter when they run out), as a terminal would: the
// keys a pause does not act on are pressed until one it does, and the
// hint is shown at the first of them.
func keySession(t *testing.T, keys ...string) (ss *screenSession, hints *int) {
	ss = newScreenSession(80, 100)
	ss.Ask = func(string) (string, error) {
		t.Fatal("a pause read a line with Ask though the session reads keys")
		return "", nil
	}
	hints = new(int)
	ss.Key = func(prompt, hint string, acts func(string) bool) (string, error) {
		ss.prompts = append(ss.prompts, prompt)
		shown := false
		for {
			k := "\r"
			if len(keys) > 0 {
				k, keys = keys[0], keys[1:]
			}
			if k == "EOF" {
				return "", io.EOF
			}
			if acts(k) {
				return k, nil
			}
			if !shown {
				*hints++
				shown = true
				if hint != pauseKeyHint {
					t.Errorf("hint %q, want %q", hint, pauseKeyHint)
				}
			}
		}
	}
	return ss, hints
}

// TestPauseReadsKeys: where the front end reads keys, a pause goes on at
// Enter, Space, n (and N) and quits at q, Ctrl-C, Ctrl-D or the end of
// input; any other key, and several at once (a paste, even of "q" and
// Enter), does not act, and the pause goes on waiting.
func TestPauseReadsKeys(t *testing.T) {
	for _, tc := range []struct {
		name     string
		keys     []string
		stopped  string // "" when the lesson runs to its end
		prompts  int
		hintsGot int
	}{
		{"Enter and Space", []string{"\r", " "}, "", 2, 0},
		{"n and N", []string{"n", "N"}, "", 2, 0},
		{"q", []string{"q"}, "stopped after step 1 of 3", 1, 0},
		{"Ctrl-C", []string{" ", "\x03"}, "stopped after step 2 of 3", 2, 0},
		{"Ctrl-D", []string{"\x04"}, "stopped after step 1 of 3", 1, 0},
		{"end of input", []string{"EOF"}, "stopped after step 1 of 3", 1, 0},
		{"other keys wait", []string{"x", "\x1b[A", "y", " ", "q"}, "stopped after step 2 of 3", 2, 1},
		{"a paste waits", []string{"q\r", "history\r", "  ", "n"}, "", 2, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ss, hints := keySession(t, tc.keys...)
			if err := ss.Exec("lesson detach-middle --step"); err != nil {
				t.Fatal(err)
			}
			out := ss.out.String()
			if tc.stopped == "" && strings.Contains(out, "stopped after") || tc.stopped != "" && !strings.Contains(out, tc.stopped) {
				t.Errorf("want %q (or no stop):\n%s", tc.stopped, out)
			}
			if len(ss.prompts) != tc.prompts || *hints != tc.hintsGot {
				t.Errorf("%d pauses and %d hints, want %d and %d: %q", len(ss.prompts), *hints, tc.prompts, tc.hintsGot, ss.prompts)
			}
			if strings.Contains(out, pauseHint) {
				t.Errorf("a pause reading keys printed the hint for lines:\n%s", out)
			}
		})
	}
}

// TestStepScriptShowsTheLastStep: a file stepped through (fssim run
// --step) shows its last step too, and the session's output is where it
// was after it, still recording.
func TestStepScriptShowsTheLastStep(t *testing.T) {
	ss := newScreenSession(80, 100)
	before := ss.Out
	_, stopped, err := ss.StepScript(strings.NewReader("# My lab\nfs register ntfs\n\n# then a filter\nfilter load av --notify\n\n# and a volume\nmount C:\n"),
		ScriptOptions{Name: "lab.fss", Echo: true}, ss.Ask)
	if err != nil || stopped != "" {
		t.Fatalf("StepScript: %q, %v", stopped, err)
	}
	if len(ss.prompts) != 2 || !strings.Contains(ss.out.String(), "fssim> mount C:") {
		t.Errorf("%d pauses, want 2, and the last step's output:\n%s", len(ss.prompts), ss.out.String())
	}
	rw, ok := ss.Out.(*recWriter)
	if !ok || rw.w != before {
		t.Errorf("the session's output after StepScript is %T, want the record's writer over the output before", ss.Out)
	}
	ss.Exec("show")
	if !strings.Contains(ss.out.String(), "C:  \\Device\\HarddiskVolume1") {
		t.Errorf("show after StepScript printed nothing:\n%s", ss.out.String())
	}
}

// TestLessonPacingFigures prints, with FSSIM_PACING_FIGURES=1 (scripts/bench.sh
// sets it), each lesson's lines and the longest step at 80x24: its rows and
// how many "more" pauses it takes. It fails if any step shows more than 23
// rows before a pause, which would scroll the step's comment away.
func TestLessonPacingFigures(t *testing.T) {
	show := os.Getenv("FSSIM_PACING_FIGURES") != ""
	if show {
		fmt.Printf("%-18s %8s %6s %14s %6s\n", "lesson", "lines", "steps", "longest step", "mores")
	}
	for _, name := range lessonOrder {
		ss := newScreenSession(80, 24)
		if err := ss.Exec("lesson " + name + " --step"); err != nil {
			t.Fatal(err)
		}
		text, _ := Lesson(name)
		// The output of each step: the pages between its pauses.
		longest, rows, mores := 0, 0, 0
		ss.pages = append(ss.pages, ss.out.String()[ss.mark:])
		for i, pg := range ss.pages {
			r := rowsOf(pg, 80)
			if r > 23 && i < len(ss.prompts) {
				t.Errorf("lesson %s: %d rows before pause %q at 80x24: the step's comment scrolls away", name, r, ss.prompts[i])
			}
			rows += r
			if i == len(ss.prompts) || strings.HasPrefix(ss.prompts[i], "[step ") {
				longest, rows = max(longest, rows), 0
			} else {
				mores++
			}
		}
		if show {
			fmt.Printf("%-18s %8d %6d %10d rows %6d\n", name, strings.Count(ss.out.String(), "\n"), len(lessonSteps(text))+1, longest, mores)
		}
	}
}
