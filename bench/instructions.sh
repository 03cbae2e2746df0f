#!/usr/bin/env bash
# Instructions per message of each parser benchmark, counted by callgrind: a figure that, unlike
# items/s, does not move when colleagues load the machine. Use it to judge a parser change.
# Usage: bench/instructions.sh BUILD_DIR [BENCHMARK...]   (default: every parse benchmark)
# e.g. bench/instructions.sh build orbit_parse/invite_sdp osip2_parse/invite_sdp
# Counts everything one iteration does (for Orbit the Message's destruction, for oSIP2
# osip_message_init and osip_message_free), averaged over the iterations of a short run.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
build=${1:-build}
shift || true
bench="$build/bench/parser_bench"
[ -x "$bench" ] || { echo "instructions: no $bench: build it first" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "instructions: valgrind is missing" >&2; exit 2; }
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for op in parse parse_serialize; do
    for sample in invite_sdp ok_register register_auth; do
      names+=("orbit_$op/$sample" "osip2_$op/$sample")
    done
  done
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# per_call OUT_FILE CALLEE — total instructions collected / calls made to CALLEE.
per_call() {
  python3 - "$1" "$2" <<'PY'
import re, sys
names, calls, total, callee = {}, 0, 0, None
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r"^(c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
    if m:
        if m.group(3):
            names[m.group(2)] = m.group(3)
        if m.group(1) == "cfn":
            callee = names.get(m.group(2), "")
        continue
    if line.startswith("calls=") and callee and callee.startswith(sys.argv[2]):
        calls += int(line.split("=")[1].split()[0])
    elif line.startswith("totals:"):
        total = int(line.split()[1])
print(f"{total / calls:10.0f}" if calls else "         ?")
PY
}

printf "%-34s %10s\n" benchmark "instr/msg"
for name in "${names[@]}"; do
  fn=${name%%/*}  # orbit_parse, osip2_parse_serialize, ...
  case "$fn" in
    orbit_*) callee='orbit::sip::Message::parse(' ;;
    osip2_*) callee='osip_message_parse' fn="osip_${fn#osip2_}" ;;
    *) echo "instructions: unknown benchmark $name" >&2; exit 2 ;;
  esac
  out="$work/${name//\//-}.out"
  valgrind --tool=callgrind --collect-atstart=no --toggle-collect="orbit::bench::*::$fn(*" \
    --callgrind-out-file="$out" "$bench" --benchmark_filter="^$name\$" \
    --benchmark_min_time=0.02 >/dev/null 2>&1 || { echo "instructions: $name failed" >&2; exit 1; }
  printf "%-34s %s\n" "$name" "$(per_call "$out" "$callee")"
done
