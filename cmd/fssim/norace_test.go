//go:build !race

package main

// raceEnabled: this test binary was built without -race.
const raceEnabled = false
