package repl

import (
	"strings"
	"testing"
)

// TestLoadStep: load FILE --step pauses after each step of the file with
// someone to answer, q stops it with the lab as far as it got (said in one
// line), and with nobody to answer it runs straight through.
func TestLoadStep(t *testing.T) {
	m := newMemFiles(map[string]string{"lab.fss": "# My lab\n# ntfs first\nfs register ntfs\n\n# then a filter\nfilter load av --notify\n\n# and a volume\nmount C:\n"})
	ss := newScreenSession(80, 100, "\n", "q\n")
	ss.Files = m
	if err := ss.Exec("load lab.fss --step"); err != nil {
		t.Fatal(err)
	}
	out := ss.out.String()
	if len(ss.prompts) != 2 || !strings.Contains(ss.prompts[0], "[step 1 of 3 done: My lab. Enter: next, q: quit]") ||
		!strings.Contains(ss.prompts[1], "then a filter") {
		t.Errorf("prompts %q", ss.prompts)
	}
	if !strings.Contains(out, "load lab.fss stopped after step 2 of 3") || strings.Contains(out, "mount C:") {
		t.Errorf("q at the second pause:\n%s", out)
	}
	if h := hist(ss.Session); len(h) != 2 {
		t.Errorf("history %q, want the two verbs that ran", h)
	}

	// Nobody to answer: straight through, as load without --step.
	s2 := newScreenSession(80, 100)
	s2.Ask = nil
	s2.Files = m
	if err := s2.Exec("load lab.fss --step"); err != nil || !strings.Contains(s2.out.String(), "loaded lab.fss: ") {
		t.Errorf("load --step with nobody to answer: %v\n%s", err, s2.out.String())
	}
}
