package repl

import (
	"errors"
	"strings"
	"testing"
)

// TestExpect: an expect that holds prints nothing; one that does not fails
// with ErrExpectFailed and a message holding what it found and what it
// expected (issue 16 point 9).
func TestExpect(t *testing.T) {
	s, out := newTestSession()
	setup := "fs register ntfs; mount C:; filter load av --fail read; filter attach av C:; filter load backup --notify; " +
		"fltmgr load; minifilter load scanner -a 320000"
	if r := s.RunCommands(setup, ScriptOptions{Name: "-c"}); r.Failed > 0 {
		t.Fatal("setup failed")
	}
	for _, line := range []string{
		"expect C: fltmgr backup av ntfs", "expect c: FltMgr BACKUP av", `expect C: fltmgr \FileSystem\backup av`,
		`expect io read C:\x completed_by av`, "expect io read C: status access_denied", "expect io read C: status 0xC0000022",
		"expect io create C: status STATUS_SUCCESS", "expect io create C: completed_by ntfs",
		"expect filter av on C:", `expect filter av not on \Ntfs`, `expect filter backup on \Ntfs`,
		"expect filter scanner on C:",
	} {
		out.Reset()
		if err := s.Exec(line); err != nil || out.Len() > 0 {
			t.Errorf("%s: %v, printed %q; want silence", line, err, out.String())
		}
	}
	for _, tc := range [][2]string{
		{"expect C: av backup", "expected C: to be av backup (top first), but it is fltmgr backup av ntfs"},
		{"expect io read C: completed_by ntfs", "but av completed it with STATUS_ACCESS_DENIED"},
		{"expect io read C: status success", "to end with success, but it ended with STATUS_ACCESS_DENIED"},
		{"expect filter av not on C:", "expected av not on C:, but it is on it"},
		{`expect filter av on \Ntfs`, `expected av on \Ntfs, but it is not (\Ntfs is fltmgr backup ntfs, top first)`},
	} {
		err := s.Exec(tc[0])
		if !errors.Is(err, ErrExpectFailed) || !strings.Contains(err.Error(), tc[1]) || ErrorKindOf(err) != "expect-failed" {
			t.Errorf("%s: %v; want an expect-failed error saying %q", tc[0], err, tc[1])
		}
	}
	for _, line := range []string{"expect C:", "expect io read C:", "expect io read C: by av", "expect filter av C:"} {
		if err := s.Exec(line); !errors.Is(err, ErrUsage) {
			t.Errorf("%s: %v; want a usage error", line, err)
		}
	}
	// The lab is unchanged: expect io sends nothing that counts.
	if h, _ := s.History(); len(h) != 7 {
		t.Errorf("history after expects: %q", h)
	}
}

// TestExpectFailedKind: a '!' line may name expect-failed.
func TestExpectFailedKind(t *testing.T) {
	s, out := newTestSession()
	r := s.RunCommands("fs register ntfs; mount C:; ! [expect-failed] expect C: av; ! [expect-failed] expect C: ntfs", ScriptOptions{Name: "-c", KeepGoing: true})
	if r.Failed != 1 || !strings.Contains(out.String(), "refused as expected: expected C: to be av") {
		t.Errorf("failed %d, printed:\n%s", r.Failed, out)
	}
}
