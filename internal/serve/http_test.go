package serve

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// parse reads one request from raw.
func parse(raw string) (*request, error) {
	return readRequest(bufio.NewReaderSize(strings.NewReader(raw), 4<<10))
}

// TestReadRequest: the parser takes what browsers, curl and Go send, and
// refuses the rest with the status that names the problem.
func TestReadRequest(t *testing.T) {
	r, err := parse("POST /exec?x=1&since=7 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nCONTENT-length:  4 \r\nX-A: 1\r\nx-a: 2\r\n\r\nshowMORE")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.body)
	if r.method != "POST" || r.path != "/exec" || r.queryValue("since") != "7" || r.queryValue("y") != "" || r.host != "127.0.0.1:8080" ||
		r.length != 4 || string(body) != "show" || r.get("x-a") != "1, 2" {
		t.Errorf("parsed %+v, body %q", r, body)
	}
	// Bare LF ends lines too (netcat); HTTP/1.0 needs no Host.
	if r, err := parse("GET / HTTP/1.0\n\n"); err != nil || r.host != "" || r.length != 0 {
		t.Errorf("HTTP/1.0 without Host: %+v %v", r, err)
	}
	// The same length twice is one length.
	if r, err := parse("POST /exec HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab"); err != nil || r.length != 2 {
		t.Errorf("Content-Length twice, the same: %+v %v", r, err)
	}
	// A field longer than the reader's buffer, within the bound.
	long := strings.Repeat("x", 20<<10)
	if r, err := parse("GET / HTTP/1.1\r\nHost: h\r\nCookie: " + long + "\r\n\r\n"); err != nil || r.get("cookie") != long {
		t.Errorf("a 20 KiB field: %v", err)
	}

	many := strings.Repeat("X-Pad: "+strings.Repeat("p", 1000)+"\r\n", 70)
	for _, tc := range []struct {
		name, raw string
		code      int
		says      string
	}{
		{"header over 64 KiB", "GET / HTTP/1.1\r\nHost: h\r\n" + many + "\r\n", 431, "over 65536 bytes"},
		{"one line over 64 KiB", "GET /" + strings.Repeat("a", 70<<10) + " HTTP/1.1\r\n\r\n", 431, "over"},
		{"no Host", "GET / HTTP/1.1\r\n\r\n", 400, "needs a Host"},
		{"empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 400, "needs a Host"},
		{"two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "2 Host fields"},
		{"Host with a slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, "Host field"},
		{"Host with user info", "GET / HTTP/1.1\r\nHost: u@h\r\n\r\n", 400, "Host field"},
		{"length not a number", "POST /exec HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n", 400, "Content-Length"},
		{"length negative", "POST /exec HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400, "Content-Length"},
		{"length signed", "POST /exec HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n", 400, "Content-Length"},
		{"length overflows", "POST /exec HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n", 400, "Content-Length"},
		{"lengths differ", "POST /exec HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400, "Content-Length"},
		{"length as a list", "POST /exec HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\n", 400, "Content-Length"},
		{"length empty", "POST /exec HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", 400, "Content-Length"},
		{"chunked", "POST /exec HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 411, "Content-Length"},
		{"chunked and a length", "POST /exec HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 411, "Transfer-Encoding"},
		{"obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n 2\r\n\r\n", 400, "folding"},
		{"space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400, "Name: value"},
		{"no colon", "GET / HTTP/1.1\r\nHost h\r\n\r\n", 400, "Name: value"},
		{"control character", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\x00b\r\n\r\n", 400, "control character"},
		{"bare CR", "GET / HTTP/1.1\r\nHost: h\rX-A: 1\r\n\r\n", 400, "CR"},
		{"two words", "GET /\r\n\r\n", 400, "request line"},
		{"double space", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "request line"},
		{"method not a token", "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "request line"},
		{"not HTTP", "GET / FTP/1.0\r\n\r\n", 400, "request line"},
		{"HTTP/2", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, "HTTP/1.1"},
		{"absolute target", "GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400, "path starting with /"},
		{"asterisk", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", 400, "path starting with /"},
		{"byte in target", "GET /a\x7fb HTTP/1.1\r\nHost: h\r\n\r\n", 400, "target"},
		{"ends mid-line", "GET / HTTP/1.1\r\nHost: h", 400, "middle of a line"},
	} {
		_, err := parse(tc.raw)
		var he *httpError
		if !errors.As(err, &he) || he.code != tc.code || !strings.Contains(he.why, tc.says) || strings.Contains(he.why, "\n") {
			t.Errorf("%s: %v, want %d and one line with %q", tc.name, err, tc.code, tc.says)
		}
	}
	if _, err := parse(""); err != io.EOF {
		t.Errorf("no request at all: %v, want EOF (nobody to answer)", err)
	}
}

// FuzzReadRequest: any bytes give a request that holds together, the end
// of the input, or a status and a one-line reason; never a panic.
func FuzzReadRequest(f *testing.F) {
	for _, s := range []string{
		"GET / HTTP/1.1\r\nHost: localhost:8080\r\n\r\n",
		"POST /exec HTTP/1.1\r\nHost: [::1]:8080\r\nOrigin: http://[::1]:8080\r\nContent-Length: 4\r\n\r\nshow",
		"GET /events?since=3 HTTP/1.1\r\nHost: h\r\nLast-Event-ID: 2\r\n\r\n",
		"POST /exec HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nshow\r\n0\r\n\r\n",
		"GET / HTTP/1.0\n\n",
		"GET / HTTP/1.1\r\nHost: h\r\n x\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := readRequest(bufio.NewReaderSize(strings.NewReader(string(raw)), 4<<10))
		var he *httpError
		switch {
		case err == nil:
			if !isToken(r.method) || !strings.HasPrefix(r.path, "/") || r.length < 0 || !validHost(r.host) ||
				(r.proto != "HTTP/1.1" && r.proto != "HTTP/1.0") || (r.proto == "HTTP/1.1" && r.host == "") {
				t.Fatalf("took a request that does not hold together: %+v", r)
			}
			if _, ok := r.header["transfer-encoding"]; ok {
				t.Fatal("took a Transfer-Encoding")
			}
			if n, _ := io.Copy(io.Discard, r.body); n > r.length {
				t.Fatalf("a body of %d bytes for a Content-Length of %d", n, r.length)
			}
		case errors.As(err, &he):
			if statusText[he.code] == "" || he.code < 400 || he.why == "" || strings.ContainsAny(he.why, "\r\n") {
				t.Fatalf("refused with %d %q", he.code, he.why)
			}
		case err != io.EOF:
			t.Fatalf("error %v from an in-memory reader", err)
		}
	})
}

// wire serves a lab and returns its address for raw connections.
func wire(t *testing.T) (*Server, string) {
	t.Helper()
	_, srv, _ := newLab(t, Options{})
	return srv, strings.TrimPrefix(serveTest(t, srv), "http://")
}

// exchange sends raw on a new connection to addr, then ends its side
// unless hold, and returns all that comes back until the server closes the
// connection (within 20 seconds).
func exchange(t *testing.T, name, addr, raw string, hold bool) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	go func() { // a large input may not all be read
		io.WriteString(c, raw)
		if !hold {
			c.(*net.TCPConn).CloseWrite()
		}
	}()
	b, err := io.ReadAll(c)
	if err != nil && !errors.Is(err, net.ErrClosed) && !strings.Contains(err.Error(), "reset") {
		t.Fatalf("%s: reading the answer: %v (got %.200q)", name, err, b)
	}
	return string(b)
}

// TestWire: what goes over the connection: one answer with its length and
// Connection: close, whatever follows the request; a status and reason for
// a bad one.
func TestWire(t *testing.T) {
	_, addr := wire(t)
	state := show(t, "show --json")
	getState := "GET /state.json HTTP/1.1\r\nHost: " + addr + "\r\n\r\n"
	for _, tc := range []struct {
		name, raw string
		status    string
		says      []string
	}{
		{"a GET", getState, "HTTP/1.1 200 OK\r\n", []string{"Connection: close\r\n", fmt.Sprintf("Content-Length: %d\r\n", len(state)), "X-Content-Type-Options: nosniff\r\n", "\r\n\r\n" + state}},
		{"pipelined junk", getState + "GET /stacks.svg HTTP/1.1\r\n\x00\x01junk", "HTTP/1.1 200 OK\r\n", []string{"\r\n\r\n" + state}},
		{"200 KiB of junk after it", getState + strings.Repeat("junk", 50<<10), "HTTP/1.1 200 OK\r\n", []string{"\r\n\r\n" + state}},
		{"HEAD", "HEAD /state.json HTTP/1.1\r\nHost: " + addr + "\r\n\r\n", "HTTP/1.1 200 OK\r\n", []string{fmt.Sprintf("Content-Length: %d\r\n", len(state))}},
		{"junk", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n", []string{"request line", "X-Content-Type-Options: nosniff"}},
		{"no Host", "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n", []string{"needs a Host"}},
		{"a body on GET", "GET / HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: 2\r\n\r\nab", "HTTP/1.1 400 Bad Request\r\n", []string{"takes no body"}},
		{"body over MaxBody", "POST /exec HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: 65537\r\n\r\n" + strings.Repeat("x", 65537), "HTTP/1.1 413 Content Too Large\r\n", []string{"at most 65536"}},
		{"body over MaxBody, not sent", "POST /exec HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: 1000000\r\n\r\n", "HTTP/1.1 413 Content Too Large\r\n", []string{"1000000 bytes"}},
		{"body cut short", "POST /exec HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: 10\r\n\r\nshow", "HTTP/1.1 400 Bad Request\r\n", []string{"after 4 of its 10 bytes"}},
		{"expect 100-continue", "POST /exec HTTP/1.1\r\nHost: " + addr + "\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nshow", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n", []string{"C:"}},
		{"other expectation", "POST /exec HTTP/1.1\r\nHost: " + addr + "\r\nExpect: magic\r\nContent-Length: 4\r\n\r\nshow", "HTTP/1.1 417 Expectation Failed\r\n", []string{"magic"}},
		{"wrong method", "PUT /exec HTTP/1.1\r\nHost: " + addr + "\r\n\r\n", "HTTP/1.1 405 Method Not Allowed\r\n", []string{"Allow: POST\r\n", "takes POST, not PUT"}},
		{"no such page", "GET /etc/passwd HTTP/1.1\r\nHost: " + addr + "\r\n\r\n", "HTTP/1.1 404 Not Found\r\n", []string{"no /etc/passwd"}},
		{"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported\r\n", []string{"HTTP/1.1"}},
		{"a rebound name", "GET /state.json HTTP/1.1\r\nHost: evil.example\r\n\r\n", "HTTP/1.1 403 Forbidden\r\n", []string{"not \"evil.example\""}},
	} {
		got := exchange(t, tc.name, addr, tc.raw, false)
		if !strings.HasPrefix(got, tc.status) || strings.Count(got, "\nHTTP/1.1 ") != strings.Count(tc.status, "\nHTTP/1.1 ") {
			t.Errorf("%s: answered %.300q, want one %q", tc.name, got, tc.status)
			continue
		}
		for _, want := range tc.says {
			if !strings.Contains(got, want) {
				t.Errorf("%s: the answer %.300q has no %q", tc.name, got, want)
			}
		}
	}
}

// TestSlowClients: a header that does not arrive, or a body, is given up
// after its timeout.
func TestSlowClients(t *testing.T) {
	defer func(h, r time.Duration) { readHeaderTimeout, readTimeout = h, r }(readHeaderTimeout, readTimeout)
	readHeaderTimeout, readTimeout = 100*time.Millisecond, 300*time.Millisecond
	_, addr := wire(t)

	// Half a header: the connection ends without an answer (the
	// client is not reading one).
	t0 := time.Now()
	if got := exchange(t, "half a header", addr, "GET / HTTP/1.1\r\nHost: ", true); got != "" {
		t.Errorf("half a header answered %q", got)
	}
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("half a header held the connection %v", d)
	}
	// Half a body: the request is answered 400 after the read timeout.
	got := exchange(t, "half a body", addr, "POST /exec HTTP/1.1\r\nHost: "+addr+"\r\nContent-Length: 10\r\n\r\nsho", true)
	if !strings.HasPrefix(got, "HTTP/1.1 400 ") || !strings.Contains(got, "timeout") {
		t.Errorf("half a body: %.200q, want 400 and a timeout", got)
	}
}

// TestCloseEndsRequests: Close ends the connections it finds, a slow
// header and a line waiting for the terminal, within about a second.
func TestCloseEndsRequests(t *testing.T) {
	srv, addr := wire(t)
	srv.Lock().Lock() // the terminal runs a line
	defer srv.Lock().Unlock()
	var ends []chan string
	for _, raw := range []string{
		"GET / HTTP/1.1\r\nHost: ",
		"POST /exec HTTP/1.1\r\nHost: " + addr + "\r\nContent-Length: 4\r\n\r\nshow",
	} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, raw)
		end := make(chan string, 1)
		go func() {
			b, _ := io.ReadAll(c)
			end <- string(b)
		}()
		ends = append(ends, end)
	}
	deadline := time.Now().Add(20 * time.Second)
	for srv.openConns() != 2 {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections open, want 2", srv.openConns())
		}
		time.Sleep(time.Millisecond)
	}
	t0 := time.Now()
	srv.Close()
	if d := time.Since(t0); d > 3*time.Second {
		t.Errorf("Close took %v", d)
	}
	for i, end := range ends {
		select {
		case got := <-end:
			if i == 1 && got != "" && !strings.HasPrefix(got, "HTTP/1.1 503 ") {
				t.Errorf("the waiting line, at Close: %.200q, want 503 or nothing", got)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("connection %d outlived Close", i)
		}
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("the server still accepts after Close")
	}
}

// openConns is how many connections the server has open.
func (s *Server) openConns() int {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	return len(s.conns)
}
