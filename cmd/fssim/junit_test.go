package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTestCmdJUnit: fssim test --junit FILE writes JUnit XML that
// encoding/xml reads back: one testcase per scenario, a failure holding the
// diff for the one that differs and the reason for the one without a
// golden, and the exit status is what it is without --junit (issue 16
// point 10).
func TestTestCmdJUnit(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"ok.fss":      cleanScenario,
		"ok.golden":   transcript(t, "ok.fss", cleanScenario),
		"diff.fss":    "fs register ntfs\nmount D:\n",
		"diff.golden": transcript(t, "diff.fss", "fs register ntfs\nmount C:\n"),
		"new.fss":     "fs register ntfs\n",
	})
	report := filepath.Join(dir, "out", "report.xml")
	os.Mkdir(filepath.Dir(report), 0o755)
	_, _, want := inProcess(t, "test", dir)
	out, errs, code := inProcess(t, "test", "--junit", report, dir)
	if code != want || code != 1 {
		t.Fatalf("exit %d with --junit, %d without; want 1 both:\n%s%s", code, want, out, errs)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("the report is not XML: %v\n%s", err, b)
	}
	if doc.Tests != 3 || doc.Failures != 2 || len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 3 {
		t.Fatalf("tests=%d failures=%d suites=%d:\n%s", doc.Tests, doc.Failures, len(doc.Suites), b)
	}
	got := map[string]string{}
	for _, c := range doc.Suites[0].Cases {
		switch {
		case c.Failure == nil:
			got[filepath.Base(c.Name)] = "ok"
		default:
			got[filepath.Base(c.Name)] = c.Failure.Message + "\n" + c.Failure.Text
		}
	}
	if got["ok.fss"] != "ok" {
		t.Errorf("ok.fss: %q", got["ok.fss"])
	}
	if d := got["diff.fss"]; !strings.Contains(d, "differs from") || !strings.Contains(d, "\n-fssim> mount C:\n") || !strings.Contains(d, "\n+fssim> mount D:\n") {
		t.Errorf("diff.fss's failure holds no diff:\n%s", d)
	}
	if d := got["new.fss"]; !strings.Contains(d, "no golden") {
		t.Errorf("new.fss: %q", d)
	}
	// All green: exit 0, and the report is replaced.
	os.Remove(filepath.Join(dir, "diff.fss"))
	os.Remove(filepath.Join(dir, "diff.golden"))
	os.Remove(filepath.Join(dir, "new.fss"))
	if out, errs, code := inProcess(t, "test", "--junit", report, dir); code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, out, errs)
	}
	if b, _ := os.ReadFile(report); !strings.Contains(string(b), `tests="1" failures="0"`) {
		t.Errorf("the report was not replaced:\n%s", b)
	}
}

// TestTestCmdJUnitRefusesAFolder: the report is written as save writes a
// file, so a folder named as FILE is refused in one line.
func TestTestCmdJUnitRefusesAFolder(t *testing.T) {
	dir := writeTree(t, map[string]string{"ok.fss": cleanScenario, "ok.golden": transcript(t, "ok.fss", cleanScenario)})
	_, errs, code := inProcess(t, "test", "--junit", dir, dir)
	if code == 0 || !strings.Contains(errs, "cannot write the JUnit report") || !strings.Contains(errs, "it is a folder") || strings.Count(errs, "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}
