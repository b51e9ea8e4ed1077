package repl

import (
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

// A session's pipeline (Session.Pipeline) draws each verb's trace and the
// stacks it changed, records the session's output and writes it, on a
// goroutine of its own, while the engine goes on with the next verbs: a
// long scenario on two cores takes about the time of its engine alone
// rather than of its engine and its output one after the other (a
// 100,000-verb run prints 295 MB; scripts/bench.sh).
//
// The output stays one ordered stream, byte for byte what the session
// prints without a pipeline. The session's goroutine puts what it prints
// into the pipe in order: bytes it wrote, reports to draw (a report holds
// a copy of its events and the stacks it lists, read from the engine when
// the verb ran, so drawing needs no engine), and the record's changes (a
// new item, a muted stretch). The pipeline's goroutine does each in that order. The
// record belongs to the pipeline's goroutine while the pipeline runs: the
// session reads it (a handout) only after Flush, when the pipeline has
// caught up and waits.
//
// The session hands its output on in batches, so that the two goroutines
// meet once per batch, not once per verb: each handing on wakes the other
// goroutine, which costs about what drawing a short report does. A batch
// goes when it holds batchBytes bytes, or reports of batchEvents events
// (drawing costs about as much per event), or batchReports reports. The
// pipeline holds at most pipeDepth batches: a session ahead of its output
// by more waits.
const (
	batchBytes   = 256 << 10
	batchEvents  = 4096
	batchReports = 64
	pipeDepth    = 2
)

// pipe is the session's output while a pipeline runs: s.Out on the
// session's goroutine (an io.Writer, and a render sink, so that views
// composed there are written into it without a copy).
type pipe struct {
	s    *Session
	prev io.Writer // s.Out before the pipeline: where the output goes, through rec

	// The session's goroutine fills cur: buf holds the bytes written since
	// the last batch went, and ops the steps, each bytes written (a stretch
	// of buf up to op.end) or one of the other kinds; from is where the
	// bytes not yet in a step start.
	cur    batch
	from   int
	events int // events in the batch's reports, and a few per stack listed

	batches chan batch    // to the pipeline's goroutine
	free    chan batch    // back, once done, for the session to fill again
	done    chan struct{} // closed when the pipeline's goroutine ends

	// Written on the pipeline's goroutine, read on the session's.
	fault atomic.Pointer[string] // a panic while drawing: a bug in fssim
}

// A batch's memory goes round with it, so that a long run fills the same
// few batches again and again: its bytes, its steps, its reports (each with
// the memory of its stacks' listings) and their events, copied.
type batch struct {
	buf     []byte
	ops     []pipeOp
	reports []report // reports[:nrep] are this batch's
	nrep    int
	events  []engine.Event
	devs    []engine.DeviceInfo // the devices of their stacks' listings
}

type opKind uint8

const (
	opBytes  opKind = iota // write buf[start:end]
	opReport               // draw reports[report]
	opLater                // call later with the output
	opBegin                // begin the record's item
	opMute                 // add mute to the record's mute
	opFlush                // flush the output and answer on flushed
)

type pipeOp struct {
	kind    opKind
	end     int // opBytes: where its stretch of buf ends (it starts where the one before ended)
	report  int
	later   func(io.Writer)
	th      render.Theme // opLater: to say an internal error in
	item    render.HandoutItem
	seq     int
	mute    int
	flushed chan<- error
}

// Pipeline starts the session's pipeline over its output, s.Out, and
// returns the function that ends it: it hands on everything printed so far,
// waits for it to be written and flushed, and puts s.Out back. It returns
// an error if drawing a report failed (a bug in fssim: the report printed
// an internal error in its place, and the run went on); a failed write is
// s.Out's to say, as without a pipeline.
//
// A pipeline is for a session that runs a script and nothing else meanwhile
// (fssim run): no front-end swaps s.Out under it or watches it.
func (s *Session) Pipeline() (end func() error) {
	if s.pipe != nil {
		return func() error { return nil }
	}
	p := &pipe{
		s:       s,
		prev:    s.Out,
		batches: make(chan batch, pipeDepth+1),
		free:    make(chan batch, pipeDepth+1),
		done:    make(chan struct{}),
	}
	// pipeDepth+1 batches' memory go round: the session fills one while the
	// pipeline's goroutine does the others, and waits for one to come back
	// when it has filled them all.
	for range pipeDepth {
		p.free <- batch{buf: make([]byte, 0, 2*batchBytes)}
	}
	p.cur = batch{buf: make([]byte, 0, 2*batchBytes)}
	// The record's writer, used on the pipeline's goroutine only.
	rw := &recWriter{s: s, w: s.Out}
	s.rec.w = rw
	s.pipe, s.Out = p, p
	go p.run(rw)
	return func() error {
		p.flush()
		close(p.batches)
		<-p.done
		s.pipe, s.Out = nil, p.prev
		s.rec.w = nil // recordOut wraps the output again if the session goes on
		if f := p.fault.Load(); f != nil {
			return errors.New(*f)
		}
		return nil
	}
}

// Flush writes out what the session has printed so far, through any
// pipeline and buffer, and returns the first write error: a caller about to
// print elsewhere (stderr) or to wait for input calls it first.
func (s *Session) Flush() error {
	if s.pipe != nil {
		return s.pipe.flush()
	}
	if f, ok := s.Out.(interface{ Flush() error }); ok {
		return f.Flush()
	}
	return nil
}

// Write and the rest are the session's goroutine's: they add to the batch.
func (p *pipe) Write(b []byte) (int, error) {
	p.cur.buf = append(p.cur.buf, b...)
	p.full()
	return len(b), nil
}

func (p *pipe) WriteString(str string) (int, error) {
	p.cur.buf = append(p.cur.buf, str...)
	p.full()
	return len(str), nil
}

func (p *pipe) WriteByte(c byte) error {
	p.cur.buf = append(p.cur.buf, c)
	return nil
}

// AvailableBuffer is the batch's spare room: a view appends a line to it
// and writes that, which copies it onto itself.
func (p *pipe) AvailableBuffer() []byte { return p.cur.buf[len(p.cur.buf):] }

// full sends the batch once it holds batchBytes.
func (p *pipe) full() {
	if len(p.cur.buf) >= batchBytes {
		p.send()
	}
}

// step adds a step that is not bytes, after the bytes written before it.
func (p *pipe) step(op pipeOp) {
	p.cut()
	p.cur.ops = append(p.cur.ops, op)
}

// cut ends the stretch of bytes written since the last step.
func (p *pipe) cut() {
	if n := len(p.cur.buf); n > p.from {
		p.cur.ops = append(p.cur.ops, pipeOp{kind: opBytes, end: n})
		p.from = n
	}
}

// newReport returns a report of a copy of evs, in the batch's memory: the
// caller can hand evs back to the engine at once.
func (p *pipe) newReport(evs []engine.Event, th render.Theme) *report {
	b := &p.cur
	if b.nrep == len(b.reports) {
		b.reports = append(b.reports, report{})
	}
	r := &b.reports[b.nrep]
	b.nrep++
	r.reset(nil, th)
	r.devs = &b.devs
	r.from = len(b.events)
	b.events = append(b.events, evs...)
	r.to = len(b.events)
	return r
}

// draw puts the report newReport returned last in the pipe, to be drawn
// there.
func (p *pipe) draw(r *report) {
	p.step(pipeOp{kind: opReport, report: p.cur.nrep - 1})
	p.events += r.to - r.from + 8*r.n
	if p.cur.nrep >= batchReports || p.events >= batchEvents {
		p.send()
	}
}

// later puts a view in the pipe, to be written there by write, which needs
// no engine: show --json's line (render.LabJSON).
func (p *pipe) later(th render.Theme, write func(io.Writer)) {
	p.step(pipeOp{kind: opLater, later: write, th: th})
}

// send hands the batch on, and starts the next in memory the pipeline's
// goroutine handed back, if it has some.
func (p *pipe) send() {
	p.cut()
	if len(p.cur.ops) == 0 {
		return
	}
	p.batches <- p.cur
	p.cur = <-p.free
	p.from, p.events = 0, 0
}

// flush hands the batch on with a flush at its end and waits for the
// answer.
func (p *pipe) flush() error {
	answer := make(chan error, 1)
	p.step(pipeOp{kind: opFlush, flushed: answer})
	p.send()
	return <-answer
}

// run is the pipeline's goroutine: it does each batch's steps in order,
// writing through w, the record's writer.
func (p *pipe) run(w *recWriter) {
	defer close(p.done)
	for b := range p.batches {
		start := 0
		for i := range b.ops {
			op := &b.ops[i]
			switch op.kind {
			case opBytes:
				w.Write(b.buf[start:op.end])
				start = op.end
			case opReport:
				r := &b.reports[op.report]
				r.evs = b.events[r.from:r.to]
				p.safely(w, r.th, r.draw)
				r.evs = nil
			case opLater:
				p.safely(w, op.th, op.later)
			case opBegin:
				p.s.rec.begin(op.item, op.seq)
			case opMute:
				p.s.rec.mute += op.mute
			case opFlush:
				op.flushed <- w.Flush()
			}
			*op = pipeOp{} // let go of the record's item and the answer
		}
		// Empty, for the session to fill again; the events let go of what
		// they name.
		clear(b.events)
		b.buf, b.ops, b.nrep, b.events, b.devs = b.buf[:0], b.ops[:0], 0, b.events[:0], b.devs[:0]
		p.free <- b
	}
}

// safely calls draw with w, or, if it panics (a bug in fssim), writes an
// internal error in its place: the run goes on, and ends failing.
func (p *pipe) safely(w io.Writer, th render.Theme, draw func(io.Writer)) {
	defer func() {
		if v := recover(); v != nil {
			msg := fmt.Sprintf("internal error: %v (this is a bug in fssim; please report it with the scenario that caused it)", v)
			io.WriteString(w, th.Err("error: "+msg)+"\n")
			p.fault.CompareAndSwap(nil, &msg)
		}
	}()
	draw(w)
}
