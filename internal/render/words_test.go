package render

import (
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
)

// TestEveryOpHasWords: each operation the engine reports has its own line,
// full and brief; none falls through to the "? op" placeholder.
func TestEveryOpHasWords(t *testing.T) {
	cdo := &engine.DeviceRef{ID: 4, Addr: "ffffa08000004000", Driver: "Ntfs", Role: engine.RoleCDO, Name: `\Ntfs`}
	vdo := &engine.DeviceRef{ID: 5, Addr: "ffffa08000005000", Driver: "Ntfs", Role: engine.RoleVDO, Volume: "C:"}
	flt := &engine.DeviceRef{ID: 6, Addr: "ffffa08000006000", Driver: "av", Role: engine.RoleFilter}
	n := 0
	for op := engine.Op(1); op.String() != "?"; op++ {
		n++
		e := engine.Event{Op: op, Dev: cdo, On: flt, Base: vdo, Driver: "av", Name: "C:", Names: []string{"a", "b"}, N: 1}
		for _, brief := range []bool{false, true} {
			line := EventText(e, brief)
			if strings.HasPrefix(line, "? ") || line == "" {
				t.Errorf("op %s (brief %t) has no words: %q", op, brief, line)
			}
			if brief && strings.Contains(line, "ffffa080") {
				t.Errorf("op %s: brief line keeps an address: %q", op, line)
			}
		}
	}
	if n < 60 {
		t.Errorf("only %d ops", n)
	}
}
