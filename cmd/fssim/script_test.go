package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestScripts runs testdata/script/*.txtar, each a shell session with its
// files: "exec fssim ..." runs this test binary as fssim (TestMain), in a
// fresh $WORK folder that holds the script's files, so relative paths,
// the current folder and the files a run leaves behind are checked the way
// a user at a shell meets them. (The go command's own tests are written so.)
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", RequireExplicitExec: true})
}
