package repl

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/fssim/fssim/internal/engine"
)

// The history is the list of verbs that changed the lab, each as its line
// was typed (trimmed; each verb of a line with several ';'-separated verbs is
// an entry of its own). The engine is deterministic and a refused verb or a
// view changes nothing, so replaying the history from the boot state builds
// the same lab, addresses and counters included: undo and a failed load
// rebuild the lab that way, from the latest snapshot before the point they
// go back to (snapshot.go), and save writes the history as a scenario.
//
// reset is an entry like any other, so the history after a reset still holds
// what came before it: undo right after a reset brings the lab back.

// Errors of save and load.
var (
	// ErrFile: a file could not be read or written (save, load).
	ErrFile = errors.New("file error")
	// ErrFileExists: save would replace a file, and --force was not given.
	ErrFileExists = errors.New("file exists")
	// ErrLoadFailed: a line of a loaded scenario failed; the lab is as it
	// was before load.
	ErrLoadFailed = errors.New("load failed")
	// ErrNothingToUndo: undo with an empty history.
	ErrNothingToUndo = errors.New("nothing to undo")
	// ErrHistoryFull: undo, save or load needs the whole history, and it
	// grew past what fssim keeps.
	ErrHistoryFull = errors.New("history full")
)

// maxLoadDepth is how deep loads may nest (a file that loads a file ...):
// deep enough for lessons built from parts, shallow enough that a file
// that loads itself stops at once.
const maxLoadDepth = 8

// saveHeader starts every file save writes.
const saveHeader = "# fssim scenario, written by fssim's save verb: fssim run FILE replays it\n"

// Files is the file I/O of save, export and load. A Session uses the
// operating system's files unless it holds another Files: tests inject
// failures, and fssim test keeps a scenario's writes in a scratch folder.
type Files interface {
	// Open opens a scenario to read: a regular file only, of at most
	// MaxFileSize bytes (OpenScenario).
	Open(name string) (io.ReadCloser, error)
	Stat(name string) (fs.FileInfo, error)
	Lstat(name string) (fs.FileInfo, error)
	Readlink(name string) (string, error)
	// CreateTemp creates a new file in dir, as os.CreateTemp does.
	CreateTemp(dir, pattern string) (TempFile, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	// RemoveStale removes the files in dir named prefix*.tmp that no
	// running write holds: what a write cut short by kill -9 left.
	RemoveStale(dir, prefix string)
	// SyncDir makes a rename in dir durable.
	SyncDir(dir string) error
}

// TempFile is a file CreateTemp made.
type TempFile interface {
	io.WriteCloser
	Name() string
	Sync() error
	Chmod(mode fs.FileMode) error
}

// OSFiles is Files on the operating system's files.
type OSFiles struct{}

func (OSFiles) Open(name string) (io.ReadCloser, error) { return OpenScenario(name) }
func (OSFiles) Stat(name string) (fs.FileInfo, error)   { return os.Stat(name) }
func (OSFiles) Lstat(name string) (fs.FileInfo, error)  { return os.Lstat(name) }
func (OSFiles) Readlink(name string) (string, error)    { return os.Readlink(name) }
func (OSFiles) Rename(oldpath, newpath string) error    { return os.Rename(oldpath, newpath) }
func (OSFiles) Remove(name string) error                { return os.Remove(name) }
func (OSFiles) RemoveStale(dir, prefix string)          { removeStale(dir, prefix) }
func (OSFiles) SyncDir(dir string) error                { return syncDir(dir) }
func (OSFiles) CreateTemp(dir, pattern string) (TempFile, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	lockTemp(f)
	return f, nil
}

// RootedFiles is Files kept inside the folder Root: every name, relative
// or absolute, is taken to lie under it ("save /etc/x" writes Root/etc/x),
// and so is the target of a symbolic link. Fuzzing uses it, so that mutated
// save, load and export lines touch a scratch folder only.
type RootedFiles struct{ Root string }

func (r RootedFiles) path(name string) string {
	root := filepath.Clean(r.Root)
	if name == root || strings.HasPrefix(name, root+string(filepath.Separator)) {
		return name // already inside, as CreateTemp's names are
	}
	return filepath.Join(root, filepath.Clean(string(filepath.Separator)+name))
}

func (r RootedFiles) Open(name string) (io.ReadCloser, error) { return OpenScenario(r.path(name)) }
func (r RootedFiles) Stat(name string) (fs.FileInfo, error)   { return os.Stat(r.path(name)) }
func (r RootedFiles) Lstat(name string) (fs.FileInfo, error)  { return os.Lstat(r.path(name)) }
func (r RootedFiles) Readlink(name string) (string, error)    { return os.Readlink(r.path(name)) }
func (r RootedFiles) Rename(oldpath, newpath string) error {
	return os.Rename(r.path(oldpath), r.path(newpath))
}
func (r RootedFiles) Remove(name string) error       { return os.Remove(r.path(name)) }
func (r RootedFiles) RemoveStale(dir, prefix string) { removeStale(r.path(dir), prefix) }
func (r RootedFiles) SyncDir(dir string) error       { return syncDir(r.path(dir)) }
func (r RootedFiles) CreateTemp(dir, pattern string) (TempFile, error) {
	return OSFiles{}.CreateTemp(r.path(dir), pattern)
}

func (s *Session) files() Files {
	if s.Files == nil {
		return OSFiles{}
	}
	return s.Files
}

// maxHistoryBytes bounds the history's text, so a scenario that never ends
// (fssim reading a pipe) runs in bounded memory. Past it the history is
// dropped and marked incomplete until the next reset, which starts it again:
// after a reset the lab is the boot state of its profile.
var maxHistoryBytes = 1 << 20 // a variable so tests can make it small

// history holds the verbs in one buffer: a long scenario keeps one entry
// per verb, and a string each would cost several times their text.
type history struct {
	buf  []byte
	ends []int32 // ends[i] is where entry i ends in buf
	from []place // from[i] is where entry i came from, for explain after a rebuild
	// boots are where a lesson or a quiz started from the boot state, as
	// history lengths: save writes the lab from the last of them.
	boots []bootMark
	// full: the history passed maxHistoryBytes and was dropped; it does
	// not describe the lab until the next reset.
	full bool
}

func (h *history) len() int { return len(h.ends) }

func (h *history) at(i int) string {
	start := int32(0)
	if i > 0 {
		start = h.ends[i-1]
	}
	return string(h.buf[start:h.ends[i]])
}

func (h *history) entries() []string {
	out := make([]string, h.len())
	for i := range out {
		out[i] = h.at(i)
	}
	return out
}

// fits says whether text can be added without the history growing past
// maxHistoryBytes.
func (h *history) fits(text string) bool {
	return !h.full && len(h.buf)+len(text) <= maxHistoryBytes
}

func (h *history) add(text string, from place) {
	if !h.fits(text) {
		*h = history{full: true}
		return
	}
	h.buf = append(h.buf, text...)
	h.ends = append(h.ends, int32(len(h.buf)))
	h.from = append(h.from, from)
}

// truncate keeps the first n entries.
func (h *history) truncate(n int) {
	end := int32(0)
	if n > 0 {
		end = h.ends[n-1]
	}
	h.buf, h.ends, h.from = h.buf[:end], h.ends[:n], h.from[:n]
	for len(h.boots) > 0 && h.boots[len(h.boots)-1].at > n {
		h.boots = h.boots[:len(h.boots)-1]
	}
}

// bootMark is where the lab was last built from the boot state by a verb
// that history does not record (lesson, quiz): at is the history's length
// then, and what names it for save's message.
type bootMark struct {
	at   int
	what string
}

// markBoot notes that the lab starts from the boot state here: a lesson or
// a quiz begins.
func (s *Session) markBoot(what string) {
	if !s.hist.full {
		s.hist.boots = append(s.hist.boots, bootMark{at: s.hist.len(), what: what})
	}
}

// isBootVerb says whether a history entry can only run in the boot state
// and so starts the lab from it: reset, os PROFILE, policy SETTING MODE.
func isBootVerb(entry string) bool {
	w, err := Split(entry)
	if err != nil || len(w) == 0 {
		return false
	}
	switch strings.ToLower(w[0]) {
	case "reset":
		return true
	case "os", "policy":
		return len(w) > 1 // a setting, not the verb printing it
	}
	return false
}

// labStart is where the verbs that built the current lab from its boot
// state begin in the history, and what began it there ("" for the start of
// the session, else "after reset", "at the start of the tour"): after the last reset, os or policy, or where the last
// lesson or quiz started, whichever is later.
func (s *Session) labStart() (int, string) {
	at, what := 0, ""
	for i := s.hist.len() - 1; i >= 0; i-- {
		if e := s.hist.at(i); isBootVerb(e) {
			at, what = i+1, "after "+echo(e)
			break
		}
	}
	if n := len(s.hist.boots); n > 0 && s.hist.boots[n-1].at >= at {
		at, what = s.hist.boots[n-1].at, s.hist.boots[n-1].what
	}
	return at, what
}

// prefix is a copy of the first n entries, sharing nothing with h.
func (h *history) prefix(n int) history {
	c := *h
	c.truncate(n)
	return history{buf: append([]byte(nil), c.buf...), ends: append([]int32(nil), c.ends...), from: append([]place(nil), c.from...),
		boots: append([]bootMark(nil), c.boots...)}
}

// History returns the verbs that changed the lab so far, oldest first, and
// whether that is all of them (false when it grew past what fssim keeps).
func (s *Session) History() ([]string, bool) { return s.hist.entries(), !s.hist.full }

// record adds a verb that changed the lab to the history.
func (s *Session) record(v *Verb, text string) error {
	s.changes++
	if s.hist.full && v.Name == "reset" {
		// The lab is the boot state of its profile again.
		s.hist, s.snaps = history{}, nil
		prompt := place{name: -1}
		if p := s.Eng.Profile(); p != engine.XP {
			s.hist.add("os "+p.String(), prompt)
		}
		if s.Eng.BlockLegacy() {
			s.hist.add("policy block-legacy on", prompt)
		}
	}
	if !s.hist.full && !s.hist.fits(text) {
		// The history is about to be dropped: a running load keeps what it
		// needs to take its lines back.
		if err := s.keepLoadStarts(-1); err != nil {
			return err
		}
		s.snaps = nil
	}
	s.hist.add(text, s.here())
	s.maybeSnapshot()
	return nil
}

// errHistoryFull is the refusal of the verbs that need the whole history.
func (s *Session) errHistoryFull(verb string) error {
	return errorf(ErrHistoryFull, "%s needs the whole history, and this session has run more verbs than fssim keeps "+
		"(%d MiB of them) since it started or was last reset; reset starts the history again", verb, maxHistoryBytes>>20)
}

// joinWords writes words back as a line that splits into the same words.
func joinWords(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		switch {
		case w != "" && !strings.ContainsAny(w, " \t'\"#;\n") && (i > 0 || w[0] != '!'): // a first '!' would read as "it must fail"
			out[i] = w
		case !strings.Contains(w, "'"):
			out[i] = "'" + w + "'"
		default:
			out[i] = `"` + w + `"`
		}
	}
	return strings.Join(out, " ")
}

// printHistory is the history verb.
func (s *Session) printHistory() {
	switch {
	case s.hist.full:
		fmt.Fprintf(s.Out, "the history is incomplete: this session has run more verbs than fssim keeps (%d MiB of them) since it started or was last reset\n", maxHistoryBytes>>20)
		return
	case s.hist.len() == 0:
		io.WriteString(s.Out, "no verb has changed the lab yet\n")
		return
	}
	var b strings.Builder
	w := len(strconv.Itoa(s.hist.len()))
	for i := range s.hist.len() {
		fmt.Fprintf(&b, "  %*d  %s\n", w, i+1, echo(s.hist.at(i)))
	}
	io.WriteString(s.Out, b.String())
}

// undoVerb is undo [N].
func (s *Session) undoVerb(c *Call) error {
	n := 1
	if len(c.Args) > 0 {
		v, err := strconv.Atoi(c.Arg(0))
		switch {
		case err != nil:
			return usageErr(c.Verb, fmt.Sprintf("undo: N is how many verbs to take back, a whole number; got %s", quoteWord(c.Arg(0))))
		case v < 1:
			return usageErr(c.Verb, fmt.Sprintf("undo: N is how many verbs to take back, 1 or more; got %d", v))
		}
		n = v
	}
	l := s.hist.len()
	switch {
	case s.hist.full:
		return s.errHistoryFull("undo")
	case l == 0:
		return errorf(ErrNothingToUndo, "nothing to undo: no verb has changed the lab yet")
	case n > l:
		return usageErr(c.Verb, fmt.Sprintf("undo %d: the history holds only %s (history lists them)", n, plural(l, "verb")))
	}
	shown := make([]string, 0, n)
	for i := l - n; i < l; i++ {
		shown = append(shown, echo(s.hist.at(i)))
	}
	before := s.Eng.State()
	if err := s.rewind(l - n); err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "undid %s: %s\n", plural(n, "verb"), strings.Join(shown, ", "))
	s.printChanged(before, s.Eng.State())
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// printChanged prints each stack that differs between two states of the
// lab, as a verb's report does: the CDOs by name, then the volumes by
// letter. A stack that is gone gets one line saying so.
func (s *Session) printChanged(before, after engine.State) {
	cdos := map[string][2]*engine.CDOInfo{}
	for i := range before.CDOs {
		c := &before.CDOs[i]
		cdos[c.Name] = [2]*engine.CDOInfo{c, nil}
	}
	for i := range after.CDOs {
		c := &after.CDOs[i]
		p := cdos[c.Name]
		p[1] = c
		cdos[c.Name] = p
	}
	vols := map[string][2]*engine.VolumeInfo{}
	for i := range before.Volumes {
		v := &before.Volumes[i]
		vols[v.Name] = [2]*engine.VolumeInfo{v, nil}
	}
	for i := range after.Volumes {
		v := &after.Volumes[i]
		p := vols[v.Name]
		p[1] = v
		vols[v.Name] = p
	}
	for _, name := range sortedKeys(cdos) {
		p := cdos[name]
		switch {
		case p[1] == nil:
			fmt.Fprintf(s.Out, "\n%s  %s\n", s.Theme.Bold(name), s.Theme.Dim("gone: its file system is no longer registered"))
		case p[0] == nil || !reflect.DeepEqual(*p[0], *p[1]):
			s.printStack(name, true)
		}
	}
	for _, name := range sortedKeys(vols) {
		p := vols[name]
		switch {
		case p[1] == nil:
			fmt.Fprintf(s.Out, "\n%s  %s\n", s.Theme.Bold(name), s.Theme.Dim("gone: it was never mounted"))
		case p[0] == nil || !reflect.DeepEqual(*p[0], *p[1]):
			s.printStack(name, true)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// saveVerb is save FILE [--all] [--force]: the verbs that rebuild the
// current lab from its boot state (the profile and policy lines, then the
// verbs since the last reset, os, policy, lesson or quiz start), or with
// --all the whole history.
func (s *Session) saveVerb(c *Call) error {
	path := c.Arg(0)
	if s.hist.full {
		return s.errHistoryFull("save")
	}
	all := s.hist.entries()
	from, what := 0, ""
	var lines []string
	if !c.Bool("all") {
		from, what = s.labStart()
		if from > 0 {
			if p := s.Eng.Profile(); p != engine.XP {
				lines = append(lines, "os "+p.String())
			}
			if s.Eng.BlockLegacy() {
				lines = append(lines, "policy block-legacy on")
			}
		}
	}
	lines = append(lines, all[from:]...)
	var b strings.Builder
	b.WriteString(saveHeader)
	for i, h := range lines {
		if strings.ContainsAny(h, "\r\n") {
			return errorf(ErrFile, "cannot save: history entry %d holds a line break, which a scenario line cannot", i+1)
		}
		b.WriteString(h)
		b.WriteByte('\n')
	}
	if err := writeAtomic(s.files(), path, b.String(), c.Bool("force"), saveWrite); err != nil {
		return err
	}
	p := showPath(path)
	switch {
	case c.Bool("all"):
		fmt.Fprintf(s.Out, "saved %s to %s: the whole session (fssim run %s replays it)\n", plural(len(lines), "verb"), p, p)
	case from == 0:
		fmt.Fprintf(s.Out, "saved %s to %s: the current lab, built since the session started (fssim run %s rebuilds it)\n", plural(len(lines), "verb"), p, p)
	default:
		fmt.Fprintf(s.Out, "saved %s to %s: the current lab, from its boot state %s (fssim run %s rebuilds it; save --all saves the whole session)\n",
			plural(len(lines), "verb"), p, what, p)
	}
	return nil
}

// fileErr says in one line why a file could not be read or written.
func fileErr(what, path string, err error) error {
	dir := showPath(filepath.Dir(path))
	var why string
	switch {
	case errors.Is(err, syscall.ENOTDIR):
		why = "a part of the path is a file, not a folder"
	case errors.Is(err, syscall.EISDIR):
		why = "it is a folder"
	case errors.Is(err, fs.ErrNotExist) && (strings.HasPrefix(what, "cannot save") || strings.HasPrefix(what, "cannot export")):
		why = fmt.Sprintf("the folder %s does not exist", dir)
	case errors.Is(err, fs.ErrNotExist):
		why = "no such file"
	case errors.Is(err, fs.ErrPermission):
		why = "permission denied"
	case errors.Is(err, syscall.ENOSPC):
		why = "no space left on the device"
	case errors.Is(err, syscall.EROFS):
		why = "the file system is read-only"
	default:
		var pe *fs.PathError
		var le *os.LinkError
		switch {
		case errors.As(err, &pe):
			err = pe.Err
		case errors.As(err, &le):
			err = le.Err
		}
		why = err.Error()
	}
	return errorf(ErrFile, "%s: %s", what, oneLine(why))
}

// showPath is a path as messages print it: terminal-safe.
func showPath(p string) string {
	if p == "" || !plainLine(p) || strings.ContainsAny(p, " \t") {
		return strconv.Quote(p)
	}
	return p
}

// loadVerb is load FILE (and source FILE): it runs a scenario in this
// session, printing its transcript as fssim run does. A failing line stops
// it, and the lab is rebuilt as it was before load.
func (s *Session) loadVerb(c *Call) error {
	path := c.Arg(0)
	p := showPath(path)
	if s.loadDepth >= maxLoadDepth {
		return errorf(ErrUsage, "load %s: loads nest %d deep, the most fssim allows (does a file load itself?)", p, maxLoadDepth)
	}
	if s.hist.full {
		return s.errHistoryFull("load (to take the file back if a line fails)")
	}
	fsys := s.files()
	if st, err := fsys.Stat(path); err == nil && st.IsDir() {
		return errorf(ErrFile, "cannot load %s: it is a folder; load takes a scenario file", p)
	}
	f, err := fsys.Open(path)
	if err != nil {
		return fileErr("cannot load "+p, path, err)
	}
	defer f.Close()
	start, changes := s.startLoad(), s.changes
	last := 0
	s.loadDepth++
	res, rerr := s.RunScript(f, ScriptOptions{Name: path, Echo: true, Line: func(n int) { last = n }})
	s.loadDepth--
	s.endLoad()
	if rerr == nil && res.Failed == 0 {
		if res.Lines > 0 {
			io.WriteString(s.Out, "\n")
		}
		fmt.Fprintf(s.Out, "loaded %s: %s\n", p, plural(res.Lines, "line"))
		return nil
	}
	if errors.Is(rerr, ErrInterrupted) { // Ctrl-C: keep what ran, unlike a failure
		return fmt.Errorf("%w: load %s stopped after line %d; the lab keeps the verbs that ran (undo takes them back)",
			ErrInterrupted, p, last)
	}
	if s.changes != changes { // something changed: put the lab before load back
		if err := s.backToLoadStart(start); err != nil {
			return err
		}
	}
	if rerr != nil {
		return fileErr(fmt.Sprintf("cannot load %s (stopped after line %d; the lab is as it was before load)", p, last), path, rerr)
	}
	return errorf(ErrLoadFailed, "load stopped at %s:%d; the lab is as it was before load", p, last)
}
