package serve

// A small HTTP/1.1 server on package net, for exactly what the page needs.
//
// fssim does not link net/http: it would bring crypto/tls, x509, HTTP/2 and
// their package initialisers into every run of fssim (fssim version
// included), for a page only fssim serve shows. What the page needs is
// small: five endpoints, one request per connection (the answer says
// Connection: close; fetch and EventSource open a new one), bodies with a
// Content-Length only, and a stream that ends when the page or the server
// goes. The parser is strict and answers any request it does not take with
// a status and a one-line reason.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"
)

// maxHeader bounds the request line and header fields together.
const maxHeader = 64 << 10

// linger bounds how long a connection is read and discarded after its
// answer (see finish).
const (
	linger      = 500 * time.Millisecond
	lingerBytes = 256 << 10
)

// A request is what the parser took from a connection.
type request struct {
	method string
	path   string // the target before '?'
	query  string // after it
	proto  string // HTTP/1.0 or HTTP/1.1
	host   string
	header map[string]string // by lower-case name; repeated fields joined by ", "
	length int64             // Content-Length, 0 if none
	body   io.Reader         // the body: length bytes
}

// get is the value of the header field name (lower case), or "".
func (r *request) get(name string) string { return r.header[name] }

// queryValue is the value of the first key=value of the query, or "". Only
// numbers are read from the query, so nothing is unescaped.
func (r *request) queryValue(key string) string {
	for _, kv := range strings.Split(r.query, "&") {
		if k, v, _ := strings.Cut(kv, "="); k == key {
			return v
		}
	}
	return ""
}

// httpError is a request the parser refused: its status and why.
type httpError struct {
	code int
	why  string
}

func (e *httpError) Error() string { return e.why }

func badRequest(format string, args ...any) *httpError {
	return &httpError{400, fmt.Sprintf(format, args...)}
}

// errTooLarge is a header over maxHeader.
var errTooLarge = &httpError{431, fmt.Sprintf("the request's header is over %d bytes", maxHeader)}

// readRequest reads a request's line and header fields from br; its body is
// left in br. An error is an *httpError when the request is at fault, or the
// connection's error (a timeout, or the client gone).
func readRequest(br *bufio.Reader) (*request, error) {
	left := maxHeader
	line, err := readLine(br, &left)
	if err != nil {
		return nil, err
	}
	r := &request{header: map[string]string{}}
	method, rest, ok1 := strings.Cut(line, " ")
	target, proto, ok2 := strings.Cut(rest, " ")
	if !ok1 || !ok2 || !isToken(method) {
		return nil, badRequest("the request line %.60q is not METHOD /path HTTP/1.1", line)
	}
	r.method, r.proto = method, proto
	switch proto {
	case "HTTP/1.1", "HTTP/1.0":
	default:
		if strings.HasPrefix(proto, "HTTP/") {
			return nil, &httpError{505, fmt.Sprintf("fssim serve speaks HTTP/1.1, not %.20s", proto)}
		}
		return nil, badRequest("the request line %.60q is not METHOD /path HTTP/1.1", line)
	}
	if !strings.HasPrefix(target, "/") {
		return nil, badRequest("the request's target %.60q is not a path starting with /", target)
	}
	for i := 0; i < len(target); i++ {
		if c := target[i]; c <= ' ' || c >= 0x7f || c == '#' {
			return nil, badRequest("the request's target %.60q has a byte a URL may not hold", target)
		}
	}
	r.path, r.query, _ = strings.Cut(target, "?")

	hosts, lengths := 0, 0
	for {
		line, err := readLine(br, &left)
		if err != nil {
			return nil, err
		}
		if line == "" {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			return nil, badRequest("a header field is continued on the next line (obsolete line folding)")
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || !isToken(name) {
			return nil, badRequest("the header line %.60q is not Name: value", line)
		}
		value = strings.Trim(value, " \t")
		for i := 0; i < len(value); i++ {
			if c := value[i]; (c < ' ' && c != '\t') || c == 0x7f {
				return nil, badRequest("the header field %.40s holds a control character", name)
			}
		}
		name = strings.ToLower(name)
		switch name {
		case "host":
			hosts++
		case "content-length":
			lengths++
			if lengths > 1 && value == r.header[name] {
				continue // the same length twice: allowed
			}
		}
		if old, ok := r.header[name]; ok {
			value = old + ", " + value
		}
		r.header[name] = value
	}

	switch {
	case hosts > 1:
		return nil, badRequest("the request has %d Host fields, want one", hosts)
	case r.header["host"] == "" && r.proto == "HTTP/1.1":
		return nil, badRequest("an HTTP/1.1 request needs a Host field naming the server")
	}
	r.host = r.header["host"]
	if !validHost(r.host) {
		return nil, badRequest("the Host field %.60q is not HOST or HOST:PORT", r.host)
	}
	if _, ok := r.header["transfer-encoding"]; ok {
		// Chunked bodies are not read here: one length, known in
		// advance, is all a line of verbs needs.
		return nil, &httpError{411, "fssim serve takes a body with a Content-Length, not a Transfer-Encoding"}
	}
	if cl, ok := r.header["content-length"]; ok {
		n, err := strconv.ParseInt(cl, 10, 64)
		if err != nil || strings.Trim(cl, "0123456789") != "" {
			return nil, badRequest("the Content-Length %.30q is not a number of bytes", cl)
		}
		r.length = n
	}
	r.body = io.LimitReader(br, r.length)
	return r, nil
}

// readLine reads a line ended by CRLF (or LF) and takes its length from
// *left, failing with errTooLarge when that runs out.
func readLine(br *bufio.Reader, left *int) (string, error) {
	var long []byte // a line longer than br's buffer
	for {
		frag, err := br.ReadSlice('\n')
		*left -= len(frag)
		if *left < 0 {
			return "", errTooLarge
		}
		switch err {
		case nil:
		case bufio.ErrBufferFull:
			long = append(long, frag...)
			continue
		case io.EOF:
			if len(long)+len(frag) > 0 {
				return "", badRequest("the request ends in the middle of a line")
			}
			return "", err
		default:
			return "", err
		}
		line := append(long, frag...)
		line = line[:len(line)-1]
		line = bytes.TrimSuffix(line, []byte("\r"))
		if bytes.IndexByte(line, '\r') >= 0 {
			return "", badRequest("a line of the request holds a CR that does not end it")
		}
		return string(line), nil
	}
}

// isToken reports whether s is an HTTP token (a method or a field name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// validHost reports whether h may be a Host field: a name or address and
// a port, in the bytes a URL's authority may hold, without user info.
func validHost(h string) bool {
	for i := 0; i < len(h); i++ {
		c := h[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=:[]%", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// statusText names the statuses fssim serve answers.
var statusText = map[int]string{
	100: "Continue",
	200: "OK",
	304: "Not Modified",
	400: "Bad Request",
	403: "Forbidden",
	404: "Not Found",
	405: "Method Not Allowed",
	411: "Length Required",
	413: "Content Too Large",
	417: "Expectation Failed",
	422: "Unprocessable Content",
	431: "Request Header Fields Too Large",
	500: "Internal Server Error",
	503: "Service Unavailable",
	505: "HTTP Version Not Supported",
}

// A response is built in memory and sent whole, with its length, when the
// handler returns; a stream (/events) sends its header at once and then
// what is written to it as it comes.
type response struct {
	conn   net.Conn
	w      *bufio.Writer
	head   bool // answering HEAD: the header only
	code   int
	header map[string]string
	body   bytes.Buffer
	sent   bool // the header is sent (a stream)
}

func (w *response) set(name, value string) { w.header[name] = value }

// error answers code with a one-line reason.
func (w *response) error(code int, why string) {
	w.code = code
	w.set("Content-Type", "text/plain; charset=utf-8")
	w.body.Reset()
	w.body.WriteString(why + "\n")
}

func (w *response) Write(p []byte) (int, error) {
	if w.sent {
		return w.w.Write(p)
	}
	return w.body.Write(p)
}

// writeHeader sends the status line and header fields, in a stable order,
// and length as Content-Length unless it is negative.
func (w *response) writeHeader(length int) {
	code := w.code
	if code == 0 {
		code = 200
	}
	fmt.Fprintf(w.w, "HTTP/1.1 %d %s\r\n", code, statusText[code])
	names := make([]string, 0, len(w.header))
	for k := range w.header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(w.w, "%s: %s\r\n", k, w.header[k])
	}
	if length >= 0 {
		fmt.Fprintf(w.w, "Content-Length: %d\r\n", length)
	}
	w.w.WriteString("Connection: close\r\n\r\n")
	w.sent = true
}

// stream sends the header of a body that lasts until the connection ends.
func (w *response) stream() error {
	w.writeHeader(-1)
	return w.w.Flush()
}

// flush sends what a stream was given.
func (w *response) flush() error { return w.w.Flush() }

// send sends a whole response.
func (w *response) send() error {
	if w.code == 304 {
		w.writeHeader(-1)
	} else {
		w.writeHeader(w.body.Len())
		if !w.head {
			w.w.Write(w.body.Bytes())
		}
	}
	return w.w.Flush()
}

// serve answers the connections l accepts until l is closed.
func (s *Server) serve(l net.Listener) {
	backoff := 5 * time.Millisecond
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors or the like: wait and retry,
			// as net/http does.
			select {
			case <-time.After(backoff):
			case <-s.done:
				return
			}
			backoff = min(2*backoff, time.Second)
			continue
		}
		backoff = 5 * time.Millisecond
		if !s.track(c, true) {
			c.Close()
			return
		}
		go s.serveConn(c)
	}
}

// track adds c to the open connections (or removes it), so that Close
// can end them; false: the server is closed.
func (s *Server) track(c net.Conn, add bool) bool {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	if !add {
		delete(s.conns, c)
		s.active.Done()
		return true
	}
	if s.listener == nil { // closed
		return false
	}
	s.conns[c] = struct{}{}
	s.active.Add(1)
	return true
}

// serveConn reads one request from c and answers it. A panic ends the
// connection and nothing else, and prints nothing: the terminal is the
// user's.
func (s *Server) serveConn(c net.Conn) {
	defer s.track(c, false)
	defer c.Close()
	w := &response{conn: c, w: bufio.NewWriterSize(c, 8<<10), header: map[string]string{}}
	defer func() {
		if recover() != nil && !w.sent {
			w.header = map[string]string{"X-Content-Type-Options": "nosniff"}
			w.error(500, "fssim serve failed on this request")
			w.head = false
			w.send()
		}
	}()
	start := time.Now()
	c.SetReadDeadline(start.Add(readHeaderTimeout))
	br := bufio.NewReaderSize(c, 4<<10)
	r, err := readRequest(br)
	w.set("X-Content-Type-Options", "nosniff")
	var he *httpError
	switch {
	case errors.As(err, &he):
		c.SetWriteDeadline(time.Now().Add(writeTimeout))
		w.error(he.code, he.why)
		s.finish(c, w)
		return
	case err != nil:
		return // timed out, or gone: nobody to answer
	}
	c.SetReadDeadline(start.Add(readTimeout))
	c.SetWriteDeadline(time.Now().Add(writeTimeout))
	w.head = r.method == "HEAD"
	s.route(w, r, br)
	if w.sent {
		w.flush()
		return // a stream: it ended
	}
	s.finish(c, w)
}

// finish sends w and closes c gently: closing a socket with unread input
// resets it, and a reset can destroy the answer before the client reads it
// (a body refused as too large, or bytes after the request). So the write
// side is shut first, and the rest of the input read and dropped for a
// moment, as net/http does.
func (s *Server) finish(c net.Conn, w *response) {
	if w.send() != nil {
		return
	}
	if tc, ok := c.(interface{ CloseWrite() error }); ok && tc.CloseWrite() == nil {
		c.SetReadDeadline(time.Now().Add(linger))
		io.CopyN(io.Discard, c, lingerBytes)
	}
}

// route checks the Host and hands r to its endpoint.
func (s *Server) route(w *response, r *request, br *bufio.Reader) {
	if s.loopback && !loopbackHost(r.host) {
		// A name that resolves to loopback but is not one of its names
		// is how a web site reaches a local server (DNS rebinding):
		// answer only to the names of loopback.
		w.error(403, fmt.Sprintf("fssim serve on loopback answers to localhost, 127.0.0.1 or [::1], not %q", r.host))
		return
	}
	type endpoint struct {
		allow  string
		handle func(*response, *request)
	}
	var e endpoint
	switch r.path {
	case "/":
		e = endpoint{"GET, HEAD", s.getPage}
	case "/state.json":
		e = endpoint{"GET, HEAD", s.getState}
	case "/stacks.svg":
		e = endpoint{"GET, HEAD", s.getSVG}
	case "/events":
		e = endpoint{"GET", func(w *response, r *request) { s.getEvents(w, r, br) }}
	case "/exec":
		e = endpoint{"POST", s.postExec}
	default:
		w.error(404, fmt.Sprintf("fssim serve has no %.60s: the page is at /", r.path))
		return
	}
	if !strings.Contains(", "+e.allow+",", ", "+r.method+",") {
		w.set("Allow", e.allow)
		w.error(405, fmt.Sprintf("%s takes %s, not %.20s", r.path, e.allow, r.method))
		return
	}
	if r.method != "POST" && r.length > 0 {
		w.error(400, fmt.Sprintf("%s %s takes no body", r.method, r.path))
		return
	}
	e.handle(w, r)
}
