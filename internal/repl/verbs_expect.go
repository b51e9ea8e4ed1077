package repl

import (
	"errors"
	"strconv"
	"strings"

	"github.com/fssim/fssim/internal/engine"
)

// ErrExpectFailed: an expect line found the lab otherwise than it says. A
// scenario line "! [expect-failed] expect ..." expects that.
var ErrExpectFailed = errors.New("expectation failed")

// expectVerbs check the lab without printing anything when it is as they
// say: course goldens that hold them keep passing when fssim rewords a
// trace.
var expectVerbs = []*Verb{
	{
		Name: "expect", Group: "views",
		Args: []Arg{{Name: "STACK|io|filter", Help: "a stack (C:, \\Ntfs), io or filter", Complete: expectFirst},
			{Name: "...", Optional: true, Rest: true, Help: "the drivers top first; OP VOLUME[\\path] completed_by NAME|status STATUS; NAME on|not on STACK"}},
		Summary: "check the lab and fail the line if it is otherwise: a stack's drivers, where an IRP ends, whether a filter is on a stack",
		Detail: "expect STACK DRIVER... names a stack's drivers top first, by their short names (the file system at " +
			"the bottom may be left out). expect io OP VOLUME[\\path] completed_by NAME sends the IRP as io does, " +
			"quietly, and checks which driver completed it; status STATUS checks its status (STATUS_ACCESS_DENIED " +
			"or access_denied). expect filter NAME on STACK (or not on STACK) checks a legacy filter's device or a " +
			"minifilter's instance. An expect that holds prints nothing; one that does not fails the line with " +
			"what it found and what it expected, as an error of kind expect-failed, so ! [expect-failed] expect ... " +
			"must fail that way. The recommended style for a course's goldens: trace stacks or brief, and expect " +
			"lines for what matters, which do not break when fssim rewords a trace.",
		Examples: []string{"expect C: av backup ntfs", "expect C: av backup", "expect io read C:\\x completed_by av",
			"expect io create C: status access_denied", "expect filter av on C:", "expect filter spy not on \\Ntfs"},
		Run: func(s *Session, c *Call) error { return s.expectVerb(c) },
	},
}

func expectFirst(s *Session) []string { return append([]string{"io", "filter"}, s.Eng.StackNames()...) }

func (s *Session) expectVerb(c *Call) error {
	rest := strings.Fields(c.Arg(1))
	switch strings.ToLower(c.Arg(0)) {
	case "io":
		return s.expectIo(c, rest)
	case "filter":
		return s.expectFilter(c, rest)
	}
	return s.expectStack(c, c.Arg(0), rest)
}

// expectStack is expect STACK DRIVER...
func (s *Session) expectStack(c *Call, name string, want []string) error {
	if len(want) == 0 {
		return usageErr(c.Verb, "expect: name the stack's drivers top first, like expect C: av ntfs")
	}
	st, err := s.Eng.Stack(name)
	if err != nil {
		return err
	}
	got := make([]string, len(st.Devices))
	for i, d := range st.Devices {
		got[i] = d.Short
	}
	if driversMatch(want, got) {
		return nil
	}
	gotText := strings.Join(got, " ")
	if len(got) == 0 {
		gotText = "nothing: it is not mounted"
	}
	return errorf(ErrExpectFailed, "expected %s to be %s (top first), but it is %s", st.Name, cleanList(want), gotText)
}

// driversMatch compares names typed top first with a stack's short names:
// case does not matter, a \FileSystem\ prefix may be written, and the file
// system at the bottom may be left out.
func driversMatch(want, got []string) bool {
	w := make([]string, 0, len(want)+1)
	for _, x := range want {
		x = strings.TrimPrefix(strings.ToLower(x), `\filesystem\`)
		w = append(w, strings.Trim(x, ","))
	}
	if len(got) > 0 && len(w) == len(got)-1 {
		w = append(w, got[len(got)-1])
	}
	if len(w) != len(got) {
		return false
	}
	for i := range w {
		if w[i] != got[i] {
			return false
		}
	}
	return true
}

// cleanList is words as a message shows them.
func cleanList(ws []string) string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = echo(w)
	}
	return strings.Join(out, " ")
}

// expectIo is expect io OP TARGET completed_by NAME | status STATUS.
func (s *Session) expectIo(c *Call, w []string) error {
	if len(w) != 4 || (!strings.EqualFold(w[2], "completed_by") && !strings.EqualFold(w[2], "status")) {
		return usageErr(c.Verb, "expect io: write expect io OP VOLUME[\\path] completed_by NAME, or ... status STATUS")
	}
	m, err := engine.ParseMajor(w[0])
	if err != nil {
		return err
	}
	res, evs, err := s.Eng.SendIo(m, w[1])
	if err != nil {
		return err
	}
	s.Eng.Recycle(evs)
	if strings.EqualFold(w[2], "completed_by") {
		want := strings.TrimPrefix(strings.ToLower(w[3]), `\filesystem\`)
		if want == res.CompletedBy {
			return nil
		}
		return errorf(ErrExpectFailed, "expected io %s %s to be completed by %s, but %s completed it with %s", m.Word(), echo(w[1]), echo(w[3]), res.CompletedBy, res.Status)
	}
	if statusMatch(w[3], res.Status) {
		return nil
	}
	return errorf(ErrExpectFailed, "expected io %s %s to end with %s, but it ended with %s (completed by %s)", m.Word(), echo(w[1]), echo(w[3]), res.Status, res.CompletedBy)
}

// statusMatch compares a status as typed (STATUS_ACCESS_DENIED,
// access_denied, access-denied, 0xC0000022) with st.
func statusMatch(typed string, st engine.Status) bool {
	if n, err := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(typed), "0x"), 16, 32); err == nil && strings.HasPrefix(strings.ToLower(typed), "0x") {
		return engine.Status(n) == st
	}
	t := strings.ToUpper(strings.ReplaceAll(typed, "-", "_"))
	if !strings.HasPrefix(t, "STATUS_") {
		t = "STATUS_" + t
	}
	return t == st.String()
}

// expectFilter is expect filter NAME on STACK | NAME not on STACK.
func (s *Session) expectFilter(c *Call, w []string) error {
	want := true
	switch {
	case len(w) == 3 && strings.EqualFold(w[1], "on"):
	case len(w) == 4 && strings.EqualFold(w[1], "not") && strings.EqualFold(w[2], "on"):
		want = false
	default:
		return usageErr(c.Verb, "expect filter: write expect filter NAME on STACK, or expect filter NAME not on STACK")
	}
	name, stack := strings.ToLower(w[0]), w[len(w)-1]
	st, err := s.Eng.Stack(stack)
	if err != nil {
		return err
	}
	on := false
	for _, d := range st.Devices {
		on = on || d.Short == name
	}
	if st.Volume {
		for _, in := range s.Eng.Instances(st.Name) {
			on = on || strings.EqualFold(in.Minifilter, name)
		}
	}
	if on == want {
		return nil
	}
	if on {
		return errorf(ErrExpectFailed, "expected %s not on %s, but it is on it", echo(w[0]), st.Name)
	}
	got := make([]string, len(st.Devices))
	for i, d := range st.Devices {
		got[i] = d.Short
	}
	return errorf(ErrExpectFailed, "expected %s on %s, but it is not (%s is %s, top first)", echo(w[0]), st.Name, st.Name, strings.Join(got, " "))
}
