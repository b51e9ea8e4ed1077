package engine

import (
	"slices"
	"strings"
	"testing"
)

// opsOf lists the ops of a trace, in order.
func opsOf(evs []Event) []Op {
	out := make([]Op, len(evs))
	for i, e := range evs {
		out[i] = e.Op
	}
	return out
}

// Rules 7, 8, 10, 12 and 21: each profile is a row of capabilities, and each
// capability shows in what a filter does. One lab per profile: ntfs
// registered and C: mounted before av loads with --notify, then fastfat
// registered after it.
func TestProfileCapabilities(t *testing.T) {
	cases := []struct {
		p                                              Profile
		name, title                                    string
		replay, enumerate, ex, safe, mountAware, block bool
	}{
		{W2K, "w2k", "Windows 2000", false, false, false, false, false, false},
		{W2KSP4, "w2ksp4", "Windows 2000 SP4 with Update Rollup 1", false, false, true, true, false, false},
		{XP, "xp", "Windows XP and later", true, true, true, true, false, false},
		{Win7, "win7", "Windows 7", true, true, true, true, true, false},
		{Win10, "win10", "Windows 10 1607 and later", true, true, true, true, true, true},
	}
	if len(cases) != len(Profiles) {
		t.Fatalf("%d cases for %d profiles", len(cases), len(Profiles))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			equal(t, "String", c.p.String(), c.name)
			equal(t, "Title", c.p.Title(), c.title)
			equal(t, "Caps", c.p.Caps(), Caps{Replay: c.replay, Enumerate: c.enumerate, Ex: c.ex, SafeAttach: c.safe, MountAware: c.mountAware, BlockPolicy: c.block})
			p, err := ParseProfile(strings.ToUpper(c.name))
			if err != nil || p != c.p {
				t.Fatalf("ParseProfile(%q) = %v, %v", c.name, p, err)
			}

			e := fresh(t)
			if c.p != XP {
				ev := mustOK(t, e)(e.SetProfile(c.p))
				equal(t, "os notes mount-aware", slices.Contains(opsOf(ev), OpHasMountAware), c.mountAware)
				equal(t, "os notes the policy", slices.Contains(opsOf(ev), OpHasBlockPolicy), c.block)
				equal(t, "os notes the replay", slices.Contains(opsOf(ev), OpXPReplays), c.replay)
			}
			// The policy exists only where the profile has it.
			if c.block {
				mustOK(t, e)(e.SetBlockLegacy(false))
			} else {
				refusedUnchanged(t, e, ErrNotOnProfile, func() ([]Event, error) { return e.SetBlockLegacy(true) })
			}
			regFS(t, e, "ntfs")
			mount(t, e, "C:")
			ev := loadNotify(t, e, "av")
			equal(t, "replayed \\Ntfs", len(callbacks(ev)) == 1, c.replay)
			equal(t, "on \\Ntfs", contains(shortsOf(t, e, `\Ntfs`), "av"), c.replay)
			equal(t, "enumerated C:", contains(shortsOf(t, e, "C:"), "av"), c.enumerate)
			equal(t, "enumerate-missed", slices.Contains(opsOf(ev), OpEnumMissed), false) // w2k never reached \Ntfs
			ev = regFS(t, e, "fastfat")
			att := ofKind(ev, KindAttach)
			if len(att) == 0 {
				t.Fatal("av did not attach to fastfat's CDOs")
			}
			for _, a := range att {
				equal(t, "Safe attach", a.Data.(Attach).Safe, c.safe)
			}
			// The mount-aware registration exists only where the profile has it.
			opt := FilterOptions{Notify: true, MountAware: true}
			if c.mountAware {
				ev := mustOK(t, e)(e.LoadFilter("ma", opt))
				equal(t, "mount lock", slices.Contains(opsOf(ev), OpMountLock), true)
				equal(t, "ma mode", filterOf(t, e, "ma").Mode, "notify, mount-aware")
			} else {
				err := refusedUnchanged(t, e, ErrNotOnProfile, func() ([]Event, error) { return e.LoadFilter("ma", opt) })
				for _, w := range []string{c.name, "IoRegisterFsRegistrationChangeMountAware"} {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("refusal %q does not name %q", err, w)
					}
				}
			}
		})
	}
}

// Rule 10: IoRegisterFsRegistrationChangeMountAware(SynchronizeWithMounts=
// TRUE) takes the mount lock before the replay and releases it after the
// last attach of the replay, all inside the registration call.
func TestWin7MountAwareTrace(t *testing.T) {
	e := fresh(t)
	mustOK(t, e)(e.SetProfile(Win7))
	regFS(t, e, "ntfs")
	mount(t, e, "C:")
	ev := mustOK(t, e)(e.LoadFilter("av", FilterOptions{Notify: true, MountAware: true}))
	reg := indexOf(ev, func(x Event) bool { return x.Op == OpRegisterNotify })
	lock := indexOf(ev, func(x Event) bool { return x.Op == OpMountLock })
	unlock := indexOf(ev, func(x Event) bool { return x.Op == OpMountUnlock })
	replay := indexOf(ev, func(x Event) bool { return x.Op == OpReplay })
	if reg < 0 || lock < 0 || unlock < 0 || replay < 0 {
		t.Fatalf("trace lacks the registration, the lock, the replay or the release:\n%s", FormatEvents(ev))
	}
	equal(t, "registration variant", ev[reg].Data, Payload(RegisterNotify{Driver: "av", MountAware: true}))
	equal(t, "lock inside the registration", ev[lock].Cause, ev[reg].ID)
	equal(t, "release inside the registration", ev[unlock].Cause, ev[reg].ID)
	if !(reg < lock && lock < replay && replay < unlock) {
		t.Errorf("order: registration %d, lock %d, replay %d, release %d", reg, lock, replay, unlock)
	}
	for i, x := range ev {
		if x.Op == OpAttach && (i < lock || i > unlock) {
			t.Errorf("attach at %d outside the lock (%d..%d)", i, lock, unlock)
		}
	}
	if st := ev[len(ev)-1]; st.Op != OpStatus || st.Status != StatusSuccess || st.Cause != ev[reg].ID {
		t.Errorf("the registration does not end with its STATUS_SUCCESS: %s", evString(st))
	}
	equal(t, "on C:", shortsOf(t, e, "C:"), []string{"av", "ntfs"})
	f := filterOf(t, e, "av")
	equal(t, "MountAware", f.MountAware, true)
	equal(t, "Mode", f.Mode, "notify, mount-aware")
	w, _, err := e.ExplainFilter("av", "C:")
	if err != nil || w == nil {
		t.Fatalf("explain av C: %v", err)
	}
	equal(t, "rules", w.Rules, []int{7, 10, 12, 21})
	// A plain registration has neither note, on the same profile.
	ev = loadNotify(t, e, "plain")
	equal(t, "plain: no lock", slices.Contains(opsOf(ev), OpMountLock) || slices.Contains(opsOf(ev), OpMountUnlock), false)
	// --mount-aware needs --notify and is not --ex.
	refusedUnchanged(t, e, ErrBadOption, func() ([]Event, error) { return e.LoadFilter("x", FilterOptions{MountAware: true}) })
	refusedUnchanged(t, e, ErrBadOption, func() ([]Event, error) {
		return e.LoadFilter("x", FilterOptions{Notify: true, MountAware: true, Ex: true})
	})
}

// Rule 10: on win10 with IoBlockLegacyFsFilters=1, every registration
// routine returns STATUS_NOT_SUPPORTED: a --notify load fails and changes
// nothing, a command filter loads and attaches, and its late registration
// is refused too.
func TestWin10BlockLegacy(t *testing.T) {
	e := fresh(t)
	mustOK(t, e)(e.SetProfile(Win10))
	equal(t, "policy off by default", e.BlockLegacy(), false)
	ev := mustOK(t, e)(e.SetBlockLegacy(true))
	equal(t, "ops", opsOf(ev), []Op{OpPolicySet, OpPolicyRegistry})
	equal(t, "policy on", e.BlockLegacy(), true)
	ev = mustOK(t, e)(e.SetBlockLegacy(true))
	equal(t, "again", opsOf(ev), []Op{OpPolicySame})
	regFS(t, e, "ntfs")
	mount(t, e, "C:")
	for _, o := range []FilterOptions{{Notify: true}, {Notify: true, Ex: true}, {Notify: true, MountAware: true}, {Notify: true, AttachRaw: true}} {
		err := refusedUnchanged(t, e, ErrBlockedByPolicy, func() ([]Event, error) { return e.LoadFilter("av", o) })
		equal(t, "status", StatusOf(err), StatusNotSupported)
		for _, w := range []string{"IoBlockLegacyFsFilters", `HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\I/O System`, "reboot"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("refusal %q does not name %q", err, w)
			}
		}
	}
	equal(t, "av not loaded", hasFilter(t, e, "av"), false)
	// A filter that never registers still loads, but the policy blocks
	// its attach to a volume too (rule 10); FltMgr is not blocked.
	loadCmd(t, e, "backup")
	err0 := refusedUnchanged(t, e, ErrBlockedByPolicy, func() ([]Event, error) { return e.AttachFilter("backup", "C:") })
	equal(t, "attach status", StatusOf(err0), StatusNotSupported)
	for _, w := range []string{"IoBlockLegacyFsFilters", "attaching to storage volumes", "Filter Manager"} {
		if !strings.Contains(err0.Error(), w) {
			t.Errorf("attach refusal %q does not name %q", err0, w)
		}
	}
	equal(t, "C:", shortsOf(t, e, "C:"), []string{"ntfs"})
	mustOK(t, e)(e.LoadFltMgr())
	mustOK(t, e)(e.LoadMinifilter("mini", MiniOptions{Altitude: "328000"}))
	equal(t, "C: with FltMgr", shortsOf(t, e, "C:"), []string{"fltmgr", "ntfs"})
	equal(t, "instances", len(e.Instances("C:")), 1)
	err := refusedUnchanged(t, e, ErrBlockedByPolicy, func() ([]Event, error) { return e.RegisterNotification("backup", false) })
	equal(t, "late registration status", StatusOf(err), StatusNotSupported)
	// Windows reads the policy at boot: only the boot state may change it.
	refusedUnchanged(t, e, ErrNotBootState, func() ([]Event, error) { return e.SetBlockLegacy(false) })
	// Reset keeps it (a registry value survives a reboot)...
	ev = mustOK(t, e)(e.Reset(), nil)
	equal(t, "reset notes the policy", slices.Contains(opsOf(ev), OpPolicyKept), true)
	equal(t, "policy after reset", e.BlockLegacy(), true)
	// ... and the same profile again keeps it too; another profile clears it.
	mustOK(t, e)(e.SetProfile(Win10))
	equal(t, "policy after os win10 again", e.BlockLegacy(), true)
	mustOK(t, e)(e.SetProfile(Win7))
	equal(t, "policy after os win7", e.BlockLegacy(), false)
	mustOK(t, e)(e.SetProfile(Win10))
	equal(t, "policy after os win10", e.BlockLegacy(), false)
	loadNotify(t, e, "av")
}

// The policy is part of the lab: setting it changes the Dump, and a lab with
// it on differs from one with it off.
func TestPolicyInDump(t *testing.T) {
	a, b := fresh(t), fresh(t)
	mustOK(t, a)(a.SetProfile(Win10))
	mustOK(t, b)(b.SetProfile(Win10))
	before := b.Dump()
	mustOK(t, b)(b.SetBlockLegacy(true))
	if b.Dump() == before {
		t.Error("SetBlockLegacy(true) left Dump unchanged")
	}
	if a.Dump() == b.Dump() {
		t.Error("labs with the policy on and off have the same Dump")
	}
}
