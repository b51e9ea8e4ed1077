package engine

import (
	"errors"
	"testing"
)

func TestAltitudeCompare(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"03333", "100.123456", 1}, // the documented example: numbers, not text
		{"100.123456", "03333", -1},
		{"328000", "0328000", 0},       // leading zeros
		{"328000", "328000.000", 0},    // trailing zeros of the fraction
		{"0328000.0", "328000", 0},     // both
		{"325000.3", "325000.25", 1},   // .3 > .25 though "25" is longer
		{"325000.25", "325000.3", -1},  //
		{"325000.5", "325000.49", 1},   //
		{"99", "100", -1},              // length of the integer part first
		{"9", "10.5", -1},              //
		{"0", "000", 0},                // zero in two spellings
		{"0", "0.0001", -1},            //
		{"389998.99", "389998.990", 0}, //
		{"40500", "40700", -1},         //
		{"409800", "385200", 1},        //
		{"1.10", "1.1", 0},             //
		{"1.01", "1.1", -1},            //
	}
	for _, c := range cases {
		a, err := ParseAltitude(c.a)
		if err != nil {
			t.Fatalf("%q: %v", c.a, err)
		}
		b, err := ParseAltitude(c.b)
		if err != nil {
			t.Fatalf("%q: %v", c.b, err)
		}
		if got := a.Cmp(b); got != c.want {
			t.Errorf("Cmp(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := b.Cmp(a); got != -c.want {
			t.Errorf("Cmp(%q, %q) = %d, want %d (antisymmetry)", c.b, c.a, got, -c.want)
		}
		if a.String() != c.a {
			t.Errorf("String() = %q, want the spelling given, %q", a.String(), c.a)
		}
	}
}

func TestAltitudeRefused(t *testing.T) {
	for _, s := range []string{"", ".5", "5.", "1.2.3", "-5", "+5", "1e5", " 5", "5 ", "12a", "٣", "0x10",
		"123456789012345678901234567890123"} {
		_, err := ParseAltitude(s)
		if !errors.Is(err, ErrBadAltitude) {
			t.Errorf("ParseAltitude(%q) = %v, want a bad-altitude refusal", s, err)
		}
	}
}

func TestLoadOrderGroups(t *testing.T) {
	g, err := FindGroup("anti-virus")
	if err != nil || g.Name != "FSFilter Anti-Virus" {
		t.Fatalf("anti-virus: %v %v", g, err)
	}
	for _, n := range []string{"FSFilter-Anti-Virus", "antivirus", "ANTI_VIRUS"} {
		if h, err := FindGroup(n); err != nil || h.Name != g.Name {
			t.Errorf("%q: %v %v", n, h, err)
		}
	}
	if !g.Holds(MustAltitude("328010")) || !g.Holds(MustAltitude("320000")) || !g.Holds(MustAltitude("329999.0")) {
		t.Error("anti-virus should hold 328010, 320000 and 329999.0")
	}
	if g.Holds(MustAltitude("329999.5")) || g.Holds(MustAltitude("319999")) {
		t.Error("anti-virus should not hold 329999.5 or 319999")
	}
	if _, err := FindGroup("nonsense"); !errors.Is(err, ErrBadValue) {
		t.Errorf("unknown group: %v", err)
	}
	for i := 1; i < len(LoadOrderGroups); i++ {
		if LoadOrderGroups[i].High.Cmp(LoadOrderGroups[i-1].Low) >= 0 {
			t.Errorf("%s overlaps or is above %s", LoadOrderGroups[i].Name, LoadOrderGroups[i-1].Name)
		}
	}
	if len(GroupKeys()) != len(LoadOrderGroups) {
		t.Error("GroupKeys")
	}
}
