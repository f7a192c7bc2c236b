#!/usr/bin/env bash
# Runs every fuzz target (each FuzzXxx in a *_fuzz_test.go file) for
# FUZZTIME, one at a time: the machines have two cores, and go test -fuzz
# already uses both. A crash fails the run; go writes the failing input to
# the package's testdata/fuzz/FuzzXxx/, where it becomes a regression case
# once committed with its fix (plain `go test` replays it from then on).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.26.10}"
# 12 targets × 15 s, plus building each package for fuzzing, keeps the pass
# near four minutes, inside CI's budget beside make test.
FUZZTIME="${FUZZTIME:-15s}"

failed=()
started=$SECONDS
while read -r file; do
  dir="./$(dirname "$file")"
  for name in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(f \*testing\.F).*/\1/p' "$file"); do
    echo "fuzz: $dir $name for $FUZZTIME"
    # A short minimisation leaves the time to fuzzing; a crash is still
    # cut down enough to read.
    # (pipefail: the pipeline fails when go test does; the filter only
    # drops the progress lines.)
    if ! go test -run='^$' -fuzz="^$name\$" -fuzztime="$FUZZTIME" -fuzzminimizetime=5s "$dir" 2>&1 |
      grep -v '^fuzz: elapsed: .*execs'; then
      failed+=("$dir $name")
    fi
  done
done < <(git ls-files '*_fuzz_test.go')

echo "fuzz: $((SECONDS - started)) s in all"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in: ${failed[*]}" >&2
  echo "fuzz: the failing inputs are under each package's testdata/fuzz/; fix the code and commit them." >&2
  git status --short -- '*/testdata/fuzz/*' >&2 || true
  exit 1
fi
