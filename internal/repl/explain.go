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
	line        int32
	name        int32 // index into Session.spanNames, -1 at the prompt
	verb        string
}

// maxSpans bounds what a session keeps for explain: an endless scenario
// must not grow without end. When it is full the older half goes, so the
// newest verbs always have their lines; explain says "an earlier verb" for
// a device older than that.
const maxSpans = 1 << 12

// noteSpan records the verb that traced evs. A reset or profile change
// reboots the lab, and its event numbers start again.
func (s *Session) noteSpan(evs []engine.Event) {
	if len(evs) == 0 {
		return
	}
	if op := evs[0].Op; op == engine.OpReset || op == engine.OpProfileSet {
		s.spans = s.spans[:0]
		return
	}
	if s.verb == "" {
		return
	}
	if len(s.spans) >= maxSpans {
		s.spans = append(s.spans[:0], s.spans[maxSpans/2:]...)
	}
	name := int32(-1)
	if s.atName != "" {
		if n := len(s.spanNames); n > 0 && s.spanNames[n-1] == s.atName {
			name = int32(n - 1)
		} else {
			s.spanNames = append(s.spanNames, s.atName)
			name = int32(len(s.spanNames) - 1)
		}
	}
	s.spans = append(s.spans, span{first: int32(evs[0].ID), last: int32(evs[len(evs)-1].ID), line: int32(s.atLine), name: name, verb: s.verb})
}

// setEngine puts a rebuilt lab in place (undo, a failed load): the verbs
// whose events the new lab has numbered are the ones it replayed, with the
// same numbers, so their spans stay.
func (s *Session) setEngine(eng *engine.Engine) {
	s.Eng = eng
	n := eng.EventCount()
	keep := s.spans[:0]
	for _, sp := range s.spans {
		if int(sp.last) <= n {
			keep = append(keep, sp)
		}
	}
	s.spans = keep
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
	if sp.name >= 0 {
		at = ShowName(path.Base(filepath.ToSlash(s.spanNames[sp.name]))) + ":" + strconv.Itoa(int(sp.line))
	}
	return render.Origin{Verb: sp.verb, At: at}
}

// explainStack is explain STACK: why each device of the stack is there.
func (s *Session) explainStack(name string, json bool) error {
	whys, err := s.Eng.ExplainStack(name)
	if err != nil {
		return err
	}
	st, _ := s.Eng.Stack(name)
	if json {
		render.JSONExplainStack(s.Out, st.Name, whys, s.origin)
	} else {
		render.ExplainStack(s.Out, st.Name, whys, s.origin, s.Theme)
	}
	return nil
}

// explainVerb is explain STACK and explain FILTER STACK.
func (s *Session) explainVerb(c *Call) error {
	json := c.Bool("json")
	if len(c.Args) == 1 {
		return s.explainStack(c.Arg(0), json)
	}
	if s.Eng.IsMinifilter(c.Arg(0)) {
		m, err := s.Eng.ExplainMinifilter(c.Arg(0), c.Arg(1))
		if err != nil {
			return err
		}
		if json {
			render.JSONExplainMinifilter(s.Out, m)
		} else {
			render.ExplainMinifilter(s.Out, m, s.origin, s.Theme)
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
		render.ExplainFilter(s.Out, why, absent, s.origin, s.Theme)
	}
	return nil
}
