package render

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
)

// lab builds the seed story: ntfs, a notify filter, C: mounted, a command
// filter attached on top.
func lab(t *testing.T) *engine.Engine {
	t.Helper()
	e := engine.New()
	steps := []func() ([]engine.Event, error){
		func() ([]engine.Event, error) { return e.RegisterFileSystem("ntfs", engine.FSOptions{}) },
		func() ([]engine.Event, error) { return e.LoadFilter("av", engine.FilterOptions{Notify: true}) },
		func() ([]engine.Event, error) { return e.Mount("C:", engine.MountOptions{}) },
		func() ([]engine.Event, error) { return e.LoadFilter("backup", engine.FilterOptions{}) },
		func() ([]engine.Event, error) { return e.AttachFilter("backup", "C:") },
	}
	for _, step := range steps {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

var escape = regexp.MustCompile("\x1b\\[[0-9;]*m")

// renderAll writes every view of lab e with th: show, fs list, filter
// list, devstack and, dismounting C:, a trace.
func renderAll(t *testing.T, e *engine.Engine, th Theme) string {
	t.Helper()
	var b bytes.Buffer
	Show(&b, e, th)
	Queues(&b, e, th)
	Filters(&b, e.Filters(), th, 0)
	st, _ := e.Stack("C:")
	DevStack(&b, e, st, th)
	evs, err := e.Dismount("C:")
	if err != nil {
		t.Fatalf("dismount C: %v", err)
	}
	Events(&b, evs, th)
	return b.String()
}

func TestColorOffHasNoEscapes(t *testing.T) {
	b := bytes.NewBufferString(renderAll(t, lab(t), NewTheme(false)))
	if bytes.IndexByte(b.Bytes(), 0x1b) >= 0 {
		t.Fatalf("color off printed an escape byte:\n%q", b.String())
	}
}

// TestColorOnKeepsAlignment: with color on, stripping the escapes gives
// exactly the color-off text, so columns line up on a terminal too.
func TestColorOnKeepsAlignment(t *testing.T) {
	e := lab(t)
	var on, off bytes.Buffer
	Show(&on, e, NewTheme(true))
	Show(&off, e, NewTheme(false))
	if !escape.Match(on.Bytes()) {
		t.Fatal("color on printed no escape sequence")
	}
	if got := escape.ReplaceAllString(on.String(), ""); got != off.String() {
		t.Fatalf("color changed the layout:\n%s\nwant:\n%s", got, off.String())
	}
}

func TestDevStackLooksLikeWinDbg(t *testing.T) {
	e := lab(t)
	st, err := e.Stack("C:")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	DevStack(&b, e, st, NewTheme(false))
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want := []string{
		"  !DevObj           !DrvObj            !DevExt           ObjectName",
		"  " + st.Devices[0].Addr + "  \\FileSystem\\backup " + st.Devices[0].DevExt,
		"  " + st.Devices[1].Addr + "  \\FileSystem\\av     " + st.Devices[1].DevExt,
		"> " + st.Devices[2].Addr + "  \\FileSystem\\Ntfs   " + st.Devices[2].DevExt,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", b.String(), strings.Join(want, "\n"))
	}
	// A CDO: named, no extension, the name's last component in ObjectName.
	st, _ = e.Stack(`\Ntfs`)
	b.Reset()
	DevStack(&b, e, st, NewTheme(false))
	last := strings.Split(strings.TrimSpace(b.String()), "\n")
	if got := last[len(last)-1]; !strings.HasPrefix(got, "> ") || !strings.HasSuffix(got, "00000000  Ntfs") {
		t.Fatalf("CDO line = %q", got)
	}
}

func TestJSONShape(t *testing.T) {
	e := lab(t)
	var b bytes.Buffer
	if err := JSON(&b, e); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n"); n != 1 || !strings.HasSuffix(b.String(), "\n") {
		t.Fatalf("want exactly one line, got %d newlines", n)
	}
	var got struct {
		OS     string              `json:"os"`
		Queues map[string][]string `json:"queues"`
		CDOs   []struct {
			Name, FS, Type string
			Stack          []string
		} `json:"cdos"`
		Filters []struct {
			Name   string
			Notify bool
		} `json:"filters"`
		Volumes []struct {
			Name, Device, Media, FS string
			Mounted                 bool
			Stack                   []string
		} `json:"volumes"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.OS != "xp" {
		t.Errorf("os = %q", got.OS)
	}
	if q := strings.Join(got.Queues["disk"], " "); q != `\Ntfs \Device\RawDisk` {
		t.Errorf("disk queue = %q", q)
	}
	if len(got.Queues["network"]) != 0 || got.Queues["network"] == nil {
		t.Errorf("network queue must be an empty list, got %v", got.Queues["network"])
	}
	var ntfs []string
	for _, c := range got.CDOs {
		if c.Name == `\Ntfs` {
			ntfs = c.Stack
			if c.FS != "ntfs" || c.Type != "disk" {
				t.Errorf("\\Ntfs = %+v", c)
			}
		}
	}
	if strings.Join(ntfs, " ") != "av ntfs" {
		t.Errorf(`\Ntfs stack = %v`, ntfs)
	}
	if len(got.Filters) != 2 || got.Filters[0].Name != "av" || !got.Filters[0].Notify || got.Filters[1].Notify {
		t.Errorf("filters = %+v (sorted by name, av notify, backup not)", got.Filters)
	}
	v := got.Volumes[0]
	if v.Name != "C:" || v.Device != `\Device\HarddiskVolume1` || v.Media != "disk" || !v.Mounted || v.FS != "ntfs" ||
		strings.Join(v.Stack, " ") != "backup av ntfs" {
		t.Errorf("C: = %+v", v)
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"mount C:":          "mount C:",
		"tab\there":         "tab\there",
		"esc\x1b[31mred":    `esc\x1b[31mred`,
		"nul\x00":           `nul\x00`,
		"bad\xffutf8":       `bad\xffutf8`,
		"bell\a":            `bell\a`,
		"c1\u009bcontrol":   `c1\u009bcontrol`,
		"unicode ümlaut ok": "unicode ümlaut ok",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}
