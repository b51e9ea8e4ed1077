package repl

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

var (
	mediaList = []string{"disk", "cdrom", "tape"}

	// mediaRefused: a network file system registers a CDO like any other,
	// but nothing sends it IRP_MN_MOUNT_VOLUME.
	mediaRefused = map[string]string{
		"network": "network file systems receive no mount request (remote volumes are reached through MUP and the " +
			"network redirectors, not mounted through IRP_MN_MOUNT_VOLUME); the media that are mounted are disk, cdrom or tape",
	}
)

func mountedVolumes(s *Session) []string   { return s.Eng.VolumeNames(true) }
func unmountedVolumes(s *Session) []string { return s.Eng.VolumeNames(false) }
func formats(s *Session) []string {
	return append(engine.Formats(), s.Eng.Names(false)...)
}

// volumeVerbs mount and dismount volumes and send IRPs down their stacks.
var volumeVerbs = []*Verb{
	{
		Name: "mount", Changes: always, Group: "volumes",
		Args: []Arg{{Name: "VOLUME", Help: "a drive letter with a colon, like C:", Complete: unmountedVolumes}},
		Flags: []Flag{
			{Name: "format", Arg: "FORMAT", Help: "what is on the volume: ntfs, fat, fat32, exfat, refs, cdfs, udf, or a file system's name; on a remount it means the volume was reformatted", Complete: formats},
			{Name: "media", Values: mediaList, Refused: mediaRefused, Help: "the storage device; a volume keeps it for life (default disk)"},
		},
		Summary: "first access to a volume: IRP_MN_MOUNT_VOLUME visits each CDO of its queue until one claims it",
		Detail: "The request goes to the top of each CDO's stack, head of the queue first, so every filter attached to " +
			"that CDO sees it. A file system that recognizes the format claims the volume with a new VDO; the " +
			"completion then runs bottom-up and each notify filter on that CDO attaches to the VDO, lowest first. " +
			"A format nobody recognizes ends with RAW. Defaults: ntfs on disk, cdfs on cdrom, nothing on tape.",
		Examples: []string{"mount C:", "mount D: --media cdrom", "mount E: --format fat32", "mount F: --format myfs"},
		Run: func(s *Session, c *Call) error {
			opt := engine.MountOptions{}
			if f, ok := c.Value("format"); ok {
				opt.Format = f
			}
			if m, ok := c.Value("media"); ok {
				md, err := engine.ParseMedia(m)
				if err != nil {
					return err
				}
				opt.Media, opt.MediaSet = md, true
			}
			if err := s.report(s.Eng.Mount(c.Arg(0), opt)); err != nil {
				return err
			}
			s.formatHint(c.Arg(0), opt.Format)
			return nil
		},
	},
	{
		Name: "dismount", Changes: always, Group: "volumes",
		Args:     []Arg{{Name: "VOLUME", Help: "a mounted volume", Complete: mountedVolumes}},
		Summary:  "FSCTL_DISMOUNT_VOLUME: the VDO goes, each filter above gets FastIoDetachDevice, lowest first",
		Detail:   "The storage volume stays; mount VOLUME mounts it again with a new VDO.",
		Examples: []string{"dismount C:", "dismount D:"},
		Run: func(s *Session, c *Call) error {
			return s.report(s.Eng.Dismount(c.Arg(0)))
		},
	},
	{
		Name: "io", Group: "volumes",
		Args: []Arg{{Name: "OP", Values: engine.IoOps(), Help: "the operation: IRP_MJ_CREATE, _READ, _WRITE, _CLEANUP, _CLOSE or _QUERY_INFORMATION"},
			{Name: "TARGET", Help: "a mounted volume, with a path if you like: C: or C:\\dir\\file.txt", Complete: mountedVolumes}},
		Flags:   []Flag{{Name: "json", Help: "print one line of JSON: the IRP, who dispatched it, who completed it, whose completion ran"}},
		Changes: func(c *Call) bool { return c.Changed },
		Summary: "send an IRP to the top of a volume's stack and watch it go down and its completions come back up",
		Detail: "Each filter device, top first, dispatches the IRP: it passes it down with a completion routine, or, " +
			"if its filter was loaded with --fail for this operation, completes it itself with STATUS_ACCESS_DENIED, " +
			"and the devices below it never see it. The file system completes what reaches the VDO. The completion " +
			"routines of the devices above whoever completed it then run back up, lowest first. Nothing in the lab " +
			"changes.",
		Examples: []string{"io read C:\\readme.txt", "io create C:\\x --json", "io query C:", "io read F:"},
		Run: func(s *Session, c *Call) error {
			m, err := engine.ParseMajor(c.Arg(0))
			if err != nil {
				return err
			}
			res, evs, err := s.Eng.SendIo(m, c.Arg(1))
			if err != nil {
				return err
			}
			// The first operation on a newly mounted volume runs
			// FltMgr's pending instance setup: that changes the lab.
			c.Changed = s.Eng.SetupRan()
			defer s.Eng.Recycle(evs)
			if c.Bool("json") {
				render.JSONIo(s.Out, res, engine.IoPath(c.Arg(1)))
				return nil
			}
			render.Events(s.Out, evs, s.Theme)
			return nil
		},
	},
}

// formatHint follows a mount that RAW claimed for a format no file system
// fssim knows, when the format looks like a typo of one it does: the mount
// stays as Windows would do it (RAW takes what nobody recognizes), and the
// line says what was probably meant.
func (s *Session) formatHint(vol, format string) {
	if format == "" {
		return
	}
	f := strings.ToLower(format)
	// Only the file system is asked for: the ends of the stack, in the
	// slice report uses, cost no allocation (Volume copied the whole stack
	// after every mount with --format: 4% of a 100,000-verb run).
	v, err := s.Eng.AppendVolumeEnds(s.stack, vol, reportRows, reportEnds)
	if v.Stack != nil {
		s.stack = v.Stack
	}
	if err != nil || !v.Mounted || v.FS != "raw" || slices.Contains(formats(s), f) {
		return
	}
	if sg := suggest(f, append(engine.FormatFamilies(), s.Eng.Names(false)...)); sg != "" {
		fmt.Fprintf(s.Out, "\nno file system recognizes %s (did you mean %s?)\n", quoteWord(format), sg)
	}
}
