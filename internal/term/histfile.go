//go:build !js

package term

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/fssim/fssim/internal/repl"
)

// HistoryLimit is how many typed lines the prompt's history file keeps:
// the prompt recalls the last HistoryLimit lines, and the file is cut back
// to them (by writing a new file and renaming it over the old one, under
// the lock) once it holds twice as many. The README documents it.
const HistoryLimit = 1000

// maxHistFileBytes bounds the history file between trims: a file larger than
// this is cut back to its last HistoryLimit lines at the next line typed,
// however few lines it has.
const maxHistFileBytes = 8 << 20

// historyFile is the prompt's history of typed lines on disk, shared by
// every fssim prompt the user has open. Each line is appended whole, in one
// write, under an exclusive lock on the file (lockFile), and the file is
// opened again for each line, so that a prompt never writes into a file
// that another prompt has just replaced. readline never sees the path: it
// keeps the lines in memory, fed by the loop.
type historyFile struct {
	path  string
	limit int
	// writable is false when the file can be read but not written (the
	// session's lines are then not saved) or after a write failed.
	writable bool
	warn     func(msg string)
}

// openAppendHook opens the history for appending; a test replaces it to
// make a read-only file that root cannot write either.
var openAppendHook = openAppend

// openHistoryFile opens the history at path and returns it with the lines
// it holds, oldest first (at most limit). Whatever goes wrong is said once
// through warn and never ends the session: a path that is not a regular
// file (a folder, a FIFO, a device) is left alone and the session keeps
// its history in memory (nil is returned); a file that cannot be written is
// still read.
func openHistoryFile(path string, limit int, warn func(string)) (*historyFile, []string) {
	h := &historyFile{path: path, limit: limit, writable: true, warn: warn}
	off := func(why string) (*historyFile, []string) {
		warn("history is off for this session: " + why)
		return nil, nil
	}
	// Look before opening: opening a FIFO for reading waits for a writer.
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, err := os.Lstat(path); err == nil {
			return off(fmt.Sprintf("%s is a link to nothing", repl.ShowPath(path)))
		}
		f, err := openAppendHook(path)
		if err != nil {
			return off(fmt.Sprintf("cannot create %s: %s", repl.ShowPath(path), historyWhy(err)))
		}
		f.Close()
		return h, nil
	case err != nil:
		return off(fmt.Sprintf("cannot read %s: %s", repl.ShowPath(path), historyWhy(err)))
	case !st.Mode().IsRegular():
		return off(fmt.Sprintf("%s is %s, not a regular file", repl.ShowPath(path), repl.FileKind(st.Mode())))
	}
	// Through a symbolic link, trimming replaces the file the link names
	// and keeps the link.
	if real, err := filepath.EvalSymlinks(path); err == nil {
		h.path = real
	}
	f, err := openNonBlocking(h.path, os.O_RDONLY)
	if err != nil {
		return off(fmt.Sprintf("cannot read %s: %s", repl.ShowPath(path), historyWhy(err)))
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return off(fmt.Sprintf("%s is not a regular file", repl.ShowPath(path)))
	}
	lines, _, err := readHistory(f, limit)
	if err != nil {
		return off(fmt.Sprintf("cannot read %s: %s", repl.ShowPath(path), historyWhy(err)))
	}
	if w, err := openAppendHook(h.path); err != nil {
		h.writable = false
		warn(fmt.Sprintf("history is read-only for this session: cannot write %s: %s; the lines typed now are not saved",
			repl.ShowPath(path), historyWhy(err)))
	} else {
		w.Close()
	}
	return h, lines
}

// add appends line to the file. It never fails the session: the first
// error is said through warn, and the file is not written again.
func (h *historyFile) add(line string) {
	if h == nil || !h.writable || len(line) > repl.MaxLine || strings.ContainsAny(line, "\r\n") {
		return
	}
	if err := h.append(line); err != nil {
		h.writable = false
		h.warn(fmt.Sprintf("history: cannot write %s: %s; the lines typed now are not saved", repl.ShowPath(h.path), historyWhy(err)))
	}
}

func (h *historyFile) append(line string) error {
	// Another prompt may replace the file (trim) between open and lock:
	// then the file locked is no longer the one at the path, and the line
	// must go to the new one.
	for range 100 {
		f, err := openAppendHook(h.path)
		if err != nil {
			return err
		}
		done, err := h.appendLocked(f, line)
		f.Close()
		if done || err != nil {
			return err
		}
	}
	return errors.New("the file keeps being replaced")
}

// appendLocked locks f, and if f is still the file at the path, appends
// line to it (and trims it) and reports true.
func (h *historyFile) appendLocked(f *os.File, line string) (bool, error) {
	st, err := f.Stat()
	if err != nil {
		return false, err
	}
	if !st.Mode().IsRegular() {
		return false, errors.New("it is not a regular file")
	}
	unlock, err := lockFile(f)
	if err != nil {
		return false, err
	}
	defer unlock()
	now, err := os.Stat(h.path)
	if err != nil || !os.SameFile(st, now) {
		return false, nil // replaced, or removed: open it again
	}
	st = now
	buf := make([]byte, 0, len(line)+2)
	// A file that does not end in a newline (cut short, or written by
	// hand) would glue this line onto its last one.
	if st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err != nil {
			return false, err
		}
		if last[0] != '\n' {
			buf = append(buf, '\n')
		}
	}
	buf = append(buf, line...)
	buf = append(buf, '\n')
	// One write of the whole line: with O_APPEND it lands at the end in
	// one piece even beside a writer that does not lock.
	if _, err := f.Write(buf); err != nil {
		return false, err
	}
	return true, h.trimLocked(f)
}

// trimLocked cuts the file back to its last limit lines once it holds more
// than twice as many, or is larger than maxHistFileBytes. It writes the kept
// lines to a new file beside it and renames that over the old one, so a
// crash leaves one or the other whole; the caller holds the lock, and the
// other prompts, which lock the file at the path before each write, wait
// and then find the new file.
func (h *historyFile) trimLocked(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	lines, total, err := readHistory(f, h.limit)
	if err != nil {
		return err
	}
	if total <= 2*h.limit && st.Size() <= maxHistFileBytes {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(h.path), "."+filepath.Base(h.path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing there
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	_, err = tmp.Write(b.Bytes())
	if err == nil {
		err = tmp.Chmod(st.Mode().Perm())
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), h.path)
}

// readHistory reads history lines from r: it returns the last limit of them
// that are not blank, and how many lines r holds in all. A line longer than
// repl.MaxLine is skipped as it is read, never held in memory: the prompt
// could not run it, and recalling it would cost the memory it takes many
// times over.
func readHistory(r io.Reader, limit int) (lines []string, total int, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	ring := make([]string, 0, min(limit, 1024))
	next := 0 // where the ring's oldest line is, once it is full
	var buf []byte
	tooLong := false
	for {
		chunk, isPrefix, err := br.ReadLine()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, err
		}
		if !tooLong {
			if len(buf)+len(chunk) > repl.MaxLine {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if isPrefix {
			continue
		}
		total++
		line := strings.TrimSpace(string(buf))
		if !tooLong && line != "" && limit > 0 {
			if len(ring) < limit {
				ring = append(ring, line)
			} else {
				ring[next] = line
				next = (next + 1) % limit
			}
		}
		buf, tooLong = buf[:0], false
	}
	return append(ring[next:], ring[:next]...), total, nil
}

// openAppend opens path to append lines, making it if it is missing. It
// is opened for reading too, to look at its last byte. O_NONBLOCK: if a
// FIFO has taken the file's place, the open does not wait for a reader.
func openAppend(path string) (*os.File, error) {
	return openNonBlocking(path, os.O_RDWR|os.O_APPEND|os.O_CREATE)
}

// historyWhy is err as a history warning says it.
func historyWhy(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return repl.OneLine(err.Error())
}
