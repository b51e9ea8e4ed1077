package repl

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unicode"
	"unicode/utf8"
)

// How fssim reads and writes the user's files. A user's file is never
// destroyed: a write goes through a temporary file and a rename, so the file
// holds its old content or the new, whole; a name that is not a regular file
// (a device, a named pipe, a socket, a folder) is neither written nor read;
// through a symbolic link the link's target is written and the link stays.

// ShowName is a file's name as fssim prints it in a position (FILE:LINE),
// explain's (FILE:3), and fssim test's lines and diff headers: as it is
// when every character is printable, else in double quotes with Go escapes,
// so that no escape sequence, bidi override or line break in a name
// reaches the terminal. (Messages of save and load use showPath, which
// quotes more.)
func ShowName(p string) string {
	if !utf8.ValidString(p) {
		return strconv.Quote(p)
	}
	for _, r := range p {
		if !unicode.IsPrint(r) || r == '"' {
			return strconv.Quote(p)
		}
	}
	return p
}

// MaxFileSize is the largest file fssim reads as a scenario (fssim run FILE,
// fssim test, load, source): far more than any lesson, small enough that a
// wrong file fails at once instead of filling the memory.
const MaxFileSize = 64 << 20

// maxLinks is how many symbolic links a write follows before it gives up.
const maxLinks = 40

// notRegular is the error for a name that is not a regular file.
type notRegular struct{ what string }

func (e notRegular) Error() string { return "it is " + e.what + ", not a regular file" }

// errTooBig is the error for a file past MaxFileSize.
var errTooBig = fmt.Errorf("it is larger than %d MiB, the most fssim reads as a scenario", MaxFileSize>>20)

// FileKind names what a file that is not a regular one is ("a named pipe
// (FIFO)", "a folder", ...), for messages: the front-ends' files (the
// prompt's history) say it in the same words.
func FileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

// OpenScenario opens a file to read as a scenario: a regular file (or a
// link to one) of at most MaxFileSize bytes. A named pipe, a device or a
// folder is refused at once, without waiting on it. The error is an
// *fs.PathError whose Err says what is wrong in words.
func OpenScenario(name string) (io.ReadCloser, error) {
	// Stat first, so that a device is never opened (opening some has
	// effects); then check the file opened, in case the name changed.
	if st, err := os.Stat(name); err == nil && !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: notRegular{FileKind(st.Mode())}}
	}
	f, err := openNoWait(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	switch {
	case err != nil:
		f.Close()
		return nil, err
	case !st.Mode().IsRegular():
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: notRegular{FileKind(st.Mode())}}
	case st.Size() > MaxFileSize:
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: errTooBig}
	}
	return &boundedFile{f: f, left: MaxFileSize}, nil
}

// boundedFile stops reading a file that grows past MaxFileSize while it is
// read.
type boundedFile struct {
	f    *os.File
	left int64
}

func (b *boundedFile) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, &fs.PathError{Op: "read", Path: b.f.Name(), Err: errTooBig}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.f.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *boundedFile) Close() error { return b.f.Close() }

// Temporary files of writes in progress, so that a signal can remove them
// (RemoveTempFiles). A temporary file's name ties it to its target:
// .fssim-HASH-RANDOM.tmp, HASH from the target's name, so a write that a
// kill -9 cut short leaves a file the next write to the same target removes.
var temps = struct {
	sync.Mutex
	live    map[string]Files
	stopped bool
}{live: map[string]Files{}}

// errStopping: a write started after RemoveTempFiles.
var errStopping = errors.New("fssim is stopping")

// RemoveTempFiles removes the temporary file of every write in progress and
// makes later writes fail: fssim's signal handler calls it before the
// process ends on SIGINT or SIGTERM, so a save cut short leaves nothing.
// It reports how many it removed.
func RemoveTempFiles() int {
	temps.Lock()
	defer temps.Unlock()
	temps.stopped = true
	n := 0
	for name, fsys := range temps.live {
		if fsys.Remove(name) == nil {
			n++
		}
		delete(temps.live, name)
	}
	return n
}

// tempPrefix is the start of the temporary files' names for target: short,
// so that a target name of up to 255 bytes still has a legal temporary name.
func tempPrefix(target string) string {
	h := fnv.New32a()
	io.WriteString(h, filepath.Base(target))
	return fmt.Sprintf(".fssim-%08x-", h.Sum32())
}

// writer says which verb writes a file, for writeAtomic's messages.
type writer struct {
	verb string // save, export, write the golden
	// again is the line that writes to path: with --force, or into a
	// folder that was named instead of a file.
	again func(path string, force bool) string
	// inFolder is the file name suggested when a folder was named.
	inFolder string
	// other, if set, is said when the name is not a regular file: where
	// else the output can go.
	other string
	// noLinks refuses a symbolic link instead of writing its target
	// (fssim test --update: a golden is a file of its own).
	noLinks bool
}

var saveWrite = writer{verb: "save", inFolder: "lab.fss", again: func(p string, force bool) string {
	if force {
		return "save --force " + p
	}
	return "save " + p
}}

// writeAtomic writes text to path through a temporary file in the target's
// folder, a sync and a rename, so that the target holds either its old
// content or the new, whole; the folder is synced after. It refuses to
// replace a file unless force. Only a regular file or a missing name is
// written: a device, a named pipe, a socket or a folder is refused. Through
// a symbolic link the link's target is written and the link stays; a link
// whose target is missing counts as an existing file, and its target is
// created. The file keeps its permissions (and, for root, its owner). A file
// with several hard links is refused, since a rename would part them.
// save, export and fssim test --update use it; w names the verb in its
// messages.
func writeAtomic(fsys Files, path, text string, force bool, w writer) error {
	p := showPath(path)
	if path == "" {
		return errorf(ErrFile, "cannot %s: the file name is empty", w.verb)
	}
	what := "cannot " + w.verb + " to " + p
	// What the name leads to, first: a link may end where Readlink gives
	// no path (/dev/stdout: /proc/self/fd/1 -> pipe:[N]), which would
	// pass for a dangling link below.
	if st, err := fsys.Stat(path); err == nil && !st.Mode().IsRegular() && !w.noLinks {
		if st.IsDir() {
			return errorf(ErrFile, "%s: it is a folder (name a file in it: %s)", what, w.again(showPath(filepath.Join(path, w.inFolder)), false))
		}
		return errorf(ErrFile, "%s", notRegularMsg(what, st, w))
	}
	target, exists, dangling := path, false, false
	var st fs.FileInfo
	for hops := 0; ; hops++ {
		if hops > maxLinks {
			return errorf(ErrFile, "%s: more than %d symbolic links in a row (a loop?)", what, maxLinks)
		}
		var err error
		st, err = fsys.Lstat(target)
		if errors.Is(err, fs.ErrNotExist) {
			exists, dangling, st = target != path, target != path, nil
			break
		}
		if err != nil {
			return fileErr(what, target, err)
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			exists = true
			break
		}
		if w.noLinks {
			return errorf(ErrFile, "%s: it is a symbolic link, not a regular file; it is left alone", what)
		}
		l, err := fsys.Readlink(target)
		if err != nil {
			return fileErr(what, target, err)
		}
		if !filepath.IsAbs(l) {
			l = filepath.Join(filepath.Dir(target), l)
		}
		target = l
	}
	switch {
	case w.noLinks && st != nil && !st.Mode().IsRegular():
		return errorf(ErrFile, "%s: %v; it is left alone", what, notRegular{FileKind(st.Mode())})
	case st != nil && st.IsDir():
		return errorf(ErrFile, "%s: it is a folder (name a file in it: %s)", what, w.again(showPath(filepath.Join(path, w.inFolder)), false))
	case st != nil && !st.Mode().IsRegular():
		return errorf(ErrFile, "%s", notRegularMsg(what, st, w))
	case st != nil && links(st) > 1:
		return errorf(ErrFile, "%s: it has %d hard links, and replacing it would part them; %s to another name", what, links(st), w.verb)
	case dangling && !force:
		return errorf(ErrFileExists, "%s is a symbolic link to %s, which does not exist: %s creates it", p, showPath(target), w.again(p, true))
	case exists && !force:
		return errorf(ErrFileExists, "%s exists: %s replaces it", p, w.again(p, true))
	}
	dir := rawDir(target) // as written: the system resolves a/b/.. through b
	prefix := tempPrefix(target)
	fsys.RemoveStale(dir, prefix)
	tmp, err := createTemp(fsys, dir, prefix)
	if errors.Is(err, fs.ErrNotExist) {
		return errorf(ErrFile, "%s: the folder %s does not exist", what, showPath(firstMissing(fsys, dir)))
	}
	if err != nil {
		return fileErr(what, target, err)
	}
	defer func() {
		temps.Lock()
		delete(temps.live, tmp.Name())
		temps.Unlock()
	}()
	mode := fs.FileMode(0o644)
	if st != nil {
		mode = st.Mode().Perm()
	}
	_, werr := io.WriteString(tmp, text)
	if werr == nil {
		werr = tmp.Chmod(mode)
	}
	if werr == nil && st != nil {
		werr = keepOwner(tmp, st)
	}
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = fsys.Rename(tmp.Name(), target)
	}
	if werr != nil {
		_ = fsys.Remove(tmp.Name())
		return fileErr(what, target, werr)
	}
	_ = fsys.SyncDir(dir) // the rename is done; a folder that cannot sync loses nothing now
	return nil
}

// notRegularMsg refuses to write what is not a regular file; it suggests
// no --force, which would not help.
func notRegularMsg(what string, st fs.FileInfo, w writer) string {
	msg := fmt.Sprintf("%s: %v; %s writes regular files only", what, notRegular{FileKind(st.Mode())}, w.verb)
	if w.other != "" {
		msg += " (" + w.other + ")"
	}
	return msg
}

// firstMissing is the first folder of dir, from its start, that does not
// exist: in a/./b/../c, a missing b, not a/c. It is dir if none is found.
func firstMissing(fsys Files, dir string) string {
	sep := string(filepath.Separator)
	parts := strings.Split(dir, sep)
	for i := range parts {
		p := strings.Join(parts[:i+1], sep)
		if p == "" || parts[i] == "" || parts[i] == "." || parts[i] == ".." {
			continue
		}
		if _, err := fsys.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return filepath.Clean(p)
		}
	}
	return dir
}

// rawDir is the folder part of path as written, not cleaned: firstMissing
// needs each step.
func rawDir(path string) string {
	i := strings.LastIndex(path, string(filepath.Separator))
	switch {
	case i < 0:
		return "."
	case i == 0:
		return path[:1]
	}
	return path[:i]
}

// createTemp makes a temporary file for a write and notes it for
// RemoveTempFiles.
func createTemp(fsys Files, dir, prefix string) (TempFile, error) {
	temps.Lock()
	defer temps.Unlock()
	if temps.stopped {
		return nil, errStopping
	}
	tmp, err := fsys.CreateTemp(dir, prefix+"*.tmp")
	if err != nil {
		return nil, err
	}
	temps.live[tmp.Name()] = fsys
	return tmp, nil
}

// removeStale removes the files in dir named prefix*.tmp that no write holds
// (a write holds its temporary file locked where the system can lock).
func removeStale(dir, prefix string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		n := e.Name()
		if !strings.HasPrefix(n, prefix) || !strings.HasSuffix(n, ".tmp") || !e.Type().IsRegular() {
			continue
		}
		p := filepath.Join(dir, n)
		temps.Lock()
		_, live := temps.live[p]
		temps.Unlock()
		if !live && unlocked(p) {
			_ = os.Remove(p)
		}
	}
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}
