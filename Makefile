# fssim: make test runs everything CI runs.
GO ?= go

.PHONY: all build test vet fmt golden run tour
all: build

build:
	$(GO) build -o fssim ./cmd/fssim

# The one test command: README, developers and .ci/run all use it.
test:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

vet:
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

# Rewrite the transcript goldens; read the diff before committing it.
golden:
	$(GO) test ./internal/repl -run TestGolden -update

run:
	$(GO) run ./cmd/fssim

tour:
	$(GO) run ./cmd/fssim tour
