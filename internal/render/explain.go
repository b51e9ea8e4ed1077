package render

import (
	"bytes"
	"io"
	"iter"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fssim/fssim/internal/engine"
)

// Origin is the verb whose events put a device in place, and where it came
// from: "lesson.fss:12", "-c:3", "the prompt". Empty when unknown.
type Origin struct {
	Verb, At string
}

// OriginOf finds the verb that traced an event, by the event's ID.
type OriginOf func(id int) Origin

// ExplainStack writes, for each device of a stack, top first, why it is
// there. With full set: the verb that put it there and where it came from,
// the chain of events from that verb to the attach (or claim, or
// registration), what it landed on, what attached above it since, and the
// MODEL rules. Without: a paragraph that fits a slide (explainShort). It
// streams: however deep the stack, it holds one device's story at a time.
func ExplainStack(w io.Writer, name string, whys iter.Seq[engine.Why], of OriginOf, th Theme, full bool) {
	b, end := begin(w)
	b.WriteString(th.Bold("why each device of "+name+" is there, top first") + "\n")
	for why := range whys {
		switch {
		case full:
			b.WriteByte('\n')
			explainDevice(b, why, of, th)
		case th.trace == TraceStacks:
			explainLine(b, why, of, th)
		default:
			b.WriteByte('\n')
			explainShort(b, why, of, th)
		}
		flushLong(b, w)
	}
	end()
}

// ShortWidth is the widest line of explain's short form: a slide's.
const ShortWidth = 100

// explainShort writes one device's story in at most three lines of at most
// ShortWidth columns: the device and how it got there, the verb that put it
// there and its line, and why in one sentence with its MODEL rules. It
// leaves out addresses and the chain of events (explain --full has them).
func explainShort(b sink, why engine.Why, of OriginOf, th Theme) {
	d := why.Device
	head := string(appendLongLabel(nil, d, true)) + "  " + d.Role.String()
	if h := how(engine.DeviceInfo{Role: d.Role, How: why.How}); h != "" {
		head += ", " + h
	}
	b.WriteString(th.Bold(clip(head, ShortWidth)) + "\n")
	if len(why.Chain) == 0 {
		b.WriteString("  built in: RAW registers its CDOs at boot, before anything else (" + rules(why.Rules) + ")\n")
		return
	}
	if o := of(why.Chain[0].ID); o.Verb != "" {
		at := "   (" + o.At + ")"
		b.WriteString("  " + th.Prompt(clip(o.Verb, ShortWidth-2-len(at))) + th.Dim(at) + "\n")
	} else {
		b.WriteString("  " + th.Dim("(a verb fssim no longer has a line for)") + "\n")
	}
	sentence, tail := shortWhy(why), ""
	if r := rules(why.Rules); r != "" {
		tail = " (" + r + ")"
	}
	room := ShortWidth - 2 - len(tail)
	if why.LandedOn != nil {
		on := ", on " + string(appendLabel(nil, why.LandedOn, true))
		if long := sentence + on + ", the top of the stack then"; len(long) <= room {
			sentence = long
		} else {
			sentence += on
		}
	}
	b.WriteString("  " + clip(sentence, room) + th.Dim(tail) + "\n")
}

// explainLine writes one device's story in one line, for trace stacks: the
// device, how it got there, the verb that put it there and its rules.
func explainLine(b sink, why engine.Why, of OriginOf, th Theme) {
	d := why.Device
	name := d.Driver
	if d.Role != engine.RoleFilter {
		name += " " + string(appendLabel(nil, d, true))
	}
	head := strings.TrimPrefix(name, `\FileSystem\`)
	if h := shortHow(engine.DeviceInfo{Role: d.Role, How: why.How}); h != "" {
		head += " (" + h + ")"
	}
	verb := "built in"
	if len(why.Chain) > 0 {
		verb = "?"
		if o := of(why.Chain[0].ID); o.Verb != "" {
			verb = o.Verb + " (" + o.At + ")"
		}
	}
	tail := ""
	if r := rules(why.Rules); r != "" {
		tail = "; " + r
	}
	b.WriteString(th.Bold(head) + ": " + clip(verb, max(ShortWidth-len(head)-2-len(tail), 10)) + th.Dim(tail) + "\n")
}

// shortWhy says in a few words what put a device where it is, by its role
// and how it got there.
func shortWhy(why engine.Why) string {
	d := why.Device
	switch d.Role {
	case engine.RoleCDO:
		return d.Driver + " created it in DriverEntry and registered it as a file system"
	case engine.RoleVDO:
		return d.Driver + " recognized " + d.Volume + " and claimed it with this VDO"
	}
	switch why.How {
	case engine.OriginNotify:
		return "its FsNotification routine attached it (FsActive=TRUE)"
	case engine.OriginEnumerate:
		return "its FsNotification routine attached it, enumerating the volumes"
	case engine.OriginMount:
		return "its mount completion attached it as the volume mounted"
	case engine.OriginByName:
		return "it opened the CDO by name (RAW is never reported) and attached"
	case engine.OriginCommand:
		return "a user-mode command told it to attach"
	case engine.OriginFrame:
		return "FltMgr created this frame for its minifilters' altitudes"
	}
	return "it attached"
}

// clip cuts s to at most n columns, ending it with "…" if it was longer.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n || n < 2 {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// streamChunk is how much of a long view is composed before it goes out.
const streamChunk = 64 << 10

// flushLong hands what b holds to w once it passes streamChunk, when b is a
// buffer of begin's rather than w itself, so that a long view goes out in
// pieces rather than growing whole in memory.
func flushLong(b sink, w io.Writer) {
	if buf, ok := b.(*bytes.Buffer); ok && any(b) != any(w) && buf.Len() >= streamChunk {
		w.Write(buf.Bytes())
		buf.Reset()
	}
}

// ExplainFilter writes why a filter is in a stack, as ExplainStack does
// for its device (in full or short), or in a sentence or two why it is not.
func ExplainFilter(w io.Writer, why *engine.Why, absent *engine.Absence, of OriginOf, th Theme, full bool) {
	b, end := begin(w)
	switch {
	case why != nil && full:
		explainDevice(b, *why, of, th)
	case why != nil:
		explainShort(b, *why, of, th)
	default:
		b.WriteString(AbsenceText(*absent, of, th.Brief()) + "\n")
	}
	end()
}

func explainDevice(b sink, why engine.Why, of OriginOf, th Theme) {
	d := why.Device
	head := string(appendLongLabel(nil, d, th.Brief())) + "  " + d.Role.String()
	if h := how(engine.DeviceInfo{Role: d.Role, How: why.How}); h != "" {
		head += ", " + h
	}
	b.WriteString(th.Bold(head) + "\n")
	if len(why.Chain) == 0 {
		b.WriteString("  built in: RAW registers its CDOs at boot, before anything else\n")
	} else {
		o := of(why.Chain[0].ID)
		switch {
		case o.Verb != "":
			b.WriteString("  " + th.Prompt(o.Verb) + th.Dim("   ("+o.At+")") + "\n")
		default:
			b.WriteString("  " + th.Dim("(a verb fssim no longer has a line for)") + "\n")
		}
		base := why.Chain[0].Depth
		var line []byte
		for _, e := range why.Chain {
			line = appendSpaces(line[:0], 4+2*(e.Depth-base))
			line = append(line, th.Event(e, EventText(e, th.Brief()))...)
			b.Write(append(line, '\n'))
		}
	}
	var facts []string
	if why.LandedOn != nil {
		facts = append(facts, "landed on "+string(appendLabel(nil, why.LandedOn, th.Brief()))+", the top of the stack then")
	}
	if len(why.Above) > 0 {
		var names []string
		for _, a := range why.Above {
			names = append(names, string(appendLabel(nil, a, th.Brief())))
		}
		if why.AboveTop != nil {
			// A deep stack: the lowest few, a count, and the top.
			more := "… " + strconv.Itoa(why.AboveN-len(why.Above)-1) + " more devices …"
			if why.AboveN-len(why.Above)-1 == 1 {
				more = "… 1 more device …"
			}
			names = append(names, more,
				string(appendLabel(nil, why.AboveTop, th.Brief()))+" ("+strconv.Itoa(why.AboveN)+" in all)")
		}
		facts = append(facts, "attached above it since: "+strings.Join(names, ", "))
	} else if d.Role == engine.RoleFilter {
		facts = append(facts, "nothing has attached above it since")
	}
	if len(facts) > 0 {
		b.WriteString("  " + strings.Join(facts, "; ") + "\n")
	}
	b.WriteString(th.Dim("  "+rules(why.Rules)) + "\n")
}

// rules names MODEL rules: "rule 22", "rules 15, 17, 21".
func rules(rs []int) string {
	if len(rs) == 0 {
		return ""
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = strconv.Itoa(r)
	}
	if len(rs) == 1 {
		return "rule " + parts[0]
	}
	return "rules " + strings.Join(parts, ", ")
}

// reasonNames name the reasons in JSON.
var reasonNames = map[engine.Reason]string{
	engine.ReasonNotLoaded: "not-loaded", engine.ReasonWaitsCommand: "waits-for-command",
	engine.ReasonCommandOnCDO: "command-filter-on-cdo", engine.ReasonTape: "tape",
	engine.ReasonRecognizer: "recognizer", engine.ReasonRawNotReported: "raw-not-reported",
	engine.ReasonW2KNoReplay: "w2k-no-replay", engine.ReasonLeft: "left",
	engine.ReasonNoEnumerate:    "no-enumerate",
	engine.ReasonW2KNoEnumerate: "w2k-no-enumerate", engine.ReasonRemount: "remount",
	engine.ReasonNotMounted: "not-mounted", engine.ReasonUnknown: "unknown",
}

// AbsenceText says in a sentence or two why a filter is not in a stack,
// ending with the MODEL rules it rests on.
func AbsenceText(a engine.Absence, of OriginOf, brief bool) string {
	f, s := a.Filter, a.Stack
	var why string
	switch a.Reason {
	case engine.ReasonNotLoaded:
		return f + " is not loaded, so it has no device anywhere (filter load " + f + ")."
	case engine.ReasonNotMounted:
		return s + " is not mounted, so it has no stack: mount " + s + " builds one. (" + rules(a.Rules) + ")"
	case engine.ReasonWaitsCommand:
		why = f + " did not register for notifications (no --notify): it waits for a user-mode command, and no command has told it to attach to " + s + " (filter attach " + f + " " + s + ")"
	case engine.ReasonCommandOnCDO:
		why = f + " did not register for notifications (no --notify), and only a notification routine attaches to a CDO; commands attach filters to volumes"
	case engine.ReasonTape:
		why = "sfilter attaches only to disk, CD-ROM and network file systems, and " + cdoOr(a, s) + " is a tape file system's"
	case engine.ReasonRecognizer:
		why = cdoOr(a, s) + " is a recognizer's CDO, and sfilter skips recognizers: it waits for the real file system to register"
	case engine.ReasonRawNotReported:
		why = "RAW is never reported to notification routines, and " + f + " did not open " + cdoOr(a, s) + " by name (filter load " + f + " --notify --attach-raw would)"
	case engine.ReasonW2KNoReplay:
		why = "on Windows 2000, IoRegisterFsRegistrationChange does not report file systems registered before the call, and " + f + " registered after " + cdoOr(a, s) + " did (IoRegisterFsRegistrationChangeEx would have reported it, but it exists only from the SP4 Update Rollup on: os w2ksp4, filter load --ex)"
	case engine.ReasonLeft:
		last := a.Left[len(a.Left)-1]
		why = f + " is no longer on " + s + "; it left at " + verbAt(a.Left, of) + ", by " + EventText(last, brief)
		if last.Op == engine.OpFastIoDetach && len(a.Rules) == 1 && a.Rules[0] == 23 {
			why += "; IoDetachDevice does not rejoin the stack, so each device above a departing one goes too"
		}
	case engine.ReasonRemount:
		why = f + " was on " + s + " until " + verbAt(a.Left, of) + "; " + s + " was mounted again with a new VDO, and a filter that waits for a command does not attach again by itself"
	case engine.ReasonNoEnumerate:
		why = f + " attached to " + a.Via + " after " + s + " was mounted, and with --no-enumerate its callback did not call IoEnumerateDeviceObjectList, so it missed " + s
	case engine.ReasonW2KNoEnumerate:
		why = f + " attached to " + a.Via + " after " + s + " was mounted, and on Windows 2000 sfilter never enumerates volumes mounted earlier: IoEnumerateDeviceObjectList came only with the SP4 Update Rollup, and sfilter tests the OS version, not the routine"
	default:
		why = "fssim cannot tell why: this is a gap in its explanations; please report the scenario"
	}
	if a.Via != "" && a.Reason != engine.ReasonNoEnumerate && a.Reason != engine.ReasonW2KNoEnumerate {
		why = f + " is not on " + a.Via + ", the CDO that mounted " + s + ", so it never saw the mount request: " + why
	}
	return why + ". (" + rules(a.Rules) + ")"
}

// verbAt names the verb at the root of a chain, and where it came from.
func verbAt(chain []engine.Event, of OriginOf) string {
	if len(chain) == 0 || of == nil {
		return "an earlier verb"
	}
	o := of(chain[0].ID)
	if o.Verb == "" {
		return "an earlier verb"
	}
	return o.Verb + " (" + o.At + ")"
}

// cdoOr is the CDO a reason is about: the one it came through, or the
// stack itself.
func cdoOr(a engine.Absence, s string) string {
	if a.Via != "" {
		return a.Via
	}
	return s
}

// JSONExplainStack writes ExplainStack's facts as one line of JSON:
// {"stack":"C:","devices":[{...}, ...]} top first, each device as
// explainDeviceJSON writes it. It streams, as ExplainStack does.
func JSONExplainStack(w io.Writer, name string, whys iter.Seq[engine.Why], of OriginOf) {
	b, end := begin(w)
	j := jsonBuf{b}
	b.WriteString(`{"stack":`)
	j.str(name)
	b.WriteString(`,"devices":[`)
	i := 0
	for why := range whys {
		j.comma(i)
		i++
		explainDeviceJSON(j, why, of)
		flushLong(b, w)
	}
	b.WriteString("]}\n")
	end()
}

// JSONExplainFilter writes ExplainFilter's answer as one line of JSON:
// {"filter":"av","stack":"C:","present":true,"device":{...}} or
// {"filter":"av","stack":"C:","present":false,"reason":"waits-for-command","rules":[18,22],"text":"..."}.
func JSONExplainFilter(w io.Writer, filter string, why *engine.Why, a *engine.Absence, of OriginOf) {
	b, end := begin(w)
	j := jsonBuf{b}
	b.WriteString(`{"filter":`)
	if why != nil {
		j.str(strings.ToLower(why.Device.Driver))
		b.WriteString(`,"stack":`)
		j.str(stackOf(why))
		b.WriteString(`,"present":true,"device":`)
		explainDeviceJSON(j, *why, of)
	} else {
		j.str(strings.ToLower(a.Filter))
		b.WriteString(`,"stack":`)
		j.str(a.Stack)
		b.WriteString(`,"present":false,"reason":`)
		j.str(reasonNames[a.Reason])
		b.WriteString(`,"rules":`)
		j.ints(a.Rules)
		b.WriteString(`,"text":`)
		j.str(AbsenceText(*a, of, false))
	}
	b.WriteString("}\n")
	end()
}

// stackOf names the stack a device's story ends in.
func stackOf(why *engine.Why) string {
	if n := len(why.Chain); n > 0 {
		return why.Chain[n-1].Stack
	}
	return why.Device.Name
}

// explainDeviceJSON writes one device's story:
// {"driver":"av","address":"ffff…","role":"filter","how":"mount","verb":"mount C:","at":"x.fss:5",
// "chain":[{"op":"first-access","line":"first access to C: …"},…],"landed_on":"ntfs","above":["backup"],"rules":[15,17,21]}
// Above a device deep in a stack, "above" holds the lowest few, and
// "above_top" and "above_count" name the highest and count them all:
// "above":["f2","f3","f4"],"above_top":"f9999","above_count":9998.
func explainDeviceJSON(j jsonBuf, why engine.Why, of OriginOf) {
	d := why.Device
	b := j.b
	b.WriteString(`{"driver":`)
	j.str(strings.ToLower(d.Driver))
	b.WriteString(`,"address":`)
	j.str(d.Addr)
	b.WriteString(`,"role":`)
	j.str(d.Role.String())
	b.WriteString(`,"how":`)
	j.str(why.How.String())
	var o Origin
	if len(why.Chain) > 0 {
		o = of(why.Chain[0].ID)
	}
	b.WriteString(`,"verb":`)
	j.str(o.Verb)
	b.WriteString(`,"at":`)
	j.str(o.At)
	b.WriteString(`,"chain":[`)
	for i, e := range why.Chain {
		j.comma(i)
		b.WriteString(`{"op":`)
		j.str(e.Op.String())
		b.WriteString(`,"line":`)
		j.str(EventText(e, false))
		b.WriteByte('}')
	}
	b.WriteString(`],"landed_on":`)
	if why.LandedOn != nil {
		j.str(strings.ToLower(why.LandedOn.Driver))
	} else {
		b.WriteString("null")
	}
	b.WriteString(`,"above":[`)
	for i, a := range why.Above {
		j.comma(i)
		j.str(strings.ToLower(a.Driver))
	}
	b.WriteByte(']')
	if why.AboveTop != nil {
		b.WriteString(`,"above_top":`)
		j.str(strings.ToLower(why.AboveTop.Driver))
		b.WriteString(`,"above_count":`)
		b.WriteString(strconv.Itoa(why.AboveN))
	}
	b.WriteString(`,"rules":`)
	j.ints(why.Rules)
	b.WriteByte('}')
}

func (j jsonBuf) ints(xs []int) {
	j.b.WriteByte('[')
	for i, x := range xs {
		j.comma(i)
		j.b.WriteString(strconv.Itoa(x))
	}
	j.b.WriteByte(']')
}
