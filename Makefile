# fssim: make test runs every check CI runs but one: .ci/run also fuzzes
# each target a fixed number of times (scripts/fuzz.sh ci; make fuzz).
GO ?= go

.PHONY: all build install test checks test-short lint tidy staticcheck deadcode fmt-check vet wasm-check fmt golden run tour bench fuzz web
all: build

# fssim as it ships: a static binary. fssim calls no C, but pflag, readline
# and serve import package net, whose cgo resolver (a DNS path fssim never
# takes) would otherwise link libc dynamically: about 5 ms of ld.so at every
# start (scripts/bench.sh prints both builds), and a binary that needs the
# build machine's glibc. CGO_ENABLED=0 gives one that runs on any Linux.
build:
	CGO_ENABLED=0 $(GO) build -o fssim ./cmd/fssim

install:
	CGO_ENABLED=0 $(GO) install ./cmd/fssim

# Linters, pinned: go run fetches and builds each once (the module cache
# keeps it), so nothing is installed by hand.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
DEADCODE ?= golang.org/x/tools/cmd/deadcode@v0.52.0

# The one test command: README, developers and .ci/run all use it. The
# checks first, side by side (deadcode alone takes most of their time, on
# one core), each one's output together; the tests only once they pass.
test:
	@$(MAKE) --no-print-directory -j3 --output-sync=target checks
	$(GO) test -race -short -count=1 ./...
	$(GO) test -count=1 -run 'Long$$' ./...

# make test runs every test once under the race detector, with -short, which
# skips or shortens the long ones (8 x 20k-verb seeds, 10k-filter stacks,
# endless stdin, 15 MB pipelines, the headless-browser pages, the many trials
# of the history races); then the long ones alone, in full, without it. The
# long ones are one goroutine driving the engine, or a child process measured
# for memory and time, which the race detector only slows (from about 55 s to
# about 2 min wall on this 2-core machine); everything with goroutines of its
# own (the prompt, serve, signals, history locks) runs under -race. A long
# test is one that asks whether -short is set; internal/longtest makes it say
# so in its name (...Long, what -run 'Long$$' picks), or it fails.

checks: lint fmt-check vet wasm-check

fmt-check:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }

# The session builds for the browser playground.
wasm-check:
	GOOS=js GOARCH=wasm $(GO) build ./internal/... ./cmd/fssim-wasm

# The developer loop: -short skips the tests that take seconds (make test
# runs them).
test-short:
	$(GO) test -short ./...

vet:
	$(GO) vet ./...

# go.mod and go.sum as go mod tidy leaves them, staticcheck's findings, and
# no function that no program or test reaches (deadcode exits 0 either way,
# so its output is the verdict; but not when it could not run).
lint: tidy staticcheck deadcode
tidy:
	$(GO) mod tidy -diff
staticcheck:
	$(GO) run $(STATICCHECK) ./...
deadcode:
	@dead="$$($(GO) run $(DEADCODE) -test ./...)" || { echo "deadcode did not run"; exit 1; }; test -z "$$dead" || { echo "dead code (remove it, or use it):"; echo "$$dead"; exit 1; }

fmt:
	gofmt -w $$(git ls-files '*.go')

# Rewrite the transcript goldens; read the diff before committing it.
golden:
	$(GO) test ./internal/repl -run TestGolden -update

run:
	$(GO) run ./cmd/fssim

tour:
	$(GO) run ./cmd/fssim tour

# Issue 4's figures: the Go benchmarks, then fssim run of generated
# 100,000- and 200,000-verb scenarios (time, peak RSS) and start-up against a
# hello-world Go binary, and issue 7's 10,000 filters piled on one volume
# (time, transcript size), printed as one table (about a minute).
bench:
	scripts/bench.sh

# Each fuzz target for FUZZTIME (a duration); CI runs scripts/fuzz.sh ci,
# a fixed number of executions each. A failing input lands in
# PACKAGE/testdata/fuzz/FuzzXxx/ and go test replays it from then on.
FUZZTIME ?= 2m
fuzz:
	scripts/fuzz.sh $(FUZZTIME)

# The browser playground (README "Playground"): web/dist is the page, its
# script and style, fssim.wasm (cmd/fssim-wasm) and the toolchain's
# wasm_exec.js (lib/wasm since Go 1.24, misc/wasm before). Any static file
# host serves it. Needs only Go.
WEBDIST ?= web/dist
web:
	mkdir -p $(WEBDIST)
	cp web/index.html web/app.js web/style.css $(WEBDIST)/
	root=$$($(GO) env GOROOT); \
	if [ -f $$root/lib/wasm/wasm_exec.js ]; then cp $$root/lib/wasm/wasm_exec.js $(WEBDIST)/; \
	else cp $$root/misc/wasm/wasm_exec.js $(WEBDIST)/; fi
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags=-s -o $(WEBDIST)/fssim.wasm ./cmd/fssim-wasm
