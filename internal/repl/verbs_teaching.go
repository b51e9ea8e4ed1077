package repl

// teachingVerbs play the built-in lessons, the tour and the quiz.
var teachingVerbs = []*Verb{
	{
		Name: "lesson", Replays: true, Group: "session",
		Args:    []Arg{{Name: "NAME", Optional: true, Help: "a built-in lesson, or list (the default): lesson list names them all", Complete: lessonNames}},
		Flags:   []Flag{{Name: "step", Help: "at a terminal, pause after each step until a key: Enter, Space or n goes on, q quits; piped or in -c it runs straight through"}},
		Summary: "list the built-in lessons, or play one, verb by verb, in this session",
		Detail: "Each lesson is a scenario built into fssim: comments that explain, and the verbs that show it. A " +
			"lesson starts from its own lab, the boot state of its profile (xp unless its first verb is os): if yours " +
			"is another, it runs reset and os xp first and says so, and undo right after the lesson brings your lab " +
			"back. Its verbs join the history, and the lab it builds stays yours to explore. Each ends with a Try next line naming the next " +
			"lesson or a verb to try.",
		Examples: []string{"lesson list", "lesson tour", "lesson detach-middle --step"},
		Run:      func(s *Session, c *Call) error { return s.lessonVerb(c) },
	},
	{
		Name: "tour", Replays: true, Group: "session",
		Flags:    []Flag{{Name: "step", Help: "at a terminal, pause after each step until a key: Enter, Space or n goes on, q quits"}},
		Summary:  "play the built-in tour of the seed page (the same as lesson tour)",
		Detail:   "The tour starts from its own lab, the boot state of xp: if yours is another, it runs reset and os xp first and says so, and undo right after it brings your lab back. After it, the lab it built is yours to explore.",
		Examples: []string{"tour", "tour --step"},
		Run:      func(s *Session, c *Call) error { return s.runLesson("tour", c.Bool("step")) },
	},
	{
		Name: "quiz", Replays: true, Group: "session",
		Flags: []Flag{
			{Name: "seed", Arg: "N", Help: "the quiz's number: the same N gives the same quiz on every machine (default: a random one, printed)"},
			{Name: "answer", Help: "print the answer and its explanation instead of asking (for the teacher)"},
		},
		Summary: "build a random lab from the boot state and ask for the order of one of its stacks",
		Detail: "quiz runs a few verbs (file systems, 2 to 4 filters: notify, command-driven, --no-enumerate, maybe a " +
			"detach or a remount), prints them but not the stacks, and asks for one stack's drivers, top first, " +
			"separated by spaces (the file system at the bottom may be left out, or named by its format: fat for fastfat). " +
			"At the prompt you type the answer (Enter alone asks again; Ctrl-C or Ctrl-D skips the quiz); " +
			"in a scenario the answer is the next line; with nobody to answer (fssim -c) quiz says how to see it. " +
			"Then it says whether you were right, explains the stack device by device, and gives the verdict again. A wrong answer is not " +
			"an error. The lab stays built and its verbs join the history.",
		Examples: []string{"quiz --seed 1 --answer", "quiz", "quiz --seed 7"},
		Run:      func(s *Session, c *Call) error { return s.quizVerb(c) },
	},
	serveVerb,
	{
		Name: "rule", Group: "views",
		Args:    []Arg{{Name: "N", Optional: true, Help: "a rule's number, 1 to 28, as explain cites it"}},
		Summary: "print rule N of fssim's model (docs/model.md) with its sources, or list the rules' titles",
		Detail: "The rules are fssim's behavioural contract, each with the public sources it rests on; explain " +
			"names the rules behind each device (rules 15, 17, 21), and rule 21 prints one of them. rule alone " +
			"lists them all by number and title. The page is built into fssim, so it is the one this fssim follows.",
		Examples: []string{"rule", "rule 21", "rule 17"},
		Run:      func(s *Session, c *Call) error { return s.ruleVerb(c) },
	},
}
