package main

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
)

// junitSuites is the JUnit XML report of fssim test --junit, in the shape
// CI systems read (Jenkins, GitLab, the GitHub Actions reporters): one
// testsuite, one testcase per scenario, a failure holding the diff.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"` // the diff, readable as it is in the file
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
	c := junitCase{Name: name, Classname: "fssim", Time: seconds(now.Sub(r.last))}
	r.last = now
	if message != "" {
		c.Failure = &junitFailure{Message: xmlText(message), Type: "fssim.test", Text: xmlText(ansi().ReplaceAllString(detail, ""))}
	}
	r.cases = append(r.cases, c)
}

// ansi matches the color a diff carries on a terminal.
// ansi is compiled when a report is written, not at every start-up.
var ansi = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("\x1b\\[[0-9;]*m") })

// xmlText replaces what XML 1.0 cannot hold, even in CDATA (control
// characters a scenario may print), with U+FFFD.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r', r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// xml is the report: the header and the suites, indented.
func (r *junitReport) xml() ([]byte, error) {
	failed := 0
	for _, c := range r.cases {
		if c.Failure != nil {
			failed++
		}
	}
	total := seconds(time.Since(r.start))
	doc := junitSuites{Name: "fssim test", Tests: len(r.cases), Failures: failed, Time: total,
		Suites: []junitSuite{{Name: "fssim test", Tests: len(r.cases), Failures: failed, Time: total, Cases: r.cases}}}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(append([]byte(xml.Header), b...), '\n'), nil
}
