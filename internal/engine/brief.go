package engine

import (
	"strconv"
	"strings"
)

// The brief form of a trace is for a projector: the same story in fewer,
// shorter lines. The engine owns it because it alone knows the shape of the
// addresses and lines it writes. The full trace is what every method returns;
// Brief derives the short one on request, so a caller that never asks pays
// nothing.

// BriefPassRun is the longest run of filters passing a request down that
// the brief form lists one by one; a longer run is one line.
const BriefPassRun = 3

// Brief returns the brief form of a trace, in a new slice (evs is not
// changed):
//
//   - device addresses are left out: "av ffffa08000005000" becomes "av",
//     "C: VDO ffffa08000006000" becomes "C: VDO" (see StripAddresses);
//   - more than BriefPassRun filters in a row passing a request down
//     ("av sees IRP_MN_MOUNT_VOLUME and passes it down") become one line,
//     "N filters pass it down";
//   - a bare STATUS_SUCCESS answering a routine's call (registering a
//     notification routine) is left out: the call's line says it happened.
//     A status that answers an IRP (a file system claiming a volume), and
//     every failure, stay.
func Brief(evs []Event) []Event {
	out := make([]Event, 0, len(evs))
	// parent[d] is the kind of the latest event at depth d, so an event
	// at depth d+1 knows what it answers.
	var parent []Kind
	for i := 0; i < len(evs); i++ {
		e := evs[i]
		if e.Depth >= 0 {
			parent = append(parent[:min(e.Depth, len(parent))], e.Kind)
		}
		if passesDown(e) {
			j := i + 1
			for j < len(evs) && evs[j].Depth == e.Depth && passesDown(evs[j]) {
				j++
			}
			if n := j - i; n > BriefPassRun {
				out = append(out, Event{Depth: e.Depth, Kind: KindIrp, Text: strconv.Itoa(n) + " filters pass it down"})
				i = j - 1
				continue
			}
		}
		if e.Kind == KindStatus && e.Status == StatusSuccess && e.Text == StatusSuccess.String() &&
			e.Depth > 0 && e.Depth-1 < len(parent) && parent[e.Depth-1] == KindCall {
			continue
		}
		e.Text = StripAddresses(e.Text)
		out = append(out, e)
	}
	return out
}

// passesDown reports whether e is a filter passing a request down the
// stack it sits on (a mount, or a recognizer's load request).
func passesDown(e Event) bool {
	return e.Kind == KindIrp && strings.HasSuffix(e.Text, " passes it down")
}

// StripAddresses takes the device addresses out of a trace line: each
// space followed by an address as the engine writes them (16 hex digits,
// starting ffffa080, see addrBase) and then a character that cannot
// continue a name. A driver named like an address loses nothing where its
// name follows a backslash or starts the line, as it does in a driver path
// or a line of its own; after a space it would be taken for an address.
func StripAddresses(s string) string {
	const prefix = "ffffa080"
	i := strings.Index(s, prefix)
	if i < 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for i >= 0 {
		end := i + 16
		if i > last && s[i-1] == ' ' && end <= len(s) && isHex(s[i:end]) && (end == len(s) || !isNameByte(s[end])) {
			b.WriteString(s[last : i-1])
			last = end
		}
		next := strings.Index(s[i+1:], prefix)
		if next < 0 {
			break
		}
		i += 1 + next
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// isNameByte reports whether c can be part of a driver name.
func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-'
}
