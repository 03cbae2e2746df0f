#!/usr/bin/env bash
# The registrar over UDP and TCP, proven with SIPp scenarios (tests/sipp/*.xml): challenge and
# acceptance, wrong password, unregistering, OPTIONS, retransmissions, 423, the auth throttle.
# Usage: t_sipp_register.sh BUILD_DIR — inside a network namespace (tests/run-all.sh).
source "$(dirname "$0")/lib.sh"

SCENARIOS="$ROOT/tests/sipp"
SERVER=127.0.0.1:5060
OUT="$ARTIFACTS/t_sipp_register"  # Orbit's logs and SIPp's traces of this run
rm -rf "$OUT" && mkdir -p "$OUT"

# sipp_run NAME SCENARIO TRANSPORT LOCAL_IP [SIPP OPTIONS...] — one call of SCENARIO from
# LOCAL_IP to Orbit; passes when the call succeeds. Messages, errors and <log> lines go to
# $OUT/NAME-*.log; on failure the errors and the log are printed.
# -auth_uri: the digest uri is the Request-URI of the scenarios' REGISTERs (SIPp would put the
# server's address there otherwise). abortunexp: an unexpected message fails the call, SIPp answers
# nothing and sends no BYE of its own.
sipp_run() {
  local name=$1 scenario=$2 transport=$3 local_ip=$4
  shift 4
  local out="$OUT/$name"
  rm -f "$out".out "$out"-errors.log "$out"-messages.log "$out"-log.log
  sipp "$SERVER" -sf "$SCENARIOS/$scenario" -t "$transport" -i "$local_ip" -m 1 \
    -timeout 20s -timeout_error -recv_timeout 5s -default_behaviors abortunexp -nostdin -auth_uri demo.orbit \
    -trace_err -error_file "$out-errors.log" \
    -trace_msg -message_file "$out-messages.log" \
    -trace_logs -log_file "$out-log.log" \
    "$@" >"$out.out" 2>&1
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "  sipp exited with $rc; see $out-messages.log"
    for f in "$out-errors.log" "$out-log.log"; do
      [ -s "$f" ] && awk '{ print "  | " $0 }' "$f" | tail -n 30
    done
  fi
  return "$rc"
}

# The demo configuration: everything but the throttle.
start_orbit "$ROOT/config/demo.toml" "$OUT/orbit.log" || exit 1

for t in u1 t1; do
  check "REGISTER challenged (401 Digest MD5, To tag), then 200 with the contact [$t]" \
    sipp_run "register-challenge-$t" register_challenge.xml "$t" 127.0.0.1
  check "wrong password gets 403 Authentication failed [$t]" \
    sipp_run "register-wrong-password-$t" register_wrong_password.xml "$t" 127.0.0.1
  check "unregister one contact (Expires: 0, expires=0), then all (Contact: *) [$t]" \
    sipp_run "unregister-$t" unregister.xml "$t" 127.0.0.1
  check "OPTIONS sip:127.0.0.1 gets 200 with Allow [$t]" \
    sipp_run "options-$t" options.xml "$t" 127.0.0.1
  check "Expires: 30 gets 423 with Min-Expires: 60 [$t]" \
    sipp_run "register-interval-too-brief-$t" register_interval_too_brief.xml "$t" 127.0.0.1
done
# -nr: see the scenario; a retransmission is a UDP matter.
check "retransmitted REGISTER answered from the transaction, not processed twice [u1]" \
  sipp_run "register-retransmission-u1" register_retransmission.xml u1 127.0.0.1 -nr

check "orbit still alive after the registrar scenarios" orbit_alive
stop_orbit

# A low threshold (3 failures a minute): the throttle, on a server of its own so that the block
# of 127.0.0.1 does not outlive this part.
start_orbit "$ROOT/tests/blackbox/throttle.toml" "$OUT/orbit-throttle.log" \
  || exit 1
check "4 wrong passwords block 127.0.0.1: even the right one then gets 403 Too many [u1]" \
  sipp_run "auth-throttle-u1" auth_throttle_blocks_source.xml u1 127.0.0.1
check "meanwhile user 100 from 127.0.0.3 still registers (401, then 200) [u1]" \
  sipp_run "auth-throttle-other-source-u1" register_challenge.xml u1 127.0.0.3
check "meanwhile user 100 from 127.0.0.3 still registers (401, then 200) [t1]" \
  sipp_run "auth-throttle-other-source-t1" register_challenge.xml t1 127.0.0.3
check "orbit still alive after the throttle scenarios" orbit_alive
stop_orbit

finish
