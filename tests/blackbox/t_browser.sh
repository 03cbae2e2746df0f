#!/usr/bin/env bash
# The web console in Debian's Chromium (playwright-core, tests/browser/) against a running Orbit
# while SIPp places real calls, issue 5's browser proof: a wrong token is refused; a call parked
# over SIP appears on the supervisor's board and its timer runs; the board on a phone-sized
# screen; "take it to my phone" rings 102 and empties the slot; an agent parks its own call from
# the web for a colleague, whose toast appears; the history page; and, on a second Orbit whose
# lot has `warn_after`, the parked call turning amber. Screenshots and SIPp traces:
# tests/artifacts/browser/.
# Usage: t_browser.sh BUILD_DIR — inside a network namespace (tests/run-all.sh).
source "$(dirname "$0")/lib.sh"

OUT="$ARTIFACTS/browser"
rm -rf "$OUT" && mkdir -p "$OUT"
BROWSER_TESTS="$ROOT/tests/browser"
CONFIG="$ROOT/tests/blackbox/browser.toml"
export BROWSER_ARTIFACTS="$OUT" ORBIT_URL="http://127.0.0.1:8080"

ready() {
  [ -x /usr/bin/chromium ] || { echo "  /usr/bin/chromium is missing (scripts/setup.sh installs it)"; return 1; }
  [ -d "$BROWSER_TESTS/node_modules/playwright-core" ] ||
    { echo "  playwright-core is missing: npm ci in tests/browser (scripts/setup.sh does)"; return 1; }
}

# run_node NAME FILE — one node:test file; each of its tests counts as a check (its TAP lines).
run_node() {
  local name=$1 file=$2 log="$OUT/$1.tap"
  (cd "$BROWSER_TESTS" && node --test --test-reporter=tap "$file") >"$log" 2>&1
  local rc=$?
  grep -E '^\s*# slot' "$log" | sed -E 's/^\s*#/ /'  # what the tests measured
  local line title
  while IFS= read -r line; do
    title=$(sed -E 's/^(not )?ok [0-9]+ - //' <<<"$line")
    if [[ "$line" == "ok "* ]]; then
      echo "ok   - $name: $title"; TESTS_PASSED=$((TESTS_PASSED + 1))
    else
      echo "FAIL - $name: $title"; TESTS_FAILED=$((TESTS_FAILED + 1))
      # The assertion's message and where, from the TAP diagnostics that follow.
      awk -v t="$title" 'index($0, t) && /^not ok/ { on = 1; next } on && /^(not )?ok / { exit }
        on && /^ *(code|name|stack|failureType|duration_ms):/ { show = 0 }
        on && /^ *(error|expected|actual|location):/ { show = 1 }
        on && show && NF { print "    |" $0 }' "$log" | head -n 14
    fi
  done < <(grep -E '^(not )?ok [0-9]+ - ' "$log")
  grep -qE '^(not )?ok [0-9]+ - ' "$log" || { echo "FAIL - $name: no test ran (exit $rc), see $log";
    tail -n 20 "$log" | sed 's/^/  | /'; TESTS_FAILED=$((TESTS_FAILED + 1)); }
}

if check "chromium and playwright-core are installed" ready; then
  if start_orbit "$CONFIG" "$OUT/orbit.log"; then
    run_node console console.test.js
    check "orbit still alive after the console tests" orbit_alive
    stop_orbit
  else
    check "orbit starts on tests/blackbox/browser.toml" false
  fi

  # The same Orbit with warn_after = 4 s on the lot, for the amber test.
  sed 's/^timeout = 300$/timeout = 300\nwarn_after = 4/' "$CONFIG" >"$OUT/browser-warn.toml"
  sed -i -e 's|^web_root = .*|web_root = "'"$ROOT"'/web"|' \
    -e 's|^path = .*history.sqlite"$|path = "'"$OUT"'/history-warn.sqlite"|' "$OUT/browser-warn.toml"
  if start_orbit "$OUT/browser-warn.toml" "$OUT/orbit-warn.log"; then
    run_node warn warn.test.js
    check "orbit still alive after the amber test" orbit_alive
    stop_orbit
  else
    check "orbit starts with warn_after on the lot" false
  fi
fi
finish
