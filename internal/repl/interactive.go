package repl

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/chzyer/readline"
)

// InteractiveOptions configure the prompt.
type InteractiveOptions struct {
	Stdin       io.ReadCloser
	Stdout      io.Writer
	Stderr      io.Writer
	HistoryFile string // "" keeps history in memory only
	Welcome     string // printed once before the first prompt
}

// Prompt is what the REPL shows and what transcripts echo.
const Prompt = "fssim> "

// RunInteractive runs the readline prompt until exit, quit or Ctrl-D. Ctrl-C
// throws away the line being typed and prompts again; it never runs it.
// Errors print in red and never end the session or change the lab.
func (s *Session) RunInteractive(opt InteractiveOptions) error {
	rl, err := readline.NewEx(&readline.Config{
		Prompt:            s.Theme.Prompt("fssim>") + " ",
		HistoryFile:       opt.HistoryFile,
		HistoryLimit:      1000,
		AutoComplete:      completer{s},
		InterruptPrompt:   "^C",
		EOFPrompt:         "exit",
		Stdin:             opt.Stdin,
		Stdout:            opt.Stdout,
		Stderr:            opt.Stderr,
		HistorySearchFold: true,
		FuncFilterInputRune: func(r rune) (rune, bool) {
			if r == readline.CharCtrlZ {
				return r, false // no job control inside the prompt
			}
			return r, true
		},
	})
	if err != nil {
		return err
	}
	defer rl.Close()
	if opt.Welcome != "" {
		fmt.Fprint(opt.Stdout, opt.Welcome)
	}
	for {
		line, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			continue
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return err
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		err = s.Exec(line)
		if errors.Is(err, ErrExit) {
			return nil
		}
		if err != nil {
			fmt.Fprintln(s.Out, s.Theme.Err("error: "+oneLine(err.Error())))
		}
	}
}

// completer adapts Session.Complete to readline.
type completer struct{ s *Session }

func (c completer) Do(line []rune, pos int) ([][]rune, int) {
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
