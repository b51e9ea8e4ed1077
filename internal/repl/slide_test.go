package repl

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fssim/fssim/docs"
)

// TestExplainFitsASlide: explain STACK and explain FILTER STACK print each
// device in at most 3 lines of at most 100 columns, with no address, in
// the tour's lab and in a deep one; --full keeps the chain.
func TestExplainFitsASlide(t *testing.T) {
	s, out := newTestSession()
	mustExec(t, s, "lesson tour", "fs register fastfat", "filter load a_filter_with_quite_a_long_name_ --notify",
		"mount D: --format fat", "filter attach backup D:")
	for _, line := range []string{"explain C:", "explain D:", "explain \\Ntfs", "explain enc C:", "explain backup D:"} {
		out.Reset()
		mustExec(t, s, line)
		checkSlide(t, line, out.String())
	}
	out.Reset()
	mustExec(t, s, "explain C: --full")
	if !strings.Contains(out.String(), "IoAttachDeviceToDeviceStackSafe(backup ffffa0800000a000") {
		t.Errorf("explain C: --full lacks the chain with addresses:\n%s", out.String())
	}
	d := deepLab(t, 40)
	var b strings.Builder
	d.Out = &b
	mustExec(t, d, "explain C:")
	checkSlide(t, "explain C: (deep)", b.String())
}

func checkSlide(t *testing.T, line, out string) {
	t.Helper()
	para := 0
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if n := utf8.RuneCountInString(l); n > 100 {
			t.Errorf("%s: a line of %d columns: %q", line, n, l)
		}
		if strings.Contains(l, "ffffa080") {
			t.Errorf("%s: an address: %q", line, l)
		}
		switch {
		case l == "":
			para = 0
		case strings.HasPrefix(l, "  "):
			para++
			if para > 2 {
				t.Errorf("%s: a device's paragraph is longer than 3 lines:\n%s", line, out)
			}
		default:
			para = 0
		}
	}
}

// TestExplainMinifilterOneColon: explain MINIFILTER STACK says "crypt on
// C:, instance", not "crypt on C::".
func TestExplainMinifilterOneColon(t *testing.T) {
	s, out := newTestSession()
	mustExec(t, s, "fs register ntfs", "mount C:", "fltmgr load", "minifilter load crypt --altitude 141000")
	for _, line := range []string{"explain crypt C:", "explain crypt C: --full"} {
		out.Reset()
		mustExec(t, s, line)
		if strings.Contains(out.String(), "C::") || !strings.Contains(out.String(), "crypt on C:, instance") {
			t.Errorf("%s:\n%s", line, out.String())
		}
	}
}

// TestRuleVerb: rule lists every rule of docs/model.md by number; rule N
// prints the rule, its text and its sources with their addresses, for
// every rule explain cites; a bad N is refused in one line naming the
// range.
func TestRuleVerb(t *testing.T) {
	rules := docs.Rules()
	if len(rules) < 28 {
		t.Fatalf("docs.Rules: %d rules, want 28 or more", len(rules))
	}
	s, out := newTestSession()
	mustExec(t, s, "rule")
	for i, r := range rules {
		if r.N != i+1 {
			t.Errorf("rule %d is numbered %d on the page", i+1, r.N)
		}
		if !strings.Contains(out.String(), r.Title) {
			t.Errorf("rule lacks rule %d's title %q", r.N, r.Title)
		}
	}
	for n := 1; n <= len(rules); n++ {
		out.Reset()
		mustExec(t, s, "rule "+itoa(n))
		got := out.String()
		if !strings.HasPrefix(got, "rule "+itoa(n)+". ") {
			t.Errorf("rule %d starts %q", n, firstLine(got))
		}
		if len(rules[n-1].Sources) > 0 && !strings.Contains(got, "\nsources:\n") {
			t.Errorf("rule %d: no sources:\n%s", n, got)
		}
	}
	out.Reset()
	mustExec(t, s, "rule 21")
	if !strings.Contains(out.String(), "https://learn.microsoft.com/windows-hardware/drivers/ddi/ntddk/nf-ntddk-ioattachdevicetodevicestacksafe") {
		t.Errorf("rule 21: no address for its DDI source:\n%s", out.String())
	}
	for _, bad := range []string{"0", "29", "x", "1x"} {
		err := s.Exec("rule " + bad)
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "numbered 1 to 28") {
			t.Errorf("rule %s: %v, want one line naming the range", bad, err)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// TestNoDoubleColonAfterAVolume: a sentence naming a volume never runs
// its colon into another ("crypt on C::", "(D:: instance setup pending"),
// in any golden transcript or lesson.
func TestNoDoubleColonAfterAVolume(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/*.golden")
	more, _ := filepath.Glob("lessons/*.golden")
	bad := regexp.MustCompile(`\b[A-Z]::([^:]|$)`)
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if bad.MatchString(line) {
				t.Errorf("%s:%d: %s", f, i+1, line)
			}
		}
	}
}

// TestTraceStacksNamesMinifilters: at trace stacks a volume's one-line
// stack names the minifilters each FltMgr frame hosts there.
func TestTraceStacksNamesMinifilters(t *testing.T) {
	s, out := newTestSession()
	mustExec(t, s, "trace stacks", "fs register ntfs", "mount C:", "fltmgr load", "minifilter load crypt --altitude 141000")
	out.Reset()
	mustExec(t, s, "minifilter load scan --altitude 138000")
	if got, want := out.String(), "C:  FltMgr frame 0 [crypt 141000, scan 138000] > Ntfs VDO\n"; got != want {
		t.Errorf("minifilter load at trace stacks:\n%q\nwant %q", got, want)
	}
}
