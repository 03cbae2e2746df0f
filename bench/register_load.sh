#!/usr/bin/env bash
# REGISTER load: SIPp registers users 1000…1999 with digest over UDP (REGISTER → 401 → REGISTER
# with credentials → 200) against a running Orbit, at rising rates. For each rate: the calls that
# succeeded and failed, the retransmissions, the rate SIPp really achieved, how long registrations
# took, and the CPU that SIPp, Orbit and the rest of the machine used; then the highest achieved
# rate with zero failures and zero retransmissions.
#
# Usage, inside a private network namespace (Orbit binds 127.0.0.1:5060):
#   scripts/netns-run bash bench/register_load.sh BUILD [RATE...]
# RATE defaults to 1000 2000 5000 7500 10000 (registrations/s). Environment: DURATION (seconds
# at each rate, default 5), USERS (default 1000). Files of the run (bench configuration,
# users.csv, SIPp statistics and errors, Orbit's log, summary.txt) go to BUILD/bench/register_load/.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
shift || true
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(1000 2000 5000 7500 10000)
DURATION=${DURATION:-5}
USERS=${USERS:-1000}
ORBIT="$BUILD/orbit"
SCENARIO="$ROOT/bench/sipp/register_digest.xml"
OUT="$BUILD/bench/register_load"
CLK_TCK=$(getconf CLK_TCK)

die() { echo "register_load: $*" >&2; exit 2; }

# Only loopback may exist here: the load must not reach, or collide with, anything outside.
if ip -o link show | awk -F': ' '{ print $2 }' | grep -qv '^lo$'; then
  die "run me inside a private network namespace: scripts/netns-run bash bench/register_load.sh"
fi
[ -x "$ORBIT" ] || die "no $ORBIT: build first (make build)"
command -v sipp >/dev/null || die "sipp is missing (Debian package sip-tester)"
rm -rf "$OUT" && mkdir -p "$OUT"

# The demo configuration, quieter (log_level warn: no line per registration), with USERS more
# users 1000… whose password is bench-<extension>, and SIPp's injection file for them (SIPp 3.6
# takes credentials from a file only as a whole "[authentication ...]" field).
write_config() {
  sed -e 's/^name = "orbit"$/name = "orbit-bench"/' -e 's/^log_level = .*/log_level = "warn"/' \
    "$ROOT/config/demo.toml" >"$OUT/bench.toml"
  echo "SEQUENTIAL" >"$OUT/users.csv"
  local ext
  for ((ext = 1000; ext < 1000 + USERS; ext++)); do
    printf '\n[[tenants.users]]\nextension = "%d"\npassword = "bench-%d"\n' "$ext" "$ext"
    printf '%d;[authentication username=%d password=bench-%d]\n' "$ext" "$ext" "$ext" \
      >>"$OUT/users.csv"
  done >>"$OUT/bench.toml"
}

ORBIT_PID=
stop_orbit() {
  if [ -n "$ORBIT_PID" ] && kill -0 "$ORBIT_PID" 2>/dev/null; then
    kill "$ORBIT_PID"
    wait "$ORBIT_PID" 2>/dev/null
  fi
  ORBIT_PID=
}
trap stop_orbit EXIT

# Waits until 127.0.0.1:5060 (0100007F:13C4) is bound in UDP: at log_level warn there is no banner.
start_orbit() {
  "$ORBIT" --check-config "$OUT/bench.toml" >"$OUT/check-config.log" 2>&1 ||
    { cat "$OUT/check-config.log"; die "the bench configuration is refused"; }
  "$ORBIT" --config "$OUT/bench.toml" >"$OUT/orbit.log" 2>&1 &
  ORBIT_PID=$!
  for _ in $(seq 1 100); do
    if grep -q ' 0100007F:13C4 ' /proc/net/udp; then return 0; fi
    kill -0 "$ORBIT_PID" 2>/dev/null || { cat "$OUT/orbit.log"; die "orbit exited at start-up"; }
    sleep 0.05
  done
  cat "$OUT/orbit.log"
  die "orbit does not listen on udp 127.0.0.1:5060"
}

# Nanoseconds a process (all its threads: Orbit has a media thread) has run on a CPU, and waited
# for one while runnable (schedstat): "RUN WAIT"; fails once it has exited.
proc_ns() {
  grep -qv '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null &&
    cat "/proc/$1"/task/*/schedstat 2>/dev/null |
    awk '{ run += $1; wait += $2 } END { if (!NR) exit 1; printf "%.0f %.0f\n", run, wait }'
}
# CPU ticks the whole machine has been busy (user, nice, system, irq, softirq, steal), all cores.
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# The value of column NAME in the last line of a SIPp statistics file (-trace_stat, ';'-separated).
stat_value() {
  awk -F';' -v name="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) col = i; next }
    { last = $col }
    END { print last + 0 }' "$1"
}

# start_sipp RATE PREFIX — DURATION seconds of registrations at RATE/s, in the background; sets
# SIPP_PID. When SIPp exits, PREFIX-end gets its exit code and the time (ns).
# -nd: an unexpected message fails the call; -recv_timeout: so does silence for 5 s (after
# SIPp's own retransmissions); -l: at most one second's worth of registrations in progress;
# -timeout: the whole run may not last past DURATION + 30 s.
start_sipp() {
  local rate=$1 prefix=$2
  rm -f "$prefix-pid" "$prefix-end"
  (
    sipp 127.0.0.1:5060 -sf "$SCENARIO" -inf "$OUT/users.csv" -t u1 -i 127.0.0.1 -p 5070 \
      -auth_uri demo.orbit -r "$rate" -m $((rate * DURATION)) -l "$rate" -recv_timeout 5000 \
      -timeout "$((DURATION + 30))s" -timeout_error -nd -nostdin -buff_size 4194304 \
      -trace_stat -stf "$prefix-stat.csv" -fd 1 -trace_err -error_file "$prefix-errors.log" \
      >"$prefix-sipp.out" 2>&1 &
    echo $! >"$prefix-pid"
    wait $!
    echo "$? $(date +%s%N)" >"$prefix-end"
  ) &
  RUNNER_PID=$!
  until [ -s "$prefix-pid" ]; do sleep 0.01; done
  SIPP_PID=$(cat "$prefix-pid")
}

# watch_sipp PREFIX — samples SIPp and Orbit every 0.25 s until SIPp exits. Sets W_* over the
# sending window (the first DURATION seconds): its length in ms, the ns SIPp and Orbit ran and
# waited for a CPU, the machine's busy ticks; and T_* over SIPp's whole run: ms, ns SIPp and
# Orbit ran; SIPP_RC.
watch_sipp() {
  local t0 b0 t sipp orbit orbit0 end
  t0=$(date +%s%N) b0=$(busy_ticks) orbit0=$(proc_ns "$ORBIT_PID")
  W_MS=1 W_SIPP="0 0" W_ORBIT="0 0" W_BUSY=0 T_SIPP=0
  while sipp=$(proc_ns "$SIPP_PID"); do
    t=$(date +%s%N) orbit=$(proc_ns "$ORBIT_PID")
    T_SIPP=${sipp% *}
    if [ $(((t - t0) / 1000000)) -le $((DURATION * 1000 + 150)) ]; then
      W_MS=$(((t - t0) / 1000000)) W_SIPP=$sipp W_BUSY=$(($(busy_ticks) - b0))
      W_ORBIT="$((${orbit% *} - ${orbit0% *})) $((${orbit#* } - ${orbit0#* }))"
    fi
    sleep 0.25
  done
  wait "$RUNNER_PID"
  read -r SIPP_RC end <"$1-end"
  orbit=$(proc_ns "$ORBIT_PID")
  T_MS=$(((end - t0) / 1000000)) T_ORBIT=$((${orbit% *} - ${orbit0% *}))
}

# report_rate RATE PREFIX — one line of summary.txt from SIPp's statistics and the CPU samples.
report_rate() {
  local rate=$1 stat="$2-stat.csv" slow=0 bucket
  for bucket in '<200' '<500' '<1000' '>=1000'; do
    slow=$((slow + $(stat_value "$stat" "ResponseTimeRepartition1_$bucket")))
  done
  awk -v rate="$rate" -v ok="$(stat_value "$stat" 'SuccessfulCall(C)')" \
    -v failed="$(stat_value "$stat" 'FailedCall(C)')" \
    -v retrans="$(stat_value "$stat" 'Retransmissions(C)')" \
    -v sipp_rate="$(stat_value "$stat" 'CallRate(C)')" \
    -v fast="$(stat_value "$stat" 'ResponseTimeRepartition1_<1')" -v slow="$slow" \
    -v w_ms="$W_MS" -v w_sipp="$W_SIPP" -v w_orbit="$W_ORBIT" -v w_busy="$W_BUSY" \
    -v t_ms="$T_MS" -v t_sipp="$T_SIPP" -v t_orbit="$T_ORBIT" -v tck="$CLK_TCK" -v rc="$SIPP_RC" '
    function pct(ns) { return ns / w_ms / 1e4 }
    BEGIN {
      split(w_sipp, sipp, " ")
      split(w_orbit, orbit, " ")
      n = ok > 0 ? ok : 1
      other = w_busy / tck * 1e9 - sipp[1] - orbit[1]  # /proc/stat counts whole ticks
      if (other < 0) other = 0
      printf "%6d %7d %5d %6d %6.0f %6.0f %5.1f%% %6.1f%% %4.0f%% %4.0f%% %4.0f%% %4.0f%% %4.0f%%",
        rate, ok, failed, retrans, sipp_rate, ok * 1000 / t_ms, 100 * fast / n, 100 * slow / n,
        pct(sipp[1]), pct(orbit[1]), pct(other), pct(sipp[2]), pct(orbit[2])
      printf " %5.1f %5.1f %3d\n", t_sipp / 1e3 / n, t_orbit / 1e3 / n, rc
    }' | tee -a "$OUT/summary.txt"
}

header() {
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo |
    cut -d: -f2 | sed 's/^ //')), load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
  local version
  version=$(sipp -v 2>&1 | grep -o 'v[0-9][0-9.]*' | head -1)
  echo "# $USERS users, $DURATION s at each rate; sipp $version"
  echo "# rate: asked of SIPp (-r); ok, fail: calls; retr: retransmissions; sipp: SIPp's"
  echo "# CallRate(C); achvd: achieved, ok / SIPp's run time; <1ms, >=100ms: registrations"
  echo "# (first REGISTER to 200) that fast, that slow; cpu: % of one core while SIPp sends"
  echo "# (other: the rest of the machine, approximate); wait: % of that time SIPp or Orbit was"
  echo "# runnable but had no CPU; us/reg: CPU microseconds per registration, SIPp's whole run."
  printf "#%5s %7s %5s %6s %6s %6s %6s %7s %17s %11s %11s\n" "" "" "" "" "" "" "" "" \
    "------cpu------" "---wait---" "--us/reg--"
  printf "#%5s %7s %5s %6s %6s %6s %6s %7s %5s %5s %5s %5s %5s %5s %5s %3s\n" rate ok fail retr \
    sipp achvd "<1ms" ">=100ms" sipp orbit other sipp orbit sipp orbit rc
}

write_config
start_orbit
header | tee "$OUT/summary.txt"
for rate in "${RATES[@]}"; do
  start_sipp "$rate" "$OUT/rate-$rate"
  watch_sipp "$OUT/rate-$rate"
  report_rate "$rate" "$OUT/rate-$rate"
  if ! kill -0 "$ORBIT_PID" 2>/dev/null; then
    echo "orbit died at $rate/s" | tee -a "$OUT/summary.txt"
    exit 1
  fi
  sleep 1
done
echo "# orbit peak memory: $(awk '/VmHWM/ { print $2, $3 }' "/proc/$ORBIT_PID/status")" |
  tee -a "$OUT/summary.txt"
stop_orbit

# The highest achieved rate of a step without failures, retransmissions or SIPp error.
best=$(awk '!/^#/ && $3 == 0 && $4 == 0 && $16 == 0 && $2 > 0 { if ($6 > best) best = $6 }
  END { print best + 0 }' "$OUT/summary.txt")
echo "highest rate with zero failures: $best registrations/s" | tee -a "$OUT/summary.txt"
echo "(files of the run: $OUT)"
[ "$best" -gt 0 ]
