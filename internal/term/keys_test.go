//go:build !js

package term

import "testing"

// TestKeyReader: one read that is one key is that key; several keys at
// once and pastes (bracketed, even across reads) are none, unless Ctrl-C
// is among the keys.
func TestKeyReader(t *testing.T) {
	tests := []struct {
		name  string
		reads []string
		want  []string // the key each read is
	}{
		{"keys", []string{" ", "\r", "n", "q", "\x04", "x"}, []string{" ", "\r", "n", "q", "\x04", "x"}},
		{"CR LF is Enter", []string{"\r\n"}, []string{"\r"}},
		{"an arrow is one key", []string{"\x1b[A", "\x1b"}, []string{"\x1b[A", "\x1b"}},
		{"a rune of several bytes is one key", []string{"é"}, []string{"é"}},
		{"several keys are none", []string{"q\r", "  ", "history\r", "\x1b[Aq"}, []string{"", "", "", ""}},
		{"Ctrl-C among keys is Ctrl-C", []string{"\x03\x03", "x\x03"}, []string{"\x03", "\x03"}},
		{"a bracketed paste is none", []string{pasteStart + "q" + pasteEnd, pasteStart + " " + pasteEnd + "q"}, []string{"", ""}},
		{"a paste across reads is none", []string{pasteStart + "ls", "q", "\r", "\x1b[20", "1~", " "}, []string{"", "", "", "", "", " "}},
		{"Ctrl-C in a paste is text", []string{pasteStart + "\x03" + pasteEnd}, []string{""}},
		{"nothing is none", []string{""}, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var kr keyReader
			for i, r := range tt.reads {
				if got := kr.feed([]byte(r)); got != tt.want[i] {
					t.Errorf("read %d, %q: key %q, want %q", i+1, r, got, tt.want[i])
				}
			}
		})
	}
}
