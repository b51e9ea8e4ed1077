package render

import (
	"encoding/xml"
	"strings"
	"testing"
)

// xmlEscapeText is encoding/xml's escaping, which XMLText stands in for
// (tests may link encoding/xml; fssim does not).
func xmlEscapeText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

var xmlSeeds = []string{
	"", "plain", `<a&"b'>`, "tab\there\nnew\rcr", "\x00\x01\x1f\x7f", "bad \xff\xfe utf-8 \xc3",
	"é ü ∑ 😀", "\uFFFD\uFFFE\uFFFF", "\ud7ff\ue000", "\U0010FFFF", "]]> & ]]>",
}

// TestXMLTextIsEscapeText: XMLText writes what encoding/xml's EscapeText
// writes, so the SVG export and the JUnit report stay byte for byte what
// they were.
func TestXMLTextIsEscapeText(t *testing.T) {
	for _, s := range xmlSeeds {
		if got, want := XMLText(s), xmlEscapeText(s); got != want {
			t.Errorf("XMLText(%q) = %q, encoding/xml: %q", s, got, want)
		}
	}
}

func FuzzXMLText(f *testing.F) {
	for _, s := range xmlSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := XMLText(s), xmlEscapeText(s); got != want {
			t.Fatalf("XMLText(%q) = %q, encoding/xml: %q", s, got, want)
		}
	})
}
