//go:build !js

package term

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/render"
	"github.com/fssim/fssim/internal/repl"
)

// TestInteractiveRunsLines: the prompt runs each line through the shared
// runner: a blank line after each verb's output, errors unpositioned, '!'
// verbs judged, and exit ends it.
func TestInteractiveRunsLines(t *testing.T) {
	var out, errs bytes.Buffer // the session's output; readline's prompt and echo
	s := repl.NewSession(&out, render.NewTheme(false))
	in := io.NopCloser(strings.NewReader("os; bogus; ! [not-mounted] dismount Q:\nexit\nos\n"))
	if err := Run(s, Options{Stdin: in, Stdout: &errs, Stderr: &errs}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	want := "os xp (Windows XP and later)\n\nerror: unknown command \"bogus\" (help lists the commands)\nrefused as expected: volume \"Q:\" is not mounted (mount Q: first)\n"
	if !strings.Contains(got, want) || strings.Count(got, "os xp") != 1 {
		t.Errorf("prompt printed\n%q\nwant it to hold\n%q", got, want)
	}
}
