#!/usr/bin/env bash
# fuzz.sh [ci | DURATION]: run each fuzz target of fssim.
#
#   scripts/fuzz.sh ci      # CI: a fixed number of executions per target
#   scripts/fuzz.sh 2m      # make fuzz: each target for a while
#
# A failure leaves the crashing input under PACKAGE/testdata/fuzz/FuzzXxx/,
# where plain go test replays it from then on: commit it as a regression test
# once it is fixed.
#
# Why counts in CI: with a duration, Go 1.26's fuzz coordinator can report
# "context deadline exceeded" at the end of -fuzztime with no failing input
# (golang/go#75804, fixed in Go 1.27). A count (-fuzztime Nx) has no deadline
# to race. With a duration, a non-zero exit that wrote no new input is that
# race, reported as a flake and not a failure.
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
)
failed=0 flaked=0
for t in "${targets[@]}"; do
	read -r pkg name count <<< "$t"
	budget=$mode
	[ "$mode" = ci ] && budget=$count
	dir="$pkg/testdata/fuzz/$name"
	before=$(ls "$dir" 2>/dev/null | sort || true)
	echo "== $name ($pkg), -fuzztime $budget =="
	if $GO test "$pkg" -run '^$' -fuzz "^$name\$" -fuzztime "$budget"; then
		continue
	fi
	after=$(ls "$dir" 2>/dev/null | sort || true)
	if [ "$before" != "$after" ]; then
		failed=$((failed + 1))
		echo "!! $name found a failing input: see $dir/" >&2
	else
		flaked=$((flaked + 1))
		echo "?? $name stopped with an error but wrote no input: the Go 1.26 fuzztime race, not a finding" >&2
	fi
done
[ "$flaked" -gt 0 ] && echo "fuzz: $flaked target(s) hit the Go 1.26 fuzztime race (no input written)"
echo "fuzz: $((${#targets[@]} - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
