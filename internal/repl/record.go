package repl

import (
	"fmt"
	"io"
	"strings"

	"github.com/fssim/fssim/internal/render"
)

// The session keeps a record of what it showed, for export html and export
// cast: each verb that no other verb ran, each line a lesson or a loaded
// file echoed (its comments too), and what each printed. The record is
// bounded: the newest recordLines lines and recordBytes of their output; one
// line keeps at most recordLineBytes of output. Older lines are dropped, and
// the handout says how many.
const (
	recordLines     = 1000
	recordBytes     = 1 << 20
	recordLineBytes = 64 << 10
	recordKept      = "the last 1000 lines and 1 MiB of their output, 64 KiB a line"
)

// record is the session's bounded record (Session.rec).
type record struct {
	items   []recItem
	bytes   int // output bytes held by items
	dropped int // items dropped from the front
	mute    int // > 0: output is not recorded (an echo the item holds already, a handout being written)
	w       *recWriter

	// The session's side: while a pipeline runs (pipe.go), the fields
	// above belong to its goroutine, and these two to the session's.
	echo   string // a top-level script's echo of the line whose verb exec records next
	script bool   // a top-level script that echoes its lines is running

	// The items' output is one stream, each item's a stretch of it (every
	// recorded byte belongs to the item newest when it was written), and
	// ring holds the stretch the kept items span: byte k of the stream is
	// ring[k%len(ring)]. The ring doubles when that stretch outgrows it, up
	// to recordBytes, the most the bounds let the kept items hold; so a
	// session holds about what its record keeps. Each byte is copied once,
	// into memory that is reused, and strings are made only for a handout:
	// a 100,000-verb run prints 295 MB, and keeping a string per verb cost
	// it 1.3 GB of allocation and 14% of its time (scripts/bench.sh).
	ring []byte // a power of two bytes long, or empty
	end  int64  // the stream's length so far
}

// recItem is one line of the record. Its HandoutItem's Out is empty: its
// output is n bytes of the record's stream from start (record.out).
type recItem struct {
	render.HandoutItem
	seq   int
	start int64 // where its output starts in the record's stream
	n     int   // output bytes kept
	cut   int   // output bytes past recordLineBytes, not kept
}

// recWriter is the session's output while the session records: it passes
// everything on and records what is written through it while it is the
// record's writer. A front-end may wrap it (serve's copy of a verb's
// output) or put another output in its place for a while; only one
// recWriter records, so nothing is recorded twice.
type recWriter struct {
	s *Session
	w io.Writer
}

func (r *recWriter) Write(p []byte) (int, error) {
	n, err := r.w.Write(p)
	if r.s.rec.w == r {
		add(&r.s.rec, p[:n])
	}
	return n, err
}

// WriteString is Write without turning s into a slice: the session writes
// short strings between views ("\n" and the like), each of which
// io.WriteString would copy into a new slice (180,000 allocations in a
// 100,000-verb run).
func (r *recWriter) WriteString(s string) (int, error) {
	n, err := io.WriteString(r.w, s)
	if r.s.rec.w == r {
		add(&r.s.rec, s[:n])
	}
	return n, err
}

// Flush passes a flush on: the script runner flushes the output it has
// before it waits for more input.
func (r *recWriter) Flush() error {
	if f, ok := r.w.(interface{ Flush() error }); ok {
		return f.Flush()
	}
	return nil
}

// recordOut makes the session's output one that records, if it is not:
// exec calls it before each verb that no other verb runs. An output that is
// one of ours already (a front-end put it back) records again rather than
// being wrapped twice.
func (s *Session) recordOut() {
	if s.pipe != nil {
		return // the pipeline's goroutine records, through a writer of its own
	}
	if rw, ok := s.Out.(*recWriter); ok && rw.s == s {
		s.rec.w = rw
		return
	}
	s.rec.w = &recWriter{s: s, w: s.Out}
	s.Out = s.rec.w
}

// recordVerb starts the record of a verb that no other verb runs; exec
// calls it. It returns the item's sequence number.
func (s *Session) recordVerb(text string) int {
	if s.replaying {
		return -1
	}
	echo := s.rec.echo
	s.rec.echo = ""
	if echo == "" && !s.rec.script {
		echo = s.Theme.Prompt("fssim>") + " " + render.Clean(text) + "\n"
	}
	return s.recBegin(render.HandoutItem{Text: text, Echo: echo})
}

// recBegin starts the record's next item and returns its sequence number:
// at once, or, while a pipeline runs, in order with the output before it.
func (s *Session) recBegin(it render.HandoutItem) int {
	seq := s.recNext
	s.recNext++
	if s.pipe != nil {
		s.pipe.step(pipeOp{kind: opBegin, item: it, seq: seq})
	} else {
		s.rec.begin(it, seq)
	}
	return seq
}

// recMute adds d to the record's mute, in order with the output.
func (s *Session) recMute(d int) {
	if s.pipe != nil {
		s.pipe.step(pipeOp{kind: opMute, mute: d})
	} else {
		s.rec.mute += d
	}
}

// recordEcho writes a script's echo of a line (a comment or a line of
// verbs) and records it: a top-level script's verb line is recorded by
// exec, with this echo; a line inside a verb (a lesson's, a loaded file's)
// is recorded here as one item.
func (s *Session) recordEcho(printed, line string, comment bool) {
	nested := s.at.verb != ""
	if !s.replaying && (comment || nested) {
		if !nested {
			s.recordOut() // a top-level script's comment, before any verb
		}
		text := line
		if comment {
			text = line[1:]
		}
		s.recBegin(render.HandoutItem{Comment: comment, Nested: nested, Text: text, Echo: printed})
	} else if !s.replaying {
		s.rec.echo = printed
	}
	s.recMute(1)
	io.WriteString(s.Out, printed)
	s.recMute(-1)
}

// begin adds item number seq to the record; the output that follows is its
// own.
func (r *record) begin(it render.HandoutItem, seq int) {
	r.items = append(r.items, recItem{HandoutItem: it, seq: seq, start: r.end})
	r.bytes += len(it.Echo)
	r.trim()
}

// add records output for the record's newest item: a string, or bytes.
func add[T ~string | ~[]byte](r *record, p T) {
	if r.mute > 0 || len(r.items) == 0 || len(p) == 0 {
		return
	}
	it := &r.items[len(r.items)-1]
	if room := recordLineBytes - it.n; len(p) > room {
		it.cut += len(p) - max(room, 0)
		p = p[:max(room, 0)]
	}
	it.n += len(p)
	r.bytes += len(p)
	r.trim() // first, so that put makes room only for the items kept
	put(r, p)
}

// put appends p to the record's stream, over bytes no kept item holds; the
// ring grows first if the kept items' stretch, p included, would not fit.
func put[T ~string | ~[]byte](r *record, p T) {
	if len(p) == 0 {
		return
	}
	if span := r.end + int64(len(p)) - r.items[0].start; span > int64(len(r.ring)) {
		size := max(len(r.ring), 4<<10)
		for int64(size) < span {
			size *= 2
		}
		ring := make([]byte, size)
		for k := r.items[0].start; k < r.end; {
			i := int(k % int64(len(r.ring)))
			n := int(min(int64(len(r.ring)-i), r.end-k))
			copyAt(ring, k, r.ring[i:i+n])
			k += int64(n)
		}
		r.ring = ring
	}
	copyAt(r.ring, r.end, p)
	r.end += int64(len(p))
}

// copyAt copies p to ring at stream offset k, wrapping at the ring's end.
func copyAt[T ~string | ~[]byte](ring []byte, k int64, p T) {
	n := copy(ring[k%int64(len(ring)):], p)
	copy(ring, p[n:])
}

// out is an item's output, read from the ring.
func (r *record) out(it *recItem) string {
	if it.n == 0 {
		return ""
	}
	i := int(it.start % int64(len(r.ring)))
	if i+it.n <= len(r.ring) {
		return string(r.ring[i : i+it.n])
	}
	return string(r.ring[i:]) + string(r.ring[:it.n-(len(r.ring)-i)])
}

// trim drops the oldest items while the record is over its bounds; the
// newest item stays.
func (r *record) trim() {
	n := 0
	for len(r.items)-n > 1 && (len(r.items)-n > recordLines || r.bytes > recordBytes) {
		r.bytes -= r.items[n].n + len(r.items[n].Echo)
		r.items[n] = recItem{}
		n++
	}
	if n > 0 {
		r.items = r.items[n:]
		r.dropped += n
	}
}

// handout is the record so far as a handout, without the items from seq on
// (the export running now); its title names the lesson if one ran.
func (s *Session) handout(before int) render.Handout {
	s.Flush() // a pipeline has recorded all there is, and waits
	h := render.Handout{Title: "fssim session", Dropped: s.rec.dropped, Kept: recordKept}
	for i := range s.rec.items {
		it := &s.rec.items[i]
		if before >= 0 && it.seq >= before {
			break
		}
		hi := it.HandoutItem
		hi.Out = s.rec.out(it)
		if it.cut > 0 {
			hi.Out += fmt.Sprintf("[%d more bytes of output not kept]\n", it.cut)
		}
		if !hi.Nested && !hi.Comment {
			if w := strings.Fields(hi.Text); len(w) == 2 && w[0] == "lesson" {
				if text, ok := Lesson(w[1]); ok {
					h.Title = "fssim lesson " + w[1] + ": " + LessonTitle(text)
				}
			}
		}
		h.Items = append(h.Items, hi)
	}
	return h
}
