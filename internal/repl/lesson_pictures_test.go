package repl

import (
	"bytes"
	"encoding/xml"
	"io"
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
