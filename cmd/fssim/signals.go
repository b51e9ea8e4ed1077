package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/fssim/fssim/internal/repl"
)

// endOnSignal makes SIGINT and SIGTERM end fssim as they would anyway
// (status 128 + the signal's number), but only after cleanup has run:
// main passes repl.RemoveTempFiles, so a save or export cut short leaves
// no temporary file beside its target. The repl package handles no signal
// itself; this is the one place that does. stop undoes it (tests).
func endOnSignal(cleanup func() int, exit func(int)) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			cleanup()
			n := 1
			if s, ok := sig.(syscall.Signal); ok {
				n = int(s)
			}
			exit(128 + n)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}

// cleanUpTempFiles is what endOnSignal runs in fssim.
var cleanUpTempFiles = repl.RemoveTempFiles
