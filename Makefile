VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
export TEST_POSTGRES_URL

.PHONY: build test test-short test-sqlite lint bench test-legacy-long

# The Dockerfile tests are a module of their own, so that BuildKit's parser
# stays out of the program's module graph.
DOCKERFILE_TESTS := deploy/dockerfile

build:
	go build -ldflags "$(LDFLAGS)" -o timetracker .

# Every test, on SQLite and PostgreSQL (TEST_POSTGRES_URL).
test:
	go test -count=1 -timeout 20m ./...
	cd $(DOCKERFILE_TESTS) && go test -count=1 ./...

# Every package on both dialects, without the slow tests (the kill,
# concurrency and fault tests that start the binary): the quick loop while
# working. `make test` (CI) runs them all. The tests mostly wait for
# PostgreSQL, so more packages and parallel tests run at once than there
# are cores.
test-short:
	go test -short -count=1 -p 4 -parallel 4 -timeout 5m ./...
	cd $(DOCKERFILE_TESTS) && go test -short -count=1 ./...

# SQLite only, with the race detector.
test-sqlite:
	TEST_POSTGRES_URL= go test -race -count=1 ./...
	cd $(DOCKERFILE_TESTS) && go test -count=1 ./...

# The property test over generated legacy databases, for a long run: every
# shape × dialect (21 of them) for SEEDS seeds from FROM (SEEDS=96 gives
# 2,016 databases), or until DURATION is up (DURATION=10m SEEDS=100000),
# PARALLEL databases at a time. A failing seed prints the command that
# reproduces it; the last line counts the databases and names the seeds.
SEEDS ?= 100
FROM ?= 1
PARALLEL ?= 2
test-legacy-long:
	LEGACY_SEEDS=$(FROM)-$$(( $(FROM) + $(SEEDS) - 1 )) LEGACY_DURATION=$(DURATION) LEGACY_PARALLEL=$(PARALLEL) \
		go test -count=1 -timeout 0 -v -run '^TestGeneratedLegacyDatabases$$' ./legacy/ > legacy-long.log 2>&1; \
		rc=$$?; grep -E -e '--- FAIL|FAILING SEED|LEGACY_SHAPE=|generated databases|^(ok|FAIL)' legacy-long.log; exit $$rc

lint:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	go vet ./...
	cd $(DOCKERFILE_TESTS) && go vet ./...
	GOFLAGS= go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
	$$(go env GOPATH)/bin/staticcheck ./...
	cd $(DOCKERFILE_TESTS) && $$(go env GOPATH)/bin/staticcheck ./...

bench:
	go test -run '^$$' -bench . -benchmem ./...
