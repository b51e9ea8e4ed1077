package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/fssim/fssim/internal/render"
)

// MaxLine is the longest script line fssim reads; a longer line is an error
// at that line, and the run goes on from the next.
const MaxLine = 4 << 20

// maxEcho is how much of a line the transcript echoes.
const maxEcho = 1000

// ScriptOptions control RunScript.
type ScriptOptions struct {
	Name      string    // the file's name in error positions; "-" for stdin
	KeepGoing bool      // run on after a failing line (the run still fails)
	Echo      bool      // echo each line as "fssim> LINE": a self-contained transcript
	Errs      io.Writer // if set, failing lines are reported here too
	// Stop, if set, is asked after each line; when it says true the run
	// ends there (the output has gone away: nobody reads a transcript that
	// cannot be written, and stdin may never end).
	Stop func() bool
	// Line, if set, is told the number of each line read, before anything
	// that line prints: fssim test maps transcript lines to scenario lines.
	Line func(lineNo int)
	// Step, if set, is called before a comment line that follows a
	// verb's output (the start of a lesson's next step), with its line
	// number; when it says false the run ends there (lesson --step, q).
	Step func(lineNo int) bool
}

// ScriptResult says how a script ended.
type ScriptResult struct {
	Lines  int // verb lines run
	Failed int // lines that failed, and '!' lines that did not
	Exited bool
}

var errExpectedFailure = errors.New("expected this line to fail (it starts with '!'), but it succeeded")

// RunScript runs a scenario: a line of verbs at a time (runLine), '#'
// comments, blank lines skipped, CRLF and a UTF-8 BOM accepted. A verb that
// starts with "! " must fail: its error is printed and the run goes on. Any
// other failing verb prints "FILE:LINE: error: ..." and stops the run
// unless KeepGoing. The error returned is a read error, or ErrInterrupted
// after the verb that was running when Ctrl-C came (Session.Interrupt).
func (s *Session) RunScript(r io.Reader, opt ScriptOptions) (ScriptResult, error) {
	var res ScriptResult
	if opt.Echo && s.at.verb == "" && !s.rec.script {
		s.rec.script = true
		defer func() { s.rec.script = false }()
	}
	br := bufio.NewReaderSize(r, 64<<10)
	th := s.Theme
	// Blank lines in the transcript: after each verb's output, and between
	// comment paragraphs that a blank line parted in the scenario.
	afterOutput, afterComment, blank := false, false, false
	sep := func() {
		if afterOutput {
			io.WriteString(s.Out, "\n")
		}
	}
	// A verb that asks the student something (quiz) reads the answer from
	// the script's next line that is neither blank nor a comment.
	lineNo := 0
	next := func() (string, bool) {
		for {
			raw, tooLong, err := readLine(br)
			if err != nil && raw == "" && !tooLong {
				return "", false
			}
			lineNo++
			if opt.Line != nil {
				opt.Line(lineNo)
			}
			if tooLong {
				skipLine(br, err)
			}
			if line := strings.TrimSpace(strings.TrimSuffix(raw, "\r")); line != "" && !strings.HasPrefix(line, "#") && !tooLong {
				return line, true
			}
		}
	}
	run := lineRun{
		keepGoing:       opt.KeepGoing,
		stopOnInterrupt: true,
		stop:            opt.Stop,
		before: func(i int) {
			if i > 0 {
				io.WriteString(s.Out, "\n") // verbs of one line, parted as -c parts them
			}
		},
		fail: func(at origin, err error) { s.lineFailed(&res, opt, at, err) },
	}
	for {
		lineNo++
		if opt.Stop != nil && opt.Stop() {
			return res, nil
		}
		// Before waiting for more input, hand on what is written so far: a
		// scenario piped in line by line gets each answer as it goes.
		if br.Buffered() == 0 {
			s.Flush()
		}
		raw, tooLong, err := readLine(br)
		if err != nil && raw == "" && !tooLong {
			if err == io.EOF {
				return res, nil
			}
			return res, err
		}
		if lineNo == 1 {
			raw = strings.TrimPrefix(raw, "\uFEFF")
		}
		if opt.Line != nil {
			opt.Line(lineNo)
		}
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if tooLong {
			sep()
			s.lineFailed(&res, opt, origin{name: opt.Name, line: lineNo}, fmt.Errorf("%w: line %d is longer than %d MiB", ErrSyntax, lineNo, MaxLine>>20))
			afterOutput = true
			if !opt.KeepGoing {
				return res, nil
			}
			s.Flush() // the error shows now, while the rest of the line is read
			skipLine(br, err)
			continue
		}
		switch {
		case line == "":
			blank = true
			continue
		case strings.HasPrefix(line, "#"):
			if afterOutput && opt.Step != nil && !opt.Step(lineNo) {
				return res, nil
			}
			if opt.Echo {
				if afterOutput || (blank && afterComment) {
					io.WriteString(s.Out, "\n")
				}
				s.recordEcho(th.Comment(echo(line))+"\n", line, true)
				afterOutput, afterComment, blank = false, true, false
			}
			continue
		}
		afterComment, blank = false, false
		if opt.Echo {
			sep()
			s.recordEcho(th.Prompt("fssim>")+" "+echo(line)+"\n", line, false)
		}
		afterOutput = true
		res.Lines++
		switch s.runLine(line, s.newOrigin(opt.Name, lineNo, next), &run) {
		case lineInterrupted:
			return res, ErrInterrupted // Ctrl-C: stop between two verbs, keeping what ran
		case lineStopped:
			return res, nil
		case lineExit:
			res.Exited = true
			return res, nil
		}
		if res.Failed > 0 && !opt.KeepGoing {
			return res, nil
		}
	}
}

// lineFailed counts and prints a failure of a script's or -c's verb, and
// reports it to opt.Errs.
func (s *Session) lineFailed(res *ScriptResult, opt ScriptOptions, at origin, err error) {
	res.Failed++
	msg := failure(at, err)
	io.WriteString(s.Out, s.Theme.Err(msg)+"\n")
	if opt.Errs != nil {
		fmt.Fprintf(opt.Errs, "fssim: %s\n", msg)
	}
}

// echo is a line as the transcript shows it: terminal-safe and cut short if
// very long.
func echo(line string) string {
	if len(line) > maxEcho {
		return render.Clean(line[:maxEcho]) + fmt.Sprintf("… [%d bytes]", len(line))
	}
	return render.Clean(line)
}

// readLine reads one line without its newline. A line longer than MaxLine is
// reported as too long as soon as the limit is passed, so an endless line
// fails at once; the rest of it is left unread, and the error is then
// errRestOfLine, for skipLine.
func readLine(br *bufio.Reader) (string, bool, error) {
	var buf []byte
	for {
		chunk, isPrefix, err := br.ReadLine()
		if len(buf)+len(chunk) > MaxLine {
			if isPrefix && err == nil {
				return "", true, errRestOfLine
			}
			return "", true, nil
		}
		if buf == nil && !isPrefix && err == nil {
			return string(chunk), false, nil // the whole line at once, as nearly every line comes: one copy
		}
		buf = append(buf, chunk...)
		if err != nil {
			if len(buf) > 0 {
				return string(buf), false, nil
			}
			return "", false, err
		}
		if !isPrefix {
			return string(buf), false, nil
		}
	}
}

// errRestOfLine: readLine left the rest of a too-long line unread.
var errRestOfLine = errors.New("the rest of the line is unread")

// skipLine reads on to the end of a line that readLine found too long, if
// it left some of it (err is readLine's).
func skipLine(br *bufio.Reader, err error) {
	if err != errRestOfLine {
		return
	}
	for {
		if _, isPrefix, err := br.ReadLine(); err != nil || !isPrefix {
			return
		}
	}
}

// RunCommands runs verbs given in one argument, as fssim -c does: no echo,
// a blank line between outputs. The argument is one line: verbs separated
// by ';', and a newline parts verbs as ';' does (and ends a '#' comment).
// So an error's position counts verbs, not lines: "-c:N" is the Nth verb,
// empty ones not counted.
func (s *Session) RunCommands(cmds string, opt ScriptOptions) ScriptResult {
	var res ScriptResult
	r := lineRun{
		keepGoing:  opt.KeepGoing,
		countVerbs: true,
		stop:       opt.Stop,
		before: func(i int) {
			if i > 0 {
				io.WriteString(s.Out, "\n")
			}
		},
		fail: func(at origin, err error) { s.lineFailed(&res, opt, at, err) },
	}
	if s.runLine(cmds, s.newOrigin(opt.Name, 0, nil), &r) == lineExit {
		res.Exited = true
	}
	res.Lines = r.verbs
	return res
}
