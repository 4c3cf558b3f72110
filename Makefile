VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
export TEST_POSTGRES_URL

.PHONY: build test test-short test-sqlite lint bench

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

lint:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	go vet ./...
	cd $(DOCKERFILE_TESTS) && go vet ./...
	GOFLAGS= go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
	$$(go env GOPATH)/bin/staticcheck ./...
	cd $(DOCKERFILE_TESTS) && $$(go env GOPATH)/bin/staticcheck ./...

bench:
	go test -run '^$$' -bench . -benchmem ./...
