package repl

import (
	"io"

	"github.com/fssim/fssim/internal/engine"
)

// Undo and a failed load rebuild the lab as it was after the first k verbs
// of the history. Replaying all k from the boot state would cost time in
// proportion to the whole history, so the session keeps snapshots: clones
// of the lab (engine.Clone) taken every snapEvery verbs, each with the
// explain spans of its time. A rebuild clones the latest snapshot at or
// before k and replays only the verbs after it, noting their spans from the
// events they trace now: nothing assumes a replay numbers its events as the
// first run did.
//
// Old snapshots are thinned so that their number grows with the logarithm
// of the history: two kept snapshots a < b are at most max(snapEvery, L-b)
// verbs apart, L the history's length, so undo N replays at most about
// max(N, snapEvery) verbs.

// snapEvery is how many verbs of history lie between two snapshots; a
// variable so tests can cross many snapshot boundaries with a short history.
var snapEvery = 1000

// snapshot is the lab after the first at verbs of the history. eng is never
// run: a rebuild runs a clone of it.
type snapshot struct {
	at        int
	eng       *engine.Engine
	spans     []span // the session's spans then; its array is shared, and only appended to
	spanEpoch int
}

// maybeSnapshot takes a snapshot if snapEvery verbs were recorded since the
// last one. record calls it.
func (s *Session) maybeSnapshot() {
	if s.replaying || s.hist.full {
		return
	}
	l, last := s.hist.len(), 0
	if n := len(s.snaps); n > 0 {
		last = s.snaps[n-1].at
	}
	if l-last < snapEvery {
		return
	}
	s.snaps = append(s.snaps, snapshot{at: l, eng: s.Eng.Clone(), spans: s.spans[:len(s.spans):len(s.spans)], spanEpoch: s.spanEpoch})
	s.thinSnapshots()
}

// thinSnapshots drops each snapshot whose neighbours are close enough
// without it: the gap it leaves is at most the newer neighbour's distance
// from the end of the history (or snapEvery). The boot state, at 0, is
// always there.
func (s *Session) thinSnapshots() {
	l := s.hist.len()
	n := len(s.snaps)
	keep := make([]snapshot, 0, n)
	keep = append(keep, s.snaps[n-1])
	for i := n - 2; i >= 0; i-- {
		newer, older := keep[len(keep)-1].at, 0
		if i > 0 {
			older = s.snaps[i-1].at
		}
		if newer-older <= max(snapEvery, l-newer) {
			continue
		}
		keep = append(keep, s.snaps[i])
	}
	for i, j := 0, len(keep)-1; i < j; i, j = i+1, j-1 {
		keep[i], keep[j] = keep[j], keep[i]
	}
	s.snaps = keep
}

// rebuilt is a lab rebuilt from a snapshot, with its spans.
type rebuilt struct {
	eng       *engine.Engine
	spans     []span
	spanEpoch int
}

// rebuild makes the lab as it was after the first k verbs of the history,
// printing nothing. It fails only if fssim has a bug: every verb succeeded
// once, from the same lab.
func (s *Session) rebuild(k int) (rebuilt, error) {
	var base snapshot // the boot state, at 0
	for i := len(s.snaps) - 1; i >= 0; i-- {
		if s.snaps[i].at <= k {
			base = s.snaps[i]
			break
		}
	}
	eng := engine.New()
	if base.eng != nil {
		eng = base.eng.Clone()
	}
	r := &Session{Eng: eng, Out: io.Discard, Theme: s.Theme, Files: s.Files, replaying: true,
		spans: base.spans, spanEpoch: base.spanEpoch, spanNames: s.spanNames}
	for i := base.at; i < k; i++ {
		h := s.hist.at(i)
		r.replayAt = s.hist.from[i]
		if err := r.Exec(h); err != nil {
			return rebuilt{}, errorf(ErrInternal, "internal error: replaying history entry %d (%s) failed: %v (this is a bug in fssim; please report it)",
				i+1, echo(h), oneLine(err.Error()))
		}
	}
	return rebuilt{eng: r.Eng, spans: r.spans, spanEpoch: r.spanEpoch}, nil
}

// rewind puts the lab back as it was after the first k verbs of the
// history, and cuts the history there.
func (s *Session) rewind(k int) error {
	if err := s.keepLoadStarts(k); err != nil {
		return err
	}
	r, err := s.rebuild(k)
	if err != nil {
		return err
	}
	s.install(r)
	s.hist.truncate(k)
	for len(s.snaps) > 0 && s.snaps[len(s.snaps)-1].at > k {
		s.snaps = s.snaps[:len(s.snaps)-1]
	}
	return nil
}

func (s *Session) install(r rebuilt) {
	s.Eng, s.spans, s.spanEpoch = r.eng, r.spans, r.spanEpoch
	s.changes++
}

// loadStart is where a running load began: the history's length then. If
// the history is cut below it (an undo in the loaded file) or dropped (it
// grew too long), the lab and history of that moment are kept in saved
// first, so that a failed load can still put them back.
type loadStart struct {
	n     int
	saved *savedLab
}

type savedLab struct {
	rebuilt
	hist  history
	snaps []snapshot
}

// startLoad notes where a load begins; the load calls endLoad when done.
func (s *Session) startLoad() *loadStart {
	m := &loadStart{n: s.hist.len()}
	s.loads = append(s.loads, m)
	return m
}

func (s *Session) endLoad() { s.loads = s.loads[:len(s.loads)-1] }

// keepLoadStarts saves the lab of every running load that began after the
// first k verbs, before the history is cut to k (k < 0: dropped whole).
func (s *Session) keepLoadStarts(k int) error {
	for _, m := range s.loads {
		if m.saved != nil || m.n <= k {
			continue
		}
		r, err := s.rebuild(m.n)
		if err != nil {
			return err
		}
		sv := &savedLab{rebuilt: r, hist: s.hist.prefix(m.n)}
		for _, sn := range s.snaps {
			if sn.at <= m.n {
				sv.snaps = append(sv.snaps, sn)
			}
		}
		m.saved = sv
	}
	return nil
}

// backToLoadStart puts the lab and history back as they were when load m
// began.
func (s *Session) backToLoadStart(m *loadStart) error {
	if sv := m.saved; sv != nil {
		s.install(sv.rebuilt)
		s.hist, s.snaps = sv.hist, sv.snaps
		return nil
	}
	return s.rewind(m.n)
}
