//go:build !js

package term

import (
	"bytes"
	"io"
	"os"
	"unicode/utf8"
)

// Keys at a pause.
//
// A pause of lesson --step or load --step (repl's pacing) acts on a key
// the moment it is pressed: Enter, Space or n goes on, q quits. readline
// (chzyer/readline v1.5.1) cannot hand over one key. Its reader
// goroutine, once woken by Readline, reads on until Enter, Ctrl-C or
// Ctrl-D; a key filter that swallows the key wakes the reader once more
// than it sleeps, so after the next Enter it reads ahead and rl.Close
// waits for a key that never comes (paste.go's ctrlZ; the first attempt at
// this hung at exit that way). So a pause does not go through readline at
// all. A pause runs inside a verb, between two Readline calls: readline's
// reader is asleep then, waiting for the next Readline, and the terminal
// is back in the mode readline found it in. The pause puts the terminal in
// raw mode itself, reads stdin directly, and puts the terminal back before
// it returns; it leaves no goroutine reading, so readline's next line,
// history, Tab, exit and Ctrl-D are as they were. fssim lesson --step and
// fssim run --step, which have no readline, pause the same way.

// Keys reads the answer to a pause from a terminal a key at a time
// (repl.Session.Key).
type Keys struct {
	in      *os.File
	fd      int
	out     io.Writer
	bracket bool
}

// NewKeys returns the Keys of the terminal in, which prompts and hints go
// to out, or nil if in is not a terminal whose keys fssim can read one at
// a time (a pause then reads a line). With bracketPaste the terminal is
// asked to bracket pastes during a pause, so that a paste is known for one
// however the terminal cuts it up (paste.go).
func NewKeys(in *os.File, out io.Writer, bracketPaste bool) *Keys {
	if in == nil {
		return nil
	}
	fd := int(in.Fd())
	if !isTerminal(fd) {
		return nil
	}
	return &Keys{in: in, fd: fd, out: out, bracket: bracketPaste}
}

// Pause shows prompt and waits for a key that acts accepts, and returns it
// as the terminal sent it (Enter is CR). At the first key acts refuses it
// shows hint on a line of its own and the prompt again; at each one after
// it rings the bell. Keys typed before the prompt showed are thrown away:
// they were typed while the step still printed, and are no answer to a
// question not yet asked. Several keys that come at once, a paste, are
// one key acts refuses, unless Ctrl-C is among them: that is Ctrl-C. A
// read error, the end of input, is returned.
func (k *Keys) Pause(prompt, hint string, acts func(key string) bool) (string, error) {
	restore, err := rawMode(k.fd)
	if err != nil {
		return "", err
	}
	defer restore()
	if k.bracket {
		io.WriteString(k.out, pasteOn)
		defer io.WriteString(k.out, pasteOff)
	}
	io.WriteString(k.out, prompt)
	var kr keyReader
	buf := make([]byte, 4096)
	hinted := false
	for {
		n, err := k.in.Read(buf)
		if n == 0 && err != nil {
			io.WriteString(k.out, "\n")
			return "", err
		}
		key := kr.feed(buf[:n])
		switch {
		case key != "" && acts(key):
			io.WriteString(k.out, "\n") // the key is not echoed: the output goes on below the prompt
			return key, nil
		case !hinted:
			io.WriteString(k.out, "\n"+hint+"\n"+prompt)
			hinted = true
		default:
			io.WriteString(k.out, "\a")
		}
	}
}

// keyReader turns what one read of the terminal brings into the key it
// is, or into "": several keys at once, or a paste. A bracketed paste may
// take several reads; all of them are "".
type keyReader struct {
	inPaste bool
	tail    []byte // the start of a paste's end marker, cut off by a read
}

func (r *keyReader) feed(b []byte) string {
	b = append(r.tail, b...)
	r.tail = nil
	var keys []byte
	pasted := false
	for len(b) > 0 {
		if r.inPaste {
			pasted = true
			i := bytes.Index(b, []byte(pasteEnd))
			if i < 0 {
				keep := partialSuffix(b, pasteEnd)
				r.tail = append([]byte(nil), b[len(b)-keep:]...)
				break
			}
			b = b[i+len(pasteEnd):]
			r.inPaste = false
			continue
		}
		i := bytes.Index(b, []byte(pasteStart))
		if i < 0 {
			keys = append(keys, b...)
			break
		}
		keys = append(keys, b[:i]...)
		b = b[i+len(pasteStart):]
		r.inPaste = true
	}
	switch {
	case bytes.IndexByte(keys, 0x03) >= 0:
		return "\x03" // Ctrl-C pressed twice, or with other keys, still stops
	case pasted || len(keys) == 0:
		return ""
	case string(keys) == "\r\n":
		return "\r" // Enter, from a terminal that sends CR LF
	case keys[0] == 0x1b && escapeLen(keys) == len(keys):
		return string(keys) // an arrow, a function key, Esc
	}
	if r, size := utf8.DecodeRune(keys); size == len(keys) && r != utf8.RuneError {
		return string(keys)
	}
	return ""
}
