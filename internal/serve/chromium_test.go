package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/fssim/fssim/internal/chromiumtest"
)

// chromium finds the headless browser (internal/chromiumtest).
func chromium(t *testing.T) string {
	return chromiumtest.Find(t, "the page is not opened in a browser")
}

// browser drives headless Chromium over --remote-debugging-pipe: the
// DevTools protocol as JSON messages ended by a NUL byte, written to the
// browser's fd 3 and read from its fd 4. It needs no module and no port,
// and it lets the test wait for a condition in the live page instead of
// sleeping for a guess, which --dump-dom cannot (it dumps once).
type browser struct {
	t       *testing.T
	w       io.Writer
	msgs    chan map[string]json.RawMessage
	id      int
	session string
}

func openBrowser(t *testing.T, bin string, width, height int) *browser {
	t.Helper()
	toBrowser, browserIn, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	browserOut, fromBrowser, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	// As root the sandbox must be off; headless needs no GPU.
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--remote-debugging-pipe", "--user-data-dir="+t.TempDir(), fmt.Sprintf("--window-size=%d,%d", width, height), "about:blank")
	cmd.ExtraFiles = []*os.File{toBrowser, fromBrowser} // fd 3, fd 4
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("starting %s: %v", bin, err)
	}
	toBrowser.Close()
	fromBrowser.Close()
	t.Cleanup(func() {
		browserIn.Close()
		cmd.Process.Kill()
		cmd.Wait()
		cancel()
		browserOut.Close()
		if t.Failed() {
			t.Logf("chromium's stderr:\n%s", stderr.String())
		}
	})
	b := &browser{t: t, w: browserIn, msgs: make(chan map[string]json.RawMessage, 64)}
	go func() {
		br := bufio.NewReader(browserOut)
		for {
			raw, err := br.ReadBytes(0)
			if err != nil {
				close(b.msgs)
				return
			}
			var m map[string]json.RawMessage
			if json.Unmarshal(raw[:len(raw)-1], &m) == nil && m["id"] != nil {
				b.msgs <- m
			}
		}
	}()
	return b
}

// call sends one command and returns its result.
func (b *browser) call(method string, params any) json.RawMessage {
	b.t.Helper()
	b.id++
	msg := map[string]any{"id": b.id, "method": method, "params": params}
	if b.session != "" && !strings.HasPrefix(method, "Target.") {
		msg["sessionId"] = b.session
	}
	data, _ := json.Marshal(msg)
	if _, err := b.w.Write(append(data, 0)); err != nil {
		b.t.Fatalf("%s: %v", method, err)
	}
	timeout := time.After(60 * time.Second)
	for {
		select {
		case m, ok := <-b.msgs:
			if !ok {
				b.t.Fatalf("%s: the browser went away", method)
			}
			if string(m["id"]) != fmt.Sprint(b.id) {
				continue
			}
			if m["error"] != nil {
				b.t.Fatalf("%s: %s", method, m["error"])
			}
			return m["result"]
		case <-timeout:
			b.t.Fatalf("%s: no answer in 60s", method)
		}
	}
}

// open opens url in a new tab and talks to it from now on.
func (b *browser) open(url string) {
	b.t.Helper()
	var target struct{ TargetID string }
	json.Unmarshal(b.call("Target.createTarget", map[string]any{"url": url}), &target)
	var att struct{ SessionID string }
	json.Unmarshal(b.call("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}), &att)
	b.session = att.SessionID
}

// eval runs JavaScript in the page and returns its value as JSON.
func (b *browser) eval(expr string) string {
	b.t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage
		}
		ExceptionDetails json.RawMessage
	}
	json.Unmarshal(b.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}), &res)
	if res.ExceptionDetails != nil {
		b.t.Fatalf("%s: %s", expr, res.ExceptionDetails)
	}
	return string(res.Result.Value)
}

// waitFor waits until expr is true in the page, or fails saying what.
func (b *browser) waitFor(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	// Before the page has loaded, its elements are not there yet.
	guarded := "(() => { try { return " + expr + " } catch (e) { return false } })()"
	for b.eval(guarded) != "true" {
		if time.Now().After(deadline) {
			b.t.Fatalf("the page never showed %s (%s)\nits text: %s", what, expr, b.eval("document.body.innerText.slice(0, 2000)"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// screenshot saves a PNG of the page as FSSIM_PAGE_SCREENSHOT-name.png, if
// that is set (to look at it: FSSIM_PAGE_SCREENSHOT=/tmp/page).
func (b *browser) screenshot(name string) {
	b.t.Helper()
	prefix := os.Getenv("FSSIM_PAGE_SCREENSHOT")
	if prefix == "" {
		return
	}
	var shot struct{ Data []byte }
	json.Unmarshal(b.call("Page.captureScreenshot", map[string]any{"format": "png"}), &shot)
	if err := os.WriteFile(prefix+"-"+name+".png", shot.Data, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// svgHas is JavaScript: the page's picture has a text reading name.
func svgHas(name string) string {
	n, _ := json.Marshal(name)
	return fmt.Sprintf(`[...document.querySelectorAll("#picture svg text")].some(t => t.textContent === %s)`, n)
}

// layout is JavaScript checking that the page fits the window: the picture
// fills most of its width or height, nothing scrolls, the picture ends
// above the log and the verb line is on screen.
const layout = `(() => {
  const s = document.querySelector("#picture svg").getBoundingClientRect();
  const log = document.getElementById("log").getBoundingClientRect();
  const line = document.getElementById("line").getBoundingClientRect();
  const big = s.width >= 0.6 * innerWidth || s.height >= 0.5 * innerHeight;
  const fits = document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth;
  return big && fits && s.bottom <= log.top + 1 && line.bottom <= innerHeight && line.width >= 0.5 * innerWidth
    ? "ok" : JSON.stringify({svg: s, log, line, w: innerWidth, h: innerHeight, sh: document.documentElement.scrollHeight});
})()`

// TestPageInChromiumLong opens the page in headless Chromium: it shows the
// lab's stacks; a verb POSTed to /exec, and then one typed in the page's
// own verb line, redraw the picture without reloading the page, light the
// devices they changed and add their output under it; the page fits a
// 1280x800 window and a 1920x1080 one.
func TestPageInChromiumLong(t *testing.T) {
	bin := chromium(t)
	_, srv, _ := newLab(t, Options{})
	l, _, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := srv.Start(l)
	defer srv.Close()

	b := openBrowser(t, bin, 1280, 800)
	b.open(url)
	b.waitFor("the Ntfs stack, live", `document.body.dataset.live === "1" && `+svgHas(`\FileSystem\Ntfs`)+` && `+svgHas("C:"))
	waitWatchers(t, srv, 1)
	if got := b.eval(layout); got != `"ok"` {
		t.Errorf("at 1280x800 the page does not fit: %s", got)
	}
	b.screenshot("1280x800-start")
	b.eval("window.notReloaded = true")

	// A verb POSTed from elsewhere (curl, the test).
	if r, body := post(t, strings.TrimSuffix(url, "/"), "filter load av --notify"); r.StatusCode != 200 {
		t.Fatalf("POST: %s %s", r.Status, body)
	}
	b.waitFor("av in the picture", svgHas(`\FileSystem\av`)+` && window.notReloaded === true`)
	b.waitFor("av's two devices lit", `document.querySelectorAll("#picture svg g.changed").length === 2`)
	b.screenshot("1280x800-lit")
	b.waitFor("the verb and its output in the log", `document.getElementById("log").innerText.includes("filter load av --notify") && document.getElementById("log").innerText.includes("DriverEntry(\\FileSystem\\av)")`)

	// A verb typed in the page: the browser posts it with the page's
	// Origin, which /exec accepts.
	b.eval(`document.getElementById("line").value = "mount D:"; document.getElementById("exec").requestSubmit(); true`)
	b.waitFor("D: in the picture", svgHas("D:")+` && window.notReloaded === true && document.getElementById("status").textContent === "done"`)
	b.waitFor("the typed verb in the log, marked as the page's", `document.getElementById("log").innerText.includes("mount D:(from the page)") || document.getElementById("log").innerText.includes("mount D: (from the page)") || document.getElementById("log").innerText.includes("mount D:\n(from the page)")`)

	b.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": false})
	b.waitFor("the page laid out at 1920x1080", `innerWidth === 1920`)
	if got := b.eval(layout); got != `"ok"` {
		t.Errorf("at 1920x1080 the page does not fit: %s", got)
	}
	b.screenshot("1920x1080")
}
