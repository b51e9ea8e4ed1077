package render

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/fssim/fssim/internal/engine"
)

// The fltmc views, in the column layout of the real fltmc.exe (the
// filters and instances layouts are Microsoft's samples; the volumes
// layout could not be checked against a sample, see engine/fltmgr.go).

// FltmcFilters writes fltmc filters in stack order, top first: each
// frame's minifilters, highest altitude first, with the legacy filters
// (frame <Legacy>, no instance count, the altitude derived from their load
// order group) between the frames they sit between. As in real captures,
// the altitude's integer part is right-aligned (so 46000 lines up under
// 409800) and its fraction follows. A legacy filter without a group shows
// no altitude, and a line under the table says why. The table fits width
// columns if it is more than 0 (fitTable).
func FltmcFilters(w io.Writer, e *engine.Engine, width int) {
	rs := e.FltmcFilters()
	g := &grid{cols: []tableCol{{"Filter Name", alignLeft}, {"Num Instances", alignRight}, {"Altitude", alignPoint}, {"Frame", alignRight}}, dashes: true}
	var blank []string
	for _, r := range rs {
		if r.Legacy {
			g.rows = append(g.rows, []string{Clean(r.Name), "", r.Altitude, "<Legacy>"})
			if r.Altitude == "" {
				blank = append(blank, Clean(r.Name))
			}
			continue
		}
		g.rows = append(g.rows, []string{r.Name, strconv.Itoa(r.Instances), r.Altitude, strconv.Itoa(r.Frame)})
	}
	b, end := begin(w)
	fitTable(b, width, func(b sink) {
		b.WriteString("Filter Name                     Num Instances    Altitude    Frame\n")
		b.WriteString("------------------------------  -------------  ------------  -----\n")
		for _, r := range rs {
			i, f, _ := strings.Cut(r.Altitude, ".")
			if f != "" {
				f = "." + f
			}
			if r.Legacy {
				fmt.Fprintf(b, "%-30s  %8s%14s%-3s   <Legacy>\n", Clean(r.Name), "", i, f)
				continue
			}
			fmt.Fprintf(b, "%-30s  %8d%14s%-3s%7d\n", r.Name, r.Instances, i, f, r.Frame)
		}
	}, g)
	for _, n := range blank {
		fmt.Fprintf(b, "(%s shows no altitude: fltmc derives a legacy filter's altitude from its load order group, and %s was loaded without --group)\n", n, n)
	}
	if p := e.PendingVolumes(); len(p) > 0 {
		fmt.Fprintf(b, "(instance setup pending on %s: it runs at the first operation after the mount, so Num Instances does not count those yet)\n", strings.Join(p, ", "))
	}
	end()
}

// Frames writes the frames as WinDbg's !fltkd.frames lists them: the frame
// list's address, then each frame top first with its range, its
// minifilters (highest altitude first) and their instances. Addresses are
// synthetic; the volume of each instance follows its line, since the real
// layout does not name it. Volumes whose instance setup is pending are
// named after the list.
func Frames(w io.Writer, e *engine.Engine) {
	b, end := begin(w)
	fs := e.Frames()
	b.WriteString("Frame List: ffffa0c000000000\n")
	for i := len(fs) - 1; i >= 0; i-- {
		f := fs[i]
		fmt.Fprintf(b, "   FLTP_FRAME: %s \"Frame %d\" \"%s to %s\"\n", f.Addr, f.ID, f.Low, f.High)
		for _, m := range f.Filters {
			fmt.Fprintf(b, "      FLT_FILTER: %s \"%s\" \"%s\"\n", m.Addr, m.Name, m.Altitude)
			for _, in := range m.Instances {
				fmt.Fprintf(b, "         FLT_INSTANCE: %s \"%s\" \"%s\"   (%s)\n", in.Addr, in.Instance, in.Altitude, in.Volume)
			}
		}
	}
	for _, v := range e.PendingVolumes() {
		fmt.Fprintf(b, "(instance setup pending on %s; it runs at the first operation after the mount, such as io read %s)\n", v, v)
	}
	end()
}

// FltmcInstances writes fltmc instances [-f NAME] [-v VOLUME]: rows sorted
// by filter name in ASCII order, then volume, then altitude, highest first.
// The table fits width columns if it is more than 0 (fitTable).
func FltmcInstances(w io.Writer, e *engine.Engine, filter, vol string, width int) {
	ins := e.Instances("")
	if vol != "" {
		ins = e.Instances(strings.ToUpper(vol))
	}
	sort.SliceStable(ins, func(i, j int) bool {
		if ins[i].Minifilter != ins[j].Minifilter {
			return ins[i].Minifilter < ins[j].Minifilter
		}
		return ins[i].Volume < ins[j].Volume
	})
	if filter != "" {
		ins = slices.DeleteFunc(ins, func(in engine.InstanceInfo) bool { return !strings.EqualFold(filter, in.Minifilter) })
	}
	// SprtFtrs is what modern Windows prints for a local volume; fssim
	// does not model the supported features.
	const sprtFtrs = "0000000f"
	g := &grid{cols: []tableCol{{"Filter", alignLeft}, {"Volume Name", alignLeft}, {"Altitude", alignPoint}, {"Instance Name", alignLeft},
		{"Frame", alignRight}, {"SprtFtrs", alignLeft}, {"VlStatus", alignLeft}}, dashes: true}
	for _, in := range ins {
		g.rows = append(g.rows, []string{in.Minifilter, in.Volume, in.Altitude, in.Instance, strconv.Itoa(in.Frame), sprtFtrs, ""})
	}
	b, end := begin(w)
	fitTable(b, width, func(b sink) {
		b.WriteString("Filter                Volume Name                              Altitude        Instance Name       Frame   SprtFtrs  VlStatus\n")
		b.WriteString("--------------------  -------------------------------------  ------------  ----------------------  -----   --------  --------\n")
		for _, in := range ins {
			fmt.Fprintf(b, "%-20s  %-37s  %9s     %-22s%5d     %s\n", in.Minifilter, in.Volume, in.Altitude, in.Instance, in.Frame, sprtFtrs)
		}
	}, g)
	for _, p := range e.PendingVolumes() {
		if vol == "" || strings.EqualFold(vol, p) {
			fmt.Fprintf(b, "(instance setup pending on %s; it runs at the first operation after the mount, such as io read %s)\n", p, p)
		}
	}
	end()
}

// FltmcVolumes writes fltmc volumes: the volumes FltMgr is attached to, by
// drive letter, with their file systems. The table fits width columns if
// it is more than 0 (fitTable).
func FltmcVolumes(w io.Writer, e *engine.Engine, width int) {
	on := map[string]bool{}
	for _, f := range e.Frames() {
		for _, v := range f.Volumes {
			on[v] = true
		}
	}
	g := &grid{cols: []tableCol{{"Dos Name", alignLeft}, {"Volume Name", alignLeft}, {"FileSystem", alignLeft}, {"Status", alignLeft}}, dashes: true}
	for _, l := range e.Letters() {
		if !on[l] {
			continue
		}
		v, _ := e.Volume(l)
		fs := strings.ToUpper(v.FS)
		if fs == "FASTFAT" {
			fs = "FAT"
		}
		g.rows = append(g.rows, []string{v.Name, v.Device, fs, ""})
	}
	b, end := begin(w)
	fitTable(b, width, func(b sink) {
		b.WriteString("Dos Name                        Volume Name                              FileSystem   Status\n")
		b.WriteString("------------------------------  ---------------------------------------  ----------  --------\n")
		for _, r := range g.rows {
			fmt.Fprintf(b, "%-30s  %-39s  %s\n", r[0], r[1], r[2])
		}
	}, g)
	end()
}

// ExplainMinifilter writes where a minifilter sits on a stack and why each
// legacy filter there is on the side of it it is on (rules 26 to 28).
// With full unset it fits a slide: the chain of events is left out and the
// legacy filters on either side are named in one line.
func ExplainMinifilter(w io.Writer, m *engine.MiniWhy, of OriginOf, th Theme, full bool) {
	b, end := begin(w)
	b.WriteString(MinifilterText(m, of, th, full) + "\n")
	end()
}

// MinifilterText is ExplainMinifilter's text.
func MinifilterText(m *engine.MiniWhy, of OriginOf, th Theme, full bool) string {
	var out []string
	f, s, fr := m.Minifilter, m.Stack, strconv.Itoa(m.Frame)
	switch m.Absent {
	case "not-mounted":
		return s + " is not mounted, so it has no stack and no instances: mount " + s + " builds one. (rules 24, 27)"
	case "cdo":
		return "minifilters have no instances on a CDO: FltMgr's frames sit on " + s + " to see mounts, and instances are on volumes. (rule 26)"
	case "frame-missing":
		return f + " belongs in frame " + fr + ", and frame " + fr + " has no device on " + s + ", since it left with a legacy filter detached below it; dismount and mount " + s + " to bring it back. (rules 23, 26)"
	case "no-auto":
		out = append(out, f+" was loaded with --no-auto, so it has no instance on "+s+" until fltmc attach "+f+" "+s+".")
	case "pending":
		out = append(out, f+" has no instance on "+s+" yet: "+s+" was mounted after FltMgr attached, and FltMgr calls InstanceSetup "+
			"(FLTFL_INSTANCE_SETUP_AUTOMATIC_ATTACHMENT | FLTFL_INSTANCE_SETUP_NEWLY_MOUNTED_VOLUME) on the first operation there: io read "+s+" runs it.")
	case "collided":
		out = append(out, f+" has no instance on "+s+", since FltMgr refused its automatic instance with "+m.Collision.String()+": "+s+
			" has "+m.Holder+"'s instance "+m.HolderInstance+" at "+m.HolderAltitude+", and a volume has one instance per altitude and per name.")
	case "detached":
		out = append(out, f+" has no instance on "+s+": it was detached (fltmc detach); fltmc attach "+f+" "+s+" makes one again.")
	default:
		head := f + " on " + s + ", instance " + m.Instance + " at altitude " + m.Altitude + " in frame " + fr
		if m.FrameDev != nil {
			head += " (" + string(appendLabel(nil, m.FrameDev, th.Brief() || !full)) + ")"
		}
		out = append(out, th.Bold(head))
		if len(m.Chain) > 0 {
			if o := of(m.Chain[0].ID); o.Verb != "" {
				out = append(out, "  "+th.Prompt(o.Verb)+th.Dim("   ("+o.At+")"))
			}
			base := m.Chain[0].Depth
			for _, e := range m.Chain {
				if !full {
					break
				}
				out = append(out, strings.Repeat(" ", 4+2*(e.Depth-base))+th.Event(e, EventText(e, th.Brief())))
			}
		}
	}
	if !full && m.Absent == "" {
		side := "no legacy filter sits above frame " + fr + "'s device"
		if len(m.Above) > 0 {
			side = "legacy filters above it (attached after frame " + fr + "): " + strings.Join(m.Above, ", ")
		}
		if len(m.Below) > 0 {
			side += "; below it (attached before): " + strings.Join(m.Below, ", ")
		}
		out = append(out, "  "+clip(side+" (rules 26, 27, 28)", ShortWidth-2))
		return strings.Join(out, "\n")
	}
	next := "frame " + strconv.Itoa(m.Frame+1) + " does not exist yet: FltMgr creates it only when a minifilter loads whose altitude lies above frame " + fr + "'s range (now " + m.Low + " to " + m.Highest + ") while a legacy filter sits above frame " + fr
	if m.NextFrame >= 0 {
		next = "frame " + strconv.Itoa(m.NextFrame) + ", above it, starts at altitude " + m.NextFrameLow + ", and " + f + "'s altitude " + m.Altitude + " is below that, so " + f + " stays in frame " + fr
	}
	for _, l := range m.Above {
		out = append(out, "  "+l+" is above "+f+" because "+l+" is a legacy filter attached after frame "+fr+"'s device, at the top of the stack then, and "+next+".")
	}
	for _, l := range m.Below {
		out = append(out, "  "+l+" is below "+f+" because "+l+" is a legacy filter attached before frame "+fr+"'s device; legacy filters never move, and frame "+fr+" landed on top of it.")
	}
	if len(m.Above) == 0 && m.Absent == "" {
		out = append(out, "  no legacy filter sits above frame "+fr+"'s device on "+s+".")
	}
	out = append(out, th.Dim("  (rules 26, 27, 28)"))
	return strings.Join(out, "\n")
}

// JSONExplainMinifilter writes ExplainMinifilter's facts as one line:
// {"minifilter":"scanner","stack":"C:","altitude":"328000","frame":0,"instance":"scanner","absent":"",
// "above":["av"],"below":[],"text":"..."}.
func JSONExplainMinifilter(w io.Writer, m *engine.MiniWhy) {
	b, end := begin(w)
	j := jsonBuf{b}
	b.WriteString(`{"minifilter":`)
	j.str(strings.ToLower(m.Minifilter))
	b.WriteString(`,"stack":`)
	j.str(m.Stack)
	b.WriteString(`,"altitude":`)
	j.str(m.Altitude)
	b.WriteString(`,"frame":`)
	b.WriteString(strconv.Itoa(m.Frame))
	b.WriteString(`,"instance":`)
	j.str(m.Instance)
	b.WriteString(`,"absent":`)
	j.str(m.Absent)
	b.WriteString(`,"above":`)
	j.strs(lower(m.Above))
	b.WriteString(`,"below":`)
	j.strs(lower(m.Below))
	b.WriteString(`,"rules":`)
	j.ints(m.Rules)
	b.WriteString("}\n")
	end()
}

func lower(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ToLower(x)
	}
	return out
}
