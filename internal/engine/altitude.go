package engine

import "strings"

// Altitude is a minifilter's altitude: a decimal string of unbounded
// precision, compared as a number, never as text (FltCompareInstanceAltitudes):
// "03333" is above "100.123456", and "328000", "0328000" and "328000.000"
// are one altitude. A higher altitude is farther from the file system
// (MODEL rule 27). The zero value is no altitude.
type Altitude struct {
	text      string // as given: fltmc prints it so
	int, frac string // the value: no leading zeros in int, no trailing zeros in frac
}

// maxAltitudeLen bounds an altitude string, as a registry value of fssim's
// size; Windows allocates six-digit integers and lets companies add a
// fraction.
const maxAltitudeLen = 32

// ParseAltitude reads an altitude: digits, with at most one decimal point
// that has a digit on each side. Signs, exponents, spaces and empty parts
// are refused.
func ParseAltitude(s string) (Altitude, error) {
	bad := func(why string) (Altitude, error) {
		return Altitude{}, fail(ErrBadAltitude, "bad altitude %s: %s (an altitude is a decimal number like 328000 or 325000.5)", Quote(s), why)
	}
	if s == "" {
		return bad("it is empty")
	}
	if len(s) > maxAltitudeLen {
		return bad("it is longer than 32 characters")
	}
	i, f, point := strings.Cut(s, ".")
	if i == "" {
		return bad("it needs a digit before the decimal point")
	}
	if point && f == "" {
		return bad("it needs a digit after the decimal point")
	}
	for _, part := range []string{i, f} {
		for k := 0; k < len(part); k++ {
			if part[k] < '0' || part[k] > '9' {
				return bad("use digits and at most one decimal point")
			}
		}
	}
	i = strings.TrimLeft(i, "0")
	f = strings.TrimRight(f, "0")
	return Altitude{text: s, int: i, frac: f}, nil
}

// MustAltitude parses an altitude known to be valid (tables of load order
// groups); it panics on a bad one, a bug in fssim.
func MustAltitude(s string) Altitude {
	a, err := ParseAltitude(s)
	if err != nil {
		panic(err)
	}
	return a
}

// String is the altitude as it was written.
func (a Altitude) String() string { return a.text }

// IsZero reports whether a is no altitude at all.
func (a Altitude) IsZero() bool { return a.text == "" }

// Cmp compares two altitudes as numbers: -1 if a is below b, 0 if they are
// the same altitude (in whatever spelling), +1 if a is above b.
func (a Altitude) Cmp(b Altitude) int {
	switch {
	case len(a.int) != len(b.int):
		return sign(len(a.int) - len(b.int))
	case a.int != b.int:
		return strings.Compare(a.int, b.int)
	}
	// Equal integer parts: the fractions, without trailing zeros, compare
	// as text ("5" > "49", since .5 > .49).
	return strings.Compare(a.frac, b.frac)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// LoadOrderGroup is a load order group and the altitudes it owns
// (docs/model.md rule 27).
type LoadOrderGroup struct {
	Name      string // as Windows spells it: FSFilter Anti-Virus
	Low, High Altitude
}

// LoadOrderGroups lists the minifilter load order groups, top of the stack
// first, with the ranges the load-order-groups page gives.
var LoadOrderGroups = func() []LoadOrderGroup {
	rows := []struct{ name, lo, hi string }{
		{"Filter", "420000", "429999"},
		{"FSFilter Top", "400000", "409999"},
		{"FSFilter Security Monitor", "392000", "394999"},
		{"FSFilter Activity Monitor", "360000", "389999"},
		{"FSFilter Undelete", "340000", "349999"},
		{"FSFilter Anti-Virus", "320000", "329999"},
		{"FSFilter Replication", "300000", "309999"},
		{"FSFilter Continuous Backup", "280000", "289999"},
		{"FSFilter Security Content Screener", "272000", "274999"},
		{"FSFilter Content Screener", "260000", "269999"},
		{"FSFilter Quota Management", "240000", "249999"},
		{"FSFilter System Recovery", "220000", "229999"},
		{"FSFilter Cluster File System", "200000", "209999"},
		{"FSFilter HSM", "180000", "189999"},
		{"FSFilter Imaging", "170000", "175000"},
		{"FSFilter Compression", "160000", "169999"},
		{"FSFilter Encryption", "140000", "149999"},
		{"FSFilter Virtualization", "130000", "139999"},
		{"FSFilter Physical Quota Management", "120000", "129999"},
		{"FSFilter Open File", "100000", "109999"},
		{"FSFilter Security Enhancer", "80000", "89999"},
		{"FSFilter Copy Protection", "60000", "69999"},
		{"FSFilter Security Bottom", "52000", "54999"},
		{"FSFilter Bottom", "40000", "49999"},
		{"FSFilter System", "20000", "29999"},
		{"FSFilter Infrastructure", "0", "19999"},
	}
	out := make([]LoadOrderGroup, len(rows))
	for i, r := range rows {
		out[i] = LoadOrderGroup{Name: r.name, Low: MustAltitude(r.lo), High: MustAltitude(r.hi)}
	}
	return out
}()

// groupKey folds a group name for lookup: case, spaces, dashes and the
// FSFilter prefix do not matter, so "anti-virus", "FSFilter-Anti-Virus" and
// "antivirus" all name FSFilter Anti-Virus (a scenario word has no spaces).
func groupKey(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer(" ", "", "-", "", "_", "").Replace(s)
	if k := strings.TrimPrefix(s, "fsfilter"); k != "" {
		s = k
	}
	return s
}

// FindGroup finds a load order group by name, as groupKey folds it.
func FindGroup(name string) (LoadOrderGroup, error) {
	k := groupKey(name)
	for _, g := range LoadOrderGroups {
		if groupKey(g.Name) == k {
			return g, nil
		}
	}
	return LoadOrderGroup{}, fail(ErrBadValue, "unknown load order group %s (want one like anti-virus, activity-monitor, encryption, top or bottom: help minifilter load lists them)", Quote(name))
}

// Holds reports whether a lies in the group's range.
func (g LoadOrderGroup) Holds(a Altitude) bool { return g.Low.Cmp(a) <= 0 && a.Cmp(g.High) <= 0 }

// GroupKeys lists the groups as a scenario names them (anti-virus), top first.
func GroupKeys() []string {
	out := make([]string, 0, len(LoadOrderGroups))
	for _, g := range LoadOrderGroups {
		n := strings.TrimPrefix(g.Name, "FSFilter ")
		out = append(out, strings.ToLower(strings.ReplaceAll(n, " ", "-")))
	}
	return out
}

// legacyAltitude is the altitude fltmc filters shows for a legacy filter of
// group g: the group's upper bound minus 0.01 (FSFilter Anti-Virus, 320000
// to 329999, gives 329998.99), as three public captures agree (rule 28).
func (g LoadOrderGroup) legacyAltitude() Altitude {
	n := []byte(g.High.int)
	i := len(n) - 1
	for i >= 0 && n[i] == '0' {
		n[i] = '9'
		i--
	}
	if i >= 0 {
		n[i]--
	}
	s := strings.TrimLeft(string(n), "0")
	if s == "" {
		s = "0"
	}
	return MustAltitude(s + ".99")
}
