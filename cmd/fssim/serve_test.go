package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

var servingURL = regexp.MustCompile(`serving the lab at (http://127\.0\.0\.1:[0-9]+/)`)

func httpGet(t *testing.T, url string) string {
	t.Helper()
	r, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	if r.StatusCode != 200 {
		t.Fatalf("GET %s: %s %s", url, r.Status, b)
	}
	return string(b)
}

func httpPost(t *testing.T, url, line string) (int, string) {
	t.Helper()
	r, err := http.Post(url+"exec", "text/plain", strings.NewReader(line))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, string(b)
}

// TestServeWithoutTerminal: fssim serve FILE with no terminal runs FILE,
// prints the address, serves the lab FILE built, and exits 0 on SIGTERM.
func TestServeWithoutTerminal(t *testing.T) {
	t.Cleanup(func() { serveOwnsSignals.Store(false) }) // fssim never clears it: it ends with serve
	lab := filepath.Join(t.TempDir(), "lab.fss")
	if err := os.WriteFile(lab, []byte("fs register ntfs\nmount C:\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	var stderr strings.Builder
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"serve", "--listen", "127.0.0.1:0", lab}, strings.NewReader(""), pw, &stderr)
		pw.Close()
	}()
	br := bufio.NewReader(pr)
	var transcript strings.Builder
	var url string
	for url == "" {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("fssim serve ended before printing its address: %v\n%s\nstderr: %s", err, transcript.String(), stderr.String())
		}
		transcript.WriteString(line)
		if m := servingURL.FindStringSubmatch(line); m != nil {
			url = m[1]
		}
	}
	go io.Copy(io.Discard, br)
	if !strings.Contains(transcript.String(), "fssim> mount C:") {
		t.Errorf("FILE's transcript did not come before the address:\n%s", transcript.String())
	}
	if state := httpGet(t, url+"state.json"); !strings.Contains(state, `"C:"`) {
		t.Errorf("state.json does not hold the lab FILE built: %.300s", state)
	}
	if code, out := httpPost(t, url, "filter load av --notify"); code != 200 || !strings.Contains(out, `DriverEntry(\FileSystem\av)`) {
		t.Errorf("POST /exec: %d %q", code, out)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("after SIGTERM: status %d, want 0; stderr: %s", c, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("fssim serve did not end on SIGTERM")
	}
}

// TestServeSignalsExit0: the real program, stdin not a terminal, serving
// until SIGINT or SIGTERM, exits 0 on either: fssim's own handler, which
// ends it with 128 + the signal elsewhere, leaves them to serve.
func TestServeSignalsExit0(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd := exec.Command(fssimBin(t), "serve", "--listen", "127.0.0.1:0")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		m := servingURL.FindStringSubmatch(line)
		if err != nil || m == nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("fssim serve printed %q (%v), want its address", line, err)
		}
		httpGet(t, m[1]+"stacks.svg")
		cmd.Process.Signal(sig)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("after %v: %v, want exit 0", sig, err)
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("fssim serve did not end on %v", sig)
		}
	}
}

// TestServeUsage: a bad --listen, a missing FILE and the serve verb where no
// prompt is are refused with a line saying why.
func TestServeUsage(t *testing.T) {
	t.Cleanup(func() { serveOwnsSignals.Store(false) })
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"serve", "--listen", "nonsense"}, exitUsage, "want HOST:PORT"},
		{[]string{"serve", "--listen", "127.0.0.1:0", filepath.Join(t.TempDir(), "nosuch.fss")}, exitUsage, "no such file"},
		{[]string{"serve", "a.fss", "b.fss"}, exitUsage, "at most one"},
		{[]string{"-c", "serve"}, exitFailed, "at the fssim> prompt only"},
	} {
		var out, errs strings.Builder
		code := run(tc.args, strings.NewReader(""), &out, &errs)
		if code != tc.code || !strings.Contains(out.String()+errs.String(), tc.says) {
			t.Errorf("fssim %s: status %d, %q %q; want %d and %q", strings.Join(tc.args, " "), code, out.String(), errs.String(), tc.code, tc.says)
		}
	}
}

// TestPTYServeVerb: serve at the prompt serves the prompt's own session: a
// verb posted by the page is there for the next typed verb, and a typed
// verb is in state.json at once.
func TestPTYServeVerb(t *testing.T) {
	tm := startTerm(t, testEnv(t.TempDir()))
	tm.prompt()
	out := tm.run("serve --listen 127.0.0.1:0")
	m := servingURL.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("serve printed %q, want its address", out)
	}
	url := m[1]
	if code, body := httpPost(t, url, "fs register ntfs"); code != 200 {
		t.Fatalf("POST fs register ntfs: %d %s", code, body)
	}
	if out := tm.run("mount C:"); !strings.Contains(out, `\FileSystem\Ntfs \Ntfs recognizes ntfs and claims C:`) {
		t.Errorf("mount C: after the page registered ntfs printed %q", out)
	}
	if state := httpGet(t, url+"state.json"); !strings.Contains(state, `"C:"`) {
		t.Errorf("state.json after mount C: at the prompt: %.300s", state)
	}
	if out := tm.run("serve"); !strings.Contains(out, "already serving the lab at "+url) {
		t.Errorf("a second serve printed %q", out)
	}
	tm.exit("exit: status %d, want 0")
}

// TestPTYServeCommand: fssim serve FILE at a terminal runs FILE, serves,
// then gives the prompt, in the same session.
func TestPTYServeCommand(t *testing.T) {
	dir := t.TempDir()
	lab := filepath.Join(dir, "lab.fss")
	if err := os.WriteFile(lab, []byte("fs register ntfs\nmount C:\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tm := startTerm(t, testEnv(dir), "serve", "--listen", "127.0.0.1:0", lab)
	tm.expect("fssim> mount C:")
	out := tm.expect("it follows every verb typed here")
	m := servingURL.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("fssim serve FILE showed %q, want the address after FILE's transcript", out)
	}
	tm.prompt()
	if code, body := httpPost(t, m[1], "filter load av --notify"); code != 200 {
		t.Fatalf("POST: %d %s", code, body)
	}
	if out := tm.run("show C:"); !strings.Contains(out, `\FileSystem\av`) {
		t.Errorf("show C: at the prompt after the page loaded av: %q", out)
	}
	// The page and the terminal at once, up to the prompt's end: the
	// binary is built with -race when the tests are, and a race makes it
	// exit 66.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			verb := []string{"brief on", "show C:", "brief off", "explain C:"}[i%4]
			if r, err := http.Post(m[1]+"exec", "text/plain", strings.NewReader(verb)); err == nil {
				io.Copy(io.Discard, r.Body)
				r.Body.Close()
			}
		}
	}()
	for range 3 {
		tm.run("show")
		tm.run("brief")
	}
	tm.exit("exit: status %d, want 0")
}
