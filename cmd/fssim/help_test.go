package main

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/fssim/fssim/internal/render"
	"github.com/fssim/fssim/internal/repl"
)

// The verb table is the one source of help: these tests fail when fssim
// --help, fssim help VERB or the table itself drift apart.

func TestVerbTableIsComplete(t *testing.T) {
	if len(repl.Verbs()) == 0 {
		t.Fatal("the verb table is empty")
	}
	groups := map[string]bool{}
	for _, g := range repl.Groups {
		groups[g] = true
	}
	for _, v := range repl.Verbs() {
		if strings.TrimSpace(v.Summary) == "" {
			t.Errorf("verb %q has no Summary", v.Name)
		}
		if strings.HasSuffix(v.Summary, ".") {
			t.Errorf("verb %q: Summary ends with a period: %q", v.Name, v.Summary)
		}
		if len(v.Examples) < 2 {
			t.Errorf("verb %q has %d example(s), want at least 2", v.Name, len(v.Examples))
		}
		if !groups[v.Group] {
			t.Errorf("verb %q: group %q is not in repl.Groups, so help never lists it", v.Name, v.Group)
		}
		if v.Run == nil {
			t.Errorf("verb %q has no handler", v.Name)
		}
	}
}

// TestVerbExamplesParse runs each example in a fresh lab: it may be refused
// by the lab (nothing loaded yet), but it must name its own verb and use it
// as the usage line allows.
func TestVerbExamplesParse(t *testing.T) {
	t.Chdir(t.TempDir()) // save lab.fss writes, load lab.fss reads: not in the repository
	for _, v := range repl.Verbs() {
		for _, ex := range v.Examples {
			// "reset; tour" is two lines, as -c takes them.
			for _, line := range strings.Split(ex, ";") {
				words, err := repl.Split(line)
				if err != nil {
					t.Errorf("verb %q: example %q: %v", v.Name, ex, err)
					continue
				}
				got, _, err := repl.Lookup(words)
				if err != nil {
					t.Errorf("verb %q: example %q: %v", v.Name, ex, err)
					continue
				}
				// The first line runs the verb, or asks help about it.
				if first := strings.Split(ex, ";")[0]; line == first && got != v &&
					strings.Join(words, " ") != "help "+v.Name {
					t.Errorf("verb %q: example %q runs verb %q", v.Name, ex, got.Name)
				}
				s := repl.NewSession(io.Discard, render.NewTheme(false))
				if err := s.Exec(line); errors.Is(err, repl.ErrUsage) || errors.Is(err, repl.ErrSyntax) {
					t.Errorf("verb %q: example %q is used wrongly: %v", v.Name, ex, err)
				}
			}
		}
	}
}

func TestRootHelpListsEveryVerb(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		out, errOut, code := inProcess(t, args...)
		if code != 0 {
			t.Errorf("fssim %s: status %d, stderr %q", strings.Join(args, " "), code, errOut)
		}
		for _, v := range repl.Verbs() {
			// Each verb on its own line, with its summary.
			if !hasLine(out, append([]string{v.Name}, strings.Fields(v.Summary)...)...) {
				t.Errorf("fssim %s does not list verb %q with its summary", strings.Join(args, " "), v.Name)
			}
		}
		for _, cmd := range []string{"run", "test", "tour", "version", "completion", "help"} {
			if !strings.Contains(out, "\n  "+cmd+" ") {
				t.Errorf("fssim %s does not list the command %q", strings.Join(args, " "), cmd)
			}
		}
		if strings.Contains(out, "\x1b") {
			t.Errorf("fssim %s into a pipe has escape bytes", strings.Join(args, " "))
		}
	}
}

func TestHelpVerbPrintsUsage(t *testing.T) {
	out, errOut, code := inProcess(t, "help", "mount")
	if code != 0 {
		t.Fatalf("fssim help mount: status %d, stderr %q", code, errOut)
	}
	var mount *repl.Verb
	for _, v := range repl.Verbs() {
		if v.Name == "mount" {
			mount = v
		}
	}
	if mount == nil {
		t.Fatal("no mount verb")
	}
	if first, _, _ := strings.Cut(out, "\n"); first != "usage: "+mount.Usage() {
		t.Errorf("fssim help mount starts with %q, want %q", first, "usage: "+mount.Usage())
	}
	if !strings.Contains(out, "--media disk|cdrom|tape") {
		t.Errorf("fssim help mount does not show the values of --media:\n%s", out)
	}

	// Every verb, one or two words, and what help VERB shows of it: at the
	// command line, and inside the language. At the command line, fssim's
	// own commands (fssim help tour) come first.
	for _, v := range repl.Verbs() {
		for _, args := range [][]string{append([]string{"help"}, strings.Fields(v.Name)...), {"-c", "help " + v.Name}} {
			if args[0] == "help" && isCommand(v.Name) {
				continue
			}
			checkVerbHelp(t, v, args)
		}
	}
}

// isCommand reports whether name is a command of fssim itself.
func isCommand(name string) bool {
	root := (&app{}).rootCmd()
	root.InitDefaultHelpCmd() // as Execute does
	root.InitDefaultCompletionCmd()
	c, rest, err := root.Find(strings.Fields(name))
	return err == nil && c != root && len(rest) == 0
}

func checkVerbHelp(t *testing.T, v *repl.Verb, args []string) {
	t.Helper()
	{
		out, errOut, code := inProcess(t, args...)
		if code != 0 {
			t.Errorf("fssim %q: status %d, stderr %q", args, code, errOut)
			return
		}
		if !strings.HasPrefix(out, "usage: "+v.Usage()+"\n") {
			t.Errorf("fssim help %s does not start with its usage line %q:\n%s", v.Name, v.Usage(), out)
		}
		if !strings.Contains(out, v.Summary) {
			t.Errorf("fssim help %s lacks its summary", v.Name)
		}
		for _, ex := range v.Examples {
			if !hasLine(out, strings.Fields(ex)...) {
				t.Errorf("fssim help %s lacks the example %q", v.Name, ex)
			}
		}
		for _, f := range v.Flags {
			if !strings.Contains(out, "--"+f.Name) {
				t.Errorf("fssim help %s lacks the flag --%s", v.Name, f.Name)
			}
		}
		for _, a := range v.Aliases {
			if !strings.Contains(out, a) {
				t.Errorf("fssim help %s lacks the alias %s", v.Name, a)
			}
		}
	}
}

func TestHelpCommandAndUnknown(t *testing.T) {
	out, _, code := inProcess(t, "help", "run")
	if code != 0 || !strings.Contains(out, "run FILE|-") {
		t.Errorf("fssim help run: status %d, want cobra's help of run:\n%s", code, out)
	}
	out, errOut, code := inProcess(t, "help", "moutn")
	if code != 2 {
		t.Errorf("fssim help moutn: status %d, want 2", code)
	}
	if !strings.Contains(errOut, `unknown command "moutn"`) || !strings.Contains(errOut, "mount") {
		t.Errorf("fssim help moutn: stderr %q, want the unknown word and a suggestion", errOut)
	}
	if out != "" {
		t.Errorf("fssim help moutn printed on stdout: %q", out)
	}
}

// TestREPLHelpMatchesTable: help inside the language lists every verb too.
func TestREPLHelpMatchesTable(t *testing.T) {
	out, errOut, code := inProcess(t, "-c", "help")
	if code != 0 {
		t.Fatalf("fssim -c help: status %d, %s", code, errOut)
	}
	for _, v := range repl.Verbs() {
		if !hasLine(out, append([]string{v.Name}, strings.Fields(v.Summary)...)...) {
			t.Errorf("help does not list verb %q with its summary", v.Name)
		}
	}
}

func TestCompletionScripts(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash":       "complete -o default -F __start_fssim fssim",
		"zsh":        "#compdef fssim",
		"fish":       "complete -c fssim",
		"powershell": "Register-ArgumentCompleter",
	} {
		t.Run(shell, func(t *testing.T) {
			out, errOut, code := inProcess(t, "completion", shell)
			if code != 0 {
				t.Fatalf("fssim completion %s: status %d, stderr %q", shell, code, errOut)
			}
			if len(out) < 500 || !strings.Contains(out, marker) {
				t.Errorf("fssim completion %s: %d bytes, want a script with %q", shell, len(out), marker)
			}
			if errOut != "" {
				t.Errorf("fssim completion %s wrote to stderr: %q", shell, errOut)
			}
		})
	}
}
