package repl

import (
	"errors"
	"fmt"
)

// Prompt is what the REPL shows and what transcripts echo.
const Prompt = "fssim> "

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
