package repl

import (
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/engine"
)

// TestDidYouMeanNames: a name the user created, mistyped, is answered with
// the name meant, not with advice to load it (issue 16 point 12).
func TestDidYouMeanNames(t *testing.T) {
	for _, tc := range []struct {
		setup, line, want, not string
	}{
		{"filter load backup --notify", "filter attach bakup C:", `filter "bakup" is not loaded (did you mean backup?)`, "filter load bakup"},
		{"filter load backup --notify", "filter unload bakup", "(did you mean backup?)", ""},
		{"fs register ntfs", "fs unregister ntf", `file system "ntf" is not registered (did you mean ntfs?)`, ""},
		{"fltmgr load; minifilter load scanner -a 320000", "minifilter unload scaner", `minifilter "scaner" is not loaded (did you mean scanner?)`, ""},
		{"fltmgr load; minifilter load scanner -a 320000; fs register ntfs; mount C:", "fltmc attach scannr C:", "(did you mean scanner?)", ""},
		{"", "os windows7", "(did you mean win7?)", ""},
		{"", "os windows10", "(did you mean win10?)", ""},
		{"", "os winxp", "(did you mean xp?)", "mean win10"},
		{"", "lesson tuor", "(did you mean tour?)", ""},
		{"fs register ntfs", `show \Ntf`, `no volume or registered CDO named "\Ntf" (did you mean \Ntfs?)`, ""},
		{"fs register ntfs", "devstack Ntsf", `(did you mean \Ntfs?)`, ""},
		{"", "show rawdsk", `(did you mean \Device\RawDisk?)`, ""},
		{"", "mount E: --media cdorm", "(did you mean cdrom?)", ""},
		// Far from every name: the advice stays.
		{"filter load backup", "filter attach zz C:", "(filter load zz first)", "did you mean"},
	} {
		s, _ := newTestSession()
		if tc.setup != "" {
			if r := s.RunCommands(tc.setup, ScriptOptions{Name: "-c"}); r.Failed > 0 {
				t.Fatalf("%s: setup failed", tc.setup)
			}
		}
		err := s.Exec(tc.line)
		if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.not != "" && strings.Contains(err.Error(), tc.not)) {
			t.Errorf("%s: %v\nwant it to say %q", tc.line, err, tc.want)
		}
	}
}

// TestMountFormatTypo: RAW still mounts a volume of a format nobody
// recognizes, as Windows does, and a line names the format meant; a name
// of the user's own (myfs) is not taken for a typo.
func TestMountFormatTypo(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"mount D: --format fat33", `no file system recognizes "fat33" (did you mean fat?)`},
		{"mount D: --format ntsf", `no file system recognizes "ntsf" (did you mean ntfs?)`},
		{"mount D: --format myfs", ""},
		{"mount D: --format fat32", ""},
	} {
		s, out := newTestSession()
		if err := s.Exec(tc.line); err != nil {
			t.Fatalf("%s: %v", tc.line, err)
		}
		if v, err := s.Eng.Volume("D:"); err != nil || v.FS != "raw" {
			t.Errorf("%s: D: is %+v, %v; want it mounted by RAW", tc.line, v, err)
		}
		got := out.String()
		if tc.want == "" && strings.Contains(got, "did you mean") || tc.want != "" && !strings.Contains(got, tc.want+"\n") {
			t.Errorf("%s printed:\n%s\nwant %q", tc.line, got, tc.want)
		}
	}
}

// TestSuggestIsOne: the verbs' did-you-mean and the engine's are one
// function.
func TestSuggestIsOne(t *testing.T) {
	for _, tc := range [][3]string{
		{"bakup", "backup,av", "backup"},
		{"moutn", "mount,show", "mount"},
		{"windows7", "xp,w2k,win7,win10", "win7"},
		{"myfs", "cdfs,ntfs", ""},
		{"fat33", "fat,ntfs,exfat", "fat"},
		{"", "a,b", ""},
	} {
		cands := strings.Split(tc[1], ",")
		if got := suggest(tc[0], cands); got != tc[2] || engine.Suggest(tc[0], cands) != got {
			t.Errorf("suggest(%q, %v) = %q, want %q", tc[0], cands, got, tc[2])
		}
	}
}
