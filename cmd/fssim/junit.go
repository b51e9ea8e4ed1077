package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/fssim/fssim/internal/render"
)

// junitCase is one scenario of the JUnit XML report of fssim test --junit.
type junitCase struct {
	name    string
	time    string
	failed  bool
	message string // why it failed
	detail  string // the diff, or the lines that say why
}

// junitReport collects the scenarios' results as fssim test reports them.
type junitReport struct {
	cases []junitCase
	start time.Time
	last  time.Time
}

func newJUnitReport() *junitReport {
	now := time.Now()
	return &junitReport{start: now, last: now}
}

// add records one scenario: message "" when it passed; detail is the diff
// or the lines that say why it failed.
func (r *junitReport) add(name, message, detail string) {
	now := time.Now()
	c := junitCase{name: name, time: seconds(now.Sub(r.last))}
	r.last = now
	if message != "" {
		c.failed, c.message, c.detail = true, message, render.StripEscapes(detail)
	}
	r.cases = append(r.cases, c)
}

// xmlChars replaces what XML 1.0 cannot hold, even in CDATA (control
// characters a scenario may print), with U+FFFD.
func xmlChars(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r', r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}

// cdata is s as a CDATA section, the diff readable as it is in the file; a
// "]]>" in s is split over two sections. Nothing for an empty s.
func cdata(s string) string {
	if s == "" {
		return ""
	}
	return "<![CDATA[" + strings.ReplaceAll(xmlChars(s), "]]>", "]]]]><![CDATA[>") + "]]>"
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// xml is the report in the shape CI systems read (Jenkins, GitLab, the
// GitHub Actions reporters): one testsuite, one testcase per scenario, a
// failure holding the diff. It is written as encoding/xml's MarshalIndent
// wrote it, by hand, so that fssim does not link encoding/xml for it.
func (r *junitReport) xml() []byte {
	failed := 0
	for _, c := range r.cases {
		if c.failed {
			failed++
		}
	}
	attrs := fmt.Sprintf(`name="fssim test" tests="%d" failures="%d" errors="0" time="%s"`, len(r.cases), failed, seconds(time.Since(r.start)))
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString("<testsuites " + attrs + ">\n  <testsuite " + attrs + ">")
	for _, c := range r.cases {
		fmt.Fprintf(&b, "\n    <testcase name=\"%s\" classname=\"fssim\" time=\"%s\">", render.XMLText(c.name), c.time)
		if c.failed {
			fmt.Fprintf(&b, "\n      <failure message=\"%s\" type=\"fssim.test\">%s</failure>\n    ", render.XMLText(c.message), cdata(c.detail))
		}
		b.WriteString("</testcase>")
	}
	if len(r.cases) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("</testsuite>\n</testsuites>\n")
	return []byte(b.String())
}
