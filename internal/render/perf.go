package render

import (
	"bytes"
	"io"
	"sync"
)

// Performance-only code, kept in this one file: how a view gets the memory
// it is composed in. Each view is composed whole and written with one Write;
// these make that cost no allocation per view in a long run (scripts/bench.sh
// measures 100,000 verbs). Writing straight to w would print the same bytes.

// sink is what views are composed in: a bufio.Writer or bytes.Buffer
// takes strings and bytes as they come, without a copy in between. A line
// or row is appended to AvailableBuffer, the sink's own spare room, and
// then written, which copies it onto itself: no scratch slice to allocate
// and grow for each view (a 100,000-verb run composes 4 million lines).
type sink interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
	AvailableBuffer() []byte
}

// bufs holds the buffers of views written to a plain io.Writer: a view is
// composed whole and written with one Write, and the buffer is kept for the
// next one.
var bufs sync.Pool

func init() { // not in bufs' declaration: finish refers to bufs
	bufs.New = func() any {
		v := new(viewBuf)
		v.end = v.finish
		return v
	}
}

// viewBuf is a view being composed for w. Its end is its finish method
// bound once, when the pool makes it: begin hands out end without making a
// closure per view (185,000 allocations in a 100,000-verb run).
type viewBuf struct {
	bytes.Buffer
	w   io.Writer
	end func()
}

// finish writes the view to w in one piece and keeps the buffer for the
// next view, unless a huge view grew it.
func (v *viewBuf) finish() {
	v.w.Write(v.Bytes())
	v.w = nil
	if v.Cap() <= 1<<20 {
		bufs.Put(v)
	}
}

// begin returns where to compose a view for w, and the function that
// finishes it: w itself when it is a sink, else a pooled buffer written to w
// in one piece.
func begin(w io.Writer) (sink, func()) {
	if s, ok := w.(sink); ok {
		return s, nop
	}
	v := bufs.Get().(*viewBuf)
	v.Reset()
	v.w = w
	return v, v.end
}

func nop() {}
