//go:build unix

package main

import (
	"syscall"
	"testing"
	"time"
)

// TestSignalCleansUpFirst (issue 13.5): SIGTERM and SIGINT run the cleanup
// (repl.RemoveTempFiles in fssim) before fssim ends, with 128 + the
// signal's number. The signal is real, sent to this test process.
func TestSignalCleansUpFirst(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cleaned := make(chan bool, 1)
		exited := make(chan int, 1)
		stop := endOnSignal(func() int { cleaned <- true; return 1 }, func(code int) { exited <- code })
		if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		select {
		case code := <-exited:
			select {
			case <-cleaned:
			default:
				t.Errorf("%v: fssim ended before the cleanup ran", sig)
			}
			if code != 128+int(sig) {
				t.Errorf("%v: exit status %d, want %d", sig, code, 128+int(sig))
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%v: the handler did not run", sig)
		}
		stop()
	}
}
