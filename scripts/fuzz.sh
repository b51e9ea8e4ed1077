#!/usr/bin/env bash
# fuzz.sh [ci | DURATION]: run each fuzz target of fssim.
#
#   scripts/fuzz.sh ci      # CI: a fixed number of executions per target
#   scripts/fuzz.sh 2m      # make fuzz: each target for a while
#
# Every target runs; any non-zero exit of go test -fuzz counts as a failure
# (a failing input, a failing seed, a build error, anything), and the script
# then exits 1. The last line is always "fuzz: N passed, N failed".
#
# A failure that found an input leaves it under PACKAGE/testdata/fuzz/FuzzXxx/,
# where plain go test replays it from then on: commit it as a regression test
# once it is fixed.
#
# Why counts in CI: with a duration, Go 1.26's fuzz coordinator can report
# "context deadline exceeded" at the end of -fuzztime with no failing input
# (golang/go#75804, fixed in Go 1.27). A count (-fuzztime Nx) has no deadline
# to race. With a duration that race shows up here as a failure that wrote no
# input; it is still reported as a failure: read go test's output and run the
# target again rather than trusting a guess.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
mode=${1:-ci}
# package, target, executions in ci mode (sized to a few seconds each on
# the 2-core machine: whole-file runs are far slower than single lines).
targets=(
	"./internal/repl FuzzSplit 20000x"  # the line parser
	"./internal/repl FuzzExec 3000x"    # one line against a lab, invariants after it
	"./internal/engine FuzzEngine 3000x" # whole scenarios of engine calls, invariants after every call
	"./cmd/fssim FuzzRun 40x"           # whole scenario files given to fssim run
	"./internal/serve FuzzReadRequest 20000x" # HTTP requests to fssim serve
	"./internal/render FuzzXMLText 20000x"   # the XML escaper against encoding/xml
	"./internal/render FuzzStripEscapes 20000x" # the escape stripper against the regexp it replaced
)
passed=0 failed=0
for t in "${targets[@]}"; do
	read -r pkg name count <<< "$t"
	budget=$mode
	[ "$mode" = ci ] && budget=$count
	dir="$pkg/testdata/fuzz/$name"
	before=$(ls "$dir" 2>/dev/null | sort || true)
	echo "== $name ($pkg), -fuzztime $budget =="
	status=0
	$GO test "$pkg" -run '^$' -fuzz "^$name\$" -fuzztime "$budget" || status=$?
	if [ "$status" -eq 0 ]; then
		passed=$((passed + 1))
		continue
	fi
	failed=$((failed + 1))
	after=$(ls "$dir" 2>/dev/null | sort || true)
	if [ "$before" != "$after" ]; then
		echo "!! $name failed (go test exit $status); the failing input is in $dir/" >&2
	else
		echo "!! $name failed (go test exit $status) and wrote no new input: see go test's output above" >&2
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
