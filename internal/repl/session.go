// Package repl is fssim's command language: the table of verbs, the one
// Exec path every line takes (REPL, script files, stdin and -c alike), the
// script runner and the interactive prompt.
package repl

import (
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

// Session is one lab: an engine and where its output goes.
type Session struct {
	Eng   *engine.Engine
	Out   io.Writer
	Theme render.Theme

	// Files is where save writes and load reads; nil: the operating
	// system's files.
	Files Files

	stack       []engine.DeviceInfo // reused for each stack a verb lists
	spareReport *report             // the memory of the last report drawn, for the next (report)
	pipe        *pipe               // the pipeline while one runs (pipe.go), also s.Out then
	hist        history             // the verbs that changed the lab (history.go)
	changes     int                 // counts changes to hist, so load knows whether to rebuild
	loadDepth   int                 // how many loads are running, one inside the other
	interrupt   atomic.Bool         // Ctrl-C came while a verb ran (interrupt.go)

	// at is the origin of the verb running now, for the verbs that ask
	// (quiz, lesson --step) and for explain's spans: exec sets it from the
	// origin its runner passed, for the length of the verb, and puts the
	// outer verb's back after. Nothing else writes it; between verbs it is
	// the zero origin.
	at        origin
	spans     []span   // the verbs that traced events since the lab booted (explain.go)
	spanEpoch int      // the engine's Epoch the spans' event IDs belong to
	spanNames []string // the files spans and history entries came from

	// Snapshots of the lab for undo and a failed load (snapshot.go), and
	// the loads running now, one inside the other.
	snaps []snapshot
	loads []*loadStart
	// lastLesson: where the last lesson's verbs lie in the history (undo).
	lastLesson lessonMark
	// replaying: this session rebuilds a lab for another (snapshot.go); it
	// takes no snapshots, and its verbs came from replayAt.
	replaying bool
	replayAt  place

	// Ask, if set, prints prompt and reads a line from the student at a
	// terminal. The front end sets it; each line that starts outside a
	// verb takes it into its origin (origin.ask), which is what lesson
	// --step and quiz use. nil where nobody is there to answer (a pipe,
	// fssim -c, a test); an error (io.EOF, Ctrl-C) means the student is
	// done.
	Ask func(prompt string) (string, error)
	// Key, if set, is how a pause of lesson --step or load --step reads
	// its answer where someone is there to ask (pacing.go): as keys are
	// pressed, without Enter. It shows prompt and waits for a key acts
	// accepts, showing hint once at the first it does not (several keys at
	// once, a paste, count as one it does not), and returns that key as
	// the terminal sent it. An error (the end of input) quits the lesson.
	// nil: a pause reads a line with Ask.
	Key func(prompt, hint string, acts func(key string) bool) (string, error)
	// Screen, if set, says the terminal's size, so that a step pages its
	// output (pacing.go) and a wide table fits the width (Session.width);
	// nil, or a height under 3, never pages, and nil, or a width of 0,
	// prints tables as fltmc does.
	Screen func() (width, height int)
	// Clear, if set, clears the terminal's screen (the clear verb); nil
	// where there is no screen to clear.
	Clear func()

	// Course is the lessons of fssim --lessons DIR, beside the built-in
	// ones (LoadCourse).
	Course []CourseLesson

	// savedChanges is changes when save last wrote the history (Unsaved).
	savedChanges int

	// rec is what the session showed, bounded, for export html and export
	// cast (record.go); top is its item for the verb running now that no
	// other verb runs, plus one (0 between verbs).
	rec     record
	top     int
	recNext int // the sequence number of the record's next item

	// Watch, if set, runs each verb that no other verb runs (each verb of a
	// line at the prompt, in a script, -c or Exec; not the verbs a load or a
	// lesson runs for it), through run, which it calls once and whose error
	// it returns: a front-end that draws the lab elsewhere (serve) sees the
	// verb's output and the lab after it (watch.go).
	Watch    func(verb string, run func() error) error
	watching bool
	// Serve, if set, is what the serve verb calls: the front-end that can
	// serve a page of the lab (the prompt) sets it.
	Serve ServeHook
}

// Changes counts the changes to the lab's history so far: a front end
// compares two counts to tell whether anything changed between them.
func (s *Session) Changes() int { return s.changes }

// width is the terminal's width that a wide table fits (render's
// fitTable), asked afresh for each table so a resize takes effect at the
// next one; 0 where there is no terminal (a pipe, a file, a test, the
// browser), which prints tables as fltmc does, byte for byte.
func (s *Session) width() int {
	if s.Screen == nil {
		return 0
	}
	w, _ := s.Screen()
	return max(w, 0)
}

// Unsaved says whether verbs changed the lab since the last save (or since
// the session started, if nothing was saved): what Ctrl-D at the prompt
// asks about before it quits.
func (s *Session) Unsaved() bool { return s.changes != s.savedChanges && s.hist.len() > 0 }

// NewSession returns a session in the boot state.
func NewSession(out io.Writer, th render.Theme) *Session {
	return &Session{Eng: engine.New(), Out: out, Theme: th}
}

// Exec runs one line through the runners' runLine: its verbs in turn (see
// lexer), stopping at the first that fails. It prints the verbs' output
// (and a '!' verb's expected refusal) to s.Out and returns the failure, if
// any, unprinted: callers decide how errors look. A blank or comment-only
// line does nothing. Exec never panics; an internal fault comes back as an
// error and leaves the session usable.
func (s *Session) Exec(line string) error { return s.execLine(line, s.newOrigin("", 0, nil)) }

// ExecWords runs one verb already split into words.
func (s *Session) ExecWords(words []string) error {
	return s.exec(words, "", s.newOrigin("", 0, nil))
}

// exec runs one verb's words, from at; text is the verb as typed, which the
// history records if the verb changes the lab ("": the words, quoted where
// they need it).
func (s *Session) exec(words []string, text string, at origin) (err error) {
	if s.at.verb == "" && !s.watching && !s.replaying {
		s.recordOut() // before Watch: a watcher's copy of the output wraps the record's
	}
	if s.Watch != nil && !s.watching {
		return s.watchExec(words, text, at)
	}
	outer := s.at
	defer func() {
		s.at = outer
		if r := recover(); r != nil {
			err = errorf(ErrInternal, "internal error: %v (this is a bug in fssim; please report it with the line that caused it)", r)
		}
	}()
	if outer.verb == "" && !s.replaying { // recorded even if it fails to parse
		recorded := text
		if recorded == "" {
			recorded = joinWords(words)
		}
		s.top = s.recordVerb(recorded) + 1
		defer func() { s.top = 0 }()
	}
	v, rest, err := Lookup(words)
	if err != nil {
		return err
	}
	c, err := v.parse(rest)
	if h, ok := err.(*helpRequest); ok { // parse returns it as it is, never wrapped
		s.verbHelp(h.verb)
		return nil
	}
	if err != nil {
		return err
	}
	if text == "" {
		text = joinWords(words)
	}
	// The verb running now, for explain's spans, the history's places and
	// the verbs that ask, until the deferred restore; a verb that runs
	// others (load, lesson, tour) gets its own back when they are done.
	at.verb = text
	s.at = at
	err = v.Run(s, c)
	if err != nil {
		return err
	}
	if v.Changes != nil && v.Changes(c) {
		return s.record(v, text)
	}
	return nil
}

// watchExec is exec through Watch. It is a function of its own so that
// only a watched verb pays for the closure: its captured words, text and
// origin would otherwise move to the heap for every verb.
func (s *Session) watchExec(words []string, text string, at origin) error {
	return s.watch(words, text, func() error { return s.exec(words, text, at) })
}

// A stack a verb changed is listed after its trace whole if it has at most
// reportRows devices; a deeper one as its top and bottom reportEnds rows and
// a line saying how many lie between (show and devstack list it whole).
// The engine walks only the rows printed, so a verb on a stack of 10,000
// filters costs no more than one on a stack of 25.
const (
	reportRows = 24
	reportEnds = 10
)

// report prints a verb's trace and then every stack the trace changed, in
// the order the trace first touched them: it reads them from the engine
// now, and draws them now, or, while a pipeline runs (pipe.go), on the
// pipeline's goroutine while the engine goes on.
func (s *Session) report(evs []engine.Event, err error) error {
	if err != nil {
		return err
	}
	s.noteSpan(evs)
	p, piped := s.Out.(*pipe)
	var r *report
	if piped {
		r = p.newReport(evs, s.Theme)
	} else {
		r = s.newReport(evs)
	}
	// The stacks the trace changed: a verb changes a few (at most one per
	// volume and CDO), and its events name them again and again, usually
	// the one just seen.
	last := ""
	for _, e := range evs {
		if e.Stack == "" || e.Stack == last {
			continue
		}
		last = e.Stack
		if r.lists(e.Stack) {
			continue
		}
		r.add(s, e.Stack)
	}
	if piped {
		p.draw(r)
		s.Eng.Recycle(evs) // the report holds a copy: the engine's next trace reuses these
		return nil
	}
	r.draw(s.Out)
	s.recycle(r)
	return nil
}

// printStack prints a blank line (if gap) and a volume's or CDO's stack,
// cut short if deep, as a verb's report lists the stacks it changed.
func (s *Session) printStack(name string, gap bool) {
	r := s.newReport(nil)
	r.gap = gap
	r.add(s, name)
	r.draw(s.Out)
	s.recycle(r)
}

// A report is what a verb's report prints: its trace and the stacks it
// changed, read from the engine when the verb ran, in memory the session
// reuses from verb to verb.
type report struct {
	evs    []engine.Event
	from   int // in a pipeline's batch: evs is the batch's events[from:to]
	to     int
	th     render.Theme
	gap    bool // a blank line before the first stack even if the trace printed nothing
	stacks []stackView
	n      int // stacks[:n] are this report's; the rest is memory to reuse
	// devs is where the stacks' devices are kept: own, or, in a pipeline,
	// the batch's, which all its reports share.
	devs *[]engine.DeviceInfo
	own  []engine.DeviceInfo
}

// stackView is one stack of a report: a volume's or a CDO's listing, or,
// at trace stacks, its one line, drawn when read (it names frames'
// instances, read from the engine as it is drawn).
type stackView struct {
	name string
	vol  bool
	v    render.VolumeView
	cdo  engine.CDOInfo
	line []byte
}

// A stack at trace stacks is one line: its top and bottom stackLineEnds
// devices if it has more than stackLineRows.
const (
	stackLineRows = 7
	stackLineEnds = 3
)

// newReport returns a report of evs, in the memory of the last report
// drawn if there is one.
func (s *Session) newReport(evs []engine.Event) *report {
	r := s.spareReport
	if r == nil {
		r = new(report)
	}
	s.spareReport = nil
	r.reset(evs, s.Theme)
	r.own = r.own[:0]
	r.devs = &r.own
	return r
}

func (r *report) reset(evs []engine.Event, th render.Theme) {
	r.evs, r.th, r.gap, r.n = evs, th, false, 0
}

// recycle keeps r's memory for the next report, and hands its events back
// to the engine for its next trace.
func (s *Session) recycle(r *report) {
	s.Eng.Recycle(r.evs)
	r.evs = nil
	s.spareReport = r
}

// lists reports whether r lists the stack named name already.
func (r *report) lists(name string) bool {
	for i := range r.n {
		if r.stacks[i].name == name {
			return true
		}
	}
	return false
}

// add reads the stack named name from s's engine, if it is one.
func (r *report) add(s *Session, name string) {
	if r.n == len(r.stacks) {
		r.stacks = append(r.stacks, stackView{})
	}
	sv := &r.stacks[r.n]
	sv.name, sv.line = name, sv.line[:0]
	rows, ends := reportRows, reportEnds
	if r.th.Trace() == render.TraceStacks {
		rows, ends = stackLineRows, stackLineEnds
	}
	if sv.vol = engine.IsVolume(name); sv.vol {
		v, err := s.Eng.AppendVolumeEnds(s.stack, name, rows, ends)
		if err != nil {
			return
		}
		if v.Stack != nil { // a dismounted volume has none
			s.stack = v.Stack
			v.Stack = r.keep(v.Stack)
		}
		if r.th.Trace() == render.TraceStacks {
			sv.line = render.AppendStackLine(sv.line, s.Eng, v.Name, v.Stack, v.Omitted, v.Mounted, r.th)
		} else {
			sv.v = render.ViewVolume(s.Eng, v)
		}
	} else {
		c, ok := s.Eng.AppendCDOEnds(s.stack, name, rows, ends)
		if !ok {
			return
		}
		s.stack = c.Stack
		c.Stack = r.keep(c.Stack)
		sv.cdo = c
		if r.th.Trace() == render.TraceStacks {
			sv.line = render.AppendStackLine(sv.line, nil, c.Name, c.Stack, c.Omitted, true, r.th)
		}
	}
	r.n++
}

// keep copies a listing's devices, read into the session's scratch memory,
// into the report's memory (in a pipeline, its batch's), and returns the
// copy. Appending never writes over what an earlier call returned: a slice
// the memory outgrew still reads the old array, which nothing writes again.
func (r *report) keep(devs []engine.DeviceInfo) []engine.DeviceInfo {
	start := len(*r.devs)
	*r.devs = append(*r.devs, devs...)
	return (*r.devs)[start:len(*r.devs):len(*r.devs)]
}

// draw prints the report: its trace, then each stack, parted from what
// came before it by a blank line (at trace stacks, a stack is a line of
// its own, with no blank line).
func (r *report) draw(w io.Writer) {
	gap := r.gap || r.th.Trace() == render.TraceFull
	if r.evs != nil && render.Events(w, r.evs, r.th) > 0 {
		gap = true
	}
	for i := range r.n {
		sv := &r.stacks[i]
		switch {
		case r.th.Trace() == render.TraceStacks:
			w.Write(sv.line)
		case gap:
			io.WriteString(w, "\n")
			fallthrough
		default:
			if sv.vol {
				sv.v.Draw(w, r.th)
			} else {
				render.CDO(w, sv.cdo, r.th)
			}
		}
		gap = true
	}
}

// verbHelp prints help VERB: usage, summary, detail, each flag, examples.
func (s *Session) verbHelp(v *Verb) {
	var b strings.Builder
	th := s.Theme
	fmt.Fprintf(&b, "%s %s\n", th.Bold("usage:"), v.Usage())
	fmt.Fprintf(&b, "\n%s\n", v.Summary)
	if v.Detail != "" {
		fmt.Fprintf(&b, "\n%s\n", render.Fill(v.Detail, 78))
	}
	if len(v.Args) > 0 {
		fmt.Fprintf(&b, "\n%s\n", th.Bold("arguments:"))
		w := 0
		for _, a := range v.Args {
			w = max(w, len(a.Name))
		}
		for _, a := range v.Args {
			fmt.Fprintf(&b, "  %-*s  %s\n", w, a.Name, a.Help)
		}
	}
	if len(v.Flags) > 0 {
		fmt.Fprintf(&b, "\n%s\n", th.Bold("flags:"))
		w := 0
		for _, f := range v.Flags {
			w = max(w, len(f.spec()))
		}
		for _, f := range v.Flags {
			fmt.Fprintf(&b, "  %-*s  %s\n", w, f.spec(), f.Help)
		}
	}
	if len(v.Aliases) > 0 {
		fmt.Fprintf(&b, "\n%s %s\n", th.Bold("aliases:"), strings.Join(v.Aliases, ", "))
	}
	fmt.Fprintf(&b, "\n%s\n", th.Bold("examples:"))
	for _, ex := range v.Examples {
		fmt.Fprintf(&b, "  %s\n", ex)
	}
	io.WriteString(s.Out, b.String())
}

// Help prints the verbs grouped, one line each.
func (s *Session) Help() {
	io.WriteString(s.Out, VerbList(true, s.Theme)+
		"\nhelp VERB shows a verb's usage, flags and examples (help mount, help fs register).\n")
}

// VerbList lists the verbs in help order, one line each, their names
// aligned: grouped under each group's name in bold (help), or in one run
// (fssim --help).
func VerbList(grouped bool, th render.Theme) string {
	var b strings.Builder
	w := 0
	for _, v := range verbs {
		w = max(w, len(v.Name))
	}
	for i, g := range Groups {
		if grouped {
			if i > 0 {
				b.WriteByte('\n')
			}
			fmt.Fprintf(&b, "%s\n", th.Bold(g))
		}
		for _, v := range verbs {
			if v.Group == g {
				verbLine(&b, v, w)
			}
		}
	}
	return b.String()
}

// verbLine is a verb's line in a list of verbs: its name padded to w, and
// its summary.
func verbLine(b *strings.Builder, v *Verb, w int) {
	fmt.Fprintf(b, "  %-*s  %s\n", w, v.Name, v.Summary)
}

// groupHelp prints help fs or help filter: the group's verbs, one line each.
func (s *Session) groupHelp(group string) {
	var b strings.Builder
	w := 0
	for _, v := range verbs {
		if strings.HasPrefix(v.Name, group+" ") {
			w = max(w, len(v.Name))
		}
	}
	fmt.Fprintf(&b, "%s\n", s.Theme.Bold(group+" takes a subcommand:"))
	for _, v := range verbs {
		if strings.HasPrefix(v.Name, group+" ") {
			verbLine(&b, v, w)
		}
	}
	fmt.Fprintf(&b, "\nhelp %s shows a verb's usage, flags and examples.\n", verbs[indexOfGroup(group)].Name)
	io.WriteString(s.Out, b.String())
}

func indexOfGroup(group string) int {
	for i, v := range verbs {
		if strings.HasPrefix(v.Name, group+" ") {
			return i
		}
	}
	return 0
}
