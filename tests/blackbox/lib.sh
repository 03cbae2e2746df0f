# Shared by the black-box tests (sourced): start Orbit, wait until it listens, stop it at exit.
# Every t_*.sh runs inside its own network namespace (tests/run-all.sh wraps it in netns-run).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
ORBIT="$BUILD/orbit"
ARTIFACTS="$ROOT/tests/artifacts"
mkdir -p "$ARTIFACTS"
ORBIT_PID=

# start_orbit CONFIG LOG — starts Orbit in the background and waits for its banner.
start_orbit() {
  local config=$1 log=$2
  : >"$log"
  "$ORBIT" --config "$config" >"$log" 2>&1 &
  ORBIT_PID=$!
  for _ in $(seq 1 100); do
    if grep -q "listening on" "$log"; then return 0; fi
    if ! kill -0 "$ORBIT_PID" 2>/dev/null; then
      echo "orbit exited at start-up:"; cat "$log"; return 1
    fi
    sleep 0.05
  done
  echo "orbit did not start:"; cat "$log"; return 1
}

# demo_config DEST — config/demo.toml copied elsewhere, logging debug: its relative paths (the
# console's files, the history) made to work from DEST's directory.
demo_config() {
  local dest=$1
  sed -e 's/^log_level = .*/log_level = "debug"/' \
    -e "s|^web_root = .*|web_root = \"$ROOT/web\"|" \
    -e 's|^path = .*history.sqlite"$|path = "history.sqlite"|' "$ROOT/config/demo.toml" >"$dest"
}

stop_orbit() {
  if [ -n "$ORBIT_PID" ] && kill -0 "$ORBIT_PID" 2>/dev/null; then
    kill "$ORBIT_PID"; wait "$ORBIT_PID" 2>/dev/null
  fi
  ORBIT_PID=
}
trap stop_orbit EXIT

# orbit_alive — fails when Orbit has died (a crash is a failure of any test).
orbit_alive() { [ -n "$ORBIT_PID" ] && kill -0 "$ORBIT_PID" 2>/dev/null; }

TESTS_PASSED=0
TESTS_FAILED=0
check() {  # check NAME CMD... — runs one check and counts it
  local name=$1; shift
  if "$@"; then
    echo "ok   - $name"; TESTS_PASSED=$((TESTS_PASSED + 1))
  else
    echo "FAIL - $name"; TESTS_FAILED=$((TESTS_FAILED + 1))
  fi
}
finish() {
  echo "$TESTS_PASSED passed, $TESTS_FAILED failed"
  [ "$TESTS_FAILED" -eq 0 ]
}
