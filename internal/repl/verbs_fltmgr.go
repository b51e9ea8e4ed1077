package repl

import (
	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

func loadedMinis(s *Session) []string { return s.Eng.MiniNames() }

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
		},
		Summary: "load a minifilter: FltRegisterFilter, a frame for its altitude, FltStartFiltering and instance setup",
		Detail: "The minifilter lands in the frame whose altitude range holds its altitude. If that is the top frame, a " +
			"legacy filter sits above it and the altitude is above every minifilter there, FltMgr makes a new frame at " +
			"the top of each stack; otherwise the minifilter can land below a legacy filter however high its altitude. " +
			"Two minifilters cannot share an altitude (STATUS_FLT_INSTANCE_ALTITUDE_COLLISION).",
		Examples: []string{"minifilter load scanner --altitude 328000", "minifilter load crypt -a 141100 --group encryption",
			"minifilter load probe --altitude 385200 --no-auto"},
		Run: func(s *Session, c *Call) error {
			alt, ok := c.Value("altitude")
			if !ok {
				return usageErr(c.Verb, "minifilter load: --altitude is required (like --altitude 328000)")
			}
			g, _ := c.Value("group")
			in, _ := c.Value("instance")
			return s.report(s.Eng.LoadMinifilter(c.Arg(0), engine.MiniOptions{Altitude: alt, Group: g, Instance: in, NoAuto: c.Bool("no-auto")}))
		},
	},
	{
		Name: "minifilter unload", Changes: always, Group: "filter manager",
		Args:     []Arg{{Name: "NAME", Help: "a loaded minifilter", Complete: loadedMinis}},
		Summary:  "unload a minifilter: every instance is torn down, then FltUnregisterFilter; its frame stays",
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
		Summary:  "attach a minifilter to a volume by hand: InstanceSetup with FLTFL_INSTANCE_SETUP_MANUAL_ATTACHMENT",
		Detail:   "The instance goes in the frame whose range holds its altitude; an altitude another instance has on the volume is refused.",
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
		Flags:    []Flag{{Name: "instance", Arg: "INSTANCE", Short: "i", Help: "which instance, if it has several there"}},
		Summary:  "tear down a minifilter's instance on a volume (InstanceTeardown)",
		Examples: []string{"fltmc detach watch C:", "fltmc detach scanner D: -i second"},
		Run: func(s *Session, c *Call) error {
			in, _ := c.Value("instance")
			return s.report(s.Eng.FltmcDetach(c.Arg(0), c.Arg(1), in))
		},
	},
	{
		Name: "fltmc filters", Group: "filter manager",
		Summary:  "the filters as fltmc lists them: legacy filters with frame <Legacy>, minifilters with instances, altitude and frame",
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
}
