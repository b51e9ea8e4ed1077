package engine

import "strings"

// Major is an IRP major function.
type Major uint8

// The major functions fssim sends. The first six are what `io` sends to a
// volume; IRP_MJ_FILE_SYSTEM_CONTROL carries mounts, the recognizer's load
// request and FSCTL_DISMOUNT_VOLUME.
const (
	MjCreate Major = iota
	MjRead
	MjWrite
	MjCleanup
	MjClose
	MjQueryInformation
	MjFileSystemControl
	numMajors
)

var majorNames = [...]string{"IRP_MJ_CREATE", "IRP_MJ_READ", "IRP_MJ_WRITE", "IRP_MJ_CLEANUP", "IRP_MJ_CLOSE",
	"IRP_MJ_QUERY_INFORMATION", "IRP_MJ_FILE_SYSTEM_CONTROL"}

// ioNames are the words a user types for the majors io sends, in order.
var ioNames = [...]string{"create", "read", "write", "cleanup", "close", "query"}

func (m Major) String() string {
	if int(m) < len(majorNames) {
		return majorNames[m]
	}
	return "?"
}

// Word is the major as `io` and `--fail` take it: create, read, ...
func (m Major) Word() string {
	if int(m) < len(ioNames) {
		return ioNames[m]
	}
	return ""
}

// IoOps lists the words io and --fail take, in order.
func IoOps() []string { return ioNames[:] }

// ParseMajor reads one of IoOps.
func ParseMajor(s string) (Major, error) {
	for i, n := range ioNames {
		if strings.EqualFold(s, n) {
			return Major(i), nil
		}
	}
	return 0, fail(ErrBadValue, "unknown operation %s (want %s)", Quote(s), strings.Join(ioNames[:], ", "))
}

// majors is a set of major functions.
type majors uint16

func (m majors) has(x Major) bool { return m&(1<<x) != 0 }

// irp is an I/O request packet on its way down a stack.
type irp struct {
	major Major
	minor string // IRP_MN_MOUNT_VOLUME, IRP_MN_LOAD_FILE_SYSTEM, FSCTL_DISMOUNT_VOLUME; "" for io
	// quiet: trace the completion routines only if the IRP succeeded. A
	// failed mount request's completions attach nothing, so the trace
	// leaves them out.
	quiet bool
	// report: list who dispatched the IRP and whose completions ran, in
	// the IrpResult (io's JSON); a mount or dismount does not need it.
	report bool
}

// name is how the trace names the request: its minor function or FSCTL
// if it has one, else its major function.
func (p *irp) name() string {
	if p.minor != "" {
		return p.minor
	}
	return p.major.String()
}

// IrpResult is what became of an IRP: which drivers dispatched it, top
// down (the one that completed it last), which completed it with what
// status, and whose completion routines ran, in the order they ran. Names
// are drivers' short names in lower case.
type IrpResult struct {
	Irp         string
	Stack       string
	Down        []string
	CompletedBy string
	Status      Status
	Up          []string
}

// dispatch is IoCallDriver on the top of s, and the one path every IRP
// takes (MODEL rules 15 to 17, 19 and 24): each filter device, top down,
// passes the IRP down, setting a completion routine, or, if its driver was
// told to fail this major function (filter load --fail), completes it
// itself with STATUS_ACCESS_DENIED, so the devices below never see it. The
// stack's CDO or VDO answers through bottom. Then the completion routines
// of the devices above the one that completed run back up, lowest first.
// completed, if not nil, is each filter's completion routine: the mount path
// attaches to the new volume there. It is a parameter rather than a field of
// irp so that the compiler keeps the mount's closure on the stack: the IRP's
// strings go into payloads, and escape analysis would send every pointer in
// the irp to the heap with them (two allocations a mount).
func (e *Engine) dispatch(s *stack, p *irp, bottom func() Status, completed func(d *device, st Status)) IrpResult {
	res := IrpResult{Irp: p.name(), Stack: s.key()}
	var by *device
	byInst := -1 // the instance of by that completed the IRP in its pre-operation callback
	for d := s.top; by == nil; d = d.below {
		if p.report {
			res.Down = append(res.Down, d.drv.lower)
		}
		switch {
		case d == s.bottom:
			by, res.Status = d, bottom()
		case p.minor == "" && d.drv.failOps.has(p.major):
			by, res.Status = d, StatusAccessDenied
			e.t.status(StatusAccessDenied, FilterFails{Device: d.ref, Irp: p.name(), Major: p.major})
			var below []*DeviceRef
			for x := d.below; x != nil; x = x.below {
				below = append(below, x.ref)
			}
			e.t.op(KindSkip, NeverSaw{Below: below, Irp: p.name()})
		default:
			// A FltMgr frame calls its instances' pre-operation
			// callbacks, highest altitude first, then passes the IRP on,
			// unless one of them completes it (FLT_PREOP_COMPLETE).
			for i, in := range d.inst {
				if p.report {
					res.Down = append(res.Down, in.label())
				}
				e.t.op(KindCallback, PreOp{FrameDevice: d.ref, Driver: in.mf.short, Irp: p.name(), Altitude: in.alt.String()})
				if p.minor == "" && in.mf.completeOps.has(p.major) {
					by, res.Status, byInst = d, StatusAccessDenied, i
					e.t.status(StatusAccessDenied, PreOpComplete{FrameDevice: d.ref, Driver: in.mf.short, Irp: p.name(), Altitude: in.alt.String()})
					var below []*DeviceRef
					var lower []string
					for _, x := range d.inst[i+1:] {
						lower = append(lower, x.mf.short+"@"+x.alt.String())
					}
					for x := d.below; x != nil; x = x.below {
						below = append(below, x.ref)
					}
					e.t.op(KindSkip, NeverSaw{Lower: lower, Below: below, Irp: p.name()})
					break
				}
			}
			if by == nil {
				e.t.op(KindIrp, d.passDown(p.name()))
			}
		}
	}
	res.CompletedBy = by.drv.lower
	if byInst >= 0 {
		res.CompletedBy = by.inst[byInst].label()
	}
	if (by.above == nil && byInst <= 0) || (p.quiet && res.Status != StatusSuccess) {
		return res
	}
	e.t.op(KindIrp, Completion{Stack: s.key()})
	e.t.in()
	if byInst > 0 {
		// The post-operation callbacks of the instances above the one
		// that completed it, in its frame, run first, lowest first.
		e.postOps(by, byInst, p, &res)
	}
	for d := by.above; d != nil; d = d.above {
		if p.report {
			res.Up = append(res.Up, d.drv.lower)
		}
		if completed != nil {
			completed(d, res.Status)
			continue
		}
		e.t.op(KindCallback, CompletionRoutine{Device: d.ref, Irp: p.name(), Status: res.Status})
		if len(d.inst) > 0 {
			e.t.in()
			e.postOps(d, len(d.inst), p, &res)
			e.t.out()
		}
	}
	e.t.out()
	return res
}

// postOps is a frame's completion calling the post-operation callbacks of
// its instances above index n, in reverse: lowest altitude first.
func (e *Engine) postOps(d *device, n int, p *irp, res *IrpResult) {
	for i := n - 1; i >= 0; i-- {
		in := d.inst[i]
		if p.report {
			res.Up = append(res.Up, in.label())
		}
		e.t.op(KindCallback, PostOp{FrameDevice: d.ref, Driver: in.mf.short, Irp: p.name(), Altitude: in.alt.String(), Status: res.Status})
	}
}

// SendIo sends an IRP of major function m for target, a volume with an
// optional path (C: or C:\dir\file), to the top of the volume's stack, as
// the I/O manager does for an open file object of that volume, and traces
// its way down and back up. It changes nothing in the lab.
func (e *Engine) SendIo(m Major, target string) (IrpResult, []Event, error) {
	if m >= MjFileSystemControl {
		return IrpResult{}, nil, fail(ErrBadValue, "io sends %s only", strings.Join(ioNames[:], ", "))
	}
	vol, path := target, ""
	if i := strings.IndexByte(target, '\\'); i >= 0 {
		vol, path = target[:i], target[i:]
	}
	if !validPath(path) {
		return IrpResult{}, nil, fail(ErrBadName, "bad path %s: write VOLUME or VOLUME\\path, like C: or C:\\dir\\file.txt, with printable characters", Quote(target))
	}
	v, err := e.mountedVolume(vol)
	if err != nil {
		return IrpResult{}, nil, err
	}
	s := v.vdo.st
	// A view: its events are numbered after the lab's, and the numbers are
	// given back, so sending I/O leaves the lab as it was (Dump included),
	// unless it is the first operation on a newly mounted volume FltMgr
	// is on: then FltMgr's instance setup runs first (rule 27), which
	// changes the lab (SetupRan says so).
	seq := e.t.seq
	e.setupRan = e.runPending(v, m.String())
	if !e.setupRan {
		defer func() { e.t.seq = seq }()
	}
	e.t.op(KindIrp, IoSend{Major: m, Target: v.letter + path, Volume: v.letter, Top: s.top.ref})
	e.t.in()
	res := e.dispatch(s, &irp{major: m, report: true}, func() Status {
		e.t.status(StatusSuccess, Completes{VDO: v.vdo.ref, Irp: m.String()})
		return StatusSuccess
	}, nil)
	e.t.out()
	e.t.status(res.Status, IoDone{Irp: m.String()})
	res.Stack, res.Irp = v.letter, m.String()
	return res, e.t.take(), nil
}

// SetupRan reports whether the last SendIo ran a pending instance setup,
// and so changed the lab.
func (e *Engine) SetupRan() bool { return e.setupRan }

// IoPath is the path part of an io target ("C:\x" gives `\x`), or "".
func IoPath(target string) string {
	if i := strings.IndexByte(target, '\\'); i >= 0 {
		return target[i:]
	}
	return ""
}

// validPath reports whether p is empty or a backslash path of printable
// characters without quotes, at most 260 bytes (MAX_PATH).
func validPath(p string) bool {
	if p == "" {
		return true
	}
	if len(p) > 260 || p[0] != '\\' {
		return false
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f || r == '"' || (r >= 0x80 && r < 0xa0) || r == '\uFFFD' {
			return false
		}
	}
	return true
}

// words lists the operations in m, comma-separated: "create,read".
func (m majors) words() string {
	var out []string
	for x := Major(0); x < MjFileSystemControl; x++ {
		if m.has(x) {
			out = append(out, x.Word())
		}
	}
	return strings.Join(out, ",")
}
