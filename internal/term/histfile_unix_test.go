//go:build unix && !js

package term

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHistoryNotRegular: a FIFO (or a folder) at the history's path is
// left alone, at once, with one warning.
func TestHistoryNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fifo, link, dir} {
		done := make(chan struct{})
		warns, warn := collect()
		var h *historyFile
		go func() {
			defer close(done)
			h, _ = openHistoryFile(path, HistoryLimit, warn)
			h.add("fs register ntfs")
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("opening the history at %s blocks", path)
		}
		if h != nil || len(*warns) != 1 || !strings.Contains((*warns)[0], "not a regular file") {
			t.Errorf("history at %s: %v, warnings %q; want none and one warning", path, h, *warns)
		}
	}
}
