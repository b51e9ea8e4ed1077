package engine

import (
	"fmt"
	"reflect"
	"testing"
)

// Pools the fuzzer picks names from: small, so that operations collide
// (the same filter twice, a volume already mounted, a name both a filter and
// a file system want).
var (
	fuzzFS      = []string{"ntfs", "fastfat", "exfat", "refs", "cdfs", "udfs", "fs_rec", "myfs", "tapefs", "netfs", "raw", "av"}
	fuzzFilters = []string{"av", "backup", "enc", "old", "ntfs", "f5"}
	fuzzVolumes = []string{"C:", "D:", "E:", "Z:", "c:", "Q"}
	// Minifilters and altitudes: spellings of one number, group edges, a
	// bad one, so frames, collisions and refusals all come up.
	fuzzMinis   = []string{"scan", "crypt", "watch", "av", "fltmgr"}
	fuzzAlts    = []string{"328000", "0328000.0", "140000", "385100", "409800", "45000", "1e5", "", "200000", "0"}
	fuzzFormats = []string{"", "ntfs", "fat32", "exfat", "refs", "cdfs", "udf", "myfs", "tapefs", "unknown"}
)

// fuzzOp applies the operation a few bytes of data choose and returns its
// name for failure messages.
func fuzzOp(e *Engine, data []byte) (string, []Event, error) {
	at := func(i int) int {
		if i < len(data) {
			return int(data[i])
		}
		return 0
	}
	pick := func(xs []string, i int) string { return xs[at(i)%len(xs)] }
	b := at(2)
	switch at(0) % 16 {
	case 0:
		opt := FSOptions{LowPriority: b&1 != 0}
		if b&2 != 0 {
			opt.Type, opt.TypeSet = FsType(b>>2%4), true
		}
		name := pick(fuzzFS, 1)
		ev, err := e.RegisterFileSystem(name, opt)
		return fmt.Sprintf("RegisterFileSystem(%s, %+v)", name, opt), ev, err
	case 1:
		name := pick(fuzzFS, 1)
		ev, err := e.UnregisterFileSystem(name)
		return "UnregisterFileSystem(" + name + ")", ev, err
	case 2:
		opt := FilterOptions{Notify: b&1 != 0, NoEnumerate: b&2 != 0, AttachRaw: b&4 != 0, Ex: b&8 != 0}
		if b&16 != 0 {
			opt.Group = "anti-virus"
		}
		name := pick(fuzzFilters, 1)
		ev, err := e.LoadFilter(name, opt)
		return fmt.Sprintf("LoadFilter(%s, %+v)", name, opt), ev, err
	case 3:
		name := pick(fuzzFilters, 1)
		ev, err := e.UnloadFilter(name)
		return "UnloadFilter(" + name + ")", ev, err
	case 4, 5:
		f, v := pick(fuzzFilters, 1), pick(fuzzVolumes, 2)
		ev, err := e.AttachFilter(f, v)
		return "AttachFilter(" + f + ", " + v + ")", ev, err
	case 6:
		f, v := pick(fuzzFilters, 1), pick(fuzzVolumes, 2)
		ev, err := e.DetachFilter(f, v)
		return "DetachFilter(" + f + ", " + v + ")", ev, err
	case 7:
		f := pick(fuzzFilters, 1)
		ev, err := e.RegisterNotification(f, b&1 != 0)
		return "RegisterNotification(" + f + ")", ev, err
	case 8, 9:
		v := pick(fuzzVolumes, 1)
		opt := MountOptions{Format: pick(fuzzFormats, 2)}
		if m := at(3) % 4; m < 3 {
			opt.Media, opt.MediaSet = Media(m), true
		}
		ev, err := e.Mount(v, opt)
		return fmt.Sprintf("Mount(%s, %+v)", v, opt), ev, err
	case 10:
		v := pick(fuzzVolumes, 1)
		ev, err := e.Dismount(v)
		return "Dismount(" + v + ")", ev, err
	case 11:
		// io: the first operation on a newly mounted volume runs
		// FltMgr's pending instance setup; --complete ends it early.
		v := pick(fuzzVolumes, 1)
		m := Major(at(2) % int(MjFileSystemControl))
		_, ev, err := e.SendIo(m, v)
		return "SendIo(" + m.String() + ", " + v + ")", ev, err
	case 12:
		ev, err := e.LoadFltMgr()
		return "LoadFltMgr()", ev, err
	case 13:
		m := pick(fuzzMinis, 1)
		opt := MiniOptions{Altitude: pick(fuzzAlts, 2), NoAuto: at(3)&1 != 0,
			RefuseDetach: at(3)&4 != 0, NoQueryTeardown: at(3)&8 != 0}
		if at(3)&2 != 0 {
			opt.Group = "anti-virus"
		}
		if at(3)&16 != 0 {
			opt.Complete = []Major{MjRead, MjCreate}
		}
		ev, err := e.LoadMinifilter(m, opt)
		return fmt.Sprintf("LoadMinifilter(%s, %+v)", m, opt), ev, err
	case 14:
		m := pick(fuzzMinis, 1)
		ev, err := e.UnloadMinifilter(m)
		return "UnloadMinifilter(" + m + ")", ev, err
	case 15:
		m, v := pick(fuzzMinis, 1), pick(fuzzVolumes, 2)
		alt, inst := "", ""
		if at(3)&1 != 0 {
			alt = pick(fuzzAlts, 3)
		}
		if at(3)&2 != 0 {
			inst = "second"
		}
		if at(3)&4 != 0 {
			ev, err := e.FltmcDetach(m, v, inst)
			return fmt.Sprintf("FltmcDetach(%s, %s, %q)", m, v, inst), ev, err
		}
		ev, err := e.FltmcAttach(m, v, alt, inst)
		return fmt.Sprintf("FltmcAttach(%s, %s, %q, %q)", m, v, alt, inst), ev, err
	default:
		if b%8 == 0 {
			return "Reset()", e.Reset(), nil
		}
		p := Profiles[int(b)%len(Profiles)]
		ev, err := e.SetProfile(p)
		return "SetProfile(" + p.String() + ")", ev, err
	}
}

// FuzzEngine runs a scenario of engine calls chosen by the input, four bytes
// a call, and checks after every call that the invariants hold (each device
// in at most one stack, links consistent both ways, every mounted volume's
// bottom a VDO of the file system in its VPB, every CDO in exactly one
// queue, RAW last), that a refused call changed nothing and returned no
// events, and that the trace is well nested.
func FuzzEngine(f *testing.F) {
	f.Add([]byte{
		2, 0, 1, 0, // LoadFilter(av, notify)
		0, 0, 0, 0, // RegisterFileSystem(ntfs)
		8, 0, 1, 0, // Mount(C:, ntfs, disk)
		2, 2, 1, 0, // LoadFilter(enc, notify)
		4, 1, 0, 0, // AttachFilter(backup, C:) fails: not loaded
		2, 1, 0, 0, // LoadFilter(backup)
		4, 1, 0, 0, // AttachFilter(backup, C:)
		6, 0, 0, 0, // DetachFilter(av, C:)
		10, 0, 0, 0, // Dismount(C:)
		1, 0, 0, 0, // UnregisterFileSystem(ntfs)
	})
	f.Add([]byte{0, 6, 0, 0, 8, 1, 2, 0, 8, 2, 5, 1, 2, 0, 5, 0, 7, 1, 0, 0, 7, 1, 0, 0, 3, 0, 0, 0, 11, 0, 0, 0, 11, 0, 1, 0})
	f.Add([]byte{11, 0, 1, 0, 2, 0, 9, 0, 0, 4, 0, 0, 8, 0, 4, 1, 0, 1, 0, 0, 8, 2, 2, 0, 1, 1, 0, 0, 3, 0, 0, 0})
	f.Add([]byte{0, 7, 2, 0, 0, 8, 6, 0, 8, 3, 7, 2, 8, 3, 8, 2, 1, 8, 0, 0, 2, 4, 5, 0, 10, 3, 0, 0, 8, 3, 0, 1})
	// Filter Manager: a RAW volume, frames around a legacy filter, a
	// pending setup run by io, a collision, --complete and refusals.
	f.Add([]byte{
		12, 0, 0, 0, // LoadFltMgr
		8, 0, 9, 0, // Mount(C:, unknown): RAW, with frame 0
		13, 0, 0, 16, // LoadMinifilter(scan, 328000, complete read,create)
		11, 0, 1, 0, // SendIo(read, C:): the pending setup runs, scan completes it
		0, 0, 0, 0, // RegisterFileSystem(ntfs)
		8, 1, 1, 0, // Mount(D:, ntfs)
		2, 1, 0, 0, // LoadFilter(backup)
		4, 1, 1, 0, // AttachFilter(backup, D:)
		13, 2, 4, 4, // LoadMinifilter(watch, 409800, refuse-detach): frame 1
		13, 1, 1, 8, // LoadMinifilter(crypt, 0328000.0, no query teardown): collides
		11, 1, 3, 0, // SendIo(write, D:)
		15, 2, 1, 4, // FltmcDetach(watch, D:) refused
		15, 1, 0, 1, // FltmcAttach(crypt, C:, 328000) collides
		14, 0, 0, 0, // UnloadMinifilter(scan)
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4*400 {
			data = data[:4*400] // long enough for any interesting lab, short enough to stay fast
		}
		e := New()
		for i := 0; i+1 <= len(data); i += 4 {
			before, dump := e.State(), e.Dump()
			op, ev, err := fuzzOp(e, data[i:])
			if ierr := e.CheckInvariants(); ierr != nil {
				t.Fatalf("after call %d %s: invariants broken: %v", i/4, op, ierr)
			}
			if err != nil {
				if len(ev) > 0 {
					t.Fatalf("%s refused (%v) but returned %d events", op, err, len(ev))
				}
				if after := e.State(); !reflect.DeepEqual(before, after) || e.Dump() != dump {
					t.Fatalf("%s refused (%v) but changed the lab", op, err)
				}
				continue
			}
			if terr := checkTrace(ev); terr != nil {
				t.Fatalf("%s: %v", op, terr)
			}
			depth := 0
			for j, x := range ev {
				if x.Depth < 0 || x.Depth > depth+1 || (j == 0 && x.Depth != 0) {
					t.Fatalf("%s: event %d %s at depth %d after depth %d", op, j, evString(x), x.Depth, depth)
				}
				depth = x.Depth
			}
		}
	})
}
