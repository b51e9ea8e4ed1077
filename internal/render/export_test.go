package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
)

// bigLab has every kind of box: CDO stacks of four file systems and RAW,
// notify, command and by-name filters, a dismounted volume, a CD, and C:
// with more than PictureRows devices, so its middle is cut.
func bigLab(t *testing.T, deep int) *engine.Engine {
	t.Helper()
	e := engine.New()
	must := func(_ []engine.Event, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.RegisterFileSystem("ntfs", engine.FSOptions{}))
	must(e.RegisterFileSystem("fastfat", engine.FSOptions{}))
	must(e.RegisterFileSystem("cdfs", engine.FSOptions{}))
	must(e.LoadFilter("av", engine.FilterOptions{Notify: true, AttachRaw: true}))
	must(e.Mount("C:", engine.MountOptions{}))
	must(e.Mount("D:", engine.MountOptions{Media: engine.MediaCdRom, MediaSet: true}))
	must(e.Mount("E:", engine.MountOptions{Format: "fat32"}))
	must(e.Mount("F:", engine.MountOptions{}))
	must(e.Dismount("F:"))
	must(e.LoadFilter("backup", engine.FilterOptions{}))
	must(e.AttachFilter("backup", "E:"))
	for i := 0; i < deep; i++ {
		name := fmt.Sprintf("layer%02d", i)
		must(e.LoadFilter(name, engine.FilterOptions{}))
		must(e.AttachFilter(name, "C:"))
	}
	return e
}

func export(t *testing.T, e *engine.Engine, format, only string) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := Export(&b, e, format, only); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// drawnNames lists the names the picture must show: each stack's name,
// each drawn device's driver, each storage volume.
func drawnNames(t *testing.T, e *engine.Engine) []string {
	t.Helper()
	p, err := collect(e, "")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range append(p.cdos, p.vols...) {
		out = append(out, s.name)
		for _, d := range s.devs {
			out = append(out, d.Driver)
		}
		if s.volume {
			out = append(out, s.vol.Device)
		}
	}
	return out
}

func TestExportSVGIsValidXMLAndDeterministic(t *testing.T) {
	e := bigLab(t, 30)
	svg := export(t, e, "svg", "")
	if again := export(t, e, "svg", ""); again != svg {
		t.Fatal("two exports of the same lab differ")
	}
	d := xml.NewDecoder(strings.NewReader(svg))
	texts := map[string]bool{}
	titles, rects := 0, 0
	var in string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not valid XML: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			in = x.Name.Local
			switch in {
			case "svg":
				for _, a := range x.Attr {
					if a.Name.Local == "viewBox" && a.Value != "0 0 1600 900" {
						t.Errorf("viewBox %q, want 0 0 1600 900 (16:9)", a.Value)
					}
				}
			case "script", "image", "foreignObject", "style", "use":
				t.Errorf("the SVG holds a <%s>: it must be plain shapes and text", in)
			case "rect":
				rects++
			}
			for _, a := range x.Attr {
				if strings.Contains(a.Value, "http") && a.Name.Local != "xmlns" {
					t.Errorf("<%s %s=%q> refers outside the file", in, a.Name.Local, a.Value)
				}
			}
		case xml.CharData:
			if in == "text" {
				texts[string(x)] = true
			}
			if in == "title" {
				titles++
			}
		case xml.EndElement:
			in = ""
		}
	}
	for _, n := range drawnNames(t, e) {
		if !texts[n] {
			t.Errorf("no <text> says %q", n)
		}
	}
	if texts["minifilter instance"] {
		t.Errorf("the legend shows an instance box, and the lab has no minifilter")
	}
	if !texts["… 12 more devices …"] {
		t.Errorf("C: has 32 devices: want its top and bottom 10 and a box for the 12 between")
	}
	if texts[`\FileSystem\layer14`] || !texts[`\FileSystem\layer29`] || !texts[`\FileSystem\layer00`] {
		t.Errorf("the deep stack is not cut as the terminal cuts it (top 10, bottom 10)")
	}
	if titles < 20 {
		t.Errorf("only %d <title>s: every box has one", titles)
	}
	if strings.Count(svg, ">VPB<") != 3 { // C:, D: and E:; F: is dismounted
		t.Errorf("want a VPB arrow for each mounted volume:\n%s", svg)
	}
}

func TestExportEscapes(t *testing.T) {
	if got := XMLText(`<a&"b'>` + "\x01"); got != "&lt;a&amp;&#34;b&#39;&gt;\uFFFD" {
		t.Errorf("XMLText = %q", got)
	}
	if got := dotStr(`\Ntfs "x"`); got != `"\\Ntfs \"x\""` {
		t.Errorf("dotStr = %s", got)
	}
	if got := mmdStr(`a"b<c>&`, "d"); got != `"a#quot;b#lt;c#gt;#amp;<br/>d"` {
		t.Errorf("mmdStr = %s", got)
	}
}

func TestExportDotAndMermaidHaveEveryDevice(t *testing.T) {
	e := bigLab(t, 30)
	for _, f := range []string{"dot", "mermaid"} {
		out := export(t, e, f, "")
		for _, n := range drawnNames(t, e) {
			want := n
			if f == "dot" {
				want = strings.ReplaceAll(n, `\`, `\\`)
			}
			if !strings.Contains(out, want) {
				t.Errorf("%s: %q missing", f, want)
			}
		}
		if !strings.Contains(out, "… 12 more devices …") {
			t.Errorf("%s: the deep stack is not cut", f)
		}
		// Each node is declared once.
		decl := regexp.MustCompile(`(?m)^\s+(d[0-9a-f]{16})(\["| \[label)`)
		seen := map[string]bool{}
		for _, m := range decl.FindAllStringSubmatch(out, -1) {
			if seen[m[1]] {
				t.Errorf("%s: node %s declared twice", f, m[1])
			}
			seen[m[1]] = true
		}
		if len(seen) < 30 {
			t.Errorf("%s: only %d device nodes", f, len(seen))
		}
	}
}

func TestExportOneStack(t *testing.T) {
	e := bigLab(t, 0)
	out := export(t, e, "mermaid", "e:")
	if !strings.Contains(out, `\FileSystem\backup`) || strings.Contains(out, `\FileSystem\Ntfs`) {
		t.Errorf("export mermaid e: drew other stacks:\n%s", out)
	}
	if _, err := Export(io.Discard, e, "svg", "Q:"); err == nil {
		t.Error("export svg Q: succeeded")
	}
	if _, err := Export(io.Discard, e, "png", ""); err == nil {
		t.Error("export png succeeded")
	}
}

// fltLab is bigLab with Filter Manager: frame 0 with crypt, scanner and
// eight more minifilters (more than a picture draws), the legacy filter
// late above it, frame 1 with watch on top, and a manual instance on E:.
func fltLab(t *testing.T) *engine.Engine {
	t.Helper()
	e := bigLab(t, 30)
	must := step(t)
	must(e.LoadFltMgr())
	must(e.LoadMinifilter("crypt", engine.MiniOptions{Altitude: "141100", Group: "encryption"}))
	must(e.LoadMinifilter("scanner", engine.MiniOptions{Altitude: "138000", Group: "virtualization"}))
	for i := 0; i < 8; i++ {
		must(e.LoadMinifilter(fmt.Sprintf("mini%d", i), engine.MiniOptions{Altitude: fmt.Sprint(46000 + i)}))
	}
	must(e.LoadFilter("late", engine.FilterOptions{Notify: true}))
	must(e.LoadMinifilter("watch", engine.MiniOptions{Altitude: "385100", Group: "activity-monitor"}))
	must(e.FltmcAttach("crypt", "E:", "141000.5", "second"))
	return e
}

// drawnInstances lists, by the id of each frame device's box, the texts
// its instance rows must show: each drawn instance's minifilter, altitude
// and "instance NAME", and the row standing for those left out.
func drawnInstances(t *testing.T, e *engine.Engine) map[string][]string {
	t.Helper()
	p, err := collect(e, "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, s := range p.vols {
		for _, d := range s.devs {
			for _, in := range s.instRows(d) {
				if in == nil {
					out[nodeID(d)] = append(out[nodeID(d)], moreInstances(s.cutOf(d)))
					continue
				}
				_, _, what := instanceCells(*in, 0)
				out[nodeID(d)] = append(out[nodeID(d)], in.Minifilter, in.Altitude, what)
			}
		}
	}
	return out
}

// svgBoxes reads an SVG's frame boxes: for each <g id>, its first rect and
// the texts inside it with their anchor points.
type svgFrameBox struct {
	x, y, w, h int
	texts      map[string][2]int
}

func svgBoxes(t *testing.T, svg string) map[string]*svgFrameBox {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	out := map[string]*svgFrameBox{}
	var cur *svgFrameBox
	depth := 0 // <g> nesting inside the current frame box
	var at [2]int
	attr := func(x xml.StartElement, name string) string {
		for _, a := range x.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	num := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("not a whole number: %q", s)
		}
		return n
	}
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not valid XML: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			switch x.Name.Local {
			case "g":
				if id := attr(x, "id"); id != "" {
					cur = &svgFrameBox{texts: map[string][2]int{}}
					out[id] = cur
					depth = 0
				} else if cur != nil {
					depth++
				}
			case "rect":
				if cur != nil && cur.w == 0 {
					cur.x, cur.y, cur.w, cur.h = num(attr(x, "x")), num(attr(x, "y")), num(attr(x, "width")), num(attr(x, "height"))
				}
			case "text":
				inText = true
				at = [2]int{num(attr(x, "x")), num(attr(x, "y"))}
			}
		case xml.CharData:
			if inText && cur != nil {
				cur.texts[string(x)] = at
			}
		case xml.EndElement:
			switch x.Name.Local {
			case "text":
				inText = false
			case "g":
				if cur != nil {
					if depth == 0 {
						cur = nil
					} else {
						depth--
					}
				}
			}
		}
	}
	return out
}

// TestExportSVGDrawsInstancesInTheirFrame: every frame device that hosts
// instances is a box holding, inside its rectangle, the texts of each
// instance row; a frame with more than PictureInstanceRows instances draws
// its ends and a row for the rest; and the slide keeps its 16:9 viewBox.
func TestExportSVGDrawsInstancesInTheirFrame(t *testing.T) {
	for _, c := range []struct {
		name string
		e    *engine.Engine
		want []string // texts some frame box must hold
	}{
		{"lesson", miniLab(t), []string{"watch", "385100", "instance watch", "crypt", "scanner", "138000", "instance low (fltmc attach)"}},
		{"big", fltLab(t), []string{"watch", "crypt", "instance second (fltmc attach)", "mini7", "mini0", "… 4 more instances …"}},
	} {
		svg := export(t, c.e, "svg", "")
		if !strings.Contains(svg, `viewBox="0 0 1600 900"`) {
			t.Errorf("%s: not the 16:9 slide", c.name)
		}
		if !strings.Contains(svg, ">minifilter instance</text>") {
			t.Errorf("%s: the legend does not show the instance box", c.name)
		}
		boxes := svgBoxes(t, svg)
		want := drawnInstances(t, c.e)
		if len(want) == 0 {
			t.Fatalf("%s: no frame hosts an instance", c.name)
		}
		all := map[string]bool{}
		for id, texts := range want {
			b := boxes[id]
			if b == nil {
				t.Errorf("%s: no box for frame device %s", c.name, id)
				continue
			}
			for _, s := range texts {
				p, ok := b.texts[s]
				all[s] = all[s] || ok
				// An anchor inside the box, and the row's baseline above its bottom.
				if !ok || p[0] < b.x || p[0] > b.x+b.w || p[1] < b.y || p[1] > b.y+b.h-instPad {
					t.Errorf("%s: %q is not drawn inside frame box %s (%d,%d %dx%d): at %v, %t", c.name, s, id, b.x, b.y, b.w, b.h, p, ok)
				}
			}
		}
		for _, s := range c.want {
			if !all[s] {
				t.Errorf("%s: no frame box shows %q", c.name, s)
			}
		}
	}
}

// TestExportDotAndMermaidNameInstances: DOT and Mermaid write a frame
// device's instances into its node's label, one line each, so they are
// drawn inside its box; a deep stack's cut says how many instances the
// devices it leaves out host.
func TestExportDotAndMermaidNameInstances(t *testing.T) {
	e := miniLab(t)
	dot := export(t, e, "dot", "C:")
	for _, w := range []string{
		`label="\\FileSystem\\FltMgr\nframe 0, notify (enumerate)\ncrypt  141100  instance crypt\ncrypt  141000.5  instance low (fltmc attach)\nscanner  138000  instance scanner"`,
		`label="\\FileSystem\\FltMgr\nframe 1, new frame\nwatch  385100  instance watch"`,
	} {
		if !strings.Contains(dot, w) {
			t.Errorf("dot lacks %s:\n%s", w, dot)
		}
	}
	mmd := export(t, e, "mermaid", "C:")
	if w := `["\FileSystem\FltMgr<br/>frame 1, new frame<br/>watch  385100  instance watch"]:::notify`; !strings.Contains(mmd, w) {
		t.Errorf("mermaid lacks %s:\n%s", w, mmd)
	}
	if strings.Contains(export(t, e, "mermaid", `\Ntfs`), "141100") {
		t.Error("a CDO stack's frames show instances")
	}

	// deepFltLab's C: leaves out frame 1 and its instance of mid, and
	// frame 0 holds more instances than a picture draws.
	deep := deepFltLab(t)
	for _, f := range []string{"svg", "dot", "mermaid"} {
		out := export(t, deep, f, "C:")
		for _, w := range []string{"… 14 more devices, hosting 1 instance …", "… 25 more instances …", "m29", "m00"} {
			if !strings.Contains(out, w) {
				t.Errorf("%s: no %q", f, w)
			}
		}
		if strings.Contains(out, "instance mid") || strings.Contains(out, "m27") {
			t.Errorf("%s draws instances it leaves out", f)
		}
	}
}
