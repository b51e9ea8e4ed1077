//go:build !js

package term

import (
	"io"
	"slices"
	"testing"

	"github.com/fssim/fssim/internal/render"
	"github.com/fssim/fssim/internal/repl"
)

// TestCompleterDo checks the readline adapter: it returns what follows the
// typed prefix, with a space, and the prefix's length in runes.
func TestCompleterDo(t *testing.T) {
	s := repl.NewSession(io.Discard, render.NewTheme(false))
	for _, line := range []string{
		"fs register ntfs",
		"fs register fastfat",
		"filter load av --notify",
		"filter load backup",
		"mount C:",
		"mount D: --format fat32",
		"dismount D:",
	} {
		if err := s.Exec(line); err != nil {
			t.Fatalf("setup %q: %v", line, err)
		}
	}
	c := completer{s: s}
	tests := []struct {
		line string
		pos  int // -1: end of line
		want []string
		n    int
	}{
		{"filter lo", -1, []string{"ad "}, 2},
		{"filter unload ", -1, []string{"av ", "backup "}, 0},
		{"dismount ", -1, []string{"C: "}, 0},
		{"dismount c", -1, []string{": "}, 1},
		{"fs register x --type=n", -1, []string{"etwork "}, len("--type=n")},
		{"mo C:", 2, []string{"unt "}, 2}, // cursor after "mo": the text after it does not count
		{"zz", -1, nil, 2},
	}
	for _, tt := range tests {
		line := []rune(tt.line)
		pos := tt.pos
		if pos < 0 {
			pos = len(line)
		}
		got, n := c.Do(line, pos)
		var gs []string
		for _, g := range got {
			gs = append(gs, string(g))
		}
		if !slices.Equal(gs, tt.want) || n != tt.n {
			t.Errorf("Do(%q, %d) = %q, %d; want %q, %d", tt.line, pos, gs, n, tt.want, tt.n)
		}
	}
}
