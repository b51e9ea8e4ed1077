package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

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
		RunE: func(cmd *cobra.Command, args []string) error {
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
			th := a.theme()
			failed, changed := 0, 0
			// The JUnit report, if asked for, gets each scenario's
			// result as the lines above print it: note records one.
			var report *junitReport
			if junit != "" {
				report = newJUnitReport()
			}
			note := func(path, message, detail string) {
				if report != nil {
					report.add(filepath.ToSlash(path), message, detail)
				}
			}
			for _, sc := range scs {
				if sc.Orphan {
					failed++
					fmt.Fprintf(a.stdout, "%s  %s: orphan golden: no %s beside it (delete it or restore the scenario)\n", th.Err("FAIL"), repl.ShowName(sc.Golden), repl.ShowName(filepath.Base(sc.Path)))
					note(sc.Golden, "orphan golden: no "+filepath.Base(sc.Path)+" beside it", "")
					continue
				}
				c := repl.CheckScenario(sc, th)
				if c.Err != nil {
					failed++
					fmt.Fprintf(a.stdout, "%s  %s: %v\n", th.Err("FAIL"), repl.ShowName(sc.Path), c.Err)
					note(sc.Path, c.Err.Error(), "")
					continue
				}
				if c.GoldenErr != nil {
					failed++
					fmt.Fprintf(a.stdout, "%s  %s: cannot read its golden %s: %v (it is left alone)\n", th.Err("FAIL"), repl.ShowName(sc.Path), repl.ShowName(sc.Golden), c.GoldenErr)
					note(sc.Path, fmt.Sprintf("cannot read its golden %s: %v", sc.Golden, c.GoldenErr), "")
					continue
				}
				if update {
					status := "ok"
					if c.Missing || !bytes.Equal(c.Got, c.Want) {
						if err := repl.WriteGolden(sc.Golden, c.Got); err != nil {
							failed++
							fmt.Fprintf(a.stdout, "%s  %s: %v\n", th.Err("FAIL"), repl.ShowName(sc.Path), err)
							note(sc.Path, err.Error(), "")
							continue
						}
						changed++
						status = "updated"
						if c.Missing {
							status = "created"
						}
					}
					if c.Failed > 0 {
						failed++
						fmt.Fprintf(a.stdout, "%s  %s (%s %s; %d line(s) failed: see the error lines in it)\n", th.Err("FAIL"), repl.ShowName(sc.Path), status, repl.ShowName(sc.Golden), c.Failed)
						note(sc.Path, fmt.Sprintf("%d line(s) failed", c.Failed), string(c.Got))
						continue
					}
					note(sc.Path, "", "")
					if status == "ok" {
						fmt.Fprintf(a.stdout, "%s    %s\n", th.OK("ok"), repl.ShowName(sc.Path))
					} else {
						fmt.Fprintf(a.stdout, "%s  %s\n", status, repl.ShowName(sc.Golden))
					}
					continue
				}
				if c.Missing {
					failed++
					fmt.Fprintf(a.stdout, "%s  %s: no golden: run fssim test --update %s\n", th.Err("FAIL"), repl.ShowName(sc.Path), shellQuote(sc.Path))
					note(sc.Path, "no golden: run fssim test --update "+shellQuote(sc.Path), "")
					continue
				}
				if c.OK() {
					fmt.Fprintf(a.stdout, "%s    %s\n", th.OK("ok"), repl.ShowName(sc.Path))
					note(sc.Path, "", "")
					continue
				}
				failed++
				why := ""
				if c.Failed > 0 {
					why = fmt.Sprintf(" (%d line(s) failed)", c.Failed)
				}
				fmt.Fprintf(a.stdout, "%s  %s%s\n", th.Err("FAIL"), repl.ShowName(sc.Path), why)
				if c.Diff != "" {
					fmt.Fprint(a.stdout, c.Diff)
				}
				msg := "the transcript differs from " + filepath.ToSlash(sc.Golden)
				switch {
				case c.Failed > 0 && c.Diff == "":
					msg = fmt.Sprintf("%d line(s) failed", c.Failed)
				case c.Failed > 0:
					msg += why
				}
				note(sc.Path, msg, c.Diff)
			}
			summary := fmt.Sprintf("%d scenario(s): %d ok, %d failed", len(scs), len(scs)-failed, failed)
			if update {
				summary += fmt.Sprintf(", %d golden file(s) written", changed)
			}
			fmt.Fprintln(a.stdout, summary)
			if report != nil {
				b, err := report.xml()
				if err == nil {
					err = repl.WriteJUnit(junit, b)
				}
				if err != nil {
					return &exitError{code: exitFailed, msg: err.Error()}
				}
			}
			if failed > 0 {
				return &exitError{code: exitFailed}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&update, "update", false, "write the golden files from what the scenarios print now")
	cmd.Flags().StringVar(&junit, "junit", "", "also write a JUnit XML report to `FILE` (one testcase per scenario), for CI")
	return cmd
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
// quotes. It is for paths in suggested commands. A name with characters a
// terminal would act on (escape sequences, bidi overrides, line breaks) is
// written $'...' with escapes instead, as bash, zsh and ksh read it, so the
// suggestion never carries them raw.
func shellQuote(p string) string {
	if repl.ShowName(p) != p {
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
