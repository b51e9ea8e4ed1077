package serve

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fssim/fssim/internal/render"
	"github.com/fssim/fssim/internal/repl"
)

//go:embed page.html
var page []byte

// MaxBody is the largest line POST /exec takes.
const MaxBody = 64 << 10

// How long a posted line waits for the terminal to finish its line before
// the page is told to try again, and the server's timeouts (variables for
// the tests).
var (
	lockWait          = 10 * time.Second
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 30 * time.Second // /events lifts it for its stream
	eventWriteTimeout = 10 * time.Second // each write to an /events stream
	keepAlive         = 25 * time.Second // a comment on a quiet /events stream
)

// keep is how many recent verbs the server holds for a page that connects
// or reconnects (/events?since=N, Last-Event-ID); maxOutput caps the output
// an event carries.
const (
	keep      = 50
	maxOutput = 256 << 10
)

// Options configure a Server.
type Options struct {
	// AllowFiles lets verbs from the page read and write files (save, load,
	// source, export FILE); without it they are refused.
	AllowFiles bool
	// Lock is the session's lock, held by whoever runs a line in it (the
	// prompt's term.Options.Lock); nil: the server makes its own, for
	// a session nobody else drives while it serves.
	Lock *sync.Mutex
}

// Event is one verb run in the session, as /events sends it.
type Event struct {
	Seq     int    `json:"seq"`     // numbers the events from 1
	Line    string `json:"line"`    // the verb as typed
	Output  string `json:"output"`  // what it printed, without color
	Error   string `json:"error"`   // why it failed; "" if it did not
	OK      bool   `json:"ok"`      // it succeeded
	Version int    `json:"version"` // the lab's version after it (state.json's and stacks.svg's)
	From    string `json:"from"`    // "page" for a verb posted to /exec, "fssim" for the rest
}

// Server serves the page of one session.
type Server struct {
	sess       *repl.Session
	lock       *sync.Mutex
	allowFiles bool
	fromPage   bool // a verb posted to /exec is running (under lock)

	mu      sync.Mutex // guards what follows
	version int
	state   []byte // show --json
	svg     []byte // export svg
	seq     int
	recent  []Event
	subs    map[chan Event]bool
	closed  bool

	done     chan struct{} // closed when the server shuts down: ends the /events streams
	loopback bool
	url      string

	connMu   sync.Mutex // guards what follows
	listener net.Listener
	conns    map[net.Conn]struct{} // open connections; nil once closed
	active   sync.WaitGroup        // one per open connection
}

// New returns a server for sess and starts watching it: every verb run in
// sess from now on reaches the page. It must be called by whoever runs
// sess's lines now (the serve verb, or before the first line), as it reads
// the lab.
func New(sess *repl.Session, opt Options) *Server {
	s := &Server{sess: sess, lock: opt.Lock, allowFiles: opt.AllowFiles, subs: map[chan Event]bool{}, done: make(chan struct{})}
	if s.lock == nil {
		s.lock = new(sync.Mutex)
	}
	s.state, s.svg = s.render()
	s.version = 1
	sess.Watch = s.watch
	return s
}

// Lock is the session's lock: hold it to run a line in the session.
func (s *Server) Lock() *sync.Mutex { return s.lock }

// render draws the lab as state.json and stacks.svg serve it.
func (s *Server) render() (state, svg []byte) {
	var j, p bytes.Buffer
	if err := render.JSON(&j, s.sess.Eng); err != nil {
		j.Reset()
	}
	if _, err := render.Export(&p, s.sess.Eng, "svg", ""); err != nil {
		p.Reset()
	}
	return j.Bytes(), p.Bytes()
}

// watch is the session's Watch hook: it runs the verb with its output
// copied, then draws the lab and tells the page.
func (s *Server) watch(verb string, run func() error) error {
	var out capped
	prev := s.sess.Out
	s.sess.Out = io.MultiWriter(prev, &out)
	err := run()
	s.sess.Out = prev
	if errors.Is(err, repl.ErrExit) {
		return err // leaving: nothing changed to show
	}
	state, svg := s.render()
	ev := Event{Line: verb, Output: render.StripEscapes(out.String()), OK: err == nil, From: "fssim"}
	if err != nil {
		ev.Error = oneLine(err.Error())
	}
	if s.fromPage {
		ev.From = "page"
	}
	s.mu.Lock()
	if !bytes.Equal(state, s.state) || !bytes.Equal(svg, s.svg) {
		s.version++
		s.state, s.svg = state, svg
	}
	s.seq++
	ev.Seq, ev.Version = s.seq, s.version
	s.recent = append(s.recent, ev)
	if len(s.recent) > keep {
		s.recent = append(s.recent[:0], s.recent[len(s.recent)-keep:]...)
	}
	for ch := range s.subs {
		select {
		case ch <- ev:
		default: // a page that does not keep up: it reconnects and catches up from Last-Event-ID
			delete(s.subs, ch)
			close(ch)
		}
	}
	s.mu.Unlock()
	return err
}

// capped is a buffer that keeps the first maxOutput bytes written to it.
type capped struct {
	b    bytes.Buffer
	lost int
}

func (c *capped) Write(p []byte) (int, error) {
	n := len(p)
	if room := maxOutput - c.b.Len(); room < n {
		c.lost += n - room
		p = p[:room]
	}
	c.b.Write(p)
	return n, nil
}

func (c *capped) String() string {
	if c.lost > 0 {
		return c.b.String() + fmt.Sprintf("\n[%d more bytes of output]\n", c.lost)
	}
	return c.b.String()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// loopbackHost reports whether a Host header names the loopback interface.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (s *Server) getPage(w *response, r *request) {
	w.set("Content-Type", "text/html; charset=utf-8")
	// The page loads nothing from anywhere else: no CDN, offline.
	w.set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'")
	w.set("Cache-Control", "no-cache")
	w.Write(page)
}

// snapshot is the lab's last drawing and its version.
func (s *Server) snapshot() (version int, state, svg []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version, s.state, s.svg
}

func (s *Server) getState(w *response, r *request) {
	v, state, _ := s.snapshot()
	s.writeVersioned(w, r, v, "application/json", state)
}

func (s *Server) getSVG(w *response, r *request) {
	v, _, svg := s.snapshot()
	s.writeVersioned(w, r, v, "image/svg+xml", svg)
}

// writeVersioned answers body with the lab's version v as its ETag, or 304
// Not Modified to a client that has that version.
func (s *Server) writeVersioned(w *response, r *request, v int, ctype string, body []byte) {
	w.set("Content-Type", ctype)
	w.set("Cache-Control", "no-cache")
	w.set("X-Fssim-Version", strconv.Itoa(v))
	etag := fmt.Sprintf(`"v%d"`, v)
	w.set("ETag", etag)
	for _, tag := range strings.Split(r.get("if-none-match"), ",") {
		if tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/"); tag == etag || tag == "*" {
			w.code = 304
			return
		}
	}
	w.Write(body)
}

// getEvents streams one "verb" event per verb. A page that reconnects
// (Last-Event-ID) or asks for the recent ones (?since=N) first gets the
// events after that number it missed, of the last 50.
func (s *Server) getEvents(w *response, r *request, br *bufio.Reader) {
	since := -1
	if id := r.get("last-event-id"); id != "" {
		since, _ = strconv.Atoi(id)
	} else if q := r.queryValue("since"); q != "" {
		since, _ = strconv.Atoi(q)
	}
	ch := make(chan Event, 64)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		w.error(503, "fssim serve is shutting down")
		return
	}
	var backlog []Event
	if since >= 0 {
		for _, ev := range s.recent {
			if ev.Seq > since {
				backlog = append(backlog, ev)
			}
		}
	}
	s.subs[ch] = true
	s.mu.Unlock()
	defer s.unsubscribe(ch)

	w.set("Content-Type", "text/event-stream")
	w.set("Cache-Control", "no-cache")
	w.set("X-Accel-Buffering", "no")
	// The stream lives as long as the page: the request is read, so no
	// read deadline; no write timeout for the stream as a whole, one for
	// each write instead, so a page that stops reading does not hold the
	// server.
	w.conn.SetReadDeadline(time.Time{})
	deadline := func() { w.conn.SetWriteDeadline(time.Now().Add(eventWriteTimeout)) }
	deadline()
	// The page sends nothing more on this connection: a read that returns
	// is the page gone (or bytes it should not send).
	gone := make(chan struct{})
	go func() {
		br.ReadByte()
		close(gone)
	}()
	if w.stream() != nil {
		return
	}
	io.WriteString(w, "retry: 1000\n: fssim events, one per verb\n\n")
	for _, ev := range backlog {
		writeEvent(w, ev)
	}
	if w.flush() != nil {
		return
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				return
			}
			deadline()
			writeEvent(w, ev)
		case <-tick.C:
			deadline()
			io.WriteString(w, ": still here\n\n")
		case <-gone:
			return
		case <-s.done:
			return
		}
		if w.flush() != nil {
			return
		}
	}
}

func writeEvent(w io.Writer, ev Event) {
	data, _ := json.Marshal(ev)
	fmt.Fprintf(w, "id: %d\nevent: verb\ndata: %s\n\n", ev.Seq, data)
}

func (s *Server) unsubscribe(ch chan Event) {
	s.mu.Lock()
	if s.subs[ch] {
		delete(s.subs, ch)
		close(ch)
	}
	s.mu.Unlock()
}

// Watchers is how many /events streams are open.
func (s *Server) Watchers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.subs)
}

// Result is POST /exec's answer, as JSON (Accept: application/json); as
// text it is Output, then "error: Error".
type Result struct {
	OK      bool   `json:"ok"`
	Output  string `json:"output"`
	Error   string `json:"error"`
	Version int    `json:"version"`
}

// errFilesOff is what a verb from the page gets for any file it would read
// or write without --allow-files.
var errFilesOff = errors.New("verbs from the page may not read or write files (start fssim serve with --allow-files to let them)")

// postExec runs one line from the page: its verbs in turn, up to the first
// that fails, as Session.Exec runs a line. It
// answers 200 when the line succeeded, 422 when a verb failed, 403 for a
// request from another origin, a file verb without --allow-files, or exit,
// 413 for a body over 64 KiB, 400 for no line or several, and 503 when the
// terminal's line does not end within 10 seconds.
func (s *Server) postExec(w *response, r *request) {
	if why := foreign(r); why != "" {
		w.error(403, why)
		return
	}
	if r.length > MaxBody {
		w.error(413, fmt.Sprintf("the line is %d bytes: POST /exec takes one line of at most %d", r.length, MaxBody))
		return
	}
	switch expect := r.get("expect"); {
	case strings.EqualFold(expect, "100-continue"):
		// curl asks before it sends a body over 1 KiB.
		fmt.Fprintf(w.w, "HTTP/1.1 100 Continue\r\n\r\n")
		if w.w.Flush() != nil {
			return
		}
	case expect != "":
		w.error(417, fmt.Sprintf("fssim serve does not know the expectation %.40q", expect))
		return
	}
	body, err := io.ReadAll(r.body)
	switch {
	case err != nil:
		w.error(400, "reading the line: "+err.Error())
		return
	case int64(len(body)) < r.length:
		w.error(400, fmt.Sprintf("the line ends after %d of its %d bytes", len(body), r.length))
		return
	}
	line := strings.TrimSuffix(strings.TrimSuffix(string(body), "\n"), "\r")
	switch {
	case strings.ContainsAny(line, "\r\n"):
		w.error(400, "POST /exec takes one line (verbs may be separated by ';'), not several")
		return
	case strings.TrimSpace(line) == "":
		w.error(400, "POST /exec takes a line of verbs as its text/plain body, like: show")
		return
	}

	switch lockWithin(s.lock, lockWait, s.done) {
	case errBusy:
		w.error(503, "the terminal is running a line (a lesson waiting for Enter?): try again when it is done")
		return
	case errClosing:
		w.error(503, "fssim serve is shutting down")
		return
	}
	res, refused := s.runLocked(line)

	code := 200
	switch {
	case refused:
		code = 403
	case !res.OK:
		code = 422
	}
	w.code = code
	w.set("X-Fssim-Version", strconv.Itoa(res.Version))
	w.set("Cache-Control", "no-store")
	if strings.Contains(r.get("accept"), "application/json") {
		w.set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(res)
		return
	}
	w.set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, res.Output)
	if res.Error != "" {
		io.WriteString(w, "error: "+res.Error+"\n")
	}
}

// runLocked runs a line from the page in the session, which the caller has
// locked, and unlocks it: its output goes to the answer, nobody is asked
// anything (quiz and lesson --step run as in a pipe), and files are refused
// unless allowed. refused reports a verb the page may not run.
func (s *Server) runLocked(line string) (res Result, refused bool) {
	sess := s.sess
	var out capped
	prevOut, prevAsk, prevFiles := sess.Out, sess.Ask, sess.Files
	sess.Out, sess.Ask = &out, nil
	var files *filesOff
	if !s.allowFiles {
		files = &filesOff{}
		sess.Files = files
	}
	s.fromPage = true
	err := func() error {
		// Even a verb that panics gives the session back to the
		// terminal as it found it.
		defer func() {
			s.fromPage = false
			sess.Out, sess.Ask, sess.Files = prevOut, prevAsk, prevFiles
			s.lock.Unlock()
		}()
		return sess.Exec(line)
	}()

	res = Result{OK: err == nil, Output: render.StripEscapes(out.String())}
	switch {
	case errors.Is(err, repl.ErrExit):
		res.OK, res.Error, refused = false, "exit leaves fssim at its terminal; the page cannot end the session", true
	case err != nil:
		res.Error = oneLine(err.Error())
		refused = files != nil && files.used
	}
	s.mu.Lock()
	res.Version = s.version
	s.mu.Unlock()
	return res, refused
}

// Why lockWithin did not lock.
var (
	errBusy    = errors.New("busy")
	errClosing = errors.New("closing")
)

// lockWithin locks mu within wait, unless done is closed first.
func lockWithin(mu *sync.Mutex, wait time.Duration, done <-chan struct{}) error {
	if mu.TryLock() {
		return nil
	}
	got := make(chan struct{})
	go func() {
		mu.Lock()
		close(got)
	}()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	var err error
	select {
	case <-got:
		return nil
	case <-timer.C:
		err = errBusy
	case <-done:
		err = errClosing
	}
	go func() { // the lock comes later: give it back
		<-got
		mu.Unlock()
	}()
	return err
}

// foreign says why a POST is refused as coming from another web site, or
// "" if it comes from the page (or from no browser at all: curl sends no
// Origin).
func foreign(r *request) string {
	origin := r.get("origin")
	if origin == "" {
		if r.get("sec-fetch-site") == "cross-site" {
			return "POST /exec takes lines from fssim's own page only"
		}
		return ""
	}
	if !strings.EqualFold(origin, "http://"+r.host) {
		return fmt.Sprintf("POST /exec takes lines from fssim's own page only (http://%s), not from %.100s", r.host, origin)
	}
	return ""
}

// filesOff refuses every file a verb from the page would read or write.
type filesOff struct{ used bool }

func (f *filesOff) refuse() error                      { f.used = true; return errFilesOff }
func (f *filesOff) Open(string) (io.ReadCloser, error) { return nil, f.refuse() }
func (f *filesOff) Stat(string) (fs.FileInfo, error)   { return nil, f.refuse() }
func (f *filesOff) CreateTemp(string, string) (repl.TempFile, error) {
	return nil, f.refuse()
}
func (f *filesOff) Lstat(string) (fs.FileInfo, error) { return nil, f.refuse() }
func (f *filesOff) Readlink(string) (string, error)   { return "", f.refuse() }
func (f *filesOff) Rename(string, string) error       { return f.refuse() }
func (f *filesOff) Remove(string) error               { return f.refuse() }
func (f *filesOff) RemoveStale(string, string)        {}
func (f *filesOff) SyncDir(string) error              { return f.refuse() }
