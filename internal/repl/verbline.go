package repl

import (
	"errors"
	"fmt"
	"sort"

	"github.com/fssim/fssim/internal/engine"
)

// errorKinds names every sentinel a verb can fail with: the language's own,
// then the engine's.
var errorKinds = append([]engine.ErrorKind{
	{Name: "syntax", Err: ErrSyntax},
	{Name: "unknown-command", Err: ErrUnknownVerb},
	{Name: "usage", Err: ErrUsage},
	{Name: "no-prompt", Err: ErrNoPrompt},
	{Name: "file", Err: ErrFile},
	{Name: "file-exists", Err: ErrFileExists},
	{Name: "load-failed", Err: ErrLoadFailed},
	{Name: "history-full", Err: ErrHistoryFull},
	{Name: "nothing-to-undo", Err: ErrNothingToUndo},
	{Name: "expect-failed", Err: ErrExpectFailed},
}, engine.ErrorKinds...)

// ErrorKindNames lists the kinds a '!' line may name, sorted.
func ErrorKindNames() []string {
	out := make([]string, 0, len(errorKinds))
	for _, k := range errorKinds {
		out = append(out, k.Name)
	}
	sort.Strings(out)
	return out
}

// ErrorKindOf names the kind of err, or "internal" for an error of no known
// kind (a bug in fssim).
func ErrorKindOf(err error) string {
	for _, k := range errorKinds {
		if errors.Is(err, k.Err) {
			return k.Name
		}
	}
	return "internal"
}

// kindErr is the sentinel of the kind named name, or nil for a name no
// kind has.
func kindErr(name string) error {
	for _, k := range errorKinds {
		if k.Name == name {
			return k.Err
		}
	}
	return nil
}

// runVerb runs one verb of a line, from at. A verb that must fail and
// fails as expected gives refused, the message to print; a verb that fails
// when it should not, succeeds when it should fail, or fails with another
// kind than it names gives err, a failure of the line. ErrExit passes
// through.
func (s *Session) runVerb(v lineVerb, at origin) (refused string, err error) {
	switch {
	case v.err != nil:
		err = v.err
	case len(v.words) > 0:
		err = s.exec(v.words, v.text, at)
	}
	switch {
	case errors.Is(err, ErrExit):
		if v.expect {
			return "", errExpectedFailure
		}
		return "", err
	case !v.expect:
		return "", err
	case err == nil:
		return "", errExpectedFailure
	case v.kind != "" && !errors.Is(err, kindErr(v.kind)):
		return "", fmt.Errorf("expected a [%s] refusal, got [%s]: %w", v.kind, ErrorKindOf(err), err)
	}
	return oneLine(err.Error()), nil
}
