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

// TestBriefVerb: brief prints the mode, brief on hides addresses in the
// trace and the stack rows after it, devstack keeps them, brief off brings
// them back; a bad mode is refused and changes nothing.
func TestBriefVerb(t *testing.T) {
	s, out := newTestSession()
	run := func(line string) string {
		t.Helper()
		out.Reset()
		if err := s.Exec(line); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		return out.String()
	}
	if got := run("brief"); !strings.HasPrefix(got, "brief off") {
		t.Errorf("brief at start: %q, want off", got)
	}
	run("fs register ntfs")
	if got := run("brief on"); !strings.HasPrefix(got, "brief on") {
		t.Errorf("brief on: %q", got)
	}
	if got := run("brief"); !strings.HasPrefix(got, "brief on") {
		t.Errorf("brief after brief on: %q", got)
	}
	got := run("mount C:")
	if strings.Contains(got, "ffffa080") || !strings.Contains(got, "recognizes ntfs and claims C:") || strings.Contains(got, "IoCreateDevice") ||
		!strings.Contains(got, "\n  \\FileSystem\\Ntfs  VDO\n") {
		t.Errorf("brief mount: want no address in trace or rows:\n%s", got)
	}
	if got := run("show C:"); strings.Contains(got, "ffffa080") {
		t.Errorf("brief show: an address is left:\n%s", got)
	}
	if got := run("devstack C:"); !strings.Contains(got, "> ffffa08000005000") {
		t.Errorf("brief devstack: want its addresses, as WinDbg:\n%s", got)
	}
	out.Reset()
	if err := s.Exec("brief maybe"); err == nil || !strings.Contains(err.Error(), "want on or off") {
		t.Errorf("brief maybe: %v, want a usage error", err)
	}
	if !s.Theme.Brief() {
		t.Error("a refused brief line changed the mode")
	}
	run("brief off")
	if got := run("show C:"); !strings.Contains(got, "  ffffa08000005000  \\FileSystem\\Ntfs  VDO") {
		t.Errorf("after brief off: want the address column back:\n%s", got)
	}
}
