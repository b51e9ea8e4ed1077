package repl

import (
	"errors"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
)

// labWithBackup is a lab where filter attach backup C: would succeed, so a
// hint that fails to fire shows up as a changed lab.
func labWithBackup(t *testing.T) *Session {
	t.Helper()
	s, _ := newTestSession()
	for _, line := range []string{"fs register ntfs", "mount C:", "filter load backup"} {
		if err := s.Exec(line); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestHintSwappedArguments(t *testing.T) {
	for _, verb := range []string{"filter attach", "filter detach"} {
		s := labWithBackup(t)
		before := s.Eng.State()
		err := s.Exec(verb + " C: backup")
		var ue *UsageError
		if !errors.As(err, &ue) {
			t.Fatalf("%s C: backup: got %v, want a usage error", verb, err)
		}
		msg := err.Error()
		for _, want := range []string{"swapped", "(" + verb + " backup C:)", "; usage: " + verb + " NAME VOLUME"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s C: backup: %q lacks %q", verb, msg, want)
			}
		}
		if strings.Contains(msg, "\n") {
			t.Errorf("%q is not one line", msg)
		}
		if !equalState(before, s.Eng.State()) {
			t.Errorf("%s C: backup changed the lab", verb)
		}
	}
	// The right order is not mistaken for a swap, and neither are two names.
	s := labWithBackup(t)
	if err := s.Exec("filter attach backup C:"); err != nil {
		t.Fatalf("filter attach backup C:: %v", err)
	}
	if err := s.Exec("filter attach backup av"); err == nil || strings.Contains(err.Error(), "swapped") {
		t.Errorf("filter attach backup av: %v, want a bad volume error, not a swap", err)
	}
}

func TestHintGroupHelp(t *testing.T) {
	for _, g := range []string{"fs", "filter"} {
		s, out := newTestSession()
		if err := s.Exec("help " + g); err != nil {
			t.Fatalf("help %s: %v", g, err)
		}
		n := 0
		for _, v := range Verbs() {
			if !strings.HasPrefix(v.Name, g+" ") {
				continue
			}
			n++
			if !hasLine(out.String(), v.Name, v.Summary) {
				t.Errorf("help %s lacks %q with its summary:\n%s", g, v.Name, out.String())
			}
		}
		if n < 3 {
			t.Fatalf("only %d %s verbs", n, g)
		}
		for _, v := range Verbs() {
			if !strings.HasPrefix(v.Name, g+" ") && strings.Contains(out.String(), "\n  "+v.Name+" ") {
				t.Errorf("help %s lists %q of another group:\n%s", g, v.Name, out.String())
			}
		}
		// The word alone lists the same subcommands, on one line.
		err := s.Exec(g)
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Fatalf("%s alone: %v, want a one-line error", g, err)
		}
		for _, sub := range subNames(g) {
			if !strings.Contains(err.Error(), sub) {
				t.Errorf("%s alone: %q lacks %q", g, err, sub)
			}
		}
		if !strings.Contains(err.Error(), "help "+g) {
			t.Errorf("%s alone: %q does not point at help %s", g, err, g)
		}
	}
}

func hasLine(out, prefix, suffix string) bool {
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, prefix) && strings.HasSuffix(l, suffix) {
			return true
		}
	}
	return false
}

func TestHintFlagRunIntoName(t *testing.T) {
	for line, want := range map[string]string{
		"filter load av--notify":         `bad filter name "av--notify": it looks like a flag run into the name (did you mean filter load av --notify?)`,
		"filter load av--notify--ex":     `(did you mean filter load av --notify --ex?)`,
		"fs register myfs--low-priority": `bad file system name "myfs--low-priority": it looks like a flag run into the name (did you mean fs register myfs --low-priority?)`,
		"filter attach av--x C:":         `bad filter name "av--x"`,
		"fs unregister x--":              `bad file system name "x--": a name cannot contain "--"`,
		"filter load \x1b--0":            `bad filter name "\x1b--0": it looks like a flag run into the name (put a space before --)`,
	} {
		s, _ := newTestSession()
		before := s.Eng.State()
		err := s.Exec(line)
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, engine.ErrBadName) {
			t.Errorf("%q: got %v, want %q (engine.ErrBadName)", line, err, want)
		}
		if !equalState(before, s.Eng.State()) {
			t.Errorf("%q changed the lab", line)
		}
	}
	// One dash is still fine in a name.
	s, _ := newTestSession()
	if err := s.Exec("filter load my-av --notify"); err != nil {
		t.Errorf("filter load my-av --notify: %v", err)
	}
}

func TestHintNetworkMedia(t *testing.T) {
	s, _ := newTestSession()
	if err := s.Exec("fs register ntfs"); err != nil {
		t.Fatal(err)
	}
	before := s.Eng.State()
	err := s.Exec("mount X: --media network")
	var ue *UsageError
	if !errors.As(err, &ue) {
		t.Fatalf("got %v, want a usage error", err)
	}
	for _, want := range []string{"no mount request", "MUP", "redirector", "IRP_MN_MOUNT_VOLUME", "disk, cdrom or tape"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if !equalState(before, s.Eng.State()) {
		t.Error("mount --media network changed the lab")
	}
	// Other bad values keep the plain message.
	if err := s.Exec("mount X: --media floppy"); err == nil || strings.Contains(err.Error(), "MUP") || !strings.Contains(err.Error(), "want disk, cdrom or tape") {
		t.Errorf("mount --media floppy: %v", err)
	}
}

func TestIsVerbWord(t *testing.T) {
	for w, want := range map[string]bool{"mount": true, "fs": true, "FILTER": true, "quit": true, "register": false, "run": false, "": false} {
		if got := IsVerbWord(w); got != want {
			t.Errorf("IsVerbWord(%q) = %v, want %v", w, got, want)
		}
	}
}
