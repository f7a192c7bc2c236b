#!/usr/bin/env bash
# govulncheck ./... against a local vulnerability database: the default one
# (vuln.go.dev) is not reachable from these machines, but the module proxy
# serves golang.org/x/vulndb, whose data/osv holds every report as OSV, and
# its cmd/indexdb writes the v1 database layout that `-db file://` reads.
# The database is built once per vulndb version and kept in the user cache.
#
# Fails on a vulnerability in code we call unless its id is listed, with
# the reason, in scripts/govulncheck-explained.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.26.10}"
VULNDB_VERSION="${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}"
GOVULNCHECK_VERSION="${GOVULNCHECK_VERSION:-v1.9.0}"
db="${VULNDB_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/civicpulse/vulndb-$VULNDB_VERSION}"

if [ ! -f "$db/index/db.json" ]; then
  src="$(go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
  if [ -z "$src" ] || [ ! -d "$src/data/osv" ]; then
    echo "govulncheck: golang.org/x/vulndb@$VULNDB_VERSION has no data/osv" >&2
    exit 1
  fi
  echo "govulncheck: building the database from $src/data/osv into $db"
  tmp="$db.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$db")"
  go run "golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION" -vulns "$src/data/osv" -out "$tmp"
  rm -rf "$db"
  mv "$tmp" "$db"
fi

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
status=0
# Installed, not `go run`: go run turns the tool's exit 3 (found) into 1.
bin="$(dirname "$db")/bin-$GOVULNCHECK_VERSION"
GOBIN="$bin" go install "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION"
"$bin/govulncheck" -db "file://$db" -show traces ./... >"$out" 2>&1 || status=$?
cat "$out"
# 0: nothing found; 3: vulnerabilities found; anything else: it did not run.
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
  echo "govulncheck: failed to run (exit $status)" >&2
  exit "$status"
fi

explained="$(sed -n 's/^\(GO-[0-9]*-[0-9]*\)[[:space:]].*/\1/p' scripts/govulncheck-explained.txt)"
unexplained=()
for id in $(sed -n 's/^Vulnerability #[0-9]*: \(GO-[0-9]*-[0-9]*\)$/\1/p' "$out"); do
  if grep -qx "$id" <<<"$explained"; then
    echo "govulncheck: $id is explained in scripts/govulncheck-explained.txt"
  else
    unexplained+=("$id")
  fi
done
if [ ${#unexplained[@]} -gt 0 ]; then
  echo "govulncheck: called and not explained: ${unexplained[*]}" >&2
  echo "govulncheck: upgrade the module (or Go), or explain why it cannot be reached in scripts/govulncheck-explained.txt" >&2
  exit 1
fi
