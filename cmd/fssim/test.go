package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/fssim/fssim/internal/repl"
)

// testCmd is fssim test: the golden runner course authors put in their CI.
func (a *app) testCmd() *cobra.Command {
	var update bool
	cmd := &cobra.Command{
		Use:   "test [PATH...]",
		Short: "run each X.fss that has X.golden beside it and compare the transcripts",
		Long: "test runs every scenario X.fss that has X.golden beside it (in the files and folders named, searched\n" +
			"recursively; the current folder by default), each in a fresh lab with color off, and compares what it\n" +
			"prints with the golden file. It prints ok or FAIL per scenario, a unified diff for each failure and a\n" +
			"summary. A scenario also fails if a line not marked '!' fails. Exit status: 0 all ok, 1 any failed,\n" +
			"2 nothing found.\n\n" +
			"--update writes the golden files (and creates missing ones) from what the scenarios print now. Read\n" +
			"the diff before you commit it.",
		Example: "  fssim test lessons/\n  fssim test lessons/mount.fss\n  fssim test --update lessons/",
		RunE: func(cmd *cobra.Command, args []string) error {
			if a.brief {
				return &exitError{code: exitUsage, msg: "--brief does not apply to fssim test: golden transcripts hold the full output (a scenario can say brief on)"}
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			scs, err := repl.FindScenarios(args, update)
			if err != nil {
				return &exitError{code: exitUsage, msg: openMsg(err)}
			}
			if len(scs) == 0 {
				return &exitError{code: exitNothing, msg: fmt.Sprintf("no scenario found in %v: test wants X.fss files with X.golden beside them (--update creates the goldens)", args)}
			}
			th := a.theme()
			failed, changed := 0, 0
			for _, sc := range scs {
				c := repl.CheckScenario(sc)
				if c.Err != nil {
					failed++
					fmt.Fprintf(a.stdout, "%s  %s: %v\n", th.Err("FAIL"), sc.Path, c.Err)
					continue
				}
				if update {
					status := "ok"
					if c.Missing || !bytes.Equal(c.Got, c.Want) {
						if err := os.WriteFile(sc.Golden, c.Got, 0o644); err != nil {
							return &exitError{code: exitFailed, msg: err.Error()}
						}
						changed++
						status = "updated"
						if c.Missing {
							status = "created"
						}
					}
					if c.Failed > 0 {
						failed++
						fmt.Fprintf(a.stdout, "%s  %s (%s %s; %d line(s) failed: see the error lines in it)\n", th.Err("FAIL"), sc.Path, status, sc.Golden, c.Failed)
						continue
					}
					if status == "ok" {
						fmt.Fprintf(a.stdout, "%s    %s\n", th.OK("ok"), sc.Path)
					} else {
						fmt.Fprintf(a.stdout, "%s  %s\n", status, sc.Golden)
					}
					continue
				}
				if c.OK() {
					fmt.Fprintf(a.stdout, "%s    %s\n", th.OK("ok"), sc.Path)
					continue
				}
				failed++
				why := ""
				if c.Failed > 0 {
					why = fmt.Sprintf(" (%d line(s) failed)", c.Failed)
				}
				fmt.Fprintf(a.stdout, "%s  %s%s\n", th.Err("FAIL"), sc.Path, why)
				if c.Diff != "" {
					fmt.Fprint(a.stdout, c.Diff)
				}
			}
			summary := fmt.Sprintf("%d scenario(s): %d ok, %d failed", len(scs), len(scs)-failed, failed)
			if update {
				summary += fmt.Sprintf(", %d golden file(s) written", changed)
			}
			fmt.Fprintln(a.stdout, summary)
			if failed > 0 {
				return &exitError{code: exitFailed}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&update, "update", false, "write the golden files from what the scenarios print now")
	return cmd
}
