//go:build !js

package term

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/chzyer/readline"

	"github.com/fssim/fssim/internal/render"
	"github.com/fssim/fssim/internal/repl"
)

// Options configure the prompt.
type Options struct {
	Stdin  io.ReadCloser
	Stdout io.Writer
	Stderr io.Writer
	// HistoryFile is the file of lines typed at the prompt, shared by
	// every prompt of the user (histfile.go); "" keeps history in memory
	// only.
	HistoryFile string
	Welcome     string // printed once before the first prompt
	// BracketPaste asks the terminal, around each prompt, to bracket
	// pastes (ESC[?2004h), so that a long paste is one insertion
	// (paste.go); off for a terminal that would print the request.
	BracketPaste bool
	// Width, if set, is asked for the terminal's width before each line of
	// output, which is wrapped to fit it (render.WrapWriter); nil, or an
	// answer of 0 or less, leaves lines as they are.
	Width func() int
	// Screen, if set, says the terminal's width and height, so that
	// lesson --step pages a long step (Session.Screen).
	Screen func() (width, height int)
	// Keys, if set, reads the answer to a pause of lesson --step or load
	// --step a key at a time from the terminal (keys.go); nil, a pause
	// reads a line.
	Keys *Keys
	// Lock, if set, is held while a typed line runs and while completing
	// one, so that another front-end driving the same session (the page of
	// fssim serve) takes its turn between lines.
	Lock *sync.Mutex
}

func (o *Options) lock() {
	if o.Lock != nil {
		o.Lock.Lock()
	}
}

func (o *Options) unlock() {
	if o.Lock != nil {
		o.Lock.Unlock()
	}
}

// ScreenWidth is the width of the terminal on the process's stdout (or
// stderr), or -1: Options.Width for a prompt on a terminal.
func ScreenWidth() int { return readline.GetScreenWidth() }

// ScreenSize is the width and height of the terminal on stdout, or 0, 0:
// Options.Screen for a prompt on a terminal.
func ScreenSize() (int, int) {
	w, h, err := readline.GetSize(int(os.Stdout.Fd()))
	if err != nil {
		return 0, 0
	}
	return w, h
}

// Run runs the readline prompt on s until exit, quit or Ctrl-D. Ctrl-C
// throws away the line being typed and prompts again; it never runs it.
// Errors print in red and never end the session or change the lab. The
// session itself (verbs, lessons, quiz) is repl's: this package is only
// the terminal around it, as the browser playground (cmd/fssim-wasm) is
// another.
func Run(s *repl.Session, opt Options) error {
	// The session's fields are set up before the loop, and put back after
	// it, under the lock: the page of fssim serve may be running a verb.
	opt.lock()
	setup := true
	defer func() {
		if setup {
			opt.unlock()
		}
	}()
	// inst is the readline instance, for the key filter below, which
	// readline's own reading goroutine may call before NewEx returns.
	var inst atomic.Pointer[readline.Instance]
	paste := newPasteReader(opt.Stdin) // a paste is one key, not one redraw a rune (paste.go)
	rl, err := readline.NewEx(&readline.Config{
		Prompt: s.Theme.Prompt("fssim>") + " ",
		// readline keeps the history in memory only: its own file
		// handling cuts the file at start without a lock and writes
		// through a file another prompt may have replaced, so two prompts
		// lose lines. The loop reads and writes the file (histfile.go),
		// and saves each line before running it, so exit loses nothing.
		HistoryLimit:           HistoryLimit,
		DisableAutoSaveHistory: true,
		AutoComplete:           completer{s, opt.Lock},
		InterruptPrompt:        "^C",
		EOFPrompt:              "exit",
		Stdin:                  paste,
		Listener:               readline.FuncListener(paste.insert),
		Stdout:                 opt.Stdout,
		Stderr:                 opt.Stderr,
		HistorySearchFold:      true,
		// The filter never drops a key (returns false): readline wakes its
		// reader after a dropped key as if the reader had stopped, and it
		// then reads past the next Enter (Ctrl-Z, dropped in paste.go).
		FuncFilterInputRune: func(r rune) (rune, bool) {
			switch r {
			case pasteMark:
				// A paste is text for the line, even while the
				// completion list or a history search is open.
				if rl := inst.Load(); rl != nil {
					if rl.Operation.IsInCompleteMode() {
						rl.Operation.ExitCompleteMode(false)
					}
					if rl.Operation.IsSearchMode() {
						rl.Operation.ExitSearchMode(false)
					}
				}
			case readline.CharInterrupt:
				// With the completion list or a history search (Ctrl-R)
				// open, readline's Ctrl-C only closes it and keeps the
				// line. Close it here, on readline's goroutine, so that
				// Ctrl-C always drops the line.
				if rl := inst.Load(); rl != nil {
					if rl.Operation.IsInCompleteMode() {
						rl.Operation.ExitCompleteMode(true)
					}
					if rl.Operation.IsSearchMode() {
						rl.Operation.ExitSearchMode(true)
					}
				}
			}
			return r, true
		},
	})
	if err != nil {
		return err
	}
	inst.Store(rl)
	defer rl.Close()
	var hist *historyFile
	if opt.HistoryFile != "" {
		var lines []string
		hist, lines = openHistoryFile(opt.HistoryFile, HistoryLimit, func(msg string) {
			if opt.Stderr != nil {
				fmt.Fprintf(opt.Stderr, "fssim: %s\n", msg)
			}
		})
		for _, l := range lines {
			rl.SaveHistory(l) // no file behind it: only fills the memory
		}
	}
	// Everything the session prints between prompts goes through one
	// wrapper that fits lines to the terminal, flushed before each prompt.
	orig := s.Out
	wrapped := render.NewWrapWriter(orig, opt.Width)
	if opt.Welcome != "" {
		fmt.Fprint(wrapped, opt.Welcome)
		wrapped.Flush()
	}
	s.Out = wrapped
	// lesson --step and quiz ask the student with a prompt of their own.
	prompt := s.Theme.Prompt("fssim>") + " "
	// Around each prompt the terminal brackets pastes (paste.go), and
	// stops once the line is read, so output and the shell after fssim
	// see a terminal as they left it.
	readLine := func() (string, error) {
		if opt.BracketPaste && opt.Stdout != nil {
			io.WriteString(opt.Stdout, pasteOn)
			defer io.WriteString(opt.Stdout, pasteOff)
		}
		return rl.Readline()
	}
	outerAsk := s.Ask
	s.Ask = func(p string) (string, error) {
		wrapped.Flush()
		rl.SetPrompt(s.Theme.Dim(p))
		defer rl.SetPrompt(prompt)
		return readLine()
	}
	// A pause reads keys from the terminal directly, while readline
	// sleeps between two lines (keys.go).
	outerKey := s.Key
	if opt.Keys != nil {
		s.Key = func(p, hint string, acts func(string) bool) (string, error) {
			wrapped.Flush()
			return opt.Keys.Pause(s.Theme.Dim(p), hint, acts)
		}
	}
	outerScreen := s.Screen
	s.Screen = opt.Screen
	defer func() {
		opt.lock()
		s.Out, s.Ask, s.Key, s.Screen = orig, outerAsk, outerKey, outerScreen
		opt.unlock()
	}()
	// While a verb runs the terminal is not in raw mode, and Ctrl-C is
	// SIGINT: rather than end fssim and lose the lab, it stops a running
	// load, source or lesson between two verbs (Session.Interrupt). At
	// the prompt readline reads Ctrl-C as a key.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	sigDone := make(chan struct{})
	defer func() { signal.Stop(sigs); close(sigDone) }()
	go func() {
		for {
			select {
			case <-sigs:
				s.Interrupt()
			case <-sigDone:
				return
			}
		}
	}()
	asked := -1 // s.Changes() when Ctrl-D last asked about unsaved verbs
	outerClear := s.Clear
	s.Clear = func() {
		wrapped.Flush()
		if opt.Stdout != nil {
			io.WriteString(opt.Stdout, "\x1b[H\x1b[2J") // home, then erase the screen
		}
	}
	defer func() {
		opt.lock()
		s.Clear = outerClear
		opt.unlock()
	}()
	setup = false
	opt.unlock()
	for {
		line, err := readLine()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			continue
		case errors.Is(err, io.EOF):
			// Ctrl-D with verbs not saved asks once; y (or a second
			// Ctrl-D) quits, anything else goes back to the prompt.
			if !s.Unsaved() || asked == s.Changes() {
				return nil
			}
			asked = s.Changes()
			a, err := s.Ask("verbs changed the lab since the last save (history lists them, save FILE keeps them); quit anyway? (y/N) ")
			if err != nil || strings.EqualFold(strings.TrimSpace(a), "y") {
				return nil
			}
			continue
		case err != nil:
			return err
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		rl.SaveHistory(line)
		hist.add(line) // history is a convenience: an I/O error is said once and never ends the session
		// Verbs separated by ';' run one after the other. A line pasted
		// from a lesson may start with "! " or "! [kind]" (it must fail):
		// the rest runs, and fssim says whether it failed as expected.
		opt.lock()
		exit := s.RunTyped(line)
		wrapped.Flush()
		opt.unlock()
		if exit {
			return nil
		}
	}
}

// completer adapts Session.Complete to readline.
type completer struct {
	s    *repl.Session
	lock *sync.Mutex
}

func (c completer) Do(line []rune, pos int) ([][]rune, int) {
	// The lock may be held by a line asking the student (lesson --step),
	// on whose behalf readline calls this: complete nothing then.
	if c.lock != nil {
		if !c.lock.TryLock() {
			return nil, 0
		}
		defer c.lock.Unlock()
	}
	partial, cands := c.s.Complete(string(line[:pos]))
	n := len([]rune(partial))
	out := make([][]rune, 0, len(cands))
	for _, cand := range cands {
		r := []rune(cand)
		if len(r) < n {
			continue
		}
		out = append(out, append(r[n:], ' '))
	}
	return out, n
}
