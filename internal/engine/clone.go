package engine

// Epoch says which numbering the lab's event IDs belong to. A reboot (Reset,
// or SetProfile changing the profile) starts a new epoch, and the next call
// numbers its events from 1 again, so that a lab reset and rebuilt numbers
// its events as a fresh one does. An event is named by its epoch and its ID
// together. The reboot's own trace is numbered before the restart: it
// belongs to no epoch a later call can name. Clone keeps the epoch.
func (e *Engine) Epoch() int { return e.epoch }

// Clone returns a deep copy of the lab: the copy and e share nothing that
// either can change, so each goes on as the lab would have, Dump, addresses,
// event numbering and epoch included. A session keeps clones as snapshots,
// so that undo replays a few verbs from the latest one rather than the whole
// history. It costs time and memory in proportion to the lab.
//
// The new fields of issue 15 (a volume's pending setup, FltMgr's object
// counter and addresses, a minifilter's options, a legacy filter's group)
// are values, copied with their structs. setupRan is not copied: it is the
// answer of the last SendIo, not part of the lab. Nor is addrs, the chunk
// of address strings (perf.go): the copy formats its own, from seq.
//
// What the copies share is what never changes once made: the chains of
// events devices and departures keep, DeviceRefs, a device's latest
// PassDown payload (a value), and the table of known file systems. A trace in progress is not copied (there is none between
// calls).
func (e *Engine) Clone() *Engine {
	c := newCloner()
	n := &Engine{
		profile:      e.profile,
		seq:          e.seq,
		drivers:      make(map[string]*driver, len(e.drivers)),
		slots:        slotTable{n: e.slots.n, free: append([]int(nil), e.slots.free...)},
		cdos:         make(map[string]*device, len(e.cdos)),
		volumes:      make(map[string]*volume, len(e.volumes)),
		storageCount: e.storageCount,
		unloadNoted:  e.unloadNoted,
		blockLegacy:  e.blockLegacy,
		epoch:        e.epoch,
	}
	n.t.seq = e.t.seq
	for k, d := range e.drivers {
		n.drivers[k] = c.driver(d)
	}
	for i, q := range e.queues {
		n.queues[i] = c.devices(q)
	}
	for k, d := range e.cdos {
		n.cdos[k] = c.device(d)
	}
	for k, v := range e.volumes {
		n.volumes[k] = c.volume(v)
	}
	if e.notify != nil {
		n.notify = make([]*driver, len(e.notify))
		for i, d := range e.notify {
			n.notify[i] = c.driver(d)
		}
	}
	if e.flt != nil {
		f := *e.flt
		f.drv = c.driver(f.drv)
		f.frames = make([]*frame, len(e.flt.frames))
		for i, fr := range e.flt.frames {
			f.frames[i] = c.frame(fr)
		}
		f.minis = make(map[string]*minifilter, len(e.flt.minis))
		for k, m := range e.flt.minis {
			f.minis[k] = c.mini(m)
		}
		n.flt = &f
	}
	c.finish()
	return n
}

// cloner copies a lab's objects once each: every pointer to an object in the
// old lab becomes a pointer to its copy. An object is copied whole when
// first met, and its own pointers are made to point at copies in finish,
// so a stack 10,000 devices deep needs no deep recursion.
type cloner struct {
	drv map[*driver]*driver
	dev map[*device]*device
	st  map[*stack]*stack
	vol map[*volume]*volume
	fr  map[*frame]*frame
	mf  map[*minifilter]*minifilter
	in  map[*instance]*instance

	// Copies whose pointers still point into the old lab.
	drvs []*driver
	devs []*device
	sts  []*stack
	vols []*volume
	mfs  []*minifilter
}

func newCloner() *cloner {
	return &cloner{drv: map[*driver]*driver{}, dev: map[*device]*device{}, st: map[*stack]*stack{},
		vol: map[*volume]*volume{}, fr: map[*frame]*frame{}, mf: map[*minifilter]*minifilter{},
		in: map[*instance]*instance{}}
}

// copyOf returns old's copy, making it (a shallow copy, put on todo) the
// first time.
func copyOf[T any](m map[*T]*T, todo *[]*T, old *T) *T {
	if old == nil {
		return nil
	}
	if n, ok := m[old]; ok {
		return n
	}
	n := new(T)
	*n = *old
	m[old] = n
	if todo != nil {
		*todo = append(*todo, n)
	}
	return n
}

func (c *cloner) driver(d *driver) *driver       { return copyOf(c.drv, &c.drvs, d) }
func (c *cloner) device(d *device) *device       { return copyOf(c.dev, &c.devs, d) }
func (c *cloner) stack(s *stack) *stack          { return copyOf(c.st, &c.sts, s) }
func (c *cloner) volume(v *volume) *volume       { return copyOf(c.vol, &c.vols, v) }
func (c *cloner) mini(m *minifilter) *minifilter { return copyOf(c.mf, &c.mfs, m) }

// A frame's fields hold no pointer to change (its chain is shared).
func (c *cloner) frame(f *frame) *frame { return copyOf(c.fr, nil, f) }

// An instance's only pointer is its minifilter.
func (c *cloner) instance(in *instance) *instance {
	if in == nil {
		return nil
	}
	if n, ok := c.in[in]; ok {
		return n
	}
	n := copyOf(c.in, nil, in)
	n.mf = c.mini(in.mf)
	return n
}

func (c *cloner) devices(ds []*device) []*device {
	if ds == nil {
		return nil
	}
	out := make([]*device, len(ds))
	for i, d := range ds {
		out[i] = c.device(d)
	}
	return out
}

// finish points every copy at copies, until no copy is left pointing into
// the old lab.
func (c *cloner) finish() {
	for len(c.drvs)+len(c.devs)+len(c.sts)+len(c.vols)+len(c.mfs) > 0 {
		for len(c.drvs) > 0 {
			d := c.drvs[len(c.drvs)-1]
			c.drvs = c.drvs[:len(c.drvs)-1]
			c.fixDriver(d)
		}
		for len(c.devs) > 0 {
			d := c.devs[len(c.devs)-1]
			c.devs = c.devs[:len(c.devs)-1]
			c.fixDevice(d)
		}
		for len(c.sts) > 0 {
			s := c.sts[len(c.sts)-1]
			c.sts = c.sts[:len(c.sts)-1]
			c.fixStack(s)
		}
		for len(c.vols) > 0 {
			v := c.vols[len(c.vols)-1]
			c.vols = c.vols[:len(c.vols)-1]
			v.vdo = c.device(v.vdo)
			v.left = c.left(v.left)
		}
		for len(c.mfs) > 0 {
			m := c.mfs[len(c.mfs)-1]
			c.mfs = c.mfs[:len(c.mfs)-1]
			m.frame = c.frame(m.frame)
		}
	}
}

func (c *cloner) fixDriver(d *driver) {
	d.devs = c.device(d.devs)
	d.cdos = c.devices(d.cdos)
	if d.formats != nil {
		d.formats = append([]string(nil), d.formats...)
	}
	if d.recLoads != nil {
		m := make(map[*device]*knownFS, len(d.recLoads))
		for k, v := range d.recLoads {
			m[c.device(k)] = v
		}
		d.recLoads = m
	}
	if d.recState != nil {
		m := make(map[*device]recState, len(d.recState))
		for k, v := range d.recState {
			m[c.device(k)] = v
		}
		d.recState = m
	}
}

func (c *cloner) fixDevice(d *device) {
	d.drv = c.driver(d.drv)
	d.above, d.below = c.device(d.above), c.device(d.below)
	d.prevDev, d.nextDev = c.device(d.prevDev), c.device(d.nextDev)
	d.st = c.stack(d.st)
	d.vol = c.volume(d.vol)
	d.frame = c.frame(d.frame)
	if d.inst != nil {
		inst := make([]*instance, len(d.inst))
		for i, in := range d.inst {
			inst[i] = c.instance(in)
		}
		d.inst = inst
	}
}

func (c *cloner) fixStack(s *stack) {
	s.bottom, s.top = c.device(s.bottom), c.device(s.top)
	if s.members != nil {
		m := make([]*device, len(s.members))
		for i, d := range s.members {
			if d != nil {
				m[i] = c.device(d)
			}
		}
		s.members = m
	}
	if s.frames != nil {
		m := make(map[*frame]*device, len(s.frames))
		for k, v := range s.frames {
			m[c.frame(k)] = c.device(v)
		}
		s.frames = m
	}
	s.left = c.left(s.left)
}

// left copies a record of departures: the records themselves hold only
// what never changes (chains, DeviceRefs).
func (c *cloner) left(l departures) departures {
	if l.recs == nil {
		return departures{}
	}
	m := make([]leftRec, len(l.recs))
	for i, r := range l.recs {
		if r.drv != nil {
			r.drv = c.driver(r.drv)
			m[i] = r
		}
	}
	return departures{m}
}
