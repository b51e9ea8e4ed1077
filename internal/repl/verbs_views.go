package repl

import (
	"io"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

func stackNames(s *Session) []string { return s.Eng.StackNames() }

// explainFirst offers stacks and loaded filters for explain's first word.
func explainFirst(s *Session) []string { return append(s.Eng.StackNames(), s.Eng.Names(true)...) }

// viewVerbs print the lab without changing it: stacks, explanations,
// WinDbg-style dumps and pictures.
var viewVerbs = []*Verb{
	{
		Name: "show", Group: "views",
		Args:    []Arg{{Name: "STACK", Optional: true, Help: "a volume (C:) or a CDO (\\Ntfs, \\Device\\RawDisk); all stacks if left out", Complete: stackNames}},
		Flags:   []Flag{{Name: "json", Help: "print one line of JSON instead"}},
		Summary: "print the stacks, top first: driver, role, how each filter got there, address",
		Detail: "Under each of FltMgr's frame devices on a volume, the minifilter instances that frame hosts, " +
			"highest altitude first: the minifilter, its altitude and the instance's name ((fltmc attach) for a " +
			"manual one). A frame hosting more than 24 lists its 10 highest and 10 lowest; fltmc instances lists all.",
		Examples: []string{"show", "show C:", "show \\Ntfs", "show --json"},
		Run:      runShow,
	},
	{
		Name: "explain", Group: "views",
		Args: []Arg{{Name: "WHAT", Help: "a stack (a volume like C:, or a CDO like \\Ntfs), or a filter followed by a stack", Complete: explainFirst},
			{Name: "STACK", Optional: true, Help: "with a filter first: the stack to explain it in", Complete: stackNames}},
		Flags: []Flag{{Name: "full", Help: "the whole chain of events behind each device, with addresses"},
			{Name: "json", Help: "print the same as one line of JSON"}},
		Summary: "why each device of a stack is where it is, or why a filter is (or is not) in a stack",
		Detail: "explain STACK lists the devices top first, each in a paragraph that fits a slide (at most 3 lines " +
			"of at most 100 columns): how it got there, the verb that put it there (with its line in a script), " +
			"why in one sentence, and the MODEL rules (rule N prints one). explain STACK --full adds the chain of " +
			"events from that verb to its attach (callback, enumeration, mount completion or command), with " +
			"addresses, and what attached above it since. explain FILTER STACK tells the same for one filter, or says in a sentence or two why " +
			"it is not there: no --notify, --no-enumerate, Windows 2000, RAW, a tape or recognizer CDO, torn down " +
			"by a detach below it, and so on.",
		Examples: []string{"explain C:", "explain C: --full", "explain av C:", "explain \\Ntfs --json"},
		Run:      func(s *Session, c *Call) error { return s.explainVerb(c) },
	},
	{
		Name: "devstack", Group: "views",
		Args:    []Arg{{Name: "STACK", Help: "a mounted volume (C:), a CDO (\\Ntfs, RawDisk), or a device's address from any listing", Complete: stackNames}},
		Summary: "print a stack the way WinDbg's !devstack does, '>' on the device given (a volume's VDO, a CDO, or the address)",
		Detail: "WinDbg's '>' marks the device object passed to !devstack, wherever it sits in the stack: devstack C: passes " +
			"the VDO and devstack \\Ntfs the CDO, so the mark is at the bottom; devstack ADDRESS marks that device. WinDbg " +
			"leaves minifilters to !fltkd (see frames); fssim lists, under each of FltMgr's frame devices on a volume, the " +
			"instances it hosts (minifilter, altitude, instance name), indented under !DrvObj.",
		Examples: []string{"devstack C:", "devstack \\Ntfs", "devstack RawDisk", "devstack ffffa08000004000"},
		Run: func(s *Session, c *Call) error {
			st, err := s.Eng.Stack(c.Arg(0))
			if err != nil {
				return err
			}
			if len(st.Devices) == 0 {
				return errorf(engine.ErrNotMounted, "volume %q is not mounted: it has no device stack (mount %s first)", st.Name, st.Name)
			}
			render.DevStack(s.Out, s.Eng, st, s.Theme)
			return nil
		},
	},
	{
		Name: "frames", Group: "views",
		Summary: "print Filter Manager's frames the way WinDbg's !fltkd.frames does: top first, each range, minifilters and instances",
		Detail: "Each FLTP_FRAME covers a range of altitudes on every volume (frame 0 starts as 0 to 0 and widens; a legacy " +
			"filter above the top frame makes the next one). Under each frame come its minifilters (FLT_FILTER, highest " +
			"altitude first) and their instances (FLT_INSTANCE), each followed by its volume. Addresses are synthetic. " +
			"Volumes whose instance setup waits for their first operation are named after the list.",
		Examples: []string{"frames", "help frames"},
		Run: func(s *Session, c *Call) error {
			if !s.Eng.FltMgrLoaded() {
				return errorf(engine.ErrFltMgrNotLoaded, "Filter Manager is not loaded (fltmgr load first): it has no frames")
			}
			render.Frames(s.Out, s.Eng)
			return nil
		},
	},
	{
		Name: "vpb", Group: "views",
		Args:    []Arg{{Name: "VOLUME", Help: "a volume fssim knows, mounted or dismounted, like C:", Complete: volumeNames}},
		Summary: "print a volume's VPB the way WinDbg's !vpb does: its VDO and its storage device",
		Detail: "The layout of !vpb: Vpb at ADDR, Flags: 0x1 mounted (0x0 once dismounted), DeviceObject (the file " +
			"system's VDO, which the mount put there), RealDevice (the storage device, \\Device\\HarddiskVolumeN), RefCount " +
			"and Volume Label. The storage device and the VPB have synthetic addresses of their own, which stay across " +
			"dismounts and remounts; fssim opens no files, so RefCount is 0, and volumes have no label. (The verb has " +
			"no '!': a line starting with '!' must fail.)",
		Examples: []string{"vpb C:", "help vpb"},
		Run:      func(s *Session, c *Call) error { return s.vpbVerb(c) },
	},
	{
		Name: "drvobj", Group: "views",
		Args: []Arg{{Name: "DRIVER", Help: "a loaded driver: ntfs, raw, fs_rec, a filter, or \\FileSystem\\Ntfs", Complete: driverNames},
			{Name: "FLAGS", Optional: true, Values: nil, Help: "1 (the default): list the device objects"}},
		Summary: "print a driver object the way WinDbg's !drvobj does: its device objects, newest first",
		Detail: "The layout of !drvobj: Driver object (ADDR) is for:, the driver's name, the driver extension list, then " +
			"Device Object list: with four addresses a line, in the driver's list order: IoCreateDevice inserts at the " +
			"head, so the newest device comes first, and a deleted device leaves the list. Driver objects have " +
			"synthetic addresses from their names. Only flag 0x1 is simulated. (The verb has no '!': a line starting " +
			"with '!' must fail.)",
		Examples: []string{"drvobj ntfs", "drvobj \\FileSystem\\RAW", "drvobj raw 1"},
		Run:      func(s *Session, c *Call) error { return s.drvobjVerb(c) },
	},
	{
		Name: "export", Group: "views",
		Args: []Arg{{Name: "FORMAT", Values: exportFormats, Help: "svg (a standalone 16:9 picture), dot (Graphviz), mermaid, html (a handout of the session) or cast (an asciicast recording of it)"},
			{Name: "STACK", Optional: true, Help: "one stack to draw, a volume (C:) or a CDO (\\Ntfs); every stack if left out", Complete: stackNames},
			{Name: "FILE", Optional: true, Help: "the file to write; the output if left out or -"}},
		Flags:   []Flag{{Name: "force", Help: "replace FILE if it exists"}},
		Summary: "draw the stacks as a picture (SVG, Graphviz DOT, Mermaid), or write the session as a handout (HTML) or a recording (asciicast)",
		Detail: "Each device object is a box, top first, colored by role as on the terminal: CDOs, VDOs, and filters by " +
			"how they got there (notification, command, by name). CDO stacks (in queue order) and volume stacks (by " +
			"drive letter) are drawn as two groups, and each volume's storage device (\\Device\\HarddiskVolumeN) sits " +
			"under its VDO with an arrow for its VPB. A FltMgr frame's box holds its minifilter instances, a row each " +
			"(name, altitude, instance name), highest altitude first; one hosting more than 8 shows its 3 highest and " +
			"3 lowest. A stack deeper than 24 devices is drawn as its top and bottom 10 " +
			"with a box saying how many lie between. The SVG is a 16:9 slide (1600 by 900) that needs no other file " +
			"and scales down to fit a big lab. With FILE, it is written to a temporary file and renamed over FILE; " +
			"export refuses to replace a file without --force, and writes regular files only, as save does; FILE - " +
			"writes to the output. A second word that is not a stack is taken as FILE. " +
			"export html [FILE] writes a handout of the session for paper: each verb and its output as it was printed, " +
			"comments of a lesson or a loaded file as prose, and the final picture as SVG. export cast [FILE] writes " +
			"the session as an asciicast v2 recording (asciinema play FILE), a verb about a second after the one " +
			"before. Neither holds a time of day: the same session gives the same file. The session keeps " + recordKept +
			"; a handout of a longer session says how many earlier lines it lacks.",
		Examples: []string{"export svg", "export dot C:", "export mermaid lab.mmd", "export svg C: c.svg --force", "export html handout.html", "export cast -"},
		Run:      func(s *Session, c *Call) error { return s.exportVerb(c) },
	},
}

func runShow(s *Session, c *Call) error {
	if c.Bool("json") {
		if len(c.Args) == 0 {
			lab := render.ReadJSON(s.Eng)
			if p, ok := s.Out.(*pipe); ok {
				// Written in the pipeline: a failed write is the
				// transcript's to report (fssim run's outWriter).
				p.later(s.Theme, func(w io.Writer) { lab.Write(w) })
				return nil
			}
			return lab.Write(s.Out)
		}
		st, err := s.Eng.Stack(c.Arg(0))
		if err != nil {
			return err
		}
		return render.JSONStack(s.Out, st)
	}
	if len(c.Args) == 0 {
		render.Show(s.Out, s.Eng, s.Theme)
		return nil
	}
	if engine.IsVolume(c.Arg(0)) {
		v, err := s.Eng.Volume(c.Arg(0))
		if err != nil {
			return err
		}
		render.Volume(s.Out, s.Eng, v, s.Theme)
		return nil
	}
	if cdo, ok := s.Eng.CDO(c.Arg(0)); ok {
		render.CDO(s.Out, cdo, s.Theme)
		return nil
	}
	_, err := s.Eng.Stack(c.Arg(0))
	return err
}
