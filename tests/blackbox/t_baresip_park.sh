#!/usr/bin/env bash
# Call park with real softphones and real audio (issue "Call park", Proof): three baresip 1.0
# instances driven over ctrl_tcp, each sending a WAV tone of its own (module aufile) and recording
# what it hears (module sndfile); tests/baresip/tone_check.py tells tone, music and silence apart.
#
#   T = the carrier: a baresip bound to 127.0.0.2 (Orbit's demo trunk "carrier", recognised by
#       its source address: no registration, no authentication), caller "Dupont" 0612345678,
#       sends 440 Hz.
#   P = 100, reception (the trunk's destination), sends 1000 Hz, answers with `accept`.
#   R = 101, the colleague who takes the call, sends 2000 Hz.
#
# The same scenario three times, once per dialect of DESIGN.md §2:
#   lot code  park by transfer to 700 (first free slot: 701),   retrieve by dialling 701;
#   3CX       park by transfer to *03  (orbit 3: slot 704),     retrieve by dialling *13;
#   Webex     park by transfer to *68101 (against user 101),    retrieve by dialling *88101.
# Each round:
#   1. T dials sip:100@127.0.0.1; P rings and accepts: T hears 1000 Hz, P hears 440 Hz.
#   2. P blind-transfers T to the park code (`transfer sip:700@127.0.0.1`, a REFER): Orbit
#      answers 202, NOTIFYs sipfrag 200 and releases P (BYE); P receives a SIP MESSAGE naming
#      the slot, the caller and how to retrieve ("Parked on 701: 0612345678 Dupont — dial 701");
#      parked against 101, 101 is told too. T stays in its call and hears music (not silence,
#      not P's 1000 Hz).
#   3. R dials the slot: R hears T's 440 Hz, T hears R's 2000 Hz; R's 200 OK names the caller
#      (P-Asserted-Identity). R hangs up, T's call ends.
#
# The trunk caller never holds, so the baresip 1.0 quirk of t_baresip_calls.sh (a phone's
# recording stops for good once it has put a call on hold) does not apply: T's recording covers
# the talk, the park and the retrieve of each round (one call for T throughout).
#
# baresip 1.0 headless does not print a received MESSAGE's text: its menu module hands it to
# ui_output, and no UI module runs here (stdio cannot read /dev/null). The MESSAGE is checked in
# the SIP trace instead, with baresip's 200 OK (sent by its message listener, the menu's).
#
# Recordings, baresip logs (SIP trace) and Orbit's log are kept in tests/artifacts/baresip_park/.
#
# Run: scripts/netns-run bash tests/blackbox/t_baresip_park.sh build
source "$(dirname "$0")/lib.sh"
source "$ROOT/tests/baresip/baresip.sh"

TC=(python3 "$ROOT/tests/baresip/tone_check.py")
FREQS=(--freq 440 --freq 1000 --freq 2000)
CALLER_NUMBER=0612345678
CALLER_NAME=Dupont
TALK=3            # seconds of talk before the park, and after the retrieve
PARKED=6          # seconds the caller stays parked
MARGIN_IN=0.6     # seconds cut from the start of an analysed window (switch, jitter buffer)
MARGIN_OUT=0.4    # seconds cut from its end

OUT="$ARTIFACTS/baresip_park"
rm -rf "$OUT"
mkdir -p "$OUT"
LOG="$OUT/orbit.log"
WORK=$(mktemp -d)
T="$WORK/T"
P="$WORK/P"
R="$WORK/R"

keep_artifacts() {
  local d name
  for d in "$T" "$P" "$R"; do
    [ -d "$d" ] || continue
    name=$(basename "$d")
    mkdir -p "$OUT/$name"
    [ -f "$d/baresip.log" ] && bs_log_text "$d" >"$OUT/$name/baresip.log"
    cp "$d"/snd/*.wav "$OUT/$name/" 2>/dev/null
  done
}
cleanup() {
  bs_stop_all
  stop_orbit
  keep_artifacts
  rm -rf "$WORK"
}
trap cleanup EXIT

if ! bs_available || [ ! -e "$BS_MODULE_PATH/sndfile.so" ]; then
  echo "FAIL - baresip or its modules (sndfile included) are missing"
  exit 1
fi

# --- helpers ------------------------------------------------------------------------------------
now() { printf '%s\n' "$EPOCHREALTIME"; }
# at T0 T [DELTA] — seconds from T0 to T, plus DELTA, for a recording that started at T0.
at() { awk -v t0="$1" -v t="$2" -v d="${3:-0}" 'BEGIN { x = t - t0 + d; if (x < 0) x = 0; printf "%.2f", x }'; }
orbit_log_count() { grep -Ec -- "$1" "$LOG"; }
orbit_log_reaches() { [ "$(orbit_log_count "$1")" -ge "$2" ]; }  # ERE COUNT
# wait_for SECONDS CMD... — polls CMD until it succeeds or the time is up.
wait_for() {
  local secs=$1
  shift
  local deadline=$((SECONDS + secs))
  until "$@"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.1
  done
}
# sip_count DIR ERE... — how many SIP messages of DIR's trace (one a line) match every ERE.
sip_count() {
  local dir=$1
  shift
  local msgs re
  msgs=$(bs_sip_messages "$dir")
  for re in "$@"; do msgs=$(printf '%s\n' "$msgs" | grep -E -- "$re"); done
  if [ -z "$msgs" ]; then echo 0; else printf '%s\n' "$msgs" | wc -l; fi
}
# sip_reaches DIR COUNT ERE... — at least COUNT messages of DIR's trace match every ERE.
sip_reaches() {
  local dir=$1 want=$2
  shift 2
  [ "$(sip_count "$dir" "$@")" -ge "$want" ]
}
log_count() { bs_log_text "$1" | grep -Ec -- "$2"; }           # DIR ERE
log_reaches() { [ "$(log_count "$1" "$2")" -ge "$3" ]; }        # DIR ERE COUNT
calls_are() { [ "$(bs_call_count "$1")" = "$2" ]; }             # DIR N
# new_dump DIR BEFORE dec|enc — the first dump of DIR not in BEFORE (a list, one a line).
new_dump() {
  local f
  while IFS= read -r f; do
    [ -n "$f" ] || continue
    grep -qxF -- "$f" <<<"$2" || { printf '%s\n' "$f"; return 0; }
  done < <(bs_dumps "$1" "$3")
  return 1
}
# ere TEXT — TEXT with the characters special to an ERE escaped ("*03" -> "\*03").
ere() { sed 's/[][\.*^$+?(){}|/]/\\&/g' <<<"$1"; }

# --- Orbit: the demo configuration as it is, with debug logging -----------------------------------
demo_config "$WORK/orbit.toml"
start_orbit "$WORK/orbit.toml" "$LOG" || exit 1

# --- three phones ---------------------------------------------------------------------------------
export BS_SNDFILE=1 BS_RTP_PORTS=10000-10999   # Orbit's RTP ports are 20000-29999
bs_write_tone "$WORK/t440.wav" 200 440
bs_write_tone "$WORK/p1000.wav" 200 1000
bs_write_tone "$WORK/r2000.wav" 200 2000
BS_HOST=127.0.0.2 BS_DOMAIN=127.0.0.2 BS_AUDIO_SRC="aufile,$WORK/t440.wav" bs_init "$T" 5060 4440
BS_AUDIO_SRC="aufile,$WORK/p1000.wav" bs_init "$P" 5062 4441
BS_AUDIO_SRC="aufile,$WORK/r2000.wav" bs_init "$R" 5064 4442
BS_DOMAIN=127.0.0.2 bs_account_trunk "$T" "$CALLER_NUMBER" "$CALLER_NAME"
bs_account "$P" 100 secret100
bs_account "$R" 101 secret101
for d in "$T" "$P" "$R"; do bs_start "$d" || exit 1; done
check "P (100) registers" bs_wait_registered "$P" sip:100@127.0.0.1 10
check "R (101) registers" bs_wait_registered "$R" sip:101@127.0.0.1 10
check "T (the carrier, 127.0.0.2) does not register" \
  bash -c '! grep -q "REGISTER sip:" "$1"' _ "$T/baresip.log"

# --- one round ------------------------------------------------------------------------------------
# Times and recordings of each round, for the analysis at the end.
declare -A T_ANSWER T_PARK T_RETRIEVE T_HANGUP DUMP_T DUMP_P DUMP_R ENC_T ENC_P ENC_R
ROUNDS=()

# park_round NAME PARK_CODE RETRIEVE_CODE SLOT_TEXT HINT
#   SLOT_TEXT: how the MESSAGE and Orbit's log name the slot ("on 701", "for 101");
#   HINT: what the MESSAGE says to dial (701, *88101).
park_round() {
  local name=$1 park=$2 retrieve=$3 where=$4 hint=$5
  local n=$((${#ROUNDS[@]} + 1))
  ROUNDS+=("$name")
  local slot=${where#* }  # "on 701" -> 701, "for 101" -> 101
  local before_t before_p before_r before_te before_pe before_re
  before_t=$(bs_dumps "$T" dec) before_p=$(bs_dumps "$P" dec) before_r=$(bs_dumps "$R" dec)
  before_te=$(bs_dumps "$T" enc) before_pe=$(bs_dumps "$P" enc) before_re=$(bs_dumps "$R" enc)
  local rings_p msgs_p msgs_r
  rings_p=$(log_count "$P" 'Incoming call')
  msgs_p=$(sip_count "$P" '-> 127\.0\.0\.1:5062 \| MESSAGE ')
  msgs_r=$(sip_count "$R" '-> 127\.0\.0\.1:5064 \| MESSAGE ')
  echo "# round $n ($name): T calls 100, P parks it by transfer to $park, R takes it by dialling $retrieve"

  # 1. the carrier's call reaches reception
  check "$name: T dials sip:100@127.0.0.1 (ctrl_tcp 'dial' accepted)" \
    bs_cmd_ok "$T" dial sip:100@127.0.0.1
  check "$name: P (100) rings" wait_for 10 log_reaches "$P" 'Incoming call' $((rings_p + 1))
  T_ANSWER[$name]=$(now)
  check "$name: P accepts (ctrl_tcp 'accept' accepted)" bs_cmd_ok "$P" accept
  check "$name: T's call is established" bs_wait_established "$T" 5
  check "$name: P's call is established" bs_wait_established "$P" 5
  check "$name: orbit logs the trunk call to 100 answered" \
    wait_for 5 orbit_log_reaches 'call [0-9]+: 100 answered' "$n"
  sleep "$TALK"

  # 2. reception parks the call by a blind transfer to the park code
  T_PARK[$name]=$(now)
  check "$name: P: ctrl_tcp 'transfer sip:$park@127.0.0.1' accepted" \
    bs_cmd_ok "$P" transfer "sip:$park@127.0.0.1"
  check "$name: P's call ends (released by Orbit)" bs_wait_calls "$P" 0 10
  check "$name: P sent a REFER to Orbit, Refer-To $park" \
    sip_reaches "$P" 1 '-> 127\.0\.0\.1:5060 \| REFER ' "Refer-To: <?sip:$(ere "$park")@"
  check "$name: orbit answers the REFER 202 Accepted" \
    sip_reaches "$P" "$n" '127\.0\.0\.1:5060 -> [^|]* \| SIP/2\.0 202 ' 'CSeq: [0-9]+ REFER'
  check "$name: orbit NOTIFYs P: sipfrag 200 OK, subscription terminated" \
    sip_reaches "$P" "$n" '\| NOTIFY ' 'Event: refer' 'Subscription-State: terminated' \
    '\| SIP/2\.0 200 OK'
  check "$name: orbit logs that 100 parked the caller $where" \
    wait_for 5 orbit_log_reaches "call [0-9]+: 100 parked .*$CALLER_NUMBER.* $(ere "$slot")\$" 1
  check "$name: P receives a SIP MESSAGE from Orbit" \
    wait_for 5 sip_reaches "$P" $((msgs_p + 1)) '-> 127\.0\.0\.1:5062 \| MESSAGE '
  check "$name: the MESSAGE to P names the slot: \"Parked $where\"" \
    sip_reaches "$P" 1 '-> 127\.0\.0\.1:5062 \| MESSAGE ' "Parked $(ere "$where"):"
  check "$name: the MESSAGE to P names the caller ($CALLER_NUMBER $CALLER_NAME) and says to dial $hint" \
    sip_reaches "$P" 1 '-> 127\.0\.0\.1:5062 \| MESSAGE ' \
    "Parked $(ere "$where"): $CALLER_NUMBER $CALLER_NAME — dial $(ere "$hint")( |\$)"
  check "$name: P answers the MESSAGE 200 OK" \
    wait_for 5 sip_reaches "$P" $((msgs_p + 1)) '127\.0\.0\.1:5062 -> 127\.0\.0\.1:5060 \| SIP/2\.0 200 ' \
    'CSeq: [0-9]+ MESSAGE'
  if [ "$where" = "for 101" ]; then
    check "$name: parked against 101, R (101) is told too (\"A call is parked for you by 100\")" \
      wait_for 5 sip_reaches "$R" $((msgs_r + 1)) '-> 127\.0\.0\.1:5064 \| MESSAGE ' \
      "A call is parked for you by 100: $CALLER_NUMBER $CALLER_NAME — dial $(ere "$hint")"
    check "$name: R answers its MESSAGE 200 OK" \
      wait_for 5 sip_reaches "$R" $((msgs_r + 1)) \
      '127\.0\.0\.1:5064 -> 127\.0\.0\.1:5060 \| SIP/2\.0 200 ' 'CSeq: [0-9]+ MESSAGE'
  fi
  check "$name: T is still in its call while parked" calls_are "$T" 1
  sleep "$PARKED"
  check "$name: T is still in its call after ${PARKED}s parked" calls_are "$T" 1

  # 3. the colleague takes the call by dialling the slot
  T_RETRIEVE[$name]=$(now)
  check "$name: R: ctrl_tcp 'dial $retrieve' accepted" bs_cmd_ok "$R" dial "$retrieve"
  check "$name: R's call to $retrieve is established" bs_wait_established "$R" 10
  check "$name: orbit logs that 101 retrieved the caller from $slot" \
    wait_for 5 orbit_log_reaches "call [0-9]+: 101 retrieved .*$CALLER_NUMBER.* from $(ere "$slot")\$" 1
  check "$name: orbit's 200 OK to R names the caller (P-Asserted-Identity $CALLER_NUMBER)" \
    sip_reaches "$R" "$n" '127\.0\.0\.1:5060 -> [^|]* \| SIP/2\.0 200 ' 'CSeq: [0-9]+ INVITE' \
    "P-Asserted-Identity: \"$CALLER_NUMBER $CALLER_NAME\" <sip:$CALLER_NUMBER@"
  check "$name: T is still in its (single) call" calls_are "$T" 1
  check "$name: P got exactly one MESSAGE for this park" \
    test "$(sip_count "$P" '-> 127\.0\.0\.1:5062 \| MESSAGE ')" -eq $((msgs_p + 1))
  sleep "$TALK"
  T_HANGUP[$name]=$(now)
  check "$name: R: ctrl_tcp 'hangup' accepted" bs_cmd_ok "$R" hangup
  check "$name: T's call ends when R hangs up" bs_wait_calls "$T" 0 10
  check "$name: R has no call left" bs_wait_calls "$R" 0 5
  check "$name: orbit still runs" orbit_alive

  DUMP_T[$name]=$(new_dump "$T" "$before_t" dec)
  DUMP_P[$name]=$(new_dump "$P" "$before_p" dec)
  DUMP_R[$name]=$(new_dump "$R" "$before_r" dec)
  ENC_T[$name]=$(new_dump "$T" "$before_te" enc)
  ENC_P[$name]=$(new_dump "$P" "$before_pe" enc)
  ENC_R[$name]=$(new_dump "$R" "$before_re" enc)
  sleep 1.2  # sndfile names its dumps to the second: one call per second and phone
}

park_round "700/701" 700 701 "on 701" 701
park_round "*03/*13" '*03' '*13' "on 704" 704
park_round "*68101/*88101" '*68101' '*88101' "for 101" '*88101'

# The recordings are complete (WAV header written) once their calls are gone; stop the phones
# to be sure.
for d in "$T" "$P" "$R"; do bs_stop "$d" >/dev/null 2>&1; done

# --- what each phone heard ----------------------------------------------------------------------
echo "# recordings (windows in seconds from the start of each recording)"
for name in "${ROUNDS[@]}"; do
  t_dec=${DUMP_T[$name]} p_dec=${DUMP_P[$name]} r_dec=${DUMP_R[$name]}
  echo "# $name"
  for f in "$t_dec" "$p_dec" "$r_dec"; do
    [ -n "$f" ] && "${TC[@]}" report "$f" "${FREQS[@]}" | sed 's/^/#   /'
  done
  check "$name: T, P and R each recorded the round" \
    bash -c '[ -s "$1" ] && [ -s "$2" ] && [ -s "$3" ]' _ "$t_dec" "$p_dec" "$r_dec"
  # Each phone sends its own tone (a sanity check of the set-up, not of Orbit).
  check "$name: T sends 440 Hz" "${TC[@]}" tone "${ENC_T[$name]}" 440 "${FREQS[@]}" --end "$TALK"
  check "$name: P sends 1000 Hz" "${TC[@]}" tone "${ENC_P[$name]}" 1000 "${FREQS[@]}" --end "$TALK"
  check "$name: R sends 2000 Hz" "${TC[@]}" tone "${ENC_R[$name]}" 2000 "${FREQS[@]}" --end "$TALK"

  # T's and P's recordings start when P accepts; R's when R's call to the slot is answered.
  ta=${T_ANSWER[$name]} tp=${T_PARK[$name]} tr=${T_RETRIEVE[$name]} th=${T_HANGUP[$name]}
  S=$(at "$ta" "$ta" "$MARGIN_IN")
  E=$(at "$ta" "$tp" "-$MARGIN_OUT")
  check "$name: before the park, T hears P's 1000 Hz [$S, $E)" \
    "${TC[@]}" tone "$t_dec" 1000 "${FREQS[@]}" --start "$S" --end "$E"
  check "$name: before the park, P hears T's 440 Hz [$S, $E)" \
    "${TC[@]}" tone "$p_dec" 440 "${FREQS[@]}" --start "$S" --end "$E"
  S=$(at "$ta" "$tp" "$MARGIN_IN")
  E=$(at "$ta" "$tr" "-$MARGIN_OUT")
  check "$name: parked, T hears music [$S, $E)" \
    "${TC[@]}" music "$t_dec" "${FREQS[@]}" --start "$S" --end "$E"
  check "$name: parked, T does not hear silence [$S, $E)" \
    bash -c '! "$@" >/dev/null' _ "${TC[@]}" silence "$t_dec" --start "$S" --end "$E" --min-fraction 0.3
  check "$name: parked, T no longer hears P's 1000 Hz [$S, $E)" \
    bash -c '! "$@" >/dev/null' _ "${TC[@]}" tone "$t_dec" 1000 "${FREQS[@]}" --start "$S" --end "$E" \
    --min-fraction 0.2
  S=$(at "$ta" "$tr" "$MARGIN_IN")
  E=$(at "$ta" "$th" "-$MARGIN_OUT")
  check "$name: retrieved, T hears R's 2000 Hz [$S, $E)" \
    "${TC[@]}" tone "$t_dec" 2000 "${FREQS[@]}" --start "$S" --end "$E"
  S=$(at "$tr" "$tr" "$MARGIN_IN")
  E=$(at "$tr" "$th" "-$MARGIN_OUT")
  check "$name: retrieved, R hears T's 440 Hz [$S, $E)" \
    "${TC[@]}" tone "$r_dec" 440 "${FREQS[@]}" --start "$S" --end "$E"
  # The same claims, free of the clocks: the order of what T heard.
  check "$name: T heard, in order, 1000 Hz, music, 2000 Hz" \
    "${TC[@]}" sequence "$t_dec" "${FREQS[@]}" tone1000:2 music:3 tone2000:2
done

check "orbit still runs at the end" orbit_alive
echo "# artifacts: $OUT (orbit.log; T/, P/, R/: baresip.log with the SIP trace, *-dec.wav heard, *-enc.wav sent)"
if [ "$TESTS_FAILED" -ne 0 ]; then
  echo "--- orbit log, info lines ($LOG)"
  grep -E '\[(info|warning|error)\]' "$LOG" | tail -n 40
fi
finish
