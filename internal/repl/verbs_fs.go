package repl

import (
	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

var fsTypes = []string{"disk", "cdrom", "network", "tape"}

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

// fsVerbs load, unload and list file systems: the CDOs and their queues.
var fsVerbs = []*Verb{
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
}
