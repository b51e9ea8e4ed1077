//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package term

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// ptyScreen is the far end of a pty: what the terminal showed, read as it
// comes, and a way to wait for it.
type ptyScreen struct {
	t        *testing.T
	master   *os.File
	deadline time.Time
	pauses   sync.WaitGroup // the pauses running

	mu   sync.Mutex
	text []byte
	more chan struct{}
	done chan struct{}
	mark int
}

// openPTY opens a pty and returns its far end and the terminal. The files
// are blocking (creack/pty and NewKeys ask for their descriptors), so a
// Close waits for a read under way: the cleanup answers a pause left
// waiting by a failed test with q, and then closes the terminal, which ends
// the far end's reads.
func openPTY(t *testing.T) (*ptyScreen, *os.File) {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("cannot open a pseudo-terminal here: %v", err)
	}
	s := &ptyScreen{t: t, master: master, deadline: time.Now().Add(8 * time.Second),
		more: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			s.mu.Lock()
			s.text = append(s.text, buf[:n]...)
			s.mu.Unlock()
			select {
			case s.more <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		io.WriteString(master, "q")
		waited := make(chan struct{})
		go func() { s.pauses.Wait(); close(waited) }()
		select {
		case <-waited:
		case <-time.After(5 * time.Second):
			t.Error("a pause did not end at q")
		}
		tty.Close()
		select {
		case <-s.done:
			master.Close()
		case <-time.After(5 * time.Second):
			t.Error("the pty's far end did not see the terminal close")
		}
	})
	return s, tty
}

// expect waits, until the deadline, for the terminal to show want past
// what the last expect found.
func (s *ptyScreen) expect(want string) {
	s.t.Helper()
	timer := time.NewTimer(time.Until(s.deadline))
	defer timer.Stop()
	for {
		s.mu.Lock()
		i := bytes.Index(s.text[s.mark:], []byte(want))
		if i >= 0 {
			s.mark += i + len(want)
		}
		shown := string(s.text)
		s.mu.Unlock()
		if i >= 0 {
			return
		}
		select {
		case <-s.more:
		case <-timer.C:
			s.t.Fatalf("timed out waiting for %q; the terminal showed %q", want, shown)
		}
	}
}

func (s *ptyScreen) shown() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.text)
}

func (s *ptyScreen) send(keys string) {
	s.t.Helper()
	if _, err := io.WriteString(s.master, keys); err != nil {
		s.t.Fatal(err)
	}
}

type pauseResult struct {
	key string
	err error
}

// pauseOn runs Keys.Pause, acting on Enter, Space, q and Ctrl-C.
func (scr *ptyScreen) pauseOn(k *Keys) <-chan pauseResult {
	res := make(chan pauseResult, 1)
	scr.pauses.Add(1)
	go func() {
		defer scr.pauses.Done()
		key, err := k.Pause("[pause] ", "the hint", func(k string) bool { return k == "\r" || k == " " || k == "q" || k == "\x03" })
		res <- pauseResult{key, err}
	}()
	return res
}

func (s *ptyScreen) result(res <-chan pauseResult) pauseResult {
	s.t.Helper()
	select {
	case r := <-res:
		return r
	case <-time.After(time.Until(s.deadline)):
		s.t.Fatalf("the pause did not return; the terminal showed %q", s.shown())
	}
	return pauseResult{}
}

// TestKeysPause: on a terminal, a pause throws away what was typed before
// its prompt, reads a key as it is pressed, without Enter and without
// echoing it, shows the hint once at the first key it does not act on
// and rings the bell at the next, ignores a paste however the reads cut
// it, and leaves the terminal as it found it.
func TestKeysPause(t *testing.T) {
	scr, tty := openPTY(t)
	before, err := unix.IoctlGetTermios(int(tty.Fd()), ioctlGetTermios)
	if err != nil {
		t.Fatal(err)
	}
	k := NewKeys(tty, tty, true)
	if k == nil {
		t.Fatal("NewKeys: nil for a pty")
	}

	scr.send("q")   // typed while the step printed: no answer to the pause to come
	scr.expect("q") // the terminal echoes it: it has it
	res := scr.pauseOn(k)
	scr.expect(pasteOn + "[pause] ")
	scr.send("x")
	scr.expect("\r\nthe hint\r\n[pause] ") // a newline is CR LF, the output's mode being as it was
	scr.send("\x1b[A")
	scr.expect("\a")
	scr.send(pasteStart + "q")
	scr.expect("\a")
	scr.send("\r" + pasteEnd)
	scr.expect("\a")
	scr.send(" ")
	r := scr.result(res)
	if r.key != " " || r.err != nil {
		t.Fatalf("Pause = %q, %v; want Space (the q typed before it, and the paste, are no answer)", r.key, r.err)
	}
	scr.expect("\r\n" + pasteOff)
	if strings.Count(scr.shown(), "the hint") != 1 {
		t.Errorf("the hint shown %d times, want once: %q", strings.Count(scr.shown(), "the hint"), scr.shown())
	}
	after, err := unix.IoctlGetTermios(int(tty.Fd()), ioctlGetTermios)
	if err != nil {
		t.Fatal(err)
	}
	if *after != *before {
		t.Errorf("the terminal's mode after the pause is %+v, want %+v as before", *after, *before)
	}

	// Ctrl-C is a key at a pause (no SIGINT), and quits it whatever comes
	// with it.
	res = scr.pauseOn(k)
	scr.expect("[pause] ")
	scr.send("\x03\x03")
	if r := scr.result(res); r.key != "\x03" {
		t.Errorf("Ctrl-C twice: Pause = %q, %v", r.key, r.err)
	}
}

// TestNewKeysNotATerminal: a file that is not a terminal has no Keys, so
// a pause there reads a line.
func TestNewKeysNotATerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if k := NewKeys(r, w, false); k != nil {
		t.Error("NewKeys of a pipe: not nil")
	}
	if k := NewKeys(nil, w, false); k != nil {
		t.Error("NewKeys of nil: not nil")
	}
}
