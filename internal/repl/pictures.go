package repl

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/fssim/fssim/internal/engine"
	"github.com/fssim/fssim/internal/render"
)

// exportWrite is writeAtomic's wording for export.
func exportWrite(format string) writer {
	ext := map[string]string{"svg": "svg", "dot": "dot", "mermaid": "mmd", "html": "html", "cast": "cast"}[format]
	return writer{verb: "export", inFolder: "lab." + ext, other: "export " + format + " - writes to stdout", again: func(p string, force bool) string {
		if force {
			return "export " + format + " " + p + " --force"
		}
		return "export " + format + " " + p
	}}
}

// isStackWord reports whether w names a stack rather than a file: a drive
// letter, a word starting with a backslash, or a CDO the lab has.
func (s *Session) isStackWord(w string) bool {
	if engine.IsVolume(w) || strings.HasPrefix(w, `\`) {
		return true
	}
	_, err := s.Eng.Stack(w)
	return err == nil
}

// exportFormats are export's formats: the pictures render draws, and the
// session's handout and recording (handout.go).
var exportFormats = append(append([]string{}, render.ExportFormats...), "html", "cast")

// exportVerb is export svg|dot|mermaid [STACK] [FILE] [--force], or
// export html|cast [FILE] [--force].
func (s *Session) exportVerb(c *Call) error {
	format := strings.ToLower(c.Arg(0))
	if format == "html" || format == "cast" {
		return s.exportHandout(c, format)
	}
	var stack, file string
	switch len(c.Args) {
	case 2:
		if s.isStackWord(c.Arg(1)) {
			stack = c.Arg(1)
		} else {
			file = c.Arg(1)
		}
	case 3:
		stack, file = c.Arg(1), c.Arg(2)
	}
	if file == "" || file == "-" {
		if file == "" && c.Bool("force") {
			return usageErr(c.Verb, "export: --force replaces FILE, and no FILE was given (export "+format+" lab."+
				strings.TrimPrefix(exportWrite(format).inFolder, "lab.")+" --force)")
		}
		_, err := render.Export(s.Out, s.Eng, format, stack)
		return err
	}
	var b bytes.Buffer
	n, err := render.Export(&b, s.Eng, format, stack)
	if err != nil {
		return err
	}
	if err := writeAtomic(s.files(), file, b.String(), c.Bool("force"), exportWrite(format)); err != nil {
		return err
	}
	fmt.Fprintf(s.Out, "exported %s as %s to %s\n", plural(n, "stack"), format, showPath(file))
	return nil
}

// vpbVerb is vpb VOLUME: WinDbg's !vpb.
func (s *Session) vpbVerb(c *Call) error {
	v, err := s.Eng.Volume(c.Arg(0))
	if err != nil {
		return err
	}
	render.Vpb(s.Out, v)
	return nil
}

// drvobjVerb is drvobj DRIVER [FLAGS]: WinDbg's !drvobj.
func (s *Session) drvobjVerb(c *Call) error {
	if len(c.Args) > 1 {
		f := strings.ToLower(c.Arg(1))
		if f != "1" && f != "0x1" {
			return errorf(engine.ErrBadValue, "drvobj: bad flags %s: fssim prints flag 0x1 only, the device object list "+
				"(0x2's dispatch routines and 0x4's details per device are not simulated); leave FLAGS out or give 1", quoteWord(c.Arg(1)))
		}
	}
	d, err := s.Eng.DriverObject(c.Arg(0))
	if err != nil {
		return err
	}
	render.DrvObj(s.Out, d)
	return nil
}

func driverNames(s *Session) []string { return s.Eng.DriverNames() }
func volumeNames(s *Session) []string { return s.Eng.Letters() }

// exportHandout is export html|cast [FILE] [--force]: the session so far
// (not this verb), as a handout or a recording.
func (s *Session) exportHandout(c *Call, format string) error {
	if len(c.Args) > 2 {
		return usageErr(c.Verb, fmt.Sprintf("export %s: takes no STACK, only FILE (export %s %s)", format, format, "lab."+format))
	}
	file := c.Arg(1)
	if file == "" && c.Bool("force") {
		return usageErr(c.Verb, "export: --force replaces FILE, and no FILE was given (export "+format+" lab."+format+" --force)")
	}
	h := s.handout(s.top - 1)
	var b bytes.Buffer
	var err error
	if format == "html" {
		var svg bytes.Buffer
		if _, err := render.Export(&svg, s.Eng, "svg", ""); err == nil {
			h.SVG = svg.String()
		}
		err = render.HTML(&b, h)
	} else {
		err = render.Cast(&b, h)
	}
	if err != nil {
		return err
	}
	if file == "" || file == "-" {
		s.recMute(1) // the record holds the session, not handouts of it
		defer s.recMute(-1)
		_, err := s.Out.Write(b.Bytes())
		return err
	}
	if err := writeAtomic(s.files(), file, b.String(), c.Bool("force"), exportWrite(format)); err != nil {
		return err
	}
	what := "a handout"
	if format == "cast" {
		what = "a recording"
	}
	fmt.Fprintf(s.Out, "exported %s of %s as %s to %s\n", what, plural(len(h.Items), "line"), format, showPath(file))
	return nil
}
