package render

import (
	"reflect"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
)

// TestEveryOpHasWords: each operation the engine reports has its own line,
// full and brief; none falls through to the "? op" placeholder. Each Op's
// payload is filled in field by field, whatever its type, so a new Op is
// checked as soon as the engine has its payload type.
func TestEveryOpHasWords(t *testing.T) {
	n := 0
	for op := engine.Op(1); op < engine.NumOps; op++ {
		n++
		p := sample(t, op)
		e := engine.Event{Op: op, Data: p, Stack: "C:", Status: engine.StatusSuccess}
		if e.Op != p.Op() {
			t.Fatalf("op %s: its payload %T answers %s", op, p, p.Op())
		}
		for _, brief := range []bool{false, true} {
			line := EventText(e, brief)
			if strings.HasPrefix(line, "? ") || line == "" {
				t.Errorf("op %s (%T, brief %t) has no words: %q", op, p, brief, line)
			}
			if brief && strings.Contains(line, "ffffa080") {
				t.Errorf("op %s: brief line keeps an address: %q", op, line)
			}
		}
	}
	if n < 90 {
		t.Errorf("only %d ops", n)
	}
}

// TestUnknownPayloadHasPlaceholder: a payload no family knows says so
// rather than printing nothing.
func TestUnknownPayloadHasPlaceholder(t *testing.T) {
	if got := EventText(engine.Event{Op: engine.OpNone}, false); got != "? none" {
		t.Errorf("got %q", got)
	}
}

// sample is op's payload with every field set: a device field gets a CDO,
// a VDO or a filter device as its name says, a string "x", a list two
// entries, a number 1, a flag true.
func sample(t *testing.T, op engine.Op) engine.Payload {
	t.Helper()
	cdo := &engine.DeviceRef{ID: 4, Addr: "ffffa08000004000", Driver: "Ntfs", Role: engine.RoleCDO, Name: `\Ntfs`}
	vdo := &engine.DeviceRef{ID: 5, Addr: "ffffa08000005000", Driver: "Ntfs", Role: engine.RoleVDO, Volume: "C:"}
	flt := &engine.DeviceRef{ID: 6, Addr: "ffffa08000006000", Driver: "av", Role: engine.RoleFilter}
	zero := op.Zero()
	if zero == nil {
		t.Fatalf("op %s has no payload type", op)
	}
	v := reflect.New(reflect.TypeOf(zero)).Elem()
	for i := 0; i < v.NumField(); i++ {
		f, name := v.Field(i), v.Type().Field(i).Name
		switch f.Interface().(type) {
		case *engine.DeviceRef:
			switch {
			case strings.Contains(name, "CDO") || name == "Recognizer" || name == "Partner" || name == "Loaded" || name == "Owner":
				f.Set(reflect.ValueOf(cdo))
			case strings.Contains(name, "VDO") || name == "Bottom":
				f.Set(reflect.ValueOf(vdo))
			default:
				f.Set(reflect.ValueOf(flt))
			}
		case []*engine.DeviceRef:
			f.Set(reflect.ValueOf([]*engine.DeviceRef{flt, vdo}))
		case []string:
			f.Set(reflect.ValueOf([]string{"C:", "D:"}))
		case string:
			f.SetString("x")
		case bool:
			f.SetBool(true)
		default:
			switch f.Kind() {
			case reflect.Int, reflect.Int64:
				f.SetInt(1)
			case reflect.Uint8, reflect.Uint16, reflect.Uint32:
				f.SetUint(1)
			default:
				t.Fatalf("op %s: field %s of %T: sample fills no %s", op, name, zero, f.Kind())
			}
		}
	}
	return v.Interface().(engine.Payload)
}
