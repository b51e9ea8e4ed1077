//go:build race

package main

// raceEnabled: this test binary was built with -race, so the fssim the
// terminal tests start, which is this binary (TestMain), runs with it too.
const raceEnabled = true
