#!/usr/bin/env bash
# Park load (issue "Call park", Benchmark), driven by SIPp for the callers and the parker,
# park_watch.py for the lamps and the retrievers, rtp_load for the media.
#
#   cycles RATE...   park-and-retrieve cycles at RATE/s for DURATION s each (a fresh Orbit per
#                    rate): a trunk caller (trunk_caller_waits.xml, 127.0.0.2) calls 100; the
#                    parker (parker_directed.xml) answers and 100 ms later parks it by REFER on
#                    the call's own slot (701–5700 in turn); park_watch.py, a phone of 102 with a
#                    lamp (BLF subscription) on every slot, sees the lamp turn busy, waits
#                    PARK_TIME s (the caller hears music meanwhile) and takes the call by
#                    calling the slot (407, digest), talks 100 ms and hangs up; Orbit hangs up
#                    the caller. A cycle succeeds when all three complete with the expected
#                    messages. Kernel timestamps (a packet socket on lo) give the delay from
#                    each REFER to Orbit's lamp NOTIFY and MESSAGE. LOT_LAMP=1 also subscribes to
#                    the lot's park code 700 (a phone's "Park" key).
#   hold N...        N trunk calls to 100, each parked by REFER to 700 (parker.xml; Orbit picks
#                    the first free slot), all held parked for HOLD s: what every parked caller
#                    receives (packets/s, gaps), Orbit's CPU and memory per parked call; then
#                    every caller hangs up and Orbit's open files must come back to their
#                    number before the calls. Callers send 1 packet/s (Orbit ends a call whose
#                    sendrecv party sends nothing for 30 s).
#   overload RATE    [calls] max_calls = MAX_CALLS (default 300): HELD calls (default 150) to
#                    101 parked for DURATION + 25 s (parker.xml on its own port), then cycles at
#                    RATE/s for DURATION s, more than the calls left allow: new calls must get
#                    503 with Retry-After, the held ones keep their music; a retriever answered
#                    503 calls the slot again after Retry-After; callers send 1 packet/s (so that
#                    Orbit's media timeout does not end a parked call). When the load stops,
#                    every call must end and Orbit's open files come back where they started.
#
#   background N...  cycles at RATE/s (default 50) for DURATION s beside N parked calls (as
#                    overload, max_calls 10000): the signalling cost of a cycle against the
#                    number of calls Orbit holds.
#   fanout N...      the cycles at RATE/s (default 100) for DURATION s, with the supervision API
#                    on (bench/fanout_api.toml) and N WebSocket subscribers on /api/v1/events
#                    (ws_fanout, built by CMake beside orbit): the delay from each REFER (kernel
#                    time, park_watch.py) to the "parked" event at every subscriber, the delay
#                    from the event's own `at` to its receipt, events lost, subscribers dropped
#                    (bench/fanout_report.py). A fresh Orbit per N.
#
# Usage, inside a private network namespace:
#   scripts/netns-run bash bench/park_load.sh BUILD cycles|hold|overload|background|fanout ARG...
# Environment: DURATION (cycles, overload: seconds of calls, default 20), PARK_TIME (default
# 1), HOLD (hold: seconds, default 60), RATE (hold: set-up calls/s, default 200), MAX_CALLS,
# HELD, LOT_LAMP, SETUP_SLACK (hold: how much slower than RATE the set-up may be before the
# first callers hang up, default 2), PERF_SECONDS (a perf profile of Orbit during the run). Files:
# BUILD/bench/park_load/MODE-ARG/, summary in BUILD/bench/park_load/summary-MODE.txt.
OUT_NAME=park_load
BUILD=${1:-build}
MODE=${2:-cycles}
shift 2 || true
ARGS=("$@")
source "$(dirname "${BASH_SOURCE[0]}")/calls_common.sh"
DURATION=${DURATION:-20}
PARK_TIME=${PARK_TIME:-1}
HOLD=${HOLD:-60}
SUMMARY="$OUT/summary-$MODE.txt"
SLOTS=5000  # cycles: calls take slots 701… and caller ports 40000… in turn

stat_col() {  # stat_col FILE NAME — last value of a column of a SIPp statistics file
  awk -F';' -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
    { v = $c } END { print v + 0 }' "$1" 2>/dev/null
}

start_uas() {  # start_uas NAME SCENARIO PORT USER EXTRA... — a SIPp UAS in the background
  local name=$1 scenario=$2 port=$3 user=$4
  shift 4
  sipp 127.0.0.1:5060 -sf "$SIPP_DIR/$scenario" -t u1 -i 127.0.0.1 -p "$port" -s "$user" \
    -key rtp_ip 127.0.0.3 -key rtp_port 46000 -nostdin -default_behaviors abortunexp \
    -trace_logs -log_file "$DIR/$name.log" -trace_err -error_file "$DIR/$name-errors.log" \
    -trace_stat -stf "$DIR/$name-stat.csv" -fd 1 -buff_size 8388608 "$@" >/dev/null 2>&1 &
  UAS_PID=$!
  STARTED+=("$UAS_PID")
}

# start_callers NAME SCENARIO EXT RATE COUNT FIRST_PORT FIRST_SLOT N_ENTRIES EXTRA... — the
# trunk caller SIPp in the background (pid in DIR/NAME.pid, exit code in DIR/NAME.rc).
start_callers() {
  local name=$1 scenario=$2 ext=$3 rate=$4 count=$5 port0=$6 slot0=$7 entries=$8 sipp_port=$9
  shift 9
  printf 'SEQUENTIAL\n' >"$DIR/$name.csv"
  local i
  for ((i = 0; i < entries; i++)); do echo "$((port0 + i));$((slot0 + i))"; done >>"$DIR/$name.csv"
  (
    cd "$DIR" || exit 2
    sipp 127.0.0.1:5060 -sf "$SIPP_DIR/$scenario" -inf "$DIR/$name.csv" -t u1 -i 127.0.0.2 \
      -p "$sipp_port" -s "$ext" -r "$rate" -m "$count" -nostdin -default_behaviors abortunexp \
      -buff_size 8388608 -trace_logs -log_file "$DIR/$name.log" -trace_err \
      -error_file "$DIR/$name-errors.log" -trace_stat -stf "$DIR/$name-stat.csv" -fd 1 \
      -trace_counts "$@" >"$DIR/$name.out" 2>&1 &
    echo $! >"$DIR/$name.pid"
    wait $!
    echo $? >"$DIR/$name.rc"
  ) &
  STARTED+=("$!")
  CALLERS_RUNNER=$!
}

perf_profile() {  # in the background, when PERF_SECONDS is set
  if [ "${PERF_SECONDS:-0}" -gt 0 ] && command -v perf >/dev/null; then
    perf record -q -F 499 -g -p "$ORBIT_PID" -o "$DIR/perf.data" -- sleep "$PERF_SECONDS" \
      >/dev/null 2>&1 &
    STARTED+=("$!")
  fi
}

orbit_fds() { ls "/proc/$ORBIT_PID/fd" 2>/dev/null | wc -l; }

# Orbit's open files come back to BASE (every leg closed) within 10 s of the end of the load.
wait_fds_back() {
  local base=$1 fds
  for _ in $(seq 1 40); do
    fds=$(orbit_fds)
    [ "$fds" -le "$base" ] && break
    sleep 0.25
  done
  echo "$fds"
}

window_json() {  # window_json T0 T1 LABEL... — calls_report.py window over the samples
  python3 "$ROOT/bench/calls_report.py" window "$DIR/samples.jsonl" "$@"
}

# ---------------------------------------------------------------------------------------------

run_cycles() {
  local rate=$1 subscribers=${2:-}  # subscribers: the fanout mode
  DIR="$OUT/cycles-$rate"
  [ -z "$subscribers" ] || DIR="$OUT/fanout-$subscribers-$rate"
  rm -rf "$DIR" && mkdir -p "$DIR"
  RTP_DIR=$DIR
  write_config "$DIR/bench.toml" "${MAX_CALLS:-4000}" 20000 29999
  [ -z "$subscribers" ] || cat "$ROOT/bench/fanout_api.toml" >>"$DIR/bench.toml"
  start_orbit "$DIR/bench.toml" "$DIR/orbit.log"
  register_user 100 secret100 5080
  start_rtp sink --ip 127.0.0.3 --ports 46000-46000 --rcvbuf 33554432
  start_rtp callers --ip 127.0.0.2 --ports "40000-$((40000 + SLOTS - 1))" --rcvbuf 262144
  local lot_lamp=()
  [ "${LOT_LAMP:-0}" = 1 ] && lot_lamp=(--lot-lamp)
  python3 "$ROOT/bench/park_watch.py" --slots "701-$((700 + SLOTS))" --retrieve \
    --park-time "$PARK_TIME" --capture --out "$DIR" --subscribe-rate 1000 "${lot_lamp[@]}" \
    >"$DIR/park_watch.out" 2>&1 &
  local watch_pid=$!
  STARTED+=("$watch_pid")
  for _ in $(seq 1 600); do
    grep -q '^ready' "$DIR/park_watch.out" && break
    kill -0 "$watch_pid" 2>/dev/null || { cat "$DIR/park_watch.out"; die "park_watch failed"; }
    sleep 0.1
  done
  grep -q "^ready: $SLOTS" "$DIR/park_watch.out" || [ "${LOT_LAMP:-0}" = 1 ] ||
    { cat "$DIR/park_watch.out"; die "lamp subscriptions not all confirmed"; }
  local ws_pid= ws_label=()
  if [ -n "$subscribers" ]; then
    "$WS_FANOUT" --port 8080 --token "$FANOUT_TOKEN" --subscribers "$subscribers" --out "$DIR" \
      >"$DIR/ws_fanout.out" 2>&1 &
    ws_pid=$!
    STARTED+=("$ws_pid")
    ws_label=(wsclient="$ws_pid")
    for _ in $(seq 1 3000); do
      grep -q '^ready' "$DIR/ws_fanout.out" && break
      kill -0 "$ws_pid" 2>/dev/null || { cat "$DIR/ws_fanout.out"; die "ws_fanout failed"; }
      sleep 0.1
    done
    grep -q "^ready: $subscribers open, 0 failed" "$DIR/ws_fanout.out" ||
      { cat "$DIR/ws_fanout.out"; die "not every subscriber got its snapshot"; }
    grep -m1 '^ready' "$DIR/ws_fanout.out"
  fi
  start_uas parker parker_directed.xml 5080 100
  local parker_pid=$UAS_PID
  sleep 1
  local fds0
  fds0=$(orbit_fds)
  rm -f "$DIR/samples.jsonl" "$DIR/marks"
  start_sampler "$DIR/samples.jsonl" orbit="$ORBIT_PID" sipp_caller="@$DIR/callers.pid" \
    sipp_parker="$parker_pid" watch="$watch_pid" rtp_callers="${RTP_PIDS[callers]}" \
    rtp_sink="${RTP_PIDS[sink]}" "${ws_label[@]}"
  sleep 1.6
  mark "$DIR/marks" start
  start_callers callers trunk_caller_waits.xml 100 "$rate" "$((rate * DURATION))" 40000 701 \
    "$SLOTS" 5070 -l "$((rate * 10))" -recv_timeout 40000 -timeout "$((DURATION + 90))s" \
    -timeout_error
  sleep 3
  rtp_snapshot
  mark "$DIR/marks" window_start
  perf_profile
  sleep $((DURATION > 6 ? DURATION - 6 : 1))
  rtp_snapshot
  mark "$DIR/marks" window_end
  wait "$CALLERS_RUNNER"
  mark "$DIR/marks" end
  sleep 2
  local fds_after
  fds_after=$(wait_fds_back "$fds0")
  kill "$watch_pid" 2>/dev/null
  wait "$watch_pid" 2>/dev/null
  if [ -n "$ws_pid" ]; then  # it writes its receipts on SIGTERM
    kill "$ws_pid" 2>/dev/null
    wait "$ws_pid" 2>/dev/null
  fi
  kill "$SAMPLER_PID" "$parker_pid" "${RTP_PIDS[callers]}" "${RTP_PIDS[sink]}" 2>/dev/null
  wait "$SAMPLER_PID" "$parker_pid" "${RTP_PIDS[callers]}" "${RTP_PIDS[sink]}" 2>/dev/null
  grep -iE 'error|critical|warn' "$DIR/orbit.log" | sort | uniq -c | sort -rn | head -5 \
    >"$DIR/orbit-warnings.txt"
  stop_orbit

  local t0 t1 ts te
  ts=$(awk '$2 == "start" { printf "%.3f", $1 / 1e9 }' "$DIR/marks")
  t0=$(awk '$2 == "window_start" { printf "%.3f", $1 / 1e9 }' "$DIR/marks")
  t1=$(awk '$2 == "window_end" { printf "%.3f", $1 / 1e9 }' "$DIR/marks")
  te=$(awk '$2 == "end" { printf "%.3f", $1 / 1e9 }' "$DIR/marks")
  window_json "$t0" "$t1" orbit sipp_caller sipp_parker watch rtp_callers rtp_sink \
    ${ws_pid:+wsclient} >"$DIR/window.json"
  window_json "$ts" "$te" orbit >"$DIR/run.json"
  python3 "$ROOT/bench/calls_report.py" rtp "$DIR/rtp-callers.stats" --from 0 --to 1 \
    >"$DIR/callers.json"
  PYTHONPATH="$ROOT/bench" python3 - "$rate" "$DIR" "$fds0" "$fds_after" "$DURATION" "$PARK_TIME" "$ts" "$te" <<'EOF' | tee -a "$SUMMARY"
import glob, json, sys
rate, d, fds0, fds_after, duration, park_time, ts, te = sys.argv[1:]
tail = float(te) - float(ts) - int(duration)
rate, duration, park_time = int(rate), int(duration), float(park_time)
def col(f, name):
    try:
        lines = [l.rstrip("\n").split(";") for l in open(f) if l.strip()]
        i = lines[0].index(name)
        return int(float(lines[-1][i]))
    except Exception:
        return -1
caller = f"{d}/callers-stat.csv"
parker = f"{d}/parker-stat.csv"
ok, failed = col(caller, "SuccessfulCall(C)"), col(caller, "FailedCall(C)")
retr = col(caller, "Retransmissions(C)")
p_failed, p_retr = col(parker, "FailedCall(C)"), col(parker, "Retransmissions(C)")
shed = sum(1 for l in open(f"{d}/callers.log") if l.startswith("SHED")) if glob.glob(f"{d}/callers.log") else 0
rc = open(f"{d}/callers.rc").read().strip() if glob.glob(f"{d}/callers.rc") else "?"
w = json.load(open(f"{d}/park_watch.json"))
win = json.load(open(f"{d}/window.json"))
run = json.load(open(f"{d}/run.json"))
c = json.load(open(f"{d}/callers.json"))
o = win["orbit"]
threads = [o.get("main_thread", 0), o.get("other_threads", 0)]  # signalling, media
lamp, msg = w["refer_to_lamp_ms"], w["refer_to_message_ms"]
cnt = w["count"]
# Calls over SIPp's run time: first INVITE to last call's end.
elapsed = run["seconds"]
achieved = ok / (duration) if duration else 0
# Music heard while parked: packets the callers received over the run, per completed cycle
# (about 50 × PARK_TIME, more when the parks last longer than asked).
import calls_report
snaps = calls_report.read_snapshots(f"{d}/rtp-callers.stats")
music = sum(v[0] for v in snaps[-1]["ports"].values()) / max(1, ok)
fails = sum(w["failures"].values())
print(f"{rate:5d} {rate*duration:6d} {ok:6d} {failed:5d} {shed:5d} {retr:5d} {p_failed:5d} {p_retr:5d} "
      f"{cnt['retrieve_ok']:6d} {fails:5d} {achieved:7.1f} {tail:5.1f} "
      f"{lamp.get('p50', 0):6.2f} {lamp.get('p99', 0):7.2f} {lamp.get('max', 0):7.1f} "
      f"{msg.get('p50', 0):6.2f} {msg.get('p99', 0):7.2f} {lamp.get('n', 0):6d} "
      f"{music:5.1f} {o['cpu']:5.0f} {('/'.join(f'{t:.0f}' for t in threads)):>7s} {o['wait']:4.0f} "
      f"{o['rss_kb_mean']/1024:6.1f} {o['hwm_kb']/1024:6.1f} {int(fds0):5d} {int(fds_after):5d} "
      f"{win['sipp_caller']['cpu'] if win.get('sipp_caller') else -1:4.0f} {win['sipp_parker']['cpu']:4.0f} "
      f"{win['watch']['cpu']:4.0f} {win['machine']['other_cores']:5.2f} "
      f"{run.get('sip_socket', {}).get('drops', -1):6d} {rc}"
      + (f"  failures: {w['failures']}" if w["failures"] else ""))
EOF
  if [ -n "$subscribers" ]; then
    python3 "$ROOT/bench/fanout_report.py" "$DIR" "$subscribers" "$rate" | tee -a "$SUMMARY-events"
  fi
}

cycles_header() {
  header_line
  echo "# cycles: trunk caller → 100 answers → REFER to the call's slot (directed) → lamp busy →"
  echo "# ${PARK_TIME}s parked (music) → 102 calls the slot (407, digest) → 200 → 100 ms → BYE →"
  echo "# Orbit's BYE to the caller. ${DURATION}s at each rate, fresh Orbit, lamps on $SLOTS slots${LOT_LAMP:+ and on 700}."
  echo "# asked/ok/fail: caller SIPp calls; shed: 503s; retr: caller retransmissions; pfail/pretr: the"
  echo "# parker's; rtrv ok/fail: retrievals by park_watch; cyc/s: ok / ${DURATION}s; tail: s from the"
  echo "# last call started to the last call ended (a backlog shows here); lamp, msg: REFER → lamp"
  echo "# NOTIFY / MESSAGE (ms, kernel timestamps; n: parks timed); music: packets the callers received"
  echo "# per cycle (about 50 per parked second); cpu: Orbit % of one core (signalling/media thread),"
  echo "# wait: % runnable without a CPU; rss/hwm: MB; fds before / after the load; then CPU % of the"
  echo "# SIPp caller, the SIPp parker, park_watch.py; other: cores used by the rest of the machine;"
  echo "# sipdrop: datagrams Orbit's SIP socket dropped, its receive buffer full (whole run)."
  printf "#%4s %6s %6s %5s %5s %5s %5s %5s %6s %5s %7s %5s %6s %7s %7s %6s %7s %6s %5s %5s %7s %4s %6s %6s %5s %5s %4s %4s %4s %5s %6s %s\n" \
    rate asked ok fail shed retr pfail pretr rtrvok rfail cyc/s tail lamp50 lamp99 lampmx msg50 msg99 \
    n music cpu threads wait rss hwm fds0 fds+ sipC sipP wtch other sipdrop rc
}

# ---------------------------------------------------------------------------------------------

# park_calls NAME EXT PORT N FIRST_CALLER_PORT SIPP_PORT RATE HOLD_MS — N trunk calls to EXT,
# parked by REFER to 700 by parker.xml on PORT; callers keep 1 packet/s to Orbit.
park_calls() {
  local name=$1 ext=$2 port=$3 n=$4 port0=$5 sipp_port=$6 rate=$7 hold_ms=$8
  start_uas "parker-$name" parker.xml "$port" "$ext" -key park_code 700
  PARKER_PIDS+=("$UAS_PID")
  : >"$DIR/$name.log"
  start_rtp "$name" --ip 127.0.0.2 --ports "$port0-$((port0 + n - 1))" --send-pps 1 \
    --control "$DIR/$name.log" --rcvbuf 262144
  start_callers "$name" trunk_caller.xml "$ext" "$rate" "$n" "$port0" 1 "$n" "$sipp_port" \
    -l "$n" -d "$hold_ms" -recv_timeout 30000 -timeout "$((hold_ms / 1000 + 90))s" -timeout_error
}

run_hold() {
  local n=$1 rate=${RATE:-200}
  DIR="$OUT/hold-$n"
  rm -rf "$DIR" && mkdir -p "$DIR"
  RTP_DIR=$DIR
  local port_max=29999
  [ $((n + 10)) -le 9999 ] || port_max=39999
  write_config "$DIR/bench.toml" "${MAX_CALLS:-10000}" 20000 "$port_max"
  start_orbit "$DIR/bench.toml" "$DIR/orbit.log"
  register_user 100 secret100 5080
  start_rtp sink --ip 127.0.0.3 --ports 46000-46000 --rcvbuf 33554432
  local fds0
  fds0=$(orbit_fds)
  rm -f "$DIR/samples.jsonl" "$DIR/marks"
  local ramp=$(((n + rate - 1) / rate))
  # Each caller hangs up hold_ms after its INVITE: room for a set-up SETUP_SLACK (default 2)
  # times as slow as asked.
  local hold_ms
  hold_ms=$(awk -v r="$ramp" -v k="${SETUP_SLACK:-2}" -v h="$HOLD" 'BEGIN { printf "%d", (k * r + 20 + h) * 1000 }')
  PARKER_PIDS=()
  mark "$DIR/marks" baseline0
  start_sampler "$DIR/samples.jsonl" orbit="$ORBIT_PID" sipp_caller="@$DIR/parked.pid" \
    rtp_callers="@$DIR/rtp-parked.pid"
  sleep 1.6
  mark "$DIR/marks" baseline
  park_calls parked 100 5080 "$n" 40000 5070 "$rate" "$hold_ms"
  echo "${RTP_PIDS[parked]}" >"$DIR/rtp-parked.pid"
  local deadline=$((SECONDS + ramp + 40)) up=0
  while [ $SECONDS -lt $deadline ]; do
    up=$(grep -c '^PARKED' "$DIR/parker-parked.log" 2>/dev/null)
    [ "${up:-0}" -ge "$n" ] && break
    sleep 0.5
  done
  mark "$DIR/marks" all_parked
  sleep 3
  rtp_snapshot
  mark "$DIR/marks" window_start
  perf_profile
  sleep "$HOLD"
  rtp_snapshot
  mark "$DIR/marks" window_end
  wait "$CALLERS_RUNNER"
  local fds_after
  fds_after=$(wait_fds_back "$fds0")
  mark "$DIR/marks" after
  kill "$SAMPLER_PID" 2>/dev/null
  wait "$SAMPLER_PID" 2>/dev/null
  kill "${PARKER_PIDS[@]}" "${RTP_PIDS[parked]}" "${RTP_PIDS[sink]}" 2>/dev/null
  wait "${PARKER_PIDS[@]}" "${RTP_PIDS[parked]}" "${RTP_PIDS[sink]}" 2>/dev/null
  grep -iE 'error|critical|warn' "$DIR/orbit.log" | sed 's/^\[[^]]*\] //' | sort | uniq -c |
    sort -rn | head -5 >"$DIR/orbit-warnings.txt"
  stop_orbit

  local tb t0 t1
  tb=$(awk '$2 == "baseline" { printf "%.3f", $1 / 1e9 }' "$DIR/marks")
  t0=$(awk '$2 == "window_start" { printf "%.3f", $1 / 1e9 }' "$DIR/marks")
  t1=$(awk '$2 == "window_end" { printf "%.3f", $1 / 1e9 }' "$DIR/marks")
  window_json "$t0" "$t1" orbit sipp_caller rtp_callers >"$DIR/window.json"
  # Before the first call: the samples of [tb - 2.3, tb - 0.1] (the window pads 0.6 s).
  window_json "$(awk -v t="$tb" 'BEGIN { printf "%.3f", t - 1.7 }')" \
    "$(awk -v t="$tb" 'BEGIN { printf "%.3f", t - 0.7 }')" orbit >"$DIR/baseline.json"
  python3 "$ROOT/bench/calls_report.py" rtp "$DIR/rtp-parked.stats" --from 0 --to 1 \
    >"$DIR/callers.json"
  python3 - "$n" "$DIR" "$up" "$fds0" "$fds_after" <<'EOF' | tee -a "$SUMMARY"
import json, sys
n, d, up, fds0, fds_after = sys.argv[1:]
n = int(n)
def col(f, name):
    try:
        lines = [l.rstrip("\n").split(";") for l in open(f) if l.strip()]
        return int(float(lines[-1][lines[0].index(name)]))
    except Exception:
        return -1
ok, failed = col(f"{d}/parked-stat.csv", "SuccessfulCall(C)"), col(f"{d}/parked-stat.csv", "FailedCall(C)")
w = json.load(open(f"{d}/window.json"))
b = json.load(open(f"{d}/baseline.json"))
c = json.load(open(f"{d}/callers.json"))
o = w["orbit"]
rss0 = b["orbit"]["rss_kb_last"]
per_call = (o["rss_kb_last"] - rss0) / n  # at the end of the window: set-up transactions gone
threads = [o.get("main_thread", 0), o.get("other_threads", 0)]  # signalling, media
print(f"{n:6d} {int(up):6d} {ok:6d} {failed:4d} {c['pps_total']:7d} {c['at_nominal']:6d}/{c['sockets']:<6d} "
      f"{c['pps_min']:6.1f} {c['pps_p1']:6.1f} {c['pps_median']:6.1f} {c['lost']:6d} "
      f"{c['max_gap_ms_p99']:6.0f} {c['max_gap_ms_max']:6.0f} {c['seconds']:5.0f} "
      f"{o['cpu']:5.0f} {('/'.join(f'{t:.0f}' for t in threads)):>7s} {o['wait']:4.0f} "
      f"{rss0/1024:6.1f} {o['rss_kb_last']/1024:7.1f} {per_call:6.1f} {int(fds0):5d} {o['fds']:5d} {int(fds_after):5d} "
      f"{w['rtp_callers']['cpu'] if w.get('rtp_callers') else -1:4.0f} {w['machine']['other_cores']:5.2f} "
      f"{w['udp']['rcvbuf_errors']:6d}")
EOF
}

hold_header() {
  header_line
  echo "# hold: N trunk calls to 100, each parked by REFER to 700 (first free slot), held ${HOLD}s"
  echo "# parked, set up at ${RATE:-200}/s; each caller sends 1 packet/s. parked: PARKED before the window;"
  echo "# ok/fail: SIPp's calls at the end; pps: music packets/s received by all callers; nominal:"
  echo "# callers at >= 49 pps / callers; min, p1, med: per caller; lost: sequence gaps; gap99/max:"
  echo "# longest silence per caller (ms); s: window; cpu: Orbit % of one core (signalling/media thread),"
  echo "# wait: % runnable without CPU; rss0/rss: MB before the calls / at the end of the window;"
  echo "# KiB/call: (rss - rss0) / calls; fds before / during /"
  echo "# after; rtp: rtp_load's CPU %; other: cores used by the rest of the machine; rcvbuf: drops."
  printf "#%5s %6s %6s %4s %7s %13s %6s %6s %6s %6s %6s %6s %5s %5s %7s %4s %6s %7s %6s %5s %5s %5s %4s %5s %6s\n" \
    calls parked ok fail pps nominal min p1 med lost gap99 gapmx s cpu threads wait rss0 rss \
    KiB/c fds0 fds fds+ rtp other rcvbuf
}

# ---------------------------------------------------------------------------------------------

run_overload() {
  local rate=$1 max_calls=${MAX_CALLS:-300} held=${HELD:-150} name=${2:-overload-$1}
  DIR="$OUT/$name"
  rm -rf "$DIR" && mkdir -p "$DIR"
  RTP_DIR=$DIR
  write_config "$DIR/bench.toml" "$max_calls" 20000 29999
  start_orbit "$DIR/bench.toml" "$DIR/orbit.log"
  register_user 100 secret100 5080
  register_user 101 secret101 5081
  start_rtp sink --ip 127.0.0.3 --ports 46000-46000 --rcvbuf 33554432
  : >"$DIR/callers.log"
  start_rtp callers --ip 127.0.0.2 --ports "40000-$((40000 + SLOTS - 1))" --rcvbuf 262144 \
    --send-pps 1 --control "$DIR/callers.log"
  # The cycles' slots come after those the held calls take (first free from 701).
  local slot0=$((701 + held + 50)) entries=$((SLOTS - held - 60))
  local lot_lamp=()
  [ "${LOT_LAMP:-0}" = 1 ] && lot_lamp=(--lot-lamp)
  python3 "$ROOT/bench/park_watch.py" --slots "$slot0-$((slot0 + entries - 1))" --retrieve \
    --park-time "$PARK_TIME" --retry-503 --capture --out "$DIR" --subscribe-rate 1000 \
    "${lot_lamp[@]}" >"$DIR/park_watch.out" 2>&1 &
  local watch_pid=$!
  STARTED+=("$watch_pid")
  for _ in $(seq 1 600); do
    grep -q '^ready' "$DIR/park_watch.out" && break
    sleep 0.1
  done
  local fds0
  fds0=$(orbit_fds)
  rm -f "$DIR/samples.jsonl" "$DIR/marks"
  start_sampler "$DIR/samples.jsonl" orbit="$ORBIT_PID" watch="$watch_pid"
  sleep 1.6
  mark "$DIR/marks" baseline
  # The held calls: parked against 700 by 101's parker, slots 701… taken first-free, so the
  # cycles' directed slots start after them.
  PARKER_PIDS=()
  local held_rate=100 ramp=$(((held + 99) / 100))
  local hold_ms=$(((2 * ramp + 20 + DURATION + 25) * 1000))
  local held_runner= deadline=$((SECONDS + 2 * ramp + 15)) up=0
  if [ "$held" -gt 0 ]; then
    park_calls held 101 5081 "$held" 45000 5071 "$held_rate" "$hold_ms"
    held_runner=$CALLERS_RUNNER
  fi
  while [ "$held" -gt 0 ] && [ $SECONDS -lt $deadline ]; do
    up=$(grep -c '^PARKED' "$DIR/parker-held.log" 2>/dev/null)
    [ "${up:-0}" -ge "$held" ] && break
    sleep 0.5
  done
  sleep 3
  rtp_snapshot
  mark "$DIR/marks" load_start
  start_uas parker parker_directed.xml 5080 100
  PARKER_PIDS+=("$UAS_PID")
  start_callers callers trunk_caller_waits.xml 100 "$rate" "$((rate * DURATION))" 40000 \
    "$slot0" "$entries" 5070 -l "$((rate * 10))" -recv_timeout 150000 \
    -timeout "$((DURATION + 180))s" -timeout_error
  perf_profile
  sleep "$DURATION"
  rtp_snapshot
  mark "$DIR/marks" load_end
  wait "$CALLERS_RUNNER"
  sleep 5
  rtp_snapshot
  mark "$DIR/marks" cycles_done
  [ -z "$held_runner" ] || wait "$held_runner"
  local fds_after
  fds_after=$(wait_fds_back "$fds0")
  mark "$DIR/marks" after
  # Calls SIPp gave up on without a BYE (a failed call) keep their RTP from rtp_load: stop it,
  # then Orbit must end them itself, on its media timeout (30 s).
  local fds_late=$fds_after waited=0
  if [ "$fds_after" -gt "$fds0" ]; then
    kill "${RTP_PIDS[@]}" 2>/dev/null
    for waited in $(seq 1 40); do
      sleep 1
      fds_late=$(orbit_fds)
      [ "$fds_late" -le "$fds0" ] && break
    done
  fi
  kill "$watch_pid" 2>/dev/null
  wait "$watch_pid" 2>/dev/null
  kill "$SAMPLER_PID" "${PARKER_PIDS[@]}" "${RTP_PIDS[@]}" 2>/dev/null
  wait "$SAMPLER_PID" "${PARKER_PIDS[@]}" "${RTP_PIDS[@]}" 2>/dev/null
  grep -iE 'error|critical|warn' "$DIR/orbit.log" | sed 's/^\[[^]]*\] //' | sed 's/[0-9]\+ calls held/N calls held/' |
    sort | uniq -c | sort -rn | head -5 >"$DIR/orbit-warnings.txt"
  stop_orbit

  if [ "$held" -gt 0 ]; then
    python3 "$ROOT/bench/calls_report.py" rtp "$DIR/rtp-held.stats" --from 0 --to 1 \
      >"$DIR/held-during-load.json"
  else
    echo '{"at_nominal": 0, "sockets": 0, "pps_min": null, "pps_median": null, "lost": 0, "max_gap_ms_max": null}' \
      >"$DIR/held-during-load.json"
  fi
  local t0 t1
  t0=$(awk '$2 == "load_start" { printf "%.3f", $1 / 1e9 }' "$DIR/marks")
  t1=$(awk '$2 == "load_end" { printf "%.3f", $1 / 1e9 }' "$DIR/marks")
  window_json "$t0" "$t1" orbit watch >"$DIR/window.json"
  python3 - "$rate" "$DIR" "$fds0" "$fds_after" "$max_calls" "$held" "$up" "$fds_late" "$waited" <<'EOF' | tee -a "$SUMMARY"
import glob, json, re, sys
rate, d, fds0, fds_after, max_calls, held, up, fds_late, waited = sys.argv[1:]
def col(f, name):
    try:
        lines = [l.rstrip("\n").split(";") for l in open(f) if l.strip()]
        return int(float(lines[-1][lines[0].index(name)]))
    except Exception:
        return -1
ok, failed = col(f"{d}/callers-stat.csv", "SuccessfulCall(C)"), col(f"{d}/callers-stat.csv", "FailedCall(C)")
created = col(f"{d}/callers-stat.csv", "TotalCallCreated")
log = open(f"{d}/callers.log").read().splitlines() if glob.glob(f"{d}/callers.log") else []
shed = [l for l in log if l.startswith("SHED")]
retry = sorted({l.split()[-1] for l in shed})
h_ok, h_failed = col(f"{d}/held-stat.csv", "SuccessfulCall(C)"), col(f"{d}/held-stat.csv", "FailedCall(C)")
w = json.load(open(f"{d}/park_watch.json"))
c = json.load(open(f"{d}/held-during-load.json"))
warn = open(f"{d}/orbit-warnings.txt").read().strip().replace("\n", " | ")
print(f"rate {rate}/s for the load, max_calls {max_calls}, {held} held parked calls")
print(f"  cycles: {created} calls made: {ok} ended normally (of which {len(shed)} shed with 503,"
      f" Retry-After {','.join(retry) or '-'}), {failed} failed")
print(f"  retrievals: {w['count']['retrieve_started']} tried, {w['count']['retrieve_503']} answered 503"
      f" (tried again after Retry-After), {w['count']['retrieve_ok']} ok,"
      f" failures {w['failures']}, in flight at the end {w['in_flight_at_end']}")
print(f"  held calls during the load: {c['at_nominal']}/{c['sockets']} at >= 49 pps, pps min"
      f" {c['pps_min']} median {c['pps_median']}, lost {c['lost']}, longest gap {c['max_gap_ms_max']} ms;"
      f" at the end {h_ok} ended normally, {h_failed} failed")
win = json.load(open(f"{d}/window.json"))
o = win["orbit"]
lamp, msg = w["refer_to_lamp_ms"], w["refer_to_message_ms"]
print(f"  during the load: Orbit {o['cpu']:.0f} % of a core (signalling thread {o.get('main_thread')} %, media thread {o.get('other_threads')} %),"
      f" waiting {o['wait']:.0f} %, rest of the machine {win['machine']['other_cores']} cores;"
      f" REFER → lamp p50 {lamp.get('p50')} p99 {lamp.get('p99')} ms, → MESSAGE p99 {msg.get('p99')} ms (n {lamp.get('n')})")
print(f"  held calls parked before the load: {up}/{held}")
late = "" if int(fds_after) <= int(fds0) else (
    f"; with rtp_load stopped, {fds_late} after {waited} s more"
    f" ({'every leg closed by the media timeout' if int(fds_late) <= int(fds0) else 'LEGS LEFT OPEN'})")
print(f"  Orbit's open files: {fds0} before, {fds_after} 10 s after the load"
      f" ({'no leg left' if int(fds_after) <= int(fds0) else 'legs still open'}){late}")
print(f"  Orbit's log (warnings, counted): {warn}")
EOF
}

# ---------------------------------------------------------------------------------------------

case "$MODE" in
  cycles)
    [ ${#ARGS[@]} -gt 0 ] || ARGS=(100 200 400 700)
    cycles_header | tee -a "$SUMMARY"
    for rate in "${ARGS[@]}"; do run_cycles "$rate"; sleep 2; done
    ;;
  hold)
    [ ${#ARGS[@]} -gt 0 ] || ARGS=(1000 2000 5000)
    hold_header | tee -a "$SUMMARY"
    for n in "${ARGS[@]}"; do run_hold "$n"; sleep 2; done
    ;;
  overload)
    [ ${#ARGS[@]} -gt 0 ] || ARGS=(300)
    { header_line; echo "# overload: max_calls ${MAX_CALLS:-300}, ${HELD:-150} held parked calls, cycles for ${DURATION}s"; } | tee -a "$SUMMARY"
    for rate in "${ARGS[@]}"; do run_overload "$rate"; done
    ;;
  background)
    # Cycles at RATE/s (default 50) beside N parked calls, max_calls 10000: what each cycle
    # costs Orbit's signalling thread as the calls it holds grow.
    [ ${#ARGS[@]} -gt 0 ] || ARGS=(0 2000 4000)
    { header_line; echo "# background: cycles at ${RATE:-50}/s for ${DURATION}s beside N parked calls"; } | tee -a "$SUMMARY"
    for n in "${ARGS[@]}"; do
      MAX_CALLS=${MAX_CALLS:-10000} HELD=$n run_overload "${RATE:-50}" "background-$n"
      sleep 2
    done
    ;;
  fanout)
    [ ${#ARGS[@]} -gt 0 ] || ARGS=(0 100 1000)
    WS_FANOUT="$BUILD/bench/ws_fanout"
    [ -x "$WS_FANOUT" ] || die "no $WS_FANOUT: build first (cmake --build $BUILD)"
    FANOUT_TOKEN=orbit-bench-fanout-token  # its SHA-256 is in bench/fanout_api.toml
    { cycles_header; echo "# fanout: N WebSocket subscribers, cycles at ${RATE:-100}/s; events: $SUMMARY-events"; } |
      tee -a "$SUMMARY"
    { header_line; python3 "$ROOT/bench/fanout_report.py" --header; } | tee -a "$SUMMARY-events"
    for n in "${ARGS[@]}"; do run_cycles "${RATE:-100}" "$n"; sleep 2; done
    ;;
  *) die "mode: cycles, hold, overload, background or fanout" ;;
esac
echo "(files of the run: $OUT)"
