package render

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/fssim/fssim/internal/engine"
)

// Pictures of the lab: export svg|dot|mermaid. All three are drawn from one
// model, a list of stacks (CDO stacks in queue order, head first, then
// volume stacks by drive letter), each its devices top first and, for a
// volume, its storage device with the VPB that links it to the VDO.

// Export limits: a stack deeper than PictureRows devices is drawn as its top
// and bottom PictureEnds devices with a box saying how many lie between, as
// a verb's report lists it on the terminal.
const (
	PictureRows = 24
	PictureEnds = 10
)

// A frame's instances are drawn inside its box; a frame hosting more than
// PictureInstanceRows draws its PictureInstanceEnds highest and lowest and a
// row saying how many lie between, so a stack still fits the slide.
const (
	PictureInstanceRows = 8
	PictureInstanceEnds = 3
)

// Formats export writes.
var ExportFormats = []string{"svg", "dot", "mermaid"}

// picStack is one stack of a picture.
type picStack struct {
	name    string // \Ntfs or C:
	sub     string // disk queue #1; ntfs, disk media; dismounted
	volume  bool
	devs    []engine.DeviceInfo // top first
	omitted int                 // devices left out between the halves of devs
	vol     engine.VolumeInfo   // volumes only
	// inst holds, by device address, the instances a frame device hosts
	// (volumes only), and hidden how many the omitted devices host.
	inst   map[string]picInst
	hidden int
}

// picInst is what a frame device's box shows: its instances, highest
// altitude first, and how many it leaves out between their halves.
type picInst struct {
	ins []engine.InstanceInfo
	cut int
}

// picture is what an export draws.
type picture struct {
	os     engine.Profile
	cdos   []picStack
	vols   []picStack
	single bool // one stack was asked for
}

// collect reads the stacks to draw from the engine: every stack, or the one
// named (a volume or a CDO, as show takes them).
func collect(e *engine.Engine, only string) (picture, error) {
	p := picture{os: e.Profile(), single: only != ""}
	if only != "" {
		st, err := e.Stack(only)
		if err != nil {
			return p, err
		}
		if st.Volume {
			p.vols = append(p.vols, volStack(e, st.Name))
			return p, nil
		}
		for _, q := range engine.QueueOrder {
			for i, c := range e.Queue(q) {
				if c.Name == st.Name {
					p.cdos = append(p.cdos, cdoStack(e, c.Name, q, i))
				}
			}
		}
		return p, nil
	}
	for _, q := range engine.QueueOrder {
		for i, c := range e.Queue(q) {
			p.cdos = append(p.cdos, cdoStack(e, c.Name, q, i))
		}
	}
	for _, l := range e.Letters() {
		p.vols = append(p.vols, volStack(e, l))
	}
	return p, nil
}

func cdoStack(e *engine.Engine, name string, q engine.FsType, i int) picStack {
	c, _ := e.AppendCDOEnds(nil, name, PictureRows, PictureEnds)
	sub := q.String() + " queue #" + strconv.Itoa(i+1)
	if c.LowPriority {
		sub += ", low priority"
	}
	if c.Recognizer {
		sub += ", recognizer"
	}
	return picStack{name: c.Name, sub: sub, devs: c.Stack, omitted: c.Omitted}
}

func volStack(e *engine.Engine, letter string) picStack {
	v, _ := e.AppendVolumeEnds(nil, letter, PictureRows, PictureEnds)
	s := picStack{name: v.Name, volume: true, devs: v.Stack, omitted: v.Omitted, vol: v}
	if v.Mounted && e.FltMgrLoaded() {
		shown := 0
		for _, d := range v.Stack {
			if !d.IsFrame {
				continue
			}
			ins, cut := e.AppendFrameInstances(nil, v.Name, d.Frame, PictureInstanceRows, PictureInstanceEnds)
			if len(ins) == 0 {
				continue
			}
			if s.inst == nil {
				s.inst = map[string]picInst{}
			}
			s.inst[d.Addr] = picInst{ins, cut}
			shown += len(ins) + cut
		}
		if v.Omitted > 0 {
			s.hidden = e.NumInstances(v.Name) - shown
		}
	}
	format := v.Format
	if format == "" {
		format = "unformatted"
	}
	s.sub = format + ", " + v.Media.String() + " media"
	if !v.Mounted {
		s.sub = "dismounted, " + s.sub
	}
	if e.SetupPending(v.Name) {
		s.sub += ", instance setup pending"
	}
	return s
}

// rows is what a stack shows, top first: its devices with, when the middle
// was left out, a nil entry where the "… N more devices …" box goes.
func (s picStack) rows() []*engine.DeviceInfo {
	out := make([]*engine.DeviceInfo, 0, len(s.devs)+1)
	for i := range s.devs {
		if s.omitted > 0 && i == len(s.devs)/2 {
			out = append(out, nil)
		}
		out = append(out, &s.devs[i])
	}
	return out
}

// instRows is what a frame device's box shows under its name, highest
// altitude first: its instances with, when some were left out, a nil entry
// where the "… N more instances …" row goes. Other devices have none.
func (s picStack) instRows(d engine.DeviceInfo) []*engine.InstanceInfo {
	pi, ok := s.inst[d.Addr]
	if !ok {
		return nil
	}
	out := make([]*engine.InstanceInfo, 0, len(pi.ins)+1)
	for i := range pi.ins {
		if pi.cut > 0 && i == len(pi.ins)/2 {
			out = append(out, nil)
		}
		out = append(out, &pi.ins[i])
	}
	return out
}

// instRowCount is len(s.instRows(d)), without building the rows: the
// layout asks it of every device for every way of wrapping the stacks.
func (s picStack) instRowCount(d engine.DeviceInfo) int {
	pi := s.inst[d.Addr]
	if pi.cut > 0 {
		return len(pi.ins) + 1
	}
	return len(pi.ins)
}

// cutOf is how many instances d's box leaves out.
func (s picStack) cutOf(d engine.DeviceInfo) int { return s.inst[d.Addr].cut }

// labelLines are a device's lines in a DOT or Mermaid box: its driver, its
// role and, for a frame device, one line per instance it hosts.
func (s picStack) labelLines(d engine.DeviceInfo) []string {
	lines := []string{d.Driver, roleText(d)}
	for _, in := range s.instRows(d) {
		if in == nil {
			lines = append(lines, moreInstances(s.cutOf(d)))
		} else {
			lines = append(lines, instanceLine(*in))
		}
	}
	return lines
}

// moreText is the box standing for the devices a deep stack leaves out.
func (s picStack) moreText() string { return moreDevices(s.omitted, s.hidden) }

// instanceLine is an instance in one line of text, for DOT and Mermaid
// labels: the cells of a listing's instance row.
func instanceLine(in engine.InstanceInfo) string {
	name, _, what := instanceCells(in, 0)
	return strings.TrimSpace(name) + "  " + in.Altitude + "  " + what
}

// roleText is a box's second line: role and, for a filter, how it got there.
func roleText(d engine.DeviceInfo) string {
	if h := how(d); h != "" {
		return role(d) + ", " + h
	}
	return role(d)
}

// devTitle is a device's tooltip: its driver, role, how and address.
func devTitle(d engine.DeviceInfo) string {
	t := d.Driver
	if d.Name != "" {
		t += " " + d.Name
	}
	return t + ", " + roleText(d) + ", device object " + d.Addr
}

// style is how a kind of box is drawn. Fills are light tints and strokes
// dark, so text reads on paper and on a projector; each kind also has its
// own stroke width or dash, so a grey-scale print still tells them apart.
type style struct {
	class, fill, stroke, width, dash, label string
}

var (
	styleCDO      = style{"cdo", "#cde6f2", "#14627a", "3", "", "CDO (file system control device)"}
	styleVDO      = style{"vdo", "#d3ebcc", "#2e6b30", "3", "", "VDO (mounted volume)"}
	styleNotify   = style{"notify", "#f3d9ee", "#8a2f7e", "1.5", "", "filter attached by notification"}
	styleCommand  = style{"command", "#def3f6", "#00707a", "2", "8 4", "filter attached by command"}
	styleByName   = style{"byname", "#e5d3f0", "#55237a", "2", "2 3", "filter attached by name"}
	styleStorage  = style{"storage", "#eceff1", "#4b5b63", "1.5", "", "storage volume"}
	styleInstance = style{"instance", "#fff4cc", "#8a6d00", "1", "", "minifilter instance, inside its frame"}
	styleMore     = style{"more", "#ffffff", "#8a8a8a", "1.5", "4 4", ""}
	pictureKinds  = []style{styleCDO, styleVDO, styleNotify, styleCommand, styleByName, styleStorage}
)

// hasInstances reports whether the picture draws a minifilter instance:
// only then does the SVG legend show the instance style, so a picture of a
// lab without one is what it was before.
func (p picture) hasInstances() bool {
	for _, s := range p.vols {
		if len(s.inst) > 0 {
			return true
		}
	}
	return false
}

// kinds are the styles the SVG legend shows.
func (p picture) kinds() []style {
	if p.hasInstances() {
		return append(pictureKinds[:len(pictureKinds):len(pictureKinds)], styleInstance)
	}
	return pictureKinds
}

// devStyle colors a box as Theme.Device colors a row on the terminal.
func devStyle(d engine.DeviceInfo) style {
	switch d.Role {
	case engine.RoleCDO:
		return styleCDO
	case engine.RoleVDO:
		return styleVDO
	}
	switch d.How {
	case engine.OriginCommand:
		return styleCommand
	case engine.OriginByName:
		return styleByName
	}
	return styleNotify
}

// Export writes a picture of every stack, or of the one named, as svg, dot
// or mermaid text. It returns how many stacks it drew.
func Export(w io.Writer, e *engine.Engine, format, only string) (int, error) {
	p, err := collect(e, only)
	if err != nil {
		return 0, err
	}
	var b bytes.Buffer
	switch format {
	case "svg":
		p.svg(&b)
	case "dot":
		p.dot(&b)
	case "mermaid":
		p.mermaid(&b)
	default:
		return 0, fmt.Errorf("%w: unknown export format %q (want svg, dot or mermaid)", engine.ErrBadValue, format)
	}
	_, err = w.Write(b.Bytes())
	return len(p.cdos) + len(p.vols), err
}

// ---- DOT ----

// dotStr quotes s for DOT: backslashes doubled (\N and \l are escapes in
// DOT labels) and quotes escaped.
func dotStr(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

func nodeID(d engine.DeviceInfo) string { return "d" + d.Addr }

// stackID names a stack in DOT and Mermaid: a volume by its letter, a CDO
// stack by its CDO's address (names like \my.fs and \my_fs would clash).
func stackID(prefix string, s picStack) string {
	if s.volume {
		return prefix + s.name[:1]
	}
	return prefix + s.devs[len(s.devs)-1].Addr
}

func (p picture) dot(b *bytes.Buffer) {
	b.WriteString("// fssim export dot: device stacks; rankdir=BT puts each stack's top at the top.\n")
	b.WriteString("digraph fssim {\n")
	b.WriteString("  rankdir=BT;\n  newrank=true;\n  node [shape=box, style=\"filled\", fontname=\"Helvetica\", fontsize=11];\n  edge [arrowhead=none];\n")
	fmt.Fprintf(b, "  label=%s;\n  labelloc=t;\n", dotStr("device stacks, top first, "+p.os.String()+" ("+p.os.Title()+")"))
	group := func(id, label string, stacks []picStack) {
		if len(stacks) == 0 {
			return
		}
		fmt.Fprintf(b, "  subgraph cluster_%s {\n    label=%s;\n", id, dotStr(label))
		for _, s := range stacks {
			sid := stackID("cluster_s_", s)
			fmt.Fprintf(b, "    subgraph %s {\n      label=%s;\n", sid, dotStr(s.name+"\n"+s.sub))
			var below string // node id of the device below, bottom up
			rows := s.rows()
			if s.volume {
				st := stackID("st_", s)
				fmt.Fprintf(b, "      %s [label=%s, fillcolor=%s, color=%s];\n", st, dotStr(s.vol.Device+"\nstorage volume"), dotStr(styleStorage.fill), dotStr(styleStorage.stroke))
				below = st
			}
			for i := len(rows) - 1; i >= 0; i-- {
				d := rows[i]
				var id string
				if d == nil {
					id = stackID("more_", s)
					fmt.Fprintf(b, "      %s [label=%s, fillcolor=%s, color=%s, style=\"filled,dashed\"];\n", id, dotStr(s.moreText()), dotStr(styleMore.fill), dotStr(styleMore.stroke))
				} else {
					st := devStyle(*d)
					id = nodeID(*d)
					attrs := ""
					if st.dash != "" {
						attrs = ", style=\"filled,dashed\""
					}
					if st.width != "1.5" {
						attrs += ", penwidth=" + st.width
					}
					fmt.Fprintf(b, "      %s [label=%s, tooltip=%s, fillcolor=%s, color=%s%s];\n", id, dotStr(strings.Join(s.labelLines(*d), "\n")), dotStr(devTitle(*d)), dotStr(st.fill), dotStr(st.stroke), attrs)
				}
				if below != "" {
					if d != nil && d.Role == engine.RoleVDO {
						fmt.Fprintf(b, "      %s -> %s [label=\"VPB\", arrowhead=normal];\n", below, id)
					} else {
						fmt.Fprintf(b, "      %s -> %s;\n", below, id)
					}
				}
				below = id
			}
			b.WriteString("    }\n")
		}
		b.WriteString("  }\n")
	}
	group("cdos", "CDO stacks, in queue order", p.cdos)
	group("volumes", "volume stacks", p.vols)
	b.WriteString("}\n")
}

// ---- Mermaid ----

// mmdStr quotes lines for a Mermaid label, joined by <br/>: a double quote
// becomes #quot;, and < > & become entities so the label shows them as text.
func mmdStr(lines ...string) string {
	r := strings.NewReplacer(`"`, "#quot;", "&", "#amp;", "<", "#lt;", ">", "#gt;")
	for i, l := range lines {
		lines[i] = r.Replace(l)
	}
	return `"` + strings.Join(lines, "<br/>") + `"`
}

func (p picture) mermaid(b *bytes.Buffer) {
	b.WriteString("flowchart BT\n")
	b.WriteString("  %% fssim export mermaid: device stacks, top first, " + p.os.String() + " (" + p.os.Title() + ")\n")
	group := func(id, label string, stacks []picStack) {
		if len(stacks) == 0 {
			return
		}
		fmt.Fprintf(b, "  subgraph %s[%s]\n", id, mmdStr(label))
		for _, s := range stacks {
			fmt.Fprintf(b, "    subgraph %s[%s]\n", stackID("s_", s), mmdStr(s.name+" · "+s.sub))
			var below string
			rows := s.rows()
			if s.volume {
				below = stackID("st_", s)
				fmt.Fprintf(b, "      %s[%s]:::storage\n", below, mmdStr(s.vol.Device, "storage volume"))
			}
			for i := len(rows) - 1; i >= 0; i-- {
				d := rows[i]
				var id string
				if d == nil {
					id = stackID("more_", s)
					fmt.Fprintf(b, "      %s[%s]:::more\n", id, mmdStr(s.moreText()))
				} else {
					id = nodeID(*d)
					fmt.Fprintf(b, "      %s[%s]:::%s\n", id, mmdStr(s.labelLines(*d)...), devStyle(*d).class)
				}
				if below != "" {
					if d != nil && d.Role == engine.RoleVDO {
						fmt.Fprintf(b, "      %s -->|VPB| %s\n", below, id)
					} else {
						fmt.Fprintf(b, "      %s --- %s\n", below, id)
					}
				}
				below = id
			}
			b.WriteString("    end\n")
		}
		b.WriteString("  end\n")
	}
	group("cdos", "CDO stacks, in queue order", p.cdos)
	group("volumes", "volume stacks", p.vols)
	for _, st := range append(pictureKinds, styleMore) { // instances are lines of a frame's node, not nodes
		fmt.Fprintf(b, "  classDef %s fill:%s,stroke:%s,stroke-width:%spx", st.class, st.fill, st.stroke, st.width)
		if st.dash != "" {
			fmt.Fprintf(b, ",stroke-dasharray:%s", st.dash)
		}
		b.WriteString(",color:#1a1a1a\n")
	}
}
