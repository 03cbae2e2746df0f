#!/usr/bin/env bash
# The history of parked calls against the running server: the carrier's call parked over SIP
# (REFER to 700, SIPp) and retrieved by 101 (701) shows in GET /api/v1/history as retrieved by
# 101 with its wait, and in /figures; Orbit restarted on the same database still shows it.
# The configuration is config/demo.toml with the history in this test's artefacts: a relative
# path, so that its resolution against the configuration file's directory is proven too.
# Usage: t_history.sh BUILD_DIR — inside a network namespace (tests/run-all.sh).
source "$(dirname "$0")/lib.sh"

SCENARIOS="$ROOT/tests/sipp/park"
OUT="$ARTIFACTS/t_history"
rm -rf "$OUT" && mkdir -p "$OUT"
CONFIG="$OUT/orbit.toml"
DB="$OUT/history.sqlite"
sed 's|^path = .*orbit-history.sqlite"$|path = "history.sqlite"|' "$ROOT/config/demo.toml" >"$CONFIG"
sed -i "s|^web_root = .*|web_root = \"$ROOT/web\"|" "$CONFIG"
CALLER="+33123456789 Carrier Caller"
declare -A SIPP_PID=()

# sipp_start NAME SCENARIO IP PORT MEDIA_PORT [SIPP OPTIONS...] — one SIPp in the background.
sipp_start() {
  local name=$1 scenario=$2 ip=$3 port=$4 media=$5
  shift 5
  sipp 127.0.0.1:5060 -sf "$SCENARIOS/$scenario" -t u1 -i "$ip" -p "$port" -mi "$ip" \
    -mp "$media" -m 1 -timeout 30s -timeout_error -default_behaviors abortunexp -nostdin \
    -trace_err -error_file "$OUT/$name-errors.log" "$@" >"$OUT/$name.out" 2>&1 &
  SIPP_PID[$name]=$!
}
# sipp_ok NAME — waits for that SIPp; true when it ended with 0.
sipp_ok() {
  wait "${SIPP_PID[$1]}"; local rc=$?
  unset "SIPP_PID[$1]"
  [ "$rc" = 0 ] || { echo "  sipp $1 exited with $rc; see $OUT/$1-errors.log"; return 1; }
}
cleanup() {
  local name
  for name in "${!SIPP_PID[@]}"; do kill "${SIPP_PID[$name]}" 2>/dev/null; done
  stop_orbit
}
trap cleanup EXIT

# api_checks LABEL — runs the Python checks of stdin against the API, counting each line.
api_checks() {
  python3 - "$@" >"$OUT/$1.txt" 2>&1
  local rc=$?
  cat "$OUT/$1.txt"
  [ "$rc" -eq 0 ] || { echo "FAIL - $1: the checks stopped early (exit $rc)"; TESTS_FAILED=$((TESTS_FAILED + 1)); }
  while read -r line; do
    case "$line" in
      "ok   - "*) TESTS_PASSED=$((TESTS_PASSED + 1)) ;;
      "FAIL - "*) TESTS_FAILED=$((TESTS_FAILED + 1)) ;;
    esac
  done <"$OUT/$1.txt"
}

start_orbit "$CONFIG" "$OUT/orbit-1.log" || exit 1
check "the database is created beside the configuration file" test -s "$DB"

sipp_start register-100 register.xml 127.0.0.1 5100 6100 -s 100 -au 100 -ap secret100 \
  -auth_uri demo.orbit -key contact_user 100-phone
check "100 registers" sipp_ok register-100
sipp_start parker uas_parker.xml 127.0.0.1 5100 6100 -s 100 -m 2 -key refer_to 700 \
  -key message "Parked on 701: $CALLER — dial 701"
for _ in $(seq 1 100); do ss -Hlun "sport = :5100" | grep -q . && break; sleep 0.05; done
sipp_start caller uac_trunk_call.xml 127.0.0.2 5201 6200 -s 0123456789
check "100 parks the carrier's call on 701 (REFER to 700)" sipp_ok parker
sleep 1  # a wait of at least a second before the retrieve
sipp_start retriever uac_retrieve.xml 127.0.0.1 5301 6300 -s 701 -key user 101 -au 101 \
  -ap secret101 -auth_uri 701@demo.orbit -key parked_display "$CALLER" \
  -key parked_uri "sip:+33123456789@demo.orbit"
check "101 retrieves it by dialling 701" sipp_ok retriever
check "the caller is bridged, then released when 101 hangs up" sipp_ok caller

read -r -d '' CHECKS <<'PY'
import json, sys, urllib.request
BASE = "http://127.0.0.1:8080/api/v1"
def get(path):
    req = urllib.request.Request(BASE + path)
    req.add_header("Authorization", "Bearer demo-supervisor-token")
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.loads(r.read())
def check(name, ok):
    print(("ok   - " if ok else "FAIL - ") + sys.argv[1] + ": " + name)
page = get("/history")
entries = page["entries"]
print("  history:", json.dumps(entries))
check("one entry, no next page", len(entries) == 1 and page["next_before"] is None)
e = entries[0] if entries else {}
check("the carrier's caller parked by 100 on 701 in lot main",
      e.get("caller", {}).get("number") == "+33123456789" and e.get("parker") == "100"
      and e.get("slot") == "701" and e.get("lot") == "main")
check("retrieved by 101", e.get("outcome") == "retrieved" and e.get("by") == "101")
check("after a wait of 1 to 10 s", isinstance(e.get("waited_ms"), int) and 1000 <= e["waited_ms"] <= 10000)
f = get("/figures")
print("  figures:", json.dumps({k: v for k, v in f.items() if k != "hours"}))
check("figures: 1 park, 100 % retrieved, median wait = its wait",
      f["parks"] == 1 and f["retrieved_pct"] == 100.0 and f["median_wait_ms"] == e.get("waited_ms"))
check("figures: 24 or 25 hour buckets, the park in one of them",
      len(f["hours"]) in (24, 25) and sum(h["parks"] for h in f["hours"]) == 1)
with open(sys.argv[2], "w") as out:
    json.dump(e, out)
PY
api_checks before-restart "$OUT/entry.json" <<<"$CHECKS"
check "orbit still alive" orbit_alive
stop_orbit

start_orbit "$CONFIG" "$OUT/orbit-2.log" || exit 1
api_checks after-restart "$OUT/entry.json" <<'PY'
import json, sys, urllib.request
req = urllib.request.Request("http://127.0.0.1:8080/api/v1/history?limit=10")
req.add_header("Authorization", "Bearer demo-supervisor-token")
with urllib.request.urlopen(req, timeout=5) as r:
    entries = json.loads(r.read())["entries"]
before = json.load(open(sys.argv[2]))
ok = len(entries) == 1 and entries[0] == before
print(("ok   - " if ok else "FAIL - ") + "after a restart the same entry is there, unchanged")
if not ok:
    print("  now:", json.dumps(entries))
PY
check "orbit logged no error" bash -c "! grep -E '\[(error|critical)\]' '$OUT'/orbit-*.log"
finish
