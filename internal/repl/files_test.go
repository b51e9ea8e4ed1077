//go:build unix

package repl

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fssim/fssim/internal/render"
)

// diskSession is a session on the real file system with a verb in its
// history, so save has something to write.
func diskSession(t *testing.T) (*Session, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	s := NewSession(&out, render.NewTheme(false))
	mustExec(t, s, "fs register ntfs")
	return s, &out
}

// leftovers lists the temporary files a write left in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") || strings.Contains(e.Name(), ".tmp") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestSaveRefusesWhatIsNotAFile (issue 13.1): a named pipe or a device node
// is never replaced, --force or not, and the error does not suggest --force.
func TestSaveRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	nodes := map[string]fs.FileMode{fifo: fs.ModeNamedPipe}
	if os.Geteuid() == 0 {
		dev := filepath.Join(dir, "null")
		if err := syscall.Mknod(dev, syscall.S_IFCHR|0o600, 1<<8|3); err == nil {
			nodes[dev] = fs.ModeCharDevice
		}
	}
	s, _ := diskSession(t)
	for p, kind := range nodes {
		for _, line := range []string{"save " + p, "save --force " + p, "export svg " + p + " --force"} {
			err := s.Exec(line)
			if !errors.Is(err, ErrFile) || strings.Contains(err.Error(), "--force") || strings.Contains(err.Error(), "\n") ||
				!strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("%s: %v, want a one-line file error saying it is not a regular file, no --force", line, err)
			}
			st, err := os.Lstat(p)
			if err != nil || st.Mode()&kind == 0 {
				t.Fatalf("%s replaced %s: %v, mode %v", line, p, err, st.Mode())
			}
		}
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("temporary files left: %q", l)
	}
}

// TestSaveThroughASymlink (issue 13.1): save --force through a link writes
// the link's target, in the target's folder, and the link stays a link.
func TestSaveThroughASymlink(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(other, "real.fss")
	if err := os.WriteFile(target, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.fss")
	if err := os.Symlink("other/real.fss", link); err != nil {
		t.Fatal(err)
	}
	s, _ := diskSession(t)
	if err := s.Exec("save " + link); !errors.Is(err, ErrFileExists) {
		t.Errorf("save over a link without --force: %v", err)
	}
	mustExec(t, s, "save --force "+link)
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link is no longer a link: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != saveHeader+"fs register ntfs\n" {
		t.Errorf("the link's target holds %q", b)
	}
	if l := append(leftovers(t, dir), leftovers(t, other)...); len(l) > 0 {
		t.Errorf("temporary files left: %q", l)
	}
}

// TestSaveThroughADanglingSymlink (issue 13.1): a link to nothing counts as
// a file that exists; with --force its target is created and the link
// stays.
func TestSaveThroughADanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "link.fss")
	target := filepath.Join(dir, "new.fss")
	if err := os.Symlink("new.fss", link); err != nil {
		t.Fatal(err)
	}
	s, _ := diskSession(t)
	err := s.Exec("save " + link)
	if !errors.Is(err, ErrFileExists) || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("save to a dangling link without --force: %v", err)
	}
	if _, err := os.Lstat(target); err == nil {
		t.Fatal("the refused save created the target")
	}
	mustExec(t, s, "save --force "+link)
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link is no longer a link: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != saveHeader+"fs register ntfs\n" {
		t.Errorf("the link's target holds %q", b)
	}
}

// TestSaveKeepsTheMode (issue 13.1): a private file stays private.
func TestSaveKeepsTheMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "secret.fss")
	if err := os.WriteFile(p, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	s, _ := diskSession(t)
	mustExec(t, s, "save --force "+p)
	if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("after save --force: %v, mode %v, want 0600", err, st.Mode())
	}
	n := filepath.Join(dir, "new.fss")
	mustExec(t, s, "save "+n)
	if st, err := os.Stat(n); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("a new file: %v, mode %v, want 0644", err, st.Mode())
	}
}

// TestSaveKeepsHardLinks (issue 13.1): a file with two names is not parted
// from its other name: save refuses it and both keep the old content.
func TestSaveKeepsHardLinks(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.fss"), filepath.Join(dir, "b.fss")
	if err := os.WriteFile(a, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(a, b); err != nil {
		t.Skip("no hard links here:", err)
	}
	s, _ := diskSession(t)
	if err := s.Exec("save --force " + a); !errors.Is(err, ErrFile) || !strings.Contains(err.Error(), "hard links") {
		t.Errorf("save over a hard-linked file: %v", err)
	}
	sa, _ := os.Stat(a)
	sb, _ := os.Stat(b)
	if !os.SameFile(sa, sb) {
		t.Error("the two names are no longer one file")
	}
}

// TestSaveLongName (issue 13.14): a file name of 255 bytes, the most a
// file system takes, can be saved: the temporary name is short.
func TestSaveLongName(t *testing.T) {
	dir := t.TempDir()
	s, _ := diskSession(t)
	for _, n := range []int{244, 250, 255} {
		p := filepath.Join(dir, strings.Repeat("x", n-4)+".fss")
		if err := s.Exec("save " + p); err != nil {
			t.Errorf("save to a %d-byte name: %v", n, err)
		}
	}
}

// TestSaveRemovesStaleTemporaryFiles (issue 13.5): the temporary files a
// save cut short by kill -9 left are removed by the next save to the same
// file; another file's are not.
func TestSaveRemovesStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "lab.fss")
	stale := filepath.Join(dir, tempPrefix(p)+"123456.tmp")
	other := filepath.Join(dir, tempPrefix(filepath.Join(dir, "other.fss"))+"42.tmp")
	for _, f := range []string{stale, other} {
		if err := os.WriteFile(f, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if len(filepath.Base(stale)) > 32 {
		t.Errorf("temporary name %q is long", filepath.Base(stale))
	}
	s, _ := diskSession(t)
	mustExec(t, s, "save "+p)
	if _, err := os.Stat(stale); err == nil {
		t.Error("the stale temporary file is still there")
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another file's temporary file was removed: %v", err)
	}
}

// TestRemoveTempFiles (issue 13.5): the signal handler's hook removes the
// temporary file of a write in progress, and a write after it fails.
func TestRemoveTempFiles(t *testing.T) {
	dir := t.TempDir()
	tmp, err := createTemp(OSFiles{}, dir, tempPrefix("x"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		temps.Lock()
		temps.stopped = false
		temps.Unlock()
	}()
	if n := RemoveTempFiles(); n != 1 {
		t.Errorf("RemoveTempFiles removed %d files, want 1", n)
	}
	tmp.Close()
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("temporary files left: %q", l)
	}
	s, _ := diskSession(t)
	if err := s.Exec("save " + filepath.Join(dir, "lab.fss")); err == nil {
		t.Error("a save after RemoveTempFiles succeeded")
	}
}

// TestExportToStdout (issue 13.1): export FMT - prints, as export FMT does.
func TestExportToStdout(t *testing.T) {
	s, out := diskSession(t)
	mustExec(t, s, "export dot -")
	if !strings.Contains(out.String(), "digraph") {
		t.Errorf("export dot - printed %q", out.String())
	}
}

// TestSaveNamesTheMissingFolder (issue 13.17): in a/./b/../c.fss with no b,
// the error names b, not a.
func TestSaveNamesTheMissingFolder(t *testing.T) {
	dir := t.TempDir()
	s, _ := diskSession(t)
	p := filepath.Join(dir, "files") + "/./sub/../p.svg"
	if err := os.Mkdir(filepath.Join(dir, "files"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := s.Exec("export svg " + p)
	want := "the folder " + filepath.Join(dir, "files", "sub") + " does not exist"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("export svg %s: %v, want %q", p, err, want)
	}
}

// TestWriteGoldenLeavesLinksAlone (issue 13.2): a golden that is a link or
// a named pipe is not written, and the file linked to keeps its content; a
// regular golden is replaced whole.
func TestWriteGoldenLeavesLinksAlone(t *testing.T) {
	dir := t.TempDir()
	other, link, fifo, plain := filepath.Join(dir, "other"), filepath.Join(dir, "l.golden"), filepath.Join(dir, "f.golden"), filepath.Join(dir, "p.golden")
	if err := os.WriteFile(other, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("other", link); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{link, fifo} {
		if err := WriteGolden(p, []byte("new\n")); err == nil || !strings.Contains(err.Error(), "left alone") {
			t.Errorf("WriteGolden(%s): %v, want it left alone", p, err)
		}
	}
	if b, _ := os.ReadFile(other); string(b) != "keep\n" {
		t.Errorf("the linked file holds %q", b)
	}
	if err := WriteGolden(plain, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(plain); string(b) != "new\n" {
		t.Errorf("the golden holds %q", b)
	}
}

// TestReadOnlyRegularFiles (issue 13.7): load, source and fssim test read
// regular files only, of bounded size: a named pipe fails at once instead
// of waiting for a writer, and so does a file past MaxFileSize.
func TestReadOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.fss")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.fss")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxFileSize+1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	for p, want := range map[string]string{fifo: "it is a named pipe (FIFO), not a regular file", big: "larger than 64 MiB"} {
		done := make(chan string, 3)
		go func() {
			s, _ := diskSession(t)
			for _, line := range []string{"load " + p, "source " + p} {
				if err := s.Exec(line); err != nil {
					done <- err.Error()
				} else {
					done <- line + ": no error"
				}
			}
			c := CheckScenario(Scenario{Path: p, Golden: p + ".golden"}, render.Theme{})
			done <- fmt.Sprint(c.Err)
		}()
		for range 3 {
			select {
			case got := <-done:
				if !strings.Contains(got, want) || strings.Contains(got, "\n") {
					t.Errorf("%s: %q, want one line with %q", filepath.Base(p), got, want)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("reading %s hangs", p)
			}
		}
	}
}

// hostileName holds what a terminal would act on: an escape sequence, a
// right-to-left override and a line break.
const hostileName = "ev\x1b[31mil\u202e\nx.fss"

// rawBytes reports whether out carries any of hostileName's dangerous
// characters raw.
func rawBytes(out string) bool {
	return strings.Contains(out, "\x1b") || strings.Contains(out, "\u202e") || strings.Contains(out, "\nx.fss") || strings.Contains(out, "\nx.golden")
}

// TestFileNamesAreEscaped (issue 13.13): a file's name reaches the terminal
// escaped in FILE:LINE: error, in explain's (FILE:3), and in fssim test's
// diff headers.
func TestFileNamesAreEscaped(t *testing.T) {
	s, out := diskSession(t)
	res, err := s.RunScript(strings.NewReader("mount C:\nexplain C:\nnosuchverb\n"), ScriptOptions{Name: hostileName, KeepGoing: true})
	if err != nil || res.Failed != 1 {
		t.Fatalf("run: %v, %+v\n%s", err, res, out)
	}
	if rawBytes(out.String()) || !strings.Contains(out.String(), `"ev\x1b[31mil\u202e\nx.fss":3: error`) ||
		!strings.Contains(out.String(), `"ev\x1b[31mil\u202e\nx.fss":1`) {
		t.Errorf("the name reached the transcript raw or unquoted:\n%q", out.String())
	}
	dir := t.TempDir()
	p := filepath.Join(dir, hostileName)
	if err := os.WriteFile(p, []byte("fs register ntfs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g := strings.TrimSuffix(p, ".fss") + ".golden"
	if err := os.WriteFile(g, []byte("something else\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := CheckScenario(Scenario{Path: p, Golden: g}, render.Theme{})
	if c.Diff == "" || rawBytes(c.Diff) {
		t.Errorf("diff headers carry the name raw:\n%q", c.Diff)
	}
}

// TestSaveRefusesALinkToAPipe (issue 13.1): /dev/stdout is a link to
// /proc/self/fd/1, a link whose target is no path (pipe:[N]); save through
// such a link is refused as a named pipe, with no --force suggested. The
// link here is made in the test's folder, to a pipe of the test's own.
func TestSaveRefusesALinkToAPipe(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc/self/fd")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	link := filepath.Join(t.TempDir(), "stdout")
	if err := os.Symlink(fmt.Sprintf("/proc/self/fd/%d", w.Fd()), link); err != nil {
		t.Fatal(err)
	}
	s, _ := diskSession(t)
	for _, line := range []string{"save " + link, "save --force " + link} {
		err := s.Exec(line)
		if err == nil || strings.Contains(err.Error(), "--force") || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("%s: %v, want a refusal naming a pipe, without --force", line, err)
		}
	}
}

// TestSaveThroughALinkLoop: links that lead back to themselves are refused
// in one line, and nothing is written.
func TestSaveThroughALinkLoop(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.Symlink("b", a); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a", b); err != nil {
		t.Fatal(err)
	}
	s, _ := diskSession(t)
	if err := s.Exec("save --force " + a); !errors.Is(err, ErrFile) || !strings.Contains(err.Error(), "symbolic links") {
		t.Errorf("save through a loop: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("files after a refused save: %v", ents)
	}
}
