package render

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/fssim/fssim/internal/engine"
)

// The SVG picture is a 16:9 slide (viewBox 0 0 1600 900): a title band, the
// stacks, and a legend band. The stacks are laid out at their natural size
// in whole units, then the layout is scaled (in thousandths, so the bytes
// never depend on floating point) to fit the content area; among the ways
// to wrap the stacks into rows and to place the CDO group beside or above
// the volume group, the one that needs the least shrinking wins. Everything
// is plain SVG: rect, text, line, path and title, system sans-serif fonts,
// no script, no external resource.

const (
	slideW, slideH = 1600, 900
	areaX, areaY   = 40, 80    // content area: below the title band
	areaW, areaH   = 1520, 756 // and above the legend band
	maxScale       = 1300      // thousandths: a small lab grows at most 1.3 times

	boxH     = 44 // a device box
	pitch    = 52 // from one box's top to the next one's
	headH    = 50 // a stack's header: its name and a line below
	vpbGap   = 46 // between a VDO and its storage volume: the VPB arrow
	colGap   = 28 // between stacks side by side
	rowGap   = 30 // between wrapped rows of stacks
	groupHd  = 38 // a group's heading
	groupGap = 64 // between the CDO group and the volume group

	nameSize, roleSize = 15, 12

	instPitch = 22 // from one instance row's top to the next, inside a frame's box
	instBoxH  = 18 // an instance row's own box
	instPad   = 6  // below a frame box's last instance row
)

// devH is the height of a device's box: a frame device's grows to hold its
// instance rows.
func (s picStack) devH(d *engine.DeviceInfo) int {
	if d == nil {
		return boxH
	}
	if n := s.instRowCount(*d); n > 0 {
		return boxH + n*instPitch + instPad - (instPitch - instBoxH)
	}
	return boxH
}

// instCols are the widths of the instance rows' columns, the same in every
// frame box of a picture: minifilter name, altitude, "instance NAME".
type instCols struct{ name, alt, inst int }

func (p picture) instCols() instCols {
	var c instCols
	for _, s := range p.vols {
		for _, pi := range s.inst {
			for _, in := range pi.ins {
				_, _, what := instanceCells(in, 0)
				c.name = max(c.name, textW(in.Minifilter, roleSize, true))
				c.alt = max(c.alt, textW(in.Altitude, roleSize, false))
				c.inst = max(c.inst, textW(what, roleSize, false))
			}
		}
	}
	return c
}

// width is what a frame box needs for its instance rows: each row's box is
// inset 8 from the frame's sides, its text 8 more, 12 between columns.
func (c instCols) width() int {
	if c.name == 0 {
		return 0
	}
	return 16 + 8 + c.name + 12 + c.alt + 12 + c.inst + 8 + 16
}

// textW estimates the width of s in px at font size px: about 0.6 em a
// character for a sans-serif, a little more in bold. It sizes the columns;
// a line it still finds too wide gets textLength, so it never overflows.
func textW(s string, px int, bold bool) int {
	w := utf8.RuneCountInString(s) * px * 60 / 100
	if bold {
		w = w * 108 / 100
	}
	return w
}

// column is one stack placed on the slide, in natural units.
type column struct {
	s    picStack
	x, y int
}

// svgLayout is the stacks' natural layout.
type svgLayout struct {
	boxW, w, h int
	cols       []column
	heads      []heading
}

type heading struct {
	x, y int
	text string
}

func (p picture) stackH(s picStack) int {
	h := headH - (pitch - boxH)
	for _, d := range s.rows() {
		h += s.devH(d) + pitch - boxH
	}
	if s.volume {
		if len(s.devs) == 0 {
			h = headH + boxH
		} else {
			h += vpbGap + boxH
		}
	}
	return h
}

// group places a group's stacks in rows of at most k, from (x, y); it
// returns the group's width and height.
func (p picture) group(l *svgLayout, title string, stacks []picStack, k, x, y int, place bool) (int, int) {
	colW := l.boxW + colGap
	if place {
		l.heads = append(l.heads, heading{x, y + 24, title})
	}
	h := groupHd
	if len(stacks) == 0 {
		if place {
			l.heads = append(l.heads, heading{x, y + groupHd + 18, "none yet: mount C: mounts one"})
		}
		return max(l.boxW, textW(title, 20, true)), groupHd + 30
	}
	w := 0
	for r := 0; r*k < len(stacks); r++ {
		if r > 0 {
			h += rowGap
		}
		rowH := 0
		row := stacks[r*k : min(len(stacks), r*k+k)]
		for i, s := range row {
			if place {
				l.cols = append(l.cols, column{s, x + i*colW, y + h})
			}
			rowH = max(rowH, p.stackH(s))
		}
		w = max(w, len(row)*colW-colGap)
		h += rowH
	}
	return max(w, textW(title, 20, true)), h
}

// layout lays the stacks out with at most k stacks a row in each group,
// the groups side by side or one above the other.
func (p picture) layout(boxW, k int, beside, place bool) svgLayout {
	l := svgLayout{boxW: boxW}
	type grp struct {
		title  string
		stacks []picStack
	}
	var gs []grp
	if len(p.cdos) > 0 || !p.single {
		gs = append(gs, grp{"CDO stacks, in queue order (head first)", p.cdos})
	}
	if len(p.vols) > 0 || !p.single {
		gs = append(gs, grp{"volume stacks, by drive letter", p.vols})
	}
	x, y := 0, 0
	for i, g := range gs {
		if i > 0 {
			if beside {
				x += groupGap
			} else {
				y += groupGap / 2
			}
		}
		gw, gh := p.group(&l, g.title, g.stacks, k, x, y, place)
		if beside {
			x += gw
			l.w, l.h = x, max(l.h, gh)
		} else {
			y += gh
			l.w, l.h = max(l.w, gw), y
		}
	}
	return l
}

// fit picks the layout that needs the least shrinking and its scale in
// thousandths.
func (p picture) fit() (svgLayout, int) {
	boxW := 210
	for _, s := range append(append([]picStack(nil), p.cdos...), p.vols...) {
		boxW = max(boxW, textW(s.name, 20, true)+8, textW(s.sub, roleSize, false)+8)
		for _, d := range s.devs {
			boxW = max(boxW, textW(d.Driver, nameSize, true)+24, textW(roleText(d), roleSize, false)+24)
		}
		if s.volume {
			boxW = max(boxW, textW(s.vol.Device, nameSize, true)+24)
		}
	}
	boxW = max(boxW, p.instCols().width())
	boxW = min(boxW, 340)
	n := max(len(p.cdos), len(p.vols), 1)
	bestS, bestK, bestBeside := -1, 1, true
	for k := n; k >= 1; k-- {
		for _, beside := range []bool{true, false} {
			l := p.layout(boxW, k, beside, false)
			s := min(areaW*1000/max(l.w, 1), areaH*1000/max(l.h, 1), maxScale)
			if s > bestS {
				bestS, bestK, bestBeside = s, k, beside
			}
		}
	}
	return p.layout(boxW, bestK, bestBeside, true), bestS
}

// svgText writes a text element; one wider than maxW is squeezed to it.
func svgText(b *bytes.Buffer, x, y, px int, anchor, weight, fill, s string, maxW int) {
	fmt.Fprintf(b, `<text x="%d" y="%d" font-size="%d"`, x, y, px)
	if anchor != "" {
		fmt.Fprintf(b, ` text-anchor="%s"`, anchor)
	}
	if weight != "" {
		fmt.Fprintf(b, ` font-weight="%s"`, weight)
	}
	if fill != "" {
		fmt.Fprintf(b, ` fill="%s"`, fill)
	}
	if maxW > 0 && textW(s, px, weight != "") > maxW {
		fmt.Fprintf(b, ` textLength="%d" lengthAdjust="spacingAndGlyphs"`, maxW)
	}
	b.WriteString(">" + XMLText(s) + "</text>\n")
}

// svgBox writes a box: a tooltip, a rectangle and one or two lines of text.
func svgBox(b *bytes.Buffer, x, y, w int, st style, title, line1, line2 string) {
	b.WriteString("<g>")
	if title != "" {
		b.WriteString("<title>" + XMLText(title) + "</title>")
	}
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="%s" stroke="%s" stroke-width="%s"`, x, y, w, boxH, st.fill, st.stroke, st.width)
	if st.dash != "" {
		fmt.Fprintf(b, ` stroke-dasharray="%s"`, st.dash)
	}
	b.WriteString("/>\n")
	cx := x + w/2
	if line2 == "" {
		svgText(b, cx, y+boxH/2+5, roleSize+1, "middle", "", "#333333", line1, w-16)
	} else {
		svgText(b, cx, y+19, nameSize, "middle", "600", "#1a1a1a", line1, w-16)
		svgText(b, cx, y+36, roleSize, "middle", "", "#333333", line2, w-16)
	}
	b.WriteString("</g>\n")
}

func (p picture) svg(b *bytes.Buffer) {
	l, scale := p.fit()
	fmt.Fprintf(b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`+"\n", slideW, slideH, slideW, slideH)
	b.WriteString("<title>fssim: device stacks, top first</title>\n")
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4b5b63"/></marker></defs>` + "\n")
	fmt.Fprintf(b, `<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`+"\n", slideW, slideH)
	svgText(b, areaX, 50, 28, "", "700", "#1a1a1a", "Device stacks, top first", 0)
	svgText(b, slideW-areaX, 50, 16, "end", "", "#555555", "os "+p.os.String()+" ("+p.os.Title()+")", 0)
	fmt.Fprintf(b, `<line x1="%d" y1="64" x2="%d" y2="64" stroke="#cccccc" stroke-width="1"/>`+"\n", areaX, slideW-areaX)

	cols := p.instCols()
	tx := areaX + (areaW-l.w*scale/1000)/2
	fmt.Fprintf(b, `<g transform="translate(%d %d) scale(%d.%03d)">`+"\n", tx, areaY, scale/1000, scale%1000)
	for _, h := range l.heads {
		svgText(b, h.x, h.y, 20, "", "700", "#333333", h.text, 0)
	}
	for _, c := range l.cols {
		p.svgStack(b, c, l.boxW, cols)
	}
	b.WriteString("</g>\n")
	p.svgLegend(b)
	b.WriteString("</svg>\n")
}

func (p picture) svgStack(b *bytes.Buffer, c column, w int, cols instCols) {
	s := c.s
	cx := c.x + w/2
	svgText(b, cx, c.y+20, 20, "middle", "700", "#1a1a1a", s.name, w)
	svgText(b, cx, c.y+38, roleSize, "middle", "", "#555555", s.sub, w)
	y := c.y + headH
	for _, d := range s.rows() {
		switch {
		case d == nil:
			svgBox(b, c.x, y, w, styleMore, strconv.Itoa(s.omitted)+" devices not drawn", s.moreText(), "")
		case s.instRows(*d) != nil:
			p.svgFrame(b, s, *d, c.x, y, w, cols)
		default:
			svgBox(b, c.x, y, w, devStyle(*d), devTitle(*d), d.Driver, roleText(*d))
		}
		y += s.devH(d) + pitch - boxH
	}
	if !s.volume {
		return
	}
	if len(s.devs) == 0 { // dismounted: the storage volume alone
		svgBox(b, c.x, c.y+headH, w, styleStorage, s.vol.Device+", storage volume, no file system mounted (VPB not mounted)", s.vol.Device, "storage volume")
		return
	}
	vdoBottom := y - (pitch - boxH)
	sy := vdoBottom + vpbGap
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#4b5b63" stroke-width="2" marker-end="url(#arrow)"/>`+"\n", cx, sy, cx, vdoBottom+2)
	svgText(b, cx+10, vdoBottom+vpbGap/2+5, roleSize+1, "", "700", "#4b5b63", "VPB", 0)
	svgBox(b, c.x, sy, w, styleStorage, s.vol.Device+", storage volume: its VPB (Vpb "+s.vol.Vpb+") points at the VDO", s.vol.Device, "storage volume")
}

// svgFrame writes a frame device's box with its instances inside it, one
// row each, highest altitude first: the minifilter's name, its altitude
// right-aligned and "instance NAME", in columns shared by every frame box.
// The group's id is the device's, so a test can find what lies inside.
func (p picture) svgFrame(b *bytes.Buffer, s picStack, d engine.DeviceInfo, x, y, w int, cols instCols) {
	st := devStyle(d)
	rows := s.instRows(d)
	h := s.devH(&d)
	fmt.Fprintf(b, `<g id="%s">`, nodeID(d))
	b.WriteString("<title>" + XMLText(devTitle(d)+", hosting "+nInstances(len(s.inst[d.Addr].ins)+s.cutOf(d))) + "</title>")
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="%s" stroke="%s" stroke-width="%s"/>`+"\n", x, y, w, h, st.fill, st.stroke, st.width)
	cx := x + w/2
	svgText(b, cx, y+19, nameSize, "middle", "600", "#1a1a1a", d.Driver, w-16)
	svgText(b, cx, y+36, roleSize, "middle", "", "#333333", roleText(d), w-16)
	// Columns: if the box is too narrow (it is at most 340 wide), a long
	// name column gives up room down to a third of the row, and each text
	// that still does not fit is squeezed into its column.
	inner := w - 2*(8+8)
	nameW := cols.name
	if over := nameW + 12 + cols.alt + 12 + cols.inst - inner; over > 0 && nameW > inner/3 {
		nameW = max(nameW-over, inner/3)
	}
	nameX := x + 16
	altR := nameX + nameW + 12 + cols.alt
	instX := altR + 12
	ri := styleInstance
	for k, in := range rows {
		ry := y + boxH + k*instPitch
		if in == nil {
			fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" rx="3" fill="%s" stroke="%s" stroke-width="1" stroke-dasharray="%s"/>`+"\n", x+8, ry, w-16, instBoxH, styleMore.fill, styleMore.stroke, styleMore.dash)
			svgText(b, cx, ry+13, roleSize-1, "middle", "", "#555555", moreInstances(s.cutOf(d)), w-32)
			continue
		}
		_, _, what := instanceCells(*in, 0)
		fmt.Fprintf(b, `<g><title>%s</title><rect x="%d" y="%d" width="%d" height="%d" rx="3" fill="%s" stroke="%s" stroke-width="%s"/>`+"\n",
			XMLText(in.Minifilter+", altitude "+in.Altitude+", "+what+" on "+in.Volume+", frame "+strconv.Itoa(in.Frame)), x+8, ry, w-16, instBoxH, ri.fill, ri.stroke, ri.width)
		svgText(b, nameX, ry+13, roleSize, "", "600", "#1a1a1a", in.Minifilter, nameW)
		svgText(b, altR, ry+13, roleSize, "end", "", "#333333", in.Altitude, 0)
		svgText(b, instX, ry+13, roleSize, "", "", "#333333", what, x+w-16-instX)
		b.WriteString("</g>\n")
	}
	b.WriteString("</g>\n")
}

// svgLegend writes the legend band: a swatch and a label for each kind of
// box, and the VPB arrow.
func (p picture) svgLegend(b *bytes.Buffer) {
	labels := []string{"CDO", "VDO", "filter, by notification", "filter, by command", "filter, by name", "storage volume", "minifilter instance"}
	y := slideH - 40
	x := areaX
	for i, st := range p.kinds() {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="30" height="20" rx="4" fill="%s" stroke="%s" stroke-width="%s"`, x, y, st.fill, st.stroke, st.width)
		if st.dash != "" {
			fmt.Fprintf(b, ` stroke-dasharray="%s"`, st.dash)
		}
		b.WriteString("/>\n")
		svgText(b, x+38, y+15, 14, "", "", "#333333", labels[i], 0)
		x += 38 + utf8.RuneCountInString(labels[i])*14*52/100 + 30
	}
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#4b5b63" stroke-width="2" marker-end="url(#arrow)"/>`+"\n", x, y+10, x+34, y+10)
	svgText(b, x+42, y+15, 14, "", "", "#333333", "VPB: storage volume to its VDO", 0)
}
