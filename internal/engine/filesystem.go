package engine

import (
	"fmt"
	"sort"
	"strings"
)

// knownFS is a file system fssim knows by name (MODEL.md rule 3).
type knownFS struct {
	key     string
	short   string // the driver object's name under \FileSystem
	cdos    []cdoSpec
	formats []string
	recs    []cdoSpec // the recognizer CDOs fs_rec registers while it is not loaded
}

type cdoSpec struct {
	name string
	typ  FsType
	low  bool
}

// knownFileSystems, in the order help lists them. CDO names are those the
// drivers create (fastfat's fatinit.c, cdfs's cdinit.c); recognizer names are
// those of fs_rec. The udfs and exfat rows are chosen by analogy.
var knownFileSystems = []*knownFS{
	{key: "ntfs", short: "Ntfs", cdos: []cdoSpec{{`\Ntfs`, Disk, false}}, formats: []string{"ntfs"},
		recs: []cdoSpec{{`\FileSystem\NtfsRecognizer`, Disk, false}}},
	{key: "fastfat", short: "fastfat", cdos: []cdoSpec{{`\Fat`, Disk, false}, {`\FatCdrom`, CdRom, false}},
		formats: []string{"fat", "fat12", "fat16", "fat32"},
		recs:    []cdoSpec{{`\FileSystem\FatDiskRecognizer`, Disk, false}, {`\FileSystem\FatCdRomRecognizer`, CdRom, false}}},
	{key: "exfat", short: "exfat", cdos: []cdoSpec{{`\Exfat`, Disk, false}}, formats: []string{"exfat"},
		recs: []cdoSpec{{`\FileSystem\ExFatRecognizer`, Disk, false}}},
	{key: "refs", short: "ReFS", cdos: []cdoSpec{{`\Refs`, Disk, false}}, formats: []string{"refs"}},
	{key: "cdfs", short: "Cdfs", cdos: []cdoSpec{{`\Cdfs`, CdRom, true}}, formats: []string{"cdfs", "iso9660"},
		recs: []cdoSpec{{`\FileSystem\CdfsRecognizer`, CdRom, false}}}, // XP's fs_rec: not low priority
	{key: "udfs", short: "Udfs", cdos: []cdoSpec{{`\UdfsCdRom`, CdRom, false}, {`\UdfsDisk`, Disk, false}},
		formats: []string{"udf"},
		recs:    []cdoSpec{{`\FileSystem\UdfsCdRomRecognizer`, CdRom, false}, {`\FileSystem\UdfsDiskRecognizer`, Disk, false}}},
}

func lookupKnown(key string) *knownFS {
	for _, k := range knownFileSystems {
		if k.key == key {
			return k
		}
	}
	return nil
}

// KnownFileSystems lists the names fssim knows, and fs_rec, for completion
// and help.
func KnownFileSystems() []string {
	out := make([]string, 0, len(knownFileSystems)+1)
	for _, k := range knownFileSystems {
		out = append(out, k.key)
	}
	return append(out, recognizerKey)
}

// Formats lists the volume formats the known file systems recognize.
func Formats() []string {
	var out []string
	for _, k := range knownFileSystems {
		out = append(out, k.formats...)
	}
	return out
}

const recognizerKey = "fs_rec"

// reservedName reports whether a name belongs to a file system, so no filter
// may take it.
func reservedName(key string) bool {
	return key == "raw" || key == recognizerKey || lookupKnown(key) != nil
}

// FSOptions are the options of RegisterFileSystem.
type FSOptions struct {
	Type        FsType
	TypeSet     bool // --type was given
	LowPriority bool
}

// RegisterFileSystem loads a file system driver whose DriverEntry creates its
// CDOs and calls IoRegisterFileSystem for each (rules 2 to 4, 6). The name
// fs_rec loads the recognizer instead (rule 19).
func (e *Engine) RegisterFileSystem(name string, opt FSOptions) ([]Event, error) {
	key, err := checkName("file system", name)
	if err != nil {
		return nil, err
	}
	if d := e.drivers[key]; d != nil {
		switch d.kind {
		case kindRaw:
			return nil, fail(ErrRawBuiltin, "RAW is built in and always registered")
		case kindFilter:
			return nil, fail(ErrFilterIsNotFS, "%q is a loaded filter, and file system filter drivers must never call IoRegisterFileSystem: these routines are only for file systems", key)
		}
		return nil, fail(ErrFSRegistered, "file system %q is already registered", key)
	}
	k := lookupKnown(key)
	if key == recognizerKey {
		if opt.TypeSet || opt.LowPriority {
			return nil, fail(ErrBadOption, "fs_rec registers one recognizer per file system it stands for; --type and --low-priority do not apply")
		}
		return e.loadRecognizer(), nil
	}
	if k != nil && opt.TypeSet && (len(k.cdos) != 1 || k.cdos[0].typ != opt.Type) {
		return nil, fail(ErrBadOption, "--type does not apply to %s: it registers %s", key, describeCDOs(k.cdos))
	}
	specs := []cdoSpec{{`\` + name, opt.Type, false}}
	if k != nil {
		specs = k.cdos
	}
	if other := e.cdoNameTaken(specs); other != nil {
		return nil, failStatus(ErrNameTaken, StatusObjectNameCollision, "cannot create %s: %s already owns a device of that name", other.name, other.drv)
	}
	e.loadFileSystem(key, name, k, specs, opt.LowPriority)
	return e.t.take(), nil
}

// cdoNameTaken returns a registered CDO whose name one of specs would take.
func (e *Engine) cdoNameTaken(specs []cdoSpec) *device {
	for _, c := range specs {
		if other := e.cdos[strings.ToLower(c.name)]; other != nil {
			return other
		}
	}
	return nil
}

func describeCDOs(cs []cdoSpec) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("%s (%s)", c.name, c.typ))
	}
	return strings.Join(parts, " and ")
}

// loadFileSystem runs a file system's DriverEntry: create and register each
// CDO, firing the registration-change routines for each.
func (e *Engine) loadFileSystem(key, name string, k *knownFS, specs []cdoSpec, low bool) *driver {
	formats := []string{key}
	if k != nil {
		name, formats = k.short, k.formats
	}
	d := newDriver(key, name, kindFS)
	d.known, d.formats, d.lowPrio = k, formats, low
	e.addDriver(d)
	e.t.op(KindCall, DriverEntry{Driver: d.short})
	e.t.in()
	for _, c := range specs {
		cdo := e.newDevice(d, RoleCDO, c.typ, c.name)
		cdo.lowPr = c.low || low
		d.cdos = append(d.cdos, cdo)
		e.registerCDO(cdo)
	}
	e.t.out()
	return d
}

// registerCDO is IoRegisterFileSystem: the CDO joins its queue, then every
// registration-change routine is called with FsActive=TRUE.
func (e *Engine) registerCDO(cdo *device) {
	q := e.queues[cdo.typ]
	ev := RegisterFS{CDO: cdo.ref}
	pos := 0
	if cdo.lowPr {
		// InsertTailList(listHead->Blink, ...): just before the last entry,
		// whatever it is; into an empty queue it simply goes in.
		pos = len(q)
		if pos > 0 {
			pos--
			ev.Place, ev.Before = QueueBeforeEnd, q[pos].name
		} else {
			ev.Place = QueueEmpty
		}
	}
	q = append(q, nil)
	copy(q[pos+1:], q[pos:])
	q[pos] = cdo
	e.queues[cdo.typ] = q
	e.cdos[strings.ToLower(cdo.name)] = cdo
	cdo.registered = true
	if cdo.st == nil {
		newStack(cdo)
	}
	e.t.opOn(KindCall, cdo.name, ev)
	if !cdo.why.set() {
		cdo.why = e.t.chain()
	}
	e.t.in()
	if cdo.typ == Network {
		e.t.op(KindNote, NetworkNoMount{CDO: cdo.ref})
	}
	e.notifyAll(cdo, true)
	e.t.out()
}

// unregisterCDO is IoUnregisterFileSystem: the CDO leaves its queue and every
// routine is called with FsActive=FALSE. The CDO stays until deleteCDO.
func (e *Engine) unregisterCDO(cdo *device) {
	q := e.queues[cdo.typ]
	for i, x := range q {
		if x == cdo {
			e.queues[cdo.typ] = append(q[:i:i], q[i+1:]...)
			break
		}
	}
	delete(e.cdos, strings.ToLower(cdo.name))
	cdo.registered = false
	e.t.opOn(KindCall, cdo.name, UnregisterFS{CDO: cdo.ref})
	e.t.in()
	e.notifyAll(cdo, false)
	e.t.out()
}

// deleteCDO is the file system's IoDeleteDevice of an unregistered CDO; any
// filter device still on it is detached through FastIoDetachDevice.
func (e *Engine) deleteCDO(cdo *device) {
	e.t.opOn(KindDetach, cdo.name, DeleteDevice{Device: cdo.ref})
	e.teardown(cdo.st)
	d := cdo.drv
	for i, x := range d.cdos {
		if x == cdo {
			d.cdos = append(d.cdos[:i:i], d.cdos[i+1:]...)
			break
		}
	}
}

// UnregisterFileSystem unloads a file system: IoUnregisterFileSystem for each
// of its CDOs, then the CDOs are deleted (rules 4 to 6). A file system with
// mounted volumes is refused.
func (e *Engine) UnregisterFileSystem(name string) ([]Event, error) {
	key, err := checkName("file system", name)
	if err != nil {
		return nil, err
	}
	d := e.drivers[key]
	switch {
	case d == nil:
		return nil, fail(ErrFSNotRegistered, "file system %q is not registered %s", key, orDidYouMean(key, e.Names(false), "(fs list shows what is)"))
	case d.kind == kindRaw:
		return nil, fail(ErrRawBuiltin, "RAW is built in and cannot be unregistered")
	case d.kind == kindFilter:
		return nil, fail(ErrFilterIsNotFS, "%q is a loaded filter, and file system filter drivers must never call IoUnregisterFileSystem: these routines are only for file systems (use filter unload)", key)
	}
	if vols := mountedBy(d); len(vols) > 0 {
		return nil, fail(ErrFSInUse, "%s has mounted volumes (%s): dismount them first", d, strings.Join(vols, ", "))
	}
	e.t.op(KindCall, FSUnloads{Driver: d.short})
	e.t.in()
	for _, cdo := range append([]*device(nil), d.cdos...) {
		if cdo.registered { // fs_rec's recognizers unregister at load
			e.unregisterCDO(cdo)
		}
		e.deleteCDO(cdo)
	}
	e.t.out()
	e.removeDriver(d)
	return e.t.take(), nil
}

// mountedBy lists the drive letters of the volumes d has mounted, sorted.
func mountedBy(d *driver) []string {
	var vols []string
	for x := d.devs; x != nil; x = x.nextDev {
		if x.role == RoleVDO {
			vols = append(vols, x.vol.letter)
		}
	}
	sort.Strings(vols)
	return vols
}

// loadRecognizer loads fs_rec, which registers a stand-in CDO for each
// built-in file system that is not loaded yet (rule 19).
func (e *Engine) loadRecognizer() []Event {
	d := newDriver(recognizerKey, "Fs_Rec", kindRecognizer)
	d.recLoads = map[*device]*knownFS{}
	d.recState = map[*device]recState{}
	e.addDriver(d)
	e.t.op(KindCall, DriverEntry{Driver: d.short})
	e.t.in()
	n := 0
	for _, k := range recognizerOrder() {
		if e.drivers[k.key] != nil {
			e.t.op(KindSkip, RecLoaded{Driver: k.short})
			continue
		}
		for _, c := range k.recs {
			if e.cdos[strings.ToLower(c.name)] != nil {
				continue
			}
			cdo := e.newDevice(d, RoleCDO, c.typ, c.name)
			cdo.lowPr = c.low
			d.cdos = append(d.cdos, cdo)
			d.recLoads[cdo] = k
			d.recState[cdo] = recActive
			e.registerCDO(cdo)
			n++
		}
	}
	if n == 0 {
		e.t.op(KindNote, RecNothing{})
	}
	e.t.out()
	return e.t.take()
}

// recognizerOrder is the order in which fs_rec registers its CDOs (cdfs,
// udfs, fat, ntfs, exfat, as in fs_rec's DriverEntry).
func recognizerOrder() []*knownFS {
	var out []*knownFS
	for _, key := range []string{"cdfs", "udfs", "fastfat", "ntfs", "exfat"} {
		out = append(out, lookupKnown(key))
	}
	return out
}

// recState is a recognizer CDO's state, as fs_rec keeps it.
type recState uint8

const (
	// recActive: it reads boot sectors and answers a mount of its format
	// with STATUS_FS_DRIVER_REQUIRED.
	recActive recState = iota
	// recTransparent: its partner (FatDisk for FatCdRom, UdfsCdRom for
	// UdfsDisk) has loaded the driver they share; it answers every mount
	// with STATUS_FS_DRIVER_REQUIRED so that the I/O manager tells it to
	// unregister.
	recTransparent
	// recUnloadable: it has unregistered and recognizes nothing; the device
	// stays until fs_rec unloads.
	recUnloadable
)

// loadFromRecognizer handles IRP_MN_LOAD_FILE_SYSTEM sent to a recognizer
// CDO, as XP's FsRecLoadFileSystem does (rule 19): an active recognizer loads
// the real file system (which registers, notifications TRUE) and turns its
// partners transparent; then it unregisters itself (FALSE) and stays, a
// device nobody mounts through, until fs_rec unloads.
func (e *Engine) loadFromRecognizer(rec *device) {
	fsrec := rec.drv
	k := fsrec.recLoads[rec]
	e.t.op(KindIrp, LoadFSIrp{Recognizer: rec.ref, Top: rec.st.top.ref})
	e.t.in()
	e.dispatch(rec.st, &irp{major: MjFileSystemControl, minor: "IRP_MN_LOAD_FILE_SYSTEM"}, func() Status {
		if fsrec.recState[rec] != recActive {
			e.t.op(KindNote, PartnerLoaded{Recognizer: rec.ref, Driver: k.short})
			e.t.status(StatusImageAlreadyLoaded, Answer{})
			return StatusImageAlreadyLoaded
		}
		e.t.op(KindCall, ZwLoadDriver{Driver: k.short})
		e.t.in()
		st := StatusSuccess
		switch {
		case e.drivers[k.key] != nil:
			st = StatusImageAlreadyLoaded
			e.t.status(st, Answer{})
		case e.cdoNameTaken(k.cdos) != nil:
			// A file system of the user's already owns one of the names the
			// real driver creates: its DriverEntry fails in IoCreateDevice.
			st = StatusObjectNameCollision
			e.t.status(st, NameCollision{Driver: k.short, Owner: e.cdoNameTaken(k.cdos).ref})
		default:
			e.loadFileSystem(k.key, k.short, k, k.cdos, false)
		}
		e.t.out()
		for _, p := range partners(fsrec, rec) {
			if fsrec.recState[p] == recActive {
				fsrec.recState[p] = recTransparent
				e.t.op(KindNote, Transparent{Partner: p.ref, Loaded: rec.ref})
			}
		}
		return st
	}, nil)
	fsrec.recState[rec] = recUnloadable
	e.unregisterCDO(rec)
	e.t.in()
	e.t.op(KindNote, RecStays{Recognizer: rec.ref})
	e.t.out()
	e.t.out()
}

// partners lists the other recognizer CDOs fs_rec registered for the same
// file system as rec, in creation order.
func partners(fsrec *driver, rec *device) []*device {
	var out []*device
	for _, c := range fsrec.cdos {
		if c != rec && fsrec.recLoads[c] == fsrec.recLoads[rec] {
			out = append(out, c)
		}
	}
	return out
}
