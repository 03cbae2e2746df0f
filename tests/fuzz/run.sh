#!/usr/bin/env bash
# Builds the libFuzzer targets with clang++-16 under ASan+UBSan and runs each for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-30}
cmake -S . -B build-fuzz -G Ninja -DORBIT_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-16 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j 2
for target in orbit_sip_fuzz orbit_sdp_fuzz; do
  corpus=$(mktemp -d)
  seeds=tests/fuzz/corpus/${target#orbit_}
  seeds=${seeds%_fuzz}
  echo "fuzz: $target for ${seconds}s"
  ./build-fuzz/tests/fuzz/$target -max_total_time="$seconds" -print_final_stats=1 \
    "$corpus" $( [ -d "$seeds" ] && echo "$seeds" ) 2>&1 | tail -n 12
  rm -rf "$corpus"
done
