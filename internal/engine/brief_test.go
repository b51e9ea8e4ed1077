package engine

import (
	"fmt"
	"strings"
	"testing"
)

func TestStripAddresses(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"av ffffa08000005000 sees IRP_MN_MOUNT_VOLUME and passes it down", "av sees IRP_MN_MOUNT_VOLUME and passes it down"},
		{`IoAttachDeviceToDeviceStackSafe(av ffffa08000007000, C: VDO ffffa08000006000) -> landed on \FileSystem\Ntfs C: VDO ffffa08000006000`,
			`IoAttachDeviceToDeviceStackSafe(av, C: VDO) -> landed on \FileSystem\Ntfs C: VDO`},
		{"IoCreateDevice -> VDO ffffa08000006000 (unnamed); Vpb->DeviceObject = VDO, VPB_MOUNTED",
			"IoCreateDevice -> VDO (unnamed); Vpb->DeviceObject = VDO, VPB_MOUNTED"},
		{`IoRegisterFileSystem(\Ntfs): disk queue, at the head`, `IoRegisterFileSystem(\Ntfs): disk queue, at the head`},
		// Names that look like addresses, where names stand.
		{`DriverEntry(\FileSystem\ffffa08000005000)`, `DriverEntry(\FileSystem\ffffa08000005000)`},
		{"ffffa08000005000: a user-mode program asks it to attach to C:", "ffffa08000005000: a user-mode program asks it to attach to C:"},
		// Not an address: too short, too long, not hex.
		{"x ffffa0800000500", "x ffffa0800000500"},
		{"x ffffa08000005000a", "x ffffa08000005000a"},
		{"x ffffa0800000500g y", "x ffffa0800000500g y"},
		{"x ffffa08000005000 ffffa08000006000", "x"},
		{"", ""},
	} {
		if got := StripAddresses(tc.in); got != tc.want {
			t.Errorf("StripAddresses(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestBrief runs a real mount through 5 filters on \Ntfs and checks the
// brief form: no address left, the 5 pass-down lines one line, the
// registration's STATUS_SUCCESS gone, the claim's kept, every other line
// there in order; and 3 filters still listed one by one.
func TestBrief(t *testing.T) {
	for _, n := range []int{3, 5} {
		e := fresh(t)
		mustOK(t, e)(e.RegisterFileSystem("ntfs", FSOptions{}))
		var load []Event
		for i := 0; i < n; i++ {
			load = mustOK(t, e)(e.LoadFilter(fmt.Sprintf("f%d", i), FilterOptions{Notify: true}))
		}
		brief := FormatEvents(Brief(load))
		if strings.Contains(brief, "STATUS_SUCCESS") || !strings.Contains(FormatEvents(load), "STATUS_SUCCESS") {
			t.Errorf("filter load: want the registration's STATUS_SUCCESS left out:\n%s", brief)
		}
		full := mustOK(t, e)(e.Mount("C:", MountOptions{}))
		before := FormatEvents(full)
		got := Brief(full)
		if FormatEvents(full) != before {
			t.Fatal("Brief changed the trace it was given")
		}
		text := FormatEvents(got)
		if strings.Contains(text, "ffffa080") {
			t.Errorf("%d filters: an address is left:\n%s", n, text)
		}
		passes := strings.Count(text, "sees IRP_MN_MOUNT_VOLUME and passes it down")
		switch n {
		case 3:
			if passes != 3 || strings.Contains(text, "filters pass it down") {
				t.Errorf("3 filters: want each listed:\n%s", text)
			}
			if len(got) != len(full) {
				t.Errorf("3 filters: %d lines, want %d", len(got), len(full))
			}
		case 5:
			if passes != 0 || !strings.Contains(text, "      5 filters pass it down\n") {
				t.Errorf("5 filters: want one line for them, at their depth:\n%s", text)
			}
			if len(got) != len(full)-4 {
				t.Errorf("5 filters: %d lines, want %d", len(got), len(full)-4)
			}
		}
		if !strings.Contains(text, "  STATUS_SUCCESS\n") || !strings.Contains(text, `\FileSystem\Ntfs \Ntfs recognizes ntfs and claims C:`) {
			t.Errorf("%d filters: the claim and its status must stay:\n%s", n, text)
		}
		// Every other line is the full line without its addresses.
		j := 0
		for _, ev := range got {
			if strings.HasSuffix(ev.Text, "filters pass it down") {
				for j < len(full) && passesDown(full[j]) {
					j++
				}
				continue
			}
			for j < len(full) && StripAddresses(full[j].Text) != ev.Text {
				j++
			}
			if j == len(full) || full[j].Depth != ev.Depth || full[j].Kind != ev.Kind {
				t.Fatalf("%d filters: brief line %q is not a line of the full trace, in order", n, ev.Text)
			}
			j++
		}
	}
}
