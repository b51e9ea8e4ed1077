package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/fssim/fssim/internal/render"
	"github.com/fssim/fssim/internal/repl"
)

// testCmd is fssim test: the golden runner course authors put in their CI.
func (a *app) testCmd() *cobra.Command {
	var update bool
	var junit string
	cmd := &cobra.Command{
		Use:   "test [PATH...]",
		Short: "run each X.fss and compare its transcript with X.golden beside it",
		Long: "test runs every scenario X.fss in the files and folders named (folders searched recursively; the\n" +
			"current folder by default), each in a fresh lab with color off, and compares what it prints with the\n" +
			"golden file X.golden beside it. What a scenario writes (save, export) goes to a scratch folder removed\n" +
			"after it; load and source look there first, then beside the scenario. Every .fss is a test: one without\n" +
			"its golden fails (--update creates it), and so does a .golden with no .fss beside it. A file named twice\n" +
			"is tested once. A golden with CRLF\n" +
			"line endings (a Git for Windows checkout) matches; only CRLF pairs are read as LF.\n\n" +
			"It prints ok or FAIL per scenario, a unified diff for each failure (colored on a terminal; each hunk\n" +
			"names the scenario line its first change comes from) and a summary. A scenario also fails if a line\n" +
			"not marked '!' fails. Exit status: 0 all ok, 1 any failed, 2 nothing found.\n\n" +
			"--update writes the golden files (and creates missing ones) from what the scenarios print now, always\n" +
			"with LF line endings, through a temporary file renamed over the golden; a golden that matches already is\n" +
			"left alone, and so is one that is not a regular file (a symbolic link, a folder), reported as a failure.\n" +
			"Read the diff before you commit it.\n\n" +
			"--junit FILE also writes a JUnit XML report for CI systems that show test results: one testcase per\n" +
			"scenario, a failure with the diff (or why it failed) for each that failed. FILE is written as save\n" +
			"writes a file, through a temporary file renamed over it; the exit status is the same.",
		Example: "  fssim test lessons/\n  fssim test lessons/mount.fss\n  fssim test --update lessons/\n  fssim test --junit report.xml lessons/",
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runTests(args, update, junit) },
	}
	cmd.Flags().BoolVar(&update, "update", false, "write the golden files from what the scenarios print now")
	cmd.Flags().StringVar(&junit, "junit", "", "also write a JUnit XML report to `FILE` (one testcase per scenario), for CI")
	return cmd
}

// runTests is fssim test PATH...: find the scenarios, check each, print
// the summary and write the JUnit report if asked for.
func (a *app) runTests(args []string, update bool, junit string) error {
	if a.brief {
		return &exitError{code: exitUsage, msg: "--brief does not apply to fssim test: golden transcripts hold the full output (a scenario can say brief on)"}
	}
	if a.trace != "" {
		return &exitError{code: exitUsage, msg: "--trace does not apply to fssim test: golden transcripts hold the full output (a scenario can say trace brief or trace stacks)"}
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	scs, err := repl.FindScenarios(args)
	if err != nil {
		return &exitError{code: exitUsage, msg: openMsg(err)}
	}
	if len(scs) == 0 {
		return &exitError{code: exitNothing, msg: fmt.Sprintf("no scenario found in %s: test runs every X.fss under the paths named against X.golden beside it (--update creates the goldens)", showNames(args))}
	}
	r := testRun{out: a.stdout, th: a.theme(), update: update}
	if junit != "" {
		r.report = newJUnitReport()
	}
	for _, sc := range scs {
		r.scenario(sc)
	}
	summary := fmt.Sprintf("%d scenario(s): %d ok, %d failed", len(scs), len(scs)-r.failed, r.failed)
	if update {
		summary += fmt.Sprintf(", %d golden file(s) written", r.changed)
	}
	fmt.Fprintln(a.stdout, summary)
	if r.report != nil {
		if err := repl.WriteJUnit(junit, r.report.xml()); err != nil {
			return &exitError{code: exitFailed, msg: err.Error()}
		}
	}
	if r.failed > 0 {
		return &exitError{code: exitFailed}
	}
	return nil
}

// testRun is one run of fssim test: where it prints, the counts, and the
// JUnit report (nil unless --junit), which gets each scenario's result as
// the lines printed say it.
type testRun struct {
	out             io.Writer
	th              render.Theme
	update          bool
	report          *junitReport
	failed, changed int
}

// note records a scenario's result in the report: message "" for a pass.
func (r *testRun) note(path, message, detail string) {
	if r.report != nil {
		r.report.add(filepath.ToSlash(path), message, detail)
	}
}

// fail counts a failed scenario and prints its FAIL line: the name, then
// rest.
func (r *testRun) fail(name, rest string) {
	r.failed++
	fmt.Fprintf(r.out, "%s  %s%s\n", r.th.Err("FAIL"), repl.ShowName(name), rest)
}

func (r *testRun) pass(path string) {
	fmt.Fprintf(r.out, "%s    %s\n", r.th.OK("ok"), repl.ShowName(path))
	r.note(path, "", "")
}

// scenario checks one scenario, or reports an orphan golden.
func (r *testRun) scenario(sc repl.Scenario) {
	if sc.Orphan {
		r.fail(sc.Golden, ": orphan golden: no "+repl.ShowName(filepath.Base(sc.Path))+" beside it (delete it or restore the scenario)")
		r.note(sc.Golden, "orphan golden: no "+filepath.Base(sc.Path)+" beside it", "")
		return
	}
	c := repl.CheckScenario(sc, r.th)
	switch {
	case c.Err != nil:
		r.fail(sc.Path, fmt.Sprintf(": %v", c.Err))
		r.note(sc.Path, c.Err.Error(), "")
	case c.GoldenErr != nil:
		r.fail(sc.Path, fmt.Sprintf(": cannot read its golden %s: %v (it is left alone)", repl.ShowName(sc.Golden), c.GoldenErr))
		r.note(sc.Path, fmt.Sprintf("cannot read its golden %s: %v", sc.Golden, c.GoldenErr), "")
	case r.update:
		r.updateGolden(sc, c)
	case c.Missing:
		r.fail(sc.Path, ": no golden: run fssim test --update "+shellQuote(sc.Path))
		r.note(sc.Path, "no golden: run fssim test --update "+shellQuote(sc.Path), "")
	case c.OK():
		r.pass(sc.Path)
	default:
		r.differs(sc, c)
	}
}

// updateGolden is fssim test --update for one scenario: write its golden
// when it is missing or differs.
func (r *testRun) updateGolden(sc repl.Scenario, c repl.Check) {
	status := "ok"
	if c.Missing || !bytes.Equal(c.Got, c.Want) {
		if err := repl.WriteGolden(sc.Golden, c.Got); err != nil {
			r.fail(sc.Path, fmt.Sprintf(": %v", err))
			r.note(sc.Path, err.Error(), "")
			return
		}
		r.changed++
		status = "updated"
		if c.Missing {
			status = "created"
		}
	}
	switch {
	case c.Failed > 0:
		r.fail(sc.Path, fmt.Sprintf(" (%s %s; %d line(s) failed: see the error lines in it)", status, repl.ShowName(sc.Golden), c.Failed))
		r.note(sc.Path, fmt.Sprintf("%d line(s) failed", c.Failed), string(c.Got))
	case status == "ok":
		r.pass(sc.Path)
	default:
		fmt.Fprintf(r.out, "%s  %s\n", status, repl.ShowName(sc.Golden))
		r.note(sc.Path, "", "")
	}
}

// differs reports a scenario whose transcript is not its golden, or that
// had failing lines: the FAIL line, then the diff.
func (r *testRun) differs(sc repl.Scenario, c repl.Check) {
	why := ""
	if c.Failed > 0 {
		why = fmt.Sprintf(" (%d line(s) failed)", c.Failed)
	}
	r.fail(sc.Path, why)
	if c.Diff != "" {
		fmt.Fprint(r.out, c.Diff)
	}
	msg := "the transcript differs from " + filepath.ToSlash(sc.Golden)
	switch {
	case c.Failed > 0 && c.Diff == "":
		msg = fmt.Sprintf("%d line(s) failed", c.Failed)
	case c.Failed > 0:
		msg += why
	}
	r.note(sc.Path, msg, c.Diff)
}

// showNames is the paths named, as fssim test prints them.
func showNames(paths []string) string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = repl.ShowName(p)
	}
	return strings.Join(out, " ")
}

// shellQuote returns p as a word a POSIX shell reads back as p: as it is
// when it holds only characters no shell treats specially, else in single
// quotes. It is fssim's one shell quoter: for paths in suggested commands
// and for the line of verbs in the -c hint. A word with characters a
// terminal would act on (escape sequences, bidi overrides, line breaks, or
// bytes that are not UTF-8) is written $'...' with escapes instead, as
// bash, zsh and ksh read it, so the suggestion never carries them raw.
func shellQuote(p string) string {
	if !utf8.ValidString(p) || strings.ContainsFunc(p, func(r rune) bool { return !unicode.IsPrint(r) }) {
		q := strconv.Quote(p) // \x1b, \n, \u202e: $'...' reads Go's escapes
		q = strings.ReplaceAll(q[1:len(q)-1], `\"`, `"`)
		return "$'" + strings.ReplaceAll(q, "'", `\'`) + "'"
	}
	safe := p != ""
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-./:@%+,=", r)) {
			safe = false
			break
		}
	}
	if safe {
		return p
	}
	return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
}
