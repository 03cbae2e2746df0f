#!/usr/bin/env bash
# Installs the Debian packages Orbit needs to build and test, and only those missing.
# Idempotent; runs as root on a fresh Debian 12 (uses sudo when not root).
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ make pkg-config
  # libraries (DESIGN.md §4)
  libboost-dev libtomlplusplus-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libcli11-dev libssl-dev libsndfile1-dev libsqlite3-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev libosip2-dev
  clang-16 libclang-rt-16-dev
  sip-tester baresip iproute2 python3
  # media: music on hold and prompts (DESIGN.md §4)
  asterisk-moh-opsound-wav asterisk-core-sounds-en-wav sox
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
