package repl

import (
	"fmt"
	"io"
	"strings"

	"github.com/fssim/fssim/internal/render"
)

// Pacing: with --step at a terminal, a lesson (or a loaded file) pauses
// after each step, and a step whose output would overflow the screen pauses
// like a pager first, so that no step scrolls its own comment away. The
// front end says how big the screen is (Session.Screen); everything else is
// here, and works on whole lines, so tests need no terminal. Where the
// front end reads keys as they are pressed (Session.Key), Enter, Space or
// n goes on at once and q quits; elsewhere (the playground, a terminal
// fssim cannot read keys from) a pause reads a line (Session.Ask), and the
// same answers act once Enter is pressed.

// pauseHint is the one line printed when a pause reading lines gets an
// answer it does not act on.
const pauseHint = "at the pause, Enter, Space or n goes on and q quits (Ctrl-C and Ctrl-D quit too)"

// pauseKeyHint is the one line a pause reading keys shows at the first key
// it does not act on; it says what a key does, and that the rest do
// nothing, as the pause then goes on waiting without a word.
const pauseKeyHint = "at the pause, press Enter, Space or n to go on, or q to quit (Ctrl-C and Ctrl-D quit too); other keys and pastes do nothing"

// pauseAnswer reads an answer at a pause: go on (Enter, Space, n), quit
// (q), or neither (ok false), which the pause ignores with a hint.
func pauseAnswer(a string) (quit, ok bool) {
	a = strings.TrimRight(a, "\r\n")
	if strings.TrimSpace(a) == "" {
		return false, true // Enter, or Space then Enter
	}
	switch strings.ToLower(strings.TrimSpace(a)) {
	case "n":
		return false, true
	case "q":
		return true, true
	}
	return false, false
}

// pauseKey reads a key pressed at a pause, as the terminal sends it (Enter
// is CR, Ctrl-C and Ctrl-D their control bytes): go on (Enter, Space, n),
// quit (q, Ctrl-C, Ctrl-D), or neither (ok false). Several keys at once,
// a paste, are neither: a pasted line never answers a pause.
func pauseKey(k string) (quit, ok bool) {
	switch k {
	case "\r", "\n", " ", "n", "N":
		return false, true
	case "q", "Q", "\x03", "\x04":
		return true, true
	}
	return false, false
}

// pause waits for an answer it acts on and says whether the student quit.
// With Session.Key it reads keys; otherwise it asks for lines, printing
// pauseHint to out for each it does not act on. An error from either (the
// end of input; Ctrl-C or Ctrl-D at a line) quits.
func (s *Session) pause(out io.Writer, ask func(string) (string, error), prompt string) (quit bool) {
	if s.Key != nil {
		k, err := s.Key(prompt, pauseKeyHint, func(k string) bool {
			_, ok := pauseKey(k)
			return ok
		})
		if err != nil {
			return true
		}
		quit, ok := pauseKey(k)
		return quit || !ok
	}
	for {
		a, err := ask(prompt)
		if err != nil {
			return true
		}
		if q, ok := pauseAnswer(a); ok {
			return q
		}
		fmt.Fprintln(out, pauseHint)
	}
}

// screenRows is how many rows of a screen width columns wide line takes,
// wrapped as the front end wraps it (render.Wrap).
func screenRows(line string, width int) int {
	if width <= 0 {
		return 1
	}
	return max(1, strings.Count(string(render.Wrap(nil, []byte(line+"\n"), width)), "\n"))
}

// showPaged writes text to out. On a screen of known size (Session.Screen)
// it writes at most a screenful less one row at a time and pauses between
// with "-- more (N lines) --", so that the start of the text, a step's
// comment, stays on screen until the student has read it; the row it keeps
// is for the prompt after it. It says whether the student quit at a pause.
func (s *Session) showPaged(out io.Writer, text string, ask func(string) (string, error)) (quit bool) {
	if text == "" {
		return false
	}
	w, h := 0, 0
	if s.Screen != nil {
		w, h = s.Screen()
	}
	if h < 3 || ask == nil {
		io.WriteString(out, text)
		return false
	}
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	room := h - 1
	rows := make([]int, len(lines))
	for i, l := range lines {
		rows[i] = screenRows(strings.TrimSuffix(l, "\n"), w)
	}
	used := 0
	for i, l := range lines {
		if used+rows[i] > room && used > 0 {
			if s.pause(out, ask, s.Theme.Dim(fmt.Sprintf("-- more (%s) -- ", plural(len(lines)-i, "line")))) {
				return true
			}
			used = 0
		}
		io.WriteString(out, l)
		used += rows[i]
	}
	return false
}

// stepTitles are the one-line titles of a lesson's steps, for their
// pauses: the lesson's title for the first step, and the first comment line
// of each later one.
func stepTitles(text string) []string {
	titles := []string{LessonTitle(text)}
	starts := lessonSteps(text)
	for i, l := range scenarioLines(text) {
		if starts[i+1] {
			titles = append(titles, strings.TrimSpace(strings.TrimPrefix(l, "#")))
		}
	}
	return titles
}

// fitTitle cuts a title so that the pause's prompt fits a row of width
// columns, of which other are the prompt's own words.
func fitTitle(title string, width, other int) string {
	if width <= 0 || len([]rune(title))+other < width {
		return title
	}
	keep := width - other - 4
	if keep < 8 {
		return ""
	}
	return string([]rune(title)[:keep]) + "..."
}

// pacer runs a scenario's text step by step at a terminal: each step's
// output is held until the step is done, shown a screenful at a time, and
// then the step's pause asks, with the step's title.
type pacer struct {
	s      *Session
	out    io.Writer // where the session printed before
	buf    strings.Builder
	ask    func(string) (string, error)
	starts map[int]bool
	titles []string
	at     int // the step running now, from 1
	quit   bool
	ended  bool // done ran
}

// newPacer makes s print into the pacer until done; ask nil (nobody at a
// terminal) gives a pacer that never pauses.
func (s *Session) newPacer(text string, ask func(string) (string, error)) *pacer {
	p := &pacer{s: s, out: s.Out, ask: ask, starts: lessonSteps(text), titles: stepTitles(text), at: 1}
	if p.ask != nil {
		s.Out = &p.buf
	}
	return p
}

func (p *pacer) total() int { return len(p.starts) + 1 }

// step is ScriptOptions.Step: at the start of each step after the first it
// shows the step before and pauses.
func (p *pacer) step(lineNo int) bool {
	if p.ask == nil || !p.starts[lineNo] {
		return true
	}
	if p.flush() {
		return false
	}
	title := p.titles[min(p.at-1, len(p.titles)-1)]
	head, tail := fmt.Sprintf("[step %d of %d done: ", p.at, p.total()), ". Enter: next, q: quit] "
	w := 0
	if p.s.Screen != nil {
		w, _ = p.s.Screen()
	}
	title = fitTitle(title, w, len(head)+len(tail))
	if strings.HasSuffix(title, "...") {
		tail = tail[1:]
	}
	if title == "" {
		head = strings.TrimSuffix(head, ": ")
	}
	prompt := head + title + tail
	if p.s.pause(p.out, p.ask, prompt) {
		p.quit = true
		return false
	}
	p.at++
	return true
}

// flush shows what the step printed so far, a screenful at a time; true if
// the student quit at a "more" pause.
func (p *pacer) flush() bool {
	text := p.buf.String()
	p.buf.Reset()
	if p.s.showPaged(p.out, text, p.ask) {
		p.quit = true
	}
	return p.quit
}

// done shows the rest and gives the session its writer back. A top-level
// script (fssim run --step) starts to record its output at its first line,
// and records it through the buffer (recordOut wraps it): the record's
// writer then writes where the session wrote before.
func (p *pacer) done() {
	if p.ask == nil || p.ended {
		return
	}
	p.ended = true
	if rw, ok := p.s.Out.(*recWriter); ok && rw.w == &p.buf {
		rw.w = p.out
	} else if p.s.Out == &p.buf {
		p.s.Out = p.out
	}
	if !p.quit {
		p.flush()
	} else {
		io.WriteString(p.out, p.buf.String())
	}
}

// maxStepText is the most of a file load --step or run --step holds to
// pace it: the whole file is read first, to know its steps.
const maxStepText = 16 << 20

// StepScript runs a scenario as RunScript does, and with ask (someone at a
// terminal) pauses after each step as lesson --step does, paging a long
// step. stopped is the line saying where, if the student quit at a pause.
func (s *Session) StepScript(r io.Reader, opt ScriptOptions, ask func(string) (string, error)) (res ScriptResult, stopped string, err error) {
	b, err := io.ReadAll(io.LimitReader(r, maxStepText+1))
	if err != nil {
		return res, "", err
	}
	if len(b) > maxStepText {
		return res, "", fmt.Errorf("%w: --step reads the whole file first, and it is longer than %d MiB", ErrSyntax, maxStepText>>20)
	}
	text := string(b)
	pc := s.newPacer(text, ask)
	defer pc.done()
	opt.Step = pc.step
	res, err = s.RunScript(strings.NewReader(text), opt)
	pc.done()
	if pc.quit {
		stopped = fmt.Sprintf("stopped after step %d of %d", pc.at, pc.total())
	}
	return res, stopped, err
}
