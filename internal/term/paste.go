//go:build !js

package term

import (
	"bytes"
	"io"
	"sync"
	"unicode/utf8"

	"github.com/fssim/fssim/internal/repl"
)

// Pasting a long line at the prompt.
//
// readline (chzyer/readline v1.5.1) redraws the whole line, prompt and all
// its wrapped rows, after each rune it reads, so a pasted line of n bytes
// costs n redraws of up to n bytes: 55 MB written to the terminal for a
// 10 KB paste, 14 s in a pty test. readline has no way to insert many
// runes at once from its input, but it lets a Listener replace the line
// after a key. pasteReader, between the terminal and readline, therefore
// hands readline a pasted run of text as one key, pasteMark, and keeps the
// text; the Listener swaps the mark for the text, and readline redraws the
// line twice for the whole paste. A paste is a bracketed paste (the
// terminal wraps it in ESC[200~ … ESC[201~ once the prompt asks with
// ESC[?2004h), or, where the terminal does not bracket pastes, a run of at
// least pasteRun printable runes that arrives in one read: keys typed by a
// person arrive one read each. Within a bracketed paste, line ends are
// Enter, as they are in a paste that is not bracketed: each pasted line
// runs. Forking readline to batch its redraws would do the same with more
// code to keep.

// pasteMark stands for one pasted text in readline's input: a rune from
// the private use area. A pasteMark typed or pasted as text is passed on
// as a paste of itself, so that every mark readline sees has its text.
const pasteMark = '\uE000'

// pasteRun is the shortest run of printable runes in one read that is
// taken for a paste when the terminal does not bracket pastes.
const pasteRun = 16

const (
	pasteStart = "\x1b[200~"
	pasteEnd   = "\x1b[201~"
	// Bracketed paste on and off, written around each prompt.
	pasteOn  = "\x1b[?2004h"
	pasteOff = "\x1b[?2004l"
)

// pasteReader is readline's input: the terminal's bytes, with each paste
// replaced by one pasteMark whose text waits in texts.
type pasteReader struct {
	r io.Reader

	mu    sync.Mutex
	texts []string // the texts of the marks handed on and not yet taken, oldest first

	raw     []byte // bytes read and not yet looked at (a marker cut by a read)
	out     []byte // bytes ready for readline
	inPaste bool
	paste   []byte // the bracketed paste so far
	err     error
}

func newPasteReader(r io.Reader) *pasteReader { return &pasteReader{r: r} }

func (p *pasteReader) Read(b []byte) (int, error) {
	for len(p.out) == 0 {
		if p.err != nil {
			// What is left of a marker cut short goes on as it came.
			p.out, p.raw = append(p.out, p.raw...), nil
			if p.inPaste {
				p.addPaste(p.paste)
				p.inPaste, p.paste = false, nil
			}
			if len(p.out) == 0 {
				return 0, p.err
			}
			break
		}
		buf := make([]byte, 4096)
		n, err := p.r.Read(buf)
		p.err = err
		p.raw = append(p.raw, buf[:n]...)
		p.scan()
	}
	n := copy(b, p.out)
	p.out = p.out[n:]
	return n, nil
}

// Close closes the terminal's reader if it can be closed: readline's
// Close calls it to end its reading goroutine.
func (p *pasteReader) Close() error {
	if c, ok := p.r.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// scan moves what it can from raw to out, keeping in raw only the start of
// a paste marker cut off at the end of a read.
func (p *pasteReader) scan() {
	for len(p.raw) > 0 {
		if p.inPaste {
			i := bytes.Index(p.raw, []byte(pasteEnd))
			if i < 0 {
				keep := partialSuffix(p.raw, pasteEnd)
				p.appendPaste(p.raw[:len(p.raw)-keep])
				p.raw = p.raw[len(p.raw)-keep:]
				return
			}
			p.appendPaste(p.raw[:i])
			p.raw = p.raw[i+len(pasteEnd):]
			p.addPaste(p.paste)
			p.inPaste, p.paste = false, nil
			continue
		}
		i := bytes.Index(p.raw, []byte(pasteStart))
		end := len(p.raw)
		if i >= 0 {
			end = i
		} else {
			end -= partialSuffix(p.raw, pasteStart)
		}
		p.addKeys(p.raw[:end])
		if i < 0 {
			p.raw = p.raw[end:]
			return
		}
		p.raw = p.raw[i+len(pasteStart):]
		p.inPaste = true
	}
}

// appendPaste adds b to the bracketed paste, up to a little more than the
// longest line fssim runs; the rest is dropped (the line is refused).
func (p *pasteReader) appendPaste(b []byte) {
	if room := repl.MaxLine + 1 - len(p.paste); room > 0 {
		p.paste = append(p.paste, b[:min(len(b), room)]...)
	}
}

// addPaste hands on a bracketed paste: each line as one mark, the line
// ends as Enter.
func (p *pasteReader) addPaste(b []byte) {
	for len(b) > 0 {
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			p.mark(b)
			return
		}
		p.mark(b[:i])
		p.out = append(p.out, '\r')
		if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			i++
		}
		b = b[i+1:]
	}
}

// ctrlZ is dropped here, before readline sees it: there is no job control
// inside the prompt. readline's FuncFilterInputRune could drop it too, but
// readline then wakes its reader once more (Terminal.KickRead) while the
// reader is still reading the line; after the next Enter that stray wake
// makes it read the key after, so exit then waits in rl.Close for a key
// that never comes (TestPTYCtrlZThenExit). A filter must never drop a key.
const ctrlZ = 0x1a

// addKeys hands on bytes that are not a bracketed paste: a run of at least
// pasteRun printable runes as one mark, Ctrl-Z not at all, anything else as
// it is.
func (p *pasteReader) addKeys(b []byte) {
	for len(b) > 0 {
		n, runes := printableRun(b)
		switch {
		case runes >= pasteRun:
			p.mark(b[:n])
		case n > 0:
			p.out = append(p.out, b[:n]...)
		case b[0] == 0x1b:
			// An escape sequence (an arrow, Alt-key) goes on whole: the
			// text after it is not part of it.
			n = escapeLen(b)
			p.out = append(p.out, b[:n]...)
		default:
			n = 1
			if r, size := utf8.DecodeRune(b); r == pasteMark {
				p.mark(b[:size])
				n = size
			} else if b[0] != ctrlZ {
				p.out = append(p.out, b[0])
			}
		}
		b = b[n:]
	}
}

// mark hands on text as one pasteMark.
func (p *pasteReader) mark(text []byte) {
	if len(text) == 0 {
		return
	}
	p.mu.Lock()
	p.texts = append(p.texts, string(text))
	p.mu.Unlock()
	p.out = utf8.AppendRune(p.out, pasteMark)
}

// take returns the text of the oldest mark not yet taken.
func (p *pasteReader) take() (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.texts) == 0 {
		return "", false
	}
	t := p.texts[0]
	p.texts = p.texts[1:]
	return t, true
}

// insert is readline's Listener: after readline put a pasteMark in the
// line, at the cursor's left, it swaps it for its text.
func (p *pasteReader) insert(line []rune, pos int, key rune) ([]rune, int, bool) {
	if key != pasteMark {
		return nil, 0, false
	}
	text, ok := p.take()
	if !ok || pos < 1 || pos > len(line) || line[pos-1] != pasteMark {
		return nil, 0, false
	}
	ins := []rune(text)
	out := make([]rune, 0, len(line)-1+len(ins))
	out = append(out, line[:pos-1]...)
	out = append(out, ins...)
	out = append(out, line[pos:]...)
	return out, pos - 1 + len(ins), true
}

// printableRun measures the run of printable runes (no control
// characters, no pasteMark, whole UTF-8 runes) at the start of b: its
// length in bytes and in runes.
func printableRun(b []byte) (n, runes int) {
	for n < len(b) {
		r, size := utf8.DecodeRune(b[n:])
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == pasteMark ||
			(r == utf8.RuneError && size <= 1) {
			break
		}
		n += size
		runes++
	}
	return n, runes
}

// partialSuffix is how many bytes at the end of b are a proper start of
// marker.
func partialSuffix(b []byte, marker string) int {
	for k := min(len(b), len(marker)-1); k > 0; k-- {
		if bytes.HasSuffix(b, []byte(marker[:k])) {
			return k
		}
	}
	return 0
}

// escapeLen is the length of the escape sequence at the start of b (ESC [
// parameters and a final byte, ESC O and a key, or ESC and a key), or of b
// if it is cut short.
func escapeLen(b []byte) int {
	if len(b) < 2 {
		return len(b)
	}
	switch b[1] {
	case '[':
		for i := 2; i < len(b); i++ {
			if b[i] >= 0x40 && b[i] <= 0x7e {
				return i + 1
			}
		}
		return len(b)
	case 'O':
		return min(3, len(b))
	}
	return 2
}
