package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fssim/fssim/internal/render"
	"github.com/fssim/fssim/internal/repl"
)

// These tests run fssim test in-process, through run, the whole program
// below main.

// inProcess runs fssim with args and returns stdout, stderr and the status.
func inProcess(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

const (
	cleanScenario = "# a clean scenario\nfs register ntfs\nfilter load av --notify\nmount C:\n! mount C:\nshow C:\n"
	// failingScenario has a line that fails without a '!'.
	failingScenario = "fs register ntfs\nfilter unload nope\nmount C:\n"
)

// writeTree writes files (path relative to a new temporary folder: text)
// and returns the folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// hasLine reports whether out has a line made of words, whatever the
// blanks between them.
func hasLine(out string, words ...string) bool {
	for _, line := range strings.Split(out, "\n") {
		if strings.Join(strings.Fields(line), " ") == strings.Join(words, " ") {
			return true
		}
	}
	return false
}

// transcript is what a golden file for scenario text holds.
func transcript(t *testing.T, name, text string) string {
	t.Helper()
	got, _, err := repl.Transcript(strings.NewReader(text), name)
	if err != nil {
		t.Fatal(err)
	}
	return string(got)
}

func TestTestCmdPass(t *testing.T) {
	const bText = "fs register fastfat\nmount E: --format fat32\n"
	dir := writeTree(t, map[string]string{
		"a.fss":     cleanScenario,
		"sub/b.fss": bText,
	})
	a, b := filepath.Join(dir, "a.fss"), filepath.Join(dir, "sub", "b.fss")
	for p, text := range map[string]string{a: cleanScenario, b: bText} {
		g := strings.TrimSuffix(p, ".fss") + ".golden"
		if err := os.WriteFile(g, []byte(transcript(t, filepath.ToSlash(p), text)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code := inProcess(t, "test", dir)
	if code != 0 {
		t.Fatalf("fssim test on matching goldens: status %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range [][]string{{"ok", a}, {"ok", b}, {"2 scenario(s): 2 ok, 0 failed"}} {
		if !hasLine(out, want...) {
			t.Errorf("fssim test output lacks the line %q:\n%s", want, out)
		}
	}
	if strings.Index(out, a) > strings.Index(out, b) {
		t.Errorf("scenarios are not in path order:\n%s", out)
	}
	if strings.Contains(out, "\x1b") || errOut != "" {
		t.Errorf("escape bytes or stderr output on a pass: stdout %q, stderr %q", out, errOut)
	}

	// One file named on its own.
	out, _, code = inProcess(t, "test", a)
	if code != 0 || !strings.Contains(out, "1 scenario(s): 1 ok, 0 failed") {
		t.Errorf("fssim test FILE: status %d\n%s", code, out)
	}
}

// TestTestCmdDefaultsToCurrentFolder runs fssim test with no path.
func TestTestCmdDefaultsToCurrentFolder(t *testing.T) {
	dir := writeTree(t, map[string]string{"x/a.fss": cleanScenario})
	t.Chdir(dir)
	if err := os.WriteFile("x/a.golden", []byte(transcript(t, "x/a.fss", cleanScenario)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := inProcess(t, "test")
	if code != 0 || !strings.Contains(out, "1 scenario(s): 1 ok, 0 failed") {
		t.Errorf("fssim test in a folder of scenarios: status %d\n%s%s", code, out, errOut)
	}
}

func TestTestCmdFailShowsDiff(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.fss": cleanScenario})
	a := filepath.Join(dir, "a.fss")
	golden := transcript(t, filepath.ToSlash(a), cleanScenario)
	// The golden says ntfs claimed C: with another name: one line differs.
	changed := strings.Replace(golden, "mounted by \\FileSystem\\Ntfs", "mounted by \\FileSystem\\Bogus", 1)
	if changed == golden {
		t.Fatalf("the transcript has no line to change:\n%s", golden)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.golden"), []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := inProcess(t, "test", dir)
	if code != 1 {
		t.Errorf("fssim test on a differing golden: status %d, want 1", code)
	}
	if !hasLine(out, "FAIL", a) {
		t.Errorf("no FAIL line for %s:\n%s", a, out)
	}
	for _, re := range []string{
		`(?m)^--- .*a\.golden$`,
		`(?m)^\+\+\+ .*a\.fss \(actual\)$`,
		`(?m)^@@ -\d+,\d+ \+\d+,\d+ @@ ` + regexp.QuoteMeta(filepath.ToSlash(a)) + `:4: mount C:$`,
		`(?m)^-C:.*mounted by \\FileSystem\\Bogus$`,
		`(?m)^\+C:.*mounted by \\FileSystem\\Ntfs$`,
		`(?m)^1 scenario\(s\): 0 ok, 1 failed$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("fssim test output does not match %s:\n%s", re, out)
		}
	}
	// The golden is left alone without --update.
	if b, _ := os.ReadFile(filepath.Join(dir, "a.golden")); string(b) != changed {
		t.Errorf("fssim test without --update changed the golden")
	}
}

func TestTestCmdUpdate(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"new.fss":    cleanScenario, // no golden: created
		"old.fss":    cleanScenario, // stale golden: updated
		"old.golden": "stale\n",
		"same.fss":   "fs list\n", // right golden: left alone
	})
	same := filepath.Join(dir, "same.fss")
	sameGolden := transcript(t, filepath.ToSlash(same), "fs list\n")
	if err := os.WriteFile(filepath.Join(dir, "same.golden"), []byte(sameGolden), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Unix(1e9, 0)
	if err := os.Chtimes(filepath.Join(dir, "same.golden"), old, old); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := inProcess(t, "test", "--update", dir)
	if code != 0 {
		t.Fatalf("fssim test --update: status %d, want 0\n%s%s", code, out, errOut)
	}
	for _, want := range [][]string{
		{"created", filepath.Join(dir, "new.golden")},
		{"updated", filepath.Join(dir, "old.golden")},
		{"ok", same},
		{"3 scenario(s): 3 ok, 0 failed, 2 golden file(s) written"},
	} {
		if !hasLine(out, want...) {
			t.Errorf("fssim test --update output lacks the line %q:\n%s", want, out)
		}
	}
	for _, name := range []string{"new", "old"} {
		p := filepath.Join(dir, name+".fss")
		b, err := os.ReadFile(filepath.Join(dir, name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		if want := transcript(t, filepath.ToSlash(p), cleanScenario); string(b) != want {
			t.Errorf("%s.golden after --update:\n%s\nwant:\n%s", name, b, want)
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "same.golden")); err != nil || !st.ModTime().Equal(old) {
		t.Errorf("--update rewrote a golden that was right (stat %v)", err)
	}

	// What --update wrote is what fssim run prints with color off, and
	// fssim test now passes.
	var runOut, runErr bytes.Buffer
	if code := run([]string{"run", "--color=never", filepath.Join(dir, "new.fss")}, strings.NewReader(""), &runOut, &runErr); code != 0 {
		t.Fatalf("fssim run new.fss: status %d: %s", code, runErr.String())
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "new.golden")); !bytes.Equal(b, runOut.Bytes()) {
		t.Errorf("the golden differs from fssim run's transcript:\n%s\nrun:\n%s", b, runOut.String())
	}
	out, _, code = inProcess(t, "test", dir)
	if code != 0 || !strings.Contains(out, "3 scenario(s): 3 ok, 0 failed\n") {
		t.Errorf("fssim test after --update: status %d\n%s", code, out)
	}
}

func TestTestCmdNothingFound(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"empty folder":     nil,
		"only other files": {"notes.txt": "x", "sub/readme.md": "x"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeTree(t, files)
			out, errOut, code := inProcess(t, "test", dir)
			if code != 2 {
				t.Errorf("fssim test on %s: status %d, want 2", name, code)
			}
			if !strings.Contains(errOut, "no scenario found in "+dir+":") || !strings.Contains(errOut, "X.fss") {
				t.Errorf("fssim test on %s: stderr %q, want a message that says what test looks for", name, errOut)
			}
			if out != "" {
				t.Errorf("fssim test on %s printed %q on stdout", name, out)
			}
		})
	}
}

// TestTestCmdMissingGolden: every .fss under the paths named is a test, and
// one without its golden fails with one line that says how to make it.
func TestTestCmdMissingGolden(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.fss": cleanScenario, "lonely.fss": "fs list\n", "my lessons/x.fss": "fs list\n"})
	a := filepath.Join(dir, "a.fss")
	os.WriteFile(filepath.Join(dir, "a.golden"), []byte(transcript(t, filepath.ToSlash(a), cleanScenario)), 0o644)
	lonely := filepath.Join(dir, "lonely.fss")
	spaced := filepath.Join(dir, "my lessons", "x.fss")
	out, errOut, code := inProcess(t, "test", dir)
	if code != 1 {
		t.Errorf("fssim test with a .fss that has no golden: status %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"ok    " + a + "\n",
		"FAIL  " + lonely + ": no golden: run fssim test --update " + lonely + "\n",
		"FAIL  " + spaced + ": no golden: run fssim test --update '" + spaced + "'\n",
		"3 scenario(s): 1 ok, 2 failed\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("fssim test output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "lonely") != 2 {
		t.Errorf("the missing golden took more than its one line:\n%s", out)
	}
	// Named on its own, it fails the same way.
	out, _, code = inProcess(t, "test", lonely)
	if code != 1 || !strings.Contains(out, "FAIL  "+lonely+": no golden") || !strings.Contains(out, "1 scenario(s): 0 ok, 1 failed") {
		t.Errorf("fssim test FILE without a golden: status %d\n%s", code, out)
	}
	// The suggested command works: afterwards the scenario passes.
	if _, _, code := inProcess(t, "test", "--update", lonely); code != 0 {
		t.Fatalf("fssim test --update %s: status %d", lonely, code)
	}
	if out, _, code := inProcess(t, "test", lonely); code != 0 {
		t.Errorf("after --update: status %d\n%s", code, out)
	}
}

// TestTestCmdOrphanGolden: a .golden whose .fss is gone is reported and
// fails the run, with or without --update, and is left in place.
func TestTestCmdOrphanGolden(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.fss": "fs list\n", "gone.golden": "old\n", "sub/also.golden": "old\n"})
	a := filepath.Join(dir, "a.fss")
	os.WriteFile(filepath.Join(dir, "a.golden"), []byte(transcript(t, filepath.ToSlash(a), "fs list\n")), 0o644)
	for _, args := range [][]string{{"test", dir}, {"test", "--update", dir}} {
		out, errOut, code := inProcess(t, args...)
		if code != 1 {
			t.Errorf("fssim %v with orphan goldens: status %d, want 1\n%s%s", args, code, out, errOut)
		}
		for _, want := range []string{
			"ok    " + a + "\n",
			"FAIL  " + filepath.Join(dir, "gone.golden") + ": orphan golden: no gone.fss beside it (delete it or restore the scenario)\n",
			"FAIL  " + filepath.Join(dir, "sub", "also.golden") + ": orphan golden: no also.fss beside it (delete it or restore the scenario)\n",
			"3 scenario(s): 1 ok, 2 failed",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("fssim %v output lacks %q:\n%s", args, want, out)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "gone.golden")); err != nil {
			t.Errorf("fssim %v removed the orphan: %v", args, err)
		}
	}
	// Only an orphan: that is a failure, not "nothing found".
	dir = writeTree(t, map[string]string{"a.golden": "x\n"})
	out, _, code := inProcess(t, "test", dir)
	if code != 1 || !strings.Contains(out, "orphan golden") {
		t.Errorf("fssim test on a lone orphan: status %d, want 1\n%s", code, out)
	}
}

// TestTestCmdCRLFGolden: a golden checked out with CRLF endings matches;
// a CR that does not end a line is content; --update writes LF.
func TestTestCmdCRLFGolden(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.fss": cleanScenario})
	a, g := filepath.Join(dir, "a.fss"), filepath.Join(dir, "a.golden")
	lf := transcript(t, filepath.ToSlash(a), cleanScenario)
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	os.WriteFile(g, []byte(crlf), 0o644)
	out, errOut, code := inProcess(t, "test", dir)
	if code != 0 || !strings.Contains(out, "1 scenario(s): 1 ok, 0 failed") {
		t.Errorf("a CRLF golden of the right transcript: status %d, want 0\n%s%s", code, out, errOut)
	}
	// --update leaves a golden that matches alone, line endings and all.
	if out, _, code := inProcess(t, "test", "--update", dir); code != 0 || !strings.Contains(out, "0 golden file(s) written") {
		t.Errorf("--update on a matching CRLF golden: status %d\n%s", code, out)
	}
	if b, _ := os.ReadFile(g); string(b) != crlf {
		t.Errorf("--update rewrote a CRLF golden that matched")
	}

	// A lone CR inside a line is a difference.
	i := strings.Index(lf, "mount C:")
	os.WriteFile(g, []byte(lf[:i]+"mount\rC:"+lf[i+len("mount C:"):]), 0o644)
	out, _, code = inProcess(t, "test", dir)
	if code != 1 || !strings.Contains(out, "1 scenario(s): 0 ok, 1 failed") {
		t.Errorf("a golden with a lone CR in a line: status %d, want 1\n%s", code, out)
	}

	// A stale CRLF golden is rewritten with LF endings.
	os.WriteFile(g, []byte(strings.Replace(crlf, "mount C:", "mount D:", 1)), 0o644)
	if out, _, code := inProcess(t, "test", "--update", dir); code != 0 || !hasLine(out, "updated", g) {
		t.Errorf("--update on a stale CRLF golden: status %d\n%s", code, out)
	}
	if b, _ := os.ReadFile(g); string(b) != lf {
		t.Errorf("--update wrote %q, want the LF transcript %q", b, lf)
	}
}

// TestTestCmdSameFileOnce: a scenario reached by several names is tested
// once, under the first name.
func TestTestCmdSameFileOnce(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.fss": "fs list\n", "sub/b.fss": "fs list\n", "sub/gone.golden": "x\n"})
	for _, p := range []string{"a.fss", "sub/b.fss"} {
		os.WriteFile(filepath.Join(dir, strings.TrimSuffix(p, ".fss")+".golden"), []byte(transcript(t, p, "fs list\n")), 0o644)
	}
	t.Chdir(dir)
	for _, tc := range []struct {
		args      []string
		total, ok int
	}{
		{[]string{"a.fss", "a.fss"}, 1, 1},
		{[]string{"./a.fss", "a.fss", filepath.Join(dir, "a.fss")}, 1, 1},
		{[]string{".", "a.fss", "sub/b.fss", "./sub"}, 3, 2},
		{[]string{"sub", "sub/../sub/b.fss", "sub/"}, 2, 1},
	} {
		out, errOut, _ := inProcess(t, append([]string{"test"}, tc.args...)...)
		want := fmt.Sprintf("%d scenario(s): %d ok, %d failed\n", tc.total, tc.ok, tc.total-tc.ok)
		if !strings.HasSuffix(out, want) {
			t.Errorf("fssim test %v: want the summary %q\n%s%s", tc.args, want, out, errOut)
		}
		if n := strings.Count(out, "b.fss\n"); n > 1 || strings.Count(out, "gone.golden") > 1 {
			t.Errorf("fssim test %v reported a file twice:\n%s", tc.args, out)
		}
	}
}

func TestTestCmdBadPath(t *testing.T) {
	dir := t.TempDir()
	_, errOut, code := inProcess(t, "test", filepath.Join(dir, "missing"))
	if code != 2 || !strings.Contains(errOut, "no such file") {
		t.Errorf("fssim test on a missing path: status %d, stderr %q; want 2 and a message", code, errOut)
	}
	txt := filepath.Join(dir, "a.txt")
	os.WriteFile(txt, []byte("x"), 0o644)
	_, errOut, code = inProcess(t, "test", txt)
	if code != 2 || !strings.Contains(errOut, "not a .fss") {
		t.Errorf("fssim test on a .txt file: status %d, stderr %q; want 2 and a message", code, errOut)
	}
}

// TestTestCmdUnexpectedFailure: a line that fails without '!' fails the
// scenario even when the golden, error and all, matches.
func TestTestCmdUnexpectedFailure(t *testing.T) {
	dir := writeTree(t, map[string]string{"bad.fss": failingScenario})
	bad := filepath.Join(dir, "bad.fss")
	golden := transcript(t, filepath.ToSlash(bad), failingScenario)
	if !strings.Contains(golden, "bad.fss:2: error:") {
		t.Fatalf("the scenario does not fail at line 2:\n%s", golden)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.golden"), []byte(golden), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := inProcess(t, "test", dir)
	if code != 1 {
		t.Errorf("a scenario with a failing line: status %d, want 1", code)
	}
	if !hasLine(out, "FAIL", bad, "(1 line(s) failed)") {
		t.Errorf("no FAIL line naming the failed line:\n%s", out)
	}
	if strings.Contains(out, "@@") {
		t.Errorf("a diff was printed though the golden matches:\n%s", out)
	}
	if !strings.Contains(out, "1 scenario(s): 0 ok, 1 failed") {
		t.Errorf("summary:\n%s", out)
	}

	// --update writes the golden but still fails, and says why.
	os.Remove(filepath.Join(dir, "bad.golden"))
	out, _, code = inProcess(t, "test", "--update", dir)
	if code != 1 || !regexp.MustCompile(`(?m)^FAIL +`+regexp.QuoteMeta(bad)+` \(created `).MatchString(out) || !strings.Contains(out, "1 line(s) failed") {
		t.Errorf("--update on a failing scenario: status %d, want 1 and a FAIL line:\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.golden")); err != nil {
		t.Errorf("--update did not write the golden of a failing scenario: %v", err)
	}
}

// TestTestCmdMixed: one failing scenario among passing ones fails the run,
// and each is reported.
func TestTestCmdMixed(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.fss": cleanScenario, "b.fss": cleanScenario, "c.fss": cleanScenario})
	for _, n := range []string{"a", "b", "c"} {
		g := transcript(t, filepath.ToSlash(filepath.Join(dir, n+".fss")), cleanScenario)
		if n == "b" {
			g += "one more line\n"
		}
		os.WriteFile(filepath.Join(dir, n+".golden"), []byte(g), 0o644)
	}
	out, _, code := inProcess(t, "test", dir)
	if code != 1 {
		t.Errorf("status %d, want 1", code)
	}
	for _, want := range [][]string{{"ok", filepath.Join(dir, "a.fss")}, {"FAIL", filepath.Join(dir, "b.fss")},
		{"ok", filepath.Join(dir, "c.fss")}, {"-one more line"}, {"3 scenario(s): 2 ok, 1 failed"}} {
		if !hasLine(out, want...) {
			t.Errorf("output lacks the line %q:\n%s", want, out)
		}
	}
}

// streamLog records the writes of two streams in the order they happen,
// as a terminal or a CI log that shows both would.
type streamLog struct{ b strings.Builder }

type taggedWriter struct {
	log *streamLog
	tag string
}

func (w taggedWriter) Write(p []byte) (int, error) {
	for _, line := range strings.SplitAfter(string(p), "\n") {
		if line != "" {
			w.log.b.WriteString(w.tag + line)
		}
	}
	return len(p), nil
}

// TestStderrReportFollowsTranscript: when stderr is its own stream, the
// transcript is flushed before a failing line is reported there, so where
// both streams meet the report comes right after the transcript's own
// error line, not ahead of the buffered transcript.
func TestStderrReportFollowsTranscript(t *testing.T) {
	bad := filepath.Join(writeTree(t, map[string]string{"bad.fss": "fs register ntfs\nmount C:\nbogus\nshow\n"}), "bad.fss")
	for name, args := range map[string][]string{
		"run": {"run", bad},
		"-c":  {"-c", "fs register ntfs; mount C:; bogus; show"},
	} {
		var log streamLog
		code := run(args, strings.NewReader(""), taggedWriter{&log, "out|"}, taggedWriter{&log, "err|"})
		got := log.b.String()
		if code != 1 {
			t.Errorf("%s: status %d, want 1", name, code)
		}
		re := regexp.MustCompile(`(?m)^out\|\S+:3: error: unknown command "bogus".*\nerr\|fssim: \S+:3: error: unknown command "bogus"`)
		if !re.MatchString(got) || strings.Count(got, "err|") != 1 {
			t.Errorf("%s: the stderr report does not follow the transcript's error line:\n%s", name, got)
		}
	}
}

// labScenario has a comment, a blank line and a '!' line, so scenario line
// numbers and transcript lines part ways.
const labScenario = "# intro comment\nfs register ntfs\n\nfilter load av --notify\nmount C:\n! mount C:\nshow C:\n"

// labGolden is the transcript of labScenario with four changes, far enough
// apart to make four hunks, and the header each hunk must carry: the
// scenario line whose echo or output its first change belongs to.
func labGolden(t *testing.T, name string) (string, []string) {
	t.Helper()
	lines := strings.SplitAfter(transcript(t, name, labScenario), "\n")
	edit := func(i int, want, to string) {
		if !strings.HasPrefix(lines[i], want) {
			t.Fatalf("transcript line %d is %q, want it to start with %q", i+1, lines[i], want)
		}
		lines[i] = to
	}
	edit(0, "# intro comment", "# old intro\n")                                             // a changed echo of a comment
	edit(9, "DriverEntry(\\FileSystem\\av)", "")                                            // a line the golden lacks
	edit(28, "      STATUS_SUCCESS", "      STATUS_SUCCESS\n  extra\n")                     // a line only the golden has
	edit(38, "refused as expected: volume \"C:\"", "refused as expected: something else\n") // a '!' line's refusal
	return strings.Join(lines, ""), []string{
		name + ":1: # intro comment",
		name + ":4: filter load av --notify",
		name + ":5: mount C:",
		name + ":6: ! mount C:",
	}
}

// TestTestCmdHunkNamesScenarioLine: each hunk header ends with the scenario
// line that its first change comes from, numbered as in error positions,
// also for a CRLF scenario with a BOM.
func TestTestCmdHunkNamesScenarioLine(t *testing.T) {
	for name, text := range map[string]string{
		"LF":       labScenario,
		"CRLF+BOM": "\uFEFF" + strings.ReplaceAll(labScenario, "\n", "\r\n"),
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"lab.fss": text})
			p := filepath.Join(dir, "lab.fss")
			golden, labels := labGolden(t, filepath.ToSlash(p))
			os.WriteFile(filepath.Join(dir, "lab.golden"), []byte(golden), 0o644)
			out, _, code := inProcess(t, "test", p)
			if code != 1 {
				t.Fatalf("status %d, want 1\n%s", code, out)
			}
			var got []string
			for _, m := range regexp.MustCompile(`(?m)^@@ -\d+,\d+ \+\d+,\d+ @@ (.*)$`).FindAllStringSubmatch(out, -1) {
				got = append(got, m[1])
			}
			if strings.Join(got, "\n") != strings.Join(labels, "\n") {
				t.Errorf("hunk headers name %q, want %q\n%s", got, labels, out)
			}
		})
	}
}

// TestTestCmdDiffColor: the diff is colored with --color=always (as on a
// terminal) and holds no escape byte with color off.
func TestTestCmdDiffColor(t *testing.T) {
	dir := writeTree(t, map[string]string{"lab.fss": labScenario})
	p := filepath.Join(dir, "lab.fss")
	g := filepath.Join(dir, "lab.golden")
	golden, labels := labGolden(t, filepath.ToSlash(p))
	os.WriteFile(g, []byte(golden), 0o644)

	out, _, code := inProcess(t, "test", "--color=always", p)
	if code != 1 {
		t.Fatalf("status %d, want 1\n%s", code, out)
	}
	th := render.NewTheme(true)
	for _, want := range []string{
		"\n" + th.Bold("--- "+g) + "\n" + th.Bold("+++ "+filepath.ToSlash(p)+" (actual)") + "\n",
		"\n" + th.DiffHunk("@@ -1,4 +1,4 @@") + " " + labels[0] + "\n",
		"\n" + th.DiffDel("-# old intro") + "\n" + th.DiffAdd("+# intro comment") + "\n",
		"\n" + th.DiffAdd(`+DriverEntry(\FileSystem\av)`) + "\n",
		"\n" + th.DiffDel("-  extra") + "\n",
		"\n fssim> fs register ntfs\n", // context lines stay plain
	} {
		if !strings.Contains(out, want) {
			t.Errorf("colored diff lacks %q:\n%s", want, out)
		}
	}
	if th.DiffDel("x") == "x" || th.DiffAdd("x") == th.DiffDel("x") || th.DiffHunk("x") == "x" {
		t.Errorf("the theme does not color diffs: %q %q %q", th.DiffDel("x"), th.DiffAdd("x"), th.DiffHunk("x"))
	}

	for _, args := range [][]string{{"test", p}, {"test", "--color=never", p}} {
		out, _, _ := inProcess(t, args...)
		if !strings.Contains(out, "@@ -1,4 +1,4 @@ "+labels[0]+"\n-# old intro\n+# intro comment\n") {
			t.Errorf("fssim %v: no plain diff:\n%s", args, out)
		}
		if strings.IndexByte(out, 0x1b) >= 0 {
			t.Errorf("fssim %v: an escape byte with color off:\n%q", args, out)
		}
	}
}

// TestTestCmdDiffShowsControlBytes: a stray CR or escape byte in a golden
// is shown escaped in the diff, not sent to the terminal.
func TestTestCmdDiffShowsControlBytes(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.fss": "fs list\n"})
	p := filepath.Join(dir, "a.fss")
	got := transcript(t, filepath.ToSlash(p), "fs list\n")
	bad := strings.Replace(got, "fs list", "fs\rlist\x1b[2J", 1)
	os.WriteFile(filepath.Join(dir, "a.golden"), []byte(bad), 0o644)
	out, _, code := inProcess(t, "test", "--color=never", p)
	if code != 1 || !strings.Contains(out, `-fssim> fs\rlist\x1b[2J`) || strings.ContainsAny(out, "\r\x1b") {
		t.Errorf("status %d; want the CR and ESC shown escaped:\n%q", code, out)
	}
}

// TestTestCmdUpdateLeavesOddGoldensAlone (issue 13.2): --update writes no
// golden that is not a regular file: a golden linked to another file, or a
// folder, is reported and left as it was, and the other goldens are still
// written.
func TestTestCmdUpdateLeavesOddGoldensAlone(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"linked.fss": cleanScenario, "other.txt": "not a golden\n",
		"folder.fss": cleanScenario, "folder.golden/keep": "x",
		"plain.fss": cleanScenario,
	})
	if err := os.Symlink("other.txt", filepath.Join(dir, "linked.golden")); err != nil {
		t.Fatal(err)
	}
	out, _, code := inProcess(t, "test", "--update", dir)
	if code != exitFailed {
		t.Errorf("status %d, want %d\n%s", code, exitFailed, out)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "other.txt")); string(b) != "not a golden\n" {
		t.Errorf("the file a golden links to now holds %q", b)
	}
	if st, err := os.Lstat(filepath.Join(dir, "linked.golden")); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the linked golden is no longer a link: %v", err)
	}
	if st, err := os.Stat(filepath.Join(dir, "folder.golden")); err != nil || !st.IsDir() {
		t.Errorf("the folder golden is no longer a folder: %v", err)
	}
	for _, want := range []string{"linked.fss: cannot write the golden to " + filepath.Join(dir, "linked.golden") + ": it is a symbolic link, not a regular file; it is left alone",
		"folder.fss: cannot read its golden " + filepath.Join(dir, "folder.golden") + ": it is a folder, not a regular file (it is left alone)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "plain.golden")); err != nil || len(b) == 0 {
		t.Errorf("plain.golden was not written: %v", err)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}
