package main

import (
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"github.com/fssim/fssim/internal/repl"
)

// promptOwnsInterrupt is set while the interactive prompt runs: there Ctrl-C
// (SIGINT) stops a running load, source or lesson between two verbs and
// returns to the prompt (the prompt's own handler does that), so it must not
// end fssim. SIGTERM still does.
var promptOwnsInterrupt atomic.Bool

// endOnSignal makes SIGINT and SIGTERM end fssim as they would anyway
// (status 128 + the signal's number), but only after cleanup has run:
// main passes repl.RemoveTempFiles, so a save or export cut short leaves
// no temporary file beside its target. This is the one place that ends
// fssim on a signal; the prompt only raises a flag on SIGINT. stop undoes
// it (tests).
func endOnSignal(cleanup func() int, exit func(int)) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-ch:
				if sig == os.Interrupt && promptOwnsInterrupt.Load() || serveOwnsSignals.Load() {
					continue
				}
				cleanup()
				n := 1
				if s, ok := sig.(syscall.Signal); ok {
					n = int(s)
				}
				exit(128 + n)
				return
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}

// cleanUpTempFiles is what endOnSignal runs in fssim.
var cleanUpTempFiles = repl.RemoveTempFiles
