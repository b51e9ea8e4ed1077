package repl

import (
	"errors"
	"strings"
	"testing"
)

// TestPanicIsInternalError: a verb that panics (a bug in fssim) fails with
// an error that errors.Is finds as ErrInternal, in one line, and the session
// goes on.
func TestPanicIsInternalError(t *testing.T) {
	saved := verbs
	defer func() { verbs = saved }()
	verbs = append(append([]*Verb(nil), saved...), &Verb{Name: "boom", Group: "session",
		Run: func(*Session, *Call) error { panic("boom") }})
	s, _ := newTestSession()
	err := s.Exec("boom")
	if !errors.Is(err, ErrInternal) || !strings.Contains(err.Error(), "bug in fssim") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("Exec(boom) = %v; want one line wrapping ErrInternal", err)
	}
	if err := s.Exec("fs register ntfs"); err != nil {
		t.Fatalf("after the panic: %v", err)
	}
}
