package repl

import (
	"fmt"
	"io"
	"strings"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

var (
	fsTypes   = []string{"disk", "cdrom", "network", "tape"}
	mediaList = []string{"disk", "cdrom", "tape"}
	osNames   = engine.ProfileNames()

	// mediaRefused: a network file system registers a CDO like any other,
	// but nothing sends it IRP_MN_MOUNT_VOLUME.
	mediaRefused = map[string]string{
		"network": "network file systems receive no mount request (remote volumes are reached through MUP and the " +
			"network redirectors, not mounted through IRP_MN_MOUNT_VOLUME); the media that are mounted are disk, cdrom or tape",
	}
)

// profileHelp names each profile and what it stands for: "xp (Windows XP
// and later) or w2k (Windows 2000)".
func profileHelp() string {
	var parts []string
	for _, p := range engine.Profiles {
		parts = append(parts, p.String()+" ("+p.Title()+")")
	}
	if n := len(parts); n > 1 {
		return strings.Join(parts[:n-1], ", ") + " or " + parts[n-1]
	}
	return strings.Join(parts, "")
}

// Completion sources from the session's state.
func registeredFS(s *Session) []string { return s.Eng.Names(false) }

// knownFS lists the file systems fssim knows that are not registered yet.
func knownFS(s *Session) []string {
	loaded := map[string]bool{}
	for _, n := range s.Eng.Names(false) {
		loaded[n] = true
	}
	var out []string
	for _, n := range engine.KnownFileSystems() {
		if !loaded[n] {
			out = append(out, n)
		}
	}
	return out
}
func loadedFilters(s *Session) []string {
	return s.Eng.Names(true)
}
func mountedVolumes(s *Session) []string   { return s.Eng.VolumeNames(true) }
func loadedMinis(s *Session) []string      { return s.Eng.MiniNames() }
func unmountedVolumes(s *Session) []string { return s.Eng.VolumeNames(false) }
func stackNames(s *Session) []string       { return s.Eng.StackNames() }
func formats(s *Session) []string {
	return append(engine.Formats(), s.Eng.Names(false)...)
}

// explainFirst offers stacks and loaded filters for explain's first word.
func explainFirst(s *Session) []string { return append(s.Eng.StackNames(), s.Eng.Names(true)...) }

func verbNames(*Session) []string {
	var out []string
	for _, v := range verbs {
		out = append(out, v.Name)
	}
	return out
}

var verbs []*Verb

func init() {
	verbs = []*Verb{
		{
			Name: "fs register", Changes: always, Group: "file systems",
			Args: []Arg{{Name: "NAME", Help: "ntfs, fastfat, exfat, refs, cdfs, udfs, fs_rec (the recognizer), or a name of your own", Complete: knownFS}},
			Flags: []Flag{
				{Name: "type", Values: fsTypes, Help: "device type of the CDO of a file system fssim does not know (default disk)"},
				{Name: "low-priority", Help: "set DO_LOW_PRIORITY_FILESYSTEM: the CDO goes just before the last entry of its queue (RAW, where there is one), not at the head"},
			},
			Summary: "load a file system: its DriverEntry calls IoRegisterFileSystem for each CDO",
			Detail: "Each CDO goes in at the head of its queue (low priority: just before its last entry) and every registered " +
				"notification routine is called with FsActive=TRUE. fastfat and udfs register two CDOs. fs_rec registers a " +
				"recognizer CDO for each built-in file system not loaded yet; a mount of that format then loads the real driver.",
			Examples: []string{"fs register ntfs", "fs register myfs --type cdrom --low-priority", "fs register fs_rec"},
			Run: func(s *Session, c *Call) error {
				opt := engine.FSOptions{LowPriority: c.Bool("low-priority")}
				if t, ok := c.Value("type"); ok {
					ft, err := engine.ParseFsType(t)
					if err != nil {
						return err
					}
					opt.Type, opt.TypeSet = ft, true
				}
				return s.report(s.Eng.RegisterFileSystem(c.Arg(0), opt))
			},
		},
		{
			Name: "fs unregister", Changes: always, Group: "file systems",
			Args:     []Arg{{Name: "NAME", Help: "a registered file system", Complete: registeredFS}},
			Summary:  "unload a file system: IoUnregisterFileSystem for each CDO, FsActive=FALSE to every routine",
			Detail:   "Refused while the file system has mounted volumes, and for RAW, which is built in.",
			Examples: []string{"fs unregister ntfs", "fs unregister fs_rec"},
			Run: func(s *Session, c *Call) error {
				return s.report(s.Eng.UnregisterFileSystem(c.Arg(0)))
			},
		},
		{
			Name: "fs list", Group: "file systems",
			Summary:  "the four file-system queues, head first: the order mount requests visit CDOs",
			Examples: []string{"fs list", "help fs list"},
			Run: func(s *Session, c *Call) error {
				render.Queues(s.Out, s.Eng, s.Theme)
				return nil
			},
		},
		{
			Name: "filter load", Changes: always, Group: "filters",
			Args: []Arg{{Name: "NAME", Help: "the filter's name; its driver object is \\FileSystem\\NAME"}},
			Flags: []Flag{
				{Name: "notify", Help: "DriverEntry calls IoRegisterFsRegistrationChange and the filter follows the sfilter pattern"},
				{Name: "no-enumerate", Help: "skip IoEnumerateDeviceObjectList: volumes mounted before the filter loaded are missed"},
				{Name: "attach-raw", Help: "open \\Device\\RawDisk and \\Device\\RawCdRom by name and attach, since RAW is never reported"},
				{Name: "ex", Help: "use IoRegisterFsRegistrationChangeEx, which replays on Windows 2000 SP4 with the Update Rollup (os w2ksp4); w2k has none"},
				{Name: "mount-aware", Help: "use IoRegisterFsRegistrationChangeMountAware with SynchronizeWithMounts=TRUE: no mount runs during the replay (win7, win10)"},
				{Name: "fail", Arg: "OPS", Help: "complete these operations itself with STATUS_ACCESS_DENIED instead of passing them down: " +
					"create, read, write, cleanup, close or query, comma-separated", Complete: func(*Session) []string { return engine.IoOps() }},
				{Name: "group", Arg: "GROUP", Help: "its load order group, like \"FSFilter Anti-Virus\" or anti-virus: fltmc filters shows the altitude Windows derives from it",
					Complete: func(*Session) []string { return engine.GroupKeys() }},
			},
			Summary: "load a legacy filter; with --notify it registers for file system notifications",
			Detail: "Without --notify the filter waits for a user-mode command (filter attach). With --notify, on xp the " +
				"routine is called at once for every registered file system but RAW; the filter attaches to each CDO and " +
				"to each volume that file system has mounted. On win7 and win10, --mount-aware registers with " +
				"IoRegisterFsRegistrationChangeMountAware(SynchronizeWithMounts=TRUE): mounts wait until the replay is done. On " +
				"win10 with policy block-legacy on, the registration returns STATUS_NOT_SUPPORTED and a --notify load fails. " +
				"--group names the load order group: fltmc filters shows its upper bound minus 0.01 as the filter's altitude.",
			Examples: []string{"filter load av --notify", "filter load backup", "filter load old --notify --no-enumerate", "filter load avl --group anti-virus",
				"filter load guard --fail create", "filter load av --notify --mount-aware"},
			Run: func(s *Session, c *Call) error {
				opt := engine.FilterOptions{
					Notify: c.Bool("notify"), NoEnumerate: c.Bool("no-enumerate"), AttachRaw: c.Bool("attach-raw"), Ex: c.Bool("ex"),
					MountAware: c.Bool("mount-aware"),
				}
				opt.Group, _ = c.Value("group")
				if ops, ok := c.Value("fail"); ok {
					for _, o := range strings.Split(ops, ",") {
						m, err := engine.ParseMajor(strings.TrimSpace(o))
						if err != nil {
							return usageErr(c.Verb, "filter load: --fail: "+err.Error())
						}
						opt.Fail = append(opt.Fail, m)
					}
				}
				return s.report(s.Eng.LoadFilter(c.Arg(0), opt))
			},
		},
		{
			Name: "filter unload", Changes: always, Group: "filters",
			Args:    []Arg{{Name: "NAME", Help: "a loaded filter", Complete: loadedFilters}},
			Summary: "unload a filter: IoUnregisterFsRegistrationChange, then detach and delete every device it has",
			Detail: "Refused while any device is attached above one of the filter's devices: the I/O manager defers such an " +
				"unload (IopCheckUnloadDriver), so unload what sits above first. IoUnregisterFsRegistrationChange removes one " +
				"entry: a routine registered twice stays registered once, pointing into the unloaded driver. The devices are " +
				"detached newest first, then deleted.",
			Examples: []string{"filter unload av", "filter unload backup"},
			Run: func(s *Session, c *Call) error {
				return s.report(s.Eng.UnloadFilter(c.Arg(0)))
			},
		},
		{
			Name: "filter attach", Changes: always, Group: "filters",
			Args: []Arg{{Name: "NAME", Help: "a loaded filter", Complete: loadedFilters},
				{Name: "VOLUME", Help: "a mounted volume, like C:", Complete: mountedVolumes}},
			Summary: "attach a filter to a volume because a user-mode program said so: it lands on the current top",
			Detail: "This is the command path (FileSpy's on-demand mode). The new device lands at the top of the volume's " +
				"stack at this moment, which is why a filter that registered for notifications always sits below it.",
			Examples: []string{"filter attach backup C:", "filter attach av D:"},
			Run: func(s *Session, c *Call) error {
				return s.report(s.Eng.AttachFilter(c.Arg(0), c.Arg(1)))
			},
		},
		{
			Name: "filter detach", Changes: always, Group: "filters",
			Args: []Arg{{Name: "NAME", Help: "a loaded filter", Complete: loadedFilters},
				{Name: "VOLUME", Help: "a volume the filter is attached to", Complete: mountedVolumes}},
			Summary: "detach a filter from a volume: it and every device above it leave the stack",
			Detail: "IoDetachDevice does not rejoin the stack: the device above stays attached to the detached one, and when " +
				"that is deleted the I/O manager sends it FastIoDetachDevice, so it detaches and deletes itself too, and so " +
				"on up the stack, lowest first. This is why filters leave volumes only in FastIoDetachDevice.",
			Examples: []string{"filter detach backup C:", "filter detach av C:"},
			Run: func(s *Session, c *Call) error {
				return s.report(s.Eng.DetachFilter(c.Arg(0), c.Arg(1)))
			},
		},
		{
			Name: "filter notify", Changes: always, Group: "filters",
			Args:    []Arg{{Name: "NAME", Help: "a loaded filter", Complete: loadedFilters}},
			Flags:   []Flag{{Name: "ex", Help: "call IoRegisterFsRegistrationChangeEx"}},
			Summary: "make a loaded filter call IoRegisterFsRegistrationChange now",
			Detail: "Registering the same routine twice in a row, with no other registration in between, fails with " +
				"STATUS_DEVICE_ALREADY_ATTACHED; after another filter registers, it succeeds and the routine runs twice per event.",
			Examples: []string{"filter notify backup", "filter notify av --ex"},
			Run: func(s *Session, c *Call) error {
				return s.report(s.Eng.RegisterNotification(c.Arg(0), c.Bool("ex")))
			},
		},
		{
			Name: "filter list", Group: "filters",
			Summary:  "the loaded filters: how each finds volumes, and the stacks it is on",
			Examples: []string{"filter list", "help filter list"},
			Run: func(s *Session, c *Call) error {
				render.Filters(s.Out, s.Eng.Filters(), s.Theme)
				return nil
			},
		},
		{
			Name: "fltmgr load", Changes: always, Group: "filter manager",
			Summary: "load Filter Manager (\\FileSystem\\FltMgr), a legacy filter that registers for notifications and creates frame 0",
			Detail: "FltMgr follows the notify pattern: its callback attaches frame 0's device to each disk, CD-ROM and " +
				"network CDO and to each volume mounted there, and its mount completions attach it to new volumes. To " +
				"legacy filters each frame is one more legacy filter device. Minifilters need it loaded.",
			Examples: []string{"fltmgr load", "help fltmgr load"},
			Run: func(s *Session, c *Call) error {
				return s.report(s.Eng.LoadFltMgr())
			},
		},
		{
			Name: "minifilter load", Changes: always, Group: "filter manager",
			Args: []Arg{{Name: "NAME", Help: "the minifilter's name"}},
			Flags: []Flag{
				{Name: "altitude", Arg: "ALTITUDE", Short: "a", Help: "a decimal number like 328000 or 325000.5, compared as a number (required)"},
				{Name: "group", Arg: "GROUP", Help: "a load order group the altitude must lie in: anti-virus, activity-monitor, encryption, top, bottom, ...",
					Complete: func(*Session) []string { return engine.GroupKeys() }},
				{Name: "instance", Arg: "INSTANCE", Short: "i", Help: "the default instance's name (default: the minifilter's)"},
				{Name: "no-auto", Help: "suppress automatic attachment: instances only by fltmc attach"},
				{Name: "refuse-detach", Help: "its InstanceQueryTeardown returns STATUS_FLT_DO_NOT_DETACH: fltmc detach is refused"},
				{Name: "no-query-teardown", Help: "register no InstanceQueryTeardown: its instances cannot be detached by hand"},
				{Name: "complete", Arg: "OPS", Help: "its pre-operation callback completes these operations with STATUS_ACCESS_DENIED (FLT_PREOP_COMPLETE): " +
					"create, read, write, cleanup, close or query, comma-separated", Complete: func(*Session) []string { return engine.IoOps() }},
			},
			Summary: "load a minifilter: FltRegisterFilter, a frame for its altitude, FltStartFiltering and instance setup",
			Detail: "The minifilter lands in the frame whose range holds its altitude. Frame 0 starts as 0 to 0; an altitude " +
				"outside every range widens the top frame, unless a legacy filter sits above the top frame: then FltMgr makes a " +
				"new frame at the top of each stack, even if the top frame is empty. So a minifilter can land below a legacy " +
				"filter however high its altitude. Two minifilters at one altitude both load; the second one's instance on a " +
				"volume that has the first fails with STATUS_FLT_INSTANCE_ALTITUDE_COLLISION.",
			Examples: []string{"minifilter load scanner --altitude 328000", "minifilter load crypt -a 141100 --group encryption",
				"minifilter load probe --altitude 385200 --no-auto", "minifilter load guard -a 370000 --complete write --refuse-detach"},
			Run: func(s *Session, c *Call) error {
				alt, ok := c.Value("altitude")
				if !ok {
					return usageErr(c.Verb, "minifilter load: --altitude is required (like --altitude 328000)")
				}
				g, _ := c.Value("group")
				in, _ := c.Value("instance")
				opt := engine.MiniOptions{Altitude: alt, Group: g, Instance: in, NoAuto: c.Bool("no-auto"),
					RefuseDetach: c.Bool("refuse-detach"), NoQueryTeardown: c.Bool("no-query-teardown")}
				if ops, ok := c.Value("complete"); ok {
					for _, o := range strings.Split(ops, ",") {
						m, err := engine.ParseMajor(strings.TrimSpace(o))
						if err != nil {
							return usageErr(c.Verb, "minifilter load: --complete: "+err.Error())
						}
						opt.Complete = append(opt.Complete, m)
					}
				}
				return s.report(s.Eng.LoadMinifilter(c.Arg(0), opt))
			},
		},
		{
			Name: "minifilter unload", Changes: always, Group: "filter manager",
			Args:     []Arg{{Name: "NAME", Help: "a loaded minifilter", Complete: loadedMinis}},
			Summary:  "unload a minifilter: FilterUnloadCallback calls FltUnregisterFilter, which tears down every instance; its frame stays",
			Examples: []string{"minifilter unload watch", "minifilter unload crypt"},
			Run: func(s *Session, c *Call) error {
				return s.report(s.Eng.UnloadMinifilter(c.Arg(0)))
			},
		},
		{
			Name: "fltmc attach", Changes: always, Group: "filter manager",
			Args: []Arg{{Name: "NAME", Help: "a loaded minifilter", Complete: loadedMinis},
				{Name: "VOLUME", Help: "a mounted volume, like C:", Complete: mountedVolumes}},
			Flags: []Flag{
				{Name: "altitude", Arg: "ALTITUDE", Short: "a", Help: "the instance's altitude (default: the minifilter's)"},
				{Name: "instance", Arg: "INSTANCE", Short: "i", Help: "the instance's name (default: the minifilter's default instance)"},
			},
			Summary: "attach a minifilter to a volume by hand: InstanceSetup with FLTFL_INSTANCE_SETUP_MANUAL_ATTACHMENT",
			Detail: "Every instance of a minifilter is in its frame: an altitude outside that frame's range is refused. An altitude " +
				"(STATUS_FLT_INSTANCE_ALTITUDE_COLLISION) or instance name (STATUS_FLT_INSTANCE_NAME_COLLISION) another instance has on " +
				"the volume is refused.",
			Examples: []string{"fltmc attach watch C: -a 385101 -i second", "fltmc attach probe C:"},
			Run: func(s *Session, c *Call) error {
				a, _ := c.Value("altitude")
				in, _ := c.Value("instance")
				return s.report(s.Eng.FltmcAttach(c.Arg(0), c.Arg(1), a, in))
			},
		},
		{
			Name: "fltmc detach", Changes: always, Group: "filter manager",
			Args: []Arg{{Name: "NAME", Help: "a loaded minifilter", Complete: loadedMinis},
				{Name: "VOLUME", Help: "a volume it has an instance on", Complete: mountedVolumes}},
			Flags:   []Flag{{Name: "instance", Arg: "INSTANCE", Short: "i", Help: "which instance, if it has several there"}},
			Summary: "detach a minifilter's instance: InstanceQueryTeardown may refuse, then InstanceTeardownStart and Complete",
			Detail: "FilterDetach asks the instance's InstanceQueryTeardown first: a minifilter loaded with --refuse-detach answers " +
				"STATUS_FLT_DO_NOT_DETACH, and one loaded with --no-query-teardown has no such callback, so its instances cannot " +
				"be detached by hand. Either refusal changes nothing.",
			Examples: []string{"fltmc detach watch C:", "fltmc detach scanner D: -i second"},
			Run: func(s *Session, c *Call) error {
				in, _ := c.Value("instance")
				return s.report(s.Eng.FltmcDetach(c.Arg(0), c.Arg(1), in))
			},
		},
		{
			Name: "fltmc filters", Group: "filter manager",
			Summary:  "the filters as fltmc lists them, in stack order: legacy filters with frame <Legacy> between the frames' minifilters",
			Examples: []string{"fltmc filters", "help fltmc filters"},
			Run: func(s *Session, c *Call) error {
				if !s.Eng.FltMgrLoaded() {
					return errorf(engine.ErrFltMgrNotLoaded, "Filter Manager is not loaded (fltmgr load first)")
				}
				render.FltmcFilters(s.Out, s.Eng)
				return nil
			},
		},
		{
			Name: "fltmc instances", Group: "filter manager",
			Flags: []Flag{
				{Name: "filter", Arg: "NAME", Short: "f", Help: "only this minifilter's instances", Complete: loadedMinis},
				{Name: "volume", Arg: "VOLUME", Short: "v", Help: "only the instances on this volume", Complete: mountedVolumes},
			},
			Summary:  "the instances as fltmc lists them: filter, volume, altitude, instance name, frame",
			Examples: []string{"fltmc instances", "fltmc instances -f scanner", "fltmc instances -v C:"},
			Run: func(s *Session, c *Call) error {
				if !s.Eng.FltMgrLoaded() {
					return errorf(engine.ErrFltMgrNotLoaded, "Filter Manager is not loaded (fltmgr load first)")
				}
				f, _ := c.Value("filter")
				v, hasV := c.Value("volume")
				if hasV {
					if _, err := s.Eng.Volume(v); err != nil {
						return err
					}
				}
				render.FltmcInstances(s.Out, s.Eng, f, v)
				return nil
			},
		},
		{
			Name: "fltmc volumes", Group: "filter manager",
			Summary:  "the volumes Filter Manager is attached to, as fltmc volumes lists them",
			Examples: []string{"fltmc volumes", "help fltmc volumes"},
			Run: func(s *Session, c *Call) error {
				if !s.Eng.FltMgrLoaded() {
					return errorf(engine.ErrFltMgrNotLoaded, "Filter Manager is not loaded (fltmgr load first)")
				}
				render.FltmcVolumes(s.Out, s.Eng)
				return nil
			},
		},
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
				return s.report(s.Eng.Mount(c.Arg(0), opt))
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
		{
			Name: "show", Group: "views",
			Args:     []Arg{{Name: "STACK", Optional: true, Help: "a volume (C:) or a CDO (\\Ntfs, \\Device\\RawDisk); all stacks if left out", Complete: stackNames}},
			Flags:    []Flag{{Name: "json", Help: "print one line of JSON instead"}},
			Summary:  "print the stacks, top first: driver, role, how each filter got there, address",
			Examples: []string{"show", "show C:", "show \\Ntfs", "show --json"},
			Run:      runShow,
		},
		{
			Name: "explain", Group: "views",
			Args: []Arg{{Name: "WHAT", Help: "a stack (a volume like C:, or a CDO like \\Ntfs), or a filter followed by a stack", Complete: explainFirst},
				{Name: "STACK", Optional: true, Help: "with a filter first: the stack to explain it in", Complete: stackNames}},
			Flags:   []Flag{{Name: "json", Help: "print the same as one line of JSON"}},
			Summary: "why each device of a stack is where it is, or why a filter is (or is not) in a stack",
			Detail: "explain STACK lists the devices top first; for each, the verb that put it there (with its line " +
				"in a script), the chain of events from that verb to its attach (callback, enumeration, mount " +
				"completion or command), what it landed on, what attached above it since, and the MODEL rules " +
				"(docs/model.md). explain FILTER STACK tells the same for one filter, or says in a sentence or two why " +
				"it is not there: no --notify, --no-enumerate, Windows 2000, RAW, a tape or recognizer CDO, torn down " +
				"by a detach below it, and so on.",
			Examples: []string{"explain C:", "explain av C:", "explain \\Ntfs --json"},
			Run:      func(s *Session, c *Call) error { return s.explainVerb(c) },
		},
		{
			Name: "devstack", Group: "views",
			Args:    []Arg{{Name: "STACK", Help: "a mounted volume (C:), a CDO (\\Ntfs, RawDisk), or a device's address from any listing", Complete: stackNames}},
			Summary: "print a stack the way WinDbg's !devstack does, '>' on the device given (a volume's VDO, a CDO, or the address)",
			Detail: "WinDbg's '>' marks the device object passed to !devstack, wherever it sits in the stack: devstack C: passes " +
				"the VDO and devstack \\Ntfs the CDO, so the mark is at the bottom; devstack ADDRESS marks that device.",
			Examples: []string{"devstack C:", "devstack \\Ntfs", "devstack RawDisk", "devstack ffffa08000004000"},
			Run: func(s *Session, c *Call) error {
				st, err := s.Eng.Stack(c.Arg(0))
				if err != nil {
					return err
				}
				if len(st.Devices) == 0 {
					return errorf(engine.ErrNotMounted, "volume %q is not mounted: it has no device stack (mount %s first)", st.Name, st.Name)
				}
				render.DevStack(s.Out, st, s.Theme)
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
			Args: []Arg{{Name: "FORMAT", Values: render.ExportFormats, Help: "svg (a standalone 16:9 picture), dot (Graphviz) or mermaid"},
				{Name: "STACK", Optional: true, Help: "one stack to draw, a volume (C:) or a CDO (\\Ntfs); every stack if left out", Complete: stackNames},
				{Name: "FILE", Optional: true, Help: "the file to write; the output if left out"}},
			Flags:   []Flag{{Name: "force", Help: "replace FILE if it exists"}},
			Summary: "draw the stacks as a picture: SVG for a slide, or Graphviz DOT or Mermaid text",
			Detail: "Each device object is a box, top first, colored by role as on the terminal: CDOs, VDOs, and filters by " +
				"how they got there (notification, command, by name). CDO stacks (in queue order) and volume stacks (by " +
				"drive letter) are drawn as two groups, and each volume's storage device (\\Device\\HarddiskVolumeN) sits " +
				"under its VDO with an arrow for its VPB. A stack deeper than 24 devices is drawn as its top and bottom 10 " +
				"with a box saying how many lie between. The SVG is a 16:9 slide (1600 by 900) that needs no other file " +
				"and scales down to fit a big lab. With FILE, it is written to a temporary file and renamed over FILE; " +
				"export refuses to replace a file without --force. A second word that is not a stack is taken as FILE.",
			Examples: []string{"export svg", "export dot C:", "export mermaid lab.mmd", "export svg C: c.svg --force"},
			Run:      func(s *Session, c *Call) error { return s.exportVerb(c) },
		},
		{
			Name: "os", Changes: withArgs, Group: "session",
			Args:    []Arg{{Name: "PROFILE", Optional: true, Values: osNames, Help: profileHelp()}},
			Summary: "print the OS profile, or set it (only in the boot state)",
			Detail: "w2k is Windows 2000 as shipped: IoRegisterFsRegistrationChange does not replay file systems registered " +
				"earlier, and IoRegisterFsRegistrationChangeEx, IoEnumerateDeviceObjectList and IoAttachDeviceToDeviceStackSafe do " +
				"not exist (filter load --ex is refused). w2ksp4 is Windows 2000 SP4 with the Update Rollup, which brought all " +
				"three: --ex replays, attaches are Safe, and sfilter still never enumerates, since it tests the OS version. win7 adds IoRegisterFsRegistrationChangeMountAware " +
				"(filter load --notify --mount-aware); win10 also has the IoBlockLegacyFsFilters policy (policy). " +
				"Set it right after start or reset.",
			Examples: []string{"os", "os w2k"},
			Run: func(s *Session, c *Call) error {
				if len(c.Args) == 0 {
					p := s.Eng.Profile()
					fmt.Fprintf(s.Out, "os %s (%s)\n", p, p.Title())
					return nil
				}
				p, err := engine.ParseProfile(c.Arg(0))
				if err != nil {
					return err
				}
				return s.report(s.Eng.SetProfile(p))
			},
		},
		{
			Name: "policy", Changes: withArgs, Group: "session",
			Args: []Arg{{Name: "SETTING", Optional: true, Values: []string{"block-legacy"}, Help: "block-legacy: the IoBlockLegacyFsFilters policy of Windows 10 1607 and later"},
				{Name: "MODE", Optional: true, Values: []string{"on", "off"}, Help: "on: legacy filters cannot register (STATUS_NOT_SUPPORTED) or attach to volumes; off: the default"}},
			Summary: "print the legacy-filter blocking policy, or set it (win10, only in the boot state)",
			Detail: "With policy block-legacy on, IoRegisterFsRegistrationChange (and its Ex and MountAware variants) returns " +
				"STATUS_NOT_SUPPORTED, so a filter loaded with --notify fails to load and filter notify is refused; a filter " +
				"that waits for commands still loads, but filter attach fails too: the policy blocks legacy filters \"from loading " +
				"or attaching to storage volumes\". Filter Manager is not blocked, so fltmgr load and minifilters keep working. On Windows the policy is the registry value " +
				"IoBlockLegacyFsFilters under HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\I/O System, read at boot, " +
				"so fssim sets it only in the boot state, as it sets os; reset keeps it, a change of os clears it.",
			Examples: []string{"policy", "policy block-legacy on", "policy block-legacy off"},
			Run: func(s *Session, c *Call) error {
				switch len(c.Args) {
				case 0:
					p := s.Eng.Profile()
					if !p.Caps().BlockPolicy {
						fmt.Fprintf(s.Out, "policy: none on %s (%s); the legacy-filter blocking policy came with Windows 10 1607 (os win10)\n", p, p.Title())
					} else if s.Eng.BlockLegacy() {
						io.WriteString(s.Out, "policy block-legacy on: legacy filters' IoRegisterFsRegistrationChange returns STATUS_NOT_SUPPORTED\n")
					} else {
						io.WriteString(s.Out, "policy block-legacy off: legacy filters may register (policy block-legacy on blocks them)\n")
					}
					return nil
				case 1:
					return usageErr(c.Verb, "policy block-legacy needs on or off")
				}
				return s.report(s.Eng.SetBlockLegacy(strings.EqualFold(c.Arg(1), "on")))
			},
		},
		{
			Name: "brief", Group: "session",
			Args:    []Arg{{Name: "MODE", Optional: true, Values: []string{"on", "off"}, Help: "on: short output for a projector; off: everything (the default)"}},
			Summary: "print or set brief output for a projector: no addresses, shorter traces",
			Detail: "Brief output tells the same story in fewer, shorter lines, for a projector. Device addresses are " +
				"left out: stack rows lose their address column, and a trace line names a device by its driver " +
				"(av, not av ffffa08000005000; C: VDO, not C: VDO ffffa08000006000). More than 3 filters in a row " +
				"passing a request down become one line, N filters pass it down. The STATUS_SUCCESS that answers a " +
				"routine's call (registering a notification routine) is left out; a file system's answer to a mount, " +
				"and every failure, stay. devstack keeps its addresses, as WinDbg's !devstack does; show --json has none.",
			Examples: []string{"brief on", "brief off", "brief"},
			Run: func(s *Session, c *Call) error {
				if len(c.Args) == 1 {
					s.Theme = s.Theme.WithBrief(strings.EqualFold(c.Arg(0), "on"))
				}
				if s.Theme.Brief() {
					io.WriteString(s.Out, "brief on: short traces, no device addresses (brief off shows everything)\n")
				} else {
					io.WriteString(s.Out, "brief off: full traces and device addresses\n")
				}
				return nil
			},
		},
		{
			Name: "reset", Changes: always, Group: "session",
			Summary:  "back to the boot state: only RAW registered, nothing loaded or mounted",
			Examples: []string{"reset", "help reset"},
			Run: func(s *Session, c *Call) error {
				return s.report(s.Eng.Reset(), nil)
			},
		},
		{
			Name: "lesson", Replays: true, Group: "session",
			Args:    []Arg{{Name: "NAME", Optional: true, Help: "a built-in lesson, or list (the default): lesson list names them all", Complete: lessonNames}},
			Flags:   []Flag{{Name: "step", Help: "at a terminal, pause after each step until Enter (q quits); piped or in -c it runs straight through"}},
			Summary: "list the built-in lessons, or play one, verb by verb, in this session",
			Detail: "Each lesson is a scenario built into fssim: comments that explain, and the verbs that show it. A " +
				"lesson starts from the boot state, so run reset first if you have built something; its verbs join the " +
				"history, and the lab it builds stays yours to explore. Each ends with a Try next line naming the next " +
				"lesson or a verb to try.",
			Examples: []string{"lesson list", "lesson tour", "lesson detach-middle --step"},
			Run:      func(s *Session, c *Call) error { return s.lessonVerb(c) },
		},
		{
			Name: "tour", Replays: true, Group: "session",
			Flags:    []Flag{{Name: "step", Help: "at a terminal, pause after each step until Enter (q quits)"}},
			Summary:  "play the built-in tour of the seed page (the same as lesson tour)",
			Detail:   "The tour starts from the boot state, so run reset first if you have built something. After it, the lab it built is yours to explore.",
			Examples: []string{"tour", "tour --step"},
			Run:      func(s *Session, c *Call) error { return s.runLesson("tour", c.Bool("step")) },
		},
		{
			Name: "quiz", Replays: true, Group: "session",
			Flags: []Flag{
				{Name: "seed", Arg: "N", Help: "the quiz's number: the same N gives the same quiz on every machine (default: a random one, printed)"},
				{Name: "answer", Help: "print the answer and its explanation instead of asking (for the teacher)"},
			},
			Summary: "build a random lab from the boot state and ask for the order of one of its stacks",
			Detail: "quiz runs a few verbs (file systems, 2 to 4 filters: notify, command-driven, --no-enumerate, maybe a " +
				"detach or a remount), prints them but not the stacks, and asks for one stack's drivers, top first, " +
				"separated by spaces (the file system at the bottom may be left out). At the prompt you type the answer; " +
				"in a scenario the answer is the next line; with nobody to answer (fssim -c) quiz says how to see it. " +
				"Then it says whether you were right and explains the stack, device by device. A wrong answer is not " +
				"an error. The lab stays built and its verbs join the history.",
			Examples: []string{"quiz --seed 1 --answer", "quiz", "quiz --seed 7"},
			Run:      func(s *Session, c *Call) error { return s.quizVerb(c) },
		},
		{
			Name: "history", Group: "session",
			Summary: "list the verbs that changed the lab so far, numbered, as a scenario would hold them",
			Detail: "Only verbs that succeeded and changed the lab are listed: fs, filter and volume verbs, os PROFILE " +
				"and reset; views, help and brief are not. Each verb of a line with several ';'-separated verbs is an " +
				"entry of its own. A reset is an entry too, and what came before it stays listed, so undo after a " +
				"reset brings the lab back. A lesson, a quiz or a load lists the verbs it ran.",
			Examples: []string{"history", "help history"},
			Run: func(s *Session, c *Call) error {
				s.printHistory()
				return nil
			},
		},
		{
			Name: "undo", Replays: true, Group: "session",
			Args:    []Arg{{Name: "N", Optional: true, Help: "how many verbs to take back (default 1)"}},
			Summary: "take back the last N verbs of the history, then list the stacks that changed",
			Detail: "undo rebuilds the lab from the boot state by replaying the history without its last N verbs; the " +
				"simulation is deterministic, so every device comes back at the same address. The OS profile comes " +
				"back with it (os w2k is in the history); brief output is a setting of the session and stays as it is.",
			Examples: []string{"undo", "undo 2"},
			Run:      func(s *Session, c *Call) error { return s.undoVerb(c) },
		},
		{
			Name: "save", Group: "session",
			Args:    []Arg{{Name: "FILE", Help: "the scenario file to write, like lab.fss"}},
			Flags:   []Flag{{Name: "force", Help: "replace FILE if it exists"}},
			Summary: "write the history as a scenario file that fssim run replays to the same lab",
			Detail: "The file starts with a comment saying fssim's save wrote it, then holds one verb of the history a " +
				"line. It is written to a temporary file in the same folder and renamed over FILE, so FILE holds either " +
				"its old content or the whole new one; save refuses to replace a file without --force, and a failed " +
				"save leaves any old file as it was.",
			Examples: []string{"save lab.fss", "save lab.fss --force"},
			Run:      func(s *Session, c *Call) error { return s.saveVerb(c) },
		},
		{
			Name: "load", Aliases: []string{"source"}, Replays: true, Group: "session",
			Args:    []Arg{{Name: "FILE", Help: "a scenario file, like lab.fss (a relative path starts at the working folder)"}},
			Summary: "run a scenario file in this session, printing its transcript as fssim run does",
			Detail: "Its verbs join the history. A failing line stops it with FILE:LINE: error: ..., and the lab is " +
				"rebuilt as it was before load. Lines starting with '!' must fail, as in any scenario. A loaded file may " +
				"load others, up to 8 deep; exit in a loaded file ends that file only.",
			Examples: []string{"load lab.fss", "source lab.fss"},
			Run:      func(s *Session, c *Call) error { return s.loadVerb(c) },
		},
		{
			Name: "help", Group: "session",
			Args:     []Arg{{Name: "VERB", Optional: true, Rest: true, Help: "a verb, like mount or fs register", Complete: verbNames}},
			Summary:  "list the verbs, or show one verb's usage, flags and examples",
			Examples: []string{"help", "help mount", "help fs register", "help filter"},
			Run: func(s *Session, c *Call) error {
				if len(c.Args) == 0 {
					s.Help()
					return nil
				}
				if g := strings.ToLower(c.Arg(0)); isGroupWord(g) {
					s.groupHelp(g)
					return nil
				}
				v, _, err := Lookup(strings.Fields(c.Arg(0)))
				if err != nil {
					return err
				}
				s.verbHelp(v)
				return nil
			},
		},
		{
			Name: "exit", Aliases: []string{"quit"}, Group: "session",
			Summary:  "leave fssim (Ctrl-D does too)",
			Examples: []string{"exit", "quit"},
			Run:      func(*Session, *Call) error { return ErrExit },
		},
	}
}

func runShow(s *Session, c *Call) error {
	if c.Bool("json") {
		if len(c.Args) == 0 {
			return render.JSON(s.Out, s.Eng)
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
	if _, err := engine.ParseVolume(c.Arg(0)); err == nil {
		v, err := s.Eng.Volume(c.Arg(0))
		if err != nil {
			return err
		}
		render.Volume(s.Out, v, s.Theme)
		return nil
	}
	if cdo, ok := s.Eng.CDO(c.Arg(0)); ok {
		render.CDO(s.Out, cdo, s.Theme)
		return nil
	}
	_, err := s.Eng.Stack(c.Arg(0))
	return err
}
