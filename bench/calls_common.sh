# Shared by the call benchmarks (media_load.sh, park_load.sh): sourced, not run. Sets ROOT,
# BUILD, ORBIT, OUT (the caller sets OUT_NAME first), checks the namespace and the tools, builds
# rtp_load, and offers: write_config, start_orbit/stop_orbit, register_user, start_rtp,
# start_sampler, snapshot helpers and the clean-up of everything started.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
ORBIT="$BUILD/orbit"
OUT="$BUILD/bench/$OUT_NAME"
SIPP_DIR="$ROOT/bench/sipp"
RTP_LOAD="$BUILD/bench/rtp_load"

die() { echo "$OUT_NAME: $*" >&2; exit 2; }

# Only loopback may exist here: the load must not reach, or collide with, anything outside.
if ip -o link show | awk -F': ' '{ print $2 }' | grep -qv '^lo$'; then
  die "run me inside a private network namespace: scripts/netns-run bash bench/$OUT_NAME.sh"
fi
[ -x "$ORBIT" ] || die "no $ORBIT: build first (make build)"
command -v sipp >/dev/null || die "sipp is missing (Debian package sip-tester)"
ip link set lo up 2>/dev/null
mkdir -p "$OUT"

# rtp_load is one standalone file: built here (the tree's CMake build is left alone).
if [ ! -x "$RTP_LOAD" ] || [ "$ROOT/bench/rtp_load.cpp" -nt "$RTP_LOAD" ]; then
  mkdir -p "$(dirname "$RTP_LOAD")"
  g++ -std=c++20 -O2 -Wall -Wextra -o "$RTP_LOAD" "$ROOT/bench/rtp_load.cpp" ||
    die "cannot build rtp_load"
fi

# Everything started in the background is listed here and stopped on exit, by pid.
STARTED=()
cleanup() {
  local pid
  for pid in "${STARTED[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${STARTED[@]}"; do
    wait "$pid" 2>/dev/null
  done
  STARTED=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# write_config FILE MAX_CALLS PORT_MIN PORT_MAX — bench/calls.toml (demo.orbit: users 100–103,
# the trunk "carrier" at 127.0.0.2 ringing 100, the lot "main" with slots 701–10700, park code
# 700, an hour's timeout, music class "default"; log level warn) with [calls] max_calls and the
# RTP port range filled in, and [media] threads from MEDIA_THREADS (default 0: one per core).
# UDP only: the TCP listener of the demo is left out.
write_config() {
  local file=$1 max_calls=$2 port_min=$3 port_max=$4
  sed -e "s/@MAX_CALLS@/$max_calls/" -e "s/@PORT_MIN@/$port_min/" -e "s/@PORT_MAX@/$port_max/" \
    -e "s/@MEDIA_THREADS@/${MEDIA_THREADS:-0}/" "$ROOT/bench/calls.toml" >"$file"
}

ORBIT_PID=
# start_orbit CONFIG LOG — waits until 127.0.0.1:5060 (0100007F:13C4) is bound in UDP.
start_orbit() {
  local config=$1 log=$2
  "$ORBIT" --check-config "$config" >"$log.check" 2>&1 ||
    { cat "$log.check"; die "the bench configuration is refused"; }
  "$ORBIT" --config "$config" >"$log" 2>&1 &
  ORBIT_PID=$!
  STARTED+=("$ORBIT_PID")
  for _ in $(seq 1 200); do
    if grep -q ' 0100007F:13C4 ' /proc/net/udp; then sleep 0.2; return 0; fi
    kill -0 "$ORBIT_PID" 2>/dev/null || { cat "$log"; die "orbit exited at start-up"; }
    sleep 0.05
  done
  cat "$log"
  die "orbit does not listen on udp 127.0.0.1:5060"
}
stop_orbit() {
  if [ -n "$ORBIT_PID" ] && kill -0 "$ORBIT_PID" 2>/dev/null; then
    kill "$ORBIT_PID"
    wait "$ORBIT_PID" 2>/dev/null
  fi
  ORBIT_PID=
}

# register_user EXT PASSWORD PORT — one contact of EXT at 127.0.0.1:PORT (the port the UAS will
# listen on next), digest-authenticated.
register_user() {
  local ext=$1 password=$2 port=$3
  sipp 127.0.0.1:5060 -sf "$SIPP_DIR/register_contact.xml" -t u1 -i 127.0.0.1 -p "$port" \
    -s "$ext" -au "$ext" -ap "$password" -auth_uri demo.orbit -m 1 -nostdin -timeout 10s \
    -timeout_error -default_behaviors abortunexp >"$OUT/register-$ext-$port.out" 2>&1 ||
    { cat "$OUT/register-$ext-$port.out"; die "cannot register $ext at port $port"; }
}

# start_rtp NAME ARGS... — rtp_load in the background (files RTP_DIR/rtp-NAME.out, .stats;
# RTP_DIR defaults to OUT), waits for "ready"; sets RTP_PIDS[NAME].
declare -A RTP_PIDS=()
start_rtp() {
  local name=$1 dir=${RTP_DIR:-$OUT}
  shift
  rm -f "$dir/rtp-$name.out" "$dir/rtp-$name.stats"
  "$RTP_LOAD" --stats "$dir/rtp-$name.stats" "$@" >"$dir/rtp-$name.out" 2>&1 &
  RTP_PIDS[$name]=$!
  STARTED+=("$!")
  for _ in $(seq 1 200); do
    grep -q '^ready' "$dir/rtp-$name.out" 2>/dev/null && return 0
    kill -0 "${RTP_PIDS[$name]}" 2>/dev/null || { cat "$dir/rtp-$name.out"; die "rtp_load $name failed"; }
    sleep 0.05
  done
  die "rtp_load $name not ready"
}
# rtp_snapshot — every rtp_load appends a snapshot of its counters to its .stats file.
rtp_snapshot() {
  local name
  for name in "${!RTP_PIDS[@]}"; do kill -USR1 "${RTP_PIDS[$name]}" 2>/dev/null; done
  sleep 0.3
}

# start_sampler FILE LABEL=PID... — proc_sample.py in the background (CPU, memory, files of
# each process, the machine's CPU and load, UDP counters), one line every 0.5 s.
start_sampler() {
  local file=$1
  shift
  python3 "$ROOT/bench/proc_sample.py" "$file" "$@" &
  SAMPLER_PID=$!
  STARTED+=("$SAMPLER_PID")
}

# mark FILE TEXT — a time mark (wall clock, ns) for the summaries.
mark() { echo "$(date +%s%N) $2" >>"$1"; }

header_line() {
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo |
    cut -d: -f2 | sed 's/^ //')), load average $(cut -d' ' -f1-3 /proc/loadavg) before the run;" \
    "orbit $(stat -c '%y' "$ORBIT" | cut -d. -f1) ($(git -C "$ROOT" describe --always --dirty 2>/dev/null))," \
    "$(sipp -v 2>&1 | grep -o 'v[0-9][0-9.]*' | head -1)"
}
