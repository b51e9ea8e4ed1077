package engine

// Performance-only API, kept in this one file: each function here does what
// a plainer one does (Volume, CDO, letting a trace go), in less memory, for
// callers that print after every verb in long runs (a 100,000-verb scenario,
// a stack of 10,000 filters; scripts/bench.sh measures them). A newcomer can
// ignore this file: nothing else needs it, and dropping a call to it changes
// no output.

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
