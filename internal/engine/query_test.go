package engine

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// TestStackEnds: a stack deeper than the limit comes as its top k and bottom
// k devices, in the same order as the whole listing, with the count of the
// devices between them; a stack within the limit comes whole, with none
// left out. Volume and CDO stacks alike.
func TestStackEnds(t *testing.T) {
	e := fresh(t)
	mustOK(t, e)(e.RegisterFileSystem("ntfs", FSOptions{}))
	mustOK(t, e)(e.Mount("C:", MountOptions{}))
	for depth := 1; depth <= 40; depth++ {
		if depth > 1 {
			name := fmt.Sprintf("f%02d", depth)
			mustOK(t, e)(e.LoadFilter(name, FilterOptions{}))
			mustOK(t, e)(e.AttachFilter(name, "C:"))
		}
		whole, err := e.Volume("C:")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ limit, k int }{{24, 10}, {5, 2}, {3, 1}, {40, 20}} {
			v, err := e.AppendVolumeEnds(nil, "C:", c.limit, c.k)
			if err != nil {
				t.Fatal(err)
			}
			want := shorts(whole.Stack)
			omitted := 0
			if depth > c.limit && depth > 2*c.k {
				want = append(want[:c.k:c.k], want[depth-c.k:]...)
				omitted = depth - 2*c.k
			}
			if got := shorts(v.Stack); !reflect.DeepEqual(got, want) || v.Omitted != omitted {
				t.Fatalf("depth %d, limit %d, k %d: got %v, %d left out; want %v, %d", depth, c.limit, c.k, got, v.Omitted, want, omitted)
			}
			if v.Stack[len(v.Stack)-1].Role != RoleVDO || v.Name != "C:" || !v.Mounted || v.FS != "ntfs" {
				t.Fatalf("depth %d: bad volume %+v", depth, v)
			}
		}
	}
	// A CDO stack: 30 notify filters on \Ntfs.
	for i := 0; i < 30; i++ {
		mustOK(t, e)(e.LoadFilter(fmt.Sprintf("n%02d", i), FilterOptions{Notify: true}))
	}
	whole, _ := e.CDO(`\Ntfs`)
	c, ok := e.AppendCDOEnds(nil, "ntfs", 24, 10)
	if !ok {
		t.Fatal(`no \Ntfs`)
	}
	want := shorts(whole.Stack)
	want = append(want[:10:10], want[len(want)-10:]...)
	if got := shorts(c.Stack); !reflect.DeepEqual(got, want) || c.Omitted != len(whole.Stack)-20 || c.Name != `\Ntfs` {
		t.Errorf("\\Ntfs: got %v, %d left out; want %v, %d", got, c.Omitted, want, len(whole.Stack)-20)
	}
	if _, ok := e.AppendCDOEnds(nil, "nosuch", 24, 10); ok {
		t.Error("a CDO that does not exist was found")
	}
	if _, err := e.AppendVolumeEnds(nil, "Q:", 24, 10); err == nil {
		t.Error("a volume that does not exist was found")
	}
}

// TestParseVolume: a drive letter with a colon, either case, reads as the
// upper-case letter; anything else is ErrBadName, and IsVolume agrees with
// ParseVolume on every input.
func TestParseVolume(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"C:", "C:"}, {"c:", "C:"}, {"a:", "A:"}, {"Z:", "Z:"}, {"z:", "Z:"},
		{"C", ""}, {"C:\\", ""}, {"1:", ""}, {"@:", ""}, {"[:", ""}, {"`:", ""}, {"{:", ""}, {"", ""}, {"av", ""}, {`\Ntfs`, ""},
	} {
		got, err := ParseVolume(c.in)
		if got != c.want || (err == nil) != (c.want != "") || (err != nil && !errors.Is(err, ErrBadName)) {
			t.Errorf("ParseVolume(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
		if IsVolume(c.in) != (c.want != "") {
			t.Errorf("IsVolume(%q) = %v, ParseVolume says %q", c.in, IsVolume(c.in), c.want)
		}
	}
}
