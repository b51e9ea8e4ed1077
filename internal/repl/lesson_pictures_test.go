package repl

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/render"
)

// TestMinifiltersLessonPictureShowsInstances: after the minifilters lesson,
// export svg draws watch, crypt and scanner inside the boxes of FltMgr's
// frame devices (render's tests check the geometry; this one that the
// lesson's lab gets there), and dot and mermaid name them in their frame's
// node.
func TestMinifiltersLessonPictureShowsInstances(t *testing.T) {
	var out bytes.Buffer
	s := NewSession(&out, render.NewTheme(false))
	if err := s.Exec("lesson minifilters"); err != nil {
		t.Fatal(err)
	}
	export := func(what string) string {
		t.Helper()
		out.Reset()
		if err := s.Exec("export " + what); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}

	// The texts inside each frame device's box, the <g> with an id.
	inFrame := map[string]bool{}
	d := xml.NewDecoder(strings.NewReader(export("svg")))
	depth, frame, inText := 0, -1, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("export svg is not XML: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if x.Name.Local == "g" {
				depth++
				for _, a := range x.Attr {
					if a.Name.Local == "id" && frame < 0 {
						frame = depth
					}
				}
			}
			inText = x.Name.Local == "text"
		case xml.CharData:
			if inText && frame >= 0 {
				inFrame[string(x)] = true
			}
		case xml.EndElement:
			inText = false
			if x.Name.Local == "g" {
				if depth == frame {
					frame = -1
				}
				depth--
			}
		}
	}
	for _, w := range []string{"watch", "385100", "instance watch", "crypt", "141100", "instance crypt", "scanner", "138000", "instance scanner"} {
		if !inFrame[w] {
			t.Errorf("export svg after the minifilters lesson: no frame box holds %q (frame boxes hold %v)", w, inFrame)
		}
	}
	for _, f := range []string{"dot C:", "mermaid C:"} {
		got := export(f)
		for _, w := range []string{"watch  385100  instance watch", "crypt  141100  instance crypt", "scanner  138000  instance scanner"} {
			if !strings.Contains(got, w) {
				t.Errorf("export %s after the minifilters lesson lacks %q", f, w)
			}
		}
	}
}

// TestViewsNameAnInstanceAlike: show, devstack, explain, io, fltmc
// instances and export name a minifilter as it was loaded, its altitude as
// the engine keeps it and its instance by its name, so a student can match
// a listing's row to a trace's line.
func TestViewsNameAnInstanceAlike(t *testing.T) {
	var out bytes.Buffer
	s := NewSession(&out, render.NewTheme(false))
	mustExec(t, s, "fs register ntfs", "mount C:", "fltmgr load", "filter load av --notify",
		"minifilter load WdFilter --altitude 328010.5 -i WdFilter_Inst")
	ins := s.Eng.Instances("C:")
	if len(ins) != 1 {
		t.Fatalf("instances on C: %v", ins)
	}
	name, alt, inst := ins[0].Minifilter, ins[0].Altitude, ins[0].Instance
	if name != "WdFilter" || alt != "328010.5" || inst != "WdFilter_Inst" {
		t.Fatalf("the engine keeps %q %q %q", name, alt, inst)
	}
	row := regexp.MustCompile(`(?m)^ +` + name + ` +` + regexp.QuoteMeta(alt) + `  instance ` + inst + `$`)
	for _, c := range []struct {
		verb string
		want *regexp.Regexp
	}{
		{"show C:", row},
		{"show", row},
		{"devstack C:", row},
		// av sits above frame 0, so FltMgr makes frame 1 for WdFilter,
		// though frame 0 holds no minifilter (issue 15.1).
		{"explain WdFilter C:", regexp.MustCompile(`instance ` + inst + ` at altitude ` + regexp.QuoteMeta(alt) + ` in frame 1`)},
		{`io read C:\x`, regexp.MustCompile(name + `@` + regexp.QuoteMeta(alt) + ` pre-operation callback`)},
		{"fltmc instances", regexp.MustCompile(name + ` +C: +` + regexp.QuoteMeta(alt) + ` +` + inst + ` `)},
		{"export mermaid C:", regexp.MustCompile(name + `  ` + regexp.QuoteMeta(alt) + `  instance ` + inst)},
	} {
		out.Reset()
		mustExec(t, s, c.verb)
		if !c.want.MatchString(out.String()) {
			t.Errorf("%s does not match %s:\n%s", c.verb, c.want, out.String())
		}
	}
}
