package main

// End-to-end tests of bad input, one per class the robustness issue names:
// very long lines, hostile bytes in names, 10,000 filters on one volume, a
// scenario that never ends on stdin, a reader that goes away, and an output
// that cannot be written. Each runs fssim the way a user or CI does: in
// process through run where a pipe or a file is all it takes (rbRun), as a
// process (fssimBin) where the test kills it, reads its memory, or needs the
// kernel's SIGPIPE. FuzzRun throws whole scenario files at fssim run.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fssim/fssim/internal/longtest"
	"github.com/fssim/fssim/internal/repl"
)

type rbResult struct {
	stdout, stderr []byte
	code           int
}

// rbRun runs fssim in process (run, the whole program below main) with
// stdin and returns what it wrote and its status.
func rbRun(t *testing.T, stdin []byte, args ...string) rbResult {
	t.Helper()
	setEnv(t, "NO_COLOR=1")
	var out, errb bytes.Buffer
	code := run(args, bytes.NewReader(stdin), &out, &errb)
	return rbResult{out.Bytes(), errb.Bytes(), code}
}

// rawControl returns the first byte a terminal would act on: C0 controls
// other than newline and tab, DEL, and the C1 controls as UTF-8 (U+0080 to
// U+009F), or -1.
func rawControl(b []byte) int {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
			return i
		}
		if c == 0xc2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f {
			return i
		}
	}
	return -1
}

func checkNoRawControl(t *testing.T, what string, b []byte) {
	t.Helper()
	if i := rawControl(b); i >= 0 {
		lo := max(0, i-40)
		t.Errorf("%s holds a raw control byte 0x%02x at %d: %q", what, b[i], i, b[lo:min(len(b), i+40)])
	}
}

func errLines(b []byte) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// TestRobustLongLines: a 1 MB line is one clear error and the run goes on
// under --keep-going; so is a line longer than repl.MaxLine, which is not
// even held in memory whole.
func TestRobustLongLines(t *testing.T) {
	for _, size := range []int{1 << 20, 5 << 20} {
		t.Run(strconv.Itoa(size), func(t *testing.T) {
			var in bytes.Buffer
			in.WriteString("fs register ntfs\n")
			in.WriteString("filter load " + strings.Repeat("a", size) + "\n")
			in.WriteString("mount C:\n")
			in.WriteString("show --json\n")
			r := rbRun(t, in.Bytes(), "run", "--keep-going", "--color=never", "-")
			if r.code != 1 {
				t.Errorf("status %d, want 1 (a line failed)", r.code)
			}
			errs := errLines(r.stderr)
			if len(errs) != 1 || !strings.HasPrefix(errs[0], "fssim: -:2: error: ") {
				t.Fatalf("stderr should be one error for line 2, got %d lines: %.300q", len(errs), r.stderr)
			}
			if len(errs[0]) > 300 {
				t.Errorf("the error line is %d bytes long: it should not echo the line", len(errs[0]))
			}
			if len(r.stdout) > 10000 {
				t.Errorf("the transcript is %d bytes: the long line should be echoed cut short", len(r.stdout))
			}
			if !bytes.Contains(r.stdout, []byte(`"name":"C:"`)) {
				t.Errorf("the run did not go on to mount C: and show it")
			}
		})
	}
}

// TestRobustHostileNames: NUL bytes, invalid UTF-8, control characters and
// terminal escape sequences are refused by name validation, nothing is
// echoed raw, and the lab built before them is intact.
func TestRobustHostileNames(t *testing.T) {
	hostile := []string{
		"a\x00b", "\xff\xfe\xfd", "\x1b[31mred\x1b[0m", "\x1b]0;pwned\x07", "tab\tbed", "bell\x07",
		"c1\xc2\x9bcsi", "del\x7f", "\x1bP+q\x1b\\", "nul\x00", "cr\rcr", "é",
	}
	templates := []string{
		"filter load %s", "filter load %s --notify", "fs register %s", "fs unregister %s", "mount %s",
		"mount Q: --format %s", "filter attach %s C:", "filter attach av %s", "filter detach av %s",
		"filter unload %s", "filter notify %s", "show %s", "devstack %s", "help %s", "%s",
		"show C: --%s", "mount D: --media %s", "os %s", "fs register x --type %s",
	}
	var in bytes.Buffer
	in.WriteString("fs register ntfs\nfilter load av --notify\nmount C:\n")
	n := 0 // verbs: ';' separates verbs, so a line holding one is two refusals
	for _, tpl := range templates {
		for _, h := range hostile {
			line := fmt.Sprintf(tpl, h)
			in.WriteString(line + "\n")
			n += 1 + strings.Count(line, ";")
		}
	}
	in.WriteString("show --json\n")
	r := rbRun(t, in.Bytes(), "run", "--keep-going", "--color=never", "-")
	if r.code != 1 {
		t.Errorf("status %d, want 1", r.code)
	}
	checkNoRawControl(t, "stdout", r.stdout)
	checkNoRawControl(t, "stderr", r.stderr)
	if errs := errLines(r.stderr); len(errs) != n {
		t.Errorf("%d error lines for %d hostile verbs", len(errs), n)
	}
	// The last line of the transcript is the JSON of a lab that still has
	// av on C:, as before the hostile lines.
	lines := errLines(r.stdout)
	var st struct {
		Volumes []struct {
			Name  string   `json:"name"`
			Stack []string `json:"stack"`
		} `json:"volumes"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &st); err != nil {
		t.Fatalf("last line is not the JSON state: %v", err)
	}
	if len(st.Volumes) != 1 || strings.Join(st.Volumes[0].Stack, " ") != "av ntfs" {
		t.Errorf("the lab changed: %+v", st.Volumes)
	}
}

// TestRobustTenThousandFiltersLong: 10,000 notify filters all land on one
// volume (and on \Ntfs), and every view of it works. The transcript stays
// linear in the verbs: each verb lists the stacks it changed as their top
// and bottom 10 rows, not all 10,000 (the time is scripts/bench.sh's).
func TestRobustTenThousandFiltersLong(t *testing.T) {
	longtest.Skip(t, "10,000 filters")
	const n = 10000
	var in bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&in, "filter load f%05d --notify\n", i)
	}
	in.WriteString("fs register ntfs\nmount C:\nfilter load cmd\nfilter attach cmd C:\nfilter detach f05000 C:\n")
	in.WriteString("show C:\ndevstack C:\nfilter list\nfs list\nshow --json C:\n")
	start := time.Now()
	r := rbRun(t, in.Bytes(), "run", "--color=never", "-")
	if r.code != 0 || len(r.stderr) > 0 {
		t.Fatalf("status %d, stderr %.500s", r.code, r.stderr)
	}
	lines := errLines(r.stdout)
	var st struct {
		Stack []string `json:"stack"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &st); err != nil {
		t.Fatalf("last line is not JSON: %v", err)
	}
	// Detaching f05000 tears down it and everything above it (MODEL rule
	// 23): f05001 to f09999 and cmd go too.
	if len(st.Stack) != n/2+1 || st.Stack[0] != "f04999" || st.Stack[n/2] != "ntfs" {
		t.Errorf("C: has %d devices (want %d), top %q", len(st.Stack), n/2+1, st.Stack[0])
	}
	if len(r.stdout) > 20e6 {
		t.Errorf("%d bytes of transcript for %d verbs: want under 20 MB", len(r.stdout), n+10)
	}
	t.Logf("10,000 filters: %v, %d bytes of transcript", time.Since(start), len(r.stdout))
}

// TestRobustTenThousandAttachesLong: 10,000 filters attached one by one to one
// volume by command. Each attach lists C:, deeper each time; listed whole
// that was 3 GB of transcript (n squared), listed as its ends it is about
// 1.5 KB a verb.
func TestRobustTenThousandAttachesLong(t *testing.T) {
	longtest.Skip(t, "10,000 filters")
	size := func(n int) int {
		var in bytes.Buffer
		in.WriteString("fs register ntfs\nmount C:\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&in, "filter load f%05d\nfilter attach f%05d C:\n", i, i)
		}
		r := rbRun(t, in.Bytes(), "run", "--color=never", "-")
		if r.code != 0 || len(r.stderr) > 0 {
			t.Fatalf("status %d, stderr %.500s", r.code, r.stderr)
		}
		if n > 0 && !bytes.Contains(r.stdout, []byte(fmt.Sprintf("  … %d more devices …\n", n+1-20))) {
			t.Errorf("%d filters: the last listing does not say it left out %d devices", n, n+1-20)
		}
		return len(r.stdout)
	}
	half, full := size(5000), size(10000)
	if full > 20e6 {
		t.Errorf("%d bytes of transcript for 20,002 verbs: want under 20 MB", full)
	}
	// Linear: twice the verbs, twice the bytes (names grow a digit or so).
	if float64(full) > 2.1*float64(half) {
		t.Errorf("transcript of 10,000 attaches is %d bytes, of 5,000 %d: not linear", full, half)
	}
	t.Logf("10,000 attaches: %d bytes; 5,000: %d bytes", full, half)
}

// TestRobustStdinAsItComes: fssim run - answers each line as it arrives,
// before stdin ends, as a pipe from a slow producer needs. Each line is
// written only once the one before it has been answered.
func TestRobustStdinAsItComes(t *testing.T) {
	inR, stdin := io.Pipe()
	stdoutR, stdout := io.Pipe()
	status := make(chan int, 1)
	go func() {
		code := run([]string{"run", "--color=never", "-"}, inR, stdout, io.Discard)
		stdout.Close()
		status <- code
	}()
	defer stdin.Close()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdoutR)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, stdoutR)
	}()
	expect := func(want string) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("output ended before %q", want)
				}
				if strings.Contains(l, want) {
					return
				}
			case <-deadline:
				t.Fatalf("no %q within 10s while stdin stays open", want)
			}
		}
	}
	io.WriteString(stdin, "fs register ntfs\n")
	expect("IoRegisterFileSystem(\\Ntfs)")
	io.WriteString(stdin, "mount C:\n")
	expect("claims C:")
	stdin.Close()
	select {
	case code := <-status:
		if code != 0 {
			t.Errorf("after EOF: status %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("fssim run - did not end after EOF")
	}
}

// TestRobustEndlessStdinLong: a scenario that never ends keeps being processed
// in bounded memory, and the process can be killed cleanly. RSS is read
// twice, after amounts of scenario, not of time: once the session's bounded
// records (the history, 1 MiB of verbs; explain's spans) are full, and again
// after as many verbs more. About 3 s (more under -race): not in -short.
func TestRobustEndlessStdinLong(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads VmRSS from /proc")
	}
	longtest.Skip(t, "runs about 150,000 verbs")
	cmd := exec.Command(fssimBin(t), "run", "--color=never", "-")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var outBytes int64
	done := make(chan struct{})
	go func() {
		n, _ := io.Copy(io.Discard, stdout)
		outBytes = n
		close(done)
	}()
	// written is how much scenario fssim has taken from the pipe (give or
	// take the pipe's 64 KiB); reached[i] closes once it passes marks[i].
	const early, late = 5 << 18, 5 << 19 // 1.25 MiB and 2.5 MiB
	marks := []int64{early, late}
	reached := []chan struct{}{make(chan struct{}), make(chan struct{})}
	go func() {
		w := bufio.NewWriter(stdin)
		w.WriteString("fs register ntfs\nfilter load av --notify\nfilter load cmd\nmount C:\n")
		var written int64
		for next := 0; ; {
			n, err := w.WriteString("filter attach cmd C:\nfilter detach cmd C:\ndismount C:\nmount C:\nshow --json\n")
			if err != nil {
				return // the process was killed
			}
			written += int64(n)
			if next < len(marks) && written >= marks[next] {
				w.Flush()
				close(reached[next])
				next++
			}
		}
	}()
	rss := func() int {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
				n, _ := strconv.Atoi(f[1])
				return n
			}
		}
		t.Fatal("no VmRSS")
		return 0
	}
	wait := func(i int) {
		t.Helper()
		select {
		case <-reached[i]:
		case <-time.After(2 * time.Minute):
			cmd.Process.Kill()
			t.Fatalf("fssim took under %d bytes of scenario in 2 minutes", marks[i])
		}
	}
	wait(0)
	earlyRSS := rss()
	wait(1)
	lateRSS := rss()
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	<-done
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != -1 {
		t.Errorf("after kill: %v, want killed by a signal", err)
	}
	t.Logf("RSS %d KB after %d KiB of scenario, %d KB after %d KiB; %d bytes of transcript", earlyRSS, early>>10, lateRSS, late>>10, outBytes)
	if outBytes < 1<<20 {
		t.Errorf("only %d bytes of output for %d KiB of scenario: the endless scenario is not being processed", outBytes, late>>10)
	}
	if lateRSS > earlyRSS*3/2+8<<10 {
		t.Errorf("RSS grew from %d KB to %d KB on an endless scenario", earlyRSS, lateRSS)
	}
}

// TestRobustClosedStdoutLong: fssim run big.fss | head -1 ends quietly, with
// nothing on stderr, and with the status a Unix tool has there. Each case
// names the one status it must have, and bash's PIPESTATUS gives fssim's own
// (pipefail would mix in yes's 141 and hide fssim's):
//
//   - 141 (SIGPIPE) when fssim still has output to write once head has gone.
//     The big scenario's transcript is about 15 MB, far more than a pipe
//     holds (64 KiB on Linux), and the yes scenario never ends, so fssim is
//     always still writing when head exits: a write to fd 1 then raises
//     SIGPIPE, and Go ends the process with it.
//   - Also 141 with SIGPIPE ignored by the shell (the trap case): Go installs
//     its own SIGPIPE handler whatever the inherited setting, and a broken
//     pipe on fd 1 or 2 still ends the process by SIGPIPE (os/signal, "SIGPIPE").
//     fssim's quiet EPIPE path is for other writers: TestRunReaderGone.
//   - 0 for the tour: its transcript (checked below to stay under 64 KiB)
//     goes out in one write into an empty pipe, which cannot fail, before
//     head has read a byte; fssim has nothing left to write when head exits.
func TestRobustClosedStdoutLong(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the statuses below assume Linux pipes (64 KiB)")
	}
	dir := t.TempDir()
	big := filepath.Join(dir, "big.fss")
	var b bytes.Buffer
	b.WriteString("fs register ntfs\nfilter load av --notify\nfilter load cmd\nmount C:\n")
	for i := 0; i < 20000; i++ {
		b.WriteString("filter attach cmd C:\nfilter detach cmd C:\n")
	}
	if err := os.WriteFile(big, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var tour bytes.Buffer
	if code := run([]string{"tour"}, strings.NewReader(""), &tour, io.Discard); code != 0 || tour.Len() >= 60<<10 {
		t.Fatalf("fssim tour: status %d, %d bytes: the tour case below needs 0 and under 60 KiB", code, tour.Len())
	}
	bin := fssimBin(t)
	for _, tc := range []struct {
		pipeline string
		fssim    int // fssim's place in the pipeline
		want     int // fssim's status
	}{
		{`"$FSSIM" run "$BIG" | head -1`, 0, 141},
		{`"$FSSIM" run - < "$BIG" | head -1`, 0, 141},
		{`yes 'show --json' | "$FSSIM" run - | head -c 100`, 1, 141},
		{`trap '' PIPE; "$FSSIM" run "$BIG" | head -1`, 0, 141},
		{`"$FSSIM" tour | head -1`, 0, 0},
	} {
		t.Run(tc.pipeline, func(t *testing.T) {
			if longtest.Short(t) && tc.want != 0 {
				t.Skip("-short: writes 15 MB or more into the pipe")
			}
			cmd := exec.Command("bash", "-c", tc.pipeline+` >/dev/null; echo "${PIPESTATUS[*]}"`)
			cmd.Env = append(os.Environ(), "FSSIM="+bin, "BIG="+big)
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			done := make(chan error, 1)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			go func() { done <- cmd.Wait() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the pipeline did not end within 30s")
			}
			if err != nil {
				t.Fatalf("bash: %v", err)
			}
			st := strings.Fields(out.String())
			if len(st) <= tc.fssim {
				t.Fatalf("PIPESTATUS %q has no status for fssim", out.String())
			}
			if st[tc.fssim] != strconv.Itoa(tc.want) {
				t.Errorf("fssim's status %s, want %d (all: %s)", st[tc.fssim], tc.want, out.String())
			}
			if last := st[len(st)-1]; last != "0" {
				t.Errorf("the reader's status %s, want 0", last)
			}
			// yes(1) itself may complain of the broken pipe; fssim must not.
			for _, l := range errLines(errb.Bytes()) {
				if !strings.HasPrefix(l, "yes:") {
					t.Errorf("stderr: %q", l)
				}
			}
		})
	}
}

// TestRunReaderGone: when a write to the transcript fails with EPIPE (a
// writer other than fd 1 and 2, so Go reports the error instead of raising
// SIGPIPE, as here in-process), fssim run stops reading the scenario, writes
// nothing to stderr, and exits 0: the reader went away, nothing failed.
func TestRunReaderGone(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	defer w.Close()
	in := &countingReader{r: strings.NewReader(strings.Repeat("show --json\n", 100000))}
	var errb bytes.Buffer
	code := run([]string{"run", "--color=never", "-"}, in, w, &errb)
	if code != 0 || errb.Len() > 0 {
		t.Errorf("status %d, stderr %q; want 0 and nothing", code, errb.String())
	}
	if in.n > 600<<10 {
		t.Errorf("fssim read %d of 1.2 MB of scenario after its reader had gone: it should stop at the first failed write", in.n)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestRobustUnwritableOutput: a transcript that cannot be written (a full
// disk) is one clear error and status 1, not a run that goes on forever.
// The full disk is a writer that fails as a write to one does (ENOSPC), not
// a real device.
func TestRobustUnwritableOutput(t *testing.T) {
	in := &countingReader{r: strings.NewReader(strings.Repeat("show --json\n", 100000))}
	var errb bytes.Buffer
	code := run([]string{"run", "-"}, in, fullDisk{}, &errb)
	if code != 1 {
		t.Errorf("status %d, want 1", code)
	}
	errs := errLines(errb.Bytes())
	if len(errs) != 1 || !strings.Contains(errs[0], "no space left on device") {
		t.Errorf("stderr should be one line about the full disk: %q", errb.Bytes())
	}
	if in.n > 600<<10 {
		t.Errorf("fssim read %d of 1.2 MB of scenario after the disk was full: it should stop at the first failed write", in.n)
	}
}

// fullDisk is a file on a full disk: every write fails with ENOSPC.
type fullDisk struct{}

func (fullDisk) Write(p []byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "out", Err: syscall.ENOSPC}
}

// FuzzRun gives whole scenario files to fssim run, in-process through the
// same run function main calls: whatever the file holds, fssim exits 0 or
// 1, reports no internal error, and writes no raw control byte.
func FuzzRun(f *testing.F) {
	for _, pat := range []string{"../../testdata/*.fss", "../../internal/repl/lessons/*.fss"} {
		files, _ := filepath.Glob(pat)
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("fs register ntfs\r\nfilter load av --notify\r\nmount C:\r\n"))
	f.Add([]byte("\uFEFFfs register fs_rec\nmount C: --format fat32\n! fs register av\nexit\nmount D:\n"))
	f.Add([]byte("filter load \x1b[2J\x00\nmount \xff:\n'unterminated\n"))
	dir := f.TempDir()
	// A scenario's save, load and export lines touch a scratch folder only.
	// (Not f.Chdir: the fuzz coordinator runs this setup before it starts
	// its workers, and in another folder it cannot run them: "fuzzing
	// process terminated without fuzzing: EOF".)
	sessionFiles = repl.RootedFiles{Root: filepath.Join(dir, "files")}
	if err := os.MkdirAll(filepath.Join(dir, "files"), 0o755); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { sessionFiles = nil })
	f.Fuzz(func(t *testing.T, scen []byte) {
		p := filepath.Join(dir, "f.fss")
		if err := os.WriteFile(p, scen, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"run", "--keep-going", "--color=never", p}, {"run", "--color=never", p}} {
			var out, errb bytes.Buffer
			code := run(args, bytes.NewReader(nil), &out, &errb)
			if code != 0 && code != 1 {
				t.Fatalf("%v: status %d; stderr %q", args, code, errb.Bytes())
			}
			if bytes.Contains(out.Bytes(), []byte("internal error")) {
				t.Fatalf("internal error: %q", out.Bytes())
			}
			if i := rawControl(out.Bytes()); i >= 0 {
				t.Fatalf("raw control byte in stdout at %d: %q", i, out.Bytes()[max(0, i-40):min(out.Len(), i+40)])
			}
			if i := rawControl(errb.Bytes()); i >= 0 {
				t.Fatalf("raw control byte in stderr at %d: %q", i, errb.Bytes())
			}
		}
	})
}
