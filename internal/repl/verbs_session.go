package repl

import (
	"fmt"
	"io"
	"strings"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

// traceSays is what each trace level prints, as the trace verb says it.
var traceSays = [...]string{
	render.TraceFull:   "every event, with device addresses",
	render.TraceBrief:  "one line per driver call that matters, no device addresses",
	render.TraceStacks: "only what changed: stacks, refusals and statuses",
}

var osNames = engine.ProfileNames()

// profileHelp names each profile and what it stands for: "xp (Windows XP
// and later) or w2k (Windows 2000)".
func profileHelp() string {
	var parts []string
	for _, p := range engine.Profiles {
		parts = append(parts, p.String()+" ("+p.Title()+")")
	}
	if n := len(parts); n > 1 {
		return strings.Join(parts[:n-1], ", ") + " or " + parts[n-1]
	}
	return strings.Join(parts, "")
}

func verbNames(*Session) []string {
	var out []string
	for _, v := range verbs {
		out = append(out, v.Name)
	}
	return out
}

// settingVerbs print or set what the lab boots with (os, policy), how
// output looks (trace, and its alias brief), and reset it to the boot state.
var settingVerbs = []*Verb{
	{
		Name: "os", Changes: withArgs, Group: "session",
		Args:    []Arg{{Name: "PROFILE", Optional: true, Values: osNames, Help: profileHelp()}},
		Summary: "print the OS profile, or set it (only in the boot state)",
		Detail: "w2k is Windows 2000 as shipped: IoRegisterFsRegistrationChange does not replay file systems registered " +
			"earlier, and IoRegisterFsRegistrationChangeEx, IoEnumerateDeviceObjectList and IoAttachDeviceToDeviceStackSafe do " +
			"not exist (filter load --ex is refused). w2ksp4 is Windows 2000 SP4 with the Update Rollup, which brought all " +
			"three: --ex replays, attaches are Safe, and sfilter still never enumerates, since it tests the OS version. win7 adds IoRegisterFsRegistrationChangeMountAware " +
			"(filter load --notify --mount-aware); win10 also has the IoBlockLegacyFsFilters policy (policy). " +
			"Set it right after start or reset.",
		Examples: []string{"os", "os w2k"},
		Run: func(s *Session, c *Call) error {
			if len(c.Args) == 0 {
				p := s.Eng.Profile()
				fmt.Fprintf(s.Out, "os %s (%s)\n", p, p.Title())
				return nil
			}
			p, err := engine.ParseProfile(c.Arg(0))
			if err != nil {
				return err
			}
			return s.report(s.Eng.SetProfile(p))
		},
	},
	{
		Name: "policy", Changes: withArgs, Group: "session",
		Args: []Arg{{Name: "SETTING", Optional: true, Values: []string{"block-legacy"}, Help: "block-legacy: the IoBlockLegacyFsFilters policy of Windows 10 1607 and later"},
			{Name: "MODE", Optional: true, Values: []string{"on", "off"}, Help: "on: legacy filters cannot register (STATUS_NOT_SUPPORTED) or attach to volumes; off: the default"}},
		Summary: "print the legacy-filter blocking policy, or set it (win10, only in the boot state)",
		Detail: "With policy block-legacy on, IoRegisterFsRegistrationChange (and its Ex and MountAware variants) returns " +
			"STATUS_NOT_SUPPORTED, so a filter loaded with --notify fails to load and filter notify is refused; a filter " +
			"that waits for commands still loads, but filter attach fails too: the policy blocks legacy filters \"from loading " +
			"or attaching to storage volumes\". Filter Manager is not blocked, so fltmgr load and minifilters keep working. On Windows the policy is the registry value " +
			"IoBlockLegacyFsFilters under HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\I/O System, read at boot, " +
			"so fssim sets it only in the boot state, as it sets os; reset keeps it, a change of os clears it.",
		Examples: []string{"policy", "policy block-legacy on", "policy block-legacy off"},
		Run: func(s *Session, c *Call) error {
			switch len(c.Args) {
			case 0:
				p := s.Eng.Profile()
				if !p.Caps().BlockPolicy {
					fmt.Fprintf(s.Out, "policy: none on %s (%s); the legacy-filter blocking policy came with Windows 10 1607 (os win10)\n", p, p.Title())
				} else if s.Eng.BlockLegacy() {
					io.WriteString(s.Out, "policy block-legacy on: legacy filters' IoRegisterFsRegistrationChange returns STATUS_NOT_SUPPORTED\n")
				} else {
					io.WriteString(s.Out, "policy block-legacy off: legacy filters may register (policy block-legacy on blocks them)\n")
				}
				return nil
			case 1:
				return usageErr(c.Verb, "policy block-legacy needs on or off")
			}
			return s.report(s.Eng.SetBlockLegacy(strings.EqualFold(c.Arg(1), "on")))
		},
	},
	{
		Name: "trace", Group: "session",
		Args: []Arg{{Name: "LEVEL", Optional: true, Values: render.TraceNames,
			Help: "full: every event with addresses (the default); brief: the driver calls that matter; stacks: only what changed"}},
		Summary: "print or set how much of each trace is printed: full, brief or stacks (for a projector)",
		Detail: "full prints every event of a verb's trace, with device addresses, as golden transcripts hold it. " +
			"brief keeps one line per driver call that matters (driver entry points, registrations, callbacks, " +
			"mount results, attaches and detaches, statuses), each under its nearest printed cause, and leaves " +
			"device addresses out: stack rows lose their address column and a trace line names a device by its " +
			"driver (av, not av ffffa08000005000). The STATUS_SUCCESS that answers a routine's call is left out. " +
			"stacks prints only what changed: the stacks a verb changed, refusals, failed statuses, an I/O request's " +
			"result and a session's new state. At every level the stacks a verb changed are listed after it; " +
			"devstack keeps its addresses, as WinDbg's !devstack does. brief on|off and fssim --brief are " +
			"aliases of trace brief|full.",
		Examples: []string{"trace stacks", "trace brief", "trace full", "trace"},
		Run: func(s *Session, c *Call) error {
			if len(c.Args) == 1 {
				l, err := render.ParseTrace(c.Arg(0))
				if err != nil {
					return usageErr(c.Verb, err.Error())
				}
				s.Theme = s.Theme.WithTrace(l)
			}
			fmt.Fprintf(s.Out, "trace %s: %s\n", s.Theme.Trace(), traceSays[s.Theme.Trace()])
			return nil
		},
	},
	{
		Name: "brief", Group: "session",
		Args:    []Arg{{Name: "MODE", Optional: true, Values: []string{"on", "off"}, Help: "on: trace brief; off: trace full (the default)"}},
		Summary: "print or set brief output: an alias, brief on is trace brief and brief off is trace full",
		Detail: "brief on is trace brief: one line per driver call that matters, without device addresses; " +
			"brief off is trace full. brief alone says whether the trace level is full. See help trace.",
		Examples: []string{"brief on", "brief off", "brief"},
		Run: func(s *Session, c *Call) error {
			if len(c.Args) == 1 {
				s.Theme = s.Theme.WithBrief(strings.EqualFold(c.Arg(0), "on"))
			}
			switch s.Theme.Trace() {
			case render.TraceBrief:
				io.WriteString(s.Out, "brief on: short traces, no device addresses (brief off shows everything)\n")
			case render.TraceStacks:
				fmt.Fprintf(s.Out, "brief on: trace stacks, %s (brief off shows everything)\n", traceSays[render.TraceStacks])
			default:
				io.WriteString(s.Out, "brief off: full traces and device addresses\n")
			}
			return nil
		},
	},
	{
		Name: "reset", Changes: always, Group: "session",
		Summary:  "back to the boot state: only RAW registered, nothing loaded or mounted",
		Examples: []string{"reset", "help reset"},
		Run: func(s *Session, c *Call) error {
			return s.report(s.Eng.Reset(), nil)
		},
	},
}

// sessionVerbs work on the session itself: its history, undo, scenario
// files, help and exit.
var sessionVerbs = []*Verb{
	{
		Name: "history", Group: "session",
		Summary: "list the verbs that changed the lab so far, numbered, as a scenario would hold them",
		Detail: "Only verbs that succeeded and changed the lab are listed: fs, filter and volume verbs, os PROFILE " +
			"and reset; views, help and brief are not. Each verb of a line with several ';'-separated verbs is an " +
			"entry of its own. A reset is an entry too, and what came before it stays listed, so undo after a " +
			"reset brings the lab back. A lesson, a quiz or a load lists the verbs it ran.",
		Examples: []string{"history", "help history"},
		Run: func(s *Session, c *Call) error {
			s.printHistory()
			return nil
		},
	},
	{
		Name: "undo", Replays: true, Group: "session",
		Args:    []Arg{{Name: "N", Optional: true, Help: "how many verbs to take back (default 1)"}},
		Summary: "take back the last N verbs of the history, then list the stacks that changed",
		Detail: "undo rebuilds the lab from the boot state by replaying the history without its last N verbs; the " +
			"simulation is deterministic, so every device comes back at the same address. The OS profile comes " +
			"back with it (os w2k is in the history); brief output is a setting of the session and stays as it is.",
		Examples: []string{"undo", "undo 2"},
		Run:      func(s *Session, c *Call) error { return s.undoVerb(c) },
	},
	{
		Name: "save", Group: "session",
		Args: []Arg{{Name: "FILE", Help: "the scenario file to write, like lab.fss"}},
		Flags: []Flag{{Name: "all", Help: "save the whole session's history, not only what built the current lab"},
			{Name: "force", Help: "replace FILE if it exists"}},
		Summary: "write the verbs that rebuild the current lab as a scenario file for fssim run (--all: the whole session)",
		Detail: "The file starts with a comment saying fssim's save wrote it, then holds the verbs that rebuild the " +
			"current lab from its boot state: the os and policy lines, then the verbs since the last reset, os, " +
			"policy, lesson or quiz start; save --all writes the whole history instead. One line says which. It is written to a temporary file in the same folder and renamed over FILE, so FILE holds either " +
			"its old content or the whole new one; save refuses to replace a file without --force, and a failed " +
			"save leaves any old file as it was. FILE keeps its permissions; through a symbolic link the link's " +
			"target is written and the link stays; a device, a named pipe, a socket or a folder is never written.",
		Examples: []string{"save lab.fss", "save lab.fss --force", "save session.fss --all"},
		Run:      func(s *Session, c *Call) error { return s.saveVerb(c) },
	},
	{
		Name: "load", Aliases: []string{"source"}, Replays: true, Group: "session",
		Args:    []Arg{{Name: "FILE", Help: "a scenario file, like lab.fss (a relative path starts at the working folder)"}},
		Summary: "run a scenario file in this session, printing its transcript as fssim run does",
		Detail: "Its verbs join the history. A failing line stops it with FILE:LINE: error: ..., and the lab is " +
			"rebuilt as it was before load. Lines starting with '!' must fail, as in any scenario. A loaded file may " +
			"load others, up to 8 deep; exit in a loaded file ends that file only.",
		Examples: []string{"load lab.fss", "source lab.fss"},
		Run:      func(s *Session, c *Call) error { return s.loadVerb(c) },
	},
	{
		Name: "help", Group: "session",
		Args:     []Arg{{Name: "VERB", Optional: true, Rest: true, Help: "a verb, like mount or fs register", Complete: verbNames}},
		Summary:  "list the verbs, or show one verb's usage, flags and examples",
		Examples: []string{"help", "help mount", "help fs register", "help filter"},
		Run: func(s *Session, c *Call) error {
			if len(c.Args) == 0 {
				s.Help()
				return nil
			}
			if g := strings.ToLower(c.Arg(0)); isGroupWord(g) {
				s.groupHelp(g)
				return nil
			}
			v, _, err := Lookup(strings.Fields(c.Arg(0)))
			if err != nil {
				return err
			}
			s.verbHelp(v)
			return nil
		},
	},
	{
		Name: "exit", Aliases: []string{"quit"}, Group: "session",
		Summary:  "leave fssim (Ctrl-D does too)",
		Examples: []string{"exit", "quit"},
		Run:      func(*Session, *Call) error { return ErrExit },
	},
}
