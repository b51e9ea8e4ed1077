package serve

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"
	"time"
)

// DefaultAddr is where the page is served unless --listen says otherwise;
// when its port is taken, the next free one of the following ports.
const DefaultAddr = "127.0.0.1:8080"

// tries is how many ports from DefaultAddr's Listen tries.
const tries = 100

// Listen opens addr, or with addr "" DefaultAddr or the next free port
// after it. warning is a line to show the user, or "": the address is not
// loopback, so other machines can reach the page and run verbs in it.
func Listen(addr string) (l net.Listener, warning string, err error) {
	if addr == "" {
		return listenFrom("127.0.0.1", 8080, tries)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, "", fmt.Errorf("--listen %q: want HOST:PORT, like 127.0.0.1:8080 or 0.0.0.0:8080", addr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return nil, "", fmt.Errorf("--listen %q: the port %q is not a number from 0 to 65535", addr, port)
	}
	l, err = net.Listen("tcp", addr)
	if err != nil {
		return nil, "", listenErr(addr, err)
	}
	if !loopbackHost(host) || host == "" {
		warning = fmt.Sprintf("warning: serving on %s, which is not loopback: anyone who can reach this machine can watch the lab and run verbs in it", l.Addr())
	}
	return l, warning, nil
}

// listenFrom listens on host at port, or the first free port of the n from
// there.
func listenFrom(host string, port, n int) (net.Listener, string, error) {
	var first error
	for p := port; p < port+n && p <= 65535; p++ {
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p)))
		if err == nil {
			return l, "", nil
		}
		if first == nil {
			first = err
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
	}
	return nil, "", fmt.Errorf("no free port on %s from %d to %d (%v): name one with --listen %s:PORT", host, port, port+n-1, first, host)
}

func listenErr(addr string, err error) error {
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return fmt.Errorf("--listen %s: the address is in use (leave out --listen to take the next free port from 8080)", addr)
	case errors.Is(err, syscall.EACCES):
		return fmt.Errorf("--listen %s: permission denied (ports below 1024 need root; try 8080)", addr)
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return fmt.Errorf("--listen %s: no interface of this machine has that address", addr)
	}
	return fmt.Errorf("--listen %s: %v", addr, err)
}

// Start serves the page on l in the background and returns its address,
// like http://127.0.0.1:8080/.
func (s *Server) Start(l net.Listener) string {
	s.loopback = isLoopbackAddr(l.Addr())
	s.url = "http://" + l.Addr().String() + "/"
	s.connMu.Lock()
	s.listener, s.conns = l, map[net.Conn]struct{}{}
	s.connMu.Unlock()
	go s.serve(l)
	return s.url
}

// URL is the page's address, once Start has run.
func (s *Server) URL() string { return s.url }

// stop ends the /events streams.
func (s *Server) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.done)
	}
}

// Close stops serving: the streams end, and requests running get a second
// to finish before their connections are closed.
func (s *Server) Close() error {
	s.stop()
	s.connMu.Lock()
	l := s.listener
	s.listener = nil
	s.connMu.Unlock()
	if l == nil {
		return nil
	}
	err := l.Close()
	finished := make(chan struct{})
	go func() {
		s.active.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(time.Second):
	}
	s.connMu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.conns = nil
	s.connMu.Unlock()
	return err
}

func isLoopbackAddr(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}
