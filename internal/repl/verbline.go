package repl

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/fssim/fssim/internal/engine"
)

// lineVerb is one verb of a line as the runners see it: a scenario line, a
// line typed at the prompt and fssim -c all hold verbs separated by ';', each
// of which may start with '!' (it must fail), optionally naming the kind of
// refusal it expects: "! [not-mounted] filter attach av Q:".
type lineVerb struct {
	text   string // the verb and its arguments, without the '!' part
	expect bool   // it must fail
	kind   string // the error kind it must fail with; "" for any
}

// errorKinds names every sentinel a verb can fail with: the language's own,
// then the engine's.
var errorKinds = append([]engine.ErrorKind{
	{Name: "syntax", Err: ErrSyntax},
	{Name: "unknown-command", Err: ErrUnknownVerb},
	{Name: "usage", Err: ErrUsage},
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

func knownKind(name string) bool {
	for _, k := range errorKinds {
		if k.Name == name {
			return true
		}
	}
	return false
}

// splitLine splits a line into its verbs at each ';' outside quotes, up to a
// '#' that starts a word (a comment), and reads each verb's '!' prefix.
// Empty verbs are dropped. An unknown kind in "! [kind]" is an error; an
// unterminated quote is left for Split to report.
func splitLine(line string) ([]lineVerb, error) {
	var out []lineVerb
	start, quote, wordStart := 0, byte(0), true
	cut := func(end int) error {
		v, err := parseVerb(line[start:end])
		if err != nil {
			return err
		}
		if v.text != "" || v.expect {
			out = append(out, v)
		}
		return nil
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '#' && wordStart:
			return out, cut(i)
		case c == ';':
			if err := cut(i); err != nil {
				return nil, err
			}
			start = i + 1
		}
		wordStart = quote == 0 && (c == ' ' || c == '\t' || c == ';')
	}
	return out, cut(len(line))
}

// parseVerb reads one verb's '!' and '[kind]' prefix.
func parseVerb(part string) (lineVerb, error) {
	part = strings.TrimSpace(part)
	rest, ok := strings.CutPrefix(part, "!")
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t' && rest[0] != '[') {
		return lineVerb{text: part}, nil
	}
	v := lineVerb{expect: true}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return v, errorf(ErrSyntax, "unterminated '[' in %s: write ! [KIND] VERB", quoteWord(part))
		}
		v.kind = strings.TrimSpace(rest[1:end])
		if !knownKind(v.kind) {
			return v, errorf(ErrSyntax, "unknown error kind %s in '! [KIND]' (known: %s)", quoteWord(v.kind), strings.Join(ErrorKindNames(), ", "))
		}
		rest = strings.TrimSpace(rest[end+1:])
	}
	v.text = rest
	return v, nil
}

// runVerb runs one verb of a line. A verb that must fail and fails as
// expected gives refused, the message to print; a verb that fails when it
// should not, succeeds when it should fail, or fails with another kind than
// it names gives err, a failure of the line. ErrExit passes through.
func (s *Session) runVerb(v lineVerb) (refused string, err error) {
	err = s.Exec(v.text)
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
	case v.kind != "" && ErrorKindOf(err) != v.kind:
		return "", fmt.Errorf("expected a [%s] refusal, got [%s]: %w", v.kind, ErrorKindOf(err), err)
	}
	return oneLine(err.Error()), nil
}
