package render

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/fssim/fssim/internal/engine"
)

// The fltmc views, in the column layout of the real fltmc.exe (the
// filters and instances layouts are Microsoft's samples; the volumes
// layout could not be checked against a sample, see engine/fltmgr.go).

// FltmcFilters writes fltmc filters: the legacy filters first, by name,
// with frame <Legacy>, no instance count and no altitude (fssim's legacy
// filters have none), then the minifilters, highest altitude first.
func FltmcFilters(w io.Writer, e *engine.Engine) {
	b, end := begin(w)
	b.WriteString("Filter Name                     Num Instances    Altitude    Frame\n")
	b.WriteString("------------------------------  -------------  ------------  -----\n")
	for _, f := range e.Filters() {
		if f.Name == "fltmgr" {
			continue
		}
		fmt.Fprintf(b, "%-30s  %8s        %-12s%s\n", Clean(f.Name), "", "", "<Legacy>")
	}
	for _, m := range e.Minifilters() {
		fmt.Fprintf(b, "%-30s  %8d        %-12s%4d\n", m.Name, m.Instances, m.Altitude, m.Frame)
	}
	end()
}

// FltmcInstances writes fltmc instances [-f NAME] [-v VOLUME]: rows sorted
// by filter name in ASCII order, then volume, then altitude, highest first.
func FltmcInstances(w io.Writer, e *engine.Engine, filter, vol string) {
	b, end := begin(w)
	b.WriteString("Filter                Volume Name                              Altitude        Instance Name       Frame   SprtFtrs  VlStatus\n")
	b.WriteString("--------------------  -------------------------------------  ------------  ----------------------  -----   --------  --------\n")
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
	for _, in := range ins {
		if filter != "" && !strings.EqualFold(filter, in.Minifilter) {
			continue
		}
		// SprtFtrs is what modern Windows prints for a local volume;
		// fssim does not model the supported features.
		fmt.Fprintf(b, "%-20s  %-37s  %9s     %-22s%5d     %s\n", in.Minifilter, in.Volume, in.Altitude, in.Instance, in.Frame, "0000000f")
	}
	end()
}

// FltmcVolumes writes fltmc volumes: the volumes FltMgr is attached to, by
// drive letter, with their file systems.
func FltmcVolumes(w io.Writer, e *engine.Engine) {
	b, end := begin(w)
	b.WriteString("Dos Name                        Volume Name                              FileSystem   Status\n")
	b.WriteString("------------------------------  ---------------------------------------  ----------  --------\n")
	on := map[string]bool{}
	for _, f := range e.Frames() {
		for _, v := range f.Volumes {
			on[v] = true
		}
	}
	for _, l := range e.Letters() {
		if !on[l] {
			continue
		}
		v, _ := e.Volume(l)
		fs := strings.ToUpper(v.FS)
		if fs == "FASTFAT" {
			fs = "FAT"
		}
		fmt.Fprintf(b, "%-30s  %-39s  %s\n", v.Name, v.Device, fs)
	}
	end()
}
