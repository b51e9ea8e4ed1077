package repl

import (
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/render"
)

// newLab returns a session with color off after running setup, one verb per
// element; a failing setup line fails the test.
func newLab(t *testing.T, setup ...string) *Session {
	t.Helper()
	s := NewSession(io.Discard, render.NewTheme(false))
	for _, line := range setup {
		if err := s.Exec(line); err != nil {
			t.Fatalf("setup %q: %v", line, err)
		}
	}
	return s
}

// lab is the state most cases complete against: ntfs and fastfat
// registered, av (notify) and backup loaded, C: mounted, D: mounted once
// and dismounted.
var lab = []string{
	"fs register ntfs",
	"fs register fastfat",
	"filter load av --notify",
	"filter load backup",
	"mount C:",
	"mount D: --format fat32",
	"dismount D:",
}

func TestComplete(t *testing.T) {
	tests := []struct {
		name    string
		setup   []string
		text    string
		partial string
		want    []string // exactly, in order; nil means no candidates
	}{
		// Verbs, from the table.
		{name: "empty line offers every first word", text: "",
			want: []string{"brief", "devstack", "dismount", "drvobj", "exit", "expect", "explain", "export", "filter", "fltmc", "fltmgr", "frames", "fs", "help", "history", "io", "lesson", "load", "minifilter", "mount", "os", "policy", "quit", "quiz", "reset", "rule", "save", "serve", "show", "source", "tour", "trace", "undo", "vpb"}},
		{name: "first word prefix", text: "f", partial: "f", want: []string{"filter", "fltmc", "fltmgr", "frames", "fs"}},
		{name: "first word one match", text: "mo", partial: "mo", want: []string{"mount"}},
		{name: "alias completes", text: "sou", partial: "sou", want: []string{"source"}},
		{name: "lesson names complete", text: "lesson de", partial: "de", want: []string{"detach-middle"}},
		{name: "first word ignores case", text: "DE", partial: "DE", want: []string{"devstack"}},
		{name: "unknown first word", text: "zz", partial: "zz", want: nil},
		{name: "leading blanks", text: "   sh", partial: "sh", want: []string{"show"}},
		{name: "fs subcommands", text: "fs ", want: []string{"list", "register", "unregister"}},
		{name: "filter subcommand prefix", text: "filter lo", partial: "lo", want: []string{"load"}},
		{name: "filter subcommands", text: "filter ", want: []string{"attach", "detach", "list", "load", "notify", "unload"}},
		{name: "tab as separator", text: "fs\t", want: []string{"list", "register", "unregister"}},
		{name: "unknown subcommand", text: "fs bogus ", want: nil},
		{name: "unknown verb gives nothing", text: "frobnicate ", want: nil},

		// File systems: known ones to register, registered ones to unregister.
		{name: "fs register offers known file systems", text: "fs register ",
			want: []string{"cdfs", "exfat", "fastfat", "fs_rec", "ntfs", "refs", "udfs"}},
		{name: "fs register prefix", text: "fs register n", partial: "n", want: []string{"ntfs"}},
		{name: "fs register leaves out registered ones", setup: lab, text: "fs register ",
			want: []string{"cdfs", "exfat", "fs_rec", "refs", "udfs"}},
		{name: "fs unregister in boot state has nothing (RAW is never offered)", text: "fs unregister ", want: nil},
		{name: "fs unregister offers registered ones", setup: lab, text: "fs unregister ", want: []string{"fastfat", "ntfs"}},
		{name: "fs unregister prefix", setup: lab, text: "fs unregister f", partial: "f", want: []string{"fastfat"}},
		{name: "fs unregister follows the state", setup: append(slices.Clone(lab), "fs register cdfs"),
			text: "fs unregister ", want: []string{"cdfs", "fastfat", "ntfs"}},

		// Filters.
		{name: "filter unload with none loaded", text: "filter unload ", want: nil},
		{name: "filter unload offers loaded filters", setup: lab, text: "filter unload ", want: []string{"av", "backup"}},
		{name: "filter unload prefix", setup: lab, text: "filter unload a", partial: "a", want: []string{"av"}},
		{name: "filter unload after an unload", setup: append(slices.Clone(lab), "filter unload backup"),
			text: "filter unload ", want: []string{"av"}},
		{name: "filter notify offers loaded filters", setup: lab, text: "filter notify ", want: []string{"av", "backup"}},
		{name: "filter load NAME is free text", setup: lab, text: "filter load ", want: nil},
		{name: "filter attach second argument is a mounted volume", setup: lab, text: "filter attach backup ", want: []string{"C:"}},
		{name: "filter detach first argument", setup: lab, text: "filter detach b", partial: "b", want: []string{"backup"}},

		// Volumes.
		{name: "dismount offers mounted volumes", setup: lab, text: "dismount ", want: []string{"C:"}},
		{name: "dismount ignores case", setup: lab, text: "dismount c", partial: "c", want: []string{"C:"}},
		{name: "dismount with nothing mounted", text: "dismount ", want: nil},
		{name: "mount offers volumes known but not mounted", setup: lab, text: "mount ", want: []string{"D:"}},
		{name: "mount after dismounting everything", setup: append(slices.Clone(lab), "dismount C:"),
			text: "mount ", want: []string{"C:", "D:"}},
		{name: "show offers volumes and CDOs", setup: []string{"fs register ntfs", "mount C:"}, text: "show ",
			want: []string{"C:", `\Device\RawCdRom`, `\Device\RawDisk`, `\Device\RawTape`, `\Ntfs`}},
		{name: "show prefix with backslash", setup: []string{"fs register ntfs"}, text: `show \N`, partial: `\N`, want: []string{`\Ntfs`}},
		{name: "devstack offers stacks", setup: []string{"fs register ntfs", "mount C:"}, text: "devstack C", partial: "C", want: []string{"C:"}},

		// Flags.
		{name: "flags after a dash", text: "filter load av -", partial: "-",
			want: []string{"--attach-raw", "--ex", "--fail", "--group", "--mount-aware", "--no-enumerate", "--notify"}},
		{name: "flag prefix", text: "filter load av --no", partial: "--no", want: []string{"--no-enumerate", "--notify"}},
		{name: "flags already given are not offered again", text: "filter load av --notify --", partial: "--",
			want: []string{"--attach-raw", "--ex", "--fail", "--group", "--mount-aware", "--no-enumerate"}},
		{name: "flags once the arguments are given", text: "fs register ntfs ", want: []string{"--low-priority", "--type"}},
		{name: "flags once a switch is given", text: "filter load av --notify ", want: []string{"--attach-raw", "--ex", "--fail", "--group", "--mount-aware", "--no-enumerate"}},
		{name: "flags before the argument", text: "mount -", partial: "-", want: []string{"--format", "--media"}},
		{name: "no flags for a verb without them", text: "reset -", partial: "-", want: nil},
		{name: "verb that takes nothing offers nothing", text: "reset ", want: nil},

		// Flag values and argument values.
		{name: "--type values", text: "fs register myfs --type ", want: []string{"cdrom", "disk", "network", "tape"}},
		{name: "--type value prefix", text: "fs register myfs --type c", partial: "c", want: []string{"cdrom"}},
		{name: "--type= values", text: "fs register myfs --type=", partial: "--type=",
			want: []string{"--type=cdrom", "--type=disk", "--type=network", "--type=tape"}},
		{name: "--type= value prefix", text: "fs register myfs --type=ne", partial: "--type=ne", want: []string{"--type=network"}},
		{name: "--flag= of a switch has no values", text: "fs register myfs --low-priority=", partial: "--low-priority=", want: nil},
		{name: "--flag= of an unknown flag", text: "fs register myfs --bogus=", partial: "--bogus=", want: nil},
		{name: "--media values", text: "mount C: --media ", want: []string{"cdrom", "disk", "tape"}},
		{name: "--format offers formats", setup: []string{"fs register myfs"}, text: "mount C: --format fat",
			partial: "fat", want: []string{"fat", "fat12", "fat16", "fat32"}},
		{name: "--format lists a file system of your own", setup: []string{"fs register myfs"}, text: "mount C: --format my",
			partial: "my", want: []string{"myfs"}},
		{name: "a flag's value does not count as an argument", setup: lab, text: "mount --media disk ", want: []string{"D:"}},
		{name: "after a flag with its value, flags again", setup: lab, text: "mount D: --media disk ", want: []string{"--format"}},
		{name: "os values", text: "os ", want: []string{"w2k", "w2ksp4", "win10", "win7", "xp"}},
		{name: "os value prefix", text: "os x", partial: "x", want: []string{"xp"}},
		{name: "os value ignores case", text: "os W", partial: "W", want: []string{"w2k", "w2ksp4", "win10", "win7"}},

		// help VERB completes the verb, a word at a time.
		{name: "help offers first words", text: "help ",
			want: []string{"brief", "devstack", "dismount", "drvobj", "exit", "expect", "explain", "export", "filter", "fltmc", "fltmgr", "frames", "fs", "help", "history", "io", "lesson", "load", "minifilter", "mount", "os", "policy", "quit", "quiz", "reset", "rule", "save", "serve", "show", "source", "tour", "trace", "undo", "vpb"}},
		{name: "help prefix", text: "help mo", partial: "mo", want: []string{"mount"}},
		{name: "help fs subcommands", text: "help fs ", want: []string{"list", "register", "unregister"}},
		{name: "help filter subcommand prefix", text: "help filter un", partial: "un", want: []string{"unload"}},
		{name: "help after a whole verb", text: "help mount ", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newLab(t, tt.setup...)
			partial, got := s.Complete(tt.text)
			if partial != tt.partial {
				t.Errorf("Complete(%q) partial = %q, want %q", tt.text, partial, tt.partial)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Complete(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestCompleteEveryCandidateRuns checks that completion only ever offers
// what Exec accepts: each candidate for "dismount ", "filter unload " and
// "fs unregister " runs without error in the state that offered it.
func TestCompleteEveryCandidateRuns(t *testing.T) {
	for _, prefix := range []string{"dismount ", "filter unload ", "fs unregister ", "mount "} {
		_, cands := newLab(t, lab...).Complete(prefix)
		if len(cands) == 0 {
			t.Errorf("Complete(%q) offers nothing in the lab", prefix)
		}
		for _, c := range cands {
			s := newLab(t, lab...)
			line := prefix + c
			if prefix == "fs unregister " {
				// A file system with mounted volumes is refused; dismount first.
				if err := s.Exec("dismount C:"); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Exec(line); err != nil {
				t.Errorf("completion offered %q but it fails: %v", line, err)
			}
		}
	}
}

// TestCompleteFlagsFromTable checks that each verb's flags, as the table
// lists them, are offered after "VERB ... --".
func TestCompleteFlagsFromTable(t *testing.T) {
	s := newLab(t)
	for _, v := range Verbs() {
		if len(v.Flags) == 0 {
			continue
		}
		text := v.Name + " --"
		_, got := s.Complete(text)
		var want []string
		for _, f := range v.Flags {
			want = append(want, "--"+f.Name)
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("Complete(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestCompleteNeverPanics feeds odd text to Complete.
func TestCompleteNeverPanics(t *testing.T) {
	s := newLab(t, lab...)
	for _, text := range []string{
		" ", "\t", "-", "--", "--=", "fs --", "fs register --type", "fs register --type --", "mount --format",
		"mount = =", "help help help ", "show \"", "'", "#", "# fs ", "! fs re", strings.Repeat("x ", 10000),
		"mount C: --media cdrom --media ", "filter attach av C: D: ", "é", "fs register \x00",
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("Complete(%q) panics: %v", text, r)
				}
			}()
			s.Complete(text)
		}()
	}
}

func TestCompleteBrief(t *testing.T) {
	s, _ := newTestSession()
	if _, got := s.Complete("brief "); strings.Join(got, " ") != "off on" {
		t.Errorf("Complete(\"brief \") = %q, want off, on", got)
	}
}
