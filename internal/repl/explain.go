package repl

import (
	"path"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

// span maps the events one verb traced (IDs first to last) to the verb and
// where it came from, so explain can name the verb, and its line in a
// script, at the root of a device's chain of causes.
type span struct {
	first, last int32
	from        place
	verb        string
}

// place is where a verb came from: a file (an index into
// Session.spanNames) and a line, or the prompt (name -1).
type place struct{ name, line int32 }

// maxSpans bounds what a session keeps for explain: an endless scenario
// must not grow without end. When it is full the older half goes, so the
// newest verbs always have their lines; explain says "an earlier verb" for
// a device older than that.
const maxSpans = 1 << 12

// noteSpan records the verb that traced evs. Event IDs name events within
// the engine's epoch: a verb that rebooted the lab (reset, a profile
// change) started a new one, so the spans before it name nothing any more,
// and its own events, numbered before the reboot, none either.
//
// Snapshots share the spans' array (snapshot.go): it is only appended to,
// never written over.
func (s *Session) noteSpan(evs []engine.Event) {
	if len(evs) == 0 {
		return
	}
	if ep := s.Eng.Epoch(); ep != s.spanEpoch {
		s.spans, s.spanEpoch = nil, ep
		return
	}
	at := s.at // the verb that traced evs
	if at.verb == "" {
		return
	}
	if len(s.spans) >= maxSpans {
		s.spans = append([]span(nil), s.spans[maxSpans/2:]...)
	}
	s.spans = append(s.spans, span{first: int32(evs[0].ID), last: int32(evs[len(evs)-1].ID), from: s.here(), verb: at.verb})
}

// here is where the running verb came from.
func (s *Session) here() place {
	at := s.at
	switch {
	case s.replaying:
		return s.replayAt
	case at.name == "":
		return place{name: -1, line: int32(at.line)}
	}
	if n := len(s.spanNames); n == 0 || s.spanNames[n-1] != at.name {
		s.spanNames = append(s.spanNames, at.name)
	}
	return place{name: int32(len(s.spanNames) - 1), line: int32(at.line)}
}

// origin finds the verb that traced event id: its text and where it came
// from ("lesson.fss:12", "the prompt"), or "" if the session does not know.
func (s *Session) origin(id int) render.Origin {
	i := sort.Search(len(s.spans), func(i int) bool { return int(s.spans[i].last) >= id })
	if i == len(s.spans) || int(s.spans[i].first) > id {
		return render.Origin{}
	}
	sp := s.spans[i]
	// The file's base name: a transcript must not depend on the folder
	// fssim ran from (goldens are compared byte for byte).
	at := "the prompt"
	if sp.from.name >= 0 {
		at = ShowName(path.Base(filepath.ToSlash(s.spanNames[sp.from.name]))) + ":" + strconv.Itoa(int(sp.from.line))
	}
	return render.Origin{Verb: sp.verb, At: at}
}

// explainStack is explain STACK: why each device of the stack is there.
func (s *Session) explainStack(name string, json, full bool) error {
	whys, err := s.Eng.ExplainStack(name)
	if err != nil {
		return err
	}
	st, _ := s.Eng.Stack(name)
	if json {
		render.JSONExplainStack(s.Out, st.Name, whys, s.origin)
	} else {
		render.ExplainStack(s.Out, st.Name, whys, s.origin, s.Theme, full)
	}
	return nil
}

// explainVerb is explain STACK and explain FILTER STACK.
func (s *Session) explainVerb(c *Call) error {
	json, full := c.Bool("json"), c.Bool("full")
	if len(c.Args) == 1 {
		return s.explainStack(c.Arg(0), json, full)
	}
	if s.Eng.IsMinifilter(c.Arg(0)) {
		m, err := s.Eng.ExplainMinifilter(c.Arg(0), c.Arg(1))
		if err != nil {
			return err
		}
		if json {
			render.JSONExplainMinifilter(s.Out, m)
		} else {
			render.ExplainMinifilter(s.Out, m, s.origin, s.Theme, full)
		}
		return nil
	}
	why, absent, err := s.Eng.ExplainFilter(c.Arg(0), c.Arg(1))
	if err != nil {
		return err
	}
	if json {
		render.JSONExplainFilter(s.Out, c.Arg(0), why, absent, s.origin)
	} else {
		render.ExplainFilter(s.Out, why, absent, s.origin, s.Theme, full)
	}
	return nil
}
