#!/usr/bin/env python3
"""Summarises parser_bench's JSON output: per message, Orbit against oSIP2, and the issue's targets.

Usage: parser_summary.py PARSER_JSON

For each benchmark: the median and the best (highest) items/s over the repetitions. The best is
the least disturbed run on a machine shared with other work; the median is what to expect. The
ratio Orbit / oSIP2 is taken between medians, whose repetitions were interleaved in one run.
"""

import json
import statistics
import sys
from collections import defaultdict

TARGET_RATE = 1_000_000  # INVITEs parsed per second per core
TARGET_RATIO = 5.0  # times oSIP2


def rates(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    out = defaultdict(list)
    for b in data["benchmarks"]:
        if b.get("run_type") == "iteration" and "items_per_second" in b:
            out[b["run_name"]].append(b["items_per_second"])
    return data["context"], out


def fmt(rate):
    return f"{rate / 1000:8.0f}k"


def main():
    context, runs = rates(sys.argv[1])
    print(f"# {context.get('date', '?')}, {context.get('num_cpus', '?')} cores at "
          f"{context.get('mhz_per_cpu', '?')} MHz, load average "
          f"{' '.join(f'{x:.2f}' for x in context.get('load_avg', []))}")
    print("# items/s = messages per second on one core; median and best of the repetitions")
    print(f"{'message':14} {'operation':16} {'orbit med':>10} {'best':>9} {'osip2 med':>10} "
          f"{'best':>9} {'orbit/osip2':>11}")
    for sample in ("invite_sdp", "ok_register", "register_auth"):
        for op in ("parse", "parse_serialize"):
            orbit = runs.get(f"orbit_{op}/{sample}")
            osip = runs.get(f"osip2_{op}/{sample}")
            if not orbit or not osip:
                continue
            ratio = statistics.median(orbit) / statistics.median(osip)
            print(f"{sample:14} {op:16} {fmt(statistics.median(orbit))} {fmt(max(orbit))} "
                  f"{fmt(statistics.median(osip))} {fmt(max(osip))} {ratio:10.1f}x")
    invite = runs.get("orbit_parse/invite_sdp")
    osip_invite = runs.get("osip2_parse/invite_sdp")
    if invite and osip_invite:
        med, best = statistics.median(invite), max(invite)
        ratio = med / statistics.median(osip_invite)
        verdict = "met" if med >= TARGET_RATE else ("met at best only" if best >= TARGET_RATE
                                                    else "missed")
        print(f"target >= {TARGET_RATE:,} INVITE parses/s/core: median {med:,.0f}, "
              f"best {best:,.0f}: {verdict}")
        print(f"target >= {TARGET_RATIO:.0f}x oSIP2 on the INVITE: {ratio:.1f}x: "
              f"{'met' if ratio >= TARGET_RATIO else 'missed'}")


if __name__ == "__main__":
    main()
