package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/fssim/fssim/internal/repl"
	"github.com/fssim/fssim/internal/serve"
	prompt "github.com/fssim/fssim/internal/term"
)

// serveOwnsSignals is set once fssim serve without a terminal waits for
// SIGINT or SIGTERM: they end the serving and fssim exits 0, so the handler
// that ends fssim on a signal (signals.go) leaves them to it. It is never
// cleared in fssim: both handlers get the same signal, and serve returning
// (and clearing it) before the other handler looked would let that one end
// fssim with 130 (TestServeSignalsExit0 caught this). Serving ends only as
// fssim ends. In-process tests clear it themselves.
var serveOwnsSignals atomic.Bool

// serveCmd is fssim serve [--listen ADDR] [--allow-files] [FILE]: the live
// page of a session; FILE runs first, then the prompt at a terminal, or
// serving until SIGINT or SIGTERM without one.
func (a *app) serveCmd() *cobra.Command {
	var listen string
	var allowFiles bool
	cmd := &cobra.Command{
		Use:   "serve [FILE]",
		Short: "serve a live page of the lab (picture, output, verb line), then the prompt",
		Long: "serve runs FILE if given, then serves a page of the session at http://127.0.0.1:8080/ (or the next free\n" +
			"port): the picture export svg draws, redrawn after every verb, the last verbs' output, and a line that runs\n" +
			"verbs in the same session. With a terminal on stdin the prompt follows, and verbs typed there show on the\n" +
			"page too; without one fssim serves until SIGINT or SIGTERM (Ctrl-C), then exits 0. Only loopback is served\n" +
			"unless --listen names another address. Verbs from the page may not read or write files unless --allow-files.\n\n" +
			"Endpoints: GET / (the page), GET /state.json (show --json), GET /stacks.svg (export svg), GET /events\n" +
			"(server-sent events, one per verb: its line, output and the state's version), POST /exec (a text/plain line:\n" +
			"its output; 200, or 422 when a verb failed).",
		Example: "  fssim serve                        # then type verbs at the prompt; open the printed address\n" +
			"  fssim serve lab.fss                # build the lab first\n" +
			"  fssim serve --listen 0.0.0.0:8080  # reachable from other machines (with a warning)",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return &exitError{code: exitUsage, msg: fmt.Sprintf("serve takes at most one scenario FILE (got %d arguments)\nRun 'fssim serve --help' for usage.", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.serve(listen, allowFiles, args)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "", "the address to serve on (default "+serve.DefaultAddr+", or the next free port); not loopback: served with a warning")
	cmd.Flags().BoolVar(&allowFiles, "allow-files", false, "let verbs from the page read and write files (save, load, source, export FILE)")
	return cmd
}

func (a *app) serve(listen string, allowFiles bool, args []string) error {
	var file io.ReadCloser
	if len(args) == 1 {
		if st, err := os.Stat(args[0]); err == nil && st.IsDir() {
			return &exitError{code: exitUsage, msg: fmt.Sprintf("%s is a folder: serve takes a scenario file", repl.ShowName(args[0]))}
		}
		f, err := repl.OpenScenario(args[0]) // a regular file of bounded size: never waits on a pipe
		if err != nil {
			return &exitError{code: exitUsage, msg: openMsg(err)}
		}
		defer f.Close()
		file = f
	}
	l, warn, err := serve.Listen(listen)
	if err != nil {
		return &exitError{code: exitUsage, msg: err.Error()}
	}
	// Without a terminal, SIGINT and SIGTERM end the serving; caught from
	// now on, so that a signal after the address is printed is never lost.
	var stop <-chan struct{}
	if !a.stdinTTY {
		ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer cancel()
		stop = ctx.Done()
		serveOwnsSignals.Store(true)
	}
	th := a.theme()
	s := a.newSession(a.stdout, th)
	srv := serve.New(s, serve.Options{AllowFiles: allowFiles})
	defer srv.Close()
	if file != nil {
		// The page opens on the lab FILE built: it is served once FILE
		// has run.
		ow := &outWriter{w: a.stdout}
		out := bufio.NewWriterSize(ow, 1<<20)
		s.Out = out
		_, rerr := s.RunScript(file, repl.ScriptOptions{Name: args[0], KeepGoing: a.keepGoing, Echo: true, Errs: a.scriptErrs(out)})
		out.Flush()
		s.Out = a.stdout
		if rerr != nil {
			l.Close()
			return &exitError{code: exitFailed, msg: fmt.Sprintf("reading %s: %v", args[0], rerr)}
		}
		if a.stdoutTTY {
			fmt.Fprintln(a.stdout) // the address stands apart from the transcript
		}
	}
	url := srv.Start(l)
	if warn != "" {
		fmt.Fprintf(a.stderr, "fssim: %s\n", warn)
	}
	if !a.stdinTTY {
		fmt.Fprintf(a.stdout, "serving the lab at %s until SIGINT or SIGTERM (Ctrl-C)\n", url)
		<-stop
		return nil
	}
	fmt.Fprintf(a.stdout, "serving the lab at %s: open it in a browser; it follows every verb typed here\n", url)
	a.served = srv
	a.sess = s
	return a.interactive()
}

// servePrompt lets the serve verb start a page of the prompt's session s and
// sets the lock that the prompt and the page share; the function it returns
// stops the page when the prompt ends.
func (a *app) servePrompt(s *repl.Session, opt *prompt.Options) func() {
	if a.served != nil { // fssim serve: serving already
		opt.Lock = a.served.Lock()
		url := a.served.URL()
		opt.Lock.Lock() // the page may be running a verb in s
		s.Serve = func(string, bool) error { return fmt.Errorf("already serving the lab at %s", url) }
		opt.Lock.Unlock()
		return func() {}
	}
	lock := new(sync.Mutex)
	opt.Lock = lock
	var srv *serve.Server
	s.Serve = func(listen string, allowFiles bool) error {
		if srv != nil {
			return fmt.Errorf("already serving the lab at %s", srv.URL())
		}
		l, warn, err := serve.Listen(listen)
		if err != nil {
			return err
		}
		srv = serve.New(s, serve.Options{AllowFiles: allowFiles, Lock: lock})
		url := srv.Start(l)
		if warn != "" {
			fmt.Fprintln(s.Out, warn)
		}
		fmt.Fprintf(s.Out, "serving the lab at %s: open it in a browser; it follows every verb typed here\n", url)
		return nil
	}
	return func() {
		if srv != nil {
			srv.Close()
		}
	}
}
