#!/usr/bin/env bash
# RFC 4475 torture messages (tests/sip-torture/rfc4475) against a running Orbit: each of the 49
# as one UDP datagram, and a handful as one TCP write for framing, to a fresh Orbit, judged
# against tests/torture/expectations.tsv; then all of them to one Orbit, which must stay alive,
# send nothing but to 127.0.0.1 and still answer OPTIONS with 200. Prints the table: file,
# expectation, what Orbit answered, verdict.
# Usage: t_torture.sh BUILD_DIR — inside a network namespace with only lo (tests/run-all.sh).
source "$(dirname "$0")/lib.sh"

CORPUS="$ROOT/tests/sip-torture/rfc4475"
SENDER="$ROOT/tests/torture/send_torture.py"
EXPECT="$ROOT/tests/torture/expectations.tsv"
CONFIG="$ROOT/config/demo.toml"
# The messages name public addresses in Via, Contact, Route and Request-URI (192.0.2.0/24 is
# even a connected network on some build hosts): refuse to run unless lo is the only interface
# and no route leads anywhere else, so that no packet can leave the machine.
only_loopback() {
  [ "$(ip -o link show | awk -F': ' '{ print $2 }')" = lo ] &&
    [ -z "$(ip -4 route show table main 2>/dev/null)" ] &&
    [ -z "$(ip -6 route show table main 2>/dev/null | grep -v ' dev lo ')" ]
}
if ! only_loopback; then
  echo "t_torture.sh: run it in a network namespace with only lo:"
  echo "  scripts/netns-run bash tests/blackbox/t_torture.sh build"
  exit 2
fi

OUT="$ARTIFACTS/t_torture"  # Orbit's log of every run, the table, every answer, the strace
rm -rf "$OUT" && mkdir -p "$OUT"
ROWS="$OUT/table.tsv"
: >"$ROWS"

mapfile -t FILES < <(awk -F'\t' 'NR > 1 { print $1 }' "$CORPUS/MANIFEST.tsv")
manifest_expect() { awk -F'\t' -v f="$1" '$1 == f { print $3 }' "$CORPUS/MANIFEST.tsv"; }

corpus_intact() {
  [ "${#FILES[@]}" -eq 49 ] && [ "$(ls "$CORPUS"/*.dat | wc -l)" -eq 49 ] &&
    [ "$(stat -c %s "$CORPUS/baddn.dat")" -eq 331 ]
}
check "corpus intact: 49 messages in the MANIFEST and on disk, baddn.dat 331 bytes" corpus_intact

# orbit_died_report — after a crash: how Orbit ended and the end of its log.
orbit_died_report() {
  local log=$1 status
  wait "$ORBIT_PID" 2>/dev/null
  status=$?
  echo "  orbit died (exit status $status$([ "$status" -gt 128 ] && echo ", signal $((status - 128))")); end of $log:"
  tail -n 5 "$log" | awk '{ print "  | " $0 }'
  ORBIT_PID=
}

# row TRANSPORT FILE — a fresh Orbit, the file as one datagram (udp) or as one write on a new
# connection (tcp), what comes back judged; a row of the table. One Orbit per message: nothing
# else is in flight, so whatever Orbit sends in the window answers this message; no transaction
# of an earlier message absorbs it as a retransmission (cparam01 and cparam02 share branch,
# sent-by and method; longreq, wsinv and inv2543 match by RFC 2543 rules whatever the
# transport); a crash is pinned on the message that caused it.
row() {
  local transport=$1 f=$2 log="$OUT/orbit-${2%.dat}-$1.log" line rc
  : >"$log"
  start_orbit "$CONFIG" "$log" || return 1
  line=$(python3 "$SENDER" "$transport" "$CORPUS/$f" --expect "$EXPECT" \
    --manifest "$CORPUS/MANIFEST.tsv" --log "$log" --pid "$ORBIT_PID" --dump "$OUT/answers")
  rc=$?
  echo "$line" >>"$ROWS"
  [ "$rc" -ne 0 ] && echo "$line" | awk -F'\t' '{ print "  answered: " $5 "\n  problem:  " $7 }'
  if ! orbit_alive; then
    orbit_died_report "$log"
    rc=1
  fi
  stop_orbit
  return "$rc"
}

for f in "${FILES[@]}"; do
  check "$f [udp] ($(manifest_expect "$f"))" row udp "$f"
done
mapfile -t TCP_FILES < <(awk -F'\t' '$2 == "tcp" { print $1 }' "$EXPECT")
for f in "${TCP_FILES[@]}"; do
  check "$f [tcp] ($(manifest_expect "$f"))" row tcp "$f"
done

# One Orbit for all of them in a row: the 49 datagrams back to back, the TCP ones on
# connections open at once, then an OPTIONS that must still get 200.
LOG="$OUT/orbit-all.log"
: >"$LOG"
start_orbit "$CONFIG" "$LOG" || exit 1

# strace sees every send Orbit attempts, also one the kernel refuses (Orbit's sockets are bound
# to 127.0.0.1 and only lo exists, so a send to a Via host or to broadcast could not go out:
# it would fail, and the capture on lo would see nothing).
STRACE_PID=
if command -v strace >/dev/null; then
  strace -f -qq -s 0 -e trace=sendto,sendmsg,sendmmsg,connect -o "$OUT/strace-all.txt" \
    -p "$ORBIT_PID" 2>"$OUT/strace-all.err" &
  STRACE_PID=$!
  sleep 0.5
  if ! kill -0 "$STRACE_PID" 2>/dev/null; then
    echo "  (strace could not attach: $(head -n 1 "$OUT/strace-all.err"); sends not traced)"
    STRACE_PID=
  fi
fi

check "all 49 back to back over UDP to one Orbit: every answer to 127.0.0.1, orbit alive" \
  python3 "$SENDER" barrage "${FILES[@]/#/$CORPUS/}" --pid "$ORBIT_PID"
check "the ${#TCP_FILES[@]} TCP ones at once, a connection each, to the same Orbit: alive" \
  python3 "$SENDER" tcp-barrage "${TCP_FILES[@]/#/$CORPUS/}" --pid "$ORBIT_PID"
check "OPTIONS sip:127.0.0.1 after all of them gets 200 [udp]" python3 "$SENDER" options udp
check "OPTIONS sip:127.0.0.1 after all of them gets 200 [tcp]" python3 "$SENDER" options tcp
check "orbit still alive after all the torture messages" orbit_alive

# sends_only_to_loopback — every address in Orbit's traced sendto/sendmsg is 127.0.0.1, and the
# trace did see sends (else it proves nothing).
sends_only_to_loopback() {
  local trace="$OUT/strace-all.txt" others
  grep -q 'inet_addr("127.0.0.1")' "$trace" || { echo "  strace saw no send"; return 1; }
  others=$(grep -o 'inet_addr("[^"]*")' "$trace" | grep -v '"127.0.0.1"' | sort | uniq -c)
  [ -z "$others" ] || { echo "  sends attempted to: $others"; return 1; }
}
if [ -n "$STRACE_PID" ]; then
  kill "$STRACE_PID" 2>/dev/null
  wait "$STRACE_PID" 2>/dev/null
  check "no send attempted to any address but 127.0.0.1: no Via host, no broadcast (strace)" \
    sends_only_to_loopback
else
  echo "  (strace not installed: attempted sends to other addresses not traced)"
fi
stop_orbit

echo
python3 "$SENDER" table "$ROWS"
echo
finish
