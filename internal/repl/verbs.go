package repl

import (
	"fmt"
	"strings"

	"github.com/fssim/fssim/internal/engine"
)

// Flag is one --flag of a verb.
type Flag struct {
	Name   string   // without the dashes
	Arg    string   // placeholder of its value; "" for a switch
	Values []string // the values it takes, if fixed: help and completion show them
	// Refused explains, by value, why a value people reach for is not among
	// Values (mount --media network), so the error teaches instead of listing.
	Refused map[string]string
	// Short is a one-letter alias written with one dash, as fltmc's -a
	// and -i are.
	Short string
	Help  string
	// Complete lists values from the session's state, for completion.
	Complete func(s *Session) []string
}

// Arg is one positional argument of a verb.
type Arg struct {
	Name     string // NAME, VOLUME
	Optional bool
	Values   []string // fixed values, if any
	Rest     bool     // the last argument: takes every word left, joined by spaces
	Help     string
	// Complete lists candidates from the session's state, for completion.
	Complete func(s *Session) []string
}

// Verb is one command of the fssim language. The table of verbs is the one
// definition that dispatch, usage errors, help, completion and the README's
// reference are all read from.
type Verb struct {
	Name     string // "fs register", "mount"
	Aliases  []string
	Group    string
	Args     []Arg
	Flags    []Flag
	Summary  string // one line, lower case, no final period
	Detail   string // a paragraph for help VERB
	Examples []string
	Run      func(s *Session, c *Call) error
	// Changes says whether a call that succeeds changes the lab, so that
	// history records it, undo can take it back and save writes it; nil
	// for a verb that never does (the views, and settings of the session
	// such as trace, which are presentation, not the lab's state).
	Changes func(c *Call) bool
	// Replays marks a verb that changes the lab only by running other
	// verbs (tour, load) or by rebuilding it from the history (undo):
	// history records the verbs it ran, never the verb itself.
	Replays bool
}

// always is Changes for a verb whose every successful call changes the lab.
func always(*Call) bool { return true }

// withArgs is Changes for a verb that prints a setting when given no
// argument and sets it otherwise (os).
func withArgs(c *Call) bool { return len(c.Args) > 0 }

// Groups in the order help lists them.
var Groups = []string{"file systems", "filters", "filter manager", "volumes", "views", "session"}

// verbs is the verb table in help order: each group's verbs are declared in
// the file named for it (verbs_fs.go, verbs_filter.go, verbs_fltmgr.go,
// verbs_volume.go, verbs_views.go, verbs_session.go, verbs_teaching.go).
// The help and completion verbs read the table, so it is put together in
// init rather than in its declaration (an initialization cycle otherwise).
var verbs []*Verb

func init() {
	for _, group := range [][]*Verb{
		fsVerbs, filterVerbs, fltmgrVerbs, volumeVerbs, viewVerbs, expectVerbs,
		settingVerbs, teachingVerbs, sessionVerbs,
	} {
		verbs = append(verbs, group...)
	}
}

// Usage is the verb's usage line: fs register NAME [--type disk|cdrom|...].
func (v *Verb) Usage() string {
	var b strings.Builder
	b.WriteString(v.Name)
	for _, a := range v.Args {
		name := a.Name
		if len(a.Values) > 0 {
			name = strings.Join(a.Values, "|")
		}
		if a.Optional {
			fmt.Fprintf(&b, " [%s]", name)
		} else {
			fmt.Fprintf(&b, " %s", name)
		}
	}
	for _, f := range v.Flags {
		fmt.Fprintf(&b, " [%s]", f.spec())
	}
	return b.String()
}

func (f Flag) spec() string {
	switch {
	case len(f.Values) > 0:
		return fmt.Sprintf("--%s %s", f.Name, strings.Join(f.Values, "|"))
	case f.Arg != "" && f.Short != "":
		return fmt.Sprintf("-%s|--%s %s", f.Short, f.Name, f.Arg)
	case f.Arg != "":
		return fmt.Sprintf("--%s %s", f.Name, f.Arg)
	}
	return "--" + f.Name
}

func (v *Verb) flag(name string) *Flag {
	for i := range v.Flags {
		if v.Flags[i].Name == name || (v.Flags[i].Short != "" && v.Flags[i].Short == name) {
			return &v.Flags[i]
		}
	}
	return nil
}

func (v *Verb) minArgs() int {
	n := 0
	for _, a := range v.Args {
		if !a.Optional {
			n++
		}
	}
	return n
}

// Call is a verb with its arguments parsed, as a handler sees it.
type Call struct {
	Verb  *Verb
	Args  []string
	flags map[string]string
	// Changed is set by Run when a call of a verb that is usually a view
	// changed the lab (io running FltMgr's pending instance setup).
	Changed bool
}

// Bool reports whether a switch was given.
func (c *Call) Bool(name string) bool { _, ok := c.flags[name]; return ok }

// Value returns a flag's value and whether it was given.
func (c *Call) Value(name string) (string, bool) { v, ok := c.flags[name]; return v, ok }

// Arg returns positional argument i, or "".
func (c *Call) Arg(i int) string {
	if i < len(c.Args) {
		return c.Args[i]
	}
	return ""
}

// parse checks words (after the verb's name) against the verb's arguments
// and flags. Flags take --name value or --name=value and may come anywhere.
func (v *Verb) parse(words []string) (*Call, error) {
	// Room for every word as an argument, and no flag map until a flag
	// comes: most verbs take none, and a 100,000-verb run parses each.
	c := &Call{Verb: v, Args: make([]string, 0, len(words))}
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-") || w == "-" {
			c.Args = append(c.Args, w)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(w, "-"), "=")
		if name == "h" || name == "help" {
			return nil, &helpRequest{verb: v}
		}
		f := v.flag(strings.ToLower(name))
		if f == nil {
			msg := fmt.Sprintf("%s: unknown flag %s", v.Name, quoteWord(w))
			if len(v.Flags) == 0 {
				msg += " (it takes no flags)"
			} else if s := suggest(strings.ToLower(name), v.flagNames()); s != "" {
				msg += fmt.Sprintf(" (did you mean --%s?)", s)
			}
			return nil, usageErr(v, msg)
		}
		if _, dup := c.flags[f.Name]; dup {
			return nil, usageErr(v, fmt.Sprintf("%s: --%s given twice", v.Name, f.Name))
		}
		switch {
		case f.Arg == "" && len(f.Values) == 0:
			if hasVal {
				return nil, usageErr(v, fmt.Sprintf("%s: --%s is a switch and takes no value", v.Name, f.Name))
			}
		case !hasVal:
			if i+1 >= len(words) || strings.HasPrefix(words[i+1], "--") {
				return nil, usageErr(v, fmt.Sprintf("%s: --%s needs a value (%s)", v.Name, f.Name, f.spec()))
			}
			i++
			val = words[i]
		}
		if len(f.Values) > 0 && !containsFold(f.Values, val) {
			if why, ok := f.Refused[strings.ToLower(val)]; ok {
				return nil, usageErr(v, fmt.Sprintf("%s: no --%s %s: %s", v.Name, f.Name, strings.ToLower(val), why))
			}
			want := "want " + orList(f.Values)
			if s := suggest(strings.ToLower(val), f.Values); s != "" {
				want = fmt.Sprintf("did you mean %s?", s)
			}
			return nil, usageErr(v, fmt.Sprintf("%s: bad value %s for --%s (%s)", v.Name, quoteWord(val), f.Name, want))
		}
		if c.flags == nil {
			c.flags = map[string]string{}
		}
		c.flags[f.Name] = val
	}
	if n := len(v.Args); n > 0 && v.Args[n-1].Rest && len(c.Args) > n {
		c.Args = append(c.Args[:n-1], strings.Join(c.Args[n-1:], " "))
	}
	if n := len(c.Args); n < v.minArgs() || n > len(v.Args) {
		return nil, usageErr(v, fmt.Sprintf("%s: %s", v.Name, countMsg(v, n)))
	}
	for i, a := range c.Args {
		if vals := v.Args[i].Values; len(vals) > 0 && !containsFold(vals, a) {
			want := "want " + orList(vals)
			if s := suggest(strings.ToLower(a), vals); s != "" {
				want = fmt.Sprintf("did you mean %s?", s)
			}
			return nil, usageErr(v, fmt.Sprintf("%s: bad %s %s (%s)", v.Name, strings.ToLower(v.Args[i].Name), quoteWord(a), want))
		}
	}
	if err := v.checkSwapped(c); err != nil {
		return nil, err
	}
	if err := v.checkFlagInName(c, words); err != nil {
		return nil, err
	}
	return c, nil
}

// checkSwapped catches NAME VOLUME given the other way round ("filter attach
// C: backup"): a drive letter can never be a NAME, so the intent is clear.
func (v *Verb) checkSwapped(c *Call) error {
	if len(v.Args) != 2 || v.Args[0].Name != "NAME" || v.Args[1].Name != "VOLUME" || len(c.Args) != 2 {
		return nil
	}
	if !engine.IsVolume(c.Args[0]) {
		return nil
	}
	if engine.IsVolume(c.Args[1]) || !engine.ValidName(c.Args[1]) {
		return nil // not a name either: the engine's error says what is wrong with it
	}
	return usageErr(v, fmt.Sprintf("%s: the arguments are swapped: the name comes first, then the volume (%s %s %s)",
		v.Name, v.Name, c.Args[1], c.Args[0]))
}

// plainLine reports whether s is printable ASCII without quotes, so it can be
// shown as a line to type again.
func plainLine(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == '"' || c == '\'' {
			return false
		}
	}
	return len(s) <= 200
}

// checkFlagInName refuses a NAME with "--" in it ("filter load av--notify"):
// the engine would take it as a name, but it is almost always a flag typed
// without its space, and a driver named that way only confuses later lines.
func (v *Verb) checkFlagInName(c *Call, words []string) error {
	for i, a := range c.Args {
		if v.Args[i].Name != "NAME" || !strings.Contains(a, "--") {
			continue
		}
		what := "name"
		switch v.Group {
		case "file systems":
			what = "file system name"
		case "filters":
			what = "filter name"
		}
		parts := strings.Split(a, "--")
		for _, p := range parts {
			if p == "" {
				return errorf(engine.ErrBadName, "bad %s %s: a name cannot contain \"--\", which starts a flag", what, quoteWord(a))
			}
		}
		fixed := make([]string, 0, len(words)+1)
		fixed = append(fixed, v.Name)
		for _, w := range words {
			if w == a {
				w = strings.Join(parts, " --")
			}
			fixed = append(fixed, w)
		}
		line := strings.Join(fixed, " ")
		if !plainLine(line) {
			// The suggestion would echo the user's words raw; say less.
			return errorf(engine.ErrBadName, "bad %s %s: it looks like a flag run into the name (put a space before --)", what, quoteWord(a))
		}
		return errorf(engine.ErrBadName, "bad %s %s: it looks like a flag run into the name (did you mean %s?)",
			what, quoteWord(a), line)
	}
	return nil
}

func countMsg(v *Verb, got int) string {
	var names []string
	for _, a := range v.Args {
		names = append(names, a.Name)
	}
	lo, hi := v.minArgs(), len(v.Args)
	want := ""
	switch {
	case hi == 0:
		want = "takes no arguments"
	case lo == hi && hi == 1:
		want = fmt.Sprintf("wants 1 argument (%s)", names[0])
	case lo == hi:
		want = fmt.Sprintf("wants %d arguments (%s)", hi, strings.Join(names, " "))
	default:
		want = fmt.Sprintf("wants %d to %d arguments (%s)", lo, hi, strings.Join(names, " "))
	}
	return fmt.Sprintf("%s, got %d", want, got)
}

func (v *Verb) flagNames() []string {
	var out []string
	for _, f := range v.Flags {
		out = append(out, f.Name)
	}
	return out
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// orList writes "a, b or c".
func orList(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}

// Verbs returns the verb table in help order.
func Verbs() []*Verb { return verbs }

// Lookup finds the verb that words start with and returns it with the words
// that follow its name. Verb names are case-insensitive.
func Lookup(words []string) (*Verb, []string, error) {
	if len(words) == 0 {
		return nil, nil, errorf(ErrUnknownVerb, "empty line")
	}
	first := strings.ToLower(words[0])
	if isGroupWord(first) {
		if len(words) < 2 {
			return nil, nil, errorf(ErrUnknownVerb, "%s needs a subcommand: %s (help %s says what each does)", first, orList(subNames(first)), first)
		}
		second := strings.ToLower(words[1])
		name := first + " " + second // joined once, not for every verb compared
		for _, v := range verbs {
			if v.Name == name {
				return v, words[2:], nil
			}
		}
		msg := fmt.Sprintf("unknown command %s", quoteWord(words[0]+" "+words[1]))
		if s := suggest(second, subNames(first)); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", first+" "+s)
		} else {
			msg += fmt.Sprintf(" (%s takes %s)", first, orList(subNames(first)))
		}
		return nil, nil, errorf(ErrUnknownVerb, "%s", msg)
	}
	for _, v := range verbs {
		if v.Name == first || containsFold(v.Aliases, first) {
			return v, words[1:], nil
		}
	}
	msg := fmt.Sprintf("unknown command %s", quoteWord(words[0]))
	// "register ntfs" is the second word of "fs register".
	for _, v := range verbs {
		if _, sub, ok := strings.Cut(v.Name, " "); ok && sub == first {
			return nil, nil, errorf(ErrUnknownVerb, "%s (did you mean %q?)", msg, v.Name)
		}
	}
	var cands []string
	for _, v := range verbs {
		w, _, _ := strings.Cut(v.Name, " ")
		cands = append(cands, w)
		cands = append(cands, v.Aliases...)
	}
	if s := suggest(first, cands); s != "" {
		return nil, nil, errorf(ErrUnknownVerb, "%s (did you mean %q?)", msg, s)
	}
	return nil, nil, errorf(ErrUnknownVerb, "%s (help lists the commands)", msg)
}

func isGroupWord(w string) bool {
	return w == "fs" || w == "filter" || w == "fltmgr" || w == "minifilter" || w == "fltmc"
}

// IsVerbWord reports whether w starts a line of fssim's language: a verb, an
// alias, or the first word of a two-word verb (fs, filter).
func IsVerbWord(w string) bool {
	w = strings.ToLower(w)
	for _, v := range verbs {
		first, _, _ := strings.Cut(v.Name, " ")
		if first == w || containsFold(v.Aliases, w) {
			return true
		}
	}
	return false
}

// Suggest returns the candidate closest to w if it is close enough to be a
// typo, or "". The command line uses it for fssim's own flags.
func Suggest(w string, cands []string) string { return suggest(w, cands) }

func subNames(group string) []string {
	var out []string
	for _, v := range verbs {
		if g, sub, ok := strings.Cut(v.Name, " "); ok && g == group {
			out = append(out, sub)
		}
	}
	return out
}

// suggest is engine.Suggest, the one did-you-mean of fssim.
func suggest(w string, cands []string) string { return engine.Suggest(w, cands) }
