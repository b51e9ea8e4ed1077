package main

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/render"
	"github.com/fssim/fssim/internal/repl"
)

// TestReflowProse: at a width, prose paragraphs of a Long text are refilled
// to it, a paragraph with an indented line (the verb table) keeps its
// lines, and at width 0 (not a terminal) the text is left as it is.
func TestReflowProse(t *testing.T) {
	text := "one two three four five six seven eight\nnine ten\n\nVerbs:\n  fs register   load a file system\n\nlast words here"
	if got := reflowProse(text, 0); got != text {
		t.Errorf("width 0 changed the text: %q", got)
	}
	got := reflowProse(text, 20)
	want := "one two three four\nfive six seven eight\nnine ten\n\nVerbs:\n  fs register   load a file system\n\nlast words here"
	if got != want {
		t.Errorf("width 20:\n%s\nwant:\n%s", got, want)
	}
}

// TestXMLChars: what XML 1.0 cannot hold, even in CDATA, becomes U+FFFD in
// a JUnit report; tabs, newlines and the rest of Unicode stay.
func TestXMLChars(t *testing.T) {
	in := "a\x01b\tc\nd\re\x7f\uFFFE\U0001F600é"
	want := "a\uFFFDb\tc\nd\re\x7f\uFFFD\U0001F600é"
	if got := xmlChars(in); got != want {
		t.Errorf("xmlChars(%q) = %q, want %q", in, got, want)
	}
}

// TestPausesWithoutATerminal: with stdin a file that is not a terminal
// (fssim lesson --step < answers), a pause reads a whole line: it prints
// the prompt after flushing what the step printed, and sets no key reader.
func TestPausesWithoutATerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := w.WriteString("q\n"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	var screen bytes.Buffer
	a := &app{stdin: r, stdout: &screen, getenv: func(string) string { return "" }}
	out := bufio.NewWriter(&screen)
	s := repl.NewSession(out, render.NewTheme(false))
	out.WriteString("the step's output\n")
	ask := a.pauses(s, out)
	if s.Key != nil {
		t.Error("a pipe on stdin got a key reader")
	}
	got, err := ask("[step 1 of 2 done] ")
	if err != nil || got != "q\n" {
		t.Errorf("ask = %q, %v; want the line q", got, err)
	}
	if !strings.HasSuffix(screen.String(), "the step's output\n[step 1 of 2 done] ") {
		t.Errorf("the screen: %q, want the step's output, then the prompt", screen.String())
	}
}
