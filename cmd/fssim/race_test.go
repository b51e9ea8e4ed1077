//go:build race

package main

// raceEnabled: this test binary was built with -race, so TestMain builds the
// binary of the terminal tests with -race too.
const raceEnabled = true
