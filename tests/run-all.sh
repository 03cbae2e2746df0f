#!/usr/bin/env bash
# The whole suite: unit tests (ctest), black-box tests against a running Orbit inside a private
# network namespace, and the fuzz targets for a bounded time. Ends with the total of checks as
# "tests: N passed, N failed", and fails when any stage fails.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
total_passed=0
total_failed=0
failures=()
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# Adds the counts a stage printed: ctest's "... N tests failed out of M", or "N passed, M failed".
count() {
  local p=0 f=0 line
  line=$(grep -E 'tests failed out of [0-9]+' "$out" | tail -n 1)
  if [ -n "$line" ]; then
    f=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
    p=$(( $(sed -E 's/.* tests failed out of ([0-9]+).*/\1/' <<<"$line") - f ))
  else
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
    if [ -n "$line" ]; then
      p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")
      f=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
    elif [ "$1" -eq 0 ]; then
      p=1  # a stage without counts of its own (the fuzzers) is one check
    fi
  fi
  total_passed=$((total_passed + p))
  total_failed=$((total_failed + f))
}

stage() {  # stage NAME CMD...
  local name=$1
  shift
  echo "=== $name"
  "$@" 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  count "$rc"
  if [ "$rc" -ne 0 ]; then
    failures+=("$name")
    # A stage that failed without a failing check of its own still counts as one failure.
    grep -qE '([1-9][0-9]* tests failed out of|, [1-9][0-9]* failed)' "$out" ||
      total_failed=$((total_failed + 1))
  fi
}

stage "unit tests (ctest)" ctest --test-dir "$build" --output-on-failure -j 2
for t in tests/blackbox/t_*.sh; do
  [ -e "$t" ] || continue
  stage "black-box $(basename "$t" .sh)" scripts/netns-run bash "$t" "$build"
done
stage "fuzz targets (ASan+UBSan)" bash tests/fuzz/run.sh

echo
for f in "${failures[@]}"; do echo "FAILED stage: $f"; done
echo "tests: $total_passed passed, $total_failed failed"
[ "${#failures[@]}" -eq 0 ]
