package main

import (
	"os/exec"
	"strings"
	"testing"
)

// unlinked are packages fssim must not link, and why: each was trimmed for
// start-up time (issue 14 point 8: fssim version within 2x a hello-world
// binary), and every package linked is loaded, and its initialisers run, on
// every run of fssim, whatever the command.
var unlinked = map[string]string{
	"net/http":     "it brings crypto/tls, x509, HTTP/2 and their initialisers into every run; internal/serve has its own small server on package net (internal/serve/http.go)",
	"crypto/tls":   "it comes with net/http or anything else that speaks TLS, and its initialisers (and the FIPS module's) cost every run; fssim has no use for TLS",
	"encoding/xml": "its initialisers build tables of HTML entities on every run, for the SVG export and fssim test --junit, which escape with render.XMLText instead",
}

// TestUnlinked fails when fssim links a package it was trimmed of, naming
// who brought it in.
func TestUnlinked(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list fssim's packages")
	}
	out, err := exec.Command(gobin, "list", "-deps", "-f", "{{.ImportPath}}: {{join .Imports \" \"}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	linked := map[string]bool{}
	importers := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		linked[pkg] = true
		for _, imp := range strings.Fields(imports) {
			importers[imp] = append(importers[imp], pkg)
		}
	}
	if !linked["fmt"] || !linked["github.com/fssim/fssim/internal/repl"] {
		t.Fatalf("go list -deps does not list fmt and internal/repl: is this cmd/fssim?\n%.500s", out)
	}
	for pkg, why := range unlinked {
		if linked[pkg] {
			t.Errorf("fssim links %s (imported by %s): keep it out, %s", pkg, strings.Join(importers[pkg], ", "), why)
		}
	}
}
