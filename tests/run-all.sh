#!/usr/bin/env bash
# The whole suite: unit tests (ctest), black-box tests against a running Orbit inside a private
# network namespace, and the fuzz targets for a bounded time. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
passed=0
failed=0
failures=()

stage() {  # stage NAME CMD...
  local name=$1
  shift
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

stage "unit tests (ctest)" ctest --test-dir "$build" --output-on-failure -j 2
for t in tests/blackbox/t_*.sh; do
  [ -e "$t" ] || continue
  stage "black-box $(basename "$t" .sh)" scripts/netns-run bash "$t" "$build"
done
stage "fuzz targets (ASan+UBSan)" bash tests/fuzz/run.sh

echo
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
