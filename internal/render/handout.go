package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// A Handout is what a session showed, for export html and export cast: its
// verbs and comments in order, each with what it printed, and the picture of
// the lab at the end. Nothing in it says when: the same session gives the
// same file.
type Handout struct {
	Title string
	Items []HandoutItem
	// Dropped counts the oldest items the session no longer keeps (its
	// record is bounded), and Kept says what the bound is, in words.
	Dropped int
	Kept    string
	// SVG is export svg's picture of the lab ("" if there is none).
	SVG string
}

// A HandoutItem is one verb or one comment line.
type HandoutItem struct {
	Comment bool
	Nested  bool   // run by another verb (a lesson's or a loaded file's line)
	Text    string // the verb as typed, or the comment without its '#'
	Echo    string // the line the terminal showed for it ("fssim> mount C:\n"), as printed
	Out     string // what it printed after that, as printed (escapes and all)
}

// StripEscapes removes the terminal escape sequences the theme paints with
// from s: ESC [, digits, ';' or '?', and a letter. (Scanned by hand: a
// regular expression for it was compiled at every start-up of fssim.)
func StripEscapes(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			break
		}
		j := i + 2
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == '?') {
			j++
		}
		if j == len(s) || !(s[j] >= 'A' && s[j] <= 'Z' || s[j] >= 'a' && s[j] <= 'z') {
			b.WriteString(s[:i+1]) // not a sequence: keep the ESC, look on after it
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		s = s[j+1:]
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(s)
	return b.String()
}

// HTML writes h as one standalone page (XHTML, so an XML parser reads it
// too): the title, the comments as prose, each verb with its output, and the
// picture inline. It is styled for paper: black on white, A4 or Letter.
func HTML(w io.Writer, h Handout) error {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
	fmt.Fprintf(&b, "<title>%s</title>\n", htmlText(h.Title))
	b.WriteString(`<style>
@page { margin: 15mm; }
html { background: #fff; color: #000; }
body { font-family: "DejaVu Serif", Georgia, serif; font-size: 11pt; line-height: 1.4; max-width: 48em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 18pt; margin: 0 0 0.5em; }
h2 { font-size: 13pt; margin: 1.5em 0 0.5em; }
p.prose { margin: 0.8em 0 0.4em; }
p.nested { margin-left: 1.5em; }
.note { font-style: italic; color: #444; }
div.verb { margin: 0.4em 0; break-inside: avoid; page-break-inside: avoid; }
div.nested { margin-left: 1.5em; }
pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8.5pt; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
pre.cmd { font-weight: bold; border-top: 1px solid #bbb; padding-top: 0.2em; }
pre.out { color: #222; padding: 0.2em 0 0.2em 1em; border-left: 2px solid #ddd; }
div.picture { break-before: page; page-break-before: always; }
div.picture svg { width: 100%; height: auto; border: 1px solid #ccc; }
@media screen { div.picture { break-before: auto; page-break-before: auto; } }
</style>
</head>
<body>
`)
	fmt.Fprintf(&b, "<h1>%s</h1>\n", htmlText(h.Title))
	if h.Dropped > 0 {
		fmt.Fprintf(&b, "<p class=\"note\">%d earlier lines of the session are not in this handout: the session keeps %s.</p>\n",
			h.Dropped, htmlText(h.Kept))
	}
	var para []string
	nestedPara := false
	flush := func() {
		if len(para) == 0 {
			return
		}
		class := "prose"
		if nestedPara {
			class += " nested"
		}
		fmt.Fprintf(&b, "<p class=%q>%s</p>\n", class, htmlText(strings.Join(para, " ")))
		para = para[:0]
	}
	for i, it := range h.Items {
		if it.Comment && it.Nested && i > 0 && !h.Items[i-1].Comment && !h.Items[i-1].Nested &&
			strings.HasPrefix(h.Items[i-1].Text, "lesson ") {
			flush() // a lesson's first line is its title
			fmt.Fprintf(&b, "<h2>%s</h2>\n", htmlText(strings.TrimSpace(it.Text)))
			continue
		}
		if it.Comment {
			if t := strings.TrimSpace(it.Text); t != "" {
				nestedPara = it.Nested
				para = append(para, t)
			}
			if strings.Contains(it.Out, "\n") { // a blank line after it: the paragraph ends
				flush()
			}
			continue
		}
		flush()
		class := "verb"
		if it.Nested {
			class += " nested"
		}
		fmt.Fprintf(&b, "<div class=%q>\n", class)
		// The line as the terminal showed it ('!' and all); a line's second
		// verb has none: its output follows the first's, as it did there.
		if cmd := strings.TrimRight(StripEscapes(it.Echo), "\n"); cmd != "" {
			fmt.Fprintf(&b, "<pre class=\"cmd\">%s</pre>\n", htmlText(cmd))
		}
		if out := strings.Trim(StripEscapes(it.Out), "\n"); out != "" {
			fmt.Fprintf(&b, "<pre class=\"out\">%s</pre>\n", htmlText(out))
		}
		b.WriteString("</div>\n")
	}
	flush()
	if h.SVG != "" {
		b.WriteString("<div class=\"picture\">\n<h2>The lab at the end</h2>\n")
		svg := h.SVG
		if strings.HasPrefix(svg, "<?xml") {
			if i := strings.Index(svg, "?>"); i >= 0 {
				svg = strings.TrimLeft(svg[i+2:], "\n")
			}
		}
		b.WriteString(svg)
		if !strings.HasSuffix(svg, "\n") {
			b.WriteString("\n")
		}
		b.WriteString("</div>\n")
	}
	b.WriteString("</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// htmlText escapes s for the handout's text: XML's five, newlines kept as
// they are (XMLText writes them as &#xA;), what XML cannot hold replaced.
func htmlText(s string) string {
	return htmlEscaper.Replace(xmlSafe(s))
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// xmlSafe replaces what XML 1.0 cannot hold at all (control characters
// other than tab and newline, invalid UTF-8) with U+FFFD.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || (r >= 0x20 && r != utf8.RuneError && r != 0xfffe && r != 0xffff) {
			return r
		}
		return '\uFFFD'
	}, s)
}

// Pacing of a recording: a verb's line appears castVerbGap after the verb
// before it (castCommentGap after a comment line, which is the pause), and
// its output castOutGap after its line; a comment line appears
// castCommentGap after what came before it.
const (
	castVerbGap    = 1.0
	castOutGap     = 0.25
	castCommentGap = 0.5
	castMinWidth   = 80
	castMaxWidth   = 240
	castHeight     = 30
)

// Cast writes h as an asciicast v2 recording: a header line (version,
// width, height; no timestamp) and one [time, "o", text] line per chunk the
// terminal showed, each verb's line and each output its own chunk, paced so
// verbs come about a second apart. Newlines are written as CR LF, as a
// terminal receives them. The picture is not part of it.
func Cast(w io.Writer, h Handout) error {
	width := castMinWidth
	for _, it := range h.Items {
		for _, l := range strings.Split(StripEscapes(it.Echo+it.Out), "\n") {
			width = max(width, utf8.RuneCountInString(l))
		}
	}
	width = min(width, castMaxWidth)
	var b strings.Builder
	header := struct {
		Version int               `json:"version"`
		Width   int               `json:"width"`
		Height  int               `json:"height"`
		Title   string            `json:"title,omitempty"`
		Env     map[string]string `json:"env"`
	}{2, width, castHeight, h.Title, map[string]string{"TERM": "xterm-256color", "SHELL": "/bin/sh"}}
	// Not json.Marshal: it would write > as \u003e, which is right but
	// hard to read in a recording full of "fssim>".
	var jb strings.Builder
	enc := json.NewEncoder(&jb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(header); err != nil {
		return err
	}
	b.WriteString(jb.String())
	t := 0.0
	event := func(text string) {
		if text == "" {
			return
		}
		jb.Reset()
		enc.Encode(strings.ReplaceAll(text, "\n", "\r\n")) // a string always encodes
		fmt.Fprintf(&b, "[%.3f, \"o\", %s]\n", t, strings.TrimSuffix(jb.String(), "\n"))
	}
	if h.Dropped > 0 {
		event(fmt.Sprintf("[%d earlier lines of the session are not in this recording: the session keeps %s]\n", h.Dropped, h.Kept))
		t += castCommentGap
	}
	for i, it := range h.Items {
		switch {
		case i == 0:
		case it.Comment:
			t += castCommentGap
		case it.Echo == "": // a line's second verb: its output follows the first's
			t += castOutGap
		case h.Items[i-1].Comment: // the comment before it was the pause
			t += castCommentGap
		default:
			t += castVerbGap
		}
		event(it.Echo)
		if !it.Comment && it.Echo != "" {
			t += castOutGap
		}
		event(it.Out)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
