# The two commands that matter: `make run` and `make test` (see README.md).
GO ?= go
# The machines start on Go 1.26.8, whose standard library has reported
# vulnerabilities in code we call; 1.26.10 is fetched through the module proxy.
export GOTOOLCHAIN ?= go1.26.10
PORT ?= 8080

.PHONY: run test build vet fmt bench clean

# Builds, migrates, loads the demo process on first start and serves
# http://localhost:$(PORT) on the embedded default (SQLite + DuckDB under ./data).
run: build
	./bin/civicpulse serve --addr 127.0.0.1:$(PORT) --data ./data --demo

build:
	$(GO) build -o bin/civicpulse ./cmd/civicpulse

# Every test against both stores (SQLite, and Postgres from DATABASE_URL or a
# throwaway cluster), with the race detector, plus vet and gofmt.
test:
	./scripts/test.sh

vet:
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin data
