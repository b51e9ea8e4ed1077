package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fssim/fssim/internal/engine"
)

// BriefPassRun is the longest run of filters passing a request down that
// brief output lists one by one; a longer run is one line.
const BriefPassRun = 3

// Events writes a trace, one line per event, two spaces per level of depth,
// and returns how many lines it wrote. Below TraceFull it prints the events
// the theme's level keeps (the table in trace.go), each indented under its
// nearest printed cause, without device addresses; more than BriefPassRun
// filters in a row passing a request down (if the level prints them) become
// one line, "N filters pass it down"; and a bare STATUS_SUCCESS answering a
// routine's call (registering a notification routine) is left out, since
// the call's line says it happened. A status that answers an IRP, and every
// failure, stay.
func Events(w io.Writer, evs []engine.Event, th Theme) int {
	b, end := begin(w)
	defer end()
	var parent []engine.Kind // brief: the kind of the latest event at each depth
	// under[d]: the depth a child of the latest event at depth d is printed
	// at, when levels leave events out.
	var under []int
	n := 0
	for i := 0; i < len(evs); i++ {
		e := evs[i]
		depth := e.Depth
		if th.trace != TraceFull {
			at := 0
			if e.Depth > 0 && e.Depth-1 < len(under) {
				at = under[e.Depth-1]
			}
			parent = append(parent[:min(e.Depth, len(parent))], e.Kind)
			under = append(under[:min(e.Depth, len(under))], at)
			if !traceShows(e, th.trace) {
				continue
			}
			under[len(under)-1] = at + 1
			depth = at
		}
		line := appendSpaces(b.AvailableBuffer(), 2*depth)
		if th.trace != TraceFull {
			if passesDown(e) {
				j := i + 1
				for j < len(evs) && evs[j].Depth == e.Depth && passesDown(evs[j]) {
					j++
				}
				if k := j - i; k > BriefPassRun {
					line = append(line, th.Event(e, strconv.Itoa(k)+" filters pass it down")...)
					b.Write(append(line, '\n'))
					n++
					i = j - 1
					continue
				}
			}
			if a, ok := e.Data.(engine.Answer); ok && a.By == nil && e.Status == engine.StatusSuccess &&
				e.Depth > 0 && e.Depth-1 < len(parent) && parent[e.Depth-1] == engine.KindCall {
				continue
			}
		}
		if th.on {
			line = append(line, th.Event(e, string(appendEvent(nil, e, th.Brief())))...)
		} else {
			line = appendEvent(line, e, th.Brief())
		}
		b.Write(append(line, '\n'))
		n++
	}
	return n
}

// passesDown reports whether e is a filter passing a request down the
// stack it sits on (a mount, or a recognizer's load request).
func passesDown(e engine.Event) bool {
	return e.Op == engine.OpPassDown
}

const spaces = "                                                                "

// appendSpaces appends n spaces.
func appendSpaces(b []byte, n int) []byte {
	for n > len(spaces) {
		b = append(b, spaces...)
		n -= len(spaces)
	}
	return append(b, spaces[:max(n, 0)]...)
}

// how is the "how it got there" column of a stack row.
func how(d engine.DeviceInfo) string {
	switch d.How {
	case engine.OriginNotify:
		return "notify (callback)"
	case engine.OriginEnumerate:
		return "notify (enumerate)"
	case engine.OriginMount:
		return "notify (mount)"
	case engine.OriginByName:
		return "by name"
	case engine.OriginCommand:
		return "command"
	case engine.OriginFrame:
		return "new frame"
	}
	return ""
}

func role(d engine.DeviceInfo) string {
	if d.Role == engine.RoleCDO && d.Short == "fs_rec" {
		return "CDO (recognizer)"
	}
	if d.IsFrame {
		return "frame " + strconv.Itoa(d.Frame)
	}
	return d.Role.String()
}

// Instance rows: under each of FltMgr's frame devices on a volume, a listing
// names the minifilter instances that frame hosts, highest altitude first.
// A frame hosting more than InstanceRows instances lists its InstanceEnds
// highest and InstanceEnds lowest, with a row saying how many lie between,
// as a deep stack's devices are cut: fltmc instances lists them all.
const (
	InstanceRows = 24
	InstanceEnds = 10
)

// instRows are the instance rows of one listing.
type instRows struct {
	at  [][]engine.InstanceInfo // at[i]: under the listing's i-th device; nil if no device hosts any
	cut []int                   // cut[i]: instances at[i] leaves out between its halves
	// hidden is how many instances the frames a deep stack's cut left out
	// host: the "… N more devices …" row says it.
	hidden int
	// pending, if set, is the row under each frame device of a volume whose
	// instance setup waits for the first operation after its mount.
	pending string
}

// pendingRow says that a volume's instance setup has not run yet.
func pendingRow(letter string) string {
	return "(instance setup pending: FltMgr runs it on the first operation on " + letter + ")"
}

// volumeInstances reads from e the instances a volume listing shows: those
// of each frame device in v.Stack. It costs time in proportion to the rows
// it returns and to the number of frames, not to the stack's depth.
func volumeInstances(e *engine.Engine, v engine.VolumeInfo) instRows {
	var r instRows
	if e == nil || !v.Mounted || !e.FltMgrLoaded() {
		return r
	}
	if e.SetupPending(v.Name) {
		r.pending = pendingRow(v.Name)
	}
	shown := 0
	for i, d := range v.Stack {
		if !d.IsFrame {
			continue
		}
		ins, cut := e.AppendFrameInstances(nil, v.Name, d.Frame, InstanceRows, InstanceEnds)
		if len(ins) == 0 {
			continue
		}
		if r.at == nil {
			r.at, r.cut = make([][]engine.InstanceInfo, len(v.Stack)), make([]int, len(v.Stack))
		}
		r.at[i], r.cut[i] = ins, cut
		shown += len(ins) + cut
	}
	if v.Omitted > 0 {
		r.hidden = e.NumInstances(v.Name) - shown
	}
	return r
}

// instanceCells are an instance row's cells, in the columns of a device
// row: the minifilter's name (indented under the driver column), its
// altitude (right-aligned to wAlt, as fltmc aligns altitudes) and its
// instance name, with "(fltmc attach)" for a manual instance.
func instanceCells(in engine.InstanceInfo, wAlt int) (name, alt, what string) {
	what = "instance " + in.Instance
	if in.Manual {
		what += " (fltmc attach)"
	}
	return "  " + in.Minifilter, strings.Repeat(" ", max(wAlt-len(in.Altitude), 0)) + in.Altitude, what
}

// nInstances says n instances, "1 instance" or "3 instances".
func nInstances(n int) string {
	if n == 1 {
		return "1 instance"
	}
	return strconv.Itoa(n) + " instances"
}

func moreInstances(n int) string {
	if n == 1 {
		return "… 1 more instance …"
	}
	return "… " + strconv.Itoa(n) + " more instances …"
}

// moreDevices is the row of a cut listing: how many devices it leaves out,
// and how many instances their frames host.
func moreDevices(n, hidden int) string {
	s := "… " + strconv.Itoa(n) + " more devices"
	if hidden > 0 {
		s += ", hosting " + nInstances(hidden)
	}
	return s + " …"
}

// devices writes stack rows, top first, aligned: address (unless brief),
// driver, role, how; under a frame device, its instances (see instRows).
// Each row is put together in one slice and written with one call: a long
// scenario prints millions of rows. A listing that left out the middle of a
// deep stack (omitted > 0) says so between its top and bottom halves.
func devices(b sink, devs []engine.DeviceInfo, omitted int, ir instRows, th Theme) {
	wDrv, wRole, wAlt := 0, 0, 0
	for _, d := range devs {
		wDrv = max(wDrv, len(d.Driver))
		wRole = max(wRole, len(role(d)))
	}
	for _, ins := range ir.at {
		for _, in := range ins {
			wDrv = max(wDrv, 2+len(in.Minifilter))
			wAlt = max(wAlt, len(in.Altitude))
		}
	}
	wRole = max(wRole, wAlt)
	// indent is where an instance row's cells start: under the driver.
	indent := 2
	if !th.Brief() && len(devs) > 0 {
		indent += len(devs[0].Addr) + 2
	}
	for i, d := range devs {
		if omitted > 0 && i == len(devs)/2 {
			if th.on {
				b.WriteString("  " + th.Dim(moreDevices(omitted, ir.hidden)) + "\n")
			} else {
				row := append(append(b.AvailableBuffer(), "  "...), moreDevices(omitted, ir.hidden)...)
				b.Write(append(row, '\n'))
			}
		}
		row := append(b.AvailableBuffer(), "  "...)
		r, h := role(d), how(d)
		if th.on {
			if !th.Brief() {
				row = append(row, th.Dim(d.Addr)...)
				row = append(row, "  "...)
			}
			row = append(row, th.Device(d, pad(d.Driver, wDrv))...)
		} else {
			if !th.Brief() {
				row = append(row, d.Addr...)
				row = append(row, "  "...)
			}
			row = appendPadded(row, d.Driver, wDrv)
		}
		row = append(row, "  "...)
		if h != "" {
			row = appendPadded(row, r, wRole)
			row = append(row, "  "...)
			if th.on {
				h = th.Device(d, h)
			}
			row = append(row, h...)
		} else {
			row = append(row, r...)
		}
		row = append(row, '\n')
		b.Write(row)
		if ir.at != nil && len(ir.at[i]) > 0 {
			instances(b, d, ir.at[i], ir.cut[i], indent, wDrv, wRole, wAlt, th)
		}
		if ir.pending != "" && d.IsFrame {
			row := appendSpaces(b.AvailableBuffer(), indent)
			if th.on {
				b.WriteString(string(row) + th.Dim(ir.pending) + "\n")
			} else {
				b.Write(append(append(row, ir.pending...), '\n'))
			}
		}
	}
}

// instances writes the instance rows under frame device d.
func instances(b sink, d engine.DeviceInfo, ins []engine.InstanceInfo, cut, indent, wDrv, wRole, wAlt int, th Theme) {
	for k, in := range ins {
		if cut > 0 && k == len(ins)/2 {
			row := appendSpaces(b.AvailableBuffer(), indent+2)
			if th.on {
				b.WriteString(string(row) + th.Dim(moreInstances(cut)) + "\n")
			} else {
				row = append(row, moreInstances(cut)...)
				b.Write(append(row, '\n'))
			}
		}
		name, alt, what := instanceCells(in, wAlt)
		row := appendSpaces(b.AvailableBuffer(), indent)
		if th.on {
			row = append(row, th.Device(d, pad(name, wDrv))...)
		} else {
			row = appendPadded(row, name, wDrv)
		}
		row = append(row, "  "...)
		row = appendPadded(row, alt, wRole)
		row = append(row, "  "...)
		if th.on {
			what = th.Device(d, what)
		}
		row = append(row, what...)
		b.Write(append(row, '\n'))
	}
}

// appendPadded appends s padded with spaces to w bytes. Stack cells are
// ASCII: driver names are validated, roles and origins are fixed words.
func appendPadded(b []byte, s string, w int) []byte {
	return appendSpaces(append(b, s...), w-len(s))
}

func pad(s string, w int) string {
	if n := utf8.RuneCountInString(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// Volume writes a volume's header line and, if mounted, its stack, with
// the instances each of FltMgr's frames hosts there, read from e, under the
// frame's row.
func Volume(w io.Writer, e *engine.Engine, v engine.VolumeInfo, th Theme) {
	lv := ViewVolume(e, v)
	lv.Draw(w, th)
}

// VolumeView is Volume in two halves: what a volume's listing needs from
// the engine, read by ViewVolume, and its drawing, Draw, which needs no
// engine. A caller can draw it later, where the engine is not: a session's
// pipeline draws a verb's stacks on a goroutine of its own while the engine
// runs the next verb (internal/repl's pipe.go). It holds v and the
// instance rows as they were when read: nothing the engine does later
// changes them.
type VolumeView struct {
	Info engine.VolumeInfo
	inst instRows
}

// ViewVolume reads from e what v's listing shows beside v itself: the
// instances each of FltMgr's frames hosts there.
func ViewVolume(e *engine.Engine, v engine.VolumeInfo) VolumeView {
	return VolumeView{Info: v, inst: volumeInstances(e, v)}
}

// Draw writes the listing as Volume does.
func (lv *VolumeView) Draw(w io.Writer, th Theme) {
	b, end := begin(w)
	drawVolume(b, lv.Info, lv.inst, th)
	end()
}

func volume(b sink, e *engine.Engine, v engine.VolumeInfo, th Theme) {
	drawVolume(b, v, volumeInstances(e, v), th)
}

func drawVolume(b sink, v engine.VolumeInfo, inst instRows, th Theme) {
	format := v.Format
	if format == "" {
		format = "unformatted"
	}
	// Written piece by piece, not joined or formatted: a long scenario
	// prints this line for every volume stack a verb changes.
	for _, s := range [...]string{th.Bold(v.Name), "  ", v.Device, "  ", v.Media.String(), " media, ", format, "  "} {
		b.WriteString(s)
	}
	if !v.Mounted {
		b.WriteString(th.Dim("not mounted") + "\n")
		return
	}
	b.WriteString("mounted by ")
	b.WriteString(v.Stack[len(v.Stack)-1].Driver)
	b.WriteByte('\n')
	devices(b, v.Stack, v.Omitted, inst, th)
}

// CDO writes a control device object's header line and its stack.
func CDO(w io.Writer, c engine.CDOInfo, th Theme) {
	b, end := begin(w)
	cdo(b, c, th)
	end()
}

func cdo(b sink, c engine.CDOInfo, th Theme) {
	head := th.Bold(c.Name) + "  " + c.Type.String() + " queue"
	if c.LowPriority {
		head += ", low priority"
	}
	if c.Recognizer {
		head += ", recognizer"
	}
	b.WriteString(head + "\n")
	devices(b, c.Stack, c.Omitted, instRows{}, th) // instances are on volumes
}

// Show writes the whole lab: the profile, every CDO stack queue by queue in
// queue order, and every volume by drive letter, a blank line between
// stacks.
func Show(w io.Writer, e *engine.Engine, th Theme) {
	b, end := begin(w)
	fmt.Fprintf(b, "%s %s (%s)\n", th.Bold("os"), e.Profile(), e.Profile().Title())
	if e.Profile().Caps().BlockPolicy {
		fmt.Fprintf(b, "%s block-legacy %s\n", th.Bold("policy"), onOff(e.BlockLegacy()))
	}
	for _, q := range engine.QueueOrder {
		list := e.Queue(q)
		if len(list) == 0 {
			continue
		}
		fmt.Fprintf(b, "\n%s\n", th.Bold("== "+q.String()+" queue, head first =="))
		for i, c := range list {
			if i > 0 {
				b.WriteByte('\n')
			}
			cdo(b, c, th)
		}
	}
	fmt.Fprintf(b, "\n%s\n", th.Bold("== volumes =="))
	letters := e.Letters()
	if len(letters) == 0 {
		b.WriteString(th.Dim("none yet: mount C: mounts one") + "\n")
	}
	var stack []engine.DeviceInfo // one slice for every volume's rows
	for i, l := range letters {
		if i > 0 {
			b.WriteByte('\n')
		}
		v, _ := e.AppendVolume(stack, l)
		if v.Stack != nil { // a dismounted volume has none
			stack = v.Stack
		}
		volume(b, e, v, th)
	}
	end()
}

// Queues writes the four file-system queues, head first (fs list).
func Queues(w io.Writer, e *engine.Engine, th Theme) {
	b, end := begin(w)
	for i, q := range engine.QueueOrder {
		if i > 0 {
			b.WriteByte('\n')
		}
		list := e.Queue(q)
		fmt.Fprintf(b, "%s\n", th.Bold(q.String()+" queue, head first"))
		if len(list) == 0 {
			b.WriteString(th.Dim("  (empty)") + "\n")
			continue
		}
		wName, wDrv := 0, 0
		for _, c := range list {
			wName = max(wName, len(c.Name))
			wDrv = max(wDrv, len(c.Stack[len(c.Stack)-1].Driver))
		}
		for n, c := range list {
			bottom := c.Stack[len(c.Stack)-1]
			var tags []string
			if c.LowPriority {
				tags = append(tags, "low priority")
			}
			if c.Recognizer {
				tags = append(tags, "recognizer")
			}
			if len(c.Stack) > 1 {
				tags = append(tags, fmt.Sprintf("%d filter(s) attached", len(c.Stack)-1))
			}
			line := fmt.Sprintf("  %d  %s  %s", n+1, th.Device(bottom, pad(c.Name, wName)), pad(bottom.Driver, wDrv))
			if len(tags) > 0 {
				line += "  " + th.Dim(strings.Join(tags, ", "))
			}
			b.WriteString(strings.TrimRight(line, " ") + "\n")
		}
	}
	end()
}

// Filters writes the loaded filters (filter list), fitted to width
// columns if it is more than 0 (grid.write).
func Filters(w io.Writer, fs []engine.FilterInfo, th Theme, width int) {
	if len(fs) == 0 {
		io.WriteString(w, th.Dim("no filter loaded: filter load NAME [--notify] loads one")+"\n")
		return
	}
	g := &grid{style: th.Bold}
	for _, h := range []string{"NAME", "DRIVER", "FINDS VOLUMES", "ROUTINES", "CDOS", "VOLUMES"} {
		g.cols = append(g.cols, tableCol{h, alignLeft})
	}
	for _, f := range fs {
		g.rows = append(g.rows, []string{f.Name, f.Driver, f.Mode, fmt.Sprint(f.Registrations), list(f.CDOs), list(f.Volumes)})
	}
	b, end := begin(w)
	g.write(b, width) // its own layout is the compact one: on one line, it is what a pipe gets
	end()
}

func list(xs []string) string {
	if len(xs) == 0 {
		return "-"
	}
	return strings.Join(xs, " ")
}

// DevStack writes a stack the way WinDbg's !devstack does: top first, the
// driver name left-justified in 19 columns with no separator, and '>' on the
// queried device, which for fssim is always the CDO or VDO at the bottom.
// WinDbg leaves minifilters to !fltkd; fssim lists, under each of FltMgr's
// frame devices on a volume, the instances it hosts, indented under the
// driver column as the stack listings do.
func DevStack(w io.Writer, e *engine.Engine, s engine.StackInfo, th Theme) {
	b, end := begin(w)
	var ir instRows
	if s.Volume {
		ir = volumeInstances(e, engine.VolumeInfo{Name: s.Name, Mounted: len(s.Devices) > 0, Stack: s.Devices})
	}
	wName, wAlt := 0, 0
	for _, ins := range ir.at {
		for _, in := range ins {
			wName = max(wName, 2+len(in.Minifilter))
			wAlt = max(wAlt, len(in.Altitude))
		}
	}
	fmt.Fprintf(b, "  %-18s%-19s%-18s%s\n", "!DevObj", "!DrvObj", "!DevExt", "ObjectName")
	for i, d := range s.Devices {
		mark := "  "
		if i == len(s.Devices)-1-s.Marked {
			mark = "> "
		}
		name := d.Name
		if k := strings.LastIndexByte(name, '\\'); k >= 0 {
			name = name[k+1:]
		}
		line := fmt.Sprintf("%s%s  %-19s%s  %s", mark, d.Addr, d.Driver, d.DevExt, name)
		b.WriteString(th.Device(d, strings.TrimRight(line, " ")) + "\n")
		if ir.at != nil && len(ir.at[i]) > 0 {
			instances(b, d, ir.at[i], ir.cut[i], 2+len(d.Addr)+2, wName, wAlt, wAlt, th)
		}
	}
	end()
}

// JSON writes the whole lab as exactly one line of JSON:
//
//	{"os":"xp","policy":{"block_legacy":false},"queues":{"cdrom":[...],"disk":["\\Ntfs","\\Device\\RawDisk"],"network":[],"tape":[...]},
//	 "cdos":[{"name":"\\Ntfs","fs":"ntfs","type":"disk","low_priority":false,"recognizer":false,"stack":["av","fltmgr","ntfs"],"stack_frames":[0]}],
//	 "filters":[{"name":"av","notify":true,...,"cdos":["\\Ntfs"],"volumes":["C:"]}],
//	 "volumes":[{"name":"C:","device":"\\Device\\HarddiskVolume1","media":"disk","format":"ntfs","mounted":true,"fs":"ntfs",
//	   "stack":["av","fltmgr","ntfs"],"stack_frames":[0],"instances":[{"minifilter":"scanner","altitude":"328000","frame":0,"instance":"scanner"}]}],
//	 "minifilters":[{"name":"scanner","altitude":"328000","frame":0}],
//	 "frames":[{"id":0,"low":"0","high":"328000","volumes":["C:"]}],
//	 "filesystems":[{"name":"ntfs","driver":"\\FileSystem\\Ntfs","cdos":["\\Ntfs"],"mounted":["C:"]}]}
//
// policy.block_legacy is the IoBlockLegacyFsFilters policy (policy
// block-legacy on win10; always false on a profile without it).
// Objects are sorted by name, queue keys alphabetically, queues list CDO
// names head first, and every stack lists the owning drivers' short names in
// lower case, top first, the file system last; FltMgr's frame devices appear
// there as fltmgr, and stack_frames, beside it, gives their frame numbers in
// the same order. instances are sorted by altitude, highest first, and
// setup_pending:true marks a volume whose instance setup waits for its first
// operation after the mount (the key is absent otherwise); a
// frame's range includes both ends (frame 0 starts as 0 to 0). labJSON and
// the types below it give the shape; encoding/json writes it.
func JSON(w io.Writer, e *engine.Engine) error {
	return ReadJSON(e).Write(w)
}

// LabJSON is JSON in two halves: the lab as read from the engine
// (ReadJSON), and its line, written by Write, which needs no engine: a
// session's pipeline writes it on a goroutine of its own while the engine
// goes on (internal/repl's pipe.go). Write it once: it gives its memory
// back for the next ReadJSON.
type LabJSON struct{ j *jsonScratch }

// ReadJSON reads from e what JSON writes.
func ReadJSON(e *engine.Engine) LabJSON {
	j := jsonScratches.Get().(*jsonScratch)
	lab := &j.lab
	*lab = labJSON{OS: e.Profile().String(), Policy: policyJSON{BlockLegacy: e.BlockLegacy()},
		CDOs: lab.CDOs[:0], Filters: lab.Filters[:0], Volumes: lab.Volumes[:0],
		Minifilters: lab.Minifilters[:0], Frames: lab.Frames[:0], FileSystems: lab.FileSystems[:0]}
	j.names, j.frames, j.insts = j.names[:0], j.frames[:0], j.insts[:0]
	for _, q := range []struct {
		t    engine.FsType
		list *[]string
	}{{engine.Disk, &lab.Queues.Disk}, {engine.CdRom, &lab.Queues.CdRom}, {engine.Tape, &lab.Queues.Tape}, {engine.Network, &lab.Queues.Network}} {
		start := len(j.names)
		j.queue = e.AppendQueueNames(j.queue, q.t)
		j.names = append(j.names, j.queue...)
		*q.list = j.names[start:len(j.names):len(j.names)]
	}
	j.cdos, j.devs = e.AppendCDOs(j.cdos, j.devs)
	for _, c := range j.cdos {
		lab.CDOs = append(lab.CDOs, cdoJSON{Name: c.Name, FS: c.FS, Type: c.Type.String(), LowPriority: c.LowPriority,
			Recognizer: c.Recognizer, Stack: j.shorts(c.Stack), StackFrames: j.frameIDs(c.Stack)})
	}
	j.filters, j.fss = e.AppendDrivers(j.filters, j.fss)
	for _, f := range j.filters {
		lab.Filters = append(lab.Filters, filterJSON{Name: f.Name, Notify: f.Notify, Enumerate: f.Enumerate, AttachRaw: f.AttachRaw,
			Ex: f.Ex, Registrations: f.Registrations, CDOs: nonNil(f.CDOs), Volumes: nonNil(f.Volumes)})
	}
	j.vols, j.devs = e.AppendVolumes(j.vols, j.devs)
	for _, v := range j.vols {
		vj := volumeJSON{Name: v.Name, Device: v.Device, Media: v.Media.String(), Format: v.Format, Mounted: v.Mounted,
			FS: v.FS, Stack: j.shorts(v.Stack), StackFrames: j.frameIDs(v.Stack), SetupPending: e.SetupPending(v.Name)}
		start := len(j.insts)
		if v.Mounted {
			for _, in := range e.Instances(v.Name) {
				j.insts = append(j.insts, instanceJSON{Minifilter: strings.ToLower(in.Minifilter),
					Altitude: in.Altitude, Frame: in.Frame, Instance: in.Instance})
			}
		}
		vj.Instances = j.insts[start:len(j.insts):len(j.insts)]
		lab.Volumes = append(lab.Volumes, vj)
	}
	for _, m := range e.Minifilters() {
		lab.Minifilters = append(lab.Minifilters, miniJSON{Name: strings.ToLower(m.Name), Altitude: m.Altitude, Frame: m.Frame})
	}
	for _, f := range e.Frames() {
		lab.Frames = append(lab.Frames, frameJSON{ID: f.ID, Low: f.Low, High: f.High, Volumes: nonNil(f.Volumes)})
	}
	for _, f := range j.fss {
		lab.FileSystems = append(lab.FileSystems, fsJSON{Name: f.Name, Driver: f.Driver, CDOs: nonNil(f.CDOs), Mounted: nonNil(f.Mounted)})
	}
	return LabJSON{j}
}

// Write writes the line to w.
func (l LabJSON) Write(w io.Writer) error {
	j := l.j
	// The encoder writes the line and its newline with one Write, as begin
	// would: straight to w, with no buffer to copy it through.
	j.out.w = w
	err := j.enc.Encode(&j.lab)
	j.out.w = nil
	if err == nil { // an encoder keeps its first error: one that met one is dropped
		jsonScratches.Put(j)
	}
	return err
}

// labJSON is the shape of JSON's line. Every list is non-nil, so an empty
// one is [] and never null.
type labJSON struct {
	OS          string       `json:"os"`
	Policy      policyJSON   `json:"policy"`
	Queues      queuesJSON   `json:"queues"`
	CDOs        []cdoJSON    `json:"cdos"`
	Filters     []filterJSON `json:"filters"`
	Volumes     []volumeJSON `json:"volumes"`
	Minifilters []miniJSON   `json:"minifilters"`
	Frames      []frameJSON  `json:"frames"`
	FileSystems []fsJSON     `json:"filesystems"`
}

// queuesJSON has a field per queue, named as engine.FsType names it, in
// the alphabetical order of the keys (TestJSONQueueKeys).
type queuesJSON struct {
	CdRom   []string `json:"cdrom"`
	Disk    []string `json:"disk"`
	Network []string `json:"network"`
	Tape    []string `json:"tape"`
}

type policyJSON struct {
	BlockLegacy bool `json:"block_legacy"`
}

type cdoJSON struct {
	Name        string   `json:"name"`
	FS          string   `json:"fs"`
	Type        string   `json:"type"`
	LowPriority bool     `json:"low_priority"`
	Recognizer  bool     `json:"recognizer"`
	Stack       []string `json:"stack"`
	StackFrames []int    `json:"stack_frames"`
}

type filterJSON struct {
	Name          string   `json:"name"`
	Notify        bool     `json:"notify"`
	Enumerate     bool     `json:"enumerate"`
	AttachRaw     bool     `json:"attach_raw"`
	Ex            bool     `json:"ex"`
	Registrations int      `json:"registrations"`
	CDOs          []string `json:"cdos"`
	Volumes       []string `json:"volumes"`
}

type volumeJSON struct {
	Name        string         `json:"name"`
	Device      string         `json:"device"`
	Media       string         `json:"media"`
	Format      string         `json:"format"`
	Mounted     bool           `json:"mounted"`
	FS          string         `json:"fs"`
	Stack       []string       `json:"stack"`
	StackFrames []int          `json:"stack_frames"`
	Instances   []instanceJSON `json:"instances"`
	// SetupPending is set while FltMgr's instance setup on the volume
	// waits for the first operation after its mount (absent otherwise).
	SetupPending bool `json:"setup_pending,omitempty"`
}

type instanceJSON struct {
	Minifilter string `json:"minifilter"`
	Altitude   string `json:"altitude"`
	Frame      int    `json:"frame"`
	Instance   string `json:"instance"`
}

type miniJSON struct {
	Name     string `json:"name"`
	Altitude string `json:"altitude"`
	Frame    int    `json:"frame"`
}

type frameJSON struct {
	ID      int      `json:"id"`
	Low     string   `json:"low"`
	High    string   `json:"high"`
	Volumes []string `json:"volumes"`
}

type fsJSON struct {
	Name    string   `json:"name"`
	Driver  string   `json:"driver"`
	CDOs    []string `json:"cdos"`
	Mounted []string `json:"mounted"`
}

// nonNil is xs, or an empty list where xs is nil: JSON says [], not null.
func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// jsonBuf appends JSON values to a buffer.
type jsonBuf struct{ b sink }

func (j jsonBuf) comma(i int) {
	if i > 0 {
		j.b.WriteByte(',')
	}
}

func (j jsonBuf) bool(v bool) {
	if v {
		j.b.WriteString("true")
	} else {
		j.b.WriteString("false")
	}
}

// str writes a JSON string. Names reaching here are validated, but the
// escaping is complete anyway: quotes, backslashes, control characters, and
// <, > and & as encoding/json writes them.
func (j jsonBuf) str(s string) {
	const hex = "0123456789abcdef"
	j.b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
			continue
		}
		j.b.WriteString(s[start:i])
		switch c {
		case '"', '\\':
			j.b.WriteByte('\\')
			j.b.WriteByte(c)
		case '\n':
			j.b.WriteString(`\n`)
		case '\t':
			j.b.WriteString(`\t`)
		default:
			j.b.WriteString(`\u00`)
			j.b.WriteByte(hex[c>>4])
			j.b.WriteByte(hex[c&0xf])
		}
		start = i + 1
	}
	j.b.WriteString(s[start:])
	j.b.WriteByte('"')
}

func (j jsonBuf) strs(xs []string) {
	j.b.WriteByte('[')
	for i, x := range xs {
		j.comma(i)
		j.str(x)
	}
	j.b.WriteByte(']')
}

func (j jsonBuf) shorts(devs []engine.DeviceInfo) {
	j.b.WriteByte('[')
	for i, d := range devs {
		j.comma(i)
		j.str(d.Short)
	}
	j.b.WriteByte(']')
}

// JSONStack writes one stack as one line of JSON: its name, whether it is a
// volume, and its drivers' short names top first.
func JSONStack(w io.Writer, s engine.StackInfo) error {
	b, end := begin(w)
	j := jsonBuf{b}
	b.WriteString(`{"name":`)
	j.str(s.Name)
	b.WriteString(`,"volume":`)
	j.bool(s.Volume)
	b.WriteString(`,"stack":`)
	j.shorts(s.Devices)
	b.WriteString("}\n")
	end()
	return nil
}

// Clean makes user text safe to print on a terminal: control characters,
// escape sequences and invalid UTF-8 are shown escaped, never raw.
func Clean(s string) string {
	safe := true
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < 0x7f || c == '\t' { // printable ASCII, the common case: no rune to decode
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n <= 1) || (r < 0x20 && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			safe = false
			break
		}
		i += n
	}
	if safe {
		return s
	}
	q := fmt.Sprintf("%q", s)
	return q[1 : len(q)-1]
}

// JSONIo writes what became of an IRP as one line of JSON:
//
//	{"irp":"IRP_MJ_READ","volume":"C:","path":"\\x","down":["av","ntfs"],
//	 "completed_by":"ntfs","status":"STATUS_SUCCESS","up":["av"]}
//
// down lists the drivers that dispatched the IRP, top first (the one that
// completed it last); up lists those whose completion routine ran, in the
// order they ran. Names are drivers' short names in lower case.
func JSONIo(w io.Writer, r engine.IrpResult, path string) {
	b, end := begin(w)
	j := jsonBuf{b}
	b.WriteString(`{"irp":`)
	j.str(r.Irp)
	b.WriteString(`,"volume":`)
	j.str(r.Stack)
	b.WriteString(`,"path":`)
	j.str(path)
	b.WriteString(`,"down":`)
	j.strs(r.Down)
	b.WriteString(`,"completed_by":`)
	j.str(r.CompletedBy)
	b.WriteString(`,"status":`)
	j.str(r.Status.String())
	b.WriteString(`,"up":`)
	j.strs(r.Up)
	b.WriteString("}\n")
	end()
}
