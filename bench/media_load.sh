#!/usr/bin/env bash
# Media load (issue "Calls with media", Benchmark): concurrent calls whose RTP Orbit anchors,
# driven by SIPp for the signalling and rtp_load for the media, at rising numbers of calls.
#
#   relay N...  N trunk calls from 127.0.0.2 (trunk_caller.xml) to 100 (callee_answer.xml),
#               answered at once; each caller sends 50 packets/s of PCMA from its own port,
#               Orbit relays them to the callee's echo socket, which sends them back, and Orbit
#               relays them to the caller again: 100 packets/s in and 100 out per call.
#   hold N...   N such calls that the callee puts on hold at once (re-INVITE a=sendonly,
#               callee_holds.xml): each caller is a music listener. Each caller sends
#               LISTENER_PPS packets/s (default 1: enough for Orbit's media timeout; 50 is a
#               phone that keeps sending while it listens).
#
# For each N: a fresh Orbit (the bench configuration below), 100 registered, the N calls set up
# at RATE calls/s, SETTLE s, then a measurement WINDOW of s: what every caller's socket received
# (packets per second, sequence gaps, longest silence; in relay mode the round-trip time of its
# own packets, through Orbit twice), Orbit's CPU (/proc/PID/stat, per thread) and resident
# memory, the machine's load. Then every call is hung up and Orbit's open files must come back
# to what they were before the calls (no leg left open).
#
# Usage, inside a private network namespace:
#   scripts/netns-run bash bench/media_load.sh BUILD relay|hold N...
# Environment: RATE (calls/s, default 200), SETTLE (default 3), WINDOW (default 20),
# LISTENER_PPS (hold, default 1), MAX_CALLS (default 10000), PORT_MAX (default 29999, or 39999
# when 2·N legs do not fit), MEDIA_THREADS (Orbit's [media] threads, default 0: one per core),
# PERF_SECONDS (a perf profile of Orbit for that long in the window:
# MODE-N/perf.data). Files: BUILD/bench/media_load/MODE-N/, summary in
# BUILD/bench/media_load/summary-MODE.txt.
OUT_NAME=media_load
BUILD=${1:-build}
MODE=${2:-relay}
shift 2 || true
LEVELS=("$@")
source "$(dirname "${BASH_SOURCE[0]}")/calls_common.sh"
case "$MODE" in relay | hold) ;; *) die "mode: relay or hold" ;; esac
[ ${#LEVELS[@]} -gt 0 ] || LEVELS=(500 1000 2000)
RATE=${RATE:-200}
SETTLE=${SETTLE:-3}
WINDOW=${WINDOW:-20}
LISTENER_PPS=${LISTENER_PPS:-1}
MAX_CALLS=${MAX_CALLS:-10000}
SUMMARY="$OUT/summary-$MODE.txt"

run_level() {
  local n=$1 dir="$OUT/$MODE-$n"
  rm -rf "$dir" && mkdir -p "$dir"
  local port_max=${PORT_MAX:-29999}
  [ $((2 * n + 10)) -le $((port_max - 20000)) ] || port_max=39999
  write_config "$dir/bench.toml" "$MAX_CALLS" 20000 "$port_max"
  start_orbit "$dir/bench.toml" "$dir/orbit.log"
  register_user 100 secret100 5080

  local callee_scenario=callee_answer.xml caller_pps=50 echo=(--echo)
  if [ "$MODE" = hold ]; then callee_scenario=callee_holds.xml caller_pps=$LISTENER_PPS echo=(); fi
  RTP_DIR=$dir
  start_rtp callee --ip 127.0.0.3 --ports 46000-46000 --rcvbuf 33554432 "${echo[@]}"
  : >"$dir/caller.log"
  start_rtp callers --ip 127.0.0.2 --ports "40000-$((40000 + n - 1))" --send-pps "$caller_pps" \
    --control "$dir/caller.log" --rcvbuf 262144
  sipp 127.0.0.1:5060 -sf "$SIPP_DIR/$callee_scenario" -t u1 -i 127.0.0.1 -p 5080 -s 100 \
    -key rtp_ip 127.0.0.3 -key rtp_port 46000 -nostdin -default_behaviors abortunexp \
    -trace_logs -log_file "$dir/callee.log" -trace_err -error_file "$dir/callee-errors.log" \
    -buff_size 8388608 >/dev/null 2>&1 &
  local callee_pid=$!
  STARTED+=("$callee_pid")

  printf 'SEQUENTIAL\n' >"$dir/callers.csv"
  local i
  for ((i = 0; i < n; i++)); do echo "$((40000 + i));$((701 + i))"; done >>"$dir/callers.csv"
  local ramp=$(((n + RATE - 1) / RATE))
  # Each caller hangs up hold_ms after its INVITE: room for a set-up twice as slow as asked.
  local hold_ms=$(((2 * ramp + SETTLE + WINDOW + 10) * 1000))
  rm -f "$dir/marks" "$dir/samples.jsonl" "$dir/caller.pid"
  start_sampler "$dir/samples.jsonl" orbit="$ORBIT_PID" sipp_caller="@$dir/caller.pid" \
    sipp_callee="$callee_pid" rtp_callers="${RTP_PIDS[callers]}" rtp_callee="${RTP_PIDS[callee]}"
  sleep 1.6
  mark "$dir/marks" baseline
  (
    cd "$dir" || exit 2  # -trace_counts writes trunk_caller_PID_counts.csv here
    sipp 127.0.0.1:5060 -sf "$SIPP_DIR/trunk_caller.xml" -inf "$dir/callers.csv" -t u1 \
      -i 127.0.0.2 -p 5070 -s 100 -r "$RATE" -m "$n" -l "$n" -d "$hold_ms" -nostdin \
      -default_behaviors abortunexp -recv_timeout 30000 -timeout "$((hold_ms / 1000 + 60))s" \
      -timeout_error -buff_size 8388608 -trace_logs -log_file "$dir/caller.log" \
      -trace_err -error_file "$dir/caller-errors.log" -trace_stat -stf "$dir/caller-stat.csv" \
      -fd 1 -trace_counts >"$dir/caller.out" 2>&1 &
    echo $! >"$dir/caller.pid"
    wait $!
    echo $? >"$dir/caller.rc"
  ) &
  local runner=$!
  STARTED+=("$runner")

  # Every call up (and, on hold, held) or the ramp long over.
  local want_log="$dir/caller.log" want_word=RTP-START
  [ "$MODE" = hold ] && want_log="$dir/callee.log" want_word=HOLD
  local deadline=$((SECONDS + ramp + 30)) up=0
  while [ $SECONDS -lt $deadline ]; do
    up=$(grep -c "^$want_word" "$want_log" 2>/dev/null)
    [ "${up:-0}" -ge "$n" ] && break
    sleep 0.5
  done
  mark "$dir/marks" all_up
  sleep "$SETTLE"
  rtp_snapshot
  mark "$dir/marks" window_start
  if [ "${PERF_SECONDS:-0}" -gt 0 ] && command -v perf >/dev/null; then
    # A profile of Orbit during the window (costs Orbit a little: 499 samples/s).
    perf record -q -F 499 -g -p "$ORBIT_PID" -o "$dir/perf.data" -- sleep "$PERF_SECONDS" \
      >/dev/null 2>&1
    sleep $((WINDOW > PERF_SECONDS ? WINDOW - PERF_SECONDS : 0))
  else
    sleep "$WINDOW"
  fi
  rtp_snapshot
  mark "$dir/marks" window_end

  wait "$runner"
  sleep 3
  mark "$dir/marks" after
  local fds_after
  fds_after=$(ls "/proc/$ORBIT_PID/fd" | wc -l)
  kill "$SAMPLER_PID" 2>/dev/null
  wait "$SAMPLER_PID" 2>/dev/null
  kill "$callee_pid" "${RTP_PIDS[callers]}" "${RTP_PIDS[callee]}" 2>/dev/null
  wait "$callee_pid" "${RTP_PIDS[callers]}" "${RTP_PIDS[callee]}" 2>/dev/null
  grep -iE 'error|critical' "$dir/orbit.log" | head -5 >"$dir/orbit-errors.txt"
  stop_orbit

  report_level "$n" "$dir" "$up" "$fds_after"
}

report_level() {
  local n=$1 dir=$2 up=$3 fds_after=$4
  local t_base t0 t1
  t_base=$(awk '$2 == "baseline" { printf "%.3f", $1 / 1e9 }' "$dir/marks")
  t0=$(awk '$2 == "window_start" { printf "%.3f", $1 / 1e9 }' "$dir/marks")
  t1=$(awk '$2 == "window_end" { printf "%.3f", $1 / 1e9 }' "$dir/marks")
  python3 "$ROOT/bench/calls_report.py" window "$dir/samples.jsonl" "$t0" "$t1" orbit sipp_caller \
    sipp_callee rtp_callers rtp_callee >"$dir/window.json"
  # Before the first call: the samples of [t_base - 2.3, t_base - 0.1] (the window pads 0.6 s).
  python3 "$ROOT/bench/calls_report.py" window "$dir/samples.jsonl" \
    "$(awk -v t="$t_base" 'BEGIN { printf "%.3f", t - 1.7 }')" \
    "$(awk -v t="$t_base" 'BEGIN { printf "%.3f", t - 0.7 }')" orbit >"$dir/baseline.json"
  local nominal=50
  python3 "$ROOT/bench/calls_report.py" rtp "$dir/rtp-callers.stats" --from 0 --to 1 \
    --nominal "$nominal" >"$dir/callers.json"
  python3 "$ROOT/bench/calls_report.py" rtp "$dir/rtp-callee.stats" --from 0 --to 1 \
    >"$dir/callee.json"
  local ok failed rc
  ok=$(awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "SuccessfulCall(C)") c = i; next }
    { v = $c } END { print v + 0 }' "$dir/caller-stat.csv" 2>/dev/null)
  failed=$(awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "FailedCall(C)") c = i; next }
    { v = $c } END { print v + 0 }' "$dir/caller-stat.csv" 2>/dev/null)
  rc=$(cat "$dir/caller.rc" 2>/dev/null)
  python3 - "$n" "$up" "$ok" "$failed" "$rc" "$fds_after" "$MODE" "$dir" <<'EOF' | tee -a "$SUMMARY"
import json, sys
n, up, ok, failed, rc, fds_after, mode, d = sys.argv[1:]
n = int(n)
w = json.load(open(f"{d}/window.json"))
b = json.load(open(f"{d}/baseline.json"))
c = json.load(open(f"{d}/callers.json"))
e = json.load(open(f"{d}/callee.json"))
o = w["orbit"]
threads = [o.get("main_thread", 0), o.get("other_threads", 0)]  # signalling, media
rss0 = b["orbit"]["rss_kb_last"]
per_call = (o["rss_kb_mean"] - rss0) / n
orbit_out = c["pps_total"] + (e["pps_total"] if mode == "relay" else 0)
def cpu(label):
    x = w.get(label)
    return f"{x['cpu']:.0f}" if x else "-"
rtt = c["rtt_us"]
print(f"{n:6d} {int(up):6d} {int(ok):6d} {int(failed):4d} {orbit_out:8d} "
      f"{c['at_nominal']:6d}/{c['sockets']:<6d} {c['pps_min']:6.1f} {c['pps_p1']:6.1f} {c['pps_median']:6.1f} "
      f"{c['lost']:6d} {c['max_gap_ms_p99']:6.0f} {c['max_gap_ms_max']:6.0f} "
      f"{(rtt['p50']/1000 if rtt['n'] else 0):6.2f} {(rtt['p99']/1000 if rtt['n'] else 0):6.2f} "
      f"{o['cpu']:5.0f} {o['user']:4.0f} {o['sys']:4.0f} {('/'.join(f'{t:.0f}' for t in threads)):>7s} {o['wait']:4.0f} "
      f"{rss0/1024:6.1f} {o['rss_kb_mean']/1024:7.1f} {per_call:6.1f} {b['orbit']['fds']:5d} {o['fds']:5d} {int(fds_after):5d} "
      f"{cpu('sipp_caller'):>4s} {cpu('sipp_callee'):>4s} {cpu('rtp_callers'):>4s} {cpu('rtp_callee'):>4s} "
      f"{w['machine']['other_cores']:5.2f} {w['udp']['rcvbuf_errors']:6d} {rc}")
EOF
}

{
  header_line
  echo "# mode $MODE: $([ "$MODE" = relay ] && echo "each caller sends 50 pps, the callee echoes: Orbit relays 100 pps in, 100 out per call" ||
    echo "the callee holds each call; the caller hears music; each caller sends $LISTENER_PPS pps");" \
    "calls set up at $RATE/s, settle ${SETTLE}s, window ${WINDOW}s"
  echo "# calls: asked; up: answered (hold: held) before the window; ok, fail: SIPp's calls at the end;"
  echo "# out pps: packets/s Orbit sent to the callers (and, relay, to the echo); nominal: callers"
  echo "# receiving >= 49 pps / callers that received; min, p1, med: per-caller pps; lost: sequence"
  echo "# gaps; gap p99/max: the longest silence per caller (ms); rtt: caller → Orbit → echo → Orbit"
  echo "# → caller (ms); cpu: Orbit, % of one core (user, sys; signalling/media thread), wait: %"
  echo "# runnable without a CPU; rss0/rss: MB before the calls / during the window; KiB/call:"
  echo "# (rss - rss0)/calls; fds: Orbit's open files before / during / 3 s after the calls;"
  echo "# then CPU % of SIPp caller and callee, rtp_load callers and callee; other: cores used by the"
  echo "# rest of the machine; rcvbuf: UDP datagrams dropped for a full receive buffer; rc: SIPp's."
  printf "#%5s %6s %6s %4s %8s %13s %6s %6s %6s %6s %6s %6s %6s %6s %5s %4s %4s %7s %4s %6s %7s %6s %5s %5s %5s %4s %4s %4s %4s %5s %6s %s\n" \
    calls up ok fail "out pps" nominal min p1 med lost gap99 gapmx rtt50 rtt99 cpu usr sys threads \
    wait rss0 rss KiB/c fds0 fds fds+3 sipA sipB rtpA rtpB other rcvbuf rc
} | tee -a "$SUMMARY"
for n in "${LEVELS[@]}"; do
  run_level "$n"
  sleep 2
done
echo "(files of the run: $OUT)"
