// Package web holds the browser playground's page (index.html, app.js,
// style.css); make web puts it in web/dist with fssim.wasm and
// wasm_exec.js. Its tests check what the page may do and run it in
// headless Chromium.
package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fssim/fssim/internal/chromiumtest"
	"github.com/fssim/fssim/internal/longtest"
)

// TestPageSendsNothing: the page's one request is for its own fssim.wasm.
// No other fetch, no XMLHttpRequest, WebSocket, EventSource, beacon, form
// submission or address elsewhere in the page, its script or its style,
// nor in the toolchain's wasm_exec.js; and the page's Content Security
// Policy keeps every connection to where the page came from.
func TestPageSendsNothing(t *testing.T) {
	files := map[string]string{}
	for _, name := range []string{"index.html", "app.js", "style.css"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	if b, err := os.ReadFile(wasmExec(t)); err == nil {
		files["wasm_exec.js"] = string(b)
	} else {
		t.Fatal(err)
	}
	fetch := regexp.MustCompile(`\bfetch\s*\(([^)]*)\)`)
	banned := regexp.MustCompile(`XMLHttpRequest|WebSocket|EventSource|sendBeacon|RTCPeerConnection|\bimportScripts\b|\bnew\s+Worker\b|\bwindow\.open\b|\blocation\.(href|assign|replace)\b|(?i:https?://|<form[^>]*\baction=|@import|\burl\()`)
	// A comment may name a web page; only code and markup count.
	comments := regexp.MustCompile(`(?m)^\s*//.*$|<!--[\s\S]*?-->|/\*[\s\S]*?\*/`)
	for name, text := range files {
		code := comments.ReplaceAllString(text, "")
		for _, m := range fetch.FindAllStringSubmatch(code, -1) {
			if m[1] != `"fssim.wasm"` {
				t.Errorf("%s: fetch(%s): the page fetches only its own fssim.wasm", name, m[1])
			}
		}
		if m := banned.FindString(code); m != "" {
			t.Errorf("%s: %q: the page sends nothing anywhere", name, m)
		}
	}
	if n := len(fetch.FindAllString(files["app.js"], -1)); n != 1 {
		t.Errorf("app.js has %d fetch calls, want 1 (fssim.wasm)", n)
	}
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)"`).FindStringSubmatch(files["index.html"])
	if csp == nil {
		t.Fatal("index.html has no Content-Security-Policy")
	}
	for _, want := range []string{"default-src 'none'", "connect-src 'self'", "form-action 'none'"} {
		if !strings.Contains(csp[1], want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp[1], want)
		}
	}
}

// wasmExec is the toolchain's wasm_exec.js, where make web copies it from.
func wasmExec(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	root := strings.TrimSpace(string(out))
	for _, p := range []string{"lib/wasm/wasm_exec.js", "misc/wasm/wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(root, p)); err == nil {
			return filepath.Join(root, p)
		}
	}
	t.Fatalf("no wasm_exec.js under %s", root)
	return ""
}

// chromium finds the headless browser (internal/chromiumtest).
func chromium(t *testing.T) string {
	return chromiumtest.Find(t, "the playground is not opened in a browser")
}

// dumpDOM opens url in headless Chromium and returns the page's DOM once
// the page has run for a while of virtual time.
func dumpDOM(t *testing.T, bin, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	// As root the sandbox must be off; headless needs no GPU.
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu",
		"--user-data-dir="+t.TempDir(), "--virtual-time-budget=30000", "--dump-dom", url)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("chromium --dump-dom %s: %v\n%s", url, err, stderr)
	}
	return string(out)
}

// section is the inner HTML of the element with id in dom.
func section(dom, tag, id string) string {
	start := strings.Index(dom, `<`+tag+` id="`+id+`"`)
	if start < 0 {
		return ""
	}
	end := strings.Index(dom[start:], `</`+tag+`>`)
	if end < 0 {
		return dom[start:]
	}
	return dom[start : start+end]
}

// TestPlaygroundInChromiumLong builds the page with make web, serves it on
// loopback and opens lab links in headless Chromium: ?run= runs its verbs
// at load (the terminal shows the Ntfs stack, the picture draws it, export
// FILE writes the file for download), and ?lesson= starts the lesson a
// step at a time.
func TestPlaygroundInChromiumLong(t *testing.T) {
	longtest.Skip(t, "builds fssim.wasm and starts a browser")
	bin := chromium(t)
	dist := t.TempDir()
	build := exec.Command("make", "-C", "..", "web", "WEBDIST="+dist)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("make web: %v\n%s", err, out)
	}
	for _, name := range []string{"index.html", "app.js", "style.css", "wasm_exec.js", "fssim.wasm"} {
		if _, err := os.Stat(filepath.Join(dist, name)); err != nil {
			t.Fatalf("make web did not write %s: %v", name, err)
		}
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dist)))
	defer srv.Close()

	t.Run("run", func(t *testing.T) {
		dom := dumpDOM(t, bin, srv.URL+"/index.html?run="+url.QueryEscape("fs register ntfs; mount C:; export svg lab.svg"))
		term := section(dom, "pre", "out")
		for _, want := range []string{
			"fs register ntfs; mount C:; export svg lab.svg", // the line, echoed
			`\FileSystem\Ntfs</span>  VDO`,                   // C:'s stack
			"stacks as svg to lab.svg",                       // written in memory, downloaded
		} {
			if !strings.Contains(term, want) {
				t.Errorf("the terminal lacks %q:\n%s", want, term)
			}
		}
		if strings.Contains(term, "error") {
			t.Errorf("the terminal shows an error:\n%s", term)
		}
		pic := section(dom, "section", "picture")
		if !strings.Contains(pic, "<svg") || !strings.Contains(pic, `\FileSystem\Ntfs`) {
			t.Errorf("the picture does not draw the Ntfs stack:\n%.2000s", pic)
		}
	})
	t.Run("lesson", func(t *testing.T) {
		dom := dumpDOM(t, bin, srv.URL+"/index.html?lesson=irp")
		term := section(dom, "pre", "out")
		if !strings.Contains(term, "lesson irp --step") {
			t.Errorf("the lesson did not start:\n%s", term)
		}
		prompt := section(dom, "label", "prompt")
		if !strings.Contains(prompt, "[step 1 of ") {
			t.Errorf("the lesson does not pause after its first step: prompt %q\n%s", prompt, term)
		}
	})
}
