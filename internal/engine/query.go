package engine

import (
	"slices"
	"strings"
)

// DeviceInfo describes one device object of a stack.
type DeviceInfo struct {
	Addr   string // 16 hex digits, as WinDbg prints it
	DevExt string // the device extension's address, or 00000000
	Driver string // \FileSystem\Ntfs
	Short  string // lower-case short name of the driver: ntfs, av, raw
	Role   Role
	How    Origin // filters only
	Name   string // CDOs only
	Type   FsType
	// FltMgr's devices: IsFrame is set and Frame is the frame's number.
	IsFrame bool
	Frame   int
}

// StackInfo is a stack, top first, as !devstack lists it.
type StackInfo struct {
	Name    string // "C:" for a volume stack, `\Ntfs` for a CDO stack
	Volume  bool
	Devices []DeviceInfo // top first; the last is the CDO or VDO
	// Marked is the device !devstack was given, which it marks with '>':
	// counted from the bottom, so 0 (the zero value) is the CDO or VDO.
	Marked int
}

// VolumeInfo describes a storage volume and, when mounted, its stack.
type VolumeInfo struct {
	Name    string // C:
	Device  string // \Device\HarddiskVolume1
	Media   Media
	Format  string
	Mounted bool
	FS      string // short name of the file system that mounted it, lower case
	// RealDevice is the address of the storage device object (Device) and
	// Vpb that of its volume parameter block, as WinDbg's !vpb prints them:
	// synthetic, from the storage device's number, in a range of their own
	// (device objects of drivers keep theirs). They stay across dismounts
	// and remounts, as the storage device does.
	RealDevice string
	Vpb        string
	Stack      []DeviceInfo // top first; empty when not mounted
	// Omitted is how many devices a partial listing (AppendVolumeEnds)
	// left out of Stack between its first and second halves; 0 when
	// Stack is the whole stack.
	Omitted int
}

// CDOInfo describes a registered control device object and its stack.
type CDOInfo struct {
	Name        string // \Ntfs
	FS          string // ntfs, fastfat, raw, fs_rec
	Type        FsType
	LowPriority bool
	Recognizer  bool
	Stack       []DeviceInfo
	Omitted     int // as in VolumeInfo
}

// FilterInfo describes a loaded filter.
type FilterInfo struct {
	Name          string
	Driver        string
	Notify        bool // registered a notification routine
	Enumerate     bool
	AttachRaw     bool
	Ex            bool
	MountAware    bool     // registered with IoRegisterFsRegistrationChangeMountAware
	Registrations int      // entries in the notification list
	Mode          string   // how it finds volumes, for people
	CDOs          []string // CDOs it is attached to, sorted
	Volumes       []string // volumes it is attached to, sorted
}

// FileSystemInfo describes a registered file system driver.
type FileSystemInfo struct {
	Name    string   // ntfs
	Driver  string   // \FileSystem\Ntfs
	CDOs    []string // registered, in creation order
	Mounted []string
	// Unregistered lists CDOs the driver still has but has unregistered,
	// sorted: fs_rec's recognizers once their file system has loaded.
	Unregistered []string
}

// State is the whole lab, sorted by name throughout.
type State struct {
	OS          Profile
	Queues      map[FsType][]string // CDO names, head first
	FileSystems []FileSystemInfo
	CDOs        []CDOInfo
	Filters     []FilterInfo
	Volumes     []VolumeInfo
}

func deviceInfo(d *device) DeviceInfo {
	di := DeviceInfo{Addr: d.Addr(), DevExt: d.devExt(), Driver: d.drv.String(), Short: d.drv.lower,
		Role: d.role, How: d.how, Name: d.name, Type: d.typ}
	if d.frame != nil {
		di.IsFrame, di.Frame = true, d.frame.id
	}
	return di
}

func stackDevices(s *stack) []DeviceInfo { return appendStack(nil, s) }

// appendStack appends a stack's devices, top first, to dst[:0].
func appendStack(dst []DeviceInfo, s *stack) []DeviceInfo { return appendDevices(dst[:0], s) }

// appendDevices appends a stack's devices, top first, to dst.
func appendDevices(dst []DeviceInfo, s *stack) []DeviceInfo {
	for d := s.top; d != nil; d = d.below {
		dst = append(dst, deviceInfo(d))
	}
	return dst
}

func (e *Engine) volumeInfo(v *volume, buf []DeviceInfo) VolumeInfo {
	vi := newVolumeInfo(v)
	if v.vdo != nil {
		vi.FS = v.vdo.drv.lower
		vi.Stack = appendStack(buf, v.vdo.st)
	}
	return vi
}

func cdoInfo(c *device, buf []DeviceInfo) CDOInfo {
	ci := newCDOInfo(c)
	ci.Stack = appendStack(buf, c.st)
	return ci
}

// newCDOInfo is a CDO's CDOInfo without its stack.
func newCDOInfo(c *device) CDOInfo {
	return CDOInfo{Name: c.name, FS: c.drv.key, Type: c.typ, LowPriority: c.lowPr, Recognizer: c.isRecognizer()}
}

// State returns a snapshot of the whole lab, for tests and tools that
// compare labs. It costs time in proportion to everything in the lab; the
// views read the narrower queries below instead.
func (e *Engine) State() State {
	st := State{OS: e.profile, Queues: map[FsType][]string{}}
	for _, q := range QueueOrder {
		st.Queues[q] = e.QueueNames(q)
	}
	st.FileSystems = e.FileSystems()
	for _, c := range e.sortedCDOs() {
		st.CDOs = append(st.CDOs, cdoInfo(c, nil))
	}
	st.Filters = e.Filters()
	for _, v := range sortedVolumes(e.volumes) {
		st.Volumes = append(st.Volumes, e.volumeInfo(v, nil))
	}
	return st
}

// Queue lists the CDOs of one queue, head first.
func (e *Engine) Queue(t FsType) []CDOInfo {
	out := make([]CDOInfo, 0, len(e.queues[t]))
	for _, c := range e.queues[t] {
		out = append(out, cdoInfo(c, nil))
	}
	return out
}

// FileSystems lists the registered file system drivers (RAW and fs_rec
// included), sorted by name.
func (e *Engine) FileSystems() []FileSystemInfo { return e.AppendFileSystems(nil) }

// Filters lists the loaded filters, sorted by name.
func (e *Engine) Filters() []FilterInfo { return e.AppendFilters(nil) }

// Volume returns one volume.
func (e *Engine) Volume(name string) (VolumeInfo, error) { return e.AppendVolume(nil, name) }

// knownVolume finds a volume by its drive letter, mounted or not.
func (e *Engine) knownVolume(name string) (*volume, error) {
	letter, err := ParseVolume(name)
	if err != nil {
		return nil, err
	}
	v := e.volumes[letter]
	if v == nil {
		return nil, fail(ErrNoSuchDevice, "no volume %s (mount %s creates it)", letter, letter)
	}
	return v, nil
}

// Stack finds the stack a user names: a drive letter, or a CDO name with or
// without its leading backslash or \Device\ prefix (as !devstack assumes
// \Device\ for a bare name). It costs time in proportion to that stack.
func (e *Engine) Stack(name string) (StackInfo, error) {
	if addr, ok := parseDevAddr(name); ok {
		return e.stackAt(addr)
	}
	if IsVolume(name) {
		v, err := e.knownVolume(name)
		if err != nil {
			return StackInfo{}, err
		}
		if v.vdo == nil {
			return StackInfo{Name: v.letter, Volume: true}, nil
		}
		return StackInfo{Name: v.letter, Volume: true, Devices: stackDevices(v.vdo.st)}, nil
	}
	if c := e.lookupCDO(name); c != nil {
		return StackInfo{Name: c.name, Devices: stackDevices(c.st)}, nil
	}
	if s := e.suggestCDO(name); s != "" {
		return StackInfo{}, fail(ErrNoSuchDevice, "no volume or registered CDO named %s (did you mean %s?)", Quote(name), s)
	}
	return StackInfo{}, fail(ErrNoSuchDevice, "no volume or registered CDO named %s: try a drive letter like C:, or a CDO like \\Ntfs or \\Device\\RawDisk", Quote(name))
}

// suggestCDO is the registered CDO a mistyped stack name was likely meant
// for (\Ntf, Ntsf, rawdsk), compared without case, backslash or \Device\.
func (e *Engine) suggestCDO(name string) string {
	bare := func(s string) string {
		s = strings.ToLower(s)
		s = strings.TrimPrefix(s, `\device\`)
		return strings.TrimPrefix(s, `\`)
	}
	byBare := map[string]string{}
	var cands []string
	for _, n := range e.CDONames() {
		byBare[bare(n)] = n
		cands = append(cands, bare(n))
	}
	return byBare[Suggest(bare(name), cands)]
}

// parseDevAddr reads a device address as listings print it: 16 hex digits,
// with or without 0x, or a shorter one WinDbg would pad with zeros.
func parseDevAddr(s string) (string, bool) {
	t := strings.TrimPrefix(strings.ToLower(s), "0x")
	if len(t) < 8 || len(t) > 16 {
		return "", false
	}
	for i := 0; i < len(t); i++ {
		if !strings.ContainsRune("0123456789abcdef", rune(t[i])) {
			return "", false
		}
	}
	return strings.Repeat("0", 16-len(t)) + t, true
}

// stackAt is !devstack ADDRESS: the stack of the device at that address,
// marking it (rule 26's WinDbg views; the '>' marks the device given).
func (e *Engine) stackAt(addr string) (StackInfo, error) {
	var stacks []*stack
	for _, c := range e.sortedCDOs() {
		stacks = append(stacks, c.st)
	}
	for _, v := range sortedVolumes(e.volumes) {
		if v.vdo != nil {
			stacks = append(stacks, v.vdo.st)
		}
	}
	for _, s := range stacks {
		i := 0
		for d := s.bottom; d != nil; d, i = d.above, i+1 {
			if d.Addr() == addr {
				return StackInfo{Name: s.key(), Volume: s.bottom.role == RoleVDO, Devices: stackDevices(s), Marked: i}, nil
			}
		}
	}
	return StackInfo{}, fail(ErrNoSuchDevice, "no device object at address %s: take one from a listing (show, devstack C:); a deleted device's address names nothing", addr)
}

func (e *Engine) lookupCDO(name string) *device {
	n := strings.ToLower(name)
	if c := e.cdos[n]; c != nil { // the name as listed: no other string to build
		return c
	}
	if c := e.cdos[`\`+n]; c != nil {
		return c
	}
	return e.cdos[`\device\`+n]
}

// StackNames lists every stack a user can name, for completion: drive letters
// of known volumes, then CDO names, each sorted.
func (e *Engine) StackNames() []string {
	var out []string
	for _, v := range sortedVolumes(e.volumes) {
		out = append(out, v.letter)
	}
	for _, c := range e.sortedCDOs() {
		out = append(out, c.name)
	}
	return out
}

// QueueNames lists the names of one queue's CDOs, head first.
func (e *Engine) QueueNames(t FsType) []string {
	out := make([]string, 0, len(e.queues[t]))
	for _, c := range e.queues[t] {
		out = append(out, c.name)
	}
	return out
}

// CDONames lists the registered CDOs' names, sorted.
func (e *Engine) CDONames() []string {
	out := make([]string, 0, len(e.cdos))
	for _, c := range e.sortedCDOs() {
		out = append(out, c.name)
	}
	return out
}

// Letters lists the drive letters of every volume fssim knows, sorted.
func (e *Engine) Letters() []string {
	out := make([]string, 0, len(e.volumes))
	for _, v := range sortedVolumes(e.volumes) {
		out = append(out, v.letter)
	}
	return out
}

// VolumeNames lists the drive letters of volumes fssim knows, mounted or not.
func (e *Engine) VolumeNames(mounted bool) []string {
	var out []string
	for _, v := range sortedVolumes(e.volumes) {
		if (v.vdo != nil) == mounted {
			out = append(out, v.letter)
		}
	}
	return out
}

// Names lists the loaded drivers' names, filters or file systems, sorted.
func (e *Engine) Names(filters bool) []string {
	var out []string
	for _, d := range sortedDrivers(e.drivers) {
		if d.isFilter() == filters && d.kind != kindRaw {
			out = append(out, d.key)
		}
	}
	return out
}

func (e *Engine) sortedCDOs() []*device {
	return sortedValues(e.cdos, func(c *device) string { return c.name })
}

func sortedDrivers(m map[string]*driver) []*driver {
	return sortedValues(m, func(d *driver) string { return d.key })
}

// sortedVolumes needs no sort: a volume's letter is one of driveNames, whose
// order is that of its first byte, so each volume has its slot.
func sortedVolumes(m map[string]*volume) []*volume {
	var at [len(driveNames)]*volume
	for _, v := range m {
		at[v.letter[0]-'A'] = v
	}
	out := make([]*volume, 0, len(m))
	for _, v := range at {
		if v != nil {
			out = append(out, v)
		}
	}
	return out
}

// sortedValues returns m's values in the order of key: the engine's maps
// walked in a fixed order, never map order.
func sortedValues[T any](m map[string]T, key func(T) string) []T {
	out := make([]T, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b T) int { return strings.Compare(key(a), key(b)) }) // keys are unique: no ties to order
	return out
}

// CDO returns a registered control device object by name, as Stack accepts
// names, and whether there is one.
func (e *Engine) CDO(name string) (CDOInfo, bool) { return e.AppendCDO(nil, name) }

// appendStackEnds appends a stack's devices, top first, to dst[:0], or, if
// it has more than limit of them, its top k and bottom k devices only, and
// returns how many it left out. It walks 2k devices at most: a listing after
// each verb must not cost time in proportion to a stack of 10,000 filters.
func appendStackEnds(dst []DeviceInfo, s *stack, limit, k int) ([]DeviceInfo, int) {
	if s.n <= limit || 2*k >= s.n {
		return appendStack(dst, s), 0
	}
	dst = dst[:0]
	d := s.top
	for i := 0; i < k; i++ {
		dst = append(dst, deviceInfo(d))
		d = d.below
	}
	d = s.bottom
	for i := 1; i < k; i++ {
		d = d.above
	}
	for ; d != nil; d = d.below {
		dst = append(dst, deviceInfo(d))
	}
	return dst, s.n - 2*k
}

// AppendVolumeEnds is AppendVolume for a listing that may leave out the
// middle of a deep stack: a stack of more than limit devices comes as its
// top k and bottom k devices, and Omitted says how many lie between them.
// It costs time in proportion to limit, not to the stack.
func (e *Engine) AppendVolumeEnds(buf []DeviceInfo, name string, limit, k int) (VolumeInfo, error) {
	v, err := e.knownVolume(name)
	if err != nil {
		return VolumeInfo{}, err
	}
	vi := newVolumeInfo(v)
	if v.vdo != nil {
		vi.FS = v.vdo.drv.lower
		vi.Stack, vi.Omitted = appendStackEnds(buf, v.vdo.st, limit, k)
	}
	return vi, nil
}

// AppendCDOEnds is AppendCDO as AppendVolumeEnds is AppendVolume.
func (e *Engine) AppendCDOEnds(buf []DeviceInfo, name string, limit, k int) (CDOInfo, bool) {
	c := e.lookupCDO(name)
	if c == nil {
		return CDOInfo{}, false
	}
	ci := newCDOInfo(c)
	ci.Stack, ci.Omitted = appendStackEnds(buf, c.st, limit, k)
	return ci, true
}

// newVolumeInfo is a volume's VolumeInfo without its stack.
func newVolumeInfo(v *volume) VolumeInfo {
	return VolumeInfo{Name: v.letter, Device: v.storage, Media: v.media, Format: v.format, Mounted: v.vdo != nil,
		RealDevice: v.realS, Vpb: v.vpbS}
}

// Synthetic addresses of objects that are not a driver's device objects
// (those start at addrBase): storage device objects, their VPBs and driver
// objects each have a range of their own below addrBase, so adding them
// moved no device's address.
const (
	storageBase = 0xffffa06000000000 // + media<<24 + number<<12
	vpbOffset   = 0x800              // the VPB, in the storage device's 4 KiB slot
	driverBase  = 0xffffa07000000000 // + (hash of the name & 0xffffff)<<12
)

// storageAddr is the address of a volume's storage device object: from its
// media and its number (\Device\HarddiskVolume2 is disk number 1, CdRom0
// cdrom number 0), the counter storage devices are named by.
func storageAddr(v *volume) uint64 {
	s := v.storage
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n := 0
	for _, c := range s[i:] {
		n = n*10 + int(c-'0')
	}
	if v.media == MediaDisk {
		n-- // HarddiskVolume numbers start at 1
	}
	return storageBase + uint64(v.media)<<24 + uint64(n+1)<<12
}

// driverAddr is a driver object's address. The engine keeps no load order
// for drivers, so it comes from the driver's name (FNV-1a, 24 bits): the
// same driver has the same address in every lab and after a reload.
func driverAddr(d *driver) uint64 {
	h := uint32(2166136261)
	for i := 0; i < len(d.key); i++ {
		h ^= uint32(d.key[i])
		h *= 16777619
	}
	return driverBase + uint64(h&0xffffff)<<12
}

// DriverObjectInfo is a driver object as WinDbg's !drvobj shows it.
type DriverObjectInfo struct {
	Addr   string // the driver object's address
	Driver string // \FileSystem\Ntfs
	Short  string // ntfs
	Filter bool
	// Devices are its device objects' addresses in the order of the
	// driver's device list: newest first, as IoCreateDevice inserts at the
	// head (deleted devices have left it).
	Devices []string
}

// DriverObject finds a loaded driver by its short name (ntfs, av, raw,
// fs_rec), case-insensitive, or by its object name (\FileSystem\Ntfs).
func (e *Engine) DriverObject(name string) (DriverObjectInfo, error) {
	key := strings.ToLower(name)
	key = strings.TrimPrefix(key, `\filesystem\`)
	d := e.drivers[key]
	if d == nil {
		return DriverObjectInfo{}, fail(ErrNoSuchDevice, "no driver object named %s: name a loaded file system or filter, like ntfs, raw or \\FileSystem\\Ntfs", Quote(name))
	}
	di := DriverObjectInfo{Addr: hex16(driverAddr(d)), Driver: d.String(), Short: d.key, Filter: d.isFilter()}
	for x := d.devs; x != nil; x = x.nextDev {
		di.Devices = append(di.Devices, x.Addr())
	}
	return di, nil
}

// DriverNames lists every loaded driver's short name, RAW included, sorted.
func (e *Engine) DriverNames() []string {
	out := make([]string, 0, len(e.drivers))
	for _, d := range sortedDrivers(e.drivers) {
		out = append(out, d.key)
	}
	return out
}
