package repl

import (
	"errors"
	"fmt"
	"strings"

	"github.com/fssim/fssim/internal/engine"
)

// Errors of the command language itself; engine refusals wrap engine's
// sentinels instead.
var (
	ErrSyntax      = errors.New("syntax error")
	ErrUnknownVerb = errors.New("unknown command")
	ErrUsage       = errors.New("usage error")
	// ErrNoPrompt: the verb runs at the prompt only (serve).
	ErrNoPrompt = errors.New("only at the prompt")
	// ErrInternal is a bug in fssim: a verb panicked, or a replay or a
	// quiz's own verb failed.
	ErrInternal = errors.New("internal error")
	// ErrExit is returned by exit and quit: the caller stops reading.
	ErrExit = errors.New("exit")
)

// UsageError is a verb used wrongly; its message ends with the usage line,
// all on one line.
type UsageError struct {
	Verb *Verb
	Msg  string
}

func (e *UsageError) Error() string { return fmt.Sprintf("%s; usage: %s", e.Msg, e.Verb.Usage()) }
func (e *UsageError) Unwrap() error { return ErrUsage }

func usageErr(v *Verb, msg string) error { return &UsageError{Verb: v, Msg: msg} }

// helpRequest is --help on a verb: not an error, the session prints help.
type helpRequest struct{ verb *Verb }

func (h *helpRequest) Error() string { return "help requested" }

// LineError is a verb that failed, where it came from. Positions are added
// here and nowhere else: "FILE:LINE: error: MSG" for a file's line,
// "-c:N: error: MSG" for fssim -c's Nth verb, "error: MSG" for a line typed
// at the prompt (no file, line 0).
type LineError struct {
	File string
	Line int // the line in File; for -c, the verb's number
	Err  error
}

func (e *LineError) Error() string {
	if e.File == "" && e.Line == 0 {
		return fmt.Sprintf("error: %v", e.Err)
	}
	return fmt.Sprintf("%s:%d: error: %v", ShowName(e.File), e.Line, e.Err)
}

// quoteWord quotes a user's word for a message, escaping anything a terminal
// would act on and cutting very long words short.
func quoteWord(s string) string { return engine.Quote(s) }

// oneLine makes sure an error message is a single line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s)
}

// kindError is a message for people that wraps a sentinel for tests.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

func errorf(kind error, format string, args ...any) error {
	return &kindError{kind: kind, msg: fmt.Sprintf(format, args...)}
}
