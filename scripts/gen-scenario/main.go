// Command gen-scenario writes a long, valid, reproducible fssim scenario for
// benchmarks and CI: F file systems, K filters (notify and command-driven),
// every drive letter from C: to Z: mounted, then a random mix of every
// state-changing verb with show --json now and then.
//
//	go run ./scripts/gen-scenario -seed 1 -verbs 100000 -filters 50 -fs 12 > big.fss
//
// Every line it writes succeeds: the generator keeps a lab of its own (an
// fssim session whose output it throws away), picks each verb from that
// lab's state and runs it there before writing it, and stops with an error if
// a line it chose fails. The same flags always give the same bytes: the only
// randomness is math/rand/v2's PCG seeded from -seed, and every list it picks
// from is sorted.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
	"github.com/fssim/fssim/internal/repl"
)

func main() {
	var cfg Config
	flag.Uint64Var(&cfg.Seed, "seed", 1, "random seed; the same seed gives the same scenario")
	flag.IntVar(&cfg.Verbs, "verbs", 1000, "number of verb lines to write (comments not counted)")
	flag.IntVar(&cfg.Filters, "filters", 50, "number of filters (half notify, half command-driven)")
	flag.IntVar(&cfg.FileSystems, "fs", 12, "number of file systems (the six built-in ones, fs_rec, then file systems of its own)")
	out := flag.String("o", "-", "output file (- for stdout)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "gen-scenario: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}
	var w io.Writer = os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gen-scenario: %v\n", err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := Generate(bw, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "gen-scenario: %v\n", err)
		os.Exit(1)
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "gen-scenario: %v\n", err)
		os.Exit(1)
	}
}

// Config is what to generate.
type Config struct {
	Seed        uint64
	Verbs       int
	Filters     int
	FileSystems int
}

// fsSpec is a file system the scenario registers.
type fsSpec struct {
	name  string // lower case, the driver's key
	flags string // " --type cdrom --low-priority"
	media engine.Media
	// mountable says a volume can be formatted for it: false for the
	// recognizer and for network file systems.
	mountable bool
	format    string // the --format that it claims
}

// fltSpec is a filter the scenario loads.
type fltSpec struct {
	name   string
	notify bool
	flags  string // " --notify --no-enumerate"
}

type gen struct {
	cfg     Config
	r       *rand.Rand
	s       *repl.Session
	w       io.Writer
	written int

	fss     []fsSpec
	filters []fltSpec
	letters []string
	media   map[string]engine.Media

	// notifyList models the engine's list of registration-change routines.
	// An entry belongs to one load of a filter: after an unload, a second
	// registration stays behind, stale (MODEL rule 25), and is not the
	// routine of the same name loaded again.
	notifyList []routine
	loads      map[string]int // how many times each filter was loaded
}

// routine is an entry of the notification list: a filter's name and which
// of its loads registered it.
type routine struct {
	name string
	load int
}

// current is the routine of the filter's present load.
func (g *gen) current(name string) routine { return routine{name, g.loads[name]} }

// builtins are the known file systems in the order a scenario registers
// them, with a format each claims and its media.
var builtins = []fsSpec{
	{name: "ntfs", media: engine.MediaDisk, mountable: true, format: "ntfs"},
	{name: "fastfat", media: engine.MediaDisk, mountable: true, format: "fat32"},
	{name: "cdfs", media: engine.MediaCdRom, mountable: true, format: "cdfs"},
	{name: "udfs", media: engine.MediaCdRom, mountable: true, format: "udf"},
	{name: "exfat", media: engine.MediaDisk, mountable: true, format: "exfat"},
	{name: "refs", media: engine.MediaDisk, mountable: true, format: "refs"},
	{name: "fs_rec"},
}

// Generate writes a scenario for cfg to w.
func Generate(w io.Writer, cfg Config) error {
	if cfg.Filters < 0 || cfg.FileSystems < 0 || cfg.Verbs < 0 {
		return fmt.Errorf("negative count")
	}
	g := &gen{
		cfg:   cfg,
		r:     rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		s:     repl.NewSession(io.Discard, render.NewTheme(false)),
		w:     w,
		media: map[string]engine.Media{},
	}
	for i := 0; i < cfg.FileSystems; i++ {
		if i < len(builtins) {
			g.fss = append(g.fss, builtins[i])
			continue
		}
		// File systems of its own, cycling through the device types.
		f := fsSpec{name: fmt.Sprintf("fs%02d", i), mountable: true}
		f.format = f.name
		switch i % 4 {
		case 0:
			f.flags, f.media = " --type disk", engine.MediaDisk
		case 1:
			f.flags, f.media = " --type cdrom --low-priority", engine.MediaCdRom
		case 2:
			f.flags, f.media = " --type tape", engine.MediaTape
		case 3:
			f.flags, f.mountable = " --type network", false
		}
		g.fss = append(g.fss, f)
	}
	for i := 0; i < cfg.Filters; i++ {
		f := fltSpec{name: fmt.Sprintf("flt%02d", i), notify: i%2 == 0}
		if f.notify {
			f.flags = " --notify"
			switch i % 10 {
			case 2:
				f.flags += " --no-enumerate"
			case 4:
				f.flags += " --attach-raw"
			case 6:
				f.flags += " --ex"
			}
		}
		g.filters = append(g.filters, f)
	}
	// C: to R: are disks, S: to W: CD-ROMs, X: to Z: tapes.
	for c := 'C'; c <= 'Z'; c++ {
		l := string(c) + ":"
		g.letters = append(g.letters, l)
		switch {
		case c <= 'R':
			g.media[l] = engine.MediaDisk
		case c <= 'W':
			g.media[l] = engine.MediaCdRom
		default:
			g.media[l] = engine.MediaTape
		}
	}
	fmt.Fprintf(w, "# generated by: go run ./scripts/gen-scenario -seed %d -verbs %d -filters %d -fs %d\n",
		cfg.Seed, cfg.Verbs, cfg.Filters, cfg.FileSystems)
	if err := g.setup(); err != nil {
		return err
	}
	for g.written < cfg.Verbs {
		if err := g.step(); err != nil {
			return err
		}
	}
	return nil
}

// emit runs a line in the generator's own lab and writes it. A line that
// fails there is a bug in the generator.
func (g *gen) emit(line string) error {
	if g.written >= g.cfg.Verbs {
		return nil
	}
	if err := g.s.Exec(line); err != nil {
		return fmt.Errorf("generated line %d %q failed: %v", g.written+1, line, err)
	}
	g.written++
	_, err := io.WriteString(g.w, line+"\n")
	return err
}

// setup builds the lab from the boot state: every file system, every filter
// in a random order, and every drive letter mounted.
func (g *gen) setup() error {
	io.WriteString(g.w, "\n# setup: file systems, filters, and every drive letter C: to Z: mounted\n")
	for _, i := range g.r.Perm(len(g.fss)) {
		if f := g.fss[i]; !g.registered(f.name) {
			if err := g.emit("fs register " + f.name + f.flags); err != nil {
				return err
			}
		}
	}
	for _, i := range g.r.Perm(len(g.filters)) {
		if err := g.load(g.filters[i]); err != nil {
			return err
		}
	}
	for _, l := range g.letters {
		if err := g.mount(l); err != nil {
			return err
		}
	}
	if g.written < g.cfg.Verbs {
		io.WriteString(g.w, "\n# a random mix of every state-changing verb\n")
	}
	return nil
}

func (g *gen) load(f fltSpec) error {
	if err := g.emit("filter load " + f.name + f.flags); err != nil {
		return err
	}
	if g.loads == nil {
		g.loads = map[string]int{}
	}
	g.loads[f.name]++
	if f.notify {
		g.notifyList = append(g.notifyList, g.current(f.name))
	}
	return nil
}

// mount mounts a letter with a format chosen at random: usually one a
// registered file system claims, now and then one that ends with RAW, or
// one the recognizer loads a driver for.
func (g *gen) mount(l string) error {
	m := g.media[l]
	var cands []string
	for _, f := range g.fss {
		if f.mountable && f.media == m {
			cands = append(cands, f.format)
		}
	}
	line := "mount " + l
	switch {
	case len(cands) > 0 && g.r.IntN(10) > 0:
		line += " --format " + cands[g.r.IntN(len(cands))]
	case g.r.IntN(2) == 0:
		line += " --format unknownfs"
	}
	if m != engine.MediaDisk {
		line += " --media " + m.String()
	}
	return g.emit(line)
}

func (g *gen) registered(name string) bool {
	for _, n := range g.s.Eng.Names(false) {
		if n == name {
			return true
		}
	}
	return false
}

func (g *gen) loaded(name string) bool {
	for _, n := range g.s.Eng.Names(true) {
		if n == name {
			return true
		}
	}
	return false
}

// attached reports whether filter f has a device on volume l's stack.
func (g *gen) attached(f, l string) bool {
	st, err := g.s.Eng.Stack(l)
	if err != nil {
		return false
	}
	for _, d := range st.Devices {
		if d.Short == f {
			return true
		}
	}
	return false
}

// Weights of the verbs in the mix, per 10,000 lines. A lab in steady state
// is mostly filters attaching and detaching and volumes coming and going;
// loading and unloading a notify filter touches every stack of the lab and
// prints each of them, so it is rarer, as in a real lab. A reset (about one
// in 10,000 lines) starts the lab again on a random OS profile.
var weights = []struct {
	verb string
	w    int
}{
	{"filter attach", 3300},
	{"filter detach", 2900},
	{"mount", 900},
	{"dismount", 750},
	{"fs register", 200},
	{"fs unregister", 180},
	{"filter load", 150},
	{"filter unload", 130},
	{"filter notify", 60},
	{"show --json", 50},
	{"reset", 1},
}

// step writes one line of the mix (or, after a reset, the setup again).
func (g *gen) step() error {
	total := 0
	for _, x := range weights {
		total += x.w
	}
	for {
		n := g.r.IntN(total)
		verb := ""
		for _, x := range weights {
			if n < x.w {
				verb = x.verb
				break
			}
			n -= x.w
		}
		line, ok := g.pick(verb)
		if !ok {
			continue
		}
		if verb == "reset" {
			io.WriteString(g.w, "\n# back to the boot state, perhaps on another OS profile, and build the lab again\n")
			if err := g.emit("reset"); err != nil {
				return err
			}
			g.notifyList = nil
			if err := g.emit("os " + []string{"xp", "w2ksp4"}[g.r.IntN(2)]); err != nil {
				return err
			}
			return g.setup()
		}
		switch verb {
		case "filter load":
			return g.load(g.filterNamed(line))
		case "mount":
			return g.mount(line)
		}
		if err := g.emit(line); err != nil {
			return err
		}
		g.after(verb, line)
		return nil
	}
}

func (g *gen) filterNamed(name string) fltSpec {
	for _, f := range g.filters {
		if f.name == name {
			return f
		}
	}
	panic("no filter " + name)
}

// after keeps the generator's model of the notification list.
func (g *gen) after(verb, line string) {
	switch verb {
	case "filter unload":
		// IoUnregisterFsRegistrationChange removes the first entry only
		// (MODEL rule 25); a second registration stays, stale.
		r := g.current(strings.Fields(line)[2])
		for i, n := range g.notifyList {
			if n == r {
				g.notifyList = append(g.notifyList[:i:i], g.notifyList[i+1:]...)
				break
			}
		}
	case "filter notify":
		g.notifyList = append(g.notifyList, g.current(strings.Fields(line)[2]))
	}
}

// registrations counts the entries of the filter's present load.
func (g *gen) registrations(name string) int {
	n := 0
	for _, x := range g.notifyList {
		if x == g.current(name) {
			n++
		}
	}
	return n
}

// pick chooses a valid line for verb from the lab's state, or reports that
// there is none now. For filter load it returns the filter's name, and for
// mount the drive letter.
func (g *gen) pick(verb string) (string, bool) {
	e := g.s.Eng
	switch verb {
	case "filter attach", "filter detach":
		if len(g.filters) == 0 {
			return "", false
		}
		mounted := e.VolumeNames(true)
		loaded := e.Names(true)
		if len(mounted) == 0 || len(loaded) == 0 {
			return "", false
		}
		want := verb == "filter attach" // skip pairs already in the wanted state
		for try := 0; try < 20; try++ {
			f := loaded[g.r.IntN(len(loaded))]
			l := mounted[g.r.IntN(len(mounted))]
			if g.attached(f, l) == want {
				continue
			}
			return fmt.Sprintf("%s %s %s", verb, f, l), true
		}
	case "mount":
		if un := e.VolumeNames(false); len(un) > 0 {
			return un[g.r.IntN(len(un))], true
		}
	case "dismount":
		if m := e.VolumeNames(true); len(m) > 0 {
			return "dismount " + m[g.r.IntN(len(m))], true
		}
	case "filter load":
		var cands []string
		for _, f := range g.filters {
			if !g.loaded(f.name) {
				cands = append(cands, f.name)
			}
		}
		if len(cands) > 0 {
			return cands[g.r.IntN(len(cands))], true
		}
	case "filter unload":
		// Only a filter with nothing attached above any of its devices:
		// the I/O manager defers any other unload (MODEL rule 25).
		var cands []string
		for _, f := range e.Names(true) {
			if e.UnloadBlocked(f) == nil {
				cands = append(cands, f)
			}
		}
		if len(cands) > 0 {
			return "filter unload " + cands[g.r.IntN(len(cands))], true
		}
	case "fs register":
		var cands []fsSpec
		for _, f := range g.fss {
			if !g.registered(f.name) {
				cands = append(cands, f)
			}
		}
		if len(cands) > 0 {
			f := cands[g.r.IntN(len(cands))]
			return "fs register " + f.name + f.flags, true
		}
	case "fs unregister":
		var cands []string
		for _, f := range e.FileSystems() {
			if f.Name != "raw" && len(f.Mounted) == 0 {
				cands = append(cands, f.Name)
			}
		}
		if len(cands) > 0 {
			return "fs unregister " + cands[g.r.IntN(len(cands))], true
		}
	case "filter notify":
		loaded := e.Names(true)
		var cands []string
		for _, f := range loaded {
			// At most two registrations each, so the list stays short.
			if g.registrations(f) < 2 && (len(g.notifyList) == 0 || g.notifyList[len(g.notifyList)-1] != g.current(f)) {
				cands = append(cands, f)
			}
		}
		if len(cands) > 0 {
			line := "filter notify " + cands[g.r.IntN(len(cands))]
			if g.r.IntN(4) == 0 {
				line += " --ex"
			}
			return line, true
		}
	case "show --json":
		return "show --json", true
	case "reset":
		return "reset", true
	}
	return "", false
}
