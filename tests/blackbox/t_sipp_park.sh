#!/usr/bin/env bash
# Call park over SIP, proven with SIPp (tests/sipp/park/*.xml), issue "Call park": park by REFER
# to 700, 705, *68, *68101 and *03; retrieve by 701, *10, *13, *88101 and 705; the MESSAGE to
# the parker (and to the user a call is parked against); timeout with the parker answering the
# recall; recall unanswered by the parker then the fallback, back in the slot (escalated) and
# still retrievable; the caller abandoning; two retrieves at once; park without permission
# (403); lot full (480); directed park into an occupied slot (486); an empty slot (200, then BYE
# with a Reason naming it). Beyond the issue's list: the parker is the caller (101 calls 100 and
# parks it), dialling a park code (403 with a reason), the recall cycle repeating after the
# escalation, a retrieve and an abandon while the recall rings (CANCEL to the ringing phone).
# Not here: the BLF NOTIFY sequence, media (t_baresip_*).
# Usage: t_sipp_park.sh BUILD_DIR — inside a network namespace (tests/run-all.sh).
#
# Each test has an Orbit of its own: config/demo.toml, or tests/blackbox/park.toml for the
# recall and lot-full tests (timeout 3 s, recall ring 2 s, fallback 102; lot "small" with one
# slot). The parked caller is the carrier (but in caller-parks-callee): a SIPp UAC from
# 127.0.0.2 (uac_trunk_call.xml), which Orbit rings to 100. 100's phone is a SIPp registered from the
# port it then listens on (uas_parker.xml, -m 2: the call it parks, and the MESSAGE that tells
# it where the call went); other phones likewise (uas_message.xml, uas_recall_*.xml). A
# retriever is a SIPp UAC of 101 or 102 (407, then digest). Steps that depend on each other
# are sequenced by waiting for the SIPp that does the previous step to end.
source "$(dirname "$0")/lib.sh"

SCENARIOS="$ROOT/tests/sipp/park"
SERVER=127.0.0.1:5060
DEMO="$ROOT/config/demo.toml"
PARK_CONFIG="$ROOT/tests/blackbox/park.toml"
OUT="$ARTIFACTS/t_sipp_park"  # per test: Orbit's log and SIPp's traces
rm -rf "$OUT" && mkdir -p "$OUT"

CALLER="+33123456789 Carrier Caller"  # how the park domain names the carrier's caller

# SIP ports (media: -mp, one per SIPp): the phones of 100, 101, 102 and 105; the carrier's
# callers (127.0.0.2); 101's call to 105; the retrievers.
PHONE_100=5100 PHONE_101=5101 PHONE_102=5102 PHONE_105=5105
TRUNK_A=5201 TRUNK_B=5202 CALLER_101=5203 RETRIEVER_1=5301 RETRIEVER_2=5302
declare -A MEDIA=([5100]=6100 [5101]=6110 [5102]=6120 [5105]=6130 [5201]=6200 [5202]=6210
                  [5203]=6220 [5301]=6300 [5302]=6310)

TEST=
DIR=
declare -A SIPP_PID=()

cleanup() {
  local name
  for name in "${!SIPP_PID[@]}"; do  # left running only when a test went wrong
    kill "${SIPP_PID[$name]}" 2>/dev/null; wait "${SIPP_PID[$name]}" 2>/dev/null
  done
  SIPP_PID=()
}
trap 'cleanup; stop_orbit' EXIT

begin_test() {
  TEST=$1
  DIR="$OUT/$TEST"
  mkdir -p "$DIR"
  echo "# $TEST"
  start_orbit "${2:-$DEMO}" "$DIR/orbit.log"
}

end_test() {
  check "$TEST: orbit still alive" orbit_alive
  check "$TEST: orbit logged no error" not_logged '\[(error|critical)\]'
  cleanup
  stop_orbit
}

# sipp_start NAME SCENARIO IP PORT [SIPP OPTIONS...] — one SIPp in the background (-m 1 unless
# given again), its traces in $DIR/NAME-*.log. -default_behaviors abortunexp: an unexpected
# message fails the call at once and SIPp sends nothing of its own (as in t_sipp_calls.sh;
# with -nd SIPp 3.6.1 goes on after an unexpected message). -timeout: nothing hangs.
sipp_start() {
  local name=$1 scenario=$2 ip=$3 port=$4
  shift 4
  local out="$DIR/$name"
  sipp "$SERVER" -sf "$SCENARIOS/$scenario" -t u1 -i "$ip" -p "$port" \
    -mi "$ip" -mp "${MEDIA[$port]}" -m 1 \
    -timeout 40s -timeout_error -default_behaviors abortunexp -nostdin \
    -trace_err -error_file "$out-errors.log" \
    -trace_msg -message_file "$out-messages.log" \
    -trace_logs -log_file "$out-log.log" \
    "$@" >"$out.out" 2>&1 &
  SIPP_PID[$name]=$!
}

# sipp_wait NAME — waits for that SIPp to end; its exit code goes to $DIR/NAME.rc.
sipp_wait() {
  local name=$1
  [ -n "${SIPP_PID[$name]:-}" ] || return 0
  wait "${SIPP_PID[$name]}"
  echo $? >"$DIR/$name.rc"
  unset "SIPP_PID[$name]"
}

sipp_run() { sipp_start "$@"; sipp_wait "$1"; }

# passed NAME... — each SIPp called NAME ended with 0; otherwise shows why.
passed() {
  local name rc status=0
  for name in "$@"; do
    rc=$(cat "$DIR/$name.rc" 2>/dev/null || echo "none")
    [ "$rc" = 0 ] && continue
    status=1
    echo "  sipp $name exited with $rc; see $DIR/$name-messages.log"
    for f in "$DIR/$name-errors.log" "$DIR/$name-log.log"; do
      [ -s "$f" ] && awk '{ print "  | " $0 }' "$f" | tail -n 20
    done
  done
  return $status
}

# listening PORT — waits until a UDP socket is bound to PORT.
listening() {
  for _ in $(seq 1 100); do
    ss -Hlun "sport = :$1" | grep -q . && return 0
    sleep 0.05
  done
  echo "  nothing listens on UDP port $1"; return 1
}

# register USER PORT — USER binds sip:USER-phone@127.0.0.1:PORT (300 s).
register() {
  local user=$1 port=$2
  sipp_run "register-$user" register.xml 127.0.0.1 "$port" -s "$user" \
    -au "$user" -ap "secret$user" -auth_uri demo.orbit -key contact_user "$user-phone"
  passed "register-$user" || echo "  (registering $user failed: what follows cannot pass)"
}

# phone NAME SCENARIO USER PORT [SIPP OPTIONS...] — USER's phone, in the background.
phone() {
  local name=$1 scenario=$2 user=$3 port=$4
  shift 4
  sipp_start "$name" "$scenario" 127.0.0.1 "$port" -s "$user" "$@"
  listening "$port"
}

# trunk_call NAME PORT [SCENARIO [SIPP OPTIONS...]] — the carrier calls (rings 100), in the
# background.
trunk_call() {
  local name=$1 port=$2 scenario=${3:-uac_trunk_call.xml}
  shift 2; shift $(( $# > 0 ? 1 : 0 ))
  sipp_start "$name" "$scenario" 127.0.0.2 "$port" -s 0123456789 "$@"
}

# retriever NAME SCENARIO USER CODE PORT [SIPP OPTIONS...] — USER calls CODE, in the background.
# -auth_uri: the digest uri is the Request-URI, sip:CODE@demo.orbit. uac_retrieve.xml checks
# that P-Asserted-Identity names "$PARKED_DISPLAY" <$PARKED_URI>: the carrier's caller unless
# set otherwise.
PARKED_DISPLAY=$CALLER
PARKED_URI="sip:+33123456789@demo.orbit"
retriever() {
  local name=$1 scenario=$2 user=$3 code=$4 port=$5
  shift 5
  sipp_start "$name" "$scenario" 127.0.0.1 "$port" -s "$code" -key user "$user" \
    -au "$user" -ap "secret$user" -auth_uri "$code@demo.orbit" \
    -key parked_display "$PARKED_DISPLAY" -key parked_uri "$PARKED_URI" "$@"
}

logged() { grep -Eq -- "$1" "$DIR/orbit.log" || { echo "  not in orbit.log: $1"; return 1; }; }
not_logged() {
  if grep -E -- "$1" "$DIR/orbit.log" | sed 's/^/  | /'; then echo "  in orbit.log: $1"; return 1; fi
}

# no_message_twice NAME... — no SIPp called NAME received a message twice (same first line, top
# Via, CSeq): over loopback a repeat is Orbit retransmitting because a response or an ACK of
# ours did not match its transaction (as in t_sipp_calls.sh).
no_message_twice() {
  local name dups status=0
  for name in "$@"; do
    dups=$(awk '
      /^-+ [0-9]/ { if (key != "") n[key]++; key = ""; inmsg = 0; next }
      / message received / { inmsg = 1; first = ""; via = ""; cseq = ""; next }
      inmsg && first == "" && NF { first = $0; next }
      inmsg && via == "" && /^Via:/ { via = $0 }
      inmsg && /^CSeq:/ { cseq = $0; key = first " | " via " | " cseq }
      END { if (key != "") n[key]++; for (k in n) if (n[k] > 1) print n[k] "x " k }
    ' "$DIR/$name-messages.log")
    if [ -n "$dups" ]; then
      echo "  $name received twice: $dups"; status=1
    fi
  done
  return $status
}

# received NAME METHOD — how many METHOD requests the SIPp called NAME received.
received() {
  grep -c "^$2 sip:" "$DIR/$1-messages.log" 2>/dev/null || true
}
no_request() {  # no_request NAME METHOD
  local n
  n=$(received "$1" "$2")
  [ "$n" = 0 ] || { echo "  $1 received $n $2"; return 1; }
}

# seconds_between REGEX1 REGEX2 — seconds from the first orbit.log line matching REGEX1 to the
# first matching REGEX2 after it.
seconds_between() {
  awk -v a="$1" -v b="$2" '
    function t(line) { split(substr(line, 13, 12), h, ":"); return h[1] * 3600 + h[2] * 60 + h[3] }
    ta == "" && $0 ~ a { ta = t($0); next }
    ta != "" && tb == "" && $0 ~ b { tb = t($0) }
    END { if (ta == "" || tb == "") exit 1; printf "%.3f\n", tb - ta }
  ' "$DIR/orbit.log"
}

# took FROM_REGEX TO_REGEX MIN MAX — FROM to TO in orbit.log took MIN to MAX seconds.
took() {
  local s
  s=$(seconds_between "$1" "$2") || { echo "  not logged in that order: '$1' then '$2'"; return 1; }
  echo "  '$1' → '$2': $s s"
  awk -v t="$s" -v lo="$3" -v hi="$4" 'BEGIN { exit !(t >= lo && t <= hi) }'
}

# park_ok TEST_LABEL REFER_TO SLOT HINT — the carrier calls (TRUNK_A), 100 answers and parks it
# by REFER to REFER_TO; the MESSAGE names SLOT ("on 701" or "for 101") and HINT.
park_ok() {
  local refer_to=$1 where=$2 hint=$3
  phone parker uas_parker.xml 100 "$PHONE_100" -m 2 -key refer_to "$refer_to" \
    -key message "Parked $where: $CALLER — dial $hint"
  trunk_call caller "$TRUNK_A"
  sipp_wait parker
}

# ---------------------------------------------------------------------------------------------
# Park by REFER in every dialect, each retrieved by another code of the same slot.

if begin_test park-700-retrieve-701; then
  register 100 "$PHONE_100"
  park_ok 700 "on 701" 701
  check "park 700: REFER gets 202, NOTIFY sipfrag 200 (terminated), BYE to the parker" \
    passed parker
  check "park 700: Orbit logged the park on 701" logged "100 parked .* on 701"
  check "park 700: the MESSAGE to 100 is exactly 'Parked on 701: $CALLER — dial 701'" \
    grep -q "MESSAGE to .*want Parked on 701" "$DIR/parker-log.log"
  retriever retriever uac_retrieve.xml 101 701 "$RETRIEVER_1"
  sipp_wait retriever
  sipp_wait caller
  check "retrieve 701: 407, then 200 with SDP and P-Asserted-Identity naming the caller" \
    passed retriever
  check "park 700 / retrieve 701: the caller's dialog untouched, BYE when 101 hangs up" \
    passed caller
  check "park 700 / retrieve 701: Orbit resent nothing (our answers and ACKs matched)" \
    no_message_twice parker retriever caller
fi
end_test

if begin_test park-star68-retrieve-star10; then
  register 100 "$PHONE_100"
  park_ok '*68' "on 701" 701
  check "park *68: 202, NOTIFY 200, BYE; MESSAGE 'Parked on 701: … — dial 701'" passed parker
  retriever retriever uac_retrieve.xml 101 '*10' "$RETRIEVER_1"
  sipp_wait retriever
  sipp_wait caller
  check "retrieve *10 (orbit 0 = 701): 200 with P-Asserted-Identity naming the caller" \
    passed retriever
  check "park *68 / retrieve *10: the caller gets BYE when 101 hangs up" passed caller
fi
end_test

if begin_test park-star03-retrieve-star13; then
  register 100 "$PHONE_100"
  park_ok '*03' "on 704" 704
  check "park *03 (orbit 3 = 704): 202, NOTIFY 200, BYE; MESSAGE 'Parked on 704: … — dial 704'" \
    passed parker
  check "park *03: Orbit logged the park on 704" logged "100 parked .* on 704"
  retriever retriever uac_retrieve.xml 101 '*13' "$RETRIEVER_1"
  sipp_wait retriever
  sipp_wait caller
  check "retrieve *13 (orbit 3 = 704): 200 with P-Asserted-Identity naming the caller" \
    passed retriever
  check "park *03 / retrieve *13: the caller gets BYE when 101 hangs up" passed caller
fi
end_test

if begin_test park-star68101-retrieve-star88101; then
  register 100 "$PHONE_100"
  register 101 "$PHONE_101"
  phone told-101 uas_message.xml 101 "$PHONE_101" \
    -key message "A call is parked for you by 100: $CALLER — dial *88101"
  park_ok '*68101' "for 101" '*88101'
  sipp_wait told-101
  check "park *68101: 202, NOTIFY 200, BYE; MESSAGE to 100 'Parked for 101: … — dial *88101'" \
    passed parker
  check "park *68101: 101's phone gets 'A call is parked for you by 100: … — dial *88101'" \
    passed told-101
  retriever retriever uac_retrieve.xml 101 '*88101' "$RETRIEVER_1"
  sipp_wait retriever
  sipp_wait caller
  check "retrieve *88101: 200 with P-Asserted-Identity naming the caller" passed retriever
  check "park *68101 / retrieve *88101: the caller gets BYE when 101 hangs up" passed caller
fi
end_test

# Directed park into 705, then a second call directed into the same slot: 486, the call stays.
if begin_test park-705-then-occupied; then
  register 100 "$PHONE_100"
  park_ok 705 "on 705" 705
  check "park 705: 202, NOTIFY 200, BYE; MESSAGE 'Parked on 705: … — dial 705'" passed parker
  phone refused uas_parker_refused.xml 100 "$PHONE_100" -key refer_to 705 -key status 486 \
    -key reason "slot 705 is already occupied"
  trunk_call caller-b "$TRUNK_B"
  sipp_wait refused
  sipp_wait caller-b
  check "705 occupied: REFER gets 486 'slot 705 is already occupied' + Warning: 399 orbit; no NOTIFY, no BYE" \
    passed refused
  check "705 occupied: the call stays with the parker: the second caller gets BYE only when 100 hangs up" \
    passed caller-b
  check "705 occupied: no MESSAGE for the refused park" no_request refused MESSAGE
  check "705 occupied: Orbit logged the refusal" logged "park refused: slot 705 is already occupied"
  retriever retriever uac_retrieve.xml 101 705 "$RETRIEVER_1"
  sipp_wait retriever
  sipp_wait caller
  check "retrieve 705: the first caller is still there, P-Asserted-Identity names it" \
    passed retriever
  check "park 705: the first caller gets BYE when 101 hangs up" passed caller
fi
end_test

# ---------------------------------------------------------------------------------------------
# Retrieving: an empty slot, a caller who hung up, two retrievers at once.

if begin_test empty-slot; then
  retriever empty-712 uac_retrieve_empty.xml 101 712 "$RETRIEVER_1" \
    -key reason "nobody is parked on slot 712"
  retriever empty-star88102 uac_retrieve_empty.xml 102 '*88102' "$RETRIEVER_2" \
    -key reason "nobody is parked on the park of user 102"
  sipp_wait empty-712
  sipp_wait empty-star88102
  check "empty slot 712: 407, 200 with SDP, then BYE with Reason text 'nobody is parked on slot 712'" \
    passed empty-712
  check "empty user park *88102: 200, then BYE with Reason naming the park of user 102" \
    passed empty-star88102
  check "empty slot: Orbit resent nothing" no_message_twice empty-712 empty-star88102
fi
end_test

if begin_test caller-abandons; then
  register 100 "$PHONE_100"
  # The caller hangs up 4 s after its ACK: parked by then (the park takes about 1 s).
  phone parker uas_parker.xml 100 "$PHONE_100" -m 2 -key refer_to 700 \
    -key message "Parked on 701: $CALLER — dial 701"
  trunk_call caller "$TRUNK_A" uac_trunk_hangs_up.xml -d 4000
  sipp_wait parker
  check "abandon: parked on 701 (202, NOTIFY 200, BYE, MESSAGE)" passed parker
  sipp_wait caller
  check "abandon: the parked caller hangs up, BYE answered 200, nothing else reached it" \
    passed caller
  retriever retriever uac_retrieve_empty.xml 101 701 "$RETRIEVER_1" \
    -key reason "nobody is parked on slot 701: the caller hung up"
  sipp_wait retriever
  check "abandon: retrieving 701 then gets 200, then BYE with Reason 'nobody is parked on slot 701: the caller hung up'" \
    passed retriever
  check "abandon: Orbit took the parked caller's BYE" logged "trunk carrier .* hung up"
fi
end_test

if begin_test two-retrieves-at-once; then
  register 100 "$PHONE_100"
  park_ok 700 "on 701" 701
  check "race: parked on 701" passed parker
  retriever race-101 uac_retrieve_race.xml 101 701 "$RETRIEVER_1"
  retriever race-102 uac_retrieve_race.xml 102 701 "$RETRIEVER_2"
  sipp_wait race-101
  sipp_wait race-102
  sipp_wait caller
  check "race: both retrievers' calls went as one of the two outcomes allows" \
    passed race-101 race-102
  race_outcome() {
    local won lost w l
    won=$(cat "$DIR"/race-10[12]-log.log 2>/dev/null | grep -c "^WON")
    lost=$(cat "$DIR"/race-10[12]-log.log 2>/dev/null | grep -c "^LOST to")
    echo "  won: $won, lost: $lost"
    [ "$won" = 1 ] && [ "$lost" = 1 ] || return 1
    w=$(grep -l "^WON" "$DIR"/race-10[12]-log.log | sed 's/.*race-\(10[12]\)-log.log/\1/')
    l=$(grep -h "^LOST to" "$DIR"/race-10[12]-log.log | awk '{ print $3 }' | tr -d :)
    echo "  winner $w; the loser was told it was taken by $l"
    [ "$w" = "$l" ]
  }
  check "race: exactly one retriever gets the caller; the other is told who took slot 701" \
    race_outcome
  check "race: the caller gets BYE when the winner hangs up" passed caller
fi
end_test

# ---------------------------------------------------------------------------------------------
# Refusals: no permission (demo: 105 has can_park = false), lot full (park.toml: lot "small").

if begin_test no-permission; then
  register 105 "$PHONE_105"
  phone refused uas_parker_refused.xml 105 "$PHONE_105" -key refer_to 700 -key status 403 \
    -key reason "105 is not allowed to park calls"
  sipp_run caller-101 uac_user_call.xml 127.0.0.1 "$CALLER_101" -s 105 -au 101 -ap secret101 \
    -auth_uri 105@demo.orbit
  sipp_wait refused
  check "no permission: 105's REFER to 700 gets 403 '105 is not allowed to park calls' + Warning; no NOTIFY, no BYE" \
    passed refused
  check "no permission: the call stays: 101 gets BYE only when 105 hangs up" passed caller-101
  check "no permission: nothing parked, no MESSAGE" \
    eval 'not_logged "parked .* on " && no_request refused MESSAGE'
fi
end_test

if begin_test lot-full "$PARK_CONFIG"; then
  register 100 "$PHONE_100"
  park_ok 800 "on 801" 801
  check "lot small: the first call parks on 801 (its only slot)" passed parker
  phone refused uas_parker_refused.xml 100 "$PHONE_100" -key refer_to 800 -key status 480 \
    -key reason "lot small (801-801) is full"
  trunk_call caller-b "$TRUNK_B"
  sipp_wait refused
  sipp_wait caller-b
  check "lot full: REFER to 800 gets 480 'lot small (801-801) is full' + Warning; no NOTIFY, no BYE" \
    passed refused
  check "lot full: the call stays: the second caller gets BYE only when 100 hangs up" \
    passed caller-b
  check "lot full: no MESSAGE for the refused park" no_request refused MESSAGE
  retriever retriever uac_retrieve.xml 101 801 "$RETRIEVER_1"
  sipp_wait retriever
  sipp_wait caller
  check "lot full: the first caller is still on 801, retrieved" passed retriever caller
fi
end_test

# The parker placed the call: 101 calls 100 and parks it (Orbit is the UAS of the parker's
# dialog here, the UAC of the parked party's); 101's phone gets the MESSAGE; 102 retrieves.
if begin_test caller-parks-callee; then
  register 100 "$PHONE_100"
  register 101 "$PHONE_101"
  phone parked-100 uas_parked_callee.xml 100 "$PHONE_100"
  phone told-101 uas_message.xml 101 "$PHONE_101" -key message "Parked on 701: 100 Reception — dial 701"
  sipp_run parker-101 uac_user_parks.xml 127.0.0.1 "$CALLER_101" -s 100 -au 101 -ap secret101 \
    -auth_uri 100@demo.orbit -key refer_to 700
  sipp_wait told-101
  check "caller parks callee: 101's REFER to 700 gets 202, NOTIFY 200 (id=3), BYE" \
    passed parker-101
  check "caller parks callee: 101's phone gets 'Parked on 701: 100 Reception — dial 701'" \
    passed told-101
  PARKED_DISPLAY="100 Reception" PARKED_URI="sip:100@demo.orbit" \
    retriever retriever uac_retrieve.xml 102 701 "$RETRIEVER_1"
  sipp_wait retriever
  sipp_wait parked-100
  check "caller parks callee: 102 retrieves 701, P-Asserted-Identity \"100 Reception\" <sip:100@demo.orbit>" \
    passed retriever
  check "caller parks callee: 100's dialog untouched, BYE when 102 hangs up" passed parked-100
  check "caller parks callee: Orbit resent nothing" no_message_twice parker-101 parked-100 retriever
fi
end_test

if begin_test dial-park-code; then
  sipp_run caller-101 uac_call_park_code.xml 127.0.0.1 "$CALLER_101" -s 700 -au 101 \
    -ap secret101 -auth_uri 700@demo.orbit
  check "dialling 700: 407, then 403 'Transfer a call to 700 to park it' with a Warning" \
    passed caller-101
fi
end_test

# ---------------------------------------------------------------------------------------------
# Timeouts (park.toml: 3 s, then the parker 2 s, then the fallback 102 2 s, then the slot).

if begin_test recall-answered "$PARK_CONFIG"; then
  register 100 "$PHONE_100"
  park_ok 700 "on 701" 701
  check "recall: parked on 701" passed parker
  phone recalled uas_recall_answer.xml 100 "$PHONE_100" -key recall_from "Parked 701: Carrier Caller"
  sipp_wait recalled
  sipp_wait caller
  check "recall: after the timeout 100 is rung From \"Parked 701: Carrier Caller\" <sip:+33123456789@demo.orbit>, Alert-Info; answers, hangs up" \
    passed recalled
  check "recall: the caller talked to the parker again; BYE when the parker hangs up" \
    passed caller
  check "recall: the recall rang 3 s (the lot's timeout) after the park" \
    took "100 parked .* on 701" "recall parker rings 100" 2.8 4
  check "recall: the recalled phone's answer ACKed, nothing resent" no_message_twice recalled
fi
end_test

if begin_test recall-unanswered-escalated "$PARK_CONFIG"; then
  register 100 "$PHONE_100"
  register 102 "$PHONE_102"
  park_ok 700 "on 701" 701
  check "escalation: parked on 701" passed parker
  phone recall-100 uas_recall_ignore.xml 100 "$PHONE_100" -key recall_from "Parked 701: Carrier Caller"
  phone recall-102 uas_recall_ignore.xml 102 "$PHONE_102" -key recall_from "Parked 701: Carrier Caller"
  sipp_wait recall-100
  sipp_wait recall-102
  check "escalation: the parker (100) is rung (\"Parked 701: Carrier Caller\", Alert-Info), then CANCELled" \
    passed recall-100
  check "escalation: then the fallback (102) is rung the same way, then CANCELled" \
    passed recall-102
  # Escalated about 7 s after the park; the next timeout comes 3 s later: retrieve now.
  retriever retriever uac_retrieve.xml 101 701 "$RETRIEVER_1"
  sipp_wait retriever
  sipp_wait caller
  check "escalation: back in its slot: 101 retrieves 701, P-Asserted-Identity names the caller" \
    passed retriever
  check "escalation: the caller was never hung up on; BYE when 101 hangs up" passed caller
  check "escalation: timeout 3 s after the park" \
    took "100 parked .* on 701" "recall parker rings 100" 2.8 4
  check "escalation: the parker rang for the recall ring time (2 s), then the fallback" \
    took "recall parker rings 100" "recall fallback rings 102" 1.8 3
  check "escalation: the fallback rang 2 s, then the call went back to 701, escalated" \
    took "recall fallback rings 102" "back on 701 \\(escalated\\)" 1.8 3
  check "escalation: Orbit resent nothing (our 487s and 200s matched)" \
    no_message_twice recall-100 recall-102
fi
end_test

# Escalated, the call waits its timeout again and the cycle repeats: Orbit never hangs up on it.
if begin_test escalated-recall-repeats "$PARK_CONFIG"; then
  register 100 "$PHONE_100"
  register 102 "$PHONE_102"
  park_ok 700 "on 701" 701
  check "cycle: parked on 701" passed parker
  phone recall-100 uas_recall_ignore.xml 100 "$PHONE_100" -key recall_from "Parked 701: Carrier Caller"
  phone recall-102 uas_recall_ignore.xml 102 "$PHONE_102" -key recall_from "Parked 701: Carrier Caller"
  sipp_wait recall-100
  check "cycle: first recall of 100 unanswered" passed recall-100
  phone recalled uas_recall_answer.xml 100 "$PHONE_100" -key recall_from "Parked 701: Carrier Caller"
  sipp_wait recall-102
  check "cycle: then the fallback's, unanswered: back on 701, escalated" \
    eval 'passed recall-102 && logged "back on 701 \(escalated\)"'
  sipp_wait recalled
  sipp_wait caller
  check "cycle: 3 s after the escalation 100 is rung again, the same way, and answers" \
    passed recalled
  check "cycle: the second recall came the lot's timeout after the escalation" \
    took "back on 701 \(escalated\)" "recall parker rings 100" 2.8 4
  check "cycle: the caller was kept throughout; BYE when 100 hangs up" passed caller
fi
end_test

# A retrieve while the recall rings: the retriever wins, the ringing phone gets a CANCEL.
if begin_test retrieve-during-recall "$PARK_CONFIG"; then
  register 100 "$PHONE_100"
  park_ok 700 "on 701" 701
  check "retrieve during recall: parked on 701" passed parker
  phone recall-100 uas_recall_ignore.xml 100 "$PHONE_100" -key recall_from "Parked 701: Carrier Caller"
  recall_rings() {
    for _ in $(seq 1 100); do
      [ "$(received recall-100 INVITE)" != 0 ] && return 0
      sleep 0.05
    done
    echo "  the recall did not ring 100"; return 1
  }
  check "retrieve during recall: the recall rings 100 after the timeout" recall_rings
  retriever retriever uac_retrieve.xml 101 701 "$RETRIEVER_1"
  sipp_wait recall-100
  sipp_wait retriever
  sipp_wait caller
  check "retrieve during recall: 101 takes the caller (P-Asserted-Identity)" passed retriever
  check "retrieve during recall: the ringing parker gets a CANCEL matching the recall" \
    passed recall-100
  check "retrieve during recall: the CANCEL came with the retrieve, before the ring time" \
    took "recall parker rings 100" "101 retrieved" 0 1.8
  check "retrieve during recall: no fallback recall" not_logged "recall fallback"
  check "retrieve during recall: the caller gets BYE when 101 hangs up" passed caller
fi
end_test

# The caller hangs up while the recall rings: the ringing phone gets a CANCEL, the slot is free.
if begin_test abandon-during-recall "$PARK_CONFIG"; then
  register 100 "$PHONE_100"
  phone parker uas_parker.xml 100 "$PHONE_100" -m 2 -key refer_to 700 \
    -key message "Parked on 701: $CALLER — dial 701"
  # Parked about 0.5 s after its ACK, recalled 3 s later for 2 s: hang up in the middle.
  trunk_call caller "$TRUNK_A" uac_trunk_hangs_up.xml -d 4500
  sipp_wait parker
  check "abandon during recall: parked on 701" passed parker
  phone recall-100 uas_recall_ignore.xml 100 "$PHONE_100" -key recall_from "Parked 701: Carrier Caller"
  sipp_wait caller
  sipp_wait recall-100
  check "abandon during recall: the caller hangs up while 100 rings, BYE answered 200" \
    passed caller
  check "abandon during recall: the ringing parker gets a CANCEL matching the recall" \
    passed recall-100
  check "abandon during recall: the caller hung up during the recall ring" \
    took "recall parker rings 100" "trunk carrier .* hung up" 0 1.8
  check "abandon during recall: no fallback recall" not_logged "recall fallback"
  retriever retriever uac_retrieve_empty.xml 101 701 "$RETRIEVER_1" \
    -key reason "nobody is parked on slot 701: the caller hung up"
  sipp_wait retriever
  check "abandon during recall: 701 is free: 200, then BYE with Reason '…: the caller hung up'" \
    passed retriever
fi
end_test

finish
