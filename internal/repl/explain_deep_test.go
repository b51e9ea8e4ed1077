package repl

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/longtest"
	"github.com/fssim/fssim/internal/render"
)

// deepLab is a session with n filters attached to C:, one above the other.
func deepLab(t testing.TB, n int) *Session {
	t.Helper()
	s := NewSession(io.Discard, render.NewTheme(false))
	lines := []string{"fs register ntfs", "mount C:"}
	for i := 1; i <= n; i++ {
		f := "f" + strconv.Itoa(i)
		lines = append(lines, "filter load "+f, "filter attach "+f+" C:")
	}
	for _, l := range lines {
		if err := s.Exec(l); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
	}
	return s
}

// writeSizes is an io.Writer (not a buffer render can compose in) that
// counts what it is given and keeps the largest single write.
type writeSizes struct{ total, largest, writes int }

func (w *writeSizes) Write(p []byte) (int, error) {
	w.total += len(p)
	w.largest = max(w.largest, len(p))
	w.writes++
	return len(p), nil
}

// TestExplainDeepStackLinearLong: explain of a stack 2,000 filters deep writes
// output in proportion to its depth (each device names a few of those above
// it, not all: every device listing all of them wrote 48 MB here), twice
// the depth writes about twice the bytes and allocates about twice as
// often, and the output goes out in pieces, not composed whole first. The
// same for explain --json, which stays valid JSON.
func TestExplainDeepStackLinearLong(t *testing.T) {
	longtest.Skip(t, "builds stacks 1,000 and 2,000 filters deep")
	const perDevice = 700 // bytes of explanation per device, with room
	for _, verb := range []string{"explain C:", "explain --json C:"} {
		var sizes [2]writeSizes
		var allocs [2]float64
		for i, n := range []int{1000, 2000} {
			s := deepLab(t, n)
			w := &sizes[i]
			s.Out = w
			if err := s.Exec(verb); err != nil {
				t.Fatalf("%s: %v", verb, err)
			}
			if w.total > n*perDevice {
				t.Errorf("%s, %d filters deep: %d bytes, more than %d a device", verb, n, w.total, perDevice)
			}
			if w.largest > 1<<20 {
				t.Errorf("%s, %d filters deep: one write of %d bytes of %d: not streamed", verb, n, w.largest, w.total)
			}
			s.Out = io.Discard
			allocs[i] = testing.AllocsPerRun(2, func() {
				if err := s.Exec(verb); err != nil {
					t.Fatal(err)
				}
			})
		}
		if r := float64(sizes[1].total) / float64(sizes[0].total); r > 2.1 {
			t.Errorf("%s: 2,000 deep wrote %.2fx the bytes of 1,000 deep (%d, %d): not linear", verb, r, sizes[1].total, sizes[0].total)
		}
		if r := allocs[1] / allocs[0]; r > 2.2 {
			t.Errorf("%s: 2,000 deep allocated %.2fx as often as 1,000 deep (%.0f, %.0f): not linear", verb, r, allocs[1], allocs[0])
		}
	}
}

// TestExplainDeepStackText: above a device deep in a stack, explain names
// the lowest three, how many more, and the top, in text and in JSON.
func TestExplainDeepStackText(t *testing.T) {
	s := deepLab(t, 8)
	var out bytes.Buffer
	s.Out = &out
	mustExec(t, s, "explain C: --full")
	for _, want := range []string{
		"since: f1 ffffa08000006000, f2 ffffa08000007000, f3 ffffa08000008000, … 4 more devices …, f8 ffffa0800000d000 (8 in all)\n  rules 15, 16\n",
		"since: f4 ffffa08000009000, f5 ffffa0800000a000, f6 ffffa0800000b000, … 1 more device …, f8 ffffa0800000d000 (5 in all)\n",
		"since: f5 ffffa0800000a000, f6 ffffa0800000b000, f7 ffffa0800000c000, f8 ffffa0800000d000\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("explain C: lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	mustExec(t, s, "explain --json C:")
	var doc struct {
		Devices []struct {
			Driver     string   `json:"driver"`
			Above      []string `json:"above"`
			AboveTop   string   `json:"above_top"`
			AboveCount int      `json:"above_count"`
		} `json:"devices"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("explain --json: %v\n%s", err, out.String())
	}
	var f1 = doc.Devices[7]
	if f1.Driver != "f1" || strings.Join(f1.Above, ",") != "f2,f3,f4" || f1.AboveTop != "f8" || f1.AboveCount != 7 {
		t.Errorf("explain --json, f1: %+v", f1)
	}
	if f5 := doc.Devices[3]; f5.Driver != "f5" || strings.Join(f5.Above, ",") != "f6,f7,f8" || f5.AboveTop != "" || f5.AboveCount != 0 {
		t.Errorf("explain --json, f5: %+v", f5)
	}
}
