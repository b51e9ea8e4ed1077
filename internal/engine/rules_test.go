package engine

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// Tests of MODEL.md rules 1 to 25, the boot state, the object rules and the
// seed sentences, through the engine's public API only.

var (
	rawDisk  = `\Device\RawDisk`
	rawCdRom = `\Device\RawCdRom`
	rawTape  = `\Device\RawTape`
)

// ---------------------------------------------------------------- boot state

func TestBootState(t *testing.T) {
	e := fresh(t)
	equal(t, "profile", e.Profile(), XP)
	st := e.State()
	inv(t, e)
	equal(t, "queues", st.Queues, map[FsType][]string{
		Disk: {rawDisk}, CdRom: {rawCdRom}, Tape: {rawTape}, Network: {},
	})
	equal(t, "file systems", len(st.FileSystems), 1)
	equal(t, "RAW driver", st.FileSystems[0].Driver, `\FileSystem\RAW`)
	equal(t, "RAW CDOs", st.FileSystems[0].CDOs, []string{rawDisk, rawCdRom, rawTape})
	equal(t, "filters", len(st.Filters), 0)
	equal(t, "volumes", len(st.Volumes), 0)
	for _, n := range []string{rawDisk, rawCdRom, rawTape} {
		s := stackOf(t, e, n)
		equal(t, n+" shorts", shorts(s.Devices), []string{"raw"})
		equal(t, n+" roles", roles(s.Devices), []Role{RoleCDO})
	}
	// RAW cannot be unregistered or registered again.
	refusedUnchanged(t, e, ErrRawBuiltin, func() ([]Event, error) { return e.UnregisterFileSystem("raw") })
	refusedUnchanged(t, e, ErrRawBuiltin, func() ([]Event, error) { return e.UnregisterFileSystem("RAW") })
	refusedUnchanged(t, e, ErrRawBuiltin, func() ([]Event, error) { return e.RegisterFileSystem("raw", FSOptions{}) })
}

func TestSetProfileOnlyInBootState(t *testing.T) {
	e := fresh(t)
	mustOK(t, e)(e.SetProfile(W2K))
	equal(t, "profile", e.Profile(), W2K)
	equal(t, "State().OS", e.State().OS, W2K)
	regFS(t, e, "ntfs")
	refusedUnchanged(t, e, ErrNotBootState, func() ([]Event, error) { return e.SetProfile(XP) })
	// Reset keeps the profile and makes the change possible again.
	mustOK(t, e)(e.Reset(), nil)
	equal(t, "profile after reset", e.Profile(), W2K)
	loadCmd(t, e, "cmd")
	refusedUnchanged(t, e, ErrNotBootState, func() ([]Event, error) { return e.SetProfile(XP) })
	mustOK(t, e)(e.UnloadFilter("cmd"))
	mustOK(t, e)(e.SetProfile(XP))
	equal(t, "profile", e.Profile(), XP)
}

// ---------------------------------------------------------------- rules 1-3

func TestRule01_OneQueuePerType(t *testing.T) {
	cases := []struct {
		name string
		typ  FsType
	}{
		{"diskfs", Disk}, {"cdfs2", CdRom}, {"tapefs", Tape}, {"netfs", Network},
	}
	for _, c := range cases {
		t.Run(c.typ.String(), func(t *testing.T) {
			e := fresh(t)
			regFSType(t, e, c.name, c.typ, false)
			for _, q := range QueueOrder {
				names := queueNames(t, e, q)
				has := contains(names, `\`+c.name)
				if has != (q == c.typ) {
					t.Errorf("%s queue %v: contains \\%s = %v", q, names, c.name, has)
				}
			}
			for _, ci := range e.Queue(c.typ) {
				if ci.Type != c.typ {
					t.Errorf("%s is in the %s queue but has type %s", ci.Name, c.typ, ci.Type)
				}
			}
			inv(t, e)
		})
	}
	e := fresh(t)
	equal(t, "four queues in State", len(e.State().Queues), 4)
}

func TestRule02_QueuePosition(t *testing.T) {
	type reg struct {
		name string
		typ  FsType
		low  bool
	}
	cases := []struct {
		name string
		regs []reg // TypeSet only for names fssim does not know
		want map[FsType][]string
	}{
		{"normal file systems go in at the head",
			[]reg{{"ntfs", Disk, false}, {"exfat", Disk, false}, {"refs", Disk, false}},
			map[FsType][]string{Disk: {`\Refs`, `\Exfat`, `\Ntfs`, rawDisk}}},
		{"cdfs is low priority: just before RAW, cdfs first",
			[]reg{{"cdfs", CdRom, false}, {"udfs", CdRom, false}},
			map[FsType][]string{CdRom: {`\UdfsCdRom`, `\Cdfs`, rawCdRom}, Disk: {`\UdfsDisk`, rawDisk}}},
		{"cdfs is low priority: just before RAW, cdfs last",
			[]reg{{"udfs", CdRom, false}, {"fastfat", Disk, false}, {"cdfs", CdRom, false}},
			map[FsType][]string{CdRom: {`\FatCdrom`, `\UdfsCdRom`, `\Cdfs`, rawCdRom}}},
		{"a low-priority disk file system stays just before RAW",
			[]reg{{"slowfs", Disk, true}, {"ntfs", Disk, false}, {"fastfs", Disk, false}},
			map[FsType][]string{Disk: {`\fastfs`, `\Ntfs`, `\slowfs`, rawDisk}}},
		{"two low-priority: the later one just before RAW",
			[]reg{{"slow1", Tape, true}, {"slow2", Tape, true}, {"quick", Tape, false}},
			map[FsType][]string{Tape: {`\quick`, `\slow1`, `\slow2`, rawTape}}},
		// InsertTailList(listHead->Blink, ...) in every queue: just before the
		// last entry even where that entry is not RAW.
		{"network: no RAW, head insertion, low priority just before the last entry",
			[]reg{{"net1", Network, false}, {"netlow", Network, true}, {"net2", Network, false}},
			map[FsType][]string{Network: {`\net2`, `\netlow`, `\net1`}}},
		{"network: low priority into an empty queue, then before the last entry",
			[]reg{{"low1", Network, true}, {"net1", Network, false}, {"low2", Network, true}},
			map[FsType][]string{Network: {`\net1`, `\low2`, `\low1`}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := fresh(t)
			for _, r := range c.regs {
				if lookupKnown(r.name) != nil {
					regFS(t, e, r.name)
				} else {
					regFSType(t, e, r.name, r.typ, r.low)
				}
			}
			for q, want := range c.want {
				equal(t, q.String()+" queue", queueNames(t, e, q), want)
			}
			for _, q := range []FsType{Disk, CdRom, Tape} {
				names := queueNames(t, e, q)
				if names[len(names)-1] != map[FsType]string{Disk: rawDisk, CdRom: rawCdRom, Tape: rawTape}[q] {
					t.Errorf("%s queue %v does not end with RAW", q, names)
				}
			}
		})
	}
	e := fresh(t)
	regFS(t, e, "cdfs")
	q := e.Queue(CdRom)
	inv(t, e)
	equal(t, "\\Cdfs is low priority", q[0].LowPriority, true)
	equal(t, "RAW is not", q[1].LowPriority, false)
}

func TestRule03_KnownFileSystems(t *testing.T) {
	type cdo struct {
		name string
		typ  FsType
	}
	type vol struct {
		media  Media
		format string
	}
	cases := []struct {
		fs     string
		driver string
		cdos   []cdo
		mounts []vol // each must be claimed by fs
	}{
		{"ntfs", `\FileSystem\Ntfs`, []cdo{{`\Ntfs`, Disk}}, []vol{{MediaDisk, "ntfs"}}},
		{"fastfat", `\FileSystem\fastfat`, []cdo{{`\Fat`, Disk}, {`\FatCdrom`, CdRom}}, []vol{{MediaDisk, "fat"}, {MediaCdRom, "fat"}}},
		{"exfat", `\FileSystem\exfat`, []cdo{{`\Exfat`, Disk}}, []vol{{MediaDisk, "exfat"}}},
		{"refs", `\FileSystem\ReFS`, []cdo{{`\Refs`, Disk}}, []vol{{MediaDisk, "refs"}}},
		{"cdfs", `\FileSystem\Cdfs`, []cdo{{`\Cdfs`, CdRom}}, []vol{{MediaCdRom, "cdfs"}}},
		{"udfs", `\FileSystem\Udfs`, []cdo{{`\UdfsCdRom`, CdRom}, {`\UdfsDisk`, Disk}}, []vol{{MediaCdRom, "udf"}, {MediaDisk, "udf"}}},
		{"myfs", `\FileSystem\myfs`, []cdo{{`\myfs`, Disk}}, []vol{{MediaDisk, "myfs"}}},
	}
	for _, c := range cases {
		t.Run(c.fs, func(t *testing.T) {
			e := fresh(t)
			ev := regFS(t, e, c.fs)
			var names []string
			for _, x := range c.cdos {
				names = append(names, x.name)
				q := queueNames(t, e, x.typ)
				if q[0] != x.name {
					t.Errorf("%s: head of %s queue is %s", x.name, x.typ, q[0])
				}
				s := stackOf(t, e, x.name)
				equal(t, x.name+" roles", roles(s.Devices), []Role{RoleCDO})
				equal(t, x.name+" name", s.Devices[0].Name, x.name)
				equal(t, x.name+" type", s.Devices[0].Type, x.typ)
				equal(t, x.name+" driver", s.Devices[0].Driver, c.driver)
			}
			// One IoRegisterFileSystem per CDO, in the table's order.
			var regs []string
			for _, k := range ofKind(ev, KindCall) {
				if k.Op == OpRegisterFS {
					regs = append(regs, k.Stack)
				}
			}
			equal(t, "IoRegisterFileSystem order", regs, names)
			var fi *FileSystemInfo
			for _, f := range e.FileSystems() {
				if f.Name == c.fs {
					f := f
					fi = &f
				}
			}
			if fi == nil {
				t.Fatalf("%s not in FileSystems()", c.fs)
			}
			equal(t, "driver", fi.Driver, c.driver)
			equal(t, "CDOs", fi.CDOs, names)
			for i, m := range c.mounts {
				letter := fmt.Sprintf("%c:", 'K'+i)
				mountAs(t, e, letter, m.media, m.format)
				equal(t, letter+" FS", volumeOf(t, e, letter).FS, c.fs)
			}
			// A format it does not know goes to RAW.
			mountAs(t, e, "Z:", MediaDisk, "zzzfmt")
			equal(t, "Z: FS", volumeOf(t, e, "Z:").FS, "raw")
		})
	}

	t.Run("--type picks the queue of an unknown file system", func(t *testing.T) {
		e := fresh(t)
		regFSType(t, e, "cdx", CdRom, false)
		equal(t, "cdrom queue", queueNames(t, e, CdRom), []string{`\cdx`, rawCdRom})
		equal(t, "disk queue", queueNames(t, e, Disk), []string{rawDisk})
	})
	t.Run("--type does not apply to known file systems", func(t *testing.T) {
		e := fresh(t)
		refusedUnchanged(t, e, ErrBadOption, func() ([]Event, error) {
			return e.RegisterFileSystem("ntfs", FSOptions{Type: CdRom, TypeSet: true})
		})
		refusedUnchanged(t, e, ErrBadOption, func() ([]Event, error) {
			return e.RegisterFileSystem("fastfat", FSOptions{Type: Disk, TypeSet: true})
		})
		refusedUnchanged(t, e, ErrBadOption, func() ([]Event, error) {
			return e.RegisterFileSystem("fs_rec", FSOptions{Type: Disk, TypeSet: true})
		})
	})
	t.Run("a CDO name already used is refused", func(t *testing.T) {
		e := fresh(t)
		regFS(t, e, "fastfat")
		err := refusedUnchanged(t, e, ErrNameTaken, func() ([]Event, error) { return e.RegisterFileSystem("Fat", FSOptions{}) })
		equal(t, "status", StatusOf(err), StatusObjectNameCollision)
	})
}

// ---------------------------------------------------------------- rule 4-6

func TestRule04_NotificationOrder(t *testing.T) {
	e := fresh(t)
	loadNotify(t, e, "a")
	loadNotify(t, e, "b")
	ev := regFS(t, e, "fastfat")
	equal(t, "register callbacks", callbacks(ev), []string{
		`a:\Fat:TRUE`, `b:\Fat:TRUE`, `a:\FatCdrom:TRUE`, `b:\FatCdrom:TRUE`,
	})
	equal(t, `\Fat`, shortsOf(t, e, `\Fat`), []string{"b", "a", "fastfat"})
	equal(t, `\FatCdrom`, shortsOf(t, e, `\FatCdrom`), []string{"b", "a", "fastfat"})
	ev = unregFS(t, e, "fastfat")
	equal(t, "unregister callbacks", callbacks(ev), []string{
		`a:\Fat:FALSE`, `b:\Fat:FALSE`, `a:\FatCdrom:FALSE`, `b:\FatCdrom:FALSE`,
	})
	// Each FALSE callback is followed by that filter leaving the CDO.
	equal(t, "detaches", stacksOf(ev, KindDetach)[:2], []string{`\Fat`, `\Fat`})
	equal(t, "a's CDOs", filterOf(t, e, "a").CDOs, []string(nil))
	equal(t, "b's CDOs", filterOf(t, e, "b").CDOs, []string(nil))
	if _, err := e.Stack(`\Fat`); !errors.Is(err, ErrNoSuchDevice) {
		t.Errorf(`Stack(\Fat) after unregister: %v`, err)
	}
	inv(t, e)
	// A filter that waits for commands is never called.
	loadCmd(t, e, "cmd")
	ev = regFS(t, e, "ntfs")
	equal(t, "callbacks with a command filter", callbacks(ev), []string{`a:\Ntfs:TRUE`, `b:\Ntfs:TRUE`})
}

func TestRule05_UnregisterWithMountedVolumes(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	mount(t, e, "D:")
	mount(t, e, "C:")
	err := refusedUnchanged(t, e, ErrFSInUse, func() ([]Event, error) { return e.UnregisterFileSystem("ntfs") })
	for _, v := range []string{"C:", "D:"} {
		if !strings.Contains(err.Error(), v) {
			t.Errorf("error %q does not name %s", err, v)
		}
	}
	dismount(t, e, "C:")
	err = refusedUnchanged(t, e, ErrFSInUse, func() ([]Event, error) { return e.UnregisterFileSystem("ntfs") })
	if strings.Contains(err.Error(), "C:") || !strings.Contains(err.Error(), "D:") {
		t.Errorf("error %q should name D: only", err)
	}
	dismount(t, e, "D:")
	unregFS(t, e, "ntfs")
	equal(t, "disk queue", queueNames(t, e, Disk), []string{rawDisk})
	mustFail(t, e, ErrFSNotRegistered)(e.UnregisterFileSystem("ntfs"))
}

func TestRule06_FilterNeverRegistersAsFS(t *testing.T) {
	cases := []struct {
		name string
		call func(e *Engine) ([]Event, error)
		api  string
	}{
		{"register", func(e *Engine) ([]Event, error) { return e.RegisterFileSystem("av", FSOptions{}) }, "IoRegisterFileSystem"},
		{"register other case", func(e *Engine) ([]Event, error) { return e.RegisterFileSystem("AV", FSOptions{}) }, "IoRegisterFileSystem"},
		{"register with --type", func(e *Engine) ([]Event, error) {
			return e.RegisterFileSystem("av", FSOptions{Type: CdRom, TypeSet: true})
		}, "IoRegisterFileSystem"},
		{"unregister", func(e *Engine) ([]Event, error) { return e.UnregisterFileSystem("av") }, "IoUnregisterFileSystem"},
		{"unregister command filter", func(e *Engine) ([]Event, error) { return e.UnregisterFileSystem("cmd") }, "IoUnregisterFileSystem"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := fresh(t)
			regFS(t, e, "ntfs")
			loadNotify(t, e, "av")
			loadCmd(t, e, "cmd")
			mount(t, e, "C:")
			err := refusedUnchanged(t, e, ErrFilterIsNotFS, func() ([]Event, error) { return c.call(e) })
			if !strings.Contains(err.Error(), "must never") || !strings.Contains(err.Error(), c.api) {
				t.Errorf("error %q does not say a filter must never call %s", err, c.api)
			}
		})
	}
}

// ---------------------------------------------------------------- rules 7-11

func TestRule07_XPReplay(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	regFS(t, e, "cdfs")
	regFS(t, e, "fastfat")
	regFSType(t, e, "tapefs", Tape, false)
	regFSType(t, e, "netfs", Network, false)
	ev := loadNotify(t, e, "av")
	// Network, cdrom, disk, tape queues, each from its head; never RAW.
	equal(t, "replay", callbacks(ev), []string{
		`av:\netfs:TRUE`, `av:\FatCdrom:TRUE`, `av:\Cdfs:TRUE`, `av:\Fat:TRUE`, `av:\Ntfs:TRUE`, `av:\tapefs:TRUE`,
	})
	// At once: the callbacks come between the IoRegisterFsRegistrationChange
	// call and its status, nested under it.
	call := indexOf(ev, func(x Event) bool {
		p, ok := x.Data.(RegisterNotify)
		return ok && !p.Ex
	})
	if call < 0 {
		t.Fatalf("no IoRegisterFsRegistrationChange call in\n%s", FormatEvents(ev))
	}
	st := indexOf(ev[call+1:], func(x Event) bool { return x.Kind == KindStatus && x.Depth == ev[call].Depth+1 })
	if st < 0 {
		t.Fatalf("no status for IoRegisterFsRegistrationChange")
	}
	st += call + 1
	for i, x := range ev {
		if x.Kind == KindCallback && (i < call || i > st || x.Depth <= ev[call].Depth) {
			t.Errorf("callback %s at %d is not inside the registration call (%d..%d)", evString(x), i, call, st)
		}
	}
	// Rule 12: the tape file system is reported, but sfilter filters only
	// disk, CD-ROM and network file systems.
	equal(t, "av's CDOs", filterOf(t, e, "av").CDOs, []string{`\Cdfs`, `\Fat`, `\FatCdrom`, `\Ntfs`, `\netfs`})
	equal(t, `\tapefs`, shortsOf(t, e, `\tapefs`), []string{"tapefs"})
	if indexOf(ev, func(x Event) bool {
		p, ok := x.Data.(SkipTape)
		return ok && p.CDO.Name == `\tapefs`
	}) < 0 {
		t.Errorf("no skip for the tape file system in\n%s", FormatEvents(ev))
	}
	for _, n := range []string{rawDisk, rawCdRom, rawTape} {
		equal(t, n, shortsOf(t, e, n), []string{"raw"})
	}

	t.Run("only RAW registered: nothing reported", func(t *testing.T) {
		e := fresh(t)
		ev := loadNotify(t, e, "av")
		equal(t, "callbacks", callbacks(ev), []string{})
		equal(t, "attaches", len(ofKind(ev, KindAttach)), 0)
		for _, x := range ev {
			if slices.ContainsFunc(refs(x), func(d *DeviceRef) bool { return d.Driver == "RAW" }) {
				t.Errorf("RAW appears in the replay: %s", evString(x))
			}
		}
	})
}

func TestRule08_Windows2000(t *testing.T) {
	cases := []struct {
		name      string
		profile   Profile
		ex        bool
		replay    bool // av is called for \Ntfs at load
		enumerate bool // av reaches C:, mounted before it loaded
	}{
		{"xp", XP, false, true, true},
		{"xp ex", XP, true, true, true},
		{"w2k: no replay", W2K, false, false, false},
		{"w2ksp4: no replay", W2KSP4, false, false, false},
		{"w2ksp4 ex: replay, but sfilter never enumerates", W2KSP4, true, true, false},
	}
	// Windows 2000 as shipped has no IoRegisterFsRegistrationChangeEx.
	w := fresh(t)
	mustOK(t, w)(w.SetProfile(W2K))
	regFS(t, w, "ntfs")
	err := refusedUnchanged(t, w, ErrNotOnProfile, func() ([]Event, error) { return w.LoadFilter("av", FilterOptions{Notify: true, Ex: true}) })
	if !strings.Contains(err.Error(), "Update Rollup") {
		t.Errorf("refusal %q does not say why", err)
	}
	loadNotify(t, w, "av")
	refusedUnchanged(t, w, ErrNotOnProfile, func() ([]Event, error) { return w.RegisterNotification("av", true) })
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := fresh(t)
			mustOK(t, e)(e.SetProfile(c.profile))
			regFS(t, e, "ntfs")
			mount(t, e, "C:")
			ev := mustOK(t, e)(e.LoadFilter("av", FilterOptions{Notify: true, Ex: c.ex}))
			want := []string{}
			if c.replay {
				want = []string{`av:\Ntfs:TRUE`}
			}
			equal(t, "callbacks", callbacks(ev), want)
			equal(t, "on \\Ntfs", contains(shortsOf(t, e, `\Ntfs`), "av"), c.replay)
			equal(t, "on C:", contains(shortsOf(t, e, "C:"), "av"), c.enumerate)
			equal(t, "Ex", filterOf(t, e, "av").Ex, c.ex)
			// A file system registered later is reported on every profile.
			ev = regFS(t, e, "exfat")
			equal(t, "later registration", callbacks(ev), []string{`av:\Exfat:TRUE`})
			equal(t, `\Exfat`, shortsOf(t, e, `\Exfat`), []string{"av", "exfat"})
			// And its mounts are seen (rule 17).
			mountAs(t, e, "E:", MediaDisk, "exfat")
			equal(t, "E:", shortsOf(t, e, "E:"), []string{"av", "exfat"})
		})
	}
}

func TestRule09_RegisterTwiceInARow(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	loadNotify(t, e, "a")
	err := refusedUnchanged(t, e, ErrAlreadyRegistered, func() ([]Event, error) { return e.RegisterNotification("a", false) })
	equal(t, "status", StatusOf(err), StatusDeviceAlreadyAttach)
	err = refusedUnchanged(t, e, ErrAlreadyRegistered, func() ([]Event, error) { return e.RegisterNotification("a", true) })
	equal(t, "status (Ex)", StatusOf(err), StatusDeviceAlreadyAttach)

	// Not in a row: another routine registered in between.
	loadNotify(t, e, "b")
	mustOK(t, e)(e.RegisterNotification("a", false))
	equal(t, "a registrations", filterOf(t, e, "a").Registrations, 2)
	err = refusedUnchanged(t, e, ErrAlreadyRegistered, func() ([]Event, error) { return e.RegisterNotification("a", false) })
	equal(t, "status", StatusOf(err), StatusDeviceAlreadyAttach)
	// Registered twice, a is called twice per CDO; the second call finds
	// it attached already.
	ev := regFS(t, e, "exfat")
	equal(t, "callbacks", callbacks(ev), []string{`a:\Exfat:TRUE`, `b:\Exfat:TRUE`, `a:\Exfat:TRUE`})
	equal(t, `\Exfat`, shortsOf(t, e, `\Exfat`), []string{"b", "a", "exfat"})

	// A command filter may register late, once.
	loadCmd(t, e, "late")
	equal(t, "late notify before", filterOf(t, e, "late").Notify, false)
	ev = mustOK(t, e)(e.RegisterNotification("late", false))
	equal(t, "late replay", callbacks(ev), []string{`late:\Exfat:TRUE`, `late:\Ntfs:TRUE`})
	equal(t, "late notify after", filterOf(t, e, "late").Notify, true)
	refusedUnchanged(t, e, ErrAlreadyRegistered, func() ([]Event, error) { return e.RegisterNotification("late", false) })
	refusedUnchanged(t, e, ErrFilterNotLoaded, func() ([]Event, error) { return e.RegisterNotification("ghost", false) })
	refusedUnchanged(t, e, ErrFilterNotLoaded, func() ([]Event, error) { return e.RegisterNotification("ntfs", false) })
}

func TestRule11_UnloadUnregistersRoutine(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	loadNotify(t, e, "other")
	loadNotify(t, e, "av") // on top of other on \Ntfs: it can unload first (rule 25)
	ev := mustOK(t, e)(e.UnloadFilter("av"))
	unreg := indexOf(ev, func(x Event) bool {
		return x.Op == OpUnregNotify
	})
	if unreg < 0 {
		t.Fatalf("unload does not call IoUnregisterFsRegistrationChange:\n%s", FormatEvents(ev))
	}
	if d := indexOf(ev, func(x Event) bool { return x.Kind == KindDetach }); d < unreg {
		t.Errorf("a device is detached (%d) before the routine is unregistered (%d)", d, unreg)
	}
	ev = regFS(t, e, "exfat")
	equal(t, "callbacks after unload", callbacks(ev), []string{`other:\Exfat:TRUE`})
	// A filter that never registered does not unregister.
	loadCmd(t, e, "cmd")
	ev = mustOK(t, e)(e.UnloadFilter("cmd"))
	if i := indexOf(ev, func(x Event) bool { return x.Op == OpUnregNotify }); i >= 0 {
		t.Errorf("command filter unregisters a routine it never registered")
	}
}

// ---------------------------------------------------------------- rules 12-14

func TestRule12_NotifyPattern(t *testing.T) {
	t.Run("skip recognizer CDOs", func(t *testing.T) {
		e := fresh(t)
		loadNotify(t, e, "av")
		ev := regFS(t, e, "fs_rec")
		cbs := callbacks(ev)
		if len(cbs) == 0 {
			t.Fatalf("no callback for the recognizer's CDOs")
		}
		equal(t, "skips", len(ofKind(ev, KindSkip)), len(cbs))
		equal(t, "attaches", len(ofKind(ev, KindAttach)), 0)
		equal(t, "av's CDOs", filterOf(t, e, "av").CDOs, []string(nil))
		s := stackOf(t, e, `\FileSystem\NtfsRecognizer`)
		equal(t, "recognizer stack", shorts(s.Devices), []string{"fs_rec"})
	})
	t.Run("attach at the top of the CDO stack", func(t *testing.T) {
		e := fresh(t)
		loadNotify(t, e, "a")
		loadNotify(t, e, "b")
		ev := regFS(t, e, "ntfs")
		equal(t, "attach stacks", stacksOf(ev, KindAttach), []string{`\Ntfs`, `\Ntfs`})
		s := stackOf(t, e, `\Ntfs`)
		equal(t, "shorts", shorts(s.Devices), []string{"b", "a", "ntfs"})
		equal(t, "roles", roles(s.Devices), []Role{RoleFilter, RoleFilter, RoleCDO})
		equal(t, "hows", hows(s.Devices), []Origin{OriginNotify, OriginNotify, OriginNone})
		for _, d := range s.Devices[:2] {
			equal(t, "filter device type", d.Type, Disk)
			equal(t, "filter device unnamed", d.Name, "")
		}
	})
	t.Run("enumerate mounted volumes, newest VDO first", func(t *testing.T) {
		e := fresh(t)
		regFS(t, e, "ntfs")
		mount(t, e, "C:")
		mount(t, e, "D:")
		mount(t, e, "E:")
		ev := loadNotify(t, e, "av")
		equal(t, "attach order", stacksOf(ev, KindAttach), []string{`\Ntfs`, "E:", "D:", "C:"})
		for _, v := range []string{"C:", "D:", "E:"} {
			s := stackOf(t, e, v)
			equal(t, v, shorts(s.Devices), []string{"av", "ntfs"})
			equal(t, v+" hows", hows(s.Devices), []Origin{OriginEnumerate, OriginNone})
		}
	})
	t.Run("enumerate skips volumes already attached", func(t *testing.T) {
		e := fresh(t)
		regFS(t, e, "ntfs")
		mount(t, e, "C:")
		mount(t, e, "D:")
		loadCmd(t, e, "av")
		attachCmd(t, e, "av", "C:")
		ev := mustOK(t, e)(e.RegisterNotification("av", false))
		equal(t, "attach order", stacksOf(ev, KindAttach), []string{`\Ntfs`, "D:"})
		equal(t, "C: hows", hows(stackOf(t, e, "C:").Devices), []Origin{OriginCommand, OriginNone})
		equal(t, "D: hows", hows(stackOf(t, e, "D:").Devices), []Origin{OriginEnumerate, OriginNone})
	})
	t.Run("enumerate reaches volumes mounted through either CDO", func(t *testing.T) {
		e := fresh(t)
		regFS(t, e, "fastfat")
		mountAs(t, e, "C:", MediaDisk, "fat")
		mountAs(t, e, "D:", MediaCdRom, "fat")
		ev := loadNotify(t, e, "av")
		// Replay: cdrom queue (\FatCdrom) before disk (\Fat). Each CDO's
		// enumeration takes only volumes of its own device type.
		equal(t, "attach order", stacksOf(ev, KindAttach), []string{`\FatCdrom`, "D:", `\Fat`, "C:"})
		equal(t, "D:", shortsOf(t, e, "D:"), []string{"av", "fastfat"})
		equal(t, "D: type", stackOf(t, e, "D:").Devices[0].Type, CdRom)
		equal(t, "C: type", stackOf(t, e, "C:").Devices[0].Type, Disk)
		var skips []string
		for _, x := range ofKind(ev, KindSkip) {
			p := x.Data.(EnumSkipType)
			skips = append(skips, x.Op.String()+" "+p.VDO.Volume+" by "+p.CDO.Name)
		}
		equal(t, "type skips", skips, []string{
			`enumerate-skip-type C: by \FatCdrom`,
			`enumerate-skip-type D: by \Fat`,
		})
	})
	t.Run("tape file systems are never filtered", func(t *testing.T) {
		e := fresh(t)
		regFSType(t, e, "tapefs", Tape, false)
		mountAs(t, e, "T:", MediaTape, "tapefs")
		ev := loadNotify(t, e, "av")
		equal(t, "callbacks", callbacks(ev), []string{`av:\tapefs:TRUE`})
		equal(t, "attaches", len(ofKind(ev, KindAttach)), 0)
		equal(t, `\tapefs`, shortsOf(t, e, `\tapefs`), []string{"tapefs"})
		equal(t, "T:", shortsOf(t, e, "T:"), []string{"tapefs"})
		ev = regFSType(t, e, "tape2", Tape, false)
		equal(t, "attaches at registration", len(ofKind(ev, KindAttach)), 0)
		// The command path is not sfilter's: it may attach to a tape volume.
		attachCmd(t, e, "av", "T:")
		equal(t, "T: by command", shortsOf(t, e, "T:"), []string{"av", "tapefs"})
	})
	t.Run("attach-raw reaches RAW's disk and CD-ROM volumes, never its tape volumes", func(t *testing.T) {
		e := fresh(t)
		mountAs(t, e, "C:", MediaDisk, "junk")
		mountAs(t, e, "D:", MediaCdRom, "junk")
		mountAs(t, e, "T:", MediaTape, "")
		ev := mustOK(t, e)(e.LoadFilter("rf", FilterOptions{Notify: true, AttachRaw: true}))
		equal(t, "attach order", stacksOf(ev, KindAttach), []string{rawDisk, "C:", rawCdRom, "D:"})
		equal(t, "T:", shortsOf(t, e, "T:"), []string{"raw"})
		equal(t, rawTape, shortsOf(t, e, rawTape), []string{"raw"})
		attachCmd(t, e, "rf", "T:")
		equal(t, "T: by command", shortsOf(t, e, "T:"), []string{"rf", "raw"})
	})
}

func TestRule13_FsActiveFalse(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	regFS(t, e, "exfat")
	mount(t, e, "C:")
	loadNotify(t, e, "av")
	loadCmd(t, e, "cmd")
	attachCmd(t, e, "cmd", "C:")
	before := shortsOf(t, e, "C:")
	ev := unregFS(t, e, "exfat")
	equal(t, "callbacks", callbacks(ev), []string{`av:\Exfat:FALSE`})
	// The filter detaches itself inside its callback, not through a
	// FastIoDetachDevice when the CDO is deleted.
	cb := indexOf(ev, func(x Event) bool { return x.Kind == KindCallback })
	if cb < 0 || cb+1 >= len(ev) || ev[cb+1].Kind != KindDetach || ev[cb+1].Stack != `\Exfat` ||
		ev[cb+1].Depth <= ev[cb].Depth || ev[cb+1].Op != OpDetach {
		t.Errorf("the FALSE callback does not detach from \\Exfat:\n%s", FormatEvents(ev))
	}
	for _, x := range ev {
		if x.Op == OpFastIoDetach {
			t.Errorf("a filter was left on \\Exfat until its deletion: %s", evString(x))
		}
	}
	detached := stacksOf(ev, KindDetach)
	if len(detached) == 0 || detached[0] != `\Exfat` {
		t.Errorf("first detach is not from \\Exfat: %v", detached)
	}
	for _, s := range detached {
		if s != `\Exfat` {
			t.Errorf("FsActive=FALSE for \\Exfat touched stack %s", s)
		}
	}
	equal(t, "C: left alone", shortsOf(t, e, "C:"), before)
	equal(t, `\Ntfs left alone`, shortsOf(t, e, `\Ntfs`), []string{"av", "ntfs"})
	equal(t, "av CDOs", filterOf(t, e, "av").CDOs, []string{`\Ntfs`})
	equal(t, "av volumes", filterOf(t, e, "av").Volumes, []string{"C:"})

	// A FALSE callback for a CDO the filter is not on does nothing.
	e = fresh(t)
	mustOK(t, e)(e.SetProfile(W2K))
	regFS(t, e, "ntfs")
	loadNotify(t, e, "av") // no replay: not on \Ntfs
	ev = unregFS(t, e, "ntfs")
	equal(t, "callbacks", callbacks(ev), []string{`av:\Ntfs:FALSE`})
	for _, x := range ofKind(ev, KindDetach) {
		if x.Stack == `\Ntfs` && slices.ContainsFunc(refs(x), func(d *DeviceRef) bool { return d.Driver == "av" }) {
			t.Errorf("av detached from a CDO it was never on: %s", evString(x))
		}
	}
	if len(ofKind(ev, KindSkip)) != 1 {
		t.Errorf("want one skip event, got\n%s", FormatEvents(ev))
	}
}

func TestRule14_NoEnumerateAndRaw(t *testing.T) {
	t.Run("--no-enumerate misses volumes mounted before", func(t *testing.T) {
		e := fresh(t)
		regFS(t, e, "ntfs")
		mount(t, e, "C:")
		ev := mustOK(t, e)(e.LoadFilter("lazy", FilterOptions{Notify: true, NoEnumerate: true}))
		equal(t, "attaches", stacksOf(ev, KindAttach), []string{`\Ntfs`})
		if len(ofKind(ev, KindSkip)) == 0 {
			t.Errorf("the missed volume is not reported as a skip")
		}
		equal(t, "C:", shortsOf(t, e, "C:"), []string{"ntfs"})
		equal(t, "Enumerate", filterOf(t, e, "lazy").Enumerate, false)
		// A volume mounted later is seen at mount time.
		mount(t, e, "D:")
		s := stackOf(t, e, "D:")
		equal(t, "D:", shorts(s.Devices), []string{"lazy", "ntfs"})
		equal(t, "D: hows", hows(s.Devices), []Origin{OriginMount, OriginNone})
	})
	t.Run("--no-enumerate needs --notify", func(t *testing.T) {
		e := fresh(t)
		for _, o := range []FilterOptions{{NoEnumerate: true}, {AttachRaw: true}, {Ex: true}} {
			refusedUnchanged(t, e, ErrBadOption, func() ([]Event, error) { return e.LoadFilter("x", o) })
		}
	})
	t.Run("RAW is reached only by name", func(t *testing.T) {
		e := fresh(t)
		loadNotify(t, e, "plain")
		ev := mustOK(t, e)(e.LoadFilter("sf", FilterOptions{Notify: true, AttachRaw: true}))
		equal(t, "attaches", stacksOf(ev, KindAttach), []string{rawDisk, rawCdRom})
		for _, n := range []string{rawDisk, rawCdRom} {
			s := stackOf(t, e, n)
			equal(t, n, shorts(s.Devices), []string{"sf", "raw"})
			equal(t, n+" hows", hows(s.Devices), []Origin{OriginByName, OriginNone})
		}
		equal(t, rawTape, shortsOf(t, e, rawTape), []string{"raw"})
		equal(t, "AttachRaw", filterOf(t, e, "sf").AttachRaw, true)
		// A volume RAW claims gets sf (on the RAW CDO) but not plain.
		mountAs(t, e, "X:", MediaDisk, "garbage")
		equal(t, "X:", shortsOf(t, e, "X:"), []string{"sf", "raw"})
		mountAs(t, e, "T:", MediaTape, "")
		equal(t, "T:", shortsOf(t, e, "T:"), []string{"raw"})
	})
}

// ---------------------------------------------------------------- rules 15-20

func TestRule15_MountWalksTheQueue(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	regFS(t, e, "exfat")
	regFS(t, e, "fastfat")
	loadNotify(t, e, "av")
	fatAV := addrOf(t, e, `\Fat`, "av")
	exAV := addrOf(t, e, `\Exfat`, "av")
	ev := mount(t, e, "C:") // ntfs: \Fat and \Exfat say no first
	equal(t, "statuses", statuses(ev), []Status{StatusUnrecognizedVolume, StatusUnrecognizedVolume, StatusSuccess})
	// av sees the request on each CDO's stack before that CDO answers.
	for _, a := range []string{fatAV, exAV} {
		i := indexOf(ev, func(x Event) bool {
			p, ok := x.Data.(PassDown)
			return ok && p.Irp == "IRP_MN_MOUNT_VOLUME" && p.Device.Addr == a
		})
		if i < 0 {
			t.Errorf("av's device %s does not see the mount request:\n%s", a, FormatEvents(ev))
		}
	}
	claim := indexOf(ev, func(x Event) bool { return x.Kind == KindClaim })
	unrec := indexOf(ev, func(x Event) bool { return x.Status == StatusUnrecognizedVolume })
	if claim < 0 || unrec < 0 || unrec > claim {
		t.Errorf("head-first walk: unrecognized at %d, claim at %d", unrec, claim)
	}
	equal(t, "claim stack", stacksOf(ev, KindClaim), []string{"C:"})
	equal(t, "C: FS", volumeOf(t, e, "C:").FS, "ntfs")
	// A fat volume is claimed by the head; nobody else is asked.
	ev = mountAs(t, e, "D:", MediaDisk, "fat")
	equal(t, "statuses", statuses(ev), []Status{StatusSuccess})
	equal(t, "D: FS", volumeOf(t, e, "D:").FS, "fastfat")
	// A CD-ROM volume walks the cdrom queue only.
	ev = mountAs(t, e, "E:", MediaCdRom, "ntfs")
	equal(t, "statuses", statuses(ev), []Status{StatusUnrecognizedVolume, StatusSuccess})
	equal(t, "E: FS", volumeOf(t, e, "E:").FS, "raw")
}

func TestRule16_Claim(t *testing.T) {
	cases := []struct {
		vol    string
		media  Media
		format string
		fs     string
		typ    FsType
	}{
		{"C:", MediaDisk, "", "ntfs", Disk}, // disk default is ntfs
		{"D:", MediaDisk, "fat32", "fastfat", Disk},
		{"E:", MediaDisk, "weird", "raw", Disk},
		{"F:", MediaCdRom, "", "cdfs", CdRom}, // cdrom default is cdfs
		{"G:", MediaCdRom, "udf", "raw", CdRom},
		{"T:", MediaTape, "", "raw", Tape},
	}
	e := fresh(t)
	regFS(t, e, "ntfs")
	regFS(t, e, "fastfat")
	regFS(t, e, "cdfs")
	for _, c := range cases {
		t.Run(c.vol, func(t *testing.T) {
			ev := mustOK(t, e)(e.Mount(c.vol, MountOptions{Format: c.format, Media: c.media, MediaSet: true}))
			claims := ofKind(ev, KindClaim)
			if len(claims) != 1 || claims[0].Stack != c.vol {
				t.Fatalf("want one claim for %s, got %v", c.vol, claims)
			}
			v := volumeOf(t, e, c.vol)
			equal(t, "mounted", v.Mounted, true)
			equal(t, "FS", v.FS, c.fs)
			s := stackOf(t, e, c.vol)
			equal(t, "stack", shorts(s.Devices), []string{c.fs})
			vdo := s.Devices[0]
			equal(t, "role", vdo.Role, RoleVDO)
			equal(t, "unnamed", vdo.Name, "")
			equal(t, "type", vdo.Type, c.typ)
			equal(t, "Volume stack", v.Stack, s.Devices)
			fsList := e.FileSystems()
			inv(t, e)
			for _, f := range fsList {
				if f.Name == c.fs && !contains(f.Mounted, c.vol) {
					t.Errorf("%s does not list %s as mounted: %v", f.Name, c.vol, f.Mounted)
				}
			}
		})
	}
}

func TestRule17_CompletionBottomUp(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	for _, f := range []string{"a", "b", "c"} {
		loadNotify(t, e, f)
	}
	equal(t, `\Ntfs`, shortsOf(t, e, `\Ntfs`), []string{"c", "b", "a", "ntfs"})
	ev := mount(t, e, "C:")
	claim := indexOf(ev, func(x Event) bool { return x.Kind == KindClaim })
	var order []string
	for i, x := range ev {
		if x.Kind == KindAttach {
			if i < claim {
				t.Errorf("attach before the claim: %s", evString(x))
			}
			equal(t, "attach stack", x.Stack, "C:")
			order = append(order, x.Data.(Attach).Device.Driver)
		}
	}
	equal(t, "completion order (lowest first)", order, []string{"a", "b", "c"})
	s := stackOf(t, e, "C:")
	equal(t, "C:", shorts(s.Devices), []string{"c", "b", "a", "ntfs"})
	equal(t, "hows", hows(s.Devices), []Origin{OriginMount, OriginMount, OriginMount, OriginNone})
	// Addresses follow the attach order: a's device was created first.
	if !(parseAddr(t, s.Devices[2].Addr) < parseAddr(t, s.Devices[1].Addr) &&
		parseAddr(t, s.Devices[1].Addr) < parseAddr(t, s.Devices[0].Addr)) {
		t.Errorf("devices not created bottom-up: %v", s.Devices)
	}
}

func TestRule18_NoChanceWithoutTheCDO(t *testing.T) {
	e := fresh(t)
	mustOK(t, e)(e.SetProfile(W2K))
	regFS(t, e, "ntfs")
	loadNotify(t, e, "av") // Windows 2000: no replay, so not on \Ntfs
	loadCmd(t, e, "cmd")
	regFS(t, e, "fastfat") // av is notified and sits on \Fat
	equal(t, `\Fat`, shortsOf(t, e, `\Fat`), []string{"av", "fastfat"})
	equal(t, `\Ntfs`, shortsOf(t, e, `\Ntfs`), []string{"ntfs"})
	ev := mount(t, e, "C:")
	// av sees the request on \Fat's stack (rule 15) but \Ntfs claims.
	if indexOf(ev, func(x Event) bool {
		p, ok := x.Data.(PassDown)
		return ok && p.Irp == "IRP_MN_MOUNT_VOLUME" && p.Device.Addr == addrOf(t, e, `\Fat`, "av")
	}) < 0 {
		t.Errorf("av on \\Fat did not see the mount request")
	}
	equal(t, "attaches", len(ofKind(ev, KindAttach)), 0)
	equal(t, "C:", shortsOf(t, e, "C:"), []string{"ntfs"})
	equal(t, "cmd volumes", filterOf(t, e, "cmd").Volumes, []string(nil))
	equal(t, "av volumes", filterOf(t, e, "av").Volumes, []string(nil))
	// A fat volume: av is on the claiming CDO and attaches.
	mountAs(t, e, "D:", MediaDisk, "fat")
	equal(t, "D:", shortsOf(t, e, "D:"), []string{"av", "fastfat"})
}

func TestRule19_Recognizer(t *testing.T) {
	e := fresh(t)
	loadNotify(t, e, "av")
	regFS(t, e, "fs_rec")
	disk := queueNames(t, e, Disk)
	if !contains(disk, `\FileSystem\NtfsRecognizer`) || contains(disk, `\Ntfs`) {
		t.Fatalf("disk queue after fs_rec: %v", disk)
	}
	for _, c := range e.Queue(Disk) {
		if c.FS != "raw" && !c.Recognizer {
			t.Errorf("%s is not flagged as a recognizer", c.Name)
		}
	}
	inv(t, e)
	ev := mount(t, e, "C:")
	req := indexOf(ev, func(x Event) bool { return x.Status == StatusFsDriverRequired })
	if req < 0 {
		t.Fatalf("no STATUS_FS_DRIVER_REQUIRED in\n%s", FormatEvents(ev))
	}
	load := indexOf(ev, func(x Event) bool {
		return x.Op == OpLoadFSIrp
	})
	reg := indexOf(ev, func(x Event) bool {
		return x.Op == OpRegisterFS && x.Stack == `\Ntfs`
	})
	unreg := indexOf(ev, func(x Event) bool {
		return x.Op == OpUnregisterFS && x.Stack == `\FileSystem\NtfsRecognizer`
	})
	claim := indexOf(ev, func(x Event) bool { return x.Kind == KindClaim })
	if !(req >= 0 && req < load && load < reg && reg < unreg && unreg < claim) {
		t.Errorf("order: FS_DRIVER_REQUIRED %d, LOAD_FILE_SYSTEM %d, register %d, unregister %d, claim %d\n%s",
			req, load, reg, unreg, claim, FormatEvents(ev))
	}
	// The notify filter hears TRUE for \Ntfs, then FALSE for the recognizer.
	equal(t, "callbacks", callbacks(ev), []string{`av:\Ntfs:TRUE`, `av:\FileSystem\NtfsRecognizer:FALSE`})
	// The scan restarted: two walks of the disk queue.
	walks := 0
	for _, x := range ofKind(ev, KindIrp) {
		if x.Data == (MountScan{Queue: Disk}) {
			walks++
		}
	}
	equal(t, "disk queue walks", walks, 2)
	v := volumeOf(t, e, "C:")
	equal(t, "C: FS", v.FS, "ntfs")
	equal(t, "C:", shortsOf(t, e, "C:"), []string{"av", "ntfs"})
	disk = queueNames(t, e, Disk)
	equal(t, "head of disk queue", disk[0], `\Ntfs`)
	if contains(disk, `\FileSystem\NtfsRecognizer`) {
		t.Errorf("NtfsRecognizer still registered: %v", disk)
	}
	// Unregistered, but not deleted: the device stays fs_rec's until fs_rec
	// unloads (XP's FsRecLoadFileSystem only unregisters it).
	if _, err := e.Stack(`\FileSystem\NtfsRecognizer`); !errors.Is(err, ErrNoSuchDevice) {
		t.Errorf("NtfsRecognizer can still be named as a registered CDO: %v", err)
	}
	if i := indexOf(ev, func(x Event) bool {
		p, ok := x.Data.(DeleteDevice)
		return ok && p.Device.Name == `\FileSystem\NtfsRecognizer`
	}); i >= 0 {
		t.Errorf("the recognizer is deleted at load:\n%s", FormatEvents(ev))
	}
	fsrec := fsInfo(t, e, "fs_rec")
	equal(t, "fs_rec unregistered CDOs", fsrec.Unregistered, []string{`\FileSystem\NtfsRecognizer`})
	if contains(fsrec.CDOs, `\FileSystem\NtfsRecognizer`) {
		t.Errorf("fs_rec's registered CDOs still list NtfsRecognizer: %v", fsrec.CDOs)
	}
	inv(t, e)
	// The next ntfs volume goes straight to \Ntfs.
	ev = mount(t, e, "D:")
	equal(t, "D: statuses", statuses(ev), []Status{StatusSuccess})
	// A CD goes the same way to cdfs.
	ev = mountAs(t, e, "E:", MediaCdRom, "cdfs")
	if indexOf(ev, func(x Event) bool { return x.Status == StatusFsDriverRequired }) < 0 {
		t.Errorf("cdfs not loaded through its recognizer")
	}
	equal(t, "E: FS", volumeOf(t, e, "E:").FS, "cdfs")
	cd := queueNames(t, e, CdRom)
	equal(t, "cdrom queue tail", cd[len(cd)-2:], []string{`\Cdfs`, rawCdRom})

	t.Run("CdfsRecognizer is not low priority", func(t *testing.T) {
		e := fresh(t)
		regFS(t, e, "fs_rec")
		equal(t, "cdrom queue", queueNames(t, e, CdRom), []string{`\FileSystem\FatCdRomRecognizer`,
			`\FileSystem\UdfsCdRomRecognizer`, `\FileSystem\CdfsRecognizer`, rawCdRom})
		for _, c := range e.Queue(CdRom) {
			equal(t, c.Name+" low priority", c.LowPriority, false)
		}
	})
	t.Run("partner recognizers share one load", func(t *testing.T) {
		e := fresh(t)
		loadNotify(t, e, "av")
		regFS(t, e, "fs_rec")
		ev := mountAs(t, e, "D:", MediaDisk, "fat32")
		loads := func(evs []Event) []string {
			var out []string
			for _, x := range evs {
				if p, ok := x.Data.(ZwLoadDriver); ok {
					out = append(out, p.Driver)
				}
			}
			return out
		}
		equal(t, "loads at D:", loads(ev), []string{"fastfat"})
		equal(t, "D: FS", volumeOf(t, e, "D:").FS, "fastfat")
		// FatCdRomRecognizer is still registered, but transparent: the next
		// CD-ROM mount, whatever its format, gets STATUS_FS_DRIVER_REQUIRED
		// from it, and the LOAD_FILE_SYSTEM that follows loads nothing and
		// unregisters it. Then the scan restarts and CdfsRecognizer loads
		// cdfs.
		if !contains(queueNames(t, e, CdRom), `\FileSystem\FatCdRomRecognizer`) {
			t.Fatalf("FatCdRomRecognizer left the queue with its partner's load: %v", queueNames(t, e, CdRom))
		}
		ev = mountAs(t, e, "E:", MediaCdRom, "cdfs")
		equal(t, "loads at E:", loads(ev), []string{"Cdfs"})
		var required []string
		for _, x := range ev {
			switch p := x.Data.(type) {
			case RecRecognizes:
				required = append(required, p.Recognizer.Name)
			case RecTransparent:
				required = append(required, p.Recognizer.Name)
			}
		}
		equal(t, "FS_DRIVER_REQUIRED from", required, []string{`\FileSystem\FatCdRomRecognizer`, `\FileSystem\CdfsRecognizer`})
		if indexOf(ev, func(x Event) bool { return x.Status == StatusImageAlreadyLoaded }) < 0 {
			t.Errorf("the partner's LOAD_FILE_SYSTEM does not answer STATUS_IMAGE_ALREADY_LOADED:\n%s", FormatEvents(ev))
		}
		equal(t, "callbacks", callbacks(ev), []string{`av:\FileSystem\FatCdRomRecognizer:FALSE`, `av:\Cdfs:TRUE`, `av:\FileSystem\CdfsRecognizer:FALSE`})
		equal(t, "E: FS", volumeOf(t, e, "E:").FS, "cdfs")
		equal(t, "fs_rec unregistered CDOs", fsInfo(t, e, "fs_rec").Unregistered, []string{
			`\FileSystem\CdfsRecognizer`, `\FileSystem\FatCdRomRecognizer`, `\FileSystem\FatDiskRecognizer`})
		// Unloading fs_rec deletes the unregistered recognizers too, and
		// unregisters only the ones still registered.
		ev = unregFS(t, e, "fs_rec")
		var unregs, deletes int
		for _, x := range ev {
			if x.Op == OpUnregisterFS {
				unregs++
			}
			if x.Op == OpDeleteDevice {
				deletes++
			}
		}
		equal(t, "unregisters", unregs, 4) // Udfs x2, Ntfs, ExFat
		equal(t, "deletes", deletes, 7)
	})
	t.Run("fs_rec skips loaded file systems", func(t *testing.T) {
		e := fresh(t)
		regFS(t, e, "ntfs")
		regFS(t, e, "fs_rec")
		if contains(queueNames(t, e, Disk), `\FileSystem\NtfsRecognizer`) {
			t.Errorf("recognizer registered for a loaded file system")
		}
		// The recognizers registered later sit above \Ntfs and decline.
		ev := mount(t, e, "C:")
		st := statuses(ev)
		equal(t, "last status", st[len(st)-1], StatusSuccess)
		for _, x := range st[:len(st)-1] {
			equal(t, "decline", x, StatusUnrecognizedVolume)
		}
		equal(t, "C: FS", volumeOf(t, e, "C:").FS, "ntfs")
		mustFail(t, e, ErrFSRegistered)(e.RegisterFileSystem("fs_rec", FSOptions{}))
	})
}

func TestRule20_Remount(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	loadNotify(t, e, "a")
	loadNotify(t, e, "b")
	loadCmd(t, e, "cmd")
	mount(t, e, "C:")
	attachCmd(t, e, "cmd", "C:")
	first := volumeOf(t, e, "C:")
	oldVDO := first.Stack[len(first.Stack)-1].Addr
	equal(t, "before", shorts(first.Stack), []string{"cmd", "b", "a", "ntfs"})
	dismount(t, e, "C:")
	ev := mount(t, e, "C:")
	if len(ofKind(ev, KindClaim)) != 1 {
		t.Fatalf("remount has no claim")
	}
	again := volumeOf(t, e, "C:")
	equal(t, "storage", again.Device, first.Device)
	equal(t, "media", again.Media, first.Media)
	newVDO := again.Stack[len(again.Stack)-1].Addr
	if newVDO == oldVDO {
		t.Errorf("remount reused VDO address %s", oldVDO)
	}
	if parseAddr(t, newVDO) <= parseAddr(t, oldVDO) {
		t.Errorf("new VDO %s not created after old %s", newVDO, oldVDO)
	}
	equal(t, "after", shorts(again.Stack), []string{"b", "a", "ntfs"})
	equal(t, "hows", hows(again.Stack), []Origin{OriginMount, OriginMount, OriginNone})
	equal(t, "cmd volumes", filterOf(t, e, "cmd").Volumes, []string(nil))
	// Remounting with another format keeps the storage volume.
	regFS(t, e, "fastfat")
	dismount(t, e, "C:")
	mountAs(t, e, "C:", MediaDisk, "fat")
	v := volumeOf(t, e, "C:")
	equal(t, "storage after reformat", v.Device, first.Device)
	equal(t, "FS after reformat", v.FS, "fastfat")
	equal(t, "format", v.Format, "fat")
	// Same media given explicitly is fine; another media is refused.
	dismount(t, e, "C:")
	refusedUnchanged(t, e, ErrMediaMismatch, func() ([]Event, error) {
		return e.Mount("C:", MountOptions{Media: MediaCdRom, MediaSet: true})
	})
	mountAs(t, e, "C:", MediaDisk, "")
	equal(t, "FS keeps format", volumeOf(t, e, "C:").FS, "fastfat")
}

// ---------------------------------------------------------------- rules 21-25

func TestRule21_AttachLandsOnTop(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	loadNotify(t, e, "av")
	mount(t, e, "C:")
	steps := []struct {
		filter string
		want   []string
	}{
		{"x", []string{"x", "av", "ntfs"}},
		{"y", []string{"y", "x", "av", "ntfs"}},
		{"z", []string{"z", "y", "x", "av", "ntfs"}},
	}
	for _, s := range steps {
		loadCmd(t, e, s.filter)
		top := stackOf(t, e, "C:").Devices[0]
		ev := attachCmd(t, e, s.filter, "C:")
		atts := ofKind(ev, KindAttach)
		if len(atts) != 1 || atts[0].Stack != "C:" {
			t.Fatalf("want one attach to C:, got %v", atts)
		}
		// It reports the device it landed on: the top at that moment.
		if a := atts[0].Data.(Attach); a.LandedOn == nil || a.LandedOn.Addr != top.Addr {
			t.Errorf("attach event %s does not report landing on %s", evString(atts[0]), top.Addr)
		}
		equal(t, "C:", shortsOf(t, e, "C:"), s.want)
	}
	for _, f := range []string{"x", "av"} {
		err := refusedUnchanged(t, e, ErrAlreadyAttached, func() ([]Event, error) { return e.AttachFilter(f, "C:") })
		equal(t, "status", StatusOf(err), StatusDeviceAlreadyAttach)
	}
	// Once per stack, but one per stack for every stack.
	mount(t, e, "D:")
	attachCmd(t, e, "x", "D:")
	equal(t, "x volumes", filterOf(t, e, "x").Volumes, []string{"C:", "D:"})
}

func TestRule22_CommandAboveNotify(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	loadCmd(t, e, "cmd") // loaded first, but waits for a command
	loadNotify(t, e, "av")
	mount(t, e, "C:")
	equal(t, "C: before command", shortsOf(t, e, "C:"), []string{"av", "ntfs"})
	ev := attachCmd(t, e, "cmd", "C:")
	if n := len(ofKind(ev, KindNote)); n != 0 {
		t.Errorf("a pure command filter is flagged: %s", FormatEvents(ev))
	}
	s := stackOf(t, e, "C:")
	equal(t, "C:", shorts(s.Devices), []string{"cmd", "av", "ntfs"})
	equal(t, "hows", hows(s.Devices), []Origin{OriginCommand, OriginMount, OriginNone})
	// A later mount: the notify filter is there before anyone can command.
	mount(t, e, "D:")
	attachCmd(t, e, "cmd", "D:")
	equal(t, "D:", shortsOf(t, e, "D:"), []string{"cmd", "av", "ntfs"})
	// A notify filter attached by command is flagged (seed sentence 4).
	mustOK(t, e)(e.LoadFilter("both", FilterOptions{Notify: true, NoEnumerate: true}))
	ev = attachCmd(t, e, "both", "C:")
	if len(ofKind(ev, KindNote)) != 1 {
		t.Errorf("a filter that both registers and attaches on command is not flagged:\n%s", FormatEvents(ev))
	}
	equal(t, "C: top", shortsOf(t, e, "C:")[0], "both")
}

func TestRule23_DetachFromTheMiddle(t *testing.T) {
	// Stack, top first: c b a ntfs. IoDetachDevice does not rejoin the stack:
	// the detaching device and everything above it go, lowest first.
	cases := []struct {
		detach string
		want   []string // C: afterwards, top first
		torn   []string // FastIoDetachDevice receivers, lowest first
	}{
		{"b", []string{"a", "ntfs"}, []string{"c"}},
		{"a", []string{"ntfs"}, []string{"b", "c"}},
		{"c", []string{"b", "a", "ntfs"}, nil},
	}
	for _, c := range cases {
		t.Run(c.detach, func(t *testing.T) {
			e := fresh(t)
			regFS(t, e, "ntfs")
			mount(t, e, "C:")
			for _, f := range []string{"a", "b", "c"} {
				loadCmd(t, e, f)
				attachCmd(t, e, f, "C:")
			}
			addr := map[string]string{}
			for _, d := range stackOf(t, e, "C:").Devices {
				addr[d.Short] = d.Addr
			}
			ev := mustOK(t, e)(e.DetachFilter(c.detach, "C:"))
			det := ofKind(ev, KindDetach)
			for _, x := range det {
				if x.Stack != "C:" {
					t.Errorf("detach touched %s: %s", x.Stack, evString(x))
				}
			}
			if len(det) != 2+len(c.torn) {
				t.Fatalf("want IoDetachDevice, IoDeleteDevice and %d FastIoDetachDevice, got:\n%s", len(c.torn), FormatEvents(ev))
			}
			d0, ok0 := det[0].Data.(Detach)
			d1, ok1 := det[1].Data.(DeleteDevice)
			if !ok0 || d0.Device.Addr != addr[c.detach] || !ok1 || d1.Device.Addr != addr[c.detach] {
				t.Errorf("first two steps are not IoDetachDevice and IoDeleteDevice of %s:\n%s", c.detach, FormatEvents(ev))
			}
			// Each FastIoDetachDevice names the receiver and the device it
			// was attached to: the one deleted just before it.
			prev := c.detach
			for k, f := range c.torn {
				x := det[2+k]
				if p, ok := x.Data.(FastIoDetach); !ok || p.Device.Addr != addr[f] || p.Deleted.Addr != addr[prev] {
					t.Errorf("step %d is %s, want FastIoDetachDevice(%s, %s)", 2+k, evString(x), f, prev)
				}
				prev = f
			}
			notes := ofKind(ev, KindNote)
			if len(c.torn) > 0 {
				above := c.torn[0]
				if len(notes) != 1 || !staysAttached(notes[0], addr[above], addr[c.detach]) {
					t.Errorf("no note that %s stays attached to %s: %v", above, c.detach, notes)
				}
			} else if len(notes) != 0 {
				t.Errorf("notes for a detach from the top: %v", notes)
			}
			s := stackOf(t, e, "C:")
			equal(t, "C:", shorts(s.Devices), c.want)
			equal(t, "roles", roles(s.Devices)[len(s.Devices)-1], RoleVDO)
			for _, f := range append([]string{c.detach}, c.torn...) {
				equal(t, f+" volumes", filterOf(t, e, f).Volumes, []string(nil))
			}
			refusedUnchanged(t, e, ErrNotAttached, func() ([]Event, error) { return e.DetachFilter(c.detach, "C:") })
			// It can come back: at the top.
			attachCmd(t, e, c.detach, "C:")
			equal(t, "top", shortsOf(t, e, "C:")[0], c.detach)
		})
	}
	t.Run("FsActive=FALSE on a CDO tears down the filters above too", func(t *testing.T) {
		e := fresh(t)
		loadNotify(t, e, "a")
		loadNotify(t, e, "b")
		mustOK(t, e)(e.RegisterFileSystem("fs_rec", FSOptions{}))
		regFS(t, e, "myfs")
		equal(t, `\myfs`, shortsOf(t, e, `\myfs`), []string{"b", "a", "myfs"})
		ev := unregFS(t, e, "myfs")
		var steps []string
		for _, x := range ofKind(ev, KindDetach) {
			steps = append(steps, x.Op.String())
		}
		// a's callback comes first (a registered first): it detaches and
		// deletes its device, and b, attached to it, gets FastIoDetachDevice.
		// b's own callback then finds nothing; the CDO goes last.
		equal(t, "steps", steps, []string{"detach", "delete-device", "fast-io-detach", "delete-device"})
		equal(t, "callbacks", callbacks(ev), []string{`a:\myfs:FALSE`, `b:\myfs:FALSE`})
		if i := indexOf(ev, func(x Event) bool {
			p, ok := x.Data.(NotAttachedCDO)
			return ok && p.Driver == "b" && p.CDO.Name == `\myfs`
		}); i < 0 {
			t.Errorf("b's callback does not find itself gone:\n%s", FormatEvents(ev))
		}
	})
}

func TestRule24_Dismount(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	loadNotify(t, e, "a")
	loadNotify(t, e, "b")
	loadCmd(t, e, "cmd")
	mount(t, e, "C:")
	mount(t, e, "D:")
	attachCmd(t, e, "cmd", "C:")
	s := stackOf(t, e, "C:")
	equal(t, "C:", shorts(s.Devices), []string{"cmd", "b", "a", "ntfs"})
	storage := volumeOf(t, e, "C:").Device
	ev := dismount(t, e, "C:")
	var fast []Event
	for _, x := range ofKind(ev, KindDetach) {
		if x.Stack != "C:" {
			t.Errorf("dismount of C: touched %s", x.Stack)
		}
		if x.Op == OpFastIoDetach {
			fast = append(fast, x)
		}
	}
	// Lowest first: a, b, cmd.
	if len(fast) != 3 {
		t.Fatalf("want 3 FastIoDetachDevice events, got %d:\n%s", len(fast), FormatEvents(ev))
	}
	for i, d := range []DeviceInfo{s.Devices[2], s.Devices[1], s.Devices[0]} {
		if fast[i].Data.(FastIoDetach).Device.Addr != d.Addr {
			t.Errorf("FastIoDetachDevice #%d is %s, want %s %s", i, evString(fast[i]), d.Short, d.Addr)
		}
	}
	v := volumeOf(t, e, "C:")
	equal(t, "mounted", v.Mounted, false)
	equal(t, "storage", v.Device, storage)
	equal(t, "FS", v.FS, "")
	equal(t, "stack", len(v.Stack), 0)
	cs := stackOf(t, e, "C:")
	equal(t, "Stack(C:)", len(cs.Devices), 0)
	for _, f := range []string{"a", "b", "cmd"} {
		if contains(filterOf(t, e, f).Volumes, "C:") {
			t.Errorf("%s still lists C:", f)
		}
	}
	equal(t, "D: untouched", shortsOf(t, e, "D:"), []string{"b", "a", "ntfs"})
	equal(t, "\\Ntfs untouched", shortsOf(t, e, `\Ntfs`), []string{"b", "a", "ntfs"})
	equal(t, "ntfs mounted", e.FileSystems()[0].Mounted, []string{"D:"})
	inv(t, e)
	refusedUnchanged(t, e, ErrNotMounted, func() ([]Event, error) { return e.Dismount("C:") })
	refusedUnchanged(t, e, ErrNotMounted, func() ([]Event, error) { return e.AttachFilter("cmd", "C:") })
}

func TestRule25_Unload(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	regFS(t, e, "fastfat")
	loadNotify(t, e, "low")
	mustOK(t, e)(e.LoadFilter("av", FilterOptions{Notify: true, AttachRaw: true}))
	loadNotify(t, e, "high")
	loadCmd(t, e, "cmd")
	mount(t, e, "C:")
	mountAs(t, e, "D:", MediaDisk, "fat")
	mountAs(t, e, "X:", MediaDisk, "junk") // RAW
	attachCmd(t, e, "cmd", "C:")
	stacks := []string{`\Ntfs`, `\Fat`, `\FatCdrom`, rawDisk, rawCdRom, "C:", "D:", "X:"}
	for _, s := range stacks {
		if !contains(shortsOf(t, e, s), "av") {
			t.Fatalf("setup: av not on %s", s)
		}
	}
	// IopCheckUnloadDriver: high sits above av everywhere, so av's unload
	// is deferred; fssim refuses it and names the stack of av's oldest
	// blocked device (\FatCdrom: the replay reaches the cdrom queue first).
	err := refusedUnchanged(t, e, ErrUnloadDeferred, func() ([]Event, error) { return e.UnloadFilter("av") })
	for _, want := range []string{` on \FatCdrom (and on 4 more stack(s))`, `\FileSystem\high`, addrOf(t, e, `\FatCdrom`, "high"), addrOf(t, e, `\FatCdrom`, "av"), "IopCheckUnloadDriver", "unload or detach high first"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q does not name %s", err, want)
		}
	}
	// high is blocked by cmd on C: only.
	err = refusedUnchanged(t, e, ErrUnloadDeferred, func() ([]Event, error) { return e.UnloadFilter("high") })
	if !strings.Contains(err.Error(), " on C:,") || !strings.Contains(err.Error(), `\FileSystem\cmd`) {
		t.Errorf("refusal %q does not name C: and cmd", err)
	}
	ev := mustOK(t, e)(e.UnloadFilter("cmd"))
	unsafe := func(evs []Event) int {
		n := 0
		for _, x := range ofKind(evs, KindNote) {
			if x.Op == OpUnsafeUnload {
				n++
			}
		}
		return n
	}
	equal(t, "unsafe note on first unload", unsafe(ev), 1)
	ev = mustOK(t, e)(e.UnloadFilter("high"))
	equal(t, "unsafe note on second unload", unsafe(ev), 0)

	// av's devices, newest first, as IoEnumerateDeviceObjectList lists them.
	type dev struct{ stack, addr string }
	var devs []dev
	for _, s := range stacks {
		devs = append(devs, dev{s, addrOf(t, e, s, "av")})
	}
	sort.Slice(devs, func(i, j int) bool { return devs[i].addr > devs[j].addr })
	ev = mustOK(t, e)(e.UnloadFilter("av"))
	if hasFilter(t, e, "av") {
		t.Errorf("av still listed after unload")
	}
	for _, s := range stacks {
		if contains(shortsOf(t, e, s), "av") {
			t.Errorf("av still on %s", s)
		}
	}
	det := ofKind(ev, KindDetach)
	if len(det) != 2*len(devs) {
		t.Fatalf("want %d IoDetachDevice then %d IoDeleteDevice, got:\n%s", len(devs), len(devs), FormatEvents(ev))
	}
	for i, d := range devs {
		if x := det[i]; x.Op != OpDetach || x.Data.(Detach).Device.Addr != d.addr || x.Stack != d.stack {
			t.Errorf("detach #%d is %s on %s, want av %s on %s", i, evString(x), x.Stack, d.addr, d.stack)
		}
		if x := det[len(devs)+i]; x.Op != OpDeleteDevice || x.Data.(DeleteDevice).Device.Driver != "av" || x.Data.(DeleteDevice).Device.Addr != d.addr {
			t.Errorf("delete #%d is %s, want av %s", i, evString(x), d.addr)
		}
	}
	equal(t, "C:", shortsOf(t, e, "C:"), []string{"low", "ntfs"})
	equal(t, `\Fat`, shortsOf(t, e, `\Fat`), []string{"low", "fastfat"})
	equal(t, rawDisk, shortsOf(t, e, rawDisk), []string{"raw"})
	refusedUnchanged(t, e, ErrFilterNotLoaded, func() ([]Event, error) { return e.UnloadFilter("av") })
	// The name can be used again, and the new av is a new driver.
	loadNotify(t, e, "av")
	equal(t, "C:", shortsOf(t, e, "C:"), []string{"av", "low", "ntfs"})

	t.Run("a routine registered twice stays registered once", func(t *testing.T) {
		e := fresh(t)
		loadNotify(t, e, "a")
		loadNotify(t, e, "b")
		mustOK(t, e)(e.RegisterNotification("a", false))
		ev := mustOK(t, e)(e.UnloadFilter("a"))
		unregs := 0
		for _, x := range ev {
			if x.Op == OpUnregNotify {
				unregs++
			}
		}
		equal(t, "IoUnregisterFsRegistrationChange calls", unregs, 1)
		if indexOf(ev, func(x Event) bool { return x.Data == UnregOneEntry{Driver: "a", Before: 2} }) < 0 {
			t.Errorf("unload does not say a registration stays:\n%s", FormatEvents(ev))
		}
		if why := e.NotBootState(); !strings.Contains(why, `stale notification routine of unloaded "a"`) {
			t.Errorf("NotBootState = %q", why)
		}
		ev = regFS(t, e, "ntfs")
		equal(t, "callbacks", callbacks(ev), []string{`b:\Ntfs:TRUE`})
		if indexOf(ev, func(x Event) bool { return x.Data == NotifyStale{Driver: "a"} }) < 0 {
			t.Errorf("the stale routine is not reported:\n%s", FormatEvents(ev))
		}
		equal(t, `\Ntfs`, shortsOf(t, e, `\Ntfs`), []string{"b", "ntfs"})
	})
}

// ---------------------------------------------------------------- objects

func TestStorageNames(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	regFS(t, e, "cdfs")
	steps := []struct {
		vol   string
		media Media
		want  string
	}{
		{"C:", MediaDisk, `\Device\HarddiskVolume1`},
		{"D:", MediaCdRom, `\Device\CdRom0`},
		{"E:", MediaDisk, `\Device\HarddiskVolume2`},
		{"T:", MediaTape, `\Device\Tape0`},
		{"F:", MediaCdRom, `\Device\CdRom1`},
		{"U:", MediaTape, `\Device\Tape1`},
	}
	for _, s := range steps {
		mountAs(t, e, s.vol, s.media, "")
		v := volumeOf(t, e, s.vol)
		equal(t, s.vol+" storage", v.Device, s.want)
		equal(t, s.vol+" media", v.Media, s.media)
	}
	// A remount does not count again.
	dismount(t, e, "C:")
	mount(t, e, "C:")
	equal(t, "C: storage", volumeOf(t, e, "C:").Device, `\Device\HarddiskVolume1`)
	mount(t, e, "G:")
	equal(t, "G: storage", volumeOf(t, e, "G:").Device, `\Device\HarddiskVolume3`)
	// Lower-case drive letters name the same volume.
	equal(t, "c:", volumeOf(t, e, "c:").Name, "C:")
	_, err := e.Volume("Q:")
	inv(t, e)
	if !errors.Is(err, ErrNoSuchDevice) {
		t.Errorf("Volume(Q:) = %v", err)
	}
}

func TestResetRestartsNumbering(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "ntfs")
	loadNotify(t, e, "av")
	mount(t, e, "C:")
	mount(t, e, "D:")
	mountAs(t, e, "E:", MediaCdRom, "")
	equal(t, "D:", volumeOf(t, e, "D:").Device, `\Device\HarddiskVolume2`)
	ev := mustOK(t, e)(e.Reset(), nil)
	equal(t, "reset events", len(ev), 1)
	st := e.State()
	inv(t, e)
	boot := New().State()
	equal(t, "state after reset equals a fresh boot", st, boot)
	mount(t, e, "Z:")
	equal(t, "Z: after reset", volumeOf(t, e, "Z:").Device, `\Device\HarddiskVolume1`)
	mountAs(t, e, "Y:", MediaCdRom, "")
	equal(t, "Y: after reset", volumeOf(t, e, "Y:").Device, `\Device\CdRom0`)
	equal(t, "Z: FS", volumeOf(t, e, "Z:").FS, "raw")
}

func TestAddressesFromCreationCounter(t *testing.T) {
	e := fresh(t)
	var created []string
	for _, n := range []string{rawDisk, rawCdRom, rawTape} {
		created = append(created, stackOf(t, e, n).Devices[0].Addr)
	}
	regFS(t, e, "ntfs")
	created = append(created, addrOf(t, e, `\Ntfs`, "ntfs"))
	loadNotify(t, e, "av")
	created = append(created, addrOf(t, e, `\Ntfs`, "av"))
	mount(t, e, "C:")
	created = append(created, addrOf(t, e, "C:", "ntfs"), addrOf(t, e, "C:", "av"))
	stride := parseAddr(t, created[1]) - parseAddr(t, created[0])
	if stride == 0 {
		t.Fatalf("addresses do not differ: %v", created)
	}
	for i := 1; i < len(created); i++ {
		if parseAddr(t, created[i])-parseAddr(t, created[i-1]) != stride {
			t.Errorf("address %d (%s) is not one step after %s: %v", i, created[i], created[i-1], created)
		}
	}
	// Deleting does not reuse: the next device gets the next slot.
	dismount(t, e, "C:")
	mount(t, e, "C:")
	next := parseAddr(t, created[len(created)-1]) + stride
	equal(t, "remounted VDO", parseAddr(t, addrOf(t, e, "C:", "ntfs")), next)
	equal(t, "remounted av", parseAddr(t, addrOf(t, e, "C:", "av")), next+stride)
	// Another engine, another process's heap: the same addresses.
	e2 := fresh(t)
	equal(t, "RawDisk on a second engine", stackOf(t, e2, rawDisk).Devices[0].Addr, created[0])
	// Reset restarts the counter.
	mustOK(t, e)(e.Reset(), nil)
	regFS(t, e, "ntfs")
	equal(t, "\\Ntfs after reset", addrOf(t, e, `\Ntfs`, "ntfs"), created[3])
}

// ---------------------------------------------------------------- determinism

type step struct {
	name string
	run  func(e *Engine) ([]Event, error)
}

func scenario() []step {
	return []step{
		{"fs_rec", func(e *Engine) ([]Event, error) { return e.RegisterFileSystem("fs_rec", FSOptions{}) }},
		{"load a", func(e *Engine) ([]Event, error) {
			return e.LoadFilter("a", FilterOptions{Notify: true, AttachRaw: true})
		}},
		{"load b", func(e *Engine) ([]Event, error) { return e.LoadFilter("b", FilterOptions{Notify: true}) }},
		{"load cmd", func(e *Engine) ([]Event, error) { return e.LoadFilter("cmd", FilterOptions{}) }},
		{"mount C:", func(e *Engine) ([]Event, error) { return e.Mount("C:", MountOptions{}) }},
		{"mount D:", func(e *Engine) ([]Event, error) { return e.Mount("D:", MountOptions{Format: "fat"}) }},
		{"mount E:", func(e *Engine) ([]Event, error) {
			return e.Mount("E:", MountOptions{Media: MediaCdRom, MediaSet: true})
		}},
		{"mount T:", func(e *Engine) ([]Event, error) { return e.Mount("T:", MountOptions{Media: MediaTape, MediaSet: true}) }},
		{"attach cmd", func(e *Engine) ([]Event, error) { return e.AttachFilter("cmd", "C:") }},
		{"register exfat", func(e *Engine) ([]Event, error) { return e.RegisterFileSystem("exfat", FSOptions{}) }},
		{"late c", func(e *Engine) ([]Event, error) { return e.LoadFilter("c", FilterOptions{Notify: true}) }},
		{"detach b", func(e *Engine) ([]Event, error) { return e.DetachFilter("b", "C:") }},
		{"dismount C:", func(e *Engine) ([]Event, error) { return e.Dismount("C:") }},
		{"remount C:", func(e *Engine) ([]Event, error) { return e.Mount("C:", MountOptions{}) }},
		{"unload c", func(e *Engine) ([]Event, error) { return e.UnloadFilter("c") }}, // c is on top everywhere
		{"refused", func(e *Engine) ([]Event, error) { return e.UnregisterFileSystem("ntfs") }},
		{"dismount D:", func(e *Engine) ([]Event, error) { return e.Dismount("D:") }},
		{"unregister fastfat", func(e *Engine) ([]Event, error) { return e.UnregisterFileSystem("fastfat") }},
	}
}

func runScenario(t *testing.T, e *Engine) ([][]Event, []string) {
	t.Helper()
	var evs [][]Event
	var errs []string
	for _, s := range scenario() {
		ev, err := s.run(e)
		inv(t, e)
		evs = append(evs, ev)
		if err != nil {
			errs = append(errs, s.name+": "+err.Error())
		} else {
			errs = append(errs, "")
		}
	}
	return evs, errs
}

func TestDeterminism(t *testing.T) {
	e1, e2 := fresh(t), fresh(t)
	ev1, err1 := runScenario(t, e1)
	ev2, err2 := runScenario(t, e2)
	if !reflect.DeepEqual(ev1, ev2) {
		t.Errorf("two runs give different events")
	}
	equal(t, "errors", err1, err2)
	if !reflect.DeepEqual(e1.State(), e2.State()) {
		t.Errorf("two runs give different states")
	}
	inv(t, e1)
	inv(t, e2)
	var b1, b2 strings.Builder
	for i := range ev1 {
		b1.WriteString(FormatEvents(ev1[i]))
		b2.WriteString(FormatEvents(ev2[i]))
	}
	if b1.String() != b2.String() || b1.Len() == 0 {
		t.Errorf("two runs print different bytes")
	}
	// Exactly one step is refused, as intended.
	n := 0
	for _, s := range err1 {
		if s != "" {
			n++
			if !strings.HasPrefix(s, "refused:") {
				t.Errorf("unexpected error %s", s)
			}
		}
	}
	equal(t, "refusals", n, 1)
	// After a reset the same scenario prints the same bytes again.
	mustOK(t, e1)(e1.Reset(), nil)
	ev3, _ := runScenario(t, e1)
	if !reflect.DeepEqual(ev1, ev3) {
		t.Errorf("a run after reset differs from a fresh run")
	}
	if !reflect.DeepEqual(e1.State(), e2.State()) {
		t.Errorf("state after reset+run differs from a fresh run")
	}
	// No escape sequences in the plain trace.
	if strings.ContainsRune(b1.String(), 0x1b) {
		t.Errorf("trace contains escape sequences")
	}
}

// ---------------------------------------------------------------- refusals

func TestRefusalsLeaveStateUnchanged(t *testing.T) {
	// The common lab: ntfs, C: mounted, av (notify) and cmd (command)
	// attached, idle loaded and attached nowhere.
	common := func(t *testing.T, e *Engine) {
		regFS(t, e, "ntfs")
		loadNotify(t, e, "av")
		loadCmd(t, e, "cmd")
		loadCmd(t, e, "idle")
		mount(t, e, "C:")
		attachCmd(t, e, "cmd", "C:")
		loadNotify(t, e, "last") // the last routine registered
	}
	boot := func(t *testing.T, e *Engine) {}
	long := strings.Repeat("x", 33)
	cases := []struct {
		name   string
		setup  func(t *testing.T, e *Engine)
		call   func(e *Engine) ([]Event, error)
		want   error
		status Status
	}{
		{"bad filter name", common, func(e *Engine) ([]Event, error) { return e.LoadFilter("bad name", FilterOptions{}) }, ErrBadName, 0},
		{"empty filter name", common, func(e *Engine) ([]Event, error) { return e.LoadFilter("", FilterOptions{}) }, ErrBadName, 0},
		{"filter name too long", common, func(e *Engine) ([]Event, error) { return e.LoadFilter(long, FilterOptions{}) }, ErrBadName, 0},
		{"bad fs name", common, func(e *Engine) ([]Event, error) { return e.RegisterFileSystem("a\\b", FSOptions{}) }, ErrBadName, 0},
		{"bad fs name unregister", common, func(e *Engine) ([]Event, error) { return e.UnregisterFileSystem("\x1b[31m") }, ErrBadName, 0},
		{"bad volume", common, func(e *Engine) ([]Event, error) { return e.Mount("CC", MountOptions{}) }, ErrBadName, 0},
		{"bad volume digit", common, func(e *Engine) ([]Event, error) { return e.Mount("1:", MountOptions{}) }, ErrBadName, 0},
		{"bad format", common, func(e *Engine) ([]Event, error) { return e.Mount("E:", MountOptions{Format: "n tfs"}) }, ErrBadName, 0},
		{"bad volume attach", common, func(e *Engine) ([]Event, error) { return e.AttachFilter("cmd", "C") }, ErrBadName, 0},
		{"bad filter name attach", common, func(e *Engine) ([]Event, error) { return e.AttachFilter("c d", "C:") }, ErrBadName, 0},
		{"unknown filter attach", common, func(e *Engine) ([]Event, error) { return e.AttachFilter("ghost", "C:") }, ErrFilterNotLoaded, 0},
		{"unknown filter detach", common, func(e *Engine) ([]Event, error) { return e.DetachFilter("ghost", "C:") }, ErrFilterNotLoaded, 0},
		{"unknown filter unload", common, func(e *Engine) ([]Event, error) { return e.UnloadFilter("ghost") }, ErrFilterNotLoaded, 0},
		{"file system as filter", common, func(e *Engine) ([]Event, error) { return e.UnloadFilter("ntfs") }, ErrFilterNotLoaded, 0},
		{"raw as filter", common, func(e *Engine) ([]Event, error) { return e.AttachFilter("raw", "C:") }, ErrFilterNotLoaded, 0},
		{"not mounted attach", common, func(e *Engine) ([]Event, error) { return e.AttachFilter("idle", "Z:") }, ErrNotMounted, 0},
		{"not mounted detach", common, func(e *Engine) ([]Event, error) { return e.DetachFilter("cmd", "Z:") }, ErrNotMounted, 0},
		{"not mounted dismount", common, func(e *Engine) ([]Event, error) { return e.Dismount("Z:") }, ErrNotMounted, 0},
		{"mounted twice", common, func(e *Engine) ([]Event, error) { return e.Mount("C:", MountOptions{}) }, ErrAlreadyMounted, 0},
		{"mounted twice lower case", common, func(e *Engine) ([]Event, error) { return e.Mount("c:", MountOptions{Format: "fat"}) }, ErrAlreadyMounted, 0},
		{"attach twice (command)", common, func(e *Engine) ([]Event, error) { return e.AttachFilter("cmd", "C:") }, ErrAlreadyAttached, StatusDeviceAlreadyAttach},
		{"attach twice (notify)", common, func(e *Engine) ([]Event, error) { return e.AttachFilter("av", "C:") }, ErrAlreadyAttached, StatusDeviceAlreadyAttach},
		{"detach not attached", common, func(e *Engine) ([]Event, error) { return e.DetachFilter("idle", "C:") }, ErrNotAttached, 0},
		{"unregister fs with volumes", common, func(e *Engine) ([]Event, error) { return e.UnregisterFileSystem("ntfs") }, ErrFSInUse, 0},
		{"unregister fs not registered", common, func(e *Engine) ([]Event, error) { return e.UnregisterFileSystem("fastfat") }, ErrFSNotRegistered, 0},
		{"register fs twice", common, func(e *Engine) ([]Event, error) { return e.RegisterFileSystem("NTFS", FSOptions{}) }, ErrFSRegistered, 0},
		{"filter registers as fs", common, func(e *Engine) ([]Event, error) { return e.RegisterFileSystem("av", FSOptions{}) }, ErrFilterIsNotFS, 0},
		{"filter unregisters as fs", common, func(e *Engine) ([]Event, error) { return e.UnregisterFileSystem("cmd") }, ErrFilterIsNotFS, 0},
		{"RAW unregister", common, func(e *Engine) ([]Event, error) { return e.UnregisterFileSystem("raw") }, ErrRawBuiltin, 0},
		{"--type on ntfs", boot, func(e *Engine) ([]Event, error) {
			return e.RegisterFileSystem("ntfs", FSOptions{Type: Tape, TypeSet: true})
		}, ErrBadOption, 0},
		{"--low-priority on fs_rec", boot, func(e *Engine) ([]Event, error) {
			return e.RegisterFileSystem("fs_rec", FSOptions{LowPriority: true})
		}, ErrBadOption, 0},
		{"--no-enumerate without --notify", common, func(e *Engine) ([]Event, error) {
			return e.LoadFilter("newf", FilterOptions{NoEnumerate: true})
		}, ErrBadOption, 0},
		{"--attach-raw without --notify", boot, func(e *Engine) ([]Event, error) {
			return e.LoadFilter("newf", FilterOptions{AttachRaw: true})
		}, ErrBadOption, 0},
		{"--ex without --notify", boot, func(e *Engine) ([]Event, error) { return e.LoadFilter("newf", FilterOptions{Ex: true}) }, ErrBadOption, 0},
		{"filter loaded twice", common, func(e *Engine) ([]Event, error) { return e.LoadFilter("AV", FilterOptions{Notify: true}) }, ErrFilterLoaded, 0},
		{"filter named like a loaded fs", common, func(e *Engine) ([]Event, error) { return e.LoadFilter("ntfs", FilterOptions{}) }, ErrNameTaken, 0},
		{"filter named like a known fs", boot, func(e *Engine) ([]Event, error) { return e.LoadFilter("fastfat", FilterOptions{}) }, ErrNameTaken, 0},
		{"filter named fs_rec", boot, func(e *Engine) ([]Event, error) { return e.LoadFilter("fs_rec", FilterOptions{}) }, ErrNameTaken, 0},
		{"filter named raw", boot, func(e *Engine) ([]Event, error) { return e.LoadFilter("raw", FilterOptions{}) }, ErrNameTaken, 0},
		{"CDO name collision", func(t *testing.T, e *Engine) { regFS(t, e, "fastfat") }, func(e *Engine) ([]Event, error) {
			return e.RegisterFileSystem("fat", FSOptions{})
		}, ErrNameTaken, StatusObjectNameCollision},
		{"media change on remount", func(t *testing.T, e *Engine) {
			common(t, e)
			dismount(t, e, "C:")
		}, func(e *Engine) ([]Event, error) {
			return e.Mount("C:", MountOptions{Media: MediaTape, MediaSet: true})
		}, ErrMediaMismatch, 0},
		{"SetProfile outside boot state", common, func(e *Engine) ([]Event, error) { return e.SetProfile(W2K) }, ErrNotBootState, 0},
		{"SetProfile with only a filter", func(t *testing.T, e *Engine) { loadCmd(t, e, "x") }, func(e *Engine) ([]Event, error) { return e.SetProfile(W2K) }, ErrNotBootState, 0},
		{"register routine twice in a row", common, func(e *Engine) ([]Event, error) { return e.RegisterNotification("last", false) }, ErrAlreadyRegistered, StatusDeviceAlreadyAttach},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := fresh(t)
			c.setup(t, e)
			err := refusedUnchanged(t, e, c.want, func() ([]Event, error) { return c.call(e) })
			equal(t, "status", StatusOf(err), c.status)
			if strings.ContainsRune(err.Error(), 0x1b) {
				t.Errorf("error message carries an escape sequence: %q", err)
			}
		})
	}
	t.Run("queries", func(t *testing.T) {
		e := fresh(t)
		common(t, e)
		before, dump := e.State(), e.Dump()
		_, err := e.Stack("nothing")
		inv(t, e)
		if !errors.Is(err, ErrNoSuchDevice) {
			t.Errorf("Stack(nothing) = %v", err)
		}
		_, err = e.Stack("Q:")
		inv(t, e)
		if !errors.Is(err, ErrNoSuchDevice) {
			t.Errorf("Stack(Q:) = %v", err)
		}
		_, err = e.Volume("C")
		inv(t, e)
		if !errors.Is(err, ErrBadName) {
			t.Errorf("Volume(C) = %v", err)
		}
		equal(t, "state", e.State(), before)
		equal(t, "dump", e.Dump(), dump)
		// CDO lookups accept the bare name and the \Device\ prefix.
		equal(t, "Ntfs", stackOf(t, e, "Ntfs").Name, `\Ntfs`)
		equal(t, "RawDisk", stackOf(t, e, "RawDisk").Name, rawDisk)
	})
}

// ---------------------------------------------------------------- seed

// TestSeedSentences demonstrates each row of MODEL.md's "Seed sentences".
func TestSeedSentences(t *testing.T) {
	t.Run("filters are called when a file system registers or unregisters", func(t *testing.T) {
		e := fresh(t)
		loadNotify(t, e, "av")
		ev := regFS(t, e, "ntfs")
		equal(t, "register", callbacks(ev), []string{`av:\Ntfs:TRUE`})
		ev = unregFS(t, e, "ntfs")
		equal(t, "unregister", callbacks(ev), []string{`av:\Ntfs:FALSE`})
	})
	t.Run("filters see new file systems and choose whether to attach", func(t *testing.T) {
		e := fresh(t)
		loadNotify(t, e, "av")
		ev := regFS(t, e, "ntfs")
		equal(t, "attach to the CDO", stacksOf(ev, KindAttach), []string{`\Ntfs`})
		ev = regFS(t, e, "fs_rec")
		if len(ofKind(ev, KindAttach)) != 0 || len(ofKind(ev, KindSkip)) == 0 {
			t.Errorf("the recognizer is not skipped:\n%s", FormatEvents(ev))
		}
	})
	t.Run("filters must never call IoRegisterFileSystem/IoUnregisterFileSystem", func(t *testing.T) {
		e := fresh(t)
		loadNotify(t, e, "av")
		refusedUnchanged(t, e, ErrFilterIsNotFS, func() ([]Event, error) { return e.RegisterFileSystem("av", FSOptions{}) })
		refusedUnchanged(t, e, ErrFilterIsNotFS, func() ([]Event, error) { return e.UnregisterFileSystem("av") })
	})
	t.Run("filters that attach only when directed do not register", func(t *testing.T) {
		e := fresh(t)
		regFS(t, e, "ntfs")
		ev := loadCmd(t, e, "spy")
		if i := indexOf(ev, func(x Event) bool { return x.Op == OpRegisterNotify || x.Op == OpLateRegister }); i >= 0 {
			t.Errorf("a command filter registers a routine")
		}
		f := filterOf(t, e, "spy")
		equal(t, "Notify", f.Notify, false)
		equal(t, "Registrations", f.Registrations, 0)
		mount(t, e, "C:")
		equal(t, "not attached at mount", shortsOf(t, e, "C:"), []string{"ntfs"})
		ev = attachCmd(t, e, "spy", "C:")
		equal(t, "unflagged", len(ofKind(ev, KindNote)), 0)
		equal(t, "C:", hows(stackOf(t, e, "C:").Devices), []Origin{OriginCommand, OriginNone})
		// A filter that does both is flagged.
		mustOK(t, e)(e.LoadFilter("both", FilterOptions{Notify: true, NoEnumerate: true}))
		ev = attachCmd(t, e, "both", "C:")
		equal(t, "flagged", len(ofKind(ev, KindNote)), 1)
	})
	t.Run("a notify filter attaches to a volume immediately after it is mounted", func(t *testing.T) {
		e := fresh(t)
		regFS(t, e, "ntfs")
		loadNotify(t, e, "av")
		ev := mount(t, e, "C:")
		claim := indexOf(ev, func(x Event) bool { return x.Kind == KindClaim && x.Stack == "C:" })
		att := indexOf(ev, func(x Event) bool { return x.Kind == KindAttach && x.Stack == "C:" })
		if claim < 0 || att < claim {
			t.Errorf("claim at %d, attach at %d", claim, att)
		}
		equal(t, "C:", shortsOf(t, e, "C:"), []string{"av", "ntfs"})
	})
	t.Run("the seed story", func(t *testing.T) {
		e := fresh(t)
		regFS(t, e, "ntfs")
		loadNotify(t, e, "first")
		loadNotify(t, e, "second")
		loadCmd(t, e, "spy")
		mount(t, e, "C:")
		s := stackOf(t, e, "C:")
		// This does not guarantee attaching directly to the VDO: the
		// second notify filter sits on the first.
		equal(t, "C:", shorts(s.Devices), []string{"second", "first", "ntfs"})
		equal(t, "roles", roles(s.Devices), []Role{RoleFilter, RoleFilter, RoleVDO})
		if s.Devices[1].Role == RoleVDO {
			t.Errorf("second sits directly on the VDO")
		}
		// It ensures attaching below a filter that waits for a command.
		attachCmd(t, e, "spy", "C:")
		s = stackOf(t, e, "C:")
		equal(t, "C:", shorts(s.Devices), []string{"spy", "second", "first", "ntfs"})
		equal(t, "hows", hows(s.Devices), []Origin{OriginCommand, OriginMount, OriginMount, OriginNone})
		// The same holds for a volume mounted before the notify filters
		// loaded: enumeration puts them there first.
		e = fresh(t)
		regFS(t, e, "ntfs")
		mount(t, e, "C:")
		loadNotify(t, e, "first")
		loadNotify(t, e, "second")
		loadCmd(t, e, "spy")
		attachCmd(t, e, "spy", "C:")
		s = stackOf(t, e, "C:")
		equal(t, "C: (enumerated)", shorts(s.Devices), []string{"spy", "second", "first", "ntfs"})
		equal(t, "hows", hows(s.Devices), []Origin{OriginCommand, OriginEnumerate, OriginEnumerate, OriginNone})
	})
}

// ---------------------------------------------------------------- suspected engine bugs

// Rule 19 with rule 3's CDO names: loading a file system through the
// recognizer must not create a second CDO with a name already taken.
func TestRule19_RecognizerLoadNameCollision(t *testing.T) {
	e := fresh(t)
	regFS(t, e, "fat") // an unknown file system whose CDO is \Fat
	regFS(t, e, "fs_rec")
	e.Mount("C:", MountOptions{Format: "fat"})
	if err := e.CheckInvariants(); err != nil {
		t.Fatalf("invariants broken: %v", err)
	}
	n := 0
	for _, c := range e.State().CDOs {
		if strings.EqualFold(c.Name, `\Fat`) {
			n++
		}
	}
	n2 := 0
	for _, q := range QueueOrder {
		for _, c := range queueNames(t, e, q) {
			if strings.EqualFold(c, `\Fat`) {
				n2++
			}
		}
	}
	equal(t, `\Fat in the queues`, n2, 1)
	equal(t, `\Fat among the CDOs`, n, 1)
	equal(t, "C: mounted", volumeOf(t, e, "C:").Mounted, true)
}

// Rule 24: the storage volume stays after a dismount, so a lab with only
// dismounted volumes is not in the boot state: SetProfile refuses, and keeps
// the storage volumes and their numbering.
func TestSetProfileKeepsStorageVolumes(t *testing.T) {
	e := fresh(t)
	mount(t, e, "C:") // RAW
	mount(t, e, "D:")
	dismount(t, e, "C:")
	dismount(t, e, "D:")
	err := refusedUnchanged(t, e, ErrNotBootState, func() ([]Event, error) { return e.SetProfile(W2K) })
	if !strings.Contains(err.Error(), "C: exists (dismounted), D: exists (dismounted)") {
		t.Errorf("refusal %q does not name the dismounted volumes", err)
	}
	mount(t, e, "E:")
	equal(t, "E: storage", volumeOf(t, e, "E:").Device, `\Device\HarddiskVolume3`)
}

// Rules 12 and 14: sfilter reaches RAW by name through the same
// SfFsNotification -> SfAttachToFileSystemDevice path, which on XP enumerates
// the file system's existing VDOs (RAW's too). A volume RAW mounted before the
// filter loaded must be attached by enumeration.
func TestRule14_AttachRawEnumeratesRawVolumes(t *testing.T) {
	e := fresh(t)
	mountAs(t, e, "X:", MediaDisk, "junk") // RAW claims it
	mustOK(t, e)(e.LoadFilter("sf", FilterOptions{Notify: true, AttachRaw: true}))
	s := stackOf(t, e, "X:")
	equal(t, "X:", shorts(s.Devices), []string{"sf", "raw"})
	equal(t, "X: hows", hows(s.Devices), []Origin{OriginEnumerate, OriginNone})
	// Without enumeration (--no-enumerate) it stays unfiltered.
	e = fresh(t)
	mountAs(t, e, "X:", MediaDisk, "junk")
	mustOK(t, e)(e.LoadFilter("sf", FilterOptions{Notify: true, AttachRaw: true, NoEnumerate: true}))
	equal(t, "X: (no-enumerate)", shortsOf(t, e, "X:"), []string{"raw"})
}

// fsInfo returns one file system of FileSystems.
func fsInfo(t *testing.T, e *Engine, name string) FileSystemInfo {
	t.Helper()
	for _, f := range e.FileSystems() {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no file system %q", name)
	return FileSystemInfo{}
}

// ---------------------------------------------------------------- IRPs

// ioLab: C: with av and guard (notify) and backup (command) on top, guard
// failing creates: backup guard av ntfs, top first.
func ioLab(t *testing.T) *Engine {
	e := fresh(t)
	regFS(t, e, "ntfs")
	loadNotify(t, e, "av")
	mustOK(t, e)(e.LoadFilter("guard", FilterOptions{Notify: true, Fail: []Major{MjCreate}}))
	loadCmd(t, e, "backup")
	mount(t, e, "C:")
	attachCmd(t, e, "backup", "C:")
	equal(t, "C:", shortsOf(t, e, "C:"), []string{"backup", "guard", "av", "ntfs"})
	return e
}

func sendIo(t *testing.T, e *Engine, m Major, target string) (IrpResult, []Event) {
	t.Helper()
	dump := e.Dump()
	res, ev, err := e.SendIo(m, target)
	if err != nil {
		t.Fatalf("SendIo(%s, %s): %v", m, target, err)
	}
	inv(t, e)
	if err := checkTrace(ev); err != nil {
		t.Fatalf("%v\n%s", err, FormatEvents(ev))
	}
	if d := e.Dump(); d != dump {
		t.Errorf("io changed the lab:\n%s\n%s", dump, d)
	}
	return res, ev
}

func TestIoDispatch(t *testing.T) {
	e := ioLab(t)
	for _, m := range []Major{MjRead, MjWrite, MjCleanup, MjClose, MjQueryInformation} {
		res, ev := sendIo(t, e, m, `C:\dir\file.txt`)
		equal(t, m.String()+" down", res.Down, []string{"backup", "guard", "av", "ntfs"})
		equal(t, "completed by", res.CompletedBy, "ntfs")
		equal(t, "status", res.Status, StatusSuccess)
		equal(t, "up, lowest first", res.Up, []string{"av", "guard", "backup"})
		equal(t, "irp", res.Irp, m.String())
		var order []string
		for _, x := range ev {
			switch p := x.Data.(type) {
			case PassDown:
				order = append(order, "down:"+p.Device.Driver)
			case Completes:
				order = append(order, "completes:"+p.VDO.Driver)
			case CompletionRoutine:
				order = append(order, "up:"+p.Device.Driver)
			}
		}
		equal(t, "trace order", order, []string{"down:backup", "down:guard", "down:av", "completes:Ntfs", "up:av", "up:guard", "up:backup"})
	}
	// guard fails creates: av and the VDO never see the IRP; backup's
	// completion still runs, with guard's status.
	res, ev := sendIo(t, e, MjCreate, `C:\x`)
	equal(t, "down", res.Down, []string{"backup", "guard"})
	equal(t, "completed by", res.CompletedBy, "guard")
	equal(t, "status", res.Status, StatusAccessDenied)
	equal(t, "up", res.Up, []string{"backup"})
	var below []*DeviceRef
	if i := indexOf(ev, func(x Event) bool { return x.Op == OpNeverSaw }); i >= 0 {
		below = ev[i].Data.(NeverSaw).Below
	}
	if len(below) != 2 || below[0].Driver != "av" || below[1].Role != RoleVDO {
		t.Errorf("no never-saw event naming av and the VDO:\n%s", FormatEvents(ev))
	}
	if j := indexOf(ev, func(x Event) bool { return x.Op == OpCompletes }); j >= 0 {
		t.Errorf("the file system completed a create guard failed")
	}
	if last := ev[len(ev)-1]; last.Op != OpIoDone || last.Status != StatusAccessDenied || last.Depth != 0 {
		t.Errorf("last event %s, want the caller's STATUS_ACCESS_DENIED", evString(last))
	}
	// A volume with nothing attached: the file system alone.
	mount(t, e, "D:") // av and guard attach by mount completion
	res, _ = sendIo(t, e, MjRead, "D:")
	equal(t, "D: down", res.Down, []string{"guard", "av", "ntfs"})

	// Refusals change nothing.
	refusedUnchanged(t, e, ErrNotMounted, func() ([]Event, error) { _, ev, err := e.SendIo(MjRead, `Q:\x`); return ev, err })
	refusedUnchanged(t, e, ErrBadName, func() ([]Event, error) { _, ev, err := e.SendIo(MjRead, "C:x"); return ev, err })
	refusedUnchanged(t, e, ErrBadName, func() ([]Event, error) { _, ev, err := e.SendIo(MjRead, "C:\\a\x1b[31m"); return ev, err })
	refusedUnchanged(t, e, ErrBadValue, func() ([]Event, error) { _, ev, err := e.SendIo(MjFileSystemControl, "C:"); return ev, err })
	refusedUnchanged(t, e, ErrBadOption, func() ([]Event, error) {
		return e.LoadFilter("bad", FilterOptions{Fail: []Major{MjFileSystemControl}})
	})
}

// The mount request and FSCTL_DISMOUNT_VOLUME travel the same dispatcher:
// a filter's --fail does not touch them, and at dismount every filter sees
// the request and its completion before the VDO is deleted.
func TestDismountPassesTheFilters(t *testing.T) {
	e := ioLab(t)
	ev := dismount(t, e, "C:")
	var order []string
	for _, x := range ev {
		switch p := x.Data.(type) {
		case PassDown:
			equal(t, "irp", p.Irp, "FSCTL_DISMOUNT_VOLUME")
			order = append(order, "down:"+p.Device.Driver)
		case DismountMark:
			order = append(order, "mark")
		case CompletionRoutine:
			order = append(order, "up:"+p.Device.Driver)
		case DismountDelete:
			order = append(order, "delete")
		case FastIoDetach:
			order = append(order, "fastio:"+p.Device.Driver)
		}
	}
	equal(t, "dismount order", order, []string{"down:backup", "down:guard", "down:av", "mark",
		"up:av", "up:guard", "up:backup", "delete", "fastio:av", "fastio:guard", "fastio:backup"})
}

// staysAttached reports whether x says the device at addr above stays
// attached to the one at addr leaving.
func staysAttached(x Event, above, leaving string) bool {
	p, ok := x.Data.(StaysAttached)
	return ok && p.Above.Addr == above && p.Leaving.Addr == leaving
}
