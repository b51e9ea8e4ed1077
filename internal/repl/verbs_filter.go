package repl

import (
	"strings"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

func loadedFilters(s *Session) []string {
	return s.Eng.Names(true)
}

// filterVerbs load, attach, detach and unload legacy filters.
var filterVerbs = []*Verb{
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
			render.Filters(s.Out, s.Eng.Filters(), s.Theme, s.width())
			return nil
		},
	},
}
