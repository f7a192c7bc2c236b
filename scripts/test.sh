#!/usr/bin/env bash
# make test: vet, gofmt, and every test with the race detector against both
# participation stores. Postgres comes from DATABASE_URL (default: the local
# server); when none answers, a throwaway cluster is started with initdb/pg_ctl.
# The Postgres suite is never skipped silently: without a server, this fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.26.10}"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"

pg_answers() { psql "$DATABASE_URL" -Atqc 'select 1' >/dev/null 2>&1; }

if ! command -v psql >/dev/null 2>&1 || ! pg_answers; then
  bindir=""
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir="$d"; done
  if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1; then bindir="$(dirname "$(command -v initdb)")"; fi
  if [ -z "$bindir" ]; then
    echo "make test: no Postgres answers at $DATABASE_URL and initdb/pg_ctl are not installed." >&2
    echo "           Start Postgres or set DATABASE_URL; the Postgres suite is never skipped." >&2
    exit 1
  fi
  pgdir="$(mktemp -d /tmp/civicpulse-pg.XXXXXX)"
  port=55432
  runas=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$pgdir" 2>/dev/null || true; runas=(su postgres -s /bin/sh -c); fi
  echo "make test: no Postgres at $DATABASE_URL; starting a throwaway cluster in $pgdir on port $port"
  if [ ${#runas[@]} -gt 0 ]; then
    "${runas[@]}" "'$bindir/initdb' -D '$pgdir/data' -U postgres -A trust >/dev/null"
    "${runas[@]}" "'$bindir/pg_ctl' -D '$pgdir/data' -o '-p $port -k $pgdir -c listen_addresses=127.0.0.1' -l '$pgdir/log' -w start >/dev/null"
    trap "${runas[*]} \"'$bindir/pg_ctl' -D '$pgdir/data' -m immediate stop\" >/dev/null 2>&1; rm -rf '$pgdir'" EXIT
  else
    "$bindir/initdb" -D "$pgdir/data" -U postgres -A trust >/dev/null
    "$bindir/pg_ctl" -D "$pgdir/data" -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1" -l "$pgdir/log" -w start >/dev/null
    trap "'$bindir/pg_ctl' -D '$pgdir/data' -m immediate stop >/dev/null 2>&1; rm -rf '$pgdir'" EXIT
  fi
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
fi

# Browser tests need Debian's chromium. CI installs it and treats its absence
# as a failure; elsewhere the tests that need it are skipped, and said loudly.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then
    echo "make test: chromium is not installed; CI requires it for the browser tests." >&2
    exit 1
  fi
  echo "################################################################################"
  echo "# make test: chromium is NOT installed: the browser tests (TestBrowser*) are"
  echo "# SKIPPED. Install it with: apt-get install -y chromium"
  echo "################################################################################"
fi

# The overview documents' tests read their PDFs back with poppler's
# pdftotext; on a fresh machine (root, Debian) it is installed here, as
# .ci/run does.
if ! command -v pdftotext >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "make test: installing poppler-utils (pdftotext) for the overview documents' tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
  else
    echo "make test: pdftotext is not installed (apt-get install poppler-utils): the report tests will fail" >&2
  fi
fi

set +e +o pipefail
unformatted="$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi
go vet ./...
go test -race -count=1 -timeout 30m ${TESTFLAGS:-} ./... 2>&1 | tee /tmp/civicpulse-test.log
status=${PIPESTATUS[0]}
# The external checks of the analysis (Pol.is groups, ArgKP themes, planted
# campaigns) are long single-threaded numerics, and the axe crawl and the
# keyboard walk drive a whole demo server from the browser: under the race
# detector they take minutes, so they skip there and run here without it.
if [ "$status" = 0 ]; then
  go test -count=1 -timeout 20m -run 'TestConsensusGroupsAgainstPolis|TestAnalyzeOpinionsMetaAndReplay|TestGroupsMatchPolis|TestArgKPThemes|TestPlantedCampaigns|TestImportWholePolisExport|TestBrowserPagesPassAxe|TestBrowserKeyboardOnlyInEachTool' -v ./analysis/... ./cmd/civicpulse ./participation/polisimport 2>&1 \
    | grep -E '^(=== RUN|--- |ok|FAIL|PASS|panic)|_test.go' | tee -a /tmp/civicpulse-test.log
  status=${PIPESTATUS[0]}
fi
if ! command -v chromium >/dev/null 2>&1; then
  echo "make test: REMINDER: browser tests were skipped because chromium is not installed."
fi
exit "$status"
