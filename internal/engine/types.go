package engine

import (
	"fmt"
	"strings"
)

// Profile is the Windows version whose I/O manager the engine plays. What
// the engine does differently on each is not tested by name: each profile
// is a row of Caps in one table, and the engine asks the capability.
type Profile int

// The profiles. Their numbers are stable (events carry them in N): XP is
// the zero value, the profile New starts on.
const (
	// XP is Windows XP SP2 and later: IoRegisterFsRegistrationChange replays
	// the registered file systems, and IoEnumerateDeviceObjectList and
	// IoAttachDeviceToDeviceStackSafe exist.
	XP Profile = iota
	// W2K is Windows 2000 as shipped: no replay, and none of
	// IoRegisterFsRegistrationChangeEx, IoEnumerateDeviceObjectList and
	// IoAttachDeviceToDeviceStackSafe, which all came with the SP4 Update
	// Rollup (rule 8).
	W2K
	// Win7 is Windows 7: XP's behaviour, and
	// IoRegisterFsRegistrationChangeMountAware (rule 10).
	Win7
	// Win10 is Windows 10 1607 and later: Windows 7's, and the
	// IoBlockLegacyFsFilters policy that can block legacy filters (rule 10).
	Win10
	// W2KSP4 is Windows 2000 SP4 with the Update Rollup: the three routines
	// exist; IoRegisterFsRegistrationChange still does not replay, and
	// sfilter still skips enumeration, since it tests the OS version
	// (IS_WINDOWSXP_OR_LATER), not the routine (rule 8).
	W2KSP4
	numProfiles
)

// Caps are the capabilities of a profile: the kernel routines and policies
// whose presence changes what a legacy filter sees (docs/model.md rules 7,
// 8, 10, 12 and 21).
type Caps struct {
	// Replay: IoRegisterFsRegistrationChange calls the new routine at once
	// for every registered file system but RAW (rule 7). Without it only
	// IoRegisterFsRegistrationChangeEx replays (rule 8).
	Replay bool
	// Enumerate: a callback finds the volumes a file system mounted earlier
	// with IoEnumerateDeviceObjectList (rule 12): the routine exists and
	// sfilter's OS-version test lets it call it (XP and later).
	Enumerate bool
	// Ex: IoRegisterFsRegistrationChangeEx exists (XP, and Windows 2000
	// with the SP4 Update Rollup), and it replays (rule 8).
	Ex bool
	// SafeAttach: IoAttachDeviceToDeviceStackSafe exists; without it sfilter
	// calls IoAttachDeviceToDeviceStack (rule 21).
	SafeAttach bool
	// MountAware: IoRegisterFsRegistrationChangeMountAware exists (rule 10).
	MountAware bool
	// BlockPolicy: the IoBlockLegacyFsFilters policy exists (rule 10).
	BlockPolicy bool
}

// profileRow is one profile: the name the os verb takes, the name a person
// gives it, and its capabilities.
type profileRow struct {
	name, title string
	caps        Caps
}

// profiles is the one table of profiles, indexed by Profile.
var profiles = [numProfiles]profileRow{
	W2K:    {"w2k", "Windows 2000", Caps{}},
	W2KSP4: {"w2ksp4", "Windows 2000 SP4 with Update Rollup 1", Caps{Ex: true, SafeAttach: true}},
	XP:     {"xp", "Windows XP and later", Caps{Replay: true, Enumerate: true, Ex: true, SafeAttach: true}},
	Win7:   {"win7", "Windows 7", Caps{Replay: true, Enumerate: true, Ex: true, SafeAttach: true, MountAware: true}},
	Win10:  {"win10", "Windows 10 1607 and later", Caps{Replay: true, Enumerate: true, Ex: true, SafeAttach: true, MountAware: true, BlockPolicy: true}},
}

// Profiles lists every profile in the order help shows them.
var Profiles = []Profile{XP, W2K, W2KSP4, Win7, Win10}

func (p Profile) row() profileRow {
	if p >= 0 && p < numProfiles {
		return profiles[p]
	}
	return profileRow{name: "?", title: "?"}
}

func (p Profile) String() string { return p.row().name }

// Title is the profile as a person names it.
func (p Profile) Title() string { return p.row().title }

// Caps returns the profile's capabilities.
func (p Profile) Caps() Caps { return p.row().caps }

// ProfileNames lists the profiles' names in the order help shows them.
func ProfileNames() []string {
	out := make([]string, len(Profiles))
	for i, p := range Profiles {
		out[i] = p.String()
	}
	return out
}

// ParseProfile reads a profile name.
func ParseProfile(s string) (Profile, error) {
	for _, p := range Profiles {
		if strings.EqualFold(s, p.String()) {
			return p, nil
		}
	}
	names := ProfileNames()
	return XP, fmt.Errorf("%w: unknown OS profile %q (want %s or %s)", ErrBadValue, s,
		strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}

// FsType is a file system device type, and so one of the four queues.
type FsType uint8

const (
	Disk FsType = iota
	CdRom
	Tape
	Network
	numQueues
)

// QueueOrder is the order in which queues are listed (MODEL.md rule 1).
var QueueOrder = []FsType{Disk, CdRom, Tape, Network}

// replayOrder is the order in which the XP replay walks the queues (rule 7,
// chosen as in ReactOS's IopNotifyAlreadyRegisteredFileSystems).
var replayOrder = []FsType{Network, CdRom, Disk, Tape}

func (t FsType) String() string {
	switch t {
	case Disk:
		return "disk"
	case CdRom:
		return "cdrom"
	case Tape:
		return "tape"
	case Network:
		return "network"
	}
	return "?"
}

// DeviceType is the FILE_DEVICE_* constant of a CDO, VDO or filter device
// object of this type.
func (t FsType) DeviceType() string {
	switch t {
	case Disk:
		return "FILE_DEVICE_DISK_FILE_SYSTEM"
	case CdRom:
		return "FILE_DEVICE_CD_ROM_FILE_SYSTEM"
	case Tape:
		return "FILE_DEVICE_TAPE_FILE_SYSTEM"
	}
	return "FILE_DEVICE_NETWORK_FILE_SYSTEM"
}

// ParseFsType reads a --type value.
func ParseFsType(s string) (FsType, error) {
	for _, t := range QueueOrder {
		if strings.EqualFold(s, t.String()) {
			return t, nil
		}
	}
	return Disk, fmt.Errorf("%w: unknown file system type %q (want disk, cdrom, network or tape)", ErrBadValue, s)
}

// Media is the kind of storage device under a volume. Each media kind is
// mounted from the queue of the matching FsType.
type Media uint8

const (
	MediaDisk Media = iota
	MediaCdRom
	MediaTape
)

func (m Media) String() string {
	switch m {
	case MediaCdRom:
		return "cdrom"
	case MediaTape:
		return "tape"
	}
	return "disk"
}

// Queue is the file-system queue that mounts volumes of this media.
func (m Media) Queue() FsType {
	switch m {
	case MediaCdRom:
		return CdRom
	case MediaTape:
		return Tape
	}
	return Disk
}

// storagePrefix names the storage volumes of this media; the first disk
// volume is HarddiskVolume1, the first CD-ROM CdRom0, as Windows numbers them.
func (m Media) storage(n int) string {
	switch m {
	case MediaCdRom:
		return fmt.Sprintf(`\Device\CdRom%d`, n)
	case MediaTape:
		return fmt.Sprintf(`\Device\Tape%d`, n)
	}
	return fmt.Sprintf(`\Device\HarddiskVolume%d`, n+1)
}

// defaultFormat is the format a volume of this media has when mount is given
// none: ntfs on disks, cdfs on CDs, nothing on tapes.
func (m Media) defaultFormat() string {
	switch m {
	case MediaCdRom:
		return "cdfs"
	case MediaTape:
		return ""
	}
	return "ntfs"
}

// ParseMedia reads a --media value.
func ParseMedia(s string) (Media, error) {
	for _, m := range []Media{MediaDisk, MediaCdRom, MediaTape} {
		if strings.EqualFold(s, m.String()) {
			return m, nil
		}
	}
	return MediaDisk, fmt.Errorf("%w: unknown media %q (want disk, cdrom or tape)", ErrBadValue, s)
}

// Role is what a device object is for.
type Role uint8

const (
	RoleCDO Role = iota
	RoleVDO
	RoleFilter
)

func (r Role) String() string {
	switch r {
	case RoleCDO:
		return "CDO"
	case RoleVDO:
		return "VDO"
	}
	return "filter"
}

// Origin says how a filter device object came to be in its stack.
type Origin uint8

const (
	// OriginNone is for CDOs and VDOs, which are the bottoms of stacks.
	OriginNone Origin = iota
	// OriginNotify: attached from the filter's registration-change callback,
	// to a CDO.
	OriginNotify
	// OriginEnumerate: attached while enumerating an already mounted volume
	// (IoEnumerateDeviceObjectList) in the callback.
	OriginEnumerate
	// OriginMount: attached in the completion of a mount request the filter
	// saw on a CDO's stack.
	OriginMount
	// OriginByName: attached to a RAW CDO opened by name (sfilter's way to
	// reach RAW, which the notification never reports).
	OriginByName
	// OriginCommand: attached because a user-mode program asked.
	OriginCommand
	// OriginFrame: a frame Filter Manager created for a minifilter, put at
	// the top of every stack its top frame was on (fltmgr.go).
	OriginFrame
)

func (o Origin) String() string {
	switch o {
	case OriginNotify:
		return "notify"
	case OriginEnumerate:
		return "enumerate"
	case OriginMount:
		return "mount"
	case OriginByName:
		return "by-name"
	case OriginCommand:
		return "command"
	case OriginFrame:
		return "new-frame"
	}
	return ""
}

// Status is an NTSTATUS value.
type Status uint32

// The NTSTATUS values the engine reports.
const (
	StatusSuccess              Status = 0x00000000
	StatusDeviceBusy           Status = 0x80000011
	StatusNoSuchDevice         Status = 0xC000000E
	StatusInvalidDeviceRequest Status = 0xC0000010
	StatusAccessDenied         Status = 0xC0000022
	StatusObjectNameNotFound   Status = 0xC0000034
	StatusObjectNameCollision  Status = 0xC0000035
	StatusDeviceAlreadyAttach  Status = 0xC0000038
	StatusNotSupported         Status = 0xC00000BB
	StatusImageAlreadyLoaded   Status = 0xC000010E
	StatusUnrecognizedVolume   Status = 0xC000014F
	StatusFsDriverRequired     Status = 0xC000019C
	StatusVolumeDismounted     Status = 0xC000026E
	StatusFltDoNotDetach       Status = 0xC01C0010
	StatusFltAltitudeCollision Status = 0xC01C0011
	StatusFltNameCollision     Status = 0xC01C0012
)

var statusNames = map[Status]string{
	StatusSuccess:              "STATUS_SUCCESS",
	StatusDeviceBusy:           "STATUS_DEVICE_BUSY",
	StatusNoSuchDevice:         "STATUS_NO_SUCH_DEVICE",
	StatusInvalidDeviceRequest: "STATUS_INVALID_DEVICE_REQUEST",
	StatusAccessDenied:         "STATUS_ACCESS_DENIED",
	StatusObjectNameNotFound:   "STATUS_OBJECT_NAME_NOT_FOUND",
	StatusObjectNameCollision:  "STATUS_OBJECT_NAME_COLLISION",
	StatusDeviceAlreadyAttach:  "STATUS_DEVICE_ALREADY_ATTACHED",
	StatusNotSupported:         "STATUS_NOT_SUPPORTED",
	StatusImageAlreadyLoaded:   "STATUS_IMAGE_ALREADY_LOADED",
	StatusUnrecognizedVolume:   "STATUS_UNRECOGNIZED_VOLUME",
	StatusFsDriverRequired:     "STATUS_FS_DRIVER_REQUIRED",
	StatusVolumeDismounted:     "STATUS_VOLUME_DISMOUNTED",
	StatusFltDoNotDetach:       "STATUS_FLT_DO_NOT_DETACH",
	StatusFltAltitudeCollision: "STATUS_FLT_INSTANCE_ALTITUDE_COLLISION",
	StatusFltNameCollision:     "STATUS_FLT_INSTANCE_NAME_COLLISION",
}

func (s Status) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return fmt.Sprintf("0x%08X", uint32(s))
}

// Failed reports whether the status is an error (NT_ERROR) or warning.
func (s Status) Failed() bool { return s>>30 >= 2 }
