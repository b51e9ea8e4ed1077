package repl

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

// A quiz is a small lab built by verbs chosen from a seed, and one stack
// whose order the student names. The choices come from a PCG seeded with
// the quiz's number and nothing else (no clock, no map order), and each
// choice is PCG.Uint64 modulo a count: PCG-DXSM is a fixed algorithm, so
// quiz --seed N is the same quiz on every machine and every Go release.
type quiz struct {
	seed   uint64
	verbs  []string
	stack  string   // the stack asked about: C: or D:
	answer []string // its drivers' short names, top first
}

// quizNames are the filters a quiz draws from.
var quizNames = []string{"av", "backup", "enc", "spy", "quota", "hsm", "audit", "dlp"}

// maxQuizSeed bounds --seed so the number stays easy to type and say.
const maxQuizSeed = 1<<53 - 1

// quizItem is a verb the quiz may run, once the items it needs have run.
type quizItem struct {
	verb  string
	needs []int
}

// makeQuiz builds quiz seed. It draws a plan, runs it in a scratch lab,
// keeps the verbs that succeed (a detach of a filter that never reached
// the volume, say, is dropped), and draws again until the stack asked
// about holds at least two filters. The draws come in a fixed order (plan,
// order, detach), so a seed always gives the same quiz.
func makeQuiz(seed uint64) quiz {
	src := rand.NewPCG(seed, 0x66737369_6d717a31) // "fssimqz1"
	pick := func(n int) int { return int(src.Uint64() % uint64(n)) }
	for {
		p := drawQuizPlan(pick)
		verbs := p.order(pick)
		if pick(3) == 0 {
			// Detach a filter that is likely in the middle of C:'s stack.
			verbs = append(verbs, "filter detach "+p.filters[pick(len(p.filters))]+" C:")
		}
		if q, ok := runQuizPlan(seed, verbs, p.volNames); ok {
			return q
		}
	}
}

// quizPlan is what a quiz may run: file systems, volumes and filters, each
// item with the items it needs.
type quizPlan struct {
	items    []quizItem
	volNames []string // the volumes mounted: C:, maybe D:
	filters  []string // the filters loaded, as drawn
}

// drawQuizPlan draws the plan: ntfs and C:, maybe fastfat and D:, maybe a
// remount of C:, and 2 to 4 filters, each notify, notify without
// enumeration, or attached by command to a volume.
func drawQuizPlan(pick func(int) int) quizPlan {
	var p quizPlan
	add := func(verb string, needs ...int) int {
		p.items = append(p.items, quizItem{verb: verb, needs: needs})
		return len(p.items) - 1
	}
	ntfs := add("fs register ntfs")
	mountC := add("mount C:", ntfs)
	vols := []int{mountC}
	p.volNames = []string{"C:"}
	if pick(2) == 0 {
		fat := add("fs register fastfat")
		vols = append(vols, add("mount D: --format fat32", fat))
		p.volNames = append(p.volNames, "D:")
	}
	remount := -1
	if pick(4) == 0 {
		dis := add("dismount C:", mountC)
		remount = add("mount C:", dis)
	}
	names := append([]string(nil), quizNames...)
	for i := len(names) - 1; i > 0; i-- {
		j := pick(i + 1)
		names[i], names[j] = names[j], names[i]
	}
	p.filters = names[:2+pick(3)]
	for _, name := range p.filters {
		switch pick(5) {
		case 0, 1:
			add("filter load " + name + " --notify")
		case 2:
			add("filter load " + name + " --notify --no-enumerate")
		default:
			load := add("filter load " + name)
			v := pick(len(vols))
			needs := []int{load, vols[v]}
			if v == 0 && remount >= 0 && pick(2) == 0 {
				needs = append(needs, remount)
			}
			add("filter attach "+name+" "+p.volNames[v], needs...)
		}
	}
	return p
}

// order draws the plan's order: any item whose needs have run may come
// next.
func (p quizPlan) order(pick func(int) int) []string {
	var verbs []string
	done := make([]bool, len(p.items))
	for range p.items {
		var ready []int
		for i, it := range p.items {
			if done[i] {
				continue
			}
			ok := true
			for _, nd := range it.needs {
				ok = ok && done[nd]
			}
			if ok {
				ready = append(ready, i)
			}
		}
		i := ready[pick(len(ready))]
		done[i] = true
		verbs = append(verbs, p.items[i].verb)
	}
	return verbs
}

// runQuizPlan runs verbs in a scratch lab, keeps those that succeed, and
// asks about the volume with the most filters; ok is false when none has
// two.
func runQuizPlan(seed uint64, verbs, volNames []string) (q quiz, ok bool) {
	q = quiz{seed: seed}
	scratch := NewSession(io.Discard, render.NewTheme(false))
	for _, v := range verbs {
		if scratch.Exec(v) == nil {
			q.verbs = append(q.verbs, v)
		}
	}
	best := 0
	for _, vol := range volNames {
		st, err := scratch.Eng.Stack(vol)
		if err != nil || len(st.Devices)-1 <= best {
			continue
		}
		best = len(st.Devices) - 1
		q.stack = vol
		q.answer = q.answer[:0]
		for _, d := range st.Devices {
			q.answer = append(q.answer, d.Short)
		}
	}
	return q, best >= 2
}

// quizVerb is quiz [--seed N] [--answer].
func (s *Session) quizVerb(c *Call) error {
	var seed uint64
	if v, ok := c.Value("seed"); ok {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n > maxQuizSeed {
			return errorf(engine.ErrBadValue, "quiz: bad --seed %s: want a whole number from 0 to %d", quoteWord(v), uint64(maxQuizSeed))
		}
		seed = n
	} else {
		// math/rand/v2's top-level generator is seeded by the runtime:
		// enough for picking a quiz, and crypto/rand would pull the FIPS
		// module's init into every start-up.
		seed = rand.Uint64N(1_000_000)
	}
	if why := s.Eng.NotBootState(); why != "" {
		return errorf(engine.ErrNotBootState, "a quiz starts from the boot state, and %s; run reset first", why)
	}
	q := makeQuiz(seed)
	s.markBoot(fmt.Sprintf("at the start of quiz %d", seed))
	// Build the lab here, quietly: the verbs join the history, and explain
	// names each as the quiz's verb N.
	at, out := s.at, s.Out // at: the quiz's own line, which says where the answer comes from
	s.Out = io.Discard
	for i, v := range q.verbs {
		err := s.execLine(v, origin{name: "quiz", line: i + 1})
		if err != nil {
			s.Out = out
			return errorf(ErrInternal, "internal error: quiz %d: %s: %v (this is a bug in fssim)", seed, v, err)
		}
	}
	s.Out = out

	var b strings.Builder
	fmt.Fprintf(&b, "quiz %d (quiz --seed %d replays it): from the boot state, fssim ran\n", seed, seed)
	for i, v := range q.verbs {
		fmt.Fprintf(&b, "  %2d  %s\n", i+1, v)
	}
	fmt.Fprintf(&b, "What is %s's device stack now? Name its drivers top first, separated by spaces, the file system last (like: f2 f1 %s).\n",
		q.stack, q.answer[len(q.answer)-1])
	io.WriteString(s.Out, b.String())
	right := strings.Join(q.answer, " ")
	if c.Bool("answer") {
		fmt.Fprintf(s.Out, "answer: %s\n", right)
		return s.quizExplain(q)
	}
	answer, ok := "", false
	switch {
	case at.next != nil:
		answer, ok = at.next()
	case at.ask != nil:
		// An empty answer (Enter by mistake) asks again; Ctrl-C or
		// Ctrl-D (an error from ask) skips the quiz.
		for {
			line, err := at.ask("answer> ")
			if err != nil {
				fmt.Fprintf(s.Out, "quiz skipped: the lab stays built (quiz --seed %d --answer shows the answer and why)\n", seed)
				return nil
			}
			if answer = strings.TrimSpace(line); answer != "" {
				ok = true
				break
			}
		}
	}
	if !ok {
		fmt.Fprintf(s.Out, "nobody to answer here: type quiz --seed %d at the fssim> prompt, or put the answer on the line after "+
			"the quiz in a scenario; quiz --seed %d --answer shows the answer\n", seed, seed)
		return nil
	}
	fmt.Fprintf(s.Out, "your answer: %s\n", echo(answer))
	verdict := fmt.Sprintf("not quite: %s is %s, top first", q.stack, right)
	if quizRight(answer, q.answer) {
		verdict = fmt.Sprintf("right: %s is %s, top first", q.stack, right)
	}
	io.WriteString(s.Out, verdict+"\n")
	if err := s.quizExplain(q); err != nil {
		return err
	}
	// The explanation is long: the verdict again, where the eye is.
	fmt.Fprintf(s.Out, "\n%s\n", verdict)
	return nil
}

// quizExplain prints explain STACK for the quiz's stack, as explain does.
func (s *Session) quizExplain(q quiz) error {
	io.WriteString(s.Out, "\n")
	return s.explainStack(q.stack, false, false)
}

// quizRight compares an answer with a stack's drivers, top first: case
// does not matter, a \FileSystem\ prefix may be written, and the file
// system at the bottom may be left out or named by its format (fat for
// fastfat).
func quizRight(answer string, want []string) bool {
	var got []string
	for _, w := range strings.Fields(answer) {
		w = strings.ToLower(w)
		w = strings.TrimPrefix(w, `\filesystem\`)
		got = append(got, strings.Trim(w, ","))
	}
	if len(got) == len(want)-1 {
		got = append(got, want[len(want)-1])
	}
	if n := len(got); n > 0 && n == len(want) && engine.FileSystemFor(got[n-1]) == want[n-1] {
		got[n-1] = want[n-1]
	}
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}
