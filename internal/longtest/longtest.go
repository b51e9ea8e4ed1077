// Package longtest marks fssim's long tests: the few that go test -short
// skips or shortens (a headless browser, 20,000-verb seeds, 10,000 filters,
// endless stdin, 15 MB pipes, many trials of a race).
//
// make test runs every test once under go test -race -short, then only the
// long ones, in full and without -race: go test -run 'Long$'. So the name
// of a long test ends in Long, and asking whether go test -short is set
// (Short, Skip) fails any test named otherwise: a long test cannot be
// skipped by both passes. Nothing else in the module calls testing.Short
// (TestOnlyLongtestAsksShort).
package longtest

import (
	"strings"
	"testing"
)

// Suffix ends the name of every long test, the top-level one (a subtest
// may ask too): make test's second pass is go test -run 'Long$'.
const Suffix = "Long"

// Short reports whether go test -short is set, for a test that skips or
// shortens itself under it, and fails t unless its top-level name ends in
// Suffix.
func Short(t testing.TB) bool {
	t.Helper()
	top, _, _ := strings.Cut(t.Name(), "/")
	if !strings.HasSuffix(top, Suffix) {
		t.Fatalf("%s asks whether go test -short is set, so it is a long test: name it %s%s, or make test's second pass (go test -run '%s$') never runs it in full", top, top, Suffix, Suffix)
	}
	return testing.Short()
}

// Skip skips t under go test -short, saying what makes it long (why).
func Skip(t testing.TB, why string) {
	t.Helper()
	if Short(t) {
		t.Skip("-short: " + why)
	}
}
