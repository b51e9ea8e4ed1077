package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/fssim/fssim/internal/engine"
)

// Events writes a trace, one line per event, two spaces per level of depth.
func Events(w io.Writer, evs []engine.Event, th Theme) {
	var b strings.Builder
	for _, e := range evs {
		for i := 0; i < e.Depth; i++ {
			b.WriteString("  ")
		}
		b.WriteString(th.Event(e, e.Text))
		b.WriteByte('\n')
	}
	io.WriteString(w, b.String())
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
	}
	return ""
}

func role(d engine.DeviceInfo) string {
	if d.Role == engine.RoleCDO && d.Short == "fs_rec" {
		return "CDO (recognizer)"
	}
	return d.Role.String()
}

// devices writes stack rows, top first, aligned: address, driver, role, how.
func devices(b *strings.Builder, devs []engine.DeviceInfo, th Theme) {
	wDrv, wRole := 0, 0
	for _, d := range devs {
		wDrv = max(wDrv, len(d.Driver))
		wRole = max(wRole, len(role(d)))
	}
	for _, d := range devs {
		b.WriteString("  ")
		b.WriteString(th.Dim(d.Addr))
		b.WriteString("  ")
		b.WriteString(th.Device(d, pad(d.Driver, wDrv)))
		b.WriteString("  ")
		r := role(d)
		if h := how(d); h != "" {
			b.WriteString(pad(r, wRole))
			b.WriteString("  ")
			b.WriteString(th.Device(d, h))
		} else {
			b.WriteString(r)
		}
		b.WriteByte('\n')
	}
}

func pad(s string, w int) string {
	if n := utf8.RuneCountInString(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// Volume writes a volume's header line and, if mounted, its stack.
func Volume(w io.Writer, v engine.VolumeInfo, th Theme) {
	var b strings.Builder
	volume(&b, v, th)
	io.WriteString(w, b.String())
}

func volume(b *strings.Builder, v engine.VolumeInfo, th Theme) {
	format := v.Format
	if format == "" {
		format = "unformatted"
	}
	if !v.Mounted {
		fmt.Fprintf(b, "%s  %s  %s media, %s  %s\n", th.Bold(v.Name), v.Device, v.Media, format, th.Dim("not mounted"))
		return
	}
	fmt.Fprintf(b, "%s  %s  %s media, %s  mounted by %s\n", th.Bold(v.Name), v.Device, v.Media, format, v.Stack[len(v.Stack)-1].Driver)
	devices(b, v.Stack, th)
}

// CDO writes a control device object's header line and its stack.
func CDO(w io.Writer, c engine.CDOInfo, th Theme) {
	var b strings.Builder
	cdo(&b, c, th)
	io.WriteString(w, b.String())
}

func cdo(b *strings.Builder, c engine.CDOInfo, th Theme) {
	var tags []string
	tags = append(tags, c.Type.String()+" queue")
	if c.LowPriority {
		tags = append(tags, "low priority")
	}
	if c.Recognizer {
		tags = append(tags, "recognizer")
	}
	fmt.Fprintf(b, "%s  %s\n", th.Bold(c.Name), strings.Join(tags, ", "))
	devices(b, c.Stack, th)
}

// Stack writes one stack found by name.
func Stack(w io.Writer, s engine.StackInfo, th Theme) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", th.Bold(s.Name))
	devices(&b, s.Devices, th)
	io.WriteString(w, b.String())
}

// Show writes the whole lab: the profile, every CDO stack queue by queue in
// queue order, and every volume by drive letter, a blank line between
// stacks.
func Show(w io.Writer, e *engine.Engine, th Theme) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s)\n", th.Bold("os"), e.Profile(), e.Profile().Title())
	for _, q := range engine.QueueOrder {
		list := e.Queue(q)
		if len(list) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s\n", th.Bold("== "+q.String()+" queue, head first =="))
		for i, c := range list {
			if i > 0 {
				b.WriteByte('\n')
			}
			cdo(&b, c, th)
		}
	}
	fmt.Fprintf(&b, "\n%s\n", th.Bold("== volumes =="))
	vols := e.State().Volumes
	if len(vols) == 0 {
		b.WriteString(th.Dim("none yet: mount C: mounts one") + "\n")
	}
	for i, v := range vols {
		if i > 0 {
			b.WriteByte('\n')
		}
		volume(&b, v, th)
	}
	io.WriteString(w, b.String())
}

// Queues writes the four file-system queues, head first (fs list).
func Queues(w io.Writer, e *engine.Engine, th Theme) {
	var b strings.Builder
	for i, q := range engine.QueueOrder {
		if i > 0 {
			b.WriteByte('\n')
		}
		list := e.Queue(q)
		fmt.Fprintf(&b, "%s\n", th.Bold(q.String()+" queue, head first"))
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
	io.WriteString(w, b.String())
}

// Filters writes the loaded filters (filter list).
func Filters(w io.Writer, fs []engine.FilterInfo, th Theme) {
	if len(fs) == 0 {
		io.WriteString(w, th.Dim("no filter loaded: filter load NAME [--notify] loads one")+"\n")
		return
	}
	rows := [][]string{{"NAME", "DRIVER", "FINDS VOLUMES", "ROUTINES", "CDOS", "VOLUMES"}}
	for _, f := range fs {
		rows = append(rows, []string{f.Name, f.Driver, f.Mode, fmt.Sprint(f.Registrations), list(f.CDOs), list(f.Volumes)})
	}
	table(w, rows, th)
}

// FileSystems writes the registered file system drivers.
func FileSystems(w io.Writer, fs []engine.FileSystemInfo, th Theme) {
	rows := [][]string{{"NAME", "DRIVER", "CDOS", "MOUNTED"}}
	for _, f := range fs {
		rows = append(rows, []string{f.Name, f.Driver, list(f.CDOs), list(f.Mounted)})
	}
	table(w, rows, th)
}

func list(xs []string) string {
	if len(xs) == 0 {
		return "-"
	}
	return strings.Join(xs, " ")
}

// table aligns rows of plain cells; the first row is a bold header.
func table(w io.Writer, rows [][]string, th Theme) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for n, r := range rows {
		var line strings.Builder
		for i, c := range r {
			if i < len(r)-1 {
				c = pad(c, widths[i]) + "  "
			}
			line.WriteString(c)
		}
		s := strings.TrimRight(line.String(), " ")
		if n == 0 {
			s = th.Bold(s)
		}
		b.WriteString(s + "\n")
	}
	io.WriteString(w, b.String())
}

// DevStack writes a stack the way WinDbg's !devstack does: top first, the
// driver name left-justified in 19 columns with no separator, and '>' on the
// queried device, which for fssim is always the CDO or VDO at the bottom.
func DevStack(w io.Writer, s engine.StackInfo, th Theme) {
	var b strings.Builder
	fmt.Fprintf(&b, "  %-18s%-19s%-18s%s\n", "!DevObj", "!DrvObj", "!DevExt", "ObjectName")
	for i, d := range s.Devices {
		mark := "  "
		if i == len(s.Devices)-1 {
			mark = "> "
		}
		name := d.Name
		if k := strings.LastIndexByte(name, '\\'); k >= 0 {
			name = name[k+1:]
		}
		line := fmt.Sprintf("%s%s  %-19s%s  %s", mark, d.Addr, d.Driver, d.DevExt, name)
		b.WriteString(th.Device(d, strings.TrimRight(line, " ")) + "\n")
	}
	io.WriteString(w, b.String())
}

// jsonState is the shape of show --json.
type jsonState struct {
	OS          string              `json:"os"`
	Queues      map[string][]string `json:"queues"`
	CDOs        []jsonCDO           `json:"cdos"`
	Filters     []jsonFilter        `json:"filters"`
	Volumes     []jsonVolume        `json:"volumes"`
	FileSystems []jsonFS            `json:"filesystems"`
}

type jsonCDO struct {
	Name        string   `json:"name"`
	FS          string   `json:"fs"`
	Type        string   `json:"type"`
	LowPriority bool     `json:"low_priority"`
	Recognizer  bool     `json:"recognizer"`
	Stack       []string `json:"stack"`
}

type jsonFilter struct {
	Name          string   `json:"name"`
	Notify        bool     `json:"notify"`
	Enumerate     bool     `json:"enumerate"`
	AttachRaw     bool     `json:"attach_raw"`
	Ex            bool     `json:"ex"`
	Registrations int      `json:"registrations"`
	CDOs          []string `json:"cdos"`
	Volumes       []string `json:"volumes"`
}

type jsonVolume struct {
	Name    string   `json:"name"`
	Device  string   `json:"device"`
	Media   string   `json:"media"`
	Format  string   `json:"format"`
	Mounted bool     `json:"mounted"`
	FS      string   `json:"fs"`
	Stack   []string `json:"stack"`
}

type jsonFS struct {
	Name    string   `json:"name"`
	Driver  string   `json:"driver"`
	CDOs    []string `json:"cdos"`
	Mounted []string `json:"mounted"`
}

func shortNames(devs []engine.DeviceInfo) []string {
	out := make([]string, 0, len(devs))
	for _, d := range devs {
		out = append(out, d.Short)
	}
	return out
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// JSON writes the whole state as exactly one line of JSON. Objects are sorted
// by name, queues list CDO names head first, and every stack lists the owning
// drivers' short names in lower case, top first, the file system last.
func JSON(w io.Writer, st engine.State) error {
	out := jsonState{OS: st.OS.String(), Queues: map[string][]string{},
		CDOs: []jsonCDO{}, Filters: []jsonFilter{}, Volumes: []jsonVolume{}, FileSystems: []jsonFS{}}
	for q, names := range st.Queues {
		out.Queues[q.String()] = nonNil(names)
	}
	for _, c := range st.CDOs {
		out.CDOs = append(out.CDOs, jsonCDO{Name: c.Name, FS: c.FS, Type: c.Type.String(), LowPriority: c.LowPriority,
			Recognizer: c.Recognizer, Stack: shortNames(c.Stack)})
	}
	for _, f := range st.Filters {
		out.Filters = append(out.Filters, jsonFilter{Name: f.Name, Notify: f.Notify, Enumerate: f.Enumerate, AttachRaw: f.AttachRaw,
			Ex: f.Ex, Registrations: f.Registrations, CDOs: nonNil(f.CDOs), Volumes: nonNil(f.Volumes)})
	}
	for _, v := range st.Volumes {
		out.Volumes = append(out.Volumes, jsonVolume{Name: v.Name, Device: v.Device, Media: v.Media.String(), Format: v.Format,
			Mounted: v.Mounted, FS: v.FS, Stack: shortNames(v.Stack)})
	}
	for _, f := range st.FileSystems {
		out.FileSystems = append(out.FileSystems, jsonFS{Name: f.Name, Driver: f.Driver, CDOs: nonNil(f.CDOs), Mounted: nonNil(f.Mounted)})
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Clean makes user text safe to print on a terminal: control characters,
// escape sequences and invalid UTF-8 are shown escaped, never raw.
func Clean(s string) string {
	safe := true
	for i := 0; i < len(s); {
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

// JSONStack writes one stack as one line of JSON: its name, whether it is a
// volume, and its drivers' short names top first.
func JSONStack(w io.Writer, s engine.StackInfo) error {
	b, err := json.Marshal(struct {
		Name   string   `json:"name"`
		Volume bool     `json:"volume"`
		Stack  []string `json:"stack"`
	}{s.Name, s.Volume, shortNames(s.Devices)})
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
