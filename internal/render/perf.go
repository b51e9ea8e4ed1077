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
// takes strings and bytes as they come, without a copy in between.
type sink interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
}

// bufs holds the buffers of views written to a plain io.Writer: a view is
// composed whole and written with one Write, and the buffer is kept for the
// next one.
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// begin returns where to compose a view for w, and the function that
// finishes it: w itself when it is a sink, else a pooled buffer written to w
// in one piece.
func begin(w io.Writer) (sink, func()) {
	if s, ok := w.(sink); ok {
		return s, func() {}
	}
	b := bufs.Get().(*bytes.Buffer)
	b.Reset()
	return b, func() {
		w.Write(b.Bytes())
		if b.Cap() <= 1<<20 {
			bufs.Put(b)
		}
	}
}
