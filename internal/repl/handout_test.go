package repl

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/render"
)

const handoutScript = `# Handouts: the comments of a scenario are prose.
# A file system registers, then a volume mounts.
fs register ntfs; mount C:

# A filter that asks to be told attaches to both stacks.
filter load av --notify
! [no-such-device] vpb Q:
`

// runEchoed runs script as a transcript does (echoed, color off) in a new
// session and returns the session and what it printed.
func runEchoed(t *testing.T, script string) (*Session, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	s := NewSession(&out, render.NewTheme(false))
	if _, err := s.RunScript(strings.NewReader(script), ScriptOptions{Name: "h.fss", Echo: true, KeepGoing: true}); err != nil {
		t.Fatal(err)
	}
	return s, &out
}

// xmlDoc is what the handout test reads of the page.
type xmlNode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []xmlNode  `xml:",any"`
}

func (n *xmlNode) walk(f func(*xmlNode)) {
	f(n)
	for i := range n.Nodes {
		n.Nodes[i].walk(f)
	}
}

func (n *xmlNode) class() string {
	for _, a := range n.Attrs {
		if a.Name.Local == "class" {
			return a.Value
		}
	}
	return ""
}

// TestExportHTML: the handout is well-formed XHTML (encoding/xml reads it,
// so no new dependency is needed to parse it), holds each verb line as
// typed, each comment as prose, each output, and the picture as inline SVG,
// and is written to FILE as save writes files.
func TestExportHTML(t *testing.T) {
	s, _ := runEchoed(t, handoutScript)
	path := filepath.Join(t.TempDir(), "handout.html")
	if err := s.Exec("export html " + path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var root xmlNode
	if err := d.Decode(&root); err != nil {
		t.Fatalf("the handout is not well-formed XML: %v", err)
	}
	var cmds, prose, outs []string
	svgRects := 0
	root.walk(func(n *xmlNode) {
		switch {
		case n.XMLName.Local == "pre" && n.class() == "cmd":
			cmds = append(cmds, n.Text)
		case n.XMLName.Local == "pre" && n.class() == "out":
			outs = append(outs, n.Text)
		case n.XMLName.Local == "p" && strings.HasPrefix(n.class(), "prose"):
			prose = append(prose, n.Text)
		case n.XMLName.Local == "rect" && n.XMLName.Space == "http://www.w3.org/2000/svg":
			svgRects++
		}
	})
	wantCmds := []string{"fssim> fs register ntfs; mount C:", "fssim> filter load av --notify", "fssim> ! [no-such-device] vpb Q:"}
	if strings.Join(cmds, "\n") != strings.Join(wantCmds, "\n") {
		t.Errorf("verb lines %q, want %q", cmds, wantCmds)
	}
	wantProse := []string{"Handouts: the comments of a scenario are prose. A file system registers, then a volume mounts.",
		"A filter that asks to be told attaches to both stacks."}
	if strings.Join(prose, "\n") != strings.Join(wantProse, "\n") {
		t.Errorf("prose %q, want %q", prose, wantProse)
	}
	all := strings.Join(outs, "\n")
	for _, w := range []string{"IoRegisterFileSystem(\\Ntfs)", "mounted by \\FileSystem\\Ntfs", "av!FsNotification", "refused as expected: no volume Q:"} {
		if !strings.Contains(all, w) {
			t.Errorf("outputs lack %q", w)
		}
	}
	if svgRects < 3 {
		t.Errorf("the inline SVG has %d rects; want the picture's boxes", svgRects)
	}
	if bytes.Contains(data, []byte("export html")) {
		t.Errorf("the handout holds the export that wrote it")
	}
	if bytes.Contains(data, []byte("\x1b")) || bytes.Contains(data, []byte("background: #000")) {
		t.Errorf("the handout holds an escape or a dark background")
	}

	// As save writes: no replacing without --force, and the same file again
	// with it (the session did not change, so neither does the handout).
	if err := s.Exec("export html " + path); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("export html over an existing file: %v, want a refusal naming --force", err)
	}
	if err := s.Exec("export html " + path + " --force"); err != nil {
		t.Fatal(err)
	}
	// Another session that ran the same lines writes the same handout.
	s2, _ := runEchoed(t, handoutScript)
	path2 := filepath.Join(t.TempDir(), "handout.html")
	if err := s2.Exec("export html " + path2); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path2); !bytes.Equal(again, data) {
		t.Errorf("two sessions of the same lines wrote different handouts: the file must not depend on the clock")
	}
}

// TestExportCast: the recording is asciicast v2 as JSON lines: a header with
// version 2, width and height, then [time, "o", text] events with times
// that never go back and verbs about a second apart; its text, CR LF read
// as LF, is the transcript the session printed.
func TestExportCast(t *testing.T) {
	s, out := runEchoed(t, handoutScript)
	transcript := out.String()
	path := filepath.Join(t.TempDir(), "lab.cast")
	if err := s.Exec("export cast " + path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	var hdr struct {
		Version, Width, Height int
		Timestamp              *int64
	}
	if err := json.Unmarshal([]byte(lines[0]), &hdr); err != nil {
		t.Fatalf("header %q: %v", lines[0], err)
	}
	if hdr.Version != 2 || hdr.Width < 80 || hdr.Height < 24 || hdr.Timestamp != nil {
		t.Errorf("header %+v: want version 2, a width and height, no timestamp", hdr)
	}
	var text strings.Builder
	last := -1.0
	var verbTimes []float64
	for _, l := range lines[1:] {
		var ev []any
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("event %q: %v", l, err)
		}
		tm, ok1 := ev[0].(float64)
		kind, ok2 := ev[1].(string)
		chunk, ok3 := ev[2].(string)
		if len(ev) != 3 || !ok1 || !ok2 || !ok3 || kind != "o" {
			t.Fatalf("event %q is not [time, \"o\", text]", l)
		}
		if tm < last {
			t.Errorf("time goes back at %q", l)
		}
		last = tm
		if strings.HasPrefix(chunk, "fssim> ") {
			verbTimes = append(verbTimes, tm)
		}
		if strings.Contains(strings.ReplaceAll(chunk, "\r\n", ""), "\n") {
			t.Errorf("event %q has a bare LF: a terminal needs CR LF", l)
		}
		text.WriteString(strings.ReplaceAll(chunk, "\r\n", "\n"))
	}
	if text.String() != transcript {
		t.Errorf("the recording's text is not the transcript:\n%s", UnifiedDiff("transcript", "cast", transcript, text.String()))
	}
	if len(verbTimes) != 3 {
		t.Fatalf("%d verb lines in the recording, want 3", len(verbTimes))
	}
	for i := 1; i < len(verbTimes); i++ {
		if gap := verbTimes[i] - verbTimes[i-1]; gap < 0.9 || gap > 2.5 {
			t.Errorf("verbs %d and %d are %.3fs apart, want about a second", i, i+1, gap)
		}
	}
}

// TestExportHandoutStdout: FILE - (or none) writes to the output, and the
// record does not take in the handout itself, so a second export is the
// first plus the first export's line.
func TestExportHandoutStdout(t *testing.T) {
	var out bytes.Buffer
	s := NewSession(&out, render.NewTheme(false))
	for _, l := range []string{"fs register ntfs", "export cast -"} {
		if err := s.Exec(l); err != nil {
			t.Fatal(err)
		}
	}
	first := out.String()
	if !strings.Contains(first, `{"version":2`) || !strings.Contains(first, `"fssim> fs register ntfs\r\n"`) {
		t.Fatalf("export cast - printed %q", first)
	}
	out.Reset()
	if err := s.Exec("export cast"); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 1+2+1 { // header; the verb's line and output; the first export's line
		t.Errorf("second recording has %d lines, want 4:\n%s", n, out.String())
	}
	if strings.Contains(out.String(), "version\\\":2") {
		t.Errorf("the record took in the first recording")
	}
}

// TestRecordBounded: the record keeps recordLines lines and recordBytes of
// output, and the handout says how many earlier lines it lacks.
func TestRecordBounded(t *testing.T) {
	s := NewSession(io.Discard, render.NewTheme(false))
	for i := 0; i < recordLines+50; i++ {
		if err := s.Exec("fs list"); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.rec.items) != recordLines || s.rec.dropped != 50 {
		t.Errorf("record holds %d lines and dropped %d; want %d and 50", len(s.rec.items), s.rec.dropped, recordLines)
	}
	var b bytes.Buffer
	s.Out = &b
	if err := s.Exec("export html -"); err != nil {
		t.Fatal(err)
	}
	// 51: the export's own line joined the record, pushing out one more.
	if !strings.Contains(b.String(), "51 earlier lines of the session are not in this handout") {
		t.Errorf("the handout does not say lines were dropped")
	}
	// Bytes: one verb's output is cut at recordLineBytes, and the whole at
	// recordBytes.
	var r record
	big := bytes.Repeat([]byte("x"), recordLineBytes+10)
	for i := 0; i < 40; i++ {
		r.begin(render.HandoutItem{Text: "v"}, i)
		add(&r, big)
	}
	last := &r.items[len(r.items)-1]
	if r.bytes > recordBytes+recordLineBytes || r.out(last) != string(big[:recordLineBytes]) || last.cut != 10 {
		t.Errorf("record holds %d bytes (bound %d), last line %d bytes cut %d", r.bytes, recordBytes, len(r.out(last)), last.cut)
	}
	if r.dropped == 0 {
		t.Errorf("no line dropped over %d bytes", 40*len(big))
	}
}

// TestRecordRing: each line the record keeps has the output written for
// it, byte for byte: after its ring has wrapped many times, after it grew
// while wrapped (small lines, then large), with writes of odd sizes that
// straddle its end, and lines cut at recordLineBytes.
func TestRecordRing(t *testing.T) {
	var r record
	want := map[int]string{} // by seq: the output each line keeps
	check := func(phase string) {
		t.Helper()
		for i := range r.items {
			it := &r.items[i]
			if got := r.out(it); got != want[it.seq] {
				t.Errorf("%s: line %d keeps %d bytes, want %d (or they differ)", phase, it.seq, len(got), len(want[it.seq]))
			}
		}
	}
	seq := 0
	line := func(i, most int) {
		seq++
		r.begin(render.HandoutItem{Text: "v", Echo: "fssim> v\n"}, seq)
		var kept []byte
		for k := 0; k < i%5; k++ {
			p := bytes.Repeat([]byte{byte('a' + (i+k)%26)}, 1+(i*7919+k*104729)%most)
			if k%2 == 0 {
				add(&r, p)
			} else {
				add(&r, string(p)) // as recWriter.WriteString records
			}
			kept = append(kept, p...)
		}
		want[seq] = string(kept[:min(len(kept), recordLineBytes)])
	}
	for i := 0; i < 3000; i++ {
		line(i, 50)
	}
	small := len(r.ring)
	check("small lines")
	for i := 0; i < 600; i++ {
		size := len(r.ring)
		line(i, recordLineBytes/2)
		if len(r.ring) != size {
			check(fmt.Sprintf("ring grown to %d bytes", len(r.ring)))
		}
	}
	if r.dropped < 3000 || small >= len(r.ring) {
		t.Fatalf("dropped %d lines, ring grew from %d to %d bytes: the test does not wrap and grow", r.dropped, small, len(r.ring))
	}
	check("large lines")
	if len(r.ring) > recordBytes {
		t.Errorf("ring of %d bytes, more than the record keeps (%d)", len(r.ring), recordBytes)
	}
}

// TestExportHandoutErrors: a STACK is refused with the usage.
func TestExportHandoutErrors(t *testing.T) {
	s := NewSession(io.Discard, render.NewTheme(false))
	err := s.Exec("export html C: a.html")
	if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "takes no STACK") {
		t.Errorf("export html C: a.html: %v", err)
	}
}

// TestExportHTMLLesson: a handout of a lesson is titled by it, its first
// line is a heading and its other comments prose, and its verbs are there
// as the lesson echoed them.
func TestExportHTMLLesson(t *testing.T) {
	var out bytes.Buffer
	s := NewSession(&out, render.NewTheme(false))
	if err := s.Exec("lesson register-twice"); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := s.Exec("export html"); err != nil {
		t.Fatal(err)
	}
	var root xmlNode
	if err := xml.NewDecoder(&out).Decode(&root); err != nil {
		t.Fatalf("the handout is not well-formed XML: %v", err)
	}
	got := map[string][]string{}
	root.walk(func(n *xmlNode) {
		k := n.XMLName.Local + "." + n.class()
		got[k] = append(got[k], n.Text)
	})
	title := "Classic bug: registering the notification routine twice"
	if h := got["h1."]; len(h) != 1 || h[0] != "fssim lesson register-twice: "+title {
		t.Errorf("h1 %q", h)
	}
	if h := got["h2."]; len(h) < 1 || h[0] != title {
		t.Errorf("h2 %q", h)
	}
	if p := got["p.prose nested"]; len(p) < 2 || !strings.HasPrefix(p[0], "A second IoRegisterFsRegistrationChange") {
		t.Errorf("prose %q", p)
	}
	cmds := strings.Join(got["pre.cmd"], "\n")
	for _, w := range []string{"fssim> lesson register-twice", "fssim> ! [already-registered] filter notify av", "fssim> filter list"} {
		if !strings.Contains(cmds, w) {
			t.Errorf("verb lines lack %q:\n%s", w, cmds)
		}
	}
}

// TestRecordWithWatch: a front-end that copies each verb's output through
// the Watch hook (serve does), or puts its own output in place for a verb
// posted from a page, neither loses the record nor records twice, and the
// session's output does not grow a wrapper a verb.
func TestRecordWithWatch(t *testing.T) {
	var out, copied bytes.Buffer
	s := NewSession(&out, render.NewTheme(false))
	s.Watch = func(verb string, run func() error) error {
		prev := s.Out
		s.Out = io.MultiWriter(prev, &copied)
		err := run()
		s.Out = prev
		return err
	}
	for i := 0; i < 3; i++ {
		if err := s.Exec("fs list"); err != nil {
			t.Fatal(err)
		}
		var page bytes.Buffer // a verb from the page
		prev := s.Out
		s.Out = &page
		if err := s.Exec("filter list"); err != nil {
			t.Fatal(err)
		}
		s.Out = prev
	}
	if rw, ok := s.Out.(*recWriter); !ok || rw.w != io.Writer(&out) {
		t.Fatalf("the session's output is %T, want one recWriter over the original", s.Out)
	}
	h := s.handout(-1)
	if len(h.Items) != 6 {
		t.Fatalf("%d lines recorded, want 6", len(h.Items))
	}
	for i, it := range h.Items {
		want := "fs list"
		if i%2 == 1 {
			want = "filter list"
		}
		if it.Text != want || it.Out == "" || strings.Count(it.Out, "disk") > strings.Count(h.Items[0].Out, "disk")+1 {
			t.Errorf("line %d: %q with output %q", i, it.Text, it.Out)
		}
	}
	if h.Items[0].Out != h.Items[2].Out {
		t.Errorf("fs list recorded differently the second time:\n%q\n%q", h.Items[0].Out, h.Items[2].Out)
	}
}
