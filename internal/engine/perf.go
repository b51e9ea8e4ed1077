package engine

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
