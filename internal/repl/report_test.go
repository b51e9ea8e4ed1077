package repl

import (
	"fmt"
	"strings"
	"testing"
)

// stackRows returns the stack rows (lines starting with an address) of out.
func stackRows(out string) []string {
	var rows []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "  ffffa080") {
			rows = append(rows, l)
		}
	}
	return rows
}

// TestReportDeepStack: after a verb, a changed stack of more than 24
// devices is listed as its top 10 rows, one line saying how many are left
// out, and its bottom 10 rows; 24 devices are listed whole; show and
// devstack list every device.
func TestReportDeepStack(t *testing.T) {
	s, out := newTestSession()
	for _, l := range []string{"fs register ntfs", "mount C:"} {
		if err := s.Exec(l); err != nil {
			t.Fatal(err)
		}
	}
	attach := func(i int) string {
		t.Helper()
		out.Reset()
		if err := s.Exec(fmt.Sprintf("filter load f%02d", i)); err != nil {
			t.Fatal(err)
		}
		out.Reset()
		if err := s.Exec(fmt.Sprintf("filter attach f%02d C:", i)); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	for i := 1; i < 23; i++ {
		attach(i)
	}
	got := attach(23) // 24 devices: the VDO and 23 filters
	if rows := stackRows(got); len(rows) != 24 || strings.Contains(got, "more devices") {
		t.Fatalf("24 devices: %d rows listed, want all 24:\n%s", len(rows), got)
	}
	got = attach(24) // 25 devices
	rows := stackRows(got)
	if len(rows) != 20 {
		t.Fatalf("25 devices: %d rows listed, want 20:\n%s", len(rows), got)
	}
	if !strings.Contains(rows[0], `\FileSystem\f24 `) || !strings.Contains(rows[9], `\FileSystem\f15 `) ||
		!strings.Contains(rows[10], `\FileSystem\f09 `) || !strings.Contains(rows[19], "VDO") {
		t.Errorf("25 devices: want f24..f15, then f09..f01 and the VDO:\n%s", got)
	}
	lines := strings.Split(got, "\n")
	for i, l := range lines {
		if strings.Contains(l, `\FileSystem\f15 `) {
			if lines[i+1] != "  … 5 more devices …" {
				t.Errorf("after the top 10 rows: %q, want the line saying 5 more devices", lines[i+1])
			}
		}
	}
	for _, verb := range []string{"show C:", "devstack C:"} {
		out.Reset()
		if err := s.Exec(verb); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(out.String(), "ffffa080"); n < 25 || strings.Contains(out.String(), "more devices") {
			t.Errorf("%s: want all 25 devices, got %d addresses:\n%s", verb, n, out)
		}
	}
}
