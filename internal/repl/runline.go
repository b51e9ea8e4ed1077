package repl

import (
	"errors"
	"io"
)

// origin is where a verb came from: the line that held it, and who its
// verbs may ask. The runners make one for each line and pass it down to
// exec with each verb; a verb that runs others (load, lesson, quiz) makes
// theirs. Nothing about a line is left in the session between lines.
type origin struct {
	// name is the file ("lesson.fss"), "-c" or "quiz"; "" at the prompt.
	name string
	// line is the line in name; for -c, the verb's number in the argument
	// (-c's argument is one line, see RunCommands); 0 at the prompt.
	line int
	// verb is the verb's text, as typed: exec fills it in.
	verb string
	// next reads the next line of the script the verb is in that is
	// neither blank nor a comment: quiz takes its answer from there. nil
	// outside a script.
	next func() (string, bool)
	// ask prints a prompt and reads a line from someone at a terminal
	// (Session.Ask); nil where nobody is there.
	ask func(prompt string) (string, error)
}

// newOrigin is the origin of a new line: it asks whoever the line of the
// verb running now asks (a file that load reads at the prompt asks the
// student there), or, outside any verb, the front end's Ask.
func (s *Session) newOrigin(name string, line int, next func() (string, bool)) origin {
	ask := s.Ask
	if s.at.verb != "" {
		ask = s.at.ask
	}
	return origin{name: name, line: line, next: next, ask: ask}
}

// failure is how every runner words a verb that failed:
// "FILE:LINE: error: MSG", or "error: MSG" at the prompt, on one line.
func failure(at origin, err error) string {
	return oneLine((&LineError{File: at.name, Line: at.line, Err: err}).Error())
}

// lineRun is what differs between the runners of lines (a script, fssim
// -c, the prompt, Exec); runLine does the rest.
type lineRun struct {
	keepGoing  bool        // after a verb fails, run the line's next verbs
	countVerbs bool        // a verb's position is its number in the run, not its line (fssim -c)
	verbs      int         // the verbs run so far
	stop       func() bool // asked after each verb: true ends the run there
	// stopOnInterrupt: after a verb, a Ctrl-C (Session.Interrupt) ends the
	// line at once (a script: the caller returns ErrInterrupted).
	stopOnInterrupt bool
	// interrupted, if set, is told of a Ctrl-C after a verb, once that
	// verb's output and failure are printed, with the verb's error and how
	// many verbs of the line are left; the line ends there (the prompt).
	interrupted func(err error, left int)
	// before is called before the line's verb i (from 0) runs; after,
	// after it ran and before its refusal or failure is printed. They part
	// one verb's output from the next.
	before func(i int)
	after  func()
	// fail is told of each verb that failed, and where it came from.
	fail func(at origin, err error)
}

// lineEnd is how a line ended.
type lineEnd int

const (
	lineDone        lineEnd = iota // every verb ran (some may have failed, with keepGoing)
	lineFailed                     // a verb failed: the line stopped there unless keepGoing
	lineExit                       // exit or quit
	lineStopped                    // r.stop said so
	lineInterrupted                // Ctrl-C came while a verb ran (Session.Interrupt)
)

// runLine runs the verbs of one line in turn, each from at, one at a time
// as the lexer reads them. A verb that starts with '!' and fails as it
// says prints "refused as expected: ..."; any other failure goes to
// r.fail. A line whose '!' prefixes do not all parse runs none of its
// verbs.
func (s *Session) runLine(line string, at origin, r *lineRun) lineEnd {
	verbAt := func(n int) origin { // the origin of the line's verb n (from 1)
		o := at
		if r.countVerbs {
			o.line = r.verbs + n
		}
		return o
	}
	if n, err := checkLine(line); err != nil {
		r.fail(verbAt(n), err)
		return lineFailed
	}
	end := lineDone
	l := lexer{line: line, words: make([]string, 0, 8)} // room for a verb's words: one allocation a line, not one per word
	for i := 0; ; i++ {
		v, ok, _ := l.next() // checkLine found no error
		if !ok {
			return end
		}
		vat := verbAt(1)
		r.verbs++
		if r.before != nil {
			r.before(i)
		}
		refused, err := s.runVerb(v, vat)
		if r.stopOnInterrupt && s.interruption() != nil {
			return lineInterrupted
		}
		if r.stop != nil && r.stop() {
			return lineStopped // a write error, if that is what this is, is the caller's to report
		}
		if errors.Is(err, ErrExit) {
			return lineExit
		}
		if r.after != nil {
			r.after()
		}
		switch {
		case r.interrupted != nil && errors.Is(err, ErrInterrupted):
			// said below
		case err != nil:
			r.fail(vat, err)
			if !r.keepGoing {
				return lineFailed
			}
			end = lineFailed
		case v.expect:
			io.WriteString(s.Out, s.Theme.Expected("refused as expected: "+refused)+"\n")
		}
		if r.interrupted != nil && (s.ClearInterrupt() || errors.Is(err, ErrInterrupted)) {
			r.interrupted(err, l.rest())
			return lineInterrupted
		}
	}
}

// execLine runs a line from at as Exec does: the first failure ends it and
// is returned, unprinted.
func (s *Session) execLine(line string, at origin) error {
	var failed error
	r := lineRun{fail: func(_ origin, err error) { failed = err }}
	if s.runLine(line, at, &r) == lineExit {
		return ErrExit
	}
	return failed
}

// RunTyped runs a line typed at a prompt, whatever the front-end (the
// terminal's, internal/term; the browser's): every verb runs, whatever the
// one before did, and a failure prints as "error: MSG"; a Ctrl-C while a
// verb runs ends the line after it, saying so. A blank line parts the
// output of each verb that printed something from what follows. It reports
// whether the line ran exit.
func (s *Session) RunTyped(line string) (exit bool) {
	orig := s.Out
	out := &countingWriter{w: orig}
	s.Out = out
	defer func() { s.Out = orig }()
	r := lineRun{
		keepGoing: true,
		before:    func(int) { out.n = 0 },
		after: func() {
			if out.n > 0 {
				io.WriteString(orig, "\n")
			}
		},
		fail: func(at origin, err error) {
			io.WriteString(s.Out, s.Theme.Err(failure(at, err))+"\n")
		},
		interrupted: func(err error, left int) {
			io.WriteString(s.Out, s.Theme.Err(interruptMessage(err, left))+"\n")
		},
	}
	s.ClearInterrupt() // a SIGINT that came while the prompt waited (kill -INT) is not for this line
	return s.runLine(line, s.newOrigin("", 0, nil), &r) == lineExit
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}
