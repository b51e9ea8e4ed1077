package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
)

// TestJSONAsEncodingJSON: JSON writes the lab byte for byte as
// encoding/json writes the values below (the shape JSON had when
// encoding/json wrote it, kept here as the reference), after each step of
// random runs through every kind of state JSON lists: file systems of
// each type, notify and command filters, volumes mounted and dismounted,
// RAW, the recognizer, FltMgr with frames, minifilters, manual instances
// and pending setups, and the policy on win10.
func TestJSONAsEncodingJSON(t *testing.T) {
	ran := map[string]int{}
	var seen strings.Builder // every line checked, for what the runs reached
	for seed := uint64(1); seed <= 6; seed++ {
		r := rand.New(rand.NewPCG(seed, 14))
		e := engine.New()
		if seed%2 == 0 {
			e.SetProfile(engine.Win10)
			e.SetBlockLegacy(seed%4 == 0)
		}
		steps := jsonSteps(e)
		for i := 0; i < 300; i++ {
			s := steps[r.IntN(len(steps))]
			if _, err := s.do(r); err != nil {
				continue // a refusal changes nothing
			}
			ran[s.name]++
			var got, want bytes.Buffer
			if err := JSON(&got, e); err != nil {
				t.Fatal(err)
			}
			if err := referenceJSON(&want, e); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Fatalf("seed %d, step %d (%s): JSON differs from encoding/json's\n got %s\nwant %s", seed, i, s.name, got.String(), want.String())
			}
			seen.WriteString(got.String())
		}
	}
	// The runs must reach what the test is for, or it proves little.
	for _, name := range []string{"fs register", "filter load", "filter attach", "mount", "dismount", "minifilter load", "fltmc attach"} {
		if ran[name] == 0 {
			t.Errorf("no %s succeeded in the random runs", name)
		}
	}
	for _, want := range []string{`"setup_pending":true`, `"instances":[{`, `"frames":[{`, `"block_legacy":true`, `"low_priority":true`, `"recognizer":true`, `"mounted":false`} {
		if !strings.Contains(seen.String(), want) {
			t.Errorf("no lab in the random runs had %s", want)
		}
	}
}

type jsonStep struct {
	name string
	do   func(r *rand.Rand) ([]engine.Event, error)
}

// jsonSteps are the calls the random runs pick from.
func jsonSteps(e *engine.Engine) []jsonStep {
	fss := []string{"ntfs", "fastfat", "cdfs", "udfs", "refs", "exfat", "fs_rec", "tapefs", "netfs"}
	flts := []string{"av", "backup", "scan", "late"}
	minis := []string{"crypt", "watch", "scanner"}
	vol := func(r *rand.Rand) string { return string(rune('C'+r.IntN(6))) + ":" }
	pick := func(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }
	return []jsonStep{
		{"fs register", func(r *rand.Rand) ([]engine.Event, error) {
			name := pick(r, fss)
			opt := engine.FSOptions{LowPriority: r.IntN(4) == 0}
			switch name {
			case "tapefs":
				opt.Type, opt.TypeSet = engine.Tape, true
			case "netfs":
				opt.Type, opt.TypeSet = engine.Network, true
			}
			return e.RegisterFileSystem(name, opt)
		}},
		{"fs unregister", func(r *rand.Rand) ([]engine.Event, error) { return e.UnregisterFileSystem(pick(r, fss)) }},
		{"filter load", func(r *rand.Rand) ([]engine.Event, error) {
			return e.LoadFilter(pick(r, flts), engine.FilterOptions{Notify: r.IntN(3) > 0, NoEnumerate: r.IntN(4) == 0, AttachRaw: r.IntN(4) == 0})
		}},
		{"filter unload", func(r *rand.Rand) ([]engine.Event, error) { return e.UnloadFilter(pick(r, flts)) }},
		{"filter attach", func(r *rand.Rand) ([]engine.Event, error) { return e.AttachFilter(pick(r, flts), vol(r)) }},
		{"filter detach", func(r *rand.Rand) ([]engine.Event, error) { return e.DetachFilter(pick(r, flts), vol(r)) }},
		{"mount", func(r *rand.Rand) ([]engine.Event, error) {
			opt := engine.MountOptions{Format: pick(r, []string{"", "ntfs", "fat32", "junk", "udf"})}
			if r.IntN(3) == 0 {
				opt.Media, opt.MediaSet = engine.Media(r.IntN(3)), true
			}
			return e.Mount(vol(r), opt)
		}},
		{"dismount", func(r *rand.Rand) ([]engine.Event, error) { return e.Dismount(vol(r)) }},
		{"fltmgr load", func(*rand.Rand) ([]engine.Event, error) { return e.LoadFltMgr() }},
		{"minifilter load", func(r *rand.Rand) ([]engine.Event, error) {
			return e.LoadMinifilter(pick(r, minis), engine.MiniOptions{Altitude: fmt.Sprint(40000 + r.IntN(400000)), NoAuto: r.IntN(4) == 0})
		}},
		{"minifilter unload", func(r *rand.Rand) ([]engine.Event, error) { return e.UnloadMinifilter(pick(r, minis)) }},
		{"fltmc attach", func(r *rand.Rand) ([]engine.Event, error) {
			return e.FltmcAttach(pick(r, minis), vol(r), "", fmt.Sprintf("i%d", r.IntN(3)))
		}},
		{"io", func(r *rand.Rand) ([]engine.Event, error) {
			_, evs, err := e.SendIo(engine.MjRead, vol(r))
			return evs, err
		}},
	}
}

// TestJSONExactStrings: JSON's strings are escaped as encoding/json escapes
// them, whatever they hold.
func TestJSONExactStrings(t *testing.T) {
	for _, s := range []string{"", "av", `\Ntfs`, `\FileSystem\Ntfs`, `a"b`, "a<b>&c", "tab\there", "cr\r lf\n bs\b ff\f", "\x00\x1f\x7f",
		"é ü 中", "line\u2028sep\u2029", "bad \xff utf-8", strings.Repeat("x", 300)} {
		var b bytes.Buffer
		jsonBuf{&b}.exact(s)
		want, _ := json.Marshal(s)
		if b.String() != string(want) {
			t.Errorf("exact(%q) = %s, encoding/json writes %s", s, b.String(), want)
		}
	}
}

// referenceJSON is JSON as it was when encoding/json wrote it: labJSON and
// the types below it give the shape.
func referenceJSON(w io.Writer, e *engine.Engine) error {
	cdoNames, filters, letters := e.CDONames(), e.Filters(), e.Letters()
	// Each list is made at its size, not grown: show --json runs hundreds
	// of times in a long scenario.
	lab := labJSON{
		OS:          e.Profile().String(),
		Policy:      policyJSON{BlockLegacy: e.BlockLegacy()},
		Queues:      map[string][]string{},
		CDOs:        make([]cdoJSON, 0, len(cdoNames)),
		Filters:     make([]filterJSON, 0, len(filters)),
		Volumes:     make([]volumeJSON, 0, len(letters)),
		Minifilters: []miniJSON{},
		Frames:      []frameJSON{},
		FileSystems: []fsJSON{},
	}
	for _, q := range engine.QueueOrder {
		lab.Queues[q.String()] = nonNil(e.QueueNames(q))
	}
	var stack []engine.DeviceInfo // one buffer for every stack's query
	for _, name := range cdoNames {
		c, _ := e.AppendCDO(stack, name)
		stack = c.Stack
		lab.CDOs = append(lab.CDOs, cdoJSON{Name: c.Name, FS: c.FS, Type: c.Type.String(), LowPriority: c.LowPriority,
			Recognizer: c.Recognizer, Stack: shorts(c.Stack), StackFrames: frameIDs(c.Stack)})
	}
	for _, f := range filters {
		lab.Filters = append(lab.Filters, filterJSON{Name: f.Name, Notify: f.Notify, Enumerate: f.Enumerate, AttachRaw: f.AttachRaw,
			Ex: f.Ex, Registrations: f.Registrations, CDOs: nonNil(f.CDOs), Volumes: nonNil(f.Volumes)})
	}
	for _, l := range letters {
		v, _ := e.AppendVolume(stack, l)
		if v.Stack != nil { // a dismounted volume has none
			stack = v.Stack
		}
		vj := volumeJSON{Name: v.Name, Device: v.Device, Media: v.Media.String(), Format: v.Format, Mounted: v.Mounted,
			FS: v.FS, Stack: shorts(v.Stack), StackFrames: frameIDs(v.Stack), Instances: []instanceJSON{},
			SetupPending: e.SetupPending(v.Name)}
		if v.Mounted {
			for _, in := range e.Instances(v.Name) {
				vj.Instances = append(vj.Instances, instanceJSON{Minifilter: strings.ToLower(in.Minifilter),
					Altitude: in.Altitude, Frame: in.Frame, Instance: in.Instance})
			}
		}
		lab.Volumes = append(lab.Volumes, vj)
	}
	for _, m := range e.Minifilters() {
		lab.Minifilters = append(lab.Minifilters, miniJSON{Name: strings.ToLower(m.Name), Altitude: m.Altitude, Frame: m.Frame})
	}
	for _, f := range e.Frames() {
		lab.Frames = append(lab.Frames, frameJSON{ID: f.ID, Low: f.Low, High: f.High, Volumes: nonNil(f.Volumes)})
	}
	for _, f := range e.FileSystems() {
		lab.FileSystems = append(lab.FileSystems, fsJSON{Name: f.Name, Driver: f.Driver, CDOs: nonNil(f.CDOs), Mounted: nonNil(f.Mounted)})
	}
	return json.NewEncoder(w).Encode(lab) // one line, and the newline after it
}

// labJSON is the shape of JSON's line. encoding/json writes map keys sorted,
// so the queues come alphabetically; every list is non-nil, so an empty one
// is [] and never null.
type labJSON struct {
	OS          string              `json:"os"`
	Policy      policyJSON          `json:"policy"`
	Queues      map[string][]string `json:"queues"`
	CDOs        []cdoJSON           `json:"cdos"`
	Filters     []filterJSON        `json:"filters"`
	Volumes     []volumeJSON        `json:"volumes"`
	Minifilters []miniJSON          `json:"minifilters"`
	Frames      []frameJSON         `json:"frames"`
	FileSystems []fsJSON            `json:"filesystems"`
}

type policyJSON struct {
	BlockLegacy bool `json:"block_legacy"`
}

type cdoJSON struct {
	Name        string   `json:"name"`
	FS          string   `json:"fs"`
	Type        string   `json:"type"`
	LowPriority bool     `json:"low_priority"`
	Recognizer  bool     `json:"recognizer"`
	Stack       []string `json:"stack"`
	StackFrames []int    `json:"stack_frames"`
}

type filterJSON struct {
	Name          string   `json:"name"`
	Notify        bool     `json:"notify"`
	Enumerate     bool     `json:"enumerate"`
	AttachRaw     bool     `json:"attach_raw"`
	Ex            bool     `json:"ex"`
	Registrations int      `json:"registrations"`
	CDOs          []string `json:"cdos"`
	Volumes       []string `json:"volumes"`
}

type volumeJSON struct {
	Name        string         `json:"name"`
	Device      string         `json:"device"`
	Media       string         `json:"media"`
	Format      string         `json:"format"`
	Mounted     bool           `json:"mounted"`
	FS          string         `json:"fs"`
	Stack       []string       `json:"stack"`
	StackFrames []int          `json:"stack_frames"`
	Instances   []instanceJSON `json:"instances"`
	// SetupPending is set while FltMgr's instance setup on the volume
	// waits for the first operation after its mount (absent otherwise).
	SetupPending bool `json:"setup_pending,omitempty"`
}

type instanceJSON struct {
	Minifilter string `json:"minifilter"`
	Altitude   string `json:"altitude"`
	Frame      int    `json:"frame"`
	Instance   string `json:"instance"`
}

type miniJSON struct {
	Name     string `json:"name"`
	Altitude string `json:"altitude"`
	Frame    int    `json:"frame"`
}

type frameJSON struct {
	ID      int      `json:"id"`
	Low     string   `json:"low"`
	High    string   `json:"high"`
	Volumes []string `json:"volumes"`
}

type fsJSON struct {
	Name    string   `json:"name"`
	Driver  string   `json:"driver"`
	CDOs    []string `json:"cdos"`
	Mounted []string `json:"mounted"`
}

// nonNil is xs, or an empty list where xs is nil: JSON says [], not null.
func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// shorts lists a stack's drivers by short name, top first.
func shorts(devs []engine.DeviceInfo) []string {
	out := make([]string, len(devs))
	for i, d := range devs {
		out[i] = d.Short
	}
	return out
}

// frameIDs lists the frame numbers of a stack's fltmgr entries, top first:
// one for each fltmgr in shorts' list beside it, in the same order (a
// parallel list, so that "stack" stays a list of driver names).
func frameIDs(devs []engine.DeviceInfo) []int {
	out := []int{}
	for _, d := range devs {
		if d.IsFrame {
			out = append(out, d.Frame)
		}
	}
	return out
}
