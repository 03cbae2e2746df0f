#!/usr/bin/env bash
# A real softphone registers: baresip (Debian 12, 1.0) answers Orbit's MD5 digest challenge and
# is bound, user 100 over UDP and user 101 over TCP; when it quits it unregisters.
# Run: scripts/netns-run bash tests/blackbox/t_baresip_register.sh build
source "$(dirname "$0")/lib.sh"
source "$ROOT/tests/baresip/baresip.sh"

WORK=$(mktemp -d)
LOG="$ARTIFACTS/baresip_register.orbit.log"
cleanup() {
  bs_stop_all
  stop_orbit
  # Keep baresip's logs (SIP trace) beside Orbit's for a failed run.
  local d
  for d in "$WORK"/*/; do
    [ -f "$d/baresip.log" ] && cp "$d/baresip.log" "$ARTIFACTS/baresip_register.$(basename "$d").log"
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

if ! bs_available; then
  echo "FAIL - baresip or its modules are missing (scripts/setup.sh installs the package)"
  exit 1
fi

# The demo configuration as it is, with debug logging to see each request and answer.
demo_config "$WORK/orbit.toml"
start_orbit "$WORK/orbit.toml" "$LOG" || exit 1

# wait_for SECONDS CMD... — polls CMD until it succeeds or the time is up.
wait_for() {
  local secs=$1
  shift
  local deadline=$((SECONDS + secs))
  until "$@"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}
orbit_log_has() { grep -Eq -- "$1" "$LOG"; }

# --- user 100 over UDP --------------------------------------------------------------------------
UDP="$WORK/udp100"
bs_init "$UDP" 5062 4441
bs_account "$UDP" 100 secret100 udp
echo "# accounts: $(cat "$UDP/accounts")"
bs_start "$UDP" || exit 1

ORBIT_UDP='registered 100@demo\.orbit: sip:100[^ ]*@127\.0\.0\.1:5062[^ ]* expires 600s from UDP:127\.0\.0\.1:5062'
wait_for 10 orbit_log_has "$ORBIT_UDP"
check "orbit logs the UDP registration of 100 (MD5 digest)" orbit_log_has "$ORBIT_UDP"
check "baresip was challenged (401) before its 200" bs_wait_log "$UDP" 'SIP/2\.0 401 ' 1
wait_for 10 bs_registered "$UDP" sip:100@127.0.0.1
check "baresip reports sip:100@127.0.0.1 registered (ctrl_tcp reginfo)" \
  bs_registered "$UDP" sip:100@127.0.0.1
check "baresip logs 200 OK for the REGISTER" bs_wait_log "$UDP" '100@127\.0\.0\.1.*200 OK' 1

# --- user 101 over TCP --------------------------------------------------------------------------
TCP="$WORK/tcp101"
bs_init "$TCP" 5064 4442
bs_account "$TCP" 101 secret101 tcp
echo "# accounts: $(cat "$TCP/accounts")"
bs_start "$TCP" || exit 1

ORBIT_TCP='registered 101@demo\.orbit: sip:101[^ ]*@127\.0\.0\.1:[0-9]+[^ ]*transport=tcp[^ ]* expires 600s from TCP:127\.0\.0\.1:'
wait_for 10 orbit_log_has "$ORBIT_TCP"
check "orbit logs the TCP registration of 101 (MD5 digest)" orbit_log_has "$ORBIT_TCP"
wait_for 10 bs_registered "$TCP" sip:101@127.0.0.1
check "baresip reports sip:101@127.0.0.1 registered over TCP (ctrl_tcp reginfo)" \
  bs_registered "$TCP" sip:101@127.0.0.1
check "baresip logs 200 OK for the TCP REGISTER" bs_wait_log "$TCP" '101@127\.0\.0\.1.*200 OK' 1

check "no authentication failure in orbit's log" bash -c "! grep -q 'auth failure' '$LOG'"
check "orbit still runs" orbit_alive

# --- quitting unregisters -----------------------------------------------------------------------
check "baresip (UDP) quits cleanly" bs_stop "$UDP"
wait_for 5 orbit_log_has 'unregistered 100@demo\.orbit'
check "orbit logs the unregistration of 100" orbit_log_has 'unregistered 100@demo\.orbit'
check "baresip (TCP) quits cleanly" bs_stop "$TCP"
wait_for 5 orbit_log_has 'unregistered 101@demo\.orbit'
check "orbit logs the unregistration of 101" orbit_log_has 'unregistered 101@demo\.orbit'
check "orbit still runs at the end" orbit_alive

if [ "$TESTS_FAILED" -ne 0 ]; then
  echo "--- orbit log ($LOG)"; tail -n 80 "$LOG"
  for d in "$UDP" "$TCP"; do
    echo "--- baresip log ($d)"; sed 's/\x1b\[[0-9;]*m//g' "$d/baresip.log" | tail -n 120
  done
fi
finish
