package render

import (
	"context"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fssim/fssim/internal/chromiumtest"
)

// chromium finds the headless browser (internal/chromiumtest).
func chromium(t *testing.T) string {
	return chromiumtest.Find(t, "the SVG is not rendered in a browser")
}

func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// As root the sandbox must be off; headless needs no GPU.
	args = append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir()}, args...)
	cmd := exec.CommandContext(ctx, bin, args...)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, stderr)
	}
	return out
}

// TestExportSVGInChromiumLong renders export svg of a lab with several stacks
// (and one cut short), Filter Manager's frames and their minifilter
// instances in headless Chromium: the screenshot is produced and shows the
// boxes' colors, the browser lays out every device name with a width,
// inside the 1600x900 slide, and every instance's name, altitude and
// instance name inside its frame's box.
func TestExportSVGInChromiumLong(t *testing.T) {
	bin := chromium(t)
	e := fltLab(t)
	svg := export(t, e, "svg", "")
	dir := t.TempDir()
	svgPath := filepath.Join(dir, "lab.svg")
	if err := os.WriteFile(svgPath, []byte(svg), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := os.Getenv("FSSIM_SVG_SCREENSHOT"); out != "" { // to look at it: FSSIM_SVG_SCREENSHOT=/tmp/lab.png
		runChromium(t, bin, "--screenshot="+out, "--window-size=1600,900", svgPath)
	}

	// 1. The screenshot: a PNG of the slide, not blank, with the fills of
	// CDO, VDO, notify, command, by-name, storage and instance boxes on it.
	pngPath := filepath.Join(dir, "lab.png")
	runChromium(t, bin, "--screenshot="+pngPath, "--window-size=1600,900", svgPath)
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1600 || b.Dy() != 900 {
		t.Errorf("screenshot is %dx%d, want 1600x900", b.Dx(), b.Dy())
	}
	colors := map[[3]uint32]int{}
	nonWhite := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			c := [3]uint32{r >> 8, g >> 8, b >> 8}
			colors[c]++
			if c != [3]uint32{255, 255, 255} {
				nonWhite++
			}
		}
	}
	if nonWhite < 1600*900/20 {
		t.Errorf("the screenshot is almost blank: %d non-white pixels", nonWhite)
	}
	for _, st := range append(pictureKinds, styleInstance) {
		var want [3]uint32
		for i := range want {
			var v uint32
			for _, ch := range st.fill[1+2*i : 3+2*i] {
				v = v*16 + uint32(strings.IndexRune("0123456789abcdef", ch))
			}
			want[i] = v
		}
		found := 0
		for c, n := range colors {
			if near(c, want) {
				found += n
			}
		}
		// The legend's swatch alone is 600 pixels: a kind of box must
		// also be drawn in the stacks.
		if found < 1200 {
			t.Errorf("the screenshot shows no %s box (fill %s): %d pixels", st.class, st.fill, found)
		}
	}

	// 2. The text: a page holding the SVG walks its <text> elements and
	// checks that each expected name is laid out with a width, inside the
	// slide, and that each instance's texts lie inside the box of the frame
	// device hosting it (the <g> with the device's id); --dump-dom prints
	// the verdict the script wrote.
	names, _ := json.Marshal(drawnNames(t, e))
	frames, _ := json.Marshal(drawnInstances(t, e))
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0}</style></head><body>` +
		strings.TrimPrefix(svg, `<?xml version="1.0" encoding="UTF-8"?>`+"\n") +
		`<pre id="verdict"></pre><script>
const want = ` + string(names) + `;
const frames = ` + string(frames) + `;
const svg = document.querySelector("svg");
const box = svg.getBoundingClientRect();
const within = (r, o) => r.left >= o.left - 1 && r.right <= o.right + 1 && r.top >= o.top - 1 && r.bottom <= o.bottom + 1;
const seen = new Map();
for (const t of svg.querySelectorAll("text")) {
  const bb = t.getBBox(), r = t.getBoundingClientRect();
  if (bb.width > 0 && bb.height > 0 && within(r, box)) seen.set(t.textContent, true);
}
const missing = want.filter(n => !seen.has(n));
let inst = 0;
for (const [id, texts] of Object.entries(frames)) {
  const g = document.getElementById(id);
  if (!g) { missing.push("no frame box " + id); continue; }
  const fr = g.querySelector("rect").getBoundingClientRect();
  for (const want of texts) {
    const ok = [...svg.querySelectorAll("text")].some(t => t.textContent === want &&
      t.getBBox().width > 0 && within(t.getBoundingClientRect(), fr) && within(t.getBoundingClientRect(), box));
    if (ok) inst++; else missing.push(want + " inside " + id);
  }
}
document.getElementById("verdict").textContent = missing.length === 0
  ? "VERDICT ok " + want.length + " names and " + inst + " instance texts drawn"
  : "VERDICT missing " + JSON.stringify(missing);
</script></body></html>`
	pagePath := filepath.Join(dir, "page.html")
	if err := os.WriteFile(pagePath, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := runChromium(t, bin, "--window-size=1600,900", "--dump-dom", "file://"+pagePath)
	m := regexp.MustCompile(`VERDICT [^<]*`).Find(dom)
	switch {
	case m == nil:
		t.Fatalf("the page's script left no verdict:\n%s", dom)
	case !strings.HasPrefix(string(m), "VERDICT ok"):
		t.Errorf("the browser did not draw every name: %s", m)
	default:
		t.Logf("%s", m)
	}
}

// near reports whether two colors are within a little of each other (the
// browser blends edges and may convert color spaces).
func near(a, b [3]uint32) bool {
	for i := range a {
		d := int(a[i]) - int(b[i])
		if d < -3 || d > 3 {
			return false
		}
	}
	return true
}
