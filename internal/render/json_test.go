package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/fssim/fssim/internal/engine"
)

// scenarioLab is the lab of scripts/gen-scenario's setup (-filters 50 -fs
// 12): twelve file systems of every type, fs_rec among them, 50 filters of
// which half register for notification (some attaching to RAW, some not
// enumerating), every letter C: to Z: mounted over a mix of formats, and a
// few command filters attached on top.
func scenarioLab(b testing.TB) *engine.Engine {
	b.Helper()
	e := engine.New()
	must := func(_ []engine.Event, err error) {
		b.Helper()
		if err != nil {
			b.Fatal(err)
		}
	}
	for _, fs := range []struct {
		name string
		opt  engine.FSOptions
	}{
		{"exfat", engine.FSOptions{}},
		{"fs07", engine.FSOptions{Type: engine.Network, TypeSet: true}},
		{"fs09", engine.FSOptions{Type: engine.CdRom, TypeSet: true, LowPriority: true}},
		{"cdfs", engine.FSOptions{}},
		{"refs", engine.FSOptions{}},
		{"udfs", engine.FSOptions{}},
		{"fs08", engine.FSOptions{Type: engine.Disk, TypeSet: true}},
		{"fs10", engine.FSOptions{Type: engine.Tape, TypeSet: true}},
		{"fastfat", engine.FSOptions{}},
		{"fs11", engine.FSOptions{Type: engine.Network, TypeSet: true}},
		{"ntfs", engine.FSOptions{}},
		{"fs_rec", engine.FSOptions{}},
	} {
		must(e.RegisterFileSystem(fs.name, fs.opt))
	}
	for i := range 50 {
		var opt engine.FilterOptions
		if i%2 == 0 {
			opt = engine.FilterOptions{Notify: true, AttachRaw: i%10 == 0, NoEnumerate: i%14 == 0, Ex: i%6 == 0}
		}
		must(e.LoadFilter(fmt.Sprintf("flt%02d", i), opt))
	}
	formats := []string{"fat32", "exfat", "ntfs", "refs", ""}
	for c := 'C'; c <= 'Z'; c++ {
		must(e.Mount(string(c)+":", engine.MountOptions{Format: formats[int(c)%len(formats)]}))
	}
	for i, v := range []string{"C:", "E:", "M:", "Q:", "Z:"} {
		must(e.AttachFilter(fmt.Sprintf("flt%02d", 2*i+1), v))
	}
	return e
}

// TestJSONQueueKeys: queuesJSON has one field per queue, keyed as
// engine.FsType names it, in the keys' alphabetical order (as encoding/json
// wrote the map it replaces), and each lists that queue.
func TestJSONQueueKeys(t *testing.T) {
	var keys, want []string
	qt := reflect.TypeFor[queuesJSON]()
	for i := range qt.NumField() {
		keys = append(keys, qt.Field(i).Tag.Get("json"))
	}
	for _, q := range engine.QueueOrder {
		want = append(want, q.String())
	}
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		t.Fatalf("queuesJSON keys = %v, want %v", keys, want)
	}
	e := scenarioLab(t)
	var b bytes.Buffer
	if err := JSON(&b, e); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Queues map[string][]string `json:"queues"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, q := range engine.QueueOrder {
		if !slices.Equal(got.Queues[q.String()], e.QueueNames(q)) || len(got.Queues[q.String()]) == 0 {
			t.Errorf("queue %s = %v, want %v", q, got.Queues[q.String()], e.QueueNames(q))
		}
	}
}

// TestJSONReusesMemory: a line written in memory a bigger lab's line left
// behind is the line written before it (JSON keeps its memory from one call
// to the next).
func TestJSONReusesMemory(t *testing.T) {
	small, big := lab(t), scenarioLab(t)
	line := func(e *engine.Engine) string {
		var b bytes.Buffer
		if err := JSON(&b, e); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	before := line(small)
	for range 3 {
		if line(big) == before {
			t.Fatal("the two labs wrote the same line")
		}
		if after := line(small); after != before {
			t.Fatalf("after a bigger lab's line:\n%s\nwant:\n%s", after, before)
		}
	}
}

// BenchmarkJSON is show --json on the scenario's lab: 620 of them cost a
// tenth of a 100,000-verb run (issue 14.8).
func BenchmarkJSON(b *testing.B) {
	e := scenarioLab(b)
	benchJSON(b, e)
}

// benchJSON times JSON of e's lab.
func benchJSON(b *testing.B, e *engine.Engine) {
	var out bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		if err := JSON(&out, e); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.Len()), "bytes/line")
}

// BenchmarkJSONFltMgr is show --json on the scenario's lab with FltMgr and
// 30 minifilters in three frames: 720 instances on 24 volumes.
func BenchmarkJSONFltMgr(b *testing.B) {
	e := scenarioLab(b)
	must := step(b)
	must(e.LoadFltMgr())
	for i := range 30 {
		alt := []string{"100", "300000", "400000"}[i%3] + fmt.Sprint(i)
		must(e.LoadMinifilter(fmt.Sprintf("m%02d", i), engine.MiniOptions{Altitude: alt}))
	}
	if e.NumInstances("C:") != 30 {
		b.Fatalf("C: has %d instances, want 30", e.NumInstances("C:"))
	}
	benchJSON(b, e)
}
