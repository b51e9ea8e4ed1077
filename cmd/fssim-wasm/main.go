//go:build js && wasm

// Command fssim-wasm is fssim in a web page (make web, web/): the same
// engine, render and session code as the fssim binary, built with
// GOOS=js GOARCH=wasm, behind a front-end of its own in place of the
// terminal's (internal/term). The page (web/app.js) gives it typed lines
// with fssimSubmit and shows what it hands back: output with
// fssimOutput, the picture (export svg) after every line with
// fssimPicture, a pause's or a quiz's question with fssimAsk, and a file
// that save or export FILE wrote with fssimDownload. Nothing here reaches
// the network: files live in memory (memFiles) and leave as downloads.
package main

import (
	"bytes"
	"io"
	"syscall/js"

	"github.com/fssim/fssim/internal/render"
	"github.com/fssim/fssim/internal/repl"
)

const welcome = "fssim in your browser: help lists the verbs, tour plays the tour, lessons lists the lessons.\n" +
	"Nothing leaves this page: save and export FILE download the file.\n"

func main() {
	lines := make(chan string, 64)
	page := js.Global()
	submit := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) != 1 || args[0].Type() != js.TypeString {
			return false
		}
		select {
		case lines <- args[0].String():
			return true
		default:
			return false // the page sends a line at a time: 64 waiting means something is stuck
		}
	})
	var s *repl.Session
	complete := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if s == nil || len(args) != 1 || args[0].Type() != js.TypeString {
			return js.ValueOf([]any{""})
		}
		partial, cands := s.Complete(args[0].String())
		out := []any{partial}
		for _, c := range cands {
			out = append(out, c)
		}
		return js.ValueOf(out)
	})
	page.Set("fssimSubmit", submit)
	page.Set("fssimComplete", complete)

	var out bytes.Buffer
	flush := func() {
		if out.Len() > 0 {
			page.Call("fssimOutput", out.String())
			out.Reset()
		}
	}
	picture := func() {
		var b bytes.Buffer
		if _, err := render.Export(&b, s.Eng, "svg", ""); err == nil {
			page.Call("fssimPicture", b.String())
		}
	}
	files := newMemFiles(func(name, text string) { page.Call("fssimDownload", name, text) })
	start := func() {
		s = repl.NewSession(&out, render.NewTheme(true))
		s.Files = files
		// lesson --step and quiz ask with a prompt of their own: the
		// page shows it, and the next line typed is the answer.
		// The picture follows the lab at each pause too.
		s.Ask = func(p string) (string, error) {
			flush()
			picture()
			page.Call("fssimAsk", p)
			return <-lines, nil
		}
	}
	start()
	io.WriteString(&out, welcome)
	flush()
	picture()
	page.Call("fssimReady")
	for line := range lines {
		s.Out = &out
		exit := s.RunTyped(line)
		if exit {
			io.WriteString(&out, "exit: a new, empty lab starts.\n")
			start()
		}
		flush()
		picture()
		page.Call("fssimAsk", "") // back to the main prompt
	}
}
