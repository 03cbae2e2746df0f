#!/usr/bin/env bash
# The benchmarks (`make bench`): parser throughput against oSIP2, then REGISTER load driven by
# SIPp inside a private network namespace. Figures and how to read them: docs/benchmarks.md.
# Usage: bench/run.sh BUILD_DIR. Environment: REPETITIONS (parser, default 10), and
# register_load.sh's DURATION and USERS; RATES (default: register_load.sh's ramp).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
build=${1:-build}
out="$build/bench"
parser="$build/bench/parser_bench"
if [ ! -x "$parser" ] || [ ! -x "$build/orbit" ]; then
  echo "bench: build first: make build (or cmake -S . -B $build && cmake --build $build)" >&2
  exit 2
fi
mkdir -p "$out"
failed=0

revision=$(git describe --always --dirty 2>/dev/null || echo 'unknown revision')
echo "=== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $revision"
echo "=== parser: Orbit and oSIP2, parse and parse+serialize (items/s = messages/s on one core)"
# Repetitions interleaved at random, so that a burst of load from elsewhere on the machine
# spreads over both parsers instead of landing on one.
"$parser" --benchmark_repetitions="${REPETITIONS:-10}" --benchmark_min_time=0.2 \
  --benchmark_enable_random_interleaving=true --benchmark_display_aggregates_only=true \
  --benchmark_out="$out/parser.json" --benchmark_out_format=json || failed=1
python3 bench/parser_summary.py "$out/parser.json" | tee "$out/parser-summary.txt" || failed=1

echo "=== REGISTER load: SIPp against Orbit over UDP (digest), in a private network namespace"
# shellcheck disable=SC2086  # RATES is a list of numbers
scripts/netns-run bash bench/register_load.sh "$build" ${RATES:-} || failed=1

[ "$failed" -eq 0 ]
