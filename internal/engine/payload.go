package engine

// The payloads of events: one type per Op, each with exactly the fields its
// Op sets, so that a renderer, explain, JSON and tests read them by name and
// the compiler refuses a field an Op does not have (pebble's FlushInfo,
// CompactionInfo). A device is a *DeviceRef, a driver its name as Windows
// spells it (\FileSystem\<Driver>). event.go says how to add an Op.

// Family is the group of Ops an Op belongs to: its block of constants in
// event.go, and its function in the renderer.
type Family uint8

const (
	FamilySession    Family = iota // resets, profiles, the policy, driver entry points
	FamilyFileSystem               // file systems, the recognizer, notification routines
	FamilyCallback                 // registration-change callbacks and enumeration
	FamilyAttach                   // attaching, detaching, deleting devices
	FamilyMount                    // mounting and dismounting
	FamilyIrp                      // IRPs on their way down and back up
	FamilyFltMgr                   // Filter Manager and minifilters
	NumFamilies
)

// Family is o's family, by the block of constants it is in: an Op added at
// the end of its block needs nothing here.
func (o Op) Family() Family {
	switch {
	case o < OpRegisterFS:
		return FamilySession
	case o < OpCallback:
		return FamilyFileSystem
	case o < OpAttach:
		return FamilyCallback
	case o < OpReformatted:
		return FamilyAttach
	case o < OpPassDown:
		return FamilyMount
	case o < OpFrameCreate:
		return FamilyIrp
	}
	return FamilyFltMgr
}

// Payload is an event's typed data. Its dynamic type is one of the types
// below; Op says which Op it is the payload of.
type Payload interface {
	Op() Op
}

// Session.

// Reset: the lab is back in its boot state on Profile.
type Reset struct{ Profile Profile }

// ProfileSame: the profile asked for is the one in use.
type ProfileSame struct{ Profile Profile }

// ProfileSet: the lab rebooted on Profile.
type ProfileSet struct{ Profile Profile }

// W2KNoReplay: Windows 2000's registration does not replay.
type W2KNoReplay struct{}

// W2KEx: what Profile, a Windows 2000 one, has of the routines the SP4
// Update Rollup added (the Ex variant, which replays, enumeration, the Safe
// attach): none as shipped, all three with the rollup.
type W2KEx struct{ Profile Profile }

// XPReplays: the registration replays every file system but RAW.
type XPReplays struct{}

// HasMountAware: the profile has IoRegisterFsRegistrationChangeMountAware.
type HasMountAware struct{}

// HasBlockPolicy: the profile has the IoBlockLegacyFsFilters policy.
type HasBlockPolicy struct{}

// PolicySame: the policy is already as asked.
type PolicySame struct{ On bool }

// PolicySet: the policy is now On.
type PolicySet struct{ On bool }

// PolicyRegistry: the registry value behind the policy.
type PolicyRegistry struct{ On bool }

// PolicyKept: the policy stays on across a reset.
type PolicyKept struct{}

// DriverEntry: a driver's DriverEntry runs.
type DriverEntry struct{ Driver string }

// FSUnloads: a file system unloads.
type FSUnloads struct{ Driver string }

// DriverUnload: a driver's DriverUnload runs.
type DriverUnload struct{ Driver string }

// File systems and the recognizer.

// QueuePlace is where IoRegisterFileSystem puts a CDO in its queue.
type QueuePlace uint8

const (
	QueueHead      QueuePlace = iota // at the head (the usual case)
	QueueBeforeEnd                   // low priority: just before the last entry
	QueueEmpty                       // low priority, into an empty queue
)

// RegisterFS: IoRegisterFileSystem(CDO). Before names the queue's last
// entry when Place is QueueBeforeEnd.
type RegisterFS struct {
	CDO    *DeviceRef
	Place  QueuePlace
	Before string
}

// NetworkNoMount: a network file system's CDO gets no mount requests.
type NetworkNoMount struct{ CDO *DeviceRef }

// UnregisterFS: IoUnregisterFileSystem(CDO).
type UnregisterFS struct{ CDO *DeviceRef }

// RecLoaded: Driver, a file system, is loaded already, so fs_rec registers
// no recognizer for it.
type RecLoaded struct{ Driver string }

// RecNothing: fs_rec registers nothing.
type RecNothing struct{}

// LoadFSIrp: IRP_MN_LOAD_FILE_SYSTEM to the recognizer CDO's stack, whose
// top is Top.
type LoadFSIrp struct{ Recognizer, Top *DeviceRef }

// ZwLoadDriver: the recognizer loads Driver, a file system's service.
type ZwLoadDriver struct{ Driver string }

// NameCollision (status): Driver's DriverEntry fails because Owner, a CDO
// of another driver, has its CDO's name.
type NameCollision struct {
	Driver string
	Owner  *DeviceRef
}

// Transparent: Partner, a recognizer whose partner Loaded has loaded its
// file system, turns transparent.
type Transparent struct{ Partner, Loaded *DeviceRef }

// PartnerLoaded: Recognizer's partner has loaded Driver already.
type PartnerLoaded struct {
	Recognizer *DeviceRef
	Driver     string
}

// RecStays: Recognizer stays a device of fs_rec, unregistered.
type RecStays struct{ Recognizer *DeviceRef }

// RecTransparent (status): Recognizer, transparent since its partner loaded
// Driver, answers a mount.
type RecTransparent struct {
	Recognizer *DeviceRef
	Driver     string
}

// RecRecognizes (status): Recognizer recognizes a volume of Driver, whose
// driver is not loaded.
type RecRecognizes struct {
	Recognizer *DeviceRef
	Driver     string
}

// Answer is OpStatus's payload: the status a device (By, if named) or a
// routine answered with.
type Answer struct{ By *DeviceRef }

// NotifyStale: Driver is unloaded but its routine is still registered.
type NotifyStale struct{ Driver string }

// OpenByName: Driver opens RAW's CDO by name.
type OpenByName struct {
	CDO    *DeviceRef
	Driver string
}

// LateRegister: a running Driver registers its routine, the Ex variant if
// Ex.
type LateRegister struct {
	Driver string
	Ex     bool
}

// RegisterNotify: Driver registers its routine: the Ex variant if Ex, the
// MountAware one with SynchronizeWithMounts=TRUE if MountAware.
type RegisterNotify struct {
	Driver         string
	Ex, MountAware bool
}

// MountLock: a mount-aware registration takes the mount lock before its
// replay.
type MountLock struct{ Driver string }

// MountUnlock: ... and releases it after.
type MountUnlock struct{ Driver string }

// RegisteredTimes: Driver's routine now has Times entries.
type RegisteredTimes struct {
	Driver string
	Times  int
}

// W2KNoReplayFor: Windows 2000 replays nothing to Driver.
type W2KNoReplayFor struct{ Driver string }

// ReplayNone: there is nothing to replay.
type ReplayNone struct{}

// Replay: the registration replays CDOs file systems.
type Replay struct{ CDOs int }

// NoNotify: Driver waits for user-mode commands.
type NoNotify struct{ Driver string }

// Callbacks and enumeration (the sfilter pattern).

// Callback: Driver!FsNotification(CDO, FsActive=Active).
type Callback struct {
	Driver string
	CDO    *DeviceRef
	Active bool
}

// NotAttachedCDO: Driver is not attached to CDO.
type NotAttachedCDO struct {
	Driver string
	CDO    *DeviceRef
}

// SkipTape: a filter skips CDO, a tape file system's.
type SkipTape struct{ CDO *DeviceRef }

// SkipRecognizer: a filter skips CDO, a recognizer's.
type SkipRecognizer struct{ CDO *DeviceRef }

// SkipAttachedCDO: Driver is already attached to CDO.
type SkipAttachedCDO struct {
	Driver string
	CDO    *DeviceRef
}

// EnumMissed: Driver cannot enumerate, so Volumes stay unfiltered: the
// profile has no IoEnumerateDeviceObjectList if NoAPI (Windows 2000), else
// the filter was loaded with --no-enumerate.
type EnumMissed struct {
	Driver  string
	NoAPI   bool
	Volumes []string
}

// Enumerate: IoEnumerateDeviceObjectList of Driver, a file system, finds
// VDOs volume devices.
type Enumerate struct {
	Driver string
	VDOs   int
}

// EnumSkipType: the enumeration of CDO skips VDO, of another type.
type EnumSkipType struct{ VDO, CDO *DeviceRef }

// EnumSkipHas: the enumeration skips VDO, attached already.
type EnumSkipHas struct{ VDO *DeviceRef }

// Attaching and detaching.

// Attach: Device attaches to the stack whose bottom is Bottom and lands on
// LandedOn, with IoAttachDeviceToDeviceStackSafe if Safe; Origin says how
// it got there.
type Attach struct {
	Device, LandedOn, Bottom *DeviceRef
	Safe                     bool
	Origin                   Origin
}

// Detach: IoDetachDevice(Below): Device leaves its stack.
type Detach struct{ Device, Below *DeviceRef }

// StaysAttached: Above stays attached to Leaving, which leaves its place
// above Below.
type StaysAttached struct{ Above, Leaving, Below *DeviceRef }

// DeleteDevice: IoDeleteDevice(Device).
type DeleteDevice struct{ Device *DeviceRef }

// FastIoDetach: FastIoDetachDevice(Device, Deleted) tells Device that the
// device it was attached to is deleted.
type FastIoDetach struct{ Device, Deleted *DeviceRef }

// UnsafeUnload: a legacy filter cannot be unloaded safely.
type UnsafeUnload struct{}

// UnregNotify: Driver unregisters its routine.
type UnregNotify struct{ Driver string }

// UnregOneEntry: the unregistration removes one of Before entries.
type UnregOneEntry struct {
	Driver string
	Before int
}

// CommandAttach: a user-mode program asks Driver to attach to Volume.
type CommandAttach struct{ Driver, Volume string }

// AlsoNotify: Driver, directed by commands, also registered a routine.
type AlsoNotify struct{ Driver string }

// CommandDetach: a user-mode program asks Driver to detach from Volume.
type CommandDetach struct{ Driver, Volume string }

// SkipAttachedTo: mount completion finds the filter on Volume already.
type SkipAttachedTo struct{ Volume string }

// Mounting and dismounting.

// Reformatted: Volume now holds Format ("" for no known format).
type Reformatted struct{ Volume, Format string }

// Remount: Volume was dismounted and mounts again.
type Remount struct{ Volume string }

// FirstAccess: the first access to Volume, on Storage of Media, holding
// Format ("" for no known format).
type FirstAccess struct {
	Volume, Storage string
	Media           Media
	Format          string
}

// MountScan: the mount request goes down Queue.
type MountScan struct{ Queue FsType }

// ScanRestart: the mount scan restarts from the head of Queue.
type ScanRestart struct{ Queue FsType }

// MountToCDO: the mount request goes to CDO's stack; Bare if nothing is
// attached to CDO.
type MountToCDO struct {
	CDO  *DeviceRef
	Bare bool
}

// Claim: CDO's file system recognizes What and claims Volume.
type Claim struct {
	CDO          *DeviceRef
	Volume, What string
}

// CreateVDO: the claiming file system creates VDO.
type CreateVDO struct{ VDO *DeviceRef }

// RawFix says how to have a volume that RAW claimed claimed by its own file
// system instead.
type RawFix uint8

const (
	RawFixNone      RawFix = iota // no built-in file system reads the format
	RawFixRegister                // FS is not loaded: register it
	RawFixElsewhere               // FS is loaded, but has no CDO in Queue
)

// RawHint says why RAW claimed Volume: RAW is alone in Queue (RawAlone), or
// nothing there recognizes Format; and, by Fix, how to have FS (FSShort as
// Windows spells it) claim it.
type RawHint struct {
	Volume      string
	Queue       FsType
	RawAlone    bool
	Format      string
	Fix         RawFix
	FS, FSShort string
}

// MountCompletion: Device's mount completion routine runs.
type MountCompletion struct{ Device *DeviceRef }

// Dismount: FSCTL_DISMOUNT_VOLUME on Volume, on Storage.
type Dismount struct{ Volume, Storage string }

// DismountMark (status): VDO's file system marks it dismounted.
type DismountMark struct{ VDO *DeviceRef }

// DismountDelete: VDO's file system deletes it.
type DismountDelete struct{ VDO *DeviceRef }

// StaysUnmounted: Volume, on Storage, stays dismounted.
type StaysUnmounted struct{ Volume, Storage string }

// IRPs on their way (the dispatcher).

// PassDown: Device, a filter device, passes Irp down.
type PassDown struct {
	Device *DeviceRef
	Irp    string
}

// FilterFails (status): Device completes Irp, of Major, itself.
type FilterFails struct {
	Device *DeviceRef
	Irp    string
	Major  Major
}

// NeverSaw: the instances Lower (NAME@ALTITUDE, below the one that
// completed Irp in its frame) and the devices Below never see Irp.
type NeverSaw struct {
	Lower []string
	Below []*DeviceRef
	Irp   string
}

// Completion: completion runs bottom-up through Stack.
type Completion struct{ Stack string }

// CompletionRoutine: Device's completion routine runs for Irp, which
// completed with Status.
type CompletionRoutine struct {
	Device *DeviceRef
	Irp    string
	Status Status
}

// IoSend: an IRP of Major for Target (a volume and path) goes to Top, the
// top of Volume's stack.
type IoSend struct {
	Major          Major
	Target, Volume string
	Top            *DeviceRef
}

// Completes (status): VDO completes Irp.
type Completes struct {
	VDO *DeviceRef
	Irp string
}

// IoDone (status): Irp returns to the caller.
type IoDone struct{ Irp string }

// Filter Manager and minifilters (fltmgr.go).

// FrameCreate: FltMgr creates Frame for altitudes Low to High. Legacy, if
// set, is the legacy filter (device LegacyDevice) above the top frame that
// made a new frame necessary.
type FrameCreate struct {
	Frame        int
	Low, High    string
	Legacy       string
	LegacyDevice *DeviceRef
}

// FltRegister: FltRegisterFilter of Driver at Altitude, in Group's range
// if Group is set.
type FltRegister struct{ Driver, Altitude, Group string }

// FrameChosen: Driver's Altitude lies in Frame, of altitudes Low to High.
type FrameChosen struct {
	Driver    string
	Frame     int
	Altitude  string
	Low, High string
}

// FltStart: FltStartFiltering of Driver, in Frame.
type FltStart struct {
	Driver string
	Frame  int
}

// NoAutoAttach: Driver was loaded with --no-auto.
type NoAutoAttach struct{ Driver string }

// NoVolumes: no volume has Driver's Frame yet.
type NoVolumes struct {
	Driver string
	Frame  int
}

// InstanceSetup: Driver's instance Instance at Altitude on Volume, in the
// frame device FrameDevice: by fltmc attach if Manual, else because Volume
// is NewlyMounted or automatically. Raw: RAW mounted the volume
// (FLT_FSTYPE_RAW).
type InstanceSetup struct {
	FrameDevice                        *DeviceRef
	Driver, Volume, Altitude, Instance string
	Manual, NewlyMounted, Raw          bool
}

// InstanceDown: Driver's instance Instance at Altitude leaves Volume's
// frame device FrameDevice, for Reason.
type InstanceDown struct {
	FrameDevice                        *DeviceRef
	Driver, Volume, Altitude, Instance string
	Reason                             TeardownReason
}

// FltUnregister: FltUnregisterFilter of Driver.
type FltUnregister struct{ Driver string }

// FltmcAttach: fltmc attach of Driver to Volume, at Altitude, as Instance.
type FltmcAttach struct{ Driver, Volume, Altitude, Instance string }

// FltmcDetach: fltmc detach of Driver's Instance from Volume.
type FltmcDetach struct{ Driver, Volume, Instance string }

// PreOp: in FrameDevice, Driver's pre-operation callback at Altitude for
// Irp.
type PreOp struct {
	FrameDevice           *DeviceRef
	Driver, Irp, Altitude string
}

// PostOp: in FrameDevice, Driver's post-operation callback at Altitude for
// Irp, which completed with Status.
type PostOp struct {
	FrameDevice           *DeviceRef
	Driver, Irp, Altitude string
	Status                Status
}

// FrameWiden: Driver's Altitude lies outside every frame's range, so FltMgr
// widens Frame from altitudes Low to OldHigh up to Altitude. NextLow is
// where the next frame starts, "" if none does.
type FrameWiden struct {
	Driver                          string
	Frame                           int
	Altitude, Low, OldHigh, NextLow string
}

// InstanceCollides (status): FltMgr refuses Driver's instance Instance at
// Altitude on Volume, in frame device FrameDevice, because Volume has
// Holder's instance HolderInstance at HolderAltitude.
type InstanceCollides struct {
	FrameDevice                            *DeviceRef
	Driver, Volume, Altitude, Instance     string
	Holder, HolderInstance, HolderAltitude string
}

// SetupPending: instance setup on Volume, newly mounted, waits for its
// first operation.
type SetupPending struct{ Volume string }

// SetupStillPending: Driver's instance on Volume waits with the rest.
type SetupStillPending struct{ Driver, Volume string }

// SetupRuns: FltMgr sees First, the first operation on Volume since it
// mounted, and runs the instance setup that waited.
type SetupRuns struct{ Volume, First string }

// SetupNone: the setup that waited made no instance on Volume.
type SetupNone struct{ Volume string }

// FilterUnloadCb: FltMgr calls Driver's FilterUnloadCallback.
type FilterUnloadCb struct{ Driver string }

// QueryTeardown (status): Driver's InstanceQueryTeardown for Instance on
// Volume, in frame device FrameDevice, before a manual detach.
type QueryTeardown struct {
	FrameDevice              *DeviceRef
	Driver, Volume, Instance string
}

// PreOpComplete (status): in FrameDevice, Driver's pre-operation callback
// at Altitude completes Irp itself (FLT_PREOP_COMPLETE).
type PreOpComplete struct {
	FrameDevice           *DeviceRef
	Driver, Irp, Altitude string
}

func (Reset) Op() Op             { return OpReset }
func (ProfileSame) Op() Op       { return OpProfileSame }
func (ProfileSet) Op() Op        { return OpProfileSet }
func (W2KNoReplay) Op() Op       { return OpW2KNoReplay }
func (W2KEx) Op() Op             { return OpW2KEx }
func (XPReplays) Op() Op         { return OpXPReplays }
func (HasMountAware) Op() Op     { return OpHasMountAware }
func (HasBlockPolicy) Op() Op    { return OpHasBlockPolicy }
func (PolicySame) Op() Op        { return OpPolicySame }
func (PolicySet) Op() Op         { return OpPolicySet }
func (PolicyRegistry) Op() Op    { return OpPolicyRegistry }
func (PolicyKept) Op() Op        { return OpPolicyKept }
func (DriverEntry) Op() Op       { return OpDriverEntry }
func (FSUnloads) Op() Op         { return OpFSUnloads }
func (DriverUnload) Op() Op      { return OpDriverUnload }
func (RegisterFS) Op() Op        { return OpRegisterFS }
func (NetworkNoMount) Op() Op    { return OpNetworkNoMount }
func (UnregisterFS) Op() Op      { return OpUnregisterFS }
func (RecLoaded) Op() Op         { return OpRecLoaded }
func (RecNothing) Op() Op        { return OpRecNothing }
func (LoadFSIrp) Op() Op         { return OpLoadFSIrp }
func (ZwLoadDriver) Op() Op      { return OpZwLoadDriver }
func (NameCollision) Op() Op     { return OpNameCollision }
func (Transparent) Op() Op       { return OpTransparent }
func (PartnerLoaded) Op() Op     { return OpPartnerLoaded }
func (RecStays) Op() Op          { return OpRecStays }
func (RecTransparent) Op() Op    { return OpRecTransparent }
func (RecRecognizes) Op() Op     { return OpRecRecognizes }
func (Answer) Op() Op            { return OpStatus }
func (NotifyStale) Op() Op       { return OpNotifyStale }
func (OpenByName) Op() Op        { return OpOpenByName }
func (LateRegister) Op() Op      { return OpLateRegister }
func (RegisterNotify) Op() Op    { return OpRegisterNotify }
func (MountLock) Op() Op         { return OpMountLock }
func (MountUnlock) Op() Op       { return OpMountUnlock }
func (RegisteredTimes) Op() Op   { return OpRegisteredTimes }
func (W2KNoReplayFor) Op() Op    { return OpW2KNoReplayFor }
func (ReplayNone) Op() Op        { return OpReplayNone }
func (Replay) Op() Op            { return OpReplay }
func (NoNotify) Op() Op          { return OpNoNotify }
func (Callback) Op() Op          { return OpCallback }
func (NotAttachedCDO) Op() Op    { return OpNotAttachedCDO }
func (SkipTape) Op() Op          { return OpSkipTape }
func (SkipRecognizer) Op() Op    { return OpSkipRecognizer }
func (SkipAttachedCDO) Op() Op   { return OpSkipAttachedCDO }
func (EnumMissed) Op() Op        { return OpEnumMissed }
func (Enumerate) Op() Op         { return OpEnumerate }
func (EnumSkipType) Op() Op      { return OpEnumSkipType }
func (EnumSkipHas) Op() Op       { return OpEnumSkipHas }
func (Attach) Op() Op            { return OpAttach }
func (Detach) Op() Op            { return OpDetach }
func (StaysAttached) Op() Op     { return OpStaysAttached }
func (DeleteDevice) Op() Op      { return OpDeleteDevice }
func (FastIoDetach) Op() Op      { return OpFastIoDetach }
func (UnsafeUnload) Op() Op      { return OpUnsafeUnload }
func (UnregNotify) Op() Op       { return OpUnregNotify }
func (UnregOneEntry) Op() Op     { return OpUnregOneEntry }
func (CommandAttach) Op() Op     { return OpCommandAttach }
func (AlsoNotify) Op() Op        { return OpAlsoNotify }
func (CommandDetach) Op() Op     { return OpCommandDetach }
func (SkipAttachedTo) Op() Op    { return OpSkipAttachedTo }
func (Reformatted) Op() Op       { return OpReformatted }
func (Remount) Op() Op           { return OpRemount }
func (FirstAccess) Op() Op       { return OpFirstAccess }
func (MountScan) Op() Op         { return OpMountScan }
func (ScanRestart) Op() Op       { return OpScanRestart }
func (MountToCDO) Op() Op        { return OpMountToCDO }
func (Claim) Op() Op             { return OpClaim }
func (CreateVDO) Op() Op         { return OpCreateVDO }
func (RawHint) Op() Op           { return OpRawHint }
func (MountCompletion) Op() Op   { return OpMountCompletion }
func (Dismount) Op() Op          { return OpDismount }
func (DismountMark) Op() Op      { return OpDismountMark }
func (DismountDelete) Op() Op    { return OpDismountDelete }
func (StaysUnmounted) Op() Op    { return OpStaysUnmounted }
func (PassDown) Op() Op          { return OpPassDown }
func (FilterFails) Op() Op       { return OpFilterFails }
func (NeverSaw) Op() Op          { return OpNeverSaw }
func (Completion) Op() Op        { return OpCompletion }
func (CompletionRoutine) Op() Op { return OpCompletionRoutine }
func (IoSend) Op() Op            { return OpIoSend }
func (Completes) Op() Op         { return OpCompletes }
func (IoDone) Op() Op            { return OpIoDone }
func (FrameCreate) Op() Op       { return OpFrameCreate }
func (FltRegister) Op() Op       { return OpFltRegister }
func (FrameChosen) Op() Op       { return OpFrameChosen }
func (FltStart) Op() Op          { return OpFltStart }
func (NoAutoAttach) Op() Op      { return OpNoAutoAttach }
func (NoVolumes) Op() Op         { return OpNoVolumes }
func (InstanceSetup) Op() Op     { return OpInstanceSetup }
func (InstanceDown) Op() Op      { return OpInstanceDown }
func (FltUnregister) Op() Op     { return OpFltUnregister }
func (FltmcAttach) Op() Op       { return OpFltmcAttach }
func (FltmcDetach) Op() Op       { return OpFltmcDetach }
func (PreOp) Op() Op             { return OpPreOp }
func (PostOp) Op() Op            { return OpPostOp }
func (FrameWiden) Op() Op        { return OpFrameWiden }
func (InstanceCollides) Op() Op  { return OpInstanceCollides }
func (SetupPending) Op() Op      { return OpSetupPending }
func (SetupStillPending) Op() Op { return OpSetupStillPending }
func (SetupRuns) Op() Op         { return OpSetupRuns }
func (SetupNone) Op() Op         { return OpSetupNone }
func (FilterUnloadCb) Op() Op    { return OpFilterUnloadCb }
func (QueryTeardown) Op() Op     { return OpQueryTeardown }
func (PreOpComplete) Op() Op     { return OpPreOpComplete }

// ops names each Op (for JSON and tests) and holds its payload's zero
// value, so that a test can check every Op has a type and words.
var ops = [numOps]struct {
	name string
	zero Payload
}{
	OpNone:              {"none", nil},
	OpReset:             {"reset", Reset{}},
	OpProfileSame:       {"profile-same", ProfileSame{}},
	OpProfileSet:        {"profile-set", ProfileSet{}},
	OpW2KNoReplay:       {"w2k-no-replay", W2KNoReplay{}},
	OpW2KEx:             {"w2k-ex", W2KEx{}},
	OpXPReplays:         {"xp-replays", XPReplays{}},
	OpHasMountAware:     {"has-mount-aware", HasMountAware{}},
	OpHasBlockPolicy:    {"has-block-policy", HasBlockPolicy{}},
	OpPolicySame:        {"policy-same", PolicySame{}},
	OpPolicySet:         {"policy-set", PolicySet{}},
	OpPolicyRegistry:    {"policy-registry", PolicyRegistry{}},
	OpPolicyKept:        {"policy-kept", PolicyKept{}},
	OpDriverEntry:       {"driver-entry", DriverEntry{}},
	OpFSUnloads:         {"fs-unloads", FSUnloads{}},
	OpDriverUnload:      {"driver-unload", DriverUnload{}},
	OpRegisterFS:        {"register-fs", RegisterFS{}},
	OpNetworkNoMount:    {"network-no-mount", NetworkNoMount{}},
	OpUnregisterFS:      {"unregister-fs", UnregisterFS{}},
	OpRecLoaded:         {"recognizer-loaded", RecLoaded{}},
	OpRecNothing:        {"recognizer-nothing", RecNothing{}},
	OpLoadFSIrp:         {"load-fs-irp", LoadFSIrp{}},
	OpZwLoadDriver:      {"zw-load-driver", ZwLoadDriver{}},
	OpNameCollision:     {"name-collision", NameCollision{}},
	OpTransparent:       {"transparent", Transparent{}},
	OpPartnerLoaded:     {"partner-loaded", PartnerLoaded{}},
	OpRecStays:          {"recognizer-stays", RecStays{}},
	OpRecTransparent:    {"recognizer-transparent", RecTransparent{}},
	OpRecRecognizes:     {"recognizer-recognizes", RecRecognizes{}},
	OpStatus:            {"status", Answer{}},
	OpNotifyStale:       {"notify-stale", NotifyStale{}},
	OpOpenByName:        {"open-by-name", OpenByName{}},
	OpLateRegister:      {"late-register", LateRegister{}},
	OpRegisterNotify:    {"register-notify", RegisterNotify{}},
	OpMountLock:         {"mount-lock", MountLock{}},
	OpMountUnlock:       {"mount-unlock", MountUnlock{}},
	OpRegisteredTimes:   {"registered-times", RegisteredTimes{}},
	OpW2KNoReplayFor:    {"w2k-no-replay-for", W2KNoReplayFor{}},
	OpReplayNone:        {"replay-none", ReplayNone{}},
	OpReplay:            {"replay", Replay{}},
	OpNoNotify:          {"no-notify", NoNotify{}},
	OpCallback:          {"callback", Callback{}},
	OpNotAttachedCDO:    {"not-attached-cdo", NotAttachedCDO{}},
	OpSkipTape:          {"skip-tape", SkipTape{}},
	OpSkipRecognizer:    {"skip-recognizer", SkipRecognizer{}},
	OpSkipAttachedCDO:   {"skip-attached-cdo", SkipAttachedCDO{}},
	OpEnumMissed:        {"enumerate-missed", EnumMissed{}},
	OpEnumerate:         {"enumerate", Enumerate{}},
	OpEnumSkipType:      {"enumerate-skip-type", EnumSkipType{}},
	OpEnumSkipHas:       {"enumerate-skip-attached", EnumSkipHas{}},
	OpAttach:            {"attach", Attach{}},
	OpDetach:            {"detach", Detach{}},
	OpStaysAttached:     {"stays-attached", StaysAttached{}},
	OpDeleteDevice:      {"delete-device", DeleteDevice{}},
	OpFastIoDetach:      {"fast-io-detach", FastIoDetach{}},
	OpUnsafeUnload:      {"unsafe-unload", UnsafeUnload{}},
	OpUnregNotify:       {"unregister-notify", UnregNotify{}},
	OpUnregOneEntry:     {"unregister-one-entry", UnregOneEntry{}},
	OpCommandAttach:     {"command-attach", CommandAttach{}},
	OpAlsoNotify:        {"also-notify", AlsoNotify{}},
	OpCommandDetach:     {"command-detach", CommandDetach{}},
	OpSkipAttachedTo:    {"skip-attached-volume", SkipAttachedTo{}},
	OpReformatted:       {"reformatted", Reformatted{}},
	OpRemount:           {"remount", Remount{}},
	OpFirstAccess:       {"first-access", FirstAccess{}},
	OpMountScan:         {"mount-scan", MountScan{}},
	OpScanRestart:       {"scan-restart", ScanRestart{}},
	OpMountToCDO:        {"mount-to-cdo", MountToCDO{}},
	OpClaim:             {"claim", Claim{}},
	OpCreateVDO:         {"create-vdo", CreateVDO{}},
	OpRawHint:           {"raw-hint", RawHint{}},
	OpMountCompletion:   {"mount-completion", MountCompletion{}},
	OpDismount:          {"dismount", Dismount{}},
	OpDismountMark:      {"dismount-mark", DismountMark{}},
	OpDismountDelete:    {"dismount-delete", DismountDelete{}},
	OpStaysUnmounted:    {"stays-unmounted", StaysUnmounted{}},
	OpPassDown:          {"pass-down", PassDown{}},
	OpFilterFails:       {"filter-fails", FilterFails{}},
	OpNeverSaw:          {"never-saw", NeverSaw{}},
	OpCompletion:        {"completion", Completion{}},
	OpCompletionRoutine: {"completion-routine", CompletionRoutine{}},
	OpIoSend:            {"io-send", IoSend{}},
	OpCompletes:         {"completes", Completes{}},
	OpIoDone:            {"io-done", IoDone{}},
	OpFrameCreate:       {"frame-create", FrameCreate{}},
	OpFltRegister:       {"flt-register", FltRegister{}},
	OpFrameChosen:       {"frame-chosen", FrameChosen{}},
	OpFltStart:          {"flt-start", FltStart{}},
	OpNoAutoAttach:      {"no-auto-attach", NoAutoAttach{}},
	OpNoVolumes:         {"no-volumes", NoVolumes{}},
	OpInstanceSetup:     {"instance-setup", InstanceSetup{}},
	OpInstanceDown:      {"instance-teardown", InstanceDown{}},
	OpFltUnregister:     {"flt-unregister", FltUnregister{}},
	OpFltmcAttach:       {"fltmc-attach", FltmcAttach{}},
	OpFltmcDetach:       {"fltmc-detach", FltmcDetach{}},
	OpPreOp:             {"pre-op", PreOp{}},
	OpPostOp:            {"post-op", PostOp{}},
	OpFrameWiden:        {"frame-widen", FrameWiden{}},
	OpInstanceCollides:  {"instance-collides", InstanceCollides{}},
	OpSetupPending:      {"setup-pending", SetupPending{}},
	OpSetupStillPending: {"setup-still-pending", SetupStillPending{}},
	OpSetupRuns:         {"setup-runs", SetupRuns{}},
	OpSetupNone:         {"setup-none", SetupNone{}},
	OpFilterUnloadCb:    {"filter-unload-callback", FilterUnloadCb{}},
	OpQueryTeardown:     {"query-teardown", QueryTeardown{}},
	OpPreOpComplete:     {"pre-op-complete", PreOpComplete{}},
}

// String names the op in lower case with dashes, for JSON and tests.
func (o Op) String() string {
	if int(o) < len(ops) && ops[o].name != "" {
		return ops[o].name
	}
	return "?"
}

// Zero is the zero value of o's payload type, nil for OpNone and for a
// value that is no Op: what a test fills in to check that every Op has its
// words.
func (o Op) Zero() Payload {
	if int(o) < len(ops) {
		return ops[o].zero
	}
	return nil
}
