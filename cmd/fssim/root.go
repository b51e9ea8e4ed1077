package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/fssim/fssim/internal/render"
	"github.com/fssim/fssim/internal/repl"
	"github.com/fssim/fssim/internal/serve"
	prompt "github.com/fssim/fssim/internal/term" // "term" is the pty tests' type
)

// sessionFiles is where sessions' save, load and export read and write;
// nil: the operating system's files. FuzzRun keeps them in a scratch folder.
var sessionFiles repl.Files

// newSession is a session for this process's run.
func (a *app) newSession(out io.Writer, th render.Theme) *repl.Session {
	s := repl.NewSession(out, th)
	s.Files = sessionFiles
	s.Course = a.course
	if a.stdoutTTY {
		// A step longer than the screen pages (with --step), and a table
		// wider than the terminal fits it rather than breaking mid-cell.
		s.Screen = prompt.ScreenSize
	}
	return s
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// Exit statuses, decided here and nowhere else.
const (
	exitOK      = 0
	exitFailed  = 1 // a scenario line failed, or a golden differed
	exitUsage   = 2 // fssim itself was used wrongly: bad flag, missing file
	exitNothing = 2 // fssim test found no scenario
)

// exitError carries an exit status up to run; msg, if any, goes to stderr.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// app is one process: its streams and its flags.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	stdinTTY       bool
	stdoutTTY      bool
	stderrIsStdout bool // one file or pipe behind both: >out 2>&1, 2>&1 | cat
	getenv         func(string) string

	color     string
	brief     bool
	trace     string // --trace: "" unless given
	palette   string // --theme, else FSSIM_THEME
	command   string
	keepGoing bool
	step      bool                // fssim run --step
	lessons   string              // --lessons DIR (or FSSIM_LESSONS)
	course    []repl.CourseLesson // the lessons read from it
	noHistory bool

	// fssim serve at a terminal: the session it serves, for the prompt.
	sess   *repl.Session
	served *serve.Server
}

// sameFile reports whether two streams are one open file, pipe or
// terminal, as after 2>&1. Only *os.File values can tell.
func sameFile(x, y any) bool {
	fx, ok1 := x.(*os.File)
	fy, ok2 := y.(*os.File)
	if !ok1 || !ok2 || fx == nil || fy == nil {
		return false
	}
	sx, err1 := fx.Stat()
	sy, err2 := fy.Stat()
	return err1 == nil && err2 == nil && os.SameFile(sx, sy)
}

func isTerminal(x any) bool {
	f, ok := x.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// run is the whole program: it parses args, runs, and returns the exit
// status. Nothing below it calls os.Exit.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// fssim's live heap is a few megabytes while a long scenario allocates
	// gigabytes of short-lived trace text: collecting at 5x the live heap
	// instead of 2x cuts GC time by a third for a fixed ~25 MB of RSS that
	// does not grow with the run (scripts/bench.sh). GOGC, if set, wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr,
		stdinTTY: isTerminal(stdin), stdoutTTY: isTerminal(stdout), stderrIsStdout: sameFile(stdout, stderr),
		getenv: os.Getenv}
	root := a.rootCmd()
	if msg := verbOnShell(root, args); msg != "" {
		fmt.Fprintf(stderr, "fssim: %s\n", msg)
		return exitUsage
	}
	root.SetArgs(args)
	err := root.Execute()
	var xe *exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &xe):
		if xe.msg != "" {
			fmt.Fprintf(stderr, "fssim: %s\n", xe.msg)
		}
		return xe.code
	default:
		// cobra's own errors: unknown flags, commands, argument counts.
		fmt.Fprintf(stderr, "fssim: %s\nRun 'fssim --help' for usage.\n", strings.TrimSpace(err.Error()))
		return exitUsage
	}
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "fssim",
		Short: "simulate how Windows file-system filter drivers find file systems and volumes",
		Long: "fssim plays the Windows I/O manager for legacy file-system filter drivers: IoRegisterFileSystem,\n" +
			"IoRegisterFsRegistrationChange callbacks, mount requests down each control device object's stack,\n" +
			"attach at the top. With a terminal on stdin it starts a prompt; otherwise it runs the verbs on stdin.\n\n" +
			verbSummary(),
		Example: "  fssim                          # the prompt\n" +
			"  fssim tour                     # the built-in tour\n" +
			"  fssim run lesson.fss           # a scenario file; fssim < lesson.fss does the same\n" +
			"  fssim -c 'fs register ntfs; filter load av --notify; mount C:'\n" +
			"  fssim test lessons/            # check .fss files against their .golden files",
		Args:              cobra.NoArgs,
		SilenceErrors:     true,
		SilenceUsage:      true,
		PersistentPreRunE: a.checkFlags,
		RunE:              a.runRoot,
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.CompletionOptions.HiddenDefaultCmd = false
	pf := root.PersistentFlags()
	pf.StringVar(&a.color, "color", "auto", "color output: auto (on a terminal, unless NO_COLOR is set), always or never")
	pf.StringVar(&a.lessons, "lessons", "", "a folder of a course's .fss lessons, played beside the built-in ones (default: $FSSIM_LESSONS)")
	pf.StringVar(&a.trace, "trace", "", "how much of each trace to print: full (the default), brief or stacks (the trace verb sets it)")
	pf.BoolVar(&a.brief, "brief", false, "the same as --trace=brief (an alias, as the brief verb is of trace)")
	pf.StringVar(&a.palette, "theme", "", "colors: default, or high-contrast for a projector (or FSSIM_THEME); NO_COLOR still turns color off")
	f := root.Flags()
	f.StringVarP(&a.command, "command", "c", "", "run verbs separated by ';' or newlines and exit, like sh -c")
	f.BoolVar(&a.keepGoing, "keep-going", false, "in a scenario, run on after a failing line (still exits 1)")
	f.BoolVar(&a.noHistory, "no-history", false, "keep the prompt's history in memory only")
	// Our own --version, so cobra adds no -v; root.Version makes cobra
	// answer it, with the same line as fssim version.
	f.Bool("version", false, "print fssim's version (as fssim version does)")
	root.Version = versionLine()
	root.SetVersionTemplate("{{.Version}}\n")

	root.AddCommand(a.runCmd(), a.tourCmd(), a.lessonCmd(), a.versionCmd(), a.testCmd(), a.serveCmd())
	root.SetHelpCommand(a.helpCmd(root))
	if a.stdoutTTY {
		// fssim --help at a terminal wraps as the prompt's help does: each
		// description under its column, never past the screen's edge.
		help := root.HelpFunc()
		root.SetHelpFunc(func(c *cobra.Command, args []string) {
			out := a.transcript()
			root.SetOut(out)
			long := c.Long
			c.Long = reflowProse(long, prompt.ScreenWidth())
			defer func() { out.flushWrap(); root.SetOut(a.stdout); c.Long = long }()
			help(c, args)
		})
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &exitError{code: exitUsage, msg: fmt.Sprintf("%v%s\nRun '%s --help' for usage.", err, flagHint(cmd, err), cmd.CommandPath())}
	})
	return root
}

// checkFlags refuses a --color other than auto, always or never, a bad
// --trace (or --trace with --brief) and a bad --theme or FSSIM_THEME, for
// every command, and reads the course's lessons (--lessons, FSSIM_LESSONS).
func (a *app) checkFlags(cmd *cobra.Command, args []string) error {
	switch a.color {
	case "auto", "always", "never":
	default:
		return &exitError{code: exitUsage, msg: fmt.Sprintf("bad --color %q: want auto, always or never", a.color)}
	}
	if a.trace != "" {
		if _, err := render.ParseTrace(a.trace); err != nil {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("bad --trace %q: want full, brief or stacks", a.trace)}
		}
		if a.brief {
			return &exitError{code: exitUsage, msg: "--brief is --trace=brief: give one of them"}
		}
	}
	if a.palette == "" {
		a.palette = a.getenv("FSSIM_THEME")
		if a.palette != "" && !render.ValidPalette(a.palette) {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("bad FSSIM_THEME %q: want default or high-contrast", a.palette)}
		}
	} else if !render.ValidPalette(a.palette) {
		return &exitError{code: exitUsage, msg: fmt.Sprintf("bad --theme %q: want default or high-contrast", a.palette)}
	}
	// A course's lessons: --lessons DIR, or FSSIM_LESSONS.
	dir := a.lessons
	if !cmd.Flags().Changed("lessons") {
		dir = a.getenv("FSSIM_LESSONS")
	}
	if dir != "" {
		c, err := repl.LoadCourse(dir)
		if err != nil {
			return &exitError{code: exitUsage, msg: err.Error()}
		}
		a.course = c
	}
	return nil
}

// runRoot is fssim with no command: -c's verbs, the prompt at a terminal,
// or else the verbs on stdin.
func (a *app) runRoot(cmd *cobra.Command, args []string) error {
	switch {
	case cmd.Flags().Changed("command"):
		return a.runCommands(a.command)
	case a.stdinTTY:
		return a.interactive()
	}
	return a.runScript(a.stdin, "-")
}

// runCmd is fssim run FILE|-: a scenario, with its transcript.
func (a *app) runCmd() *cobra.Command {
	runCmd := &cobra.Command{
		Use:   "run FILE|-",
		Short: "run a scenario file (- for stdin), printing a transcript",
		Long: "run executes a scenario: one verb per line, '#' starts a comment, blank lines are skipped. Each line is\n" +
			"echoed as 'fssim> LINE' before its output. A line starting with '! ' must fail. Any other failing line\n" +
			"prints FILE:LINE: error: ... and stops the run with status 1 (--keep-going runs on, still status 1).",
		Example: "  fssim run lesson.fss\n  fssim run - < lesson.fss\n  fssim run --keep-going --color=never lesson.fss > out.txt",
		Args:    exactArgs(1, "run needs one FILE (or - for stdin)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] == "-" {
				return a.runScript(a.stdin, "-")
			}
			if st, err := os.Stat(args[0]); err == nil && st.IsDir() {
				return &exitError{code: exitUsage, msg: fmt.Sprintf("%s is a folder: run takes a scenario file (fssim test takes folders)", args[0])}
			}
			f, err := repl.OpenScenario(args[0]) // a regular file of bounded size: never waits on a pipe
			if err != nil {
				return &exitError{code: exitUsage, msg: openMsg(err)}
			}
			defer f.Close()
			return a.runScript(f, args[0])
		},
	}
	runCmd.Flags().BoolVar(&a.keepGoing, "keep-going", false, "run on after a failing line (still exits 1)")
	runCmd.Flags().BoolVar(&a.step, "step", false, "pause after each step (a paragraph of comments and its verbs) when stdin is a terminal; piped, run straight through")
	return runCmd
}

// tourCmd is fssim tour: lesson tour.
func (a *app) tourCmd() *cobra.Command {
	return a.lessonRunner(&cobra.Command{
		Use:   "tour",
		Short: "play the built-in tour of how filters find file systems and volumes (lesson tour)",
		Args:  exactArgs(0, "tour takes no arguments"),
	}, func([]string) string { return "tour" })
}

// lessonCmd is fssim lesson [list|NAME].
func (a *app) lessonCmd() *cobra.Command {
	return a.lessonRunner(&cobra.Command{
		Use:     "lesson [list|NAME]",
		Short:   "list the built-in lessons, or play one",
		Example: "  fssim lesson list\n  fssim lesson tour --step\n  fssim lesson detach-middle",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return &exitError{code: exitUsage, msg: fmt.Sprintf("lesson takes one lesson's name (got %d arguments)\nRun 'fssim lesson --help' for usage.", len(args))}
			}
			return nil
		},
	}, func(args []string) string {
		if len(args) == 1 {
			return args[0]
		}
		return "list"
	})
}

// lessonRunner gives cmd tour's and lesson's --step flag, and runs the
// lesson that lesson(args) names.
func (a *app) lessonRunner(cmd *cobra.Command, lesson func(args []string) string) *cobra.Command {
	step := cmd.Flags().Bool("step", false, "pause after each step until a key (Enter, Space or n goes on, q quits), when stdin is a terminal")
	cmd.RunE = func(_ *cobra.Command, args []string) error { return a.runLesson(lesson(args), *step) }
	return cmd
}

// versionCmd is fssim version.
func (a *app) versionCmd() *cobra.Command {
	versionCmd := &cobra.Command{
		Use:   "version",
		Short: "print fssim's version",
		Args:  exactArgs(0, "version takes no arguments"),
		Run: func(cmd *cobra.Command, args []string) {
			fmt.Fprintln(a.stdout, versionLine())
		},
	}
	return versionCmd
}

// versionLine is what fssim version and fssim --version print.
func versionLine() string {
	return fmt.Sprintf("fssim %s (%s, %s/%s)", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// flagHint suggests the flag an unknown one was probably meant to be
// (--colr, --keepgoing), or returns "".
func flagHint(cmd *cobra.Command, err error) string {
	var ne *pflag.NotExistError
	if !errors.As(err, &ne) || ne.GetSpecifiedShortnames() != "" {
		return "" // not an unknown flag, or a -x shorthand: no guess
	}
	name := ne.GetSpecifiedName()
	var cands []string
	add := func(f *pflag.Flag) {
		if !f.Hidden {
			cands = append(cands, f.Name)
		}
	}
	cmd.Flags().VisitAll(add)
	cmd.InheritedFlags().VisitAll(add)
	if s := repl.Suggest(strings.ToLower(name), cands); s != "" {
		return fmt.Sprintf(" (did you mean --%s?)", s)
	}
	return ""
}

// verbOnShell catches a verb of the language typed as a command of fssim
// (fssim mount C:) before cobra does, since cobra would stop at the verb's
// flags (fssim mount D: --media cdrom) or call it an unknown command. It
// returns the message that shows the -c form, or "".
func verbOnShell(root *cobra.Command, args []string) string {
	i := 0
	for ; i < len(args); i++ {
		w := args[i]
		switch {
		case w == "-c" || strings.HasPrefix(w, "--command") || (strings.HasPrefix(w, "-") && !strings.HasPrefix(w, "--") && strings.Contains(w, "c")):
			return "" // -c is there: cobra reports whatever else is wrong
		case w == "--":
			i++
		case w == "--color":
			i++
			continue
		case strings.HasPrefix(w, "-"):
			continue
		}
		break
	}
	if i >= len(args) || !repl.IsVerbWord(args[i]) {
		return ""
	}
	switch args[i] { // cobra adds these two only when it runs
	case "help", "completion":
		return ""
	}
	for _, c := range root.Commands() {
		if c.Name() == args[i] || c.HasAlias(args[i]) {
			return ""
		}
	}
	words := make([]string, 0, len(args)-i)
	for _, w := range args[i:] {
		if w == "" || strings.ContainsAny(w, " \t'\"#;") {
			w = `"` + strings.ReplaceAll(w, `"`, ``) + `"`
		}
		words = append(words, w)
	}
	line := strings.Join(words, " ")
	if !utf8.ValidString(line) || strings.ContainsFunc(line, unicode.IsControl) {
		// Echoing the words would send their control bytes to the terminal.
		return fmt.Sprintf("%s is a verb of fssim's language, not a command of fssim: run it with fssim -c 'LINE' (or type it at the fssim> prompt)",
			strconv.Quote(args[i]))
	}
	return fmt.Sprintf("%s is a verb of fssim's language, not a command of fssim: run it with fssim -c %s (or type it at the fssim> prompt)",
		strconv.Quote(args[i]), shellQuote(line))
}

func exactArgs(n int, msg string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("%s (got %d)\nRun '%s --help' for usage.", msg, len(args), cmd.CommandPath())}
		}
		return nil
	}
}

func openMsg(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(err, os.ErrNotExist):
			return fmt.Sprintf("%s: no such file", repl.ShowName(pe.Path))
		case errors.Is(err, os.ErrPermission):
			return fmt.Sprintf("%s: permission denied", repl.ShowName(pe.Path))
		}
		return fmt.Sprintf("%s: %v", repl.ShowName(pe.Path), pe.Err)
	}
	return err.Error()
}

// helpCmd answers both "fssim help run" (cobra's commands) and
// "fssim help mount" (the verbs of the language).
func (a *app) helpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND|VERB]",
		Short: "help on a command of fssim or a verb of its language",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return root.Help()
			}
			if c, rest, err := root.Find(args); err == nil && c != root && len(rest) == 0 {
				return c.Help()
			}
			out := a.transcript()
			defer out.flushWrap()
			s := a.newSession(out, a.theme())
			if err := s.Exec("help " + strings.Join(args, " ")); err != nil {
				return &exitError{code: exitUsage, msg: err.Error()}
			}
			return nil
		},
	}
}

// reflowProse refills the prose paragraphs of a command's Long text to
// width: they are written broken at about 100 columns, which a narrower
// terminal would otherwise break again, raggedly. A paragraph with an
// indented line (the verb table under "Verbs") keeps its lines; the
// terminal's wrapper lines up its rows' descriptions.
func reflowProse(text string, width int) string {
	if width <= 0 {
		return text
	}
	paras := strings.Split(text, "\n\n")
	for i, p := range paras {
		lines := strings.Split(p, "\n")
		prose := true
		for _, l := range lines {
			if strings.HasPrefix(l, " ") {
				prose = false
			}
		}
		if prose {
			paras[i] = strings.TrimSuffix(render.Fill(strings.Join(lines, " "), width), "\n")
		}
	}
	return strings.Join(paras, "\n\n")
}

// verbSummary lists the verbs of the language for fssim --help, from the
// verb table, as help lists them but in one run.
func verbSummary() string {
	return "Verbs (type them at the prompt, or one per line in a scenario; help VERB for more):\n" +
		strings.TrimRight(repl.VerbList(false, render.NewTheme(false)), "\n")
}

// theme decides color once: --color, then NO_COLOR and TERM=dumb, then
// whether stdout is a terminal; the palette from --theme or FSSIM_THEME;
// and the trace level from --trace or --brief.
func (a *app) theme() render.Theme {
	on := a.stdoutTTY && a.getenv("NO_COLOR") == "" && a.getenv("TERM") != "dumb"
	switch a.color {
	case "always":
		on = true
	case "never":
		on = false
	}
	th := render.NewPaletteTheme(on, a.palette).WithBrief(a.brief)
	if l, err := render.ParseTrace(a.trace); err == nil && a.trace != "" {
		th = th.WithTrace(l)
	}
	return th
}

// scriptErrs is where failing lines are reported besides the transcript,
// which holds them too: stderr, unless whoever reads stderr reads the
// transcript already, because it is on the terminal or because stdout and
// stderr are one file or pipe (>out 2>&1, 2>&1 | cat), where a second copy
// would show each error twice. The transcript is buffered, so before each
// report the buffer out is flushed: where the two streams meet again (a
// terminal, a CI log), the error comes after the lines that led to it.
func (a *app) scriptErrs(out flusher) io.Writer {
	if a.stdoutTTY || a.stderrIsStdout {
		return nil
	}
	return &flushFirst{out: out, w: a.stderr}
}

// flusher is the transcript's buffer, or the session that writes through
// it (Session.Flush, which waits for its pipeline).
type flusher interface{ Flush() error }

// flushFirst writes to w after flushing out.
type flushFirst struct {
	out flusher
	w   io.Writer
}

func (f *flushFirst) Write(p []byte) (int, error) {
	f.out.Flush()
	return f.w.Write(p)
}

func (a *app) runScript(r io.Reader, name string) error {
	ow := a.transcript()
	defer ow.flushWrap()
	out := bufio.NewWriterSize(ow, 1<<20)
	s := a.newSession(out, a.theme())
	opt := repl.ScriptOptions{Name: name, KeepGoing: a.keepGoing, Echo: true, Errs: a.scriptErrs(s), Stop: ow.failed}
	var res repl.ScriptResult
	var err, fault error
	if a.step && a.stdinTTY && name != "-" {
		// fssim run --step FILE at a terminal paces the file as a lesson.
		res, err = a.stepScript(s, out, r, opt)
	} else {
		// The transcript is drawn and written on a second goroutine while
		// the engine runs the next verbs (repl's pipe.go).
		end := s.Pipeline()
		res, err = s.RunScript(r, opt)
		fault = end()
	}
	out.Flush()
	if werr := ow.result(); werr != nil {
		return werr
	}
	if fault != nil {
		return &exitError{code: exitFailed, msg: fault.Error()}
	}
	if err != nil {
		return &exitError{code: exitFailed, msg: fmt.Sprintf("reading %s: %v", name, err)}
	}
	if res.Failed > 0 {
		return &exitError{code: exitFailed}
	}
	return nil
}

// stepScript runs r pausing after each step, reading answers from the
// terminal on stdin.
func (a *app) stepScript(s *repl.Session, out *bufio.Writer, r io.Reader, opt repl.ScriptOptions) (repl.ScriptResult, error) {
	ask := a.pauses(s, out)
	res, stopped, err := s.StepScript(r, opt, ask)
	if err == nil && stopped != "" {
		fmt.Fprintf(out, "\n%s %s\n", opt.Name, stopped)
	}
	return res, err
}

// pauses makes s ask the student at the terminal on stdin, for fssim
// lesson --step and fssim run --step: it returns the Ask that reads a line,
// and sets s.Key, so that a pause acts on a key as it is pressed, where
// fssim can read keys there. out is flushed before each question.
func (a *app) pauses(s *repl.Session, out *bufio.Writer) func(string) (string, error) {
	if f, ok := a.stdin.(*os.File); ok {
		if keys := prompt.NewKeys(f, a.stdout, a.stdoutTTY && a.getenv("TERM") != "dumb"); keys != nil {
			s.Key = func(p, hint string, acts func(string) bool) (string, error) {
				out.Flush()
				return keys.Pause(p, hint, acts)
			}
		}
	}
	in := bufio.NewReader(a.stdin)
	return func(prompt string) (string, error) {
		out.Flush()
		fmt.Fprint(a.stdout, prompt)
		return in.ReadString('\n')
	}
}

// runLesson is fssim lesson NAME and fssim tour: the lesson verb in a
// fresh lab. With --step and a terminal on stdin it pauses after each step.
func (a *app) runLesson(name string, step bool) error {
	ow := a.transcript()
	defer ow.flushWrap()
	out := bufio.NewWriterSize(ow, 1<<20)
	s := a.newSession(out, a.theme())
	line := []string{"lesson", name}
	if step {
		line = append(line, "--step")
		if a.stdinTTY {
			s.Ask = a.pauses(s, out)
		}
	}
	err := s.ExecWords(line)
	out.Flush()
	if werr := ow.result(); werr != nil {
		return werr
	}
	switch k := repl.ErrorKindOf(err); {
	case err == nil:
		return nil
	case k == "bad-value" || k == "usage":
		return &exitError{code: exitUsage, msg: err.Error()} // fssim lesson nosuch
	default:
		return &exitError{code: exitFailed, msg: err.Error()}
	}
}

func (a *app) runCommands(cmds string) error {
	ow := a.transcript()
	defer ow.flushWrap()
	out := bufio.NewWriterSize(ow, 1<<20)
	s := a.newSession(out, a.theme())
	res := s.RunCommands(cmds, repl.ScriptOptions{Name: "-c", KeepGoing: a.keepGoing, Errs: a.scriptErrs(out)})
	out.Flush()
	if werr := ow.result(); werr != nil {
		return werr
	}
	if res.Failed > 0 {
		return &exitError{code: exitFailed}
	}
	return nil
}

// outWriter is stdout as a transcript sees it: it remembers the first write
// error so the run can stop instead of computing output nobody can read.
// (A broken pipe on fd 1 or 2 never gets here: Go raises SIGPIPE for it and
// the process ends with status 141, even when the shell ignores SIGPIPE, as
// TestRobustClosedStdoutLong shows. This is for any other writer, where Go
// returns EPIPE instead: TestRunReaderGone.)
type outWriter struct {
	w    io.Writer
	err  error
	wrap *render.WrapWriter // on a terminal, between w and stdout
	// bad is set once err is: the run asks failed between lines while a
	// session's pipeline writes on a goroutine of its own.
	bad atomic.Bool
}

// transcript is stdout for fssim run, -c, lesson and tour: on a terminal
// its lines wrap at spaces with a hanging indent, as at the prompt; piped,
// they go out as they are.
func (a *app) transcript() *outWriter {
	if !a.stdoutTTY {
		return &outWriter{w: a.stdout}
	}
	ww := render.NewWrapWriter(a.stdout, prompt.ScreenWidth)
	return &outWriter{w: ww, wrap: ww}
}

// flushWrap writes a last line left without its newline.
func (o *outWriter) flushWrap() {
	if o.wrap != nil {
		o.wrap.Flush()
	}
}

func (o *outWriter) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.w.Write(p)
	if err != nil {
		o.err = err
		o.bad.Store(true)
	}
	return n, err
}

func (o *outWriter) failed() bool { return o.bad.Load() }

// result turns a write error into the run's outcome: a reader that went
// away (fssim run big.fss | head -1) ends the run quietly and successfully;
// any other failure to write is reported.
func (o *outWriter) result() error {
	switch {
	case o.err == nil:
		return nil
	case errors.Is(o.err, syscall.EPIPE), errors.Is(o.err, os.ErrClosed):
		return nil
	}
	return &exitError{code: exitFailed, msg: fmt.Sprintf("writing the transcript: %v", o.err)}
}

func (a *app) interactive() error {
	th := a.theme()
	s := a.sess
	if s == nil {
		s = a.newSession(a.stdout, th)
	}
	welcome := fmt.Sprintf("fssim %s (%s profile): %s lists the verbs, %s plays the tour, Ctrl-D leaves.\n",
		version, s.Eng.Profile(), th.Bold("help"), th.Bold("tour"))
	opt := prompt.Options{Stdout: a.stdout, Stderr: a.stderr, Welcome: welcome}
	if a.stdoutTTY {
		opt.Width = prompt.ScreenWidth // long lines wrap at the terminal's width
		opt.Screen = prompt.ScreenSize // lesson --step pages a step longer than the screen
		opt.BracketPaste = a.getenv("TERM") != "dumb"
	}
	defer a.servePrompt(s, &opt)()
	if f, ok := a.stdin.(*os.File); ok && a.stdinTTY {
		opt.Keys = prompt.NewKeys(f, a.stdout, opt.BracketPaste)
	}
	if rc, ok := a.stdin.(io.ReadCloser); ok {
		opt.Stdin = rc
	} else {
		opt.Stdin = io.NopCloser(a.stdin)
	}
	if !a.noHistory {
		path, err := historyFile()
		if err != nil {
			fmt.Fprintf(a.stderr, "fssim: history is off for this session: %v\n", err)
		} else {
			opt.HistoryFile = path
		}
	}
	promptOwnsInterrupt.Store(true) // Ctrl-C stops a running verb list, not fssim
	defer promptOwnsInterrupt.Store(false)
	if err := prompt.Run(s, opt); err != nil {
		return &exitError{code: exitFailed, msg: err.Error()}
	}
	return nil
}

// historyFile returns the prompt's history file in the user's config
// folder, creating the folder, or why it cannot be used. The file itself is
// the prompt's to open (prompt.Options.HistoryFile): it may be
// read-only, or not a file at all.
func historyFile() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	dir = filepath.Join(dir, "fssim")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cannot create %s: %w", dir, errors.Unwrap(err))
	}
	return filepath.Join(dir, "history"), nil
}
