package serve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fssim/fssim/internal/render"
	"github.com/fssim/fssim/internal/repl"
)

var labVerbs = []string{"fs register ntfs", "mount C:"}

// newLab is a session with the lab built, its files kept in a scratch
// folder, and a server watching it.
func newLab(t testing.TB, opt Options) (*repl.Session, *Server, string) {
	t.Helper()
	dir := t.TempDir()
	sess := repl.NewSession(io.Discard, render.NewTheme(false))
	sess.Files = repl.RootedFiles{Root: dir}
	for _, v := range labVerbs {
		if err := sess.Exec(v); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
	}
	return sess, New(sess, opt), dir
}

// show is what a fresh session prints for verb after the lab's verbs and
// then more.
func show(t *testing.T, verb string, more ...string) string {
	t.Helper()
	var b bytes.Buffer
	sess := repl.NewSession(io.Discard, render.NewTheme(false))
	for _, v := range append(append([]string{}, labVerbs...), more...) {
		if err := sess.Exec(v); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
	}
	sess.Out = &b
	if err := sess.Exec(verb); err != nil {
		t.Fatalf("%s: %v", verb, err)
	}
	return b.String()
}

// serveTest serves srv on loopback for the test, as fssim serve does, and
// returns its address without the final slash; the end of the test closes
// it.
func serveTest(t *testing.T, srv *Server) string {
	t.Helper()
	l, _, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := srv.Start(l)
	t.Cleanup(func() { srv.Close() })
	return strings.TrimSuffix(url, "/")
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	r, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return r, string(b)
}

func post(t *testing.T, url, body string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("POST", url+"/exec", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/plain")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r, string(b)
}

// TestGetEndpoints: the page is one file that loads nothing from elsewhere;
// state.json is show --json and stacks.svg is export svg, byte for byte.
func TestGetEndpoints(t *testing.T) {
	_, srv, _ := newLab(t, Options{})
	base := serveTest(t, srv)

	r, body := get(t, base+"/")
	if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %s %s", r.Status, r.Header.Get("Content-Type"))
	}
	for _, want := range []string{"<!DOCTYPE html>", `EventSource("events`, `fetch("stacks.svg"`, `fetch("exec"`, `<input id="line"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page has no %s", want)
		}
	}
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//|@import|url\(\s*["']?https?:`).FindString(body); m != "" {
		t.Errorf("the page loads something from elsewhere: %s", m)
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("the page's CSP allows other origins: %q", csp)
	}

	r, body = get(t, base+"/state.json")
	if want := show(t, "show --json"); body != want {
		t.Errorf("state.json is not show --json:\n got %.200s\nwant %.200s", body, want)
	}
	if r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Fssim-Version") != "1" {
		t.Errorf("state.json: %s, version %q", r.Header.Get("Content-Type"), r.Header.Get("X-Fssim-Version"))
	}
	r, body = get(t, base+"/stacks.svg")
	if want := show(t, "export svg"); body != want {
		t.Errorf("stacks.svg is not export svg:\n got %.200s\nwant %.200s", body, want)
	}
	if r.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("stacks.svg: %s", r.Header.Get("Content-Type"))
	}
	// The picture is not sent again while it has not changed.
	req, _ := http.NewRequest("GET", base+"/stacks.svg", nil)
	req.Header.Set("If-None-Match", r.Header.Get("ETag"))
	if r2, err := http.DefaultClient.Do(req); err != nil || r2.StatusCode != http.StatusNotModified {
		t.Errorf("stacks.svg with its ETag: %v %v, want 304", r2.Status, err)
	}

	for _, bad := range []struct{ method, path string }{{"GET", "/nosuch"}, {"POST", "/state.json"}, {"GET", "/exec"}, {"DELETE", "/"}} {
		req, _ := http.NewRequest(bad.method, base+bad.path, nil)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != 404 && r.StatusCode != 405 {
			t.Errorf("%s %s: %s, want 404 or 405", bad.method, bad.path, r.Status)
		}
	}
}

// events reads a server-sent events stream.
type events struct {
	t    testing.TB
	resp *http.Response
	br   *bufio.Reader
}

func openEvents(t testing.TB, url string, header ...string) *events {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Body.Close() })
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("GET /events: %s %s", r.Status, r.Header.Get("Content-Type"))
	}
	return &events{t: t, resp: r, br: bufio.NewReader(r.Body)}
}

// next reads the next event, skipping comments, within 20 seconds.
func (e *events) next() Event {
	e.t.Helper()
	type got struct {
		ev  Event
		err error
	}
	ch := make(chan got, 1)
	go func() {
		var id, name, data string
		for {
			line, err := e.br.ReadString('\n')
			if err != nil {
				ch <- got{err: err}
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case line == "" && data != "":
				var ev Event
				err := json.Unmarshal([]byte(data), &ev)
				if err == nil && (name != "verb" || id != strconv.Itoa(ev.Seq)) {
					err = io.ErrUnexpectedEOF
				}
				ch <- got{ev, err}
				return
			case strings.HasPrefix(line, "id: "):
				id = line[4:]
			case strings.HasPrefix(line, "event: "):
				name = line[7:]
			case strings.HasPrefix(line, "data: "):
				data = line[6:]
			}
		}
	}()
	select {
	case g := <-ch:
		if g.err != nil {
			e.t.Fatalf("reading /events: %v", g.err)
		}
		return g.ev
	case <-time.After(20 * time.Second):
		e.t.Fatal("no event in 20s")
	}
	return Event{}
}

func waitWatchers(t *testing.T, srv *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for srv.Watchers() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d /events streams open, want %d", srv.Watchers(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestExecAndEvents: a posted line answers its output; it and a verb run at
// the terminal each give one event with its line, output and the lab's new
// version; state.json and stacks.svg follow.
func TestExecAndEvents(t *testing.T) {
	sess, srv, _ := newLab(t, Options{})
	base := serveTest(t, srv)
	ev := openEvents(t, base+"/events")
	waitWatchers(t, srv, 1)

	r, body := post(t, base, "filter load av --notify\n")
	want := show(t, "filter load av --notify")
	if r.StatusCode != 200 || body != want {
		t.Fatalf("POST filter load: %s\n%s\nwant\n%s", r.Status, body, want)
	}
	if r.Header.Get("X-Fssim-Version") != "2" {
		t.Errorf("version after filter load: %q, want 2", r.Header.Get("X-Fssim-Version"))
	}
	e := ev.next()
	if e.Line != "filter load av --notify" || e.Output != want || !e.OK || e.Error != "" || e.Version != 2 || e.From != "page" || e.Seq != 1 {
		t.Errorf("event for the posted line: %+v", e)
	}
	if _, body := get(t, base+"/state.json"); body != show(t, "show --json", "filter load av --notify") {
		t.Errorf("state.json does not show av")
	}

	// The terminal: a line runs under the session's lock, in the session.
	srv.Lock().Lock()
	err := sess.Exec("mount D:")
	srv.Lock().Unlock()
	if err != nil {
		t.Fatal(err)
	}
	e = ev.next()
	if e.Line != "mount D:" || e.From != "fssim" || e.Version != 3 || !strings.Contains(e.Output, "IRP_MN_MOUNT_VOLUME") {
		t.Errorf("event for the terminal's verb: %+v", e)
	}
	if _, body := get(t, base+"/stacks.svg"); body != show(t, "export svg", "filter load av --notify", "mount D:") {
		t.Errorf("stacks.svg does not follow the terminal's verb")
	}

	// A view changes nothing: same version. A failing verb: 422 and its
	// error, in the answer and the event.
	r, body = post(t, base, "show C:", "Accept", "application/json")
	var res Result
	if err := json.Unmarshal([]byte(body), &res); err != nil || r.StatusCode != 200 || !res.OK || res.Version != 3 || !strings.Contains(res.Output, "C:") {
		t.Errorf("POST show C: (JSON): %s %s %v", r.Status, body, err)
	}
	if e = ev.next(); e.Line != "show C:" || e.Version != 3 {
		t.Errorf("event for show: %+v", e)
	}
	r, body = post(t, base, "show X:")
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(body, "error: ") {
		t.Errorf("POST a failing verb: %s %q, want 422 and error: ...", r.Status, body)
	}
	if e = ev.next(); e.OK || e.Error == "" || "error: "+e.Error+"\n" != body {
		t.Errorf("event for a failing verb: %+v", e)
	}

	// Verbs separated by ';': each is an event, and the first failure ends
	// the line.
	r, body = post(t, base, "fs register fastfat; show X:; mount D:")
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `IoRegisterFileSystem(\Fat)`) || strings.Contains(body, "claims D:") {
		t.Errorf("POST a line of three verbs, the second failing: %s %q", r.Status, body)
	}
	if e = ev.next(); e.Line != "fs register fastfat" || !e.OK {
		t.Errorf("first verb of the line: %+v", e)
	}
	if e = ev.next(); e.Line != "show X:" || e.OK {
		t.Errorf("second verb of the line: %+v", e)
	}

	// A page that connects later, or reconnects, catches up.
	late := openEvents(t, base+"/events", "Last-Event-ID", "2")
	if e = late.next(); e.Seq != 3 || e.Line != "show C:" {
		t.Errorf("after Last-Event-ID 2: %+v", e)
	}
	all := openEvents(t, base+"/events?since=0")
	if e = all.next(); e.Seq != 1 || e.Line != "filter load av --notify" {
		t.Errorf("with since=0: %+v", e)
	}
}

// TestExecRefusals: another origin, a body over 64 KiB, no line or several,
// exit, and file verbs without --allow-files are refused, and change
// nothing.
func TestExecRefusals(t *testing.T) {
	_, srv, dir := newLab(t, Options{})
	base := serveTest(t, srv)
	host := strings.TrimPrefix(base, "http://")
	big := "show " + strings.Repeat("x", MaxBody)
	tests := []struct {
		name, body string
		header     []string
		code       int
		says       string
	}{
		{"other origin", "reset", []string{"Origin", "http://evil.example"}, 403, "own page only"},
		{"other port", "reset", []string{"Origin", "http://" + strings.Split(host, ":")[0] + ":1"}, 403, "own page only"},
		{"origin null", "reset", []string{"Origin", "null"}, 403, "own page only"},
		{"cross-site fetch", "reset", []string{"Sec-Fetch-Site", "cross-site"}, 403, "own page only"},
		{"too big", big, nil, 413, "at most 65536"},
		{"two lines", "reset\nshow", nil, 400, "one line"},
		{"empty", "", nil, 400, "like: show"},
		{"blank", "  \n", nil, 400, "like: show"},
		{"save", "save lab.fss", nil, 403, "--allow-files"},
		{"export FILE", "export svg lab.svg", nil, 403, "--allow-files"},
		{"load", "load lab.fss", nil, 403, "--allow-files"},
		{"source", "source lab.fss", nil, 403, "--allow-files"},
		{"exit", "exit", nil, 403, "terminal"},
		{"own origin", "show", []string{"Origin", base}, 200, "C:"},
	}
	for _, tc := range tests {
		r, body := post(t, base, tc.body, tc.header...)
		if r.StatusCode != tc.code || !strings.Contains(body, tc.says) {
			t.Errorf("%s: %s %q, want %d and %q", tc.name, r.Status, body, tc.code, tc.says)
		}
	}
	// A chunked body (no Content-Length): refused, whatever its size, with
	// what to send instead.
	for _, body := range []string{"show", big} {
		req, _ := http.NewRequest("POST", base+"/exec", io.MultiReader(strings.NewReader(body)))
		req.ContentLength = -1
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("a chunked body of %d bytes: %v", len(body), err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != 411 || !strings.Contains(string(b), "Content-Length") {
			t.Errorf("a chunked body of %d bytes: %s %q, want 411 naming Content-Length", len(body), r.Status, b)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) > 0 {
		t.Errorf("a refused verb wrote %s", ents[0].Name())
	}
	if _, body := get(t, base+"/state.json"); body != show(t, "show --json") {
		t.Errorf("a refused line changed the lab")
	}
}

// TestAllowFiles: with --allow-files the page's save writes its file.
func TestAllowFiles(t *testing.T) {
	_, srv, dir := newLab(t, Options{AllowFiles: true})
	base := serveTest(t, srv)
	if r, body := post(t, base, "save lab.fss"); r.StatusCode != 200 || !strings.Contains(body, "saved 2 verbs") {
		t.Fatalf("save with --allow-files: %s %q", r.Status, body)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "lab.fss")); err != nil || !strings.Contains(string(b), "mount C:") {
		t.Errorf("lab.fss: %q %v", b, err)
	}
}

// TestLoopbackNames: served on loopback, the server answers only to the
// names of loopback, so a web page whose name was rebound to 127.0.0.1
// cannot read the lab or post to it.
func TestLoopbackNames(t *testing.T) {
	_, srv, _ := newLab(t, Options{})
	srv.loopback = true
	base := serveTest(t, srv)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(base, "http://"))
	for host, code := range map[string]int{"localhost:" + port: 200, "127.0.0.1:" + port: 200, "[::1]:" + port: 200, "evil.example:" + port: 403, "evil.example": 403} {
		req, _ := http.NewRequest("GET", base+"/state.json", nil)
		req.Host = host
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != code {
			t.Errorf("Host %s: %s, want %d", host, r.Status, code)
		}
	}
}

// TestBusyTerminal: a line posted while the terminal's line runs waits for
// it, and gives up with 503 if it does not end.
func TestBusyTerminal(t *testing.T) {
	_, srv, _ := newLab(t, Options{})
	base := serveTest(t, srv)
	defer func(d time.Duration) { lockWait = d }(lockWait)
	lockWait = 100 * time.Millisecond
	srv.Lock().Lock()
	r, body := post(t, base, "show")
	if r.StatusCode != 503 || !strings.Contains(body, "terminal") {
		t.Errorf("while the terminal runs a line: %s %q, want 503", r.Status, body)
	}
	// The picture is there all the same.
	if r, _ := get(t, base+"/stacks.svg"); r.StatusCode != 200 {
		t.Errorf("stacks.svg while the terminal runs a line: %s", r.Status)
	}
	srv.Lock().Unlock()
	lockWait = 10 * time.Second
	if r, _ := post(t, base, "show"); r.StatusCode != 200 {
		t.Errorf("after the terminal's line: %s", r.Status)
	}
}

// TestEventsOutliveWriteTimeout: the server's read and write timeouts bound
// each request but not the /events stream, which gets its events after
// them.
func TestEventsOutliveWriteTimeout(t *testing.T) {
	defer func(w, r time.Duration) { writeTimeout, readTimeout = w, r }(writeTimeout, readTimeout)
	writeTimeout, readTimeout = 200*time.Millisecond, 200*time.Millisecond
	_, srv, _ := newLab(t, Options{})
	l, _, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := strings.TrimSuffix(srv.Start(l), "/")
	defer srv.Close()
	ev := openEvents(t, url+"/events")
	waitWatchers(t, srv, 1)
	time.Sleep(3 * writeTimeout)
	if r, _ := post(t, url, "fs register fastfat"); r.StatusCode != 200 {
		t.Fatalf("POST: %s", r.Status)
	}
	if e := ev.next(); e.Line != "fs register fastfat" {
		t.Errorf("event after the write timeout: %+v", e)
	}
	// Close ends the stream.
	srv.Close()
	done := make(chan error, 1)
	go func() { _, err := io.ReadAll(ev.br); done <- err }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Error("the /events stream outlived Close")
	}
}

// TestListen: loopback by default, the next free port when 8080's is
// taken, a warning for an address that is not loopback, clear errors.
func TestListen(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port
	l, _, err := listenFrom("127.0.0.1", port, 20)
	if err != nil {
		t.Fatalf("listenFrom a taken port: %v", err)
	}
	if got := l.Addr().(*net.TCPAddr).Port; got <= port || got >= port+20 {
		t.Errorf("took port %d after %d", got, port)
	}
	l.Close()
	if _, _, err := listenFrom("127.0.0.1", port, 1); err == nil || !strings.Contains(err.Error(), "--listen") {
		t.Errorf("no free port: %v", err)
	}
	if _, _, err := Listen(taken.Addr().String()); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("--listen a taken address: %v", err)
	}

	l, warn, err := Listen("127.0.0.1:0")
	if err != nil || warn != "" {
		t.Errorf("loopback: %q %v", warn, err)
	} else {
		l.Close()
	}
	l, warn, err = Listen("0.0.0.0:0")
	if err != nil || !strings.Contains(warn, "not loopback") || strings.Contains(warn, "\n") {
		t.Errorf("0.0.0.0: warning %q %v, want one line", warn, err)
	} else {
		l.Close()
	}
	for _, bad := range []string{"8080", "localhost", "127.0.0.1:http", "127.0.0.1:70000"} {
		if _, _, err := Listen(bad); err == nil || !strings.Contains(err.Error(), "--listen") {
			t.Errorf("--listen %s: %v", bad, err)
		}
	}
}

// TestConcurrentDrivers: the terminal and several pages drive one session
// at once; the race detector watches, and every verb gives one event.
func TestConcurrentDrivers(t *testing.T) {
	sess, srv, _ := newLab(t, Options{})
	base := serveTest(t, srv)
	ev := openEvents(t, base+"/events")
	waitWatchers(t, srv, 1)
	var wg sync.WaitGroup
	const n = 8
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			post(t, base, "filter load f"+strconv.Itoa(i)+" --notify")
			get(t, base+"/stacks.svg")
		}()
		go func() {
			defer wg.Done()
			srv.Lock().Lock()
			defer srv.Lock().Unlock()
			sess.Exec("show C:")
		}()
	}
	wg.Wait()
	seen := map[int]bool{}
	for range 2 * n {
		e := ev.next()
		seen[e.Seq] = true
	}
	if len(seen) != 2*n {
		t.Errorf("%d distinct events for %d verbs", len(seen), 2*n)
	}
	if _, body := get(t, base+"/state.json"); strings.Count(body, `"f`) < n {
		t.Errorf("state.json lacks some of the %d filters", n)
	}
}

// TestPlain: the page shows a verb's output without the theme's color
// escapes (render.StripEscapes, as handouts do), though the session it
// serves paints for a terminal.
func TestPlain(t *testing.T) {
	if got := render.StripEscapes("\x1b[1;31merror:\x1b[0m no\x1b[2m x\x1b[m"); got != "error: no x" {
		t.Errorf("StripEscapes: %q", got)
	}
	sess := repl.NewSession(io.Discard, render.NewTheme(true))
	base := serveTest(t, New(sess, Options{}))
	_, body := post(t, base, "fs register ntfs; mount C:; bogus")
	if strings.Contains(body, "\x1b") || !strings.Contains(body, "\\Ntfs") || !strings.Contains(body, "error: ") {
		t.Errorf("POST /exec with colors on: %q, want its output and error without escapes", body)
	}
}
