package render

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
)

// unreadable are the SGR parameters that vanish on a dark or a light
// background: black, yellow, blue and white, their bright variants, and any
// background color (which would fight the terminal's own).
var unreadable = map[int]string{
	30: "black", 33: "yellow", 34: "blue", 37: "white",
	90: "bright black", 93: "bright yellow", 94: "bright blue", 97: "bright white",
}

// themedSample paints one string in every role the palette has, and renders
// a whole lab with color on.
func themedSample(t *testing.T, th Theme) (string, []string) {
	var cells []string
	for _, k := range []engine.Kind{engine.KindCall, engine.KindCallback, engine.KindIrp, engine.KindClaim,
		engine.KindAttach, engine.KindDetach, engine.KindSkip, engine.KindNote} {
		cells = append(cells, th.Event(engine.Event{Kind: k}, "x"))
	}
	cells = append(cells,
		th.Event(engine.Event{Kind: engine.KindStatus, Status: engine.StatusSuccess}, "x"),
		th.Event(engine.Event{Kind: engine.KindStatus, Status: engine.StatusUnrecognizedVolume}, "x"),
		th.Err("x"), th.Comment("x"), th.Bold("x"), th.Prompt("x"), th.OK("x"))
	cells = append(cells,
		th.Device(engine.DeviceInfo{Role: engine.RoleCDO}, "x"),
		th.Device(engine.DeviceInfo{Role: engine.RoleVDO}, "x"))
	for _, o := range []engine.Origin{engine.OriginNotify, engine.OriginEnumerate, engine.OriginMount, engine.OriginByName, engine.OriginCommand} {
		cells = append(cells, th.Device(engine.DeviceInfo{Role: engine.RoleFilter, How: o}, "x"))
	}
	return strings.Join(cells, "") + renderAll(t, lab(t), th), cells
}

// TestPaletteReadsOnDarkAndLight: no role is painted in a color that
// disappears on a black or a white background.
func TestPaletteReadsOnDarkAndLight(t *testing.T) {
	for _, name := range Palettes {
		t.Run(name, func(t *testing.T) { paletteReads(t, NewPaletteTheme(true, name)) })
	}
}

func paletteReads(t *testing.T, th Theme) {
	out, cells := themedSample(t, th)
	for i, c := range cells {
		// high-contrast prints notes, which the default paints faint, in the
		// terminal's own foreground.
		if !escape.MatchString(c) && th.pal().dim != nil {
			t.Errorf("sample cell %d has no color: %q", i, c)
		}
	}
	// The exact forms fatih/color emits: \x1b[34m, \x1b[34;1m, \x1b[1;34m.
	for _, code := range []string{"33", "34"} {
		for _, seq := range []string{"\x1b[" + code + "m", "\x1b[" + code + ";1m", "\x1b[1;" + code + "m"} {
			if strings.Contains(out, seq) {
				t.Errorf("the themed sample contains %q", seq)
			}
		}
	}
	seqs := escape.FindAllString(out, -1)
	if len(seqs) == 0 {
		t.Fatal("color on printed no escape sequence")
	}
	for _, seq := range seqs {
		for _, p := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b["), "m"), ";") {
			n, err := strconv.Atoi(p)
			if err != nil {
				continue
			}
			if name, bad := unreadable[n]; bad {
				t.Errorf("%q paints text %s, unreadable on one background", seq, name)
			}
			if (n >= 40 && n <= 49) || (n >= 100 && n <= 107) {
				t.Errorf("%q sets a background color", seq)
			}
		}
	}
}

// TestProjectorPalettes: a comment, the teaching text of a lesson, is
// colored at normal intensity in both palettes, never faint; high-contrast
// has nothing faint at all and makes every color bold; an unknown name is
// the default palette.
func TestProjectorPalettes(t *testing.T) {
	params := func(seq string) []string {
		return strings.Split(strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b["), "m"), ";")
	}
	for _, name := range Palettes {
		c := NewPaletteTheme(true, name).Comment("x")
		if !escape.MatchString(c) || slices.Contains(params(escape.FindString(c)), "2") {
			t.Errorf("%s: a comment is %q, want a color, not faint", name, c)
		}
	}
	hc := NewPaletteTheme(true, "high-contrast")
	out, _ := themedSample(t, hc)
	for _, seq := range escape.FindAllString(out, -1) {
		ps := params(seq)
		if slices.Contains(ps, "2") {
			t.Errorf("high-contrast paints %q: faint", seq)
		}
		if !slices.Contains(ps, "0") && !slices.Contains(ps, "22") && !slices.Contains(ps, "1") {
			t.Errorf("high-contrast paints %q: not bold", seq)
		}
	}
	if hc.Dim("x") != "x" {
		t.Errorf("high-contrast Dim = %q, want the terminal's own foreground", hc.Dim("x"))
	}
	if NewPaletteTheme(false, "high-contrast").Comment("x") != "x" {
		t.Error("color off: high-contrast still colors")
	}
	if got, want := NewPaletteTheme(true, "nosuch").Comment("x"), NewTheme(true).Comment("x"); got != want {
		t.Errorf("an unknown palette: %q, want the default's %q", got, want)
	}
}
