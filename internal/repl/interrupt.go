package repl

import "errors"

// ErrInterrupted is what a script run (load, source, a lesson) returns when
// Ctrl-C stopped it between two verbs. The verbs that ran stay in the lab
// and its history.
var ErrInterrupted = errors.New("interrupted")

// Interrupt asks the running script to stop after the verb running now: a
// front-end calls it from its SIGINT handler, on any goroutine. A single
// verb always runs to its end. The flag stays up until ClearInterrupt, so
// every script of a nest (load inside load) stops, and none rolls back.
func (s *Session) Interrupt() { s.interrupt.Store(true) }

// ClearInterrupt lowers the flag Interrupt raised; a front-end calls it
// before each line it runs, and reports whether it was up.
func (s *Session) ClearInterrupt() bool { return s.interrupt.Swap(false) }

// interruption is ErrInterrupted if Ctrl-C came, else nil: the script
// runner asks it between verbs.
func (s *Session) interruption() error {
	if s.interrupt.Load() {
		return ErrInterrupted
	}
	return nil
}
