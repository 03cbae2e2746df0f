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
  # browser tests (tests/browser: playwright-core drives Debian's Chromium)
  chromium
  # media: music on hold and prompts (DESIGN.md §4)
  asterisk-moh-opsound-wav asterisk-core-sounds-en-wav sox
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# Node.js and npm for the browser tests: Debian's, unless the machine has its own already.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

# apt_get ARGS... — apt-get that waits for another apt or dpkg holding the lock (up to 10 min).
apt_err=$(mktemp)
trap 'rm -f "$apt_err"' EXIT
apt_get() {
  local attempt
  for attempt in $(seq 1 60); do
    if "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=10 "$@" 2>"$apt_err"; then
      return 0
    fi
    grep -qiE 'lock|Could not get lock|is another process using it' "$apt_err" || {
      cat "$apt_err" >&2; return 1; }
    echo "setup: apt is busy (attempt $attempt), waiting"
    sleep 10
  done
  cat "$apt_err" >&2
  return 1
}

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "${missing[@]}"
fi

# playwright-core for the browser tests, as package-lock.json pins it (no browser download):
# again only when node_modules is missing or older than the lock file.
browser_tests="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
stamp="$browser_tests/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$browser_tests/package-lock.json" -nt "$stamp" ]; then
  echo "setup: npm ci in tests/browser"
  (cd "$browser_tests" && npm ci --no-audit --no-fund)
fi
