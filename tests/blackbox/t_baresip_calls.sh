#!/usr/bin/env bash
# Real softphones with real audio through Orbit (issue "Calls with media", Proof): three baresip
# 1.0 instances, each sending a WAV tone of its own (module aufile) and recording what it hears
# (module sndfile), driven over ctrl_tcp; tests/baresip/tone_check.py tells tone, music and
# silence apart (Goertzel filter).
#
#   A = 100 (sends 440 Hz), B = 101 (1000 Hz, answers with `accept`), C = 102 (2000 Hz,
#   answermode=auto).
#   1. A dials 101 (`dial 101`), B rings (A gets 180) and accepts: ~3 s of talk; B hears 440 Hz,
#      A hears 1000 Hz.
#   2. A holds (`hold`: re-INVITE a=sendonly, Orbit must answer a=recvonly): B hears music (not
#      silence, not 440 Hz); A resumes (`resume`): B hears 440 Hz again.
#   3. B blind-transfers A to C (`transfer sip:102@127.0.0.1`: REFER; Orbit answers 202 and
#      NOTIFYs 100 Trying then 200 OK, releases B); C answers by itself and hears 440 Hz.
#   4. A holds again, this time longer than Orbit's media_timeout (set to 8 s here): baresip sends
#      no RTP while it holds, which is what phones do; the call must survive, C hears music the
#      whole time, and A's resume brings 440 Hz back to C. Then C hangs up and A's call ends.
#
# Recordings, baresip logs (SIP trace) and Orbit's log are kept in tests/artifacts/baresip_calls/.
#
# baresip 1.0 limitation (seen without Orbit too, baresip calling baresip directly): once a
# phone has put a call on hold, its decoder — and so its recording — stops for good, resume or
# not. A's recording therefore covers scenario 1 only; what A hears after its hold is not checked.
#
# Run: scripts/netns-run bash tests/blackbox/t_baresip_calls.sh build
source "$(dirname "$0")/lib.sh"
source "$ROOT/tests/baresip/baresip.sh"

TC=(python3 "$ROOT/tests/baresip/tone_check.py")
FREQS=(--freq 440 --freq 1000 --freq 2000)
MEDIA_TIMEOUT=8   # seconds, Orbit's [media] media_timeout for this test
TALK=3            # seconds of talk between steps
HOLD=4            # scenario 2: shorter than MEDIA_TIMEOUT
LONG_HOLD=$((MEDIA_TIMEOUT + 4))  # scenario 4: longer than MEDIA_TIMEOUT
MARGIN_IN=0.6     # seconds cut from the start of an analysed window (switch, jitter buffer)
MARGIN_OUT=0.4    # seconds cut from its end

OUT="$ARTIFACTS/baresip_calls"
rm -rf "$OUT"
mkdir -p "$OUT"
LOG="$OUT/orbit.log"
WORK=$(mktemp -d)
A="$WORK/A"
B="$WORK/B"
C="$WORK/C"

keep_artifacts() {
  local d name
  for d in "$A" "$B" "$C"; do
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
orbit_log_has() { grep -Eq -- "$1" "$LOG"; }
orbit_log_lacks() { ! grep -Eq -- "$1" "$LOG"; }
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
orbit_log_reaches() { [ "$(orbit_log_count "$1")" -ge "$2" ]; }  # RE COUNT
# sip_has DIR ERE... — some SIP message of DIR's trace (one a line) matches every ERE.
sip_has() {
  local dir=$1
  shift
  local msgs re
  msgs=$(bs_sip_messages "$dir")
  for re in "$@"; do msgs=$(printf '%s\n' "$msgs" | grep -E -- "$re"); done
  [ -n "$msgs" ]
}
# last_invite_cseq DIR ERE — the CSeq number of the last INVITE DIR sent to Orbit matching ERE.
last_invite_cseq() {
  bs_sip_messages "$1" | grep -E -- '-> 127\.0\.0\.1:5060 \| INVITE ' | grep -E -- "$2" |
    sed -n 's/.*| CSeq: \([0-9]*\) INVITE.*/\1/p' | tail -n 1
}
# answered_with DIR CSEQ ERE — Orbit answered DIR's INVITE CSEQ with a 200 OK matching ERE.
answered_with() {
  [ -n "$2" ] && sip_has "$1" '127\.0\.0\.1:5060 -> [^|]* \| SIP/2\.0 200 ' "\| CSeq: $2 INVITE" "$3"
}
calls_are() { [ "$(bs_call_count "$1")" = "$2" ]; }  # DIR N

# --- Orbit: the demo configuration, debug logging, a short media timeout -------------------------
demo_config "$WORK/orbit.toml"
printf '\n[media]\nmedia_timeout = %d\n' "$MEDIA_TIMEOUT" >>"$WORK/orbit.toml"
start_orbit "$WORK/orbit.toml" "$LOG" || exit 1

# --- three phones ---------------------------------------------------------------------------------
export BS_SNDFILE=1 BS_RTP_PORTS=10000-10999   # Orbit's RTP ports are 20000-29999
bs_write_tone "$WORK/a440.wav" 120 440
bs_write_tone "$WORK/b1000.wav" 120 1000
bs_write_tone "$WORK/c2000.wav" 120 2000
BS_AUDIO_SRC="aufile,$WORK/a440.wav" bs_init "$A" 5062 4441
BS_AUDIO_SRC="aufile,$WORK/b1000.wav" bs_init "$B" 5064 4442
BS_AUDIO_SRC="aufile,$WORK/c2000.wav" bs_init "$C" 5066 4443
bs_account "$A" 100 secret100
bs_account "$B" 101 secret101
bs_account "$C" 102 secret102 udp ";answermode=auto"
for d in "$A" "$B" "$C"; do bs_start "$d" || exit 1; done
check "A (100) registers" bs_wait_registered "$A" sip:100@127.0.0.1 10
check "B (101) registers" bs_wait_registered "$B" sip:101@127.0.0.1 10
check "C (102) registers" bs_wait_registered "$C" sip:102@127.0.0.1 10

# --- 1. A calls B through Orbit -------------------------------------------------------------------
echo "# 1. A dials 101, B accepts"
check "A: ctrl_tcp 'dial 101' accepted" bs_cmd_ok "$A" dial 101
check "B rings (incoming call from Orbit)" bs_wait_log "$B" 'Incoming call' 10
check "A gets 180 Ringing relayed by Orbit" bs_wait_log "$A" 'SIP/2\.0 180 Ringing' 5
T_ANSWER=$(now)
check "B: ctrl_tcp 'accept' accepted" bs_cmd_ok "$B" accept
check "A: call established" bs_wait_established "$A" 5
check "B: call established" bs_wait_established "$B" 5
check "orbit logs the call answered" wait_for 5 orbit_log_has 'call [0-9]+: 101 answered'
sleep "$TALK"

# --- 2. A holds, then resumes ---------------------------------------------------------------------
echo "# 2. A holds for ${HOLD}s, then resumes"
T_HOLD=$(now)
check "A: ctrl_tcp 'hold' accepted" bs_cmd_ok "$A" hold
check "orbit logs that 100 holds" wait_for 5 orbit_log_reaches 'call [0-9]+: 100 holds' 1
HOLD_CSEQ=$(last_invite_cseq "$A" 'a=sendonly')
check "A's hold is a re-INVITE with a=sendonly" test -n "$HOLD_CSEQ"
check "orbit answers the hold with a=recvonly" answered_with "$A" "$HOLD_CSEQ" 'a=recvonly'
sleep "$HOLD"
T_RESUME=$(now)
check "A: ctrl_tcp 'resume' accepted" bs_cmd_ok "$A" resume
check "orbit logs that 100 resumes" wait_for 5 orbit_log_reaches 'call [0-9]+: 100 resumes' 1
RESUME_CSEQ=$(last_invite_cseq "$A" 'a=sendrecv')
check "orbit answers the resume with a=sendrecv" \
  answered_with "$A" "$RESUME_CSEQ" 'a=sendrecv'
check "the call survives hold and resume (A and B still in it)" \
  bash -c "[ \"\$1\" = 1 ] && [ \"\$2\" = 1 ]" _ "$(bs_call_count "$A")" "$(bs_call_count "$B")"
sleep "$TALK"

# --- 3. B blind-transfers A to C ------------------------------------------------------------------
echo "# 3. B transfers A to C (transfer sip:102@127.0.0.1)"
T_REFER=$(now)
check "B: ctrl_tcp 'transfer sip:102@127.0.0.1' accepted" bs_cmd_ok "$B" transfer sip:102@127.0.0.1
check "C answers the transferred call" bs_wait_established "$C" 10
check "B's call ends (released by Orbit)" bs_wait_calls "$B" 0 10
check "B sent a REFER to Orbit (Refer-To 102)" \
  sip_has "$B" '-> 127\.0\.0\.1:5060 \| REFER ' 'Refer-To: <?sip:102@'
check "orbit answers the REFER 202 Accepted" \
  sip_has "$B" '127\.0\.0\.1:5060 -> [^|]* \| SIP/2\.0 202 ' 'CSeq: [0-9]+ REFER'
check "orbit NOTIFYs B: sipfrag 100 Trying" \
  sip_has "$B" '\| NOTIFY ' 'Event: refer' 'message/sipfrag' '\| SIP/2\.0 100 Trying'
check "orbit NOTIFYs B: sipfrag 200 OK, subscription terminated" \
  sip_has "$B" '\| NOTIFY ' 'Event: refer' 'Subscription-State: terminated' '\| SIP/2\.0 200 OK'
check "C's INVITE comes from 100 (the transferee)" \
  sip_has "$C" '127\.0\.0\.1:5060 -> [^|]* \| INVITE ' 'From: [^|]*sip:100@'
check "orbit logs the transfer done, 101 released" \
  orbit_log_has 'call [0-9]+: transfer to 102 done, releasing 101'
check "A is still in its call (now with C)" calls_are "$A" 1
sleep "$TALK"

# --- 4. A holds longer than the media timeout ---------------------------------------------------
echo "# 4. A holds for ${LONG_HOLD}s (media_timeout is ${MEDIA_TIMEOUT}s), then resumes"
T_HOLD2=$(now)
check "A: ctrl_tcp 'hold' accepted (second hold)" bs_cmd_ok "$A" hold
check "orbit logs that 100 holds (second hold)" \
  wait_for 5 orbit_log_reaches 'call [0-9]+: 100 holds' 2
sleep "$LONG_HOLD"
check "C still in the call after A held ${LONG_HOLD}s (> media_timeout ${MEDIA_TIMEOUT}s)" \
  calls_are "$C" 1
check "orbit did not end the held call for lack of media from 100" \
  orbit_log_lacks 'no media from 100'
T_RESUME2=$(now)
check "A: ctrl_tcp 'resume' accepted (second resume)" bs_cmd_ok "$A" resume
check "orbit logs that 100 resumes (second resume)" \
  wait_for 5 orbit_log_reaches 'call [0-9]+: 100 resumes' 2
RESUME2_CSEQ=$(last_invite_cseq "$A" 'a=sendrecv')
check "orbit answers the second resume 200 OK (a=sendrecv)" \
  answered_with "$A" "$RESUME2_CSEQ" 'a=sendrecv'
sleep "$TALK"
check "A and C still in the call before C hangs up" \
  bash -c "[ \"\$1\" = 1 ] && [ \"\$2\" = 1 ]" _ "$(bs_call_count "$A")" "$(bs_call_count "$C")"
T_HANGUP=$(now)
check "C: ctrl_tcp 'hangup' accepted" bs_cmd_ok "$C" hangup
check "A's call ends when C hangs up" bs_wait_calls "$A" 0 5
check "orbit logs that 102 hung up" wait_for 5 orbit_log_has 'call [0-9]+: 102 hung up'
check "orbit still runs" orbit_alive

# The recordings are complete once the phones are gone.
for d in "$A" "$B" "$C"; do bs_stop "$d" >/dev/null 2>&1; done

# --- what each phone heard ----------------------------------------------------------------------
echo "# recordings (windows in seconds from the start of each recording)"
A_DEC=$(bs_dumps "$A" dec | head -n 1)
B_DEC=$(bs_dumps "$B" dec | head -n 1)
C_DEC=$(bs_dumps "$C" dec | head -n 1)
A_ENC=$(bs_dumps "$A" enc | head -n 1)
B_ENC=$(bs_dumps "$B" enc | head -n 1)
C_ENC=$(bs_dumps "$C" enc | head -n 1)
for f in "$A_DEC" "$B_DEC" "$C_DEC"; do
  [ -n "$f" ] && "${TC[@]}" report "$f" "${FREQS[@]}" | sed 's/^/# /'
done
check "A, B and C each recorded their call" \
  bash -c '[ -s "$1" ] && [ -s "$2" ] && [ -s "$3" ]' _ "$A_DEC" "$B_DEC" "$C_DEC"
# Each phone sends its own tone (a sanity check of the set-up, not of Orbit).
check "A sends 440 Hz" "${TC[@]}" tone "$A_ENC" 440 "${FREQS[@]}" --end "$TALK"
check "B sends 1000 Hz" "${TC[@]}" tone "$B_ENC" 1000 "${FREQS[@]}" --end "$TALK"
check "C sends 2000 Hz" "${TC[@]}" tone "$C_ENC" 2000 "${FREQS[@]}" --end "$TALK"

# 1. A and B recordings start when B accepts.
S=$(at "$T_ANSWER" "$T_ANSWER" "$MARGIN_IN")
E=$(at "$T_ANSWER" "$T_HOLD" "-$MARGIN_OUT")
check "1. B hears A's 440 Hz [$S, $E)" "${TC[@]}" tone "$B_DEC" 440 "${FREQS[@]}" --start "$S" --end "$E"
check "1. A hears B's 1000 Hz [$S, $E)" "${TC[@]}" tone "$A_DEC" 1000 "${FREQS[@]}" --start "$S" --end "$E"

# 2. B during the hold, then after the resume.
S=$(at "$T_ANSWER" "$T_HOLD" "$MARGIN_IN")
E=$(at "$T_ANSWER" "$T_RESUME" "-$MARGIN_OUT")
check "2. B hears music while A holds [$S, $E)" \
  "${TC[@]}" music "$B_DEC" "${FREQS[@]}" --start "$S" --end "$E"
check "2. ... not silence [$S, $E)" \
  bash -c '! "$@" >/dev/null' _ "${TC[@]}" silence "$B_DEC" --start "$S" --end "$E" --min-fraction 0.5
S=$(at "$T_ANSWER" "$T_RESUME" "$MARGIN_IN")
E=$(at "$T_ANSWER" "$T_REFER" "-$MARGIN_OUT")
check "2. B hears A's 440 Hz again after the resume [$S, $E)" \
  "${TC[@]}" tone "$B_DEC" 440 "${FREQS[@]}" --start "$S" --end "$E"

# 3. and 4. C's recording starts when it answers, right after the REFER.
S=$(at "$T_REFER" "$T_REFER" "$MARGIN_IN")
E=$(at "$T_REFER" "$T_HOLD2" "-$MARGIN_OUT")
check "3. C hears A's 440 Hz after the transfer [$S, $E)" \
  "${TC[@]}" tone "$C_DEC" 440 "${FREQS[@]}" --start "$S" --end "$E"
S=$(at "$T_REFER" "$T_HOLD2" "$MARGIN_IN")
E=$(at "$T_REFER" "$T_RESUME2" "-$MARGIN_OUT")
check "4. C hears music for the whole of A's ${LONG_HOLD}s hold [$S, $E)" \
  "${TC[@]}" music "$C_DEC" "${FREQS[@]}" --start "$S" --end "$E"
S=$(at "$T_REFER" "$T_RESUME2" "$MARGIN_IN")
E=$(at "$T_REFER" "$T_HANGUP" "-$MARGIN_OUT")
check "4. C hears A's 440 Hz after the second resume [$S, $E)" \
  "${TC[@]}" tone "$C_DEC" 440 "${FREQS[@]}" --start "$S" --end "$E"

check "orbit still runs at the end" orbit_alive
echo "# artifacts: $OUT (orbit.log; A/, B/, C/: baresip.log with the SIP trace, *-dec.wav heard, *-enc.wav sent)"
if [ "$TESTS_FAILED" -ne 0 ]; then
  echo "--- orbit log, info lines ($LOG)"
  grep -F '[info]' "$LOG" | tail -n 40
fi
finish
