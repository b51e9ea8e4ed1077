package engine

import (
	"reflect"
	"testing"
)

// TestOpsTable: every Op has a name and a payload type of its own that
// answers it, so that Event.Op and Event.Data cannot disagree and render's
// test reaches every Op.
func TestOpsTable(t *testing.T) {
	names := map[string]Op{}
	types := map[reflect.Type]Op{}
	for op := Op(1); op < NumOps; op++ {
		p := op.Zero()
		if p == nil {
			t.Errorf("op %d (%s) has no payload in the ops table", op, op)
			continue
		}
		if p.Op() != op {
			t.Errorf("op %s: its payload %T answers %s", op, p, p.Op())
		}
		if op.String() == "?" {
			t.Errorf("op %d has no name", op)
		}
		if o, ok := names[op.String()]; ok {
			t.Errorf("ops %d and %d share the name %q", o, op, op.String())
		}
		names[op.String()] = op
		if o, ok := types[reflect.TypeOf(p)]; ok {
			t.Errorf("ops %s and %s share the payload type %T", o, op, p)
		}
		types[reflect.TypeOf(p)] = op
	}
	if OpNone.Zero() != nil || NumOps.Zero() != nil || NumOps.String() != "?" {
		t.Error("OpNone or NumOps has a payload or a name")
	}
}

// TestEventOpIsItsPayloads: every event a lab traces carries the payload
// of its own Op.
func TestEventOpIsItsPayloads(t *testing.T) {
	e := fresh(t)
	var evs []Event
	evs = append(evs, regFS(t, e, "ntfs")...)
	evs = append(evs, mount(t, e, "C:")...)
	evs = append(evs, loadNotify(t, e, "av")...)
	evs = append(evs, dismount(t, e, "C:")...)
	for _, x := range evs {
		if x.Data == nil || x.Data.Op() != x.Op {
			t.Errorf("event %s carries %T", evString(x), x.Data)
		}
	}
}
