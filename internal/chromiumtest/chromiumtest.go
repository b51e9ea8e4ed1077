// Package chromiumtest finds the headless browser that fssim's picture and
// page tests run (render's SVG, serve's live page, the web playground): one
// rule for all of them, so none can drop out of CI unnoticed.
package chromiumtest

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/longtest"
)

// Find returns the path of a headless Chromium. go test -short skips the
// test (a browser takes seconds to start; make test and CI run it), which
// is therefore a long test, named ...Long (longtest). Without
// a browser the test skips, saying what goes unchecked (unchecked, e.g. "the
// SVG is not rendered in a browser"), except in CI (CI=true), where
// .ci/run installs chromium and a missing browser is a failure.
func Find(t testing.TB, unchecked string) string {
	t.Helper()
	longtest.Skip(t, "no headless browser")
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if strings.EqualFold(os.Getenv("CI"), "true") {
		t.Fatal("CI=true but no chromium on PATH: .ci/run installs it (apt-get install -y chromium)")
	}
	t.Skip("no chromium on PATH, so " + unchecked + " (apt-get install -y chromium runs this test)")
	return ""
}
