VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
export TEST_POSTGRES_URL

.PHONY: build test test-sqlite lint bench

build:
	go build -ldflags "$(LDFLAGS)" -o timetracker .

# Every test, on SQLite and PostgreSQL (TEST_POSTGRES_URL).
test:
	go test -count=1 -timeout 20m ./...

# SQLite only, with the race detector.
test-sqlite:
	TEST_POSTGRES_URL= go test -race -count=1 ./...

lint:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	go vet ./...
	GOFLAGS= go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
	$$(go env GOPATH)/bin/staticcheck ./...

bench:
	go test -run '^$$' -bench . -benchmem ./...
