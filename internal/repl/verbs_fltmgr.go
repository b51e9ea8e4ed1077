package repl

import (
	"strings"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

func loadedMinis(s *Session) []string { return s.Eng.MiniNames() }

// needFltMgr refuses the fltmc listings until Filter Manager is loaded.
func needFltMgr(s *Session) error {
	if !s.Eng.FltMgrLoaded() {
		return errorf(engine.ErrFltMgrNotLoaded, "Filter Manager is not loaded (fltmgr load first)")
	}
	return nil
}

// fltmgrVerbs drive Filter Manager: fltmgr, minifilter and fltmc.
var fltmgrVerbs = []*Verb{
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
			if err := needFltMgr(s); err != nil {
				return err
			}
			render.FltmcFilters(s.Out, s.Eng, s.width())
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
			if err := needFltMgr(s); err != nil {
				return err
			}
			f, _ := c.Value("filter")
			v, hasV := c.Value("volume")
			if hasV {
				if _, err := s.Eng.Volume(v); err != nil {
					return err
				}
			}
			render.FltmcInstances(s.Out, s.Eng, f, v, s.width())
			return nil
		},
	},
	{
		Name: "fltmc volumes", Group: "filter manager",
		Summary:  "the volumes Filter Manager is attached to, as fltmc volumes lists them",
		Examples: []string{"fltmc volumes", "help fltmc volumes"},
		Run: func(s *Session, c *Call) error {
			if err := needFltMgr(s); err != nil {
				return err
			}
			render.FltmcVolumes(s.Out, s.Eng, s.width())
			return nil
		},
	},
}
