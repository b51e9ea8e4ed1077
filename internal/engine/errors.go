package engine

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the engine returns wraps exactly one of them,
// so callers and tests check conditions with errors.Is, never by text.
var (
	ErrBadName           = errors.New("bad name")
	ErrBadValue          = errors.New("bad value")
	ErrBadOption         = errors.New("bad option")
	ErrFSRegistered      = errors.New("file system already registered")
	ErrFSNotRegistered   = errors.New("file system not registered")
	ErrRawBuiltin        = errors.New("RAW is built in")
	ErrFSInUse           = errors.New("file system has mounted volumes")
	ErrFilterIsNotFS     = errors.New("a filter must never register as a file system")
	ErrNameTaken         = errors.New("name already used")
	ErrFilterLoaded      = errors.New("filter already loaded")
	ErrFilterNotLoaded   = errors.New("filter not loaded")
	ErrAlreadyRegistered = errors.New("notification routine already registered")
	ErrAlreadyAttached   = errors.New("filter already attached")
	ErrNotAttached       = errors.New("filter not attached")
	ErrNotMounted        = errors.New("volume not mounted")
	ErrAlreadyMounted    = errors.New("volume already mounted")
	ErrMediaMismatch     = errors.New("volume media cannot change")
	ErrNoSuchDevice      = errors.New("no such device")
	ErrNotBootState      = errors.New("not in the boot state")
	ErrUnloadDeferred    = errors.New("unload deferred")
	ErrNotOnProfile      = errors.New("not on this OS profile")
	ErrBlockedByPolicy   = errors.New("blocked by policy")
	ErrBadAltitude       = errors.New("bad altitude")
	ErrAltitudeCollision = errors.New("altitude collision")
	ErrFltMgrNotLoaded   = errors.New("filter manager not loaded")
	ErrFltMgr            = errors.New("filter manager is not a legacy filter to command")
	ErrMiniLoaded        = errors.New("minifilter already loaded")
	ErrMiniNotLoaded     = errors.New("minifilter not loaded")
	ErrDetachRefused     = errors.New("instance detach refused")
	ErrWrongFrame        = errors.New("altitude outside the minifilter's frame")
)

// ErrorKind names a sentinel for people: a scenario line "! [not-mounted] ..."
// expects a refusal of that kind.
type ErrorKind struct {
	Name string
	Err  error
}

// ErrorKinds lists the engine's sentinels with their names.
var ErrorKinds = []ErrorKind{
	{"bad-name", ErrBadName},
	{"bad-value", ErrBadValue},
	{"bad-option", ErrBadOption},
	{"fs-registered", ErrFSRegistered},
	{"fs-not-registered", ErrFSNotRegistered},
	{"raw-builtin", ErrRawBuiltin},
	{"fs-in-use", ErrFSInUse},
	{"filter-is-not-fs", ErrFilterIsNotFS},
	{"name-taken", ErrNameTaken},
	{"filter-loaded", ErrFilterLoaded},
	{"filter-not-loaded", ErrFilterNotLoaded},
	{"already-registered", ErrAlreadyRegistered},
	{"already-attached", ErrAlreadyAttached},
	{"not-attached", ErrNotAttached},
	{"not-mounted", ErrNotMounted},
	{"already-mounted", ErrAlreadyMounted},
	{"media-mismatch", ErrMediaMismatch},
	{"no-such-device", ErrNoSuchDevice},
	{"not-boot-state", ErrNotBootState},
	{"unload-deferred", ErrUnloadDeferred},
	{"not-on-profile", ErrNotOnProfile},
	{"blocked-by-policy", ErrBlockedByPolicy},
	{"bad-altitude", ErrBadAltitude},
	{"altitude-collision", ErrAltitudeCollision},
	{"fltmgr-not-loaded", ErrFltMgrNotLoaded},
	{"fltmgr", ErrFltMgr},
	{"minifilter-loaded", ErrMiniLoaded},
	{"minifilter-not-loaded", ErrMiniNotLoaded},
	{"detach-refused", ErrDetachRefused},
	{"wrong-frame", ErrWrongFrame},
}

// Error is an engine refusal: a message for people, the sentinel it stands
// for, and the NTSTATUS a driver would have seen, if any.
type Error struct {
	Kind   error
	Status Status
	Msg    string
}

func (e *Error) Error() string {
	if e.Status != StatusSuccess {
		return fmt.Sprintf("%s (%s)", e.Msg, e.Status)
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Kind }

func fail(kind error, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

func failStatus(kind error, st Status, format string, args ...any) error {
	return &Error{Kind: kind, Status: st, Msg: fmt.Sprintf(format, args...)}
}

// StatusOf returns the NTSTATUS carried by err, or StatusSuccess.
func StatusOf(err error) Status {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return StatusSuccess
}
