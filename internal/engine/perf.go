package engine

import (
	"math/bits"
	"slices"
)

// Performance-only API, kept in this one file: each function here does what
// a plainer one does (Volume, CDO, letting a trace go), in less memory, for
// callers that print after every verb in long runs (a 100,000-verb scenario,
// a stack of 10,000 filters; scripts/bench.sh measures them). A newcomer can
// ignore this file: nothing else needs it, and dropping a call to it changes
// no output.
//
// Below the API are the engine's own economies (issue 14.8), each the
// cheaper form of something plain: device addresses formatted a chunk at a
// time, and the stacks' indexes of members and departures as slices by a
// driver's slot rather than maps keyed by the driver. Each says what it
// saves and what it costs.

// Recycle hands a trace back once the caller is done with it, so that the
// next call can build its trace in the same memory instead of growing a new
// slice; a mount in a deep lab traces hundreds of events. Calling it is
// optional, and evs must not be used afterwards.
func (e *Engine) Recycle(evs []Event) {
	if cap(evs) > cap(e.t.spare) {
		clear(evs) // drop the old events' references for the collector
		e.t.spare = evs[:0]
	}
}

// AppendVolume is Volume with the stack's devices appended to buf[:0]: a
// caller that prints stack after stack reuses one slice instead of
// allocating one per listing.
func (e *Engine) AppendVolume(buf []DeviceInfo, name string) (VolumeInfo, error) {
	v, err := e.knownVolume(name)
	if err != nil {
		return VolumeInfo{}, err
	}
	return e.volumeInfo(v, buf), nil
}

// AppendCDO is CDO with the stack's devices appended to buf[:0].
func (e *Engine) AppendCDO(buf []DeviceInfo, name string) (CDOInfo, bool) {
	if c := e.lookupCDO(name); c != nil {
		return cdoInfo(c, buf), true
	}
	return CDOInfo{}, false
}

// AppendFilters is Filters appended to buf[:0]. The elements it replaces
// lend it their CDOs and Volumes lists, so that a caller listing every
// filter after every few verbs (show --json: 50 filters, each on 40-odd
// stacks) makes them once; a list it reuses may come empty rather than nil.
func (e *Engine) AppendFilters(buf []FilterInfo) []FilterInfo {
	return e.appendFilters(buf, sortedDrivers(e.drivers))
}

// AppendDrivers is AppendFilters and AppendFileSystems in one call, which
// sorts the drivers once for both lists.
func (e *Engine) AppendDrivers(filters []FilterInfo, fss []FileSystemInfo) ([]FilterInfo, []FileSystemInfo) {
	sorted := sortedDrivers(e.drivers)
	return e.appendFilters(filters, sorted), e.appendFileSystems(fss, sorted)
}

// appendFilters is AppendFilters of the drivers sorted lists by name.
func (e *Engine) appendFilters(buf []FilterInfo, sorted []*driver) []FilterInfo {
	out := buf[:0]
	if out == nil {
		out = make([]FilterInfo, 0, len(e.drivers)) // at its size, not grown
	}
	regs := make(map[*driver]int, len(e.notify))
	for _, x := range e.notify {
		regs[x]++
	}
	for _, d := range sorted {
		if !d.isFilter() {
			continue
		}
		var cdos, vols []string
		if len(out) < cap(out) {
			old := out[: len(out)+1 : len(out)+1][len(out)]
			cdos, vols = old.CDOs[:0], old.Volumes[:0]
		}
		// A volume's letter is one of driveNames, in the order of its first
		// byte: a set of letters lists them sorted and once each (FltMgr has
		// a device per frame on a stack), with no sort.
		var letters uint32
		nc := 0
		for x := d.devs; x != nil; x = x.nextDev {
			if b := x.st.bottom; b.role == RoleVDO {
				letters |= 1 << (b.vol.letter[0] - 'A')
			} else {
				nc++
			}
		}
		if n := bits.OnesCount32(letters); cap(vols) < n {
			vols = make([]string, 0, n)
		}
		for l := letters; l != 0; l &= l - 1 {
			vols = append(vols, driveNames[bits.TrailingZeros32(l)])
		}
		if nc > 0 {
			if cap(cdos) < nc {
				cdos = make([]string, 0, nc)
			}
			for x := d.devs; x != nil; x = x.nextDev {
				if b := x.st.bottom; b.role != RoleVDO {
					cdos = append(cdos, b.name)
				}
			}
			slices.Sort(cdos)
			cdos = slices.Compact(cdos) // FltMgr: one device per frame on a stack
		}
		out = append(out, FilterInfo{Name: d.key, Driver: d.String(), Notify: d.notifyRoutine, Enumerate: d.notifyRoutine && d.enumerate,
			AttachRaw: d.attachRaw, Ex: d.ex, MountAware: d.mountAware, Registrations: regs[d], Mode: describeFilter(d),
			CDOs: cdos, Volumes: vols})
	}
	return out
}

// AppendCDOs is CDO of each name CDONames lists, in its order, appended to
// buf[:0], with every stack's devices appended to devs[:0] and each Stack a
// piece of the result: a caller that lists every stack (show --json) reuses
// two slices instead of looking each CDO up by name. It returns both.
func (e *Engine) AppendCDOs(buf []CDOInfo, devs []DeviceInfo) ([]CDOInfo, []DeviceInfo) {
	buf, devs = buf[:0], devs[:0]
	for _, c := range e.sortedCDOs() {
		start := len(devs)
		devs = appendDevices(devs, c.st)
		ci := newCDOInfo(c)
		ci.Stack = devs[start:len(devs):len(devs)]
		buf = append(buf, ci)
	}
	return buf, devs
}

// AppendVolumes is AppendCDOs for volumes: Volume of each letter Letters
// lists. An unmounted volume's Stack stays nil, as Volume's does.
func (e *Engine) AppendVolumes(buf []VolumeInfo, devs []DeviceInfo) ([]VolumeInfo, []DeviceInfo) {
	buf, devs = buf[:0], devs[:0]
	for _, v := range sortedVolumes(e.volumes) {
		vi := newVolumeInfo(v)
		if v.vdo != nil {
			start := len(devs)
			devs = appendDevices(devs, v.vdo.st)
			vi.FS = v.vdo.drv.lower
			vi.Stack = devs[start:len(devs):len(devs)]
		}
		buf = append(buf, vi)
	}
	return buf, devs
}

// AppendQueueNames is QueueNames appended to buf[:0].
func (e *Engine) AppendQueueNames(buf []string, t FsType) []string {
	buf = buf[:0]
	for _, c := range e.queues[t] {
		buf = append(buf, c.name)
	}
	return buf
}

// AppendFileSystems is FileSystems appended to buf[:0], reusing the lists
// of the elements it replaces as AppendFilters does.
func (e *Engine) AppendFileSystems(buf []FileSystemInfo) []FileSystemInfo {
	return e.appendFileSystems(buf, sortedDrivers(e.drivers))
}

// appendFileSystems is AppendFileSystems of the drivers sorted lists by
// name.
func (e *Engine) appendFileSystems(buf []FileSystemInfo, sorted []*driver) []FileSystemInfo {
	out := buf[:0]
	if out == nil {
		out = make([]FileSystemInfo, 0, len(e.drivers)) // at its size, not grown
	}
	for _, d := range sorted {
		if d.isFilter() {
			continue
		}
		fi := FileSystemInfo{Name: d.key, Driver: d.String()}
		if len(out) < cap(out) {
			old := out[: len(out)+1 : len(out)+1][len(out)]
			fi.CDOs, fi.Mounted, fi.Unregistered = old.CDOs[:0], old.Mounted[:0], old.Unregistered[:0]
		}
		// The volumes it mounted, sorted as mountedBy sorts them: a
		// letter is one of driveNames, in the order of its first byte, so
		// counting each is sorting them.
		var at [len(driveNames)]int
		n := 0
		for x := d.devs; x != nil; x = x.nextDev {
			if x.role == RoleVDO {
				at[x.vol.letter[0]-'A']++
				n++
			}
		}
		if cap(fi.Mounted) < n {
			fi.Mounted = make([]string, 0, n)
		}
		for i, k := range at {
			for ; k > 0; k-- {
				fi.Mounted = append(fi.Mounted, driveNames[i])
			}
		}
		for _, c := range d.cdos {
			if c.registered {
				fi.CDOs = append(fi.CDOs, c.name)
			} else {
				fi.Unregistered = append(fi.Unregistered, c.name)
			}
		}
		slices.Sort(fi.Unregistered)
		out = append(out, fi)
	}
	return out
}

// addrsPerChunk is how many devices' addresses an addrChunk formats at
// once.
const addrsPerChunk = 8

// addrChunk formats device addresses addrsPerChunk devices at a time, in one
// string, one allocation for 8 devices rather than one each: a device's
// address and its extension's derive from its creation number only (see
// deviceAddr), and creation numbers only grow. A chunk stays in memory
// while any of its devices' addresses is referenced, and departed devices'
// DeviceRefs stay referenced (departure records, chains): on a 100,000-verb
// run chunks of 64 kept 10-20% more pages faulted in, chunks of 8 none
// measurable. Allocating DeviceRefs in chunks failed the same way.
type addrChunk struct {
	base int    // creation number of the chunk's first device
	s    string // per device: its address, then its extension's, 16 hex digits each
}

// of returns the address and the extension's address of device number id,
// in one string (see device.addrs).
func (a *addrChunk) of(id int) string {
	base := id - id%addrsPerChunk
	if a.s == "" || a.base != base {
		b := make([]byte, 0, addrsPerChunk*32)
		for i := range addrsPerChunk {
			x := deviceAddr(base + i)
			b = appendHex16(appendHex16(b, x), x+0x150)
		}
		a.base, a.s = base, string(b)
	}
	i := (id - base) * 32
	return a.s[i : i+32]
}

// A stack's members index (the device of each driver in it) is a slice
// indexed by a small number each loaded driver holds, its slot, rather than
// a map keyed by the driver: a 100,000-verb run attaches and detaches
// 400,000 devices, and the map's inserts, deletes and growth were 4% of its
// time. Slots are reused (the last given back first) so that the slices
// stay as long as the most drivers loaded at once; a driver's slot is given back only once it
// has no device left, so that no stack can hold a device under a slot
// another driver has. member also checks the driver, since an unloaded
// driver's stale registration (rule 25) may still be asked about.

// slotTable hands out driver slots.
type slotTable struct {
	n    int   // slots ever given out
	free []int // slots given back, to give out again
}

// addDriver adds a loaded driver, giving it a slot.
func (e *Engine) addDriver(d *driver) {
	if k := len(e.slots.free); k > 0 {
		d.slot = e.slots.free[k-1]
		e.slots.free = e.slots.free[:k-1]
	} else {
		d.slot = e.slots.n
		e.slots.n++
	}
	e.drivers[d.key] = d
}

// removeDriver removes an unloaded driver, giving its slot back if none of
// its devices is left.
func (e *Engine) removeDriver(d *driver) {
	delete(e.drivers, d.key)
	if d.devs == nil {
		e.slots.free = append(e.slots.free, d.slot)
	}
}

// member is the device of drv in s, if any (FltMgr's: of frame 0).
func (s *stack) member(drv *driver) *device {
	if drv.slot < len(s.members) {
		if d := s.members[drv.slot]; d != nil && d.drv == drv {
			return d
		}
	}
	return nil
}

// setMember records d as its driver's device in s.
func (s *stack) setMember(d *device) {
	i := d.drv.slot
	if i >= len(s.members) {
		s.members = append(s.members, make([]*device, i+1-len(s.members))...)
	}
	s.members[i] = d
}

// dropMember forgets d.
func (s *stack) dropMember(d *device) {
	if i := d.drv.slot; i < len(s.members) && s.members[i] == d {
		s.members[i] = nil
	}
}

// memberCount is how many devices s.members holds.
func (s *stack) memberCount() int {
	n := 0
	for _, d := range s.members {
		if d != nil {
			n++
		}
	}
	return n
}

// departures is a stack's (or a volume's) record of the filters whose
// devices left it, indexed by the filter's slot like members, for the same
// reason: a teardown records one departure per device. A record holds its
// driver, so that get tells a slot's new driver from the one that left.
type departures struct{ recs []leftRec }

// get is the departure of drv, if recorded.
func (l *departures) get(drv *driver) (leftRec, bool) {
	if drv.slot < len(l.recs) && l.recs[drv.slot].drv == drv {
		return l.recs[drv.slot], true
	}
	return leftRec{}, false
}

// set records drv's departure rec, over any earlier one.
func (l *departures) set(drv *driver, rec leftRec) {
	i := drv.slot
	if i >= len(l.recs) {
		l.recs = append(l.recs, make([]leftRec, i+1-len(l.recs))...)
	}
	rec.drv = drv
	l.recs[i] = rec
}

// forget drops drv's departure.
func (l *departures) forget(drv *driver) {
	if drv.slot < len(l.recs) && l.recs[drv.slot].drv == drv {
		l.recs[drv.slot] = leftRec{}
	}
}
