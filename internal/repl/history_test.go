package repl

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

// memFiles is Files in memory, with failures to inject.
type memFiles struct {
	files     map[string]string
	dirs      map[string]bool
	failWrite bool // writes to a temporary file fail
	failRenam bool // renames fail
	n         int
}

func newMemFiles(files map[string]string) *memFiles {
	m := &memFiles{files: map[string]string{}, dirs: map[string]bool{".": true, "/": true}}
	for k, v := range files {
		m.files[k] = v
	}
	return m
}

type memInfo struct {
	name string
	dir  bool
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return 0 }
func (i memInfo) Mode() fs.FileMode  { return 0o644 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return i.dir }
func (i memInfo) Sys() any           { return nil }

func (m *memFiles) Open(name string) (io.ReadCloser, error) {
	if t, ok := m.files[name]; ok {
		return io.NopCloser(strings.NewReader(t)), nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (m *memFiles) Stat(name string) (fs.FileInfo, error) {
	if _, ok := m.files[name]; ok {
		return memInfo{name: name}, nil
	}
	if m.dirs[name] {
		return memInfo{name: name, dir: true}, nil
	}
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

type memTemp struct {
	m    *memFiles
	name string
	b    bytes.Buffer
}

func (f *memTemp) Write(p []byte) (int, error) {
	if f.m.failWrite {
		return 0, errors.New("no space left (injected)")
	}
	f.b.Write(p)
	f.m.files[f.name] = f.b.String()
	return len(p), nil
}
func (f *memTemp) Close() error { return nil }
func (f *memTemp) Name() string { return f.name }
func (f *memTemp) Sync() error  { return nil }

func (m *memFiles) CreateTemp(dir, pattern string) (TempFile, error) {
	if !m.dirs[dir] {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: fs.ErrNotExist}
	}
	m.n++
	f := &memTemp{m: m, name: path.Join(dir, strings.Replace(pattern, "*", strings.Repeat("x", m.n), 1))}
	m.files[f.name] = ""
	return f, nil
}

func (m *memFiles) Rename(oldpath, newpath string) error {
	if m.failRenam {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: errors.New("injected rename failure")}
	}
	m.files[newpath] = m.files[oldpath]
	delete(m.files, oldpath)
	return nil
}

func (m *memFiles) Remove(name string) error { delete(m.files, name); return nil }

func (m *memFiles) Lstat(name string) (fs.FileInfo, error) { return m.Stat(name) }
func (m *memFiles) Readlink(name string) (string, error)   { return "", errors.New("no links in memory") }
func (m *memFiles) SyncDir(dir string) error               { return nil }
func (m *memFiles) RemoveStale(dir, prefix string)         {}
func (f *memTemp) Chmod(fs.FileMode) error                 { return nil }

// names lists the files, sorted.
func (m *memFiles) names() []string {
	var out []string
	for k := range m.files {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// histSession is a session whose save and load use files in memory.
func histSession(files map[string]string) (*Session, *bytes.Buffer, *memFiles) {
	var out bytes.Buffer
	s := NewSession(&out, render.NewTheme(false))
	m := newMemFiles(files)
	s.Files = m
	return s, &out, m
}

func mustExec(t *testing.T, s *Session, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if err := s.Exec(l); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
	}
}

func hist(s *Session) []string {
	h, _ := s.History()
	return h
}

// richLab is a lab with a bit of everything, and lab.fss to load.
var richLab = []string{"fs register fs_rec", "fs register ntfs", "filter load av --notify --attach-raw",
	"filter load backup", "mount C:", "mount D: --media cdrom", "filter attach backup C:", "mount E: --format fat32",
	"fltmgr load", "minifilter load watch --altitude 385100", "mount F:"}

// TestVerbsClassifiedAsTheyBehave checks the table's Changes and Replays
// against the engine: every example of a verb that is neither leaves
// Engine.Dump() as it was, in the boot state and in a full lab, and adds
// nothing to the history; each verb that is either changes the lab with
// at least one example; and a call is recorded exactly when Changes says.
func TestVerbsClassifiedAsTheyBehave(t *testing.T) {
	files := map[string]string{"lab.fss": "filter load zz --notify\n"}
	// A verb that exists only on some profiles gets one in the boot state.
	bootFor := map[string][]string{"policy": {"os win10"}}
	for _, v := range Verbs() {
		changed := false
		for _, ex := range v.Examples {
			for _, setup := range [][]string{bootFor[v.Name], richLab[:6], richLab} {
				s, _, _ := histSession(files)
				mustExec(t, s, setup...)
				before, n := s.Eng.Dump(), len(hist(s))
				words, _ := Split(ex)
				_, rest, _ := Lookup(words)
				c, perr := v.parse(rest)
				err := s.Exec(ex)
				if v.Name == "io" && c != nil {
					// io changes the lab only when it runs FltMgr's
					// pending instance setup (issue 15.6).
					c.Changed = s.Eng.SetupRan()
				}
				after := s.Eng.Dump()
				if err != nil {
					if after != before {
						t.Errorf("%s (after %d setup verbs) failed (%v) but changed the lab", ex, len(setup), err)
					}
					continue
				}
				recorded := len(hist(s)) - n
				switch {
				case v.Replays:
					changed = changed || after != before
				case v.Changes == nil || perr != nil || !v.Changes(c):
					if after != before {
						t.Errorf("%s (after %d setup verbs): a view (Changes says so), but it changed Engine.Dump()", ex, len(setup))
					}
					if recorded != 0 {
						t.Errorf("%s: a view, but history gained %d entries", ex, recorded)
					}
				default:
					changed = changed || after != before
					if recorded != 1 || hist(s)[len(hist(s))-1] != ex {
						t.Errorf("%s: changes the lab, but history ends %q", ex, hist(s))
					}
				}
			}
		}
		if (v.Replays || v.Changes != nil) && !changed {
			t.Errorf("%s is marked as changing the lab, but none of its examples did", v.Name)
		}
	}
}

func TestHistoryRecordsWhatChangedTheLab(t *testing.T) {
	s, out, _ := histSession(nil)
	mustExec(t, s,
		"fs register ntfs",
		"show; fs list;  filter load av --notify ;mount C:",
		"! [fs-registered] fs register ntfs", // refused: nothing changed
		"brief on", "brief off", "os", "help undo", "mount --help", "devstack C:", "history",
		"FILTER LOAD Backup",
		"filter attach backup C: # a comment")
	if err := s.Exec("mount Q: --media nosuch"); err == nil {
		t.Fatal("mount Q: --media nosuch succeeded")
	}
	want := []string{"fs register ntfs", "filter load av --notify", "mount C:", "FILTER LOAD Backup", "filter attach backup C:"}
	if got := hist(s); !slices.Equal(got, want) {
		t.Fatalf("history = %q, want %q", got, want)
	}
	out.Reset()
	mustExec(t, s, "history")
	if got := out.String(); got != "  1  fs register ntfs\n  2  filter load av --notify\n  3  mount C:\n  4  FILTER LOAD Backup\n  5  filter attach backup C:\n" {
		t.Errorf("history printed:\n%s", got)
	}
}

// TestUndoThenReplay: undo N, then replaying the N undone lines, gives the
// lab that running every line gave, counters and addresses included; and
// undo N alone gives the lab of the first lines only.
func TestUndoThenReplay(t *testing.T) {
	lines := []string{"os w2ksp4", "fs register ntfs", "filter load av --notify --ex", "mount C:", "filter load backup",
		"filter attach backup C:", "mount D: --media cdrom", "fs register cdfs", "reset", "fs register fastfat",
		"mount E: --format fat32", "filter load enc --notify --ex", "dismount E:", "mount E:"}
	full, _, _ := histSession(nil)
	mustExec(t, full, lines...)
	for n := 1; n <= len(lines); n++ {
		s, out, _ := histSession(nil)
		mustExec(t, s, lines...)
		out.Reset()
		if err := s.Exec("undo " + strconv.Itoa(n)); err != nil {
			t.Fatalf("undo %d: %v", n, err)
		}
		if !strings.HasPrefix(out.String(), "undid "+plural(n, "verb")+": "+strings.Join(lines[len(lines)-n:], ", ")+"\n") {
			t.Errorf("undo %d printed:\n%s", n, out.String())
		}
		prefix, _, _ := histSession(nil)
		mustExec(t, prefix, lines[:len(lines)-n]...)
		if s.Eng.Dump() != prefix.Eng.Dump() {
			t.Errorf("undo %d: the lab differs from running the first %d lines", n, len(lines)-n)
		}
		if got := hist(s); !slices.Equal(got, lines[:len(lines)-n]) {
			t.Errorf("undo %d: history %q", n, got)
		}
		mustExec(t, s, lines[len(lines)-n:]...)
		if s.Eng.Dump() != full.Eng.Dump() {
			t.Errorf("undo %d, then the %d lines again: the lab differs from running them once", n, n)
		}
	}
}

func TestUndoAfterResetBringsTheLabBack(t *testing.T) {
	s, out, _ := histSession(nil)
	mustExec(t, s, "fs register ntfs", "filter load av --notify", "mount C:")
	before := s.Eng.Dump()
	mustExec(t, s, "reset")
	if got := hist(s); len(got) != 4 || got[3] != "reset" {
		t.Fatalf("history after reset: %q", got)
	}
	out.Reset()
	mustExec(t, s, "undo")
	if s.Eng.Dump() != before {
		t.Errorf("undo after reset did not bring the lab back")
	}
	for _, want := range []string{"undid 1 verb: reset\n", "\n\\Ntfs  disk queue\n", "\nC:  \\Device\\HarddiskVolume1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("undo printed no %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "RawDisk") {
		t.Errorf("undo printed a stack that did not change:\n%s", out.String())
	}
}

func TestUndoKeepsBriefAndRestoresProfile(t *testing.T) {
	s, out, _ := histSession(nil)
	mustExec(t, s, "os w2k", "brief on", "fs register ntfs", "mount C:")
	out.Reset()
	mustExec(t, s, "undo 2")
	if !s.Theme.Brief() {
		t.Error("undo turned brief output off")
	}
	if p := s.Eng.Profile().String(); p != "w2k" {
		t.Errorf("profile after undo: %s, want w2k", p)
	}
	if !strings.Contains(out.String(), "\\Ntfs  gone") || !strings.Contains(out.String(), "C:  gone") {
		t.Errorf("undo did not say the stacks are gone:\n%s", out.String())
	}
	mustExec(t, s, "undo")
	if p := s.Eng.Profile().String(); p != "xp" {
		t.Errorf("profile after undoing os w2k: %s, want xp", p)
	}
}

func TestUndoRefusals(t *testing.T) {
	s, _, _ := histSession(nil)
	if err := s.Exec("undo"); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("undo with no history: %v", err)
	}
	mustExec(t, s, "fs register ntfs", "mount C:")
	dump := s.Eng.Dump()
	for line, kind := range map[string]error{"undo 3": ErrUsage, "undo 0": ErrUsage, "undo x": ErrUsage,
		"undo -1": ErrUsage, "undo 1 2": ErrUsage, "undo 99999999999999999999": ErrUsage} {
		err := s.Exec(line)
		if !errors.Is(err, kind) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want a one-line %v", line, err, kind)
		}
		if s.Eng.Dump() != dump || len(hist(s)) != 2 {
			t.Errorf("%s was refused but changed the lab", line)
		}
	}
	if err := s.Exec("undo 3"); err == nil || !strings.Contains(err.Error(), "holds only 2 verbs") {
		t.Errorf("undo 3: %v", err)
	}
}

// TestHistoryFull: past maxHistoryBytes the history is dropped, undo,
// save and load refuse, and a reset starts it again.
func TestHistoryFull(t *testing.T) {
	defer func(n int) { maxHistoryBytes = n }(maxHistoryBytes)
	maxHistoryBytes = 64
	s, out, m := histSession(map[string]string{"a.fss": "mount D:\n"})
	mustExec(t, s, "os w2ksp4", "fs register ntfs", "filter load av --notify --ex", "mount C:", "filter load b1", "filter load b2")
	if _, whole := s.History(); whole {
		t.Fatalf("history %q is whole past the limit", hist(s))
	}
	out.Reset()
	mustExec(t, s, "history")
	if !strings.Contains(out.String(), "incomplete") {
		t.Errorf("history printed %q", out.String())
	}
	for _, line := range []string{"undo", "save x.fss", "load a.fss"} {
		if err := s.Exec(line); !errors.Is(err, ErrHistoryFull) {
			t.Errorf("%s with a full history: %v", line, err)
		}
	}
	if _, ok := m.files["x.fss"]; ok {
		t.Error("save wrote a file from an incomplete history")
	}
	mustExec(t, s, "reset", "fs register ntfs")
	if got := hist(s); !slices.Equal(got, []string{"os w2ksp4", "reset", "fs register ntfs"}) {
		t.Fatalf("history after reset: %q", got)
	}
	again, _, _ := histSession(nil)
	mustExec(t, again, hist(s)...)
	if again.Eng.Dump() != s.Eng.Dump() {
		t.Error("the history started again at reset does not rebuild the lab")
	}
	mustExec(t, s, "undo")
}

func TestLoadRunsAndJoinsHistory(t *testing.T) {
	s, out, _ := histSession(map[string]string{
		"lesson.fss": "# a lesson\nfs register ntfs; filter load av --notify\n\nmount C:\n! [not-mounted] filter attach av Q:\nload part.fss\nexit\nmount Z:\n",
		"part.fss":   "filter load backup\nfilter attach backup C:\n",
	})
	mustExec(t, s, "source lesson.fss")
	want := []string{"fs register ntfs", "filter load av --notify", "mount C:", "filter load backup", "filter attach backup C:"}
	if got := hist(s); !slices.Equal(got, want) {
		t.Errorf("history after load: %q, want %q", got, want)
	}
	for _, w := range []string{"# a lesson\nfssim> fs register ntfs; filter load av --notify\n", "fssim> mount C:\n",
		"refused as expected: ", "fssim> load part.fss\nfssim> filter load backup\n", "loaded part.fss: 2 lines\n",
		"fssim> exit\n\nloaded lesson.fss: 5 lines\n"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("transcript lacks %q:\n%s", w, out.String())
		}
	}
	if strings.Contains(out.String(), "Z:") {
		t.Error("load ran on past exit")
	}
}

// TestLoadFailureLeavesTheSession: a failing line stops load with
// FILE:LINE: error: ..., and the lab and its history are as before load,
// also when the failure is in a file a loaded file loads.
func TestLoadFailureLeavesTheSession(t *testing.T) {
	files := map[string]string{
		"bad.fss":    "filter load x --notify\nmount F:\nfilter attach nosuch F:\nshow\n",
		"bang.fss":   "mount G:\n! [not-mounted] mount H:\n",
		"outer.fss":  "mount K:\nload bad.fss\nmount L:\n",
		"undo.fss":   "undo 3\nfilter load y\nmount nope\n",
		"self.fss":   "load self.fss\n",
		"syntax.fss": "filter load q\n! [nosuchkind] mount C:\n",
	}
	for name, wantErr := range map[string]string{"bad.fss": "bad.fss:3: error: filter \"nosuch\" is not loaded",
		"bang.fss": "bang.fss:2: error: expected this line to fail", "outer.fss": "bad.fss:3: error:",
		"undo.fss": "undo.fss:3: error:", "self.fss": "loads nest 8 deep", "syntax.fss": "syntax.fss:2: error: unknown error kind"} {
		s, out, _ := histSession(files)
		mustExec(t, s, "fs register ntfs", "filter load av --notify", "mount C:", "brief on")
		dump, h := s.Eng.Dump(), hist(s)
		out.Reset()
		err := s.Exec("load " + name)
		if !errors.Is(err, ErrLoadFailed) || strings.Contains(err.Error(), "\n") {
			t.Errorf("load %s: %v, want a one-line load-failed error", name, err)
		}
		if !strings.Contains(out.String(), wantErr) {
			t.Errorf("load %s: the transcript lacks %q:\n%s", name, wantErr, out.String())
		}
		if s.Eng.Dump() != dump {
			t.Errorf("load %s failed but changed the lab", name)
		}
		if !slices.Equal(hist(s), h) {
			t.Errorf("load %s failed but changed the history: %q", name, hist(s))
		}
		if !s.Theme.Brief() {
			t.Errorf("load %s changed brief output", name)
		}
	}
}

func TestLoadRefusals(t *testing.T) {
	s, _, m := histSession(nil)
	m.dirs["lessons"] = true
	for line, kind := range map[string]error{"load nosuch.fss": ErrFile, "load lessons": ErrFile, "load": ErrUsage,
		"load a b": ErrUsage} {
		if err := s.Exec(line); !errors.Is(err, kind) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want a one-line %v", line, err, kind)
		}
	}
}

func TestSaveWritesTheHistory(t *testing.T) {
	s, out, m := histSession(nil)
	mustExec(t, s, "fs register ntfs; mount C:", "show", "filter load av --notify")
	mustExec(t, s, "save lab.fss")
	want := saveHeader + "fs register ntfs\nmount C:\nfilter load av --notify\n"
	if got := m.files["lab.fss"]; got != want {
		t.Errorf("lab.fss holds:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(out.String(), "saved 3 verbs to lab.fss") {
		t.Errorf("save printed %q", out.String())
	}
	if !strings.HasPrefix(saveHeader, "# ") || !strings.Contains(saveHeader, "fssim") || !strings.Contains(saveHeader, "save") {
		t.Errorf("header %q does not say fssim's save wrote the file", saveHeader)
	}
	// Loaded into a fresh session, the file builds the same lab.
	s2, _, _ := histSession(m.files)
	mustExec(t, s2, "load lab.fss")
	if s2.Eng.Dump() != s.Eng.Dump() {
		t.Error("loading the saved file does not build the same lab")
	}
}

// TestSaveFailuresLeaveTheOldFile: each failing save says why in one line
// and leaves the old file and no temporary file.
func TestSaveFailuresLeaveTheOldFile(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		setup      func(m *memFiles)
		kind       error
		msg        string
	}{
		{"exists", "save lab.fss", nil, ErrFileExists, "lab.fss exists: save --force lab.fss replaces it"},
		{"folder", "save --force lessons", func(m *memFiles) { m.dirs["lessons"] = true }, ErrFile, "it is a folder"},
		{"no parent", "save nodir/x.fss", nil, ErrFile, "the folder nodir does not exist"},
		{"write fails", "save lab.fss --force", func(m *memFiles) { m.failWrite = true }, ErrFile, "no space left (injected)"},
		{"rename fails", "save lab.fss --force", func(m *memFiles) { m.failRenam = true }, ErrFile, "injected rename failure"},
		{"empty name", "save ''", nil, ErrFile, "the file name is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _, m := histSession(map[string]string{"lab.fss": "old\n"})
			if tc.setup != nil {
				tc.setup(m)
			}
			mustExec(t, s, "fs register ntfs")
			err := s.Exec(tc.line)
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.msg) || strings.Contains(err.Error(), "\n") {
				t.Errorf("%s: %v, want a one-line %v with %q", tc.line, err, tc.kind, tc.msg)
			}
			if m.files["lab.fss"] != "old\n" {
				t.Errorf("the old file now holds %q", m.files["lab.fss"])
			}
			if got := m.names(); !slices.Equal(got, []string{"lab.fss"}) {
				t.Errorf("files after a failed save: %q", got)
			}
		})
	}
}

// TestSaveOnDisk runs save against the real file system: it replaces only
// with --force, and fails cleanly where a folder is expected but a file is
// (tests run as root, where permission bits stop nothing).
func TestSaveOnDisk(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	s := NewSession(&out, render.NewTheme(false))
	mustExec(t, s, "fs register ntfs", "mount C:")
	p := filepath.Join(dir, "lab.fss")
	mustExec(t, s, "save "+p)
	mustExec(t, s, "filter load av --notify")
	if err := s.Exec("save " + p); !errors.Is(err, ErrFileExists) || !strings.Contains(err.Error(), "--force") {
		t.Errorf("save over a file: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != saveHeader+"fs register ntfs\nmount C:\n" {
		t.Errorf("the refused save changed the file: %q", b)
	}
	mustExec(t, s, "save --force "+p)
	if b, _ := os.ReadFile(p); string(b) != saveHeader+"fs register ntfs\nmount C:\nfilter load av --notify\n" {
		t.Errorf("save --force wrote %q", b)
	}
	if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("saved file: %v, mode %v", err, st.Mode())
	}
	for _, bad := range []string{filepath.Join(p, "x.fss"), dir, filepath.Join(dir, "no", "x.fss")} {
		if err := s.Exec("save --force " + bad); !errors.Is(err, ErrFile) || strings.Contains(err.Error(), "\n") {
			t.Errorf("save %s: %v, want a one-line file error", bad, err)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("files left in the folder: %v", ents)
	}
	if b, _ := os.ReadFile(p); !strings.HasSuffix(string(b), "filter load av --notify\n") {
		t.Errorf("a failed save touched the old file: %q", b)
	}
}

// The policy is in the history: undo takes it back, and a history that
// outgrew what fssim keeps starts again, after a reset, with the profile and
// the policy the reset kept.
func TestHistoryKeepsThePolicy(t *testing.T) {
	s, _, _ := histSession(nil)
	mustExec(t, s, "os win10", "policy block-legacy on", "fs register ntfs")
	if got, want := hist(s), []string{"os win10", "policy block-legacy on", "fs register ntfs"}; !slices.Equal(got, want) {
		t.Fatalf("history = %q, want %q", got, want)
	}
	mustExec(t, s, "undo")
	if !s.Eng.BlockLegacy() {
		t.Fatal("undo of fs register turned the policy off")
	}
	mustExec(t, s, "undo")
	if s.Eng.BlockLegacy() || s.Eng.Profile() != engine.Win10 {
		t.Fatalf("undo of the policy: policy %t, profile %s", s.Eng.BlockLegacy(), s.Eng.Profile())
	}
	mustExec(t, s, "policy block-legacy on")
	s.hist = history{full: true}
	mustExec(t, s, "reset")
	if got, want := hist(s), []string{"os win10", "policy block-legacy on", "reset"}; !slices.Equal(got, want) {
		t.Fatalf("history after a full reset = %q, want %q", got, want)
	}
}

// TestRootedFilesStayInside: every path a scenario names, relative or
// absolute, lands under the root, and a temporary file's own name is not
// rooted twice, so save's rename works.
func TestRootedFilesStayInside(t *testing.T) {
	root := t.TempDir()
	r := RootedFiles{Root: root}
	for _, name := range []string{"a.fss", "/etc/passwd", "../../escape", "d/../../x", root + "/in"} {
		if p := r.path(name); !strings.HasPrefix(p, root+string(filepath.Separator)) && p != root {
			t.Errorf("path(%q) = %q, outside %s", name, p, root)
		}
	}
	if err := writeAtomic(r, "/saved.fss", "fs register ntfs\n", false, saveWrite); err != nil {
		t.Fatalf("save through RootedFiles: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(root, "saved.fss")); err != nil || string(b) != "fs register ntfs\n" {
		t.Errorf("saved file: %q, %v", b, err)
	}
}
