// Package render turns the lab into text for people: the event trace,
// stacks, lists, the WinDbg !devstack view, one-line JSON and pictures. It
// reads and never changes state. Most views take values the caller got from
// the engine (a Stack, a Volume, events); the views of the whole lab (Show,
// Queues, JSON, Export and the fltmc listings) take the *engine.Engine and
// walk it through its query methods, which return copies or append to the
// caller's buffer, and call no method that changes the lab.
//
// Layout is computed on plain strings first and color added to whole cells
// last, so aligned columns stay aligned with color on. Color comes from a
// Theme value decided once by the caller; with color off every Theme method
// returns its input unchanged, so output then holds no escape byte.
package render

import (
	"slices"

	"github.com/fatih/color"

	"github.com/fssim/fssim/internal/engine"
)

// Theme colors text by role. The zero value has color off. It is two words
// wide, so passing it by value to every row of a listing costs nothing.
//
// A theme also says how much of a trace to print (its Trace level, for a
// projector; trace.go): below full, trace lines and stack rows leave out
// device addresses. The WinDbg view, DevStack, keeps its addresses.
type Theme struct {
	on    bool
	trace Trace
	p     *palette
}

// palette holds the colors of a theme with color on.
type palette struct {
	call, callback, irp, ok, bad, claim, attach, detach, dim, bold *color.Color
	comment                                                        *color.Color
	cdo, vdo, notify, command, byName, prompt                      *color.Color
	diffAdd, diffDel, diffHunk                                     *color.Color
}

// Palettes are the names --theme and FSSIM_THEME take: the default, and
// high-contrast for a projector, where faint text and thin colors wash out.
var Palettes = []string{"default", "high-contrast"}

// ValidPalette reports whether name is one of Palettes.
func ValidPalette(name string) bool {
	for _, p := range Palettes {
		if p == name {
			return true
		}
	}
	return false
}

// NewTheme returns a theme with color on or off, in the default palette.
func NewTheme(on bool) Theme { return NewPaletteTheme(on, "default") }

// NewPaletteTheme returns a theme with color on or off in the palette
// named name (one of Palettes; any other is the default). It never consults
// fatih/color's package-wide NoColor switch: each color is forced on.
//
// high-contrast is for a projector: every color is bold, and what the
// default paints faint is in the terminal's own foreground instead.
func NewPaletteTheme(on bool, name string) Theme {
	if !on {
		return Theme{}
	}
	hc := name == "high-contrast"
	mk := func(attrs ...color.Attribute) *color.Color {
		if hc && !slices.Contains(attrs, color.Bold) {
			attrs = append(attrs, color.Bold)
		}
		c := color.New(attrs...)
		c.EnableColor()
		return c
	}
	dim := mk(color.Faint)
	if hc {
		dim = nil
	}
	// The palette has to read on a dark and on a light terminal alike, so it
	// avoids the two basic colors that vanish on one of them: blue (34) is
	// barely visible on black and yellow (33) on white; black, white and the
	// bright variants go too. What is left (red, green, magenta, cyan, the
	// terminal's own foreground in bold, and faint) reads on both. The
	// teaching text of a lesson, its comments, is read from the back of a
	// room: normal intensity, in green, never faint. Roles
	// that belong together share a hue: a notification routine and the
	// devices it attaches are magenta, calls and commands from user mode
	// cyan, a claim and its VDO green, and weight tells them apart.
	return Theme{on: true, p: &palette{
		call:     mk(color.FgCyan),
		callback: mk(color.FgMagenta),
		irp:      mk(color.Bold),
		ok:       mk(color.FgGreen),
		bad:      mk(color.FgRed, color.Bold),
		claim:    mk(color.FgGreen, color.Bold),
		attach:   mk(color.FgGreen),
		detach:   mk(color.FgRed),
		dim:      dim,
		comment:  mk(color.FgGreen),
		bold:     mk(color.Bold),
		cdo:      mk(color.FgCyan, color.Bold),
		vdo:      mk(color.FgGreen, color.Bold),
		notify:   mk(color.FgMagenta),
		command:  mk(color.FgCyan),
		byName:   mk(color.FgMagenta, color.Bold),
		prompt:   mk(color.FgCyan, color.Bold),
		diffAdd:  mk(color.FgGreen),
		diffDel:  mk(color.FgRed),
		diffHunk: mk(color.FgCyan, color.Bold),
	}}
}

// Enabled reports whether the theme colors.
func (t Theme) Enabled() bool { return t.on }

// noColors is the palette of the zero Theme: every color nil.
var noColors = &palette{}

func (t Theme) pal() *palette {
	if t.p == nil {
		return noColors
	}
	return t.p
}

func (t Theme) paint(c *color.Color, s string) string {
	if !t.on || c == nil || s == "" {
		return s
	}
	return c.Sprint(s)
}

// Err colors an error message.
func (t Theme) Err(s string) string { return t.paint(t.pal().bad, s) }

// Dim colors comments, notes and secondary text.
func (t Theme) Dim(s string) string { return t.paint(t.pal().dim, s) }

// Comment colors a scenario's comments, the teaching text of a lesson:
// never faint, so that it reads on a projector.
func (t Theme) Comment(s string) string { return t.paint(t.pal().comment, s) }

// Bold colors headings.
func (t Theme) Bold(s string) string { return t.paint(t.pal().bold, s) }

// Prompt colors the prompt and transcript echo.
func (t Theme) Prompt(s string) string { return t.paint(t.pal().prompt, s) }

// Expected colors a refusal a scenario line asked for ("! ..."): not the
// red of a real failure.
func (t Theme) Expected(s string) string { return t.paint(t.pal().ok, s) }

// OK colors a success.
func (t Theme) OK(s string) string { return t.paint(t.pal().ok, s) }

// DiffAdd colors a line a diff adds ("+...").
func (t Theme) DiffAdd(s string) string { return t.paint(t.pal().diffAdd, s) }

// DiffDel colors a line a diff removes ("-...").
func (t Theme) DiffDel(s string) string { return t.paint(t.pal().diffDel, s) }

// DiffHunk colors a diff's hunk header ("@@ -1,3 +1,4 @@").
func (t Theme) DiffHunk(s string) string { return t.paint(t.pal().diffHunk, s) }

// Event colors one trace line by the kind of event.
func (t Theme) Event(e engine.Event, s string) string {
	switch e.Kind {
	case engine.KindCall:
		return t.paint(t.pal().call, s)
	case engine.KindCallback:
		return t.paint(t.pal().callback, s)
	case engine.KindIrp:
		return t.paint(t.pal().irp, s)
	case engine.KindStatus:
		if e.Status.Failed() {
			return t.paint(t.pal().bad, s)
		}
		return t.paint(t.pal().ok, s)
	case engine.KindClaim:
		return t.paint(t.pal().claim, s)
	case engine.KindAttach:
		return t.paint(t.pal().attach, s)
	case engine.KindDetach:
		return t.paint(t.pal().detach, s)
	}
	return t.paint(t.pal().dim, s)
}

// Device colors a stack cell by the device's role and, for filters, by how
// it got there.
func (t Theme) Device(d engine.DeviceInfo, s string) string {
	switch d.Role {
	case engine.RoleCDO:
		return t.paint(t.pal().cdo, s)
	case engine.RoleVDO:
		return t.paint(t.pal().vdo, s)
	}
	switch d.How {
	case engine.OriginCommand:
		return t.paint(t.pal().command, s)
	case engine.OriginByName:
		return t.paint(t.pal().byName, s)
	}
	return t.paint(t.pal().notify, s)
}
