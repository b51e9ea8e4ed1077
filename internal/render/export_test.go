package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
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
	if got := xmlText(`<a&"b'>` + "\x01"); got != "&lt;a&amp;&#34;b&#39;&gt;\uFFFD" {
		t.Errorf("xmlText = %q", got)
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
