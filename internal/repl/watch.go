package repl

// A front-end that shows the lab somewhere besides the session's output (the
// page fssim serve draws) watches the session: it sees each verb run, its
// output and the lab after it, on the goroutine that runs the verb, so it
// reads the engine while nobody else does.

// watch runs one verb that no other verb runs through s.Watch. Verbs that
// this verb runs (load's lines, a lesson's) are part of its output and are
// not watched on their own.
func (s *Session) watch(words []string, text string, run func() error) error {
	if text == "" {
		text = joinWords(words)
	}
	s.watching = true
	defer func() { s.watching = false }()
	return s.Watch(text, run)
}

// ServeHook starts the page that shows the lab (fssim serve): the serve verb
// calls it with --listen's address ("" for the default) and whether
// --allow-files was given. It prints the page's address to the session's
// output. A front-end that can serve sets Session.Serve to one.
type ServeHook func(listen string, allowFiles bool) error

var serveVerb = &Verb{
	Name: "serve", Group: "session",
	Flags: []Flag{
		{Name: "listen", Arg: "ADDR", Help: "the address to serve on (default 127.0.0.1:8080, or the next free port); one that is not loopback is served with a warning"},
		{Name: "allow-files", Help: "let verbs typed in the page read and write files (save, load, source, export FILE)"},
	},
	Summary: "serve a live page of the lab: the picture redrawn after every verb, its output, and a verb line",
	Detail: "The page shows what export svg draws, redrawn after each verb typed here or in the page, with the " +
		"last verbs' output under it and the devices that changed lit up for a moment; its verb line runs verbs in " +
		"this session. It is served on loopback unless --listen names another address. Verbs from the page may " +
		"not read or write files unless --allow-files. The page keeps serving until fssim ends. fssim serve " +
		"from the shell does the same before the prompt.",
	Examples: []string{"serve", "serve --listen 127.0.0.1:9000", "serve --listen 0.0.0.0:8080"},
	Run: func(s *Session, c *Call) error {
		if s.Serve == nil {
			return errorf(ErrNoPrompt, "serve runs at the fssim> prompt only, not in a scenario or fssim -c (from the shell: fssim serve [FILE])")
		}
		listen, _ := c.Value("listen")
		return s.Serve(listen, c.Bool("allow-files"))
	},
}
