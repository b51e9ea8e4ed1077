package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
)

// step fails the test on an engine error.
func step(t testing.TB) func([]engine.Event, error) {
	return func(_ []engine.Event, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// miniLab is the minifilters lesson's lab: frame 0 with crypt and scanner
// under the legacy filter av, frame 1 with watch above it, and a manual
// instance of crypt named low.
func miniLab(t *testing.T) *engine.Engine {
	t.Helper()
	e := engine.New()
	must := step(t)
	must(e.RegisterFileSystem("ntfs", engine.FSOptions{}))
	must(e.Mount("C:", engine.MountOptions{}))
	must(e.LoadFltMgr())
	must(e.LoadMinifilter("crypt", engine.MiniOptions{Altitude: "141100", Group: "encryption"}))
	must(e.LoadFilter("av", engine.FilterOptions{Notify: true}))
	must(e.LoadMinifilter("scanner", engine.MiniOptions{Altitude: "138000", Group: "virtualization"}))
	must(e.LoadMinifilter("watch", engine.MiniOptions{Altitude: "385100", Group: "activity-monitor"}))
	must(e.FltmcAttach("crypt", "C:", "141000.5", "low"))
	return e
}

func volumeText(t *testing.T, e *engine.Engine, name string, th Theme) string {
	t.Helper()
	v, err := e.Volume(name)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	Volume(&b, e, v, th)
	return b.String()
}

// TestListingNamesInstancesUnderTheirFrame: show C: lists each frame's
// instances right under the frame's row, highest altitude first, the
// minifilter's name under the driver column, the altitude right-aligned
// in the role column and the instance's name in the last one.
func TestListingNamesInstancesUnderTheirFrame(t *testing.T) {
	e := miniLab(t)
	st, _ := e.Stack("C:")
	a := func(i int) string { return st.Devices[i].Addr }
	want := "C:  \\Device\\HarddiskVolume1  disk media, ntfs  mounted by \\FileSystem\\Ntfs\n" +
		"  " + a(0) + "  \\FileSystem\\FltMgr  frame 1   new frame\n" +
		"                      watch               385100  instance watch\n" +
		"  " + a(1) + "  \\FileSystem\\av      filter    notify (enumerate)\n" +
		"  " + a(2) + "  \\FileSystem\\FltMgr  frame 0   notify (enumerate)\n" +
		"                      crypt               141100  instance crypt\n" +
		"                      crypt             141000.5  instance low (fltmc attach)\n" +
		"                      scanner             138000  instance scanner\n" +
		"  " + a(3) + "  \\FileSystem\\Ntfs    VDO\n"
	if got := volumeText(t, e, "C:", NewTheme(false)); got != want {
		t.Errorf("show C:\n%s\nwant:\n%s", got, want)
	}
	brief := "C:  \\Device\\HarddiskVolume1  disk media, ntfs  mounted by \\FileSystem\\Ntfs\n" +
		"  \\FileSystem\\FltMgr  frame 1   new frame\n" +
		"    watch               385100  instance watch\n" +
		"  \\FileSystem\\av      filter    notify (enumerate)\n" +
		"  \\FileSystem\\FltMgr  frame 0   notify (enumerate)\n" +
		"    crypt               141100  instance crypt\n" +
		"    crypt             141000.5  instance low (fltmc attach)\n" +
		"    scanner             138000  instance scanner\n" +
		"  \\FileSystem\\Ntfs    VDO\n"
	if got := volumeText(t, e, "C:", NewTheme(false).WithBrief(true)); got != brief {
		t.Errorf("brief show C:\n%s\nwant:\n%s", got, brief)
	}

	// The CDO stack has frames too, but instances live on volumes.
	c, _ := e.CDO(`\Ntfs`)
	var b bytes.Buffer
	CDO(&b, c, NewTheme(false))
	if strings.Contains(b.String(), "instance") || strings.Count(b.String(), "\n") != 5 {
		t.Errorf("\\Ntfs lists instances:\n%s", b.String())
	}
}

// TestInstanceRowsKeepColorAlignment: with color on, the whole lab's view
// with instance rows is the color-off view once the escapes are stripped.
func TestInstanceRowsKeepColorAlignment(t *testing.T) {
	e := miniLab(t)
	for _, brief := range []bool{false, true} {
		var on, off bytes.Buffer
		Show(&on, e, NewTheme(true).WithBrief(brief))
		Show(&off, e, NewTheme(false).WithBrief(brief))
		if !strings.Contains(off.String(), "instance scanner") {
			t.Fatalf("show lists no instance:\n%s", off.String())
		}
		if got := escape.ReplaceAllString(on.String(), ""); got != off.String() {
			t.Errorf("brief %t: color changed the layout:\n%s\nwant:\n%s", brief, got, off.String())
		}
	}
}

// TestDevStackNamesInstances: devstack C: lists the instances under each
// FltMgr row, indented under the !DrvObj column, and keeps WinDbg's rows.
func TestDevStackNamesInstances(t *testing.T) {
	e := miniLab(t)
	st, _ := e.Stack("C:")
	var b bytes.Buffer
	DevStack(&b, e, st, NewTheme(false))
	d := st.Devices
	want := "  !DevObj           !DrvObj            !DevExt           ObjectName\n" +
		"  " + d[0].Addr + "  \\FileSystem\\FltMgr " + d[0].DevExt + "\n" +
		"                      watch      385100  instance watch\n" +
		"  " + d[1].Addr + "  \\FileSystem\\av     " + d[1].DevExt + "\n" +
		"  " + d[2].Addr + "  \\FileSystem\\FltMgr " + d[2].DevExt + "\n" +
		"                      crypt      141100  instance crypt\n" +
		"                      crypt    141000.5  instance low (fltmc attach)\n" +
		"                      scanner    138000  instance scanner\n" +
		"> " + d[3].Addr + "  \\FileSystem\\Ntfs   " + d[3].DevExt + "\n"
	if b.String() != want {
		t.Errorf("devstack C:\n%s\nwant:\n%s", b.String(), want)
	}
	st, _ = e.Stack(`\Ntfs`)
	b.Reset()
	DevStack(&b, e, st, NewTheme(false))
	if strings.Contains(b.String(), "instance") {
		t.Errorf("devstack \\Ntfs lists instances:\n%s", b.String())
	}
}

// deepFltLab has a C: of 34 devices: frame 2 (top) on top, 15 legacy
// filters, frame 1 (mid), 15 more, and frame 0 (low and m00 to m29) on the
// VDO, so a cut listing leaves out frame 1 and cuts frame 0's instances.
func deepFltLab(t testing.TB) *engine.Engine {
	t.Helper()
	e := engine.New()
	must := step(t)
	must(e.RegisterFileSystem("ntfs", engine.FSOptions{}))
	must(e.Mount("C:", engine.MountOptions{}))
	must(e.LoadFltMgr())
	must(e.LoadMinifilter("low", engine.MiniOptions{Altitude: "100000"}))
	legacy := func(from, to int) {
		for i := from; i < to; i++ {
			name := fmt.Sprintf("l%02d", i)
			must(e.LoadFilter(name, engine.FilterOptions{}))
			must(e.AttachFilter(name, "C:"))
		}
	}
	legacy(0, 15)
	must(e.LoadMinifilter("mid", engine.MiniOptions{Altitude: "300000"})) // frame 1, in the middle
	legacy(15, 30)
	must(e.LoadMinifilter("top", engine.MiniOptions{Altitude: "400000"})) // frame 2, on top
	for i := 0; i < 30; i++ {
		must(e.LoadMinifilter(fmt.Sprintf("m%02d", i), engine.MiniOptions{Altitude: fmt.Sprint(100 + i)}))
	}
	return e
}

// TestDeepListingCountsInstances: a stack cut to its top and bottom devices
// keeps each shown frame's instances under it, says how many instances the
// devices it leaves out host, and a frame with more than InstanceRows
// instances lists its InstanceEnds highest and lowest.
func TestDeepListingCountsInstances(t *testing.T) {
	e := deepFltLab(t)
	v, err := e.AppendVolumeEnds(nil, "C:", 24, 10)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	Volume(&b, e, v, NewTheme(false).WithBrief(true))
	got := b.String()
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	// header, 20 devices, the device cut, frame 2's and frame 0's
	// instances: 1 + 20 (31 less the cut), and the instance cut.
	if want := 1 + 20 + 1 + 1 + 2*InstanceEnds + 1; len(lines) != want {
		t.Errorf("%d lines, want %d:\n%s", len(lines), want, got)
	}
	for _, w := range []string{
		"\n  \\FileSystem\\FltMgr  frame 2  new frame\n    top   ",
		"\n  … 14 more devices, hosting 1 instance …\n",
		"\n  \\FileSystem\\FltMgr  frame 0  notify (enumerate)\n    low   ",
		"\n    m21  ",
		"\n    … 11 more instances …\n    m09  ",
		"instance m00\n  \\FileSystem\\Ntfs    VDO\n",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("listing lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "mid") || strings.Contains(got, "m10 ") || strings.Contains(got, "m20 ") {
		t.Errorf("listing shows an instance it should leave out:\n%s", got)
	}
	for _, l := range lines {
		if strings.HasSuffix(l, " ") {
			t.Errorf("trailing space: %q", l)
		}
	}
}

// BenchmarkVolumeListingWithInstances: the listing after a verb of
// deepFltLab's C: (34 devices, 3 frames, 33 instances), cut as the REPL
// cuts it.
func BenchmarkVolumeListingWithInstances(b *testing.B) {
	e := deepFltLab(b)
	var out bytes.Buffer
	var buf []engine.DeviceInfo
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, _ := e.AppendVolumeEnds(buf, "C:", 24, 10)
		buf = v.Stack
		out.Reset()
		Volume(&out, e, v, NewTheme(false))
	}
}
