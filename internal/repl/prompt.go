package repl

import (
	"errors"
	"fmt"
	"io"
)

// Prompt is what the REPL shows and what transcripts echo.
const Prompt = "fssim> "

// RunTyped runs a line typed at a prompt, whatever the front-end (the
// terminal's, internal/term; the browser's, cmd/fssim-wasm): every verb
// runs, whatever the one before did, and a failure prints to s.Out as
// "error: MSG"; a Ctrl-C (Interrupt) while a verb runs ends the line after
// it, saying so. before and after are called around each verb, to part
// their outputs. It reports whether the line ran exit.
func (s *Session) RunTyped(line string, before, after func()) (exit bool) {
	// Verbs separated by ';' run one after the other. A line pasted
	// from a lesson may start with "! " or "! [kind]" (it must fail):
	// the rest runs, and fssim says whether it failed as expected.
	vs, err := splitLine(line)
	if err != nil {
		io.WriteString(s.Out, s.Theme.Err("error: "+oneLine(err.Error()))+"\n")
		return false
	}
	s.ClearInterrupt() // a SIGINT that came while the prompt waited (kill -INT) is not for this line
	for i, v := range vs {
		before()
		s.atName, s.atLine = "", 0 // typed at the prompt
		refused, err := s.runVerb(v)
		if errors.Is(err, ErrExit) {
			return true
		}
		after()
		switch {
		case errors.Is(err, ErrInterrupted):
		case err != nil:
			io.WriteString(s.Out, s.Theme.Err("error: "+oneLine(err.Error()))+"\n")
		case v.expect:
			io.WriteString(s.Out, s.Theme.Expected("refused as expected: "+refused)+"\n")
		}
		if s.ClearInterrupt() || errors.Is(err, ErrInterrupted) {
			io.WriteString(s.Out, s.Theme.Err(interruptMessage(err, len(vs)-i-1))+"\n")
			break
		}
	}
	return false
}

// interruptMessage is the one line that says what Ctrl-C stopped: err, if
// a script (load, source, a lesson) said where it stopped; otherwise the
// verb running then ran to its end. left verbs of the line did not run.
func interruptMessage(err error, left int) string {
	msg := "interrupted: the verb ran to its end"
	if errors.Is(err, ErrInterrupted) {
		msg = err.Error()
	}
	if left > 0 {
		msg += fmt.Sprintf("; %s more on the line did not run", plural(left, "verb"))
	}
	return oneLine(msg)
}

// ShowPath is how a message names a user's file: as typed, or quoted if it
// holds a space or a byte a terminal would not show as itself.
func ShowPath(p string) string { return showPath(p) }

// OneLine is s with its line breaks written as \r and \n, so that a
// message stays on one line.
func OneLine(s string) string { return oneLine(s) }
