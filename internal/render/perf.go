package render

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"

	"github.com/fssim/fssim/internal/engine"
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

// jsonScratches holds the memory JSON gathers a lab in, kept for the next
// call: show --json lists every stack of the lab (600 times in a
// 100,000-verb run), and making its hundred-odd lists afresh each time was
// most of its allocations.
var jsonScratches = sync.Pool{New: func() any {
	j := &jsonScratch{names: []string{}, frames: []int{}, insts: []instanceJSON{}}
	j.lab = labJSON{CDOs: []cdoJSON{}, Filters: []filterJSON{}, Volumes: []volumeJSON{},
		Minifilters: []miniJSON{}, Frames: []frameJSON{}, FileSystems: []fsJSON{}}
	j.enc = json.NewEncoder(&j.out)
	return j
}}

// jsonScratch is one lab's worth of JSON's memory. The lists in lab are
// pieces of names, frames and insts, which are never nil, so that no piece
// is: an empty list is [], not null.
type jsonScratch struct {
	lab     labJSON
	names   []string // every stack's and queue's names, one piece each
	frames  []int    // every stack's frame numbers
	insts   []instanceJSON
	queue   []string
	devs    []engine.DeviceInfo
	cdos    []engine.CDOInfo
	vols    []engine.VolumeInfo
	filters []engine.FilterInfo
	fss     []engine.FileSystemInfo
	enc     *json.Encoder // writes to out, pointed at each call's writer
	out     redirect
}

// redirect is an io.Writer that writes to w.
type redirect struct{ w io.Writer }

func (r *redirect) Write(p []byte) (int, error) { return r.w.Write(p) }

// shorts lists a stack's drivers by short name, top first, as a piece of
// j.names.
func (j *jsonScratch) shorts(devs []engine.DeviceInfo) []string {
	start := len(j.names)
	for _, d := range devs {
		j.names = append(j.names, d.Short)
	}
	return j.names[start:len(j.names):len(j.names)]
}

// frameIDs lists the frame numbers of a stack's fltmgr entries, top first,
// as a piece of j.frames: one for each fltmgr in shorts' list beside it, in
// the same order (a parallel list, so that "stack" stays a list of driver
// names).
func (j *jsonScratch) frameIDs(devs []engine.DeviceInfo) []int {
	start := len(j.frames)
	for _, d := range devs {
		if d.IsFrame {
			j.frames = append(j.frames, d.Frame)
		}
	}
	return j.frames[start:len(j.frames):len(j.frames)]
}
