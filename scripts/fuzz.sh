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

# inputs counts the files in a corpus folder (0 when there is none).
inputs() { if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi; }

failed=()
flaked=()
started=$SECONDS
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
while read -r file; do
  dir="./$(dirname "$file")"
  for name in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(f \*testing\.F).*/\1/p' "$file"); do
    echo "fuzz: $dir $name for $FUZZTIME"
    corpus="$dir/testdata/fuzz/$name"
    before="$(inputs "$corpus")"
    # A short minimisation leaves the time to fuzzing; a crash is still
    # cut down enough to read. The filter only drops progress lines.
    status=0
    go test -run='^$' -fuzz="^$name\$" -fuzztime="$FUZZTIME" -fuzzminimizetime=5s "$dir" >"$log" 2>&1 || status=$?
    grep -v '^fuzz: elapsed: .*execs' "$log" || true
    if [ "$status" -ne 0 ]; then
      after="$(inputs "$corpus")"
      # Go 1.26's coordinator can report "context deadline exceeded" when
      # -fuzztime ends under load (go.dev/issue/75804, fixed in Go 1.27),
      # with no input written: that is no crash. Anything else is one.
      if [ "$after" -eq "$before" ] && grep -q '^    context deadline exceeded$' "$log" && ! grep -q 'Failing input written' "$log"; then
        flaked+=("$dir $name")
      else
        failed+=("$dir $name")
      fi
    fi
  done
done < <(git ls-files '*_fuzz_test.go')

if [ ${#flaked[@]} -gt 0 ]; then
  echo "fuzz: stopped by Go's fuzztime race (go.dev/issue/75804), no crash: ${flaked[*]}"
fi
echo "fuzz: $((SECONDS - started)) s in all"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in: ${failed[*]}" >&2
  echo "fuzz: the failing inputs are under each package's testdata/fuzz/; fix the code and commit them." >&2
  git status --short -- '*/testdata/fuzz/*' >&2 || true
  exit 1
fi
