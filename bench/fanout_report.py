#!/usr/bin/env python3
"""Event fan-out figures of one `park_load.sh fanout` step (bench/park_load.sh).

  fanout_report.py DIR SUBSCRIBERS RATE     one summary line; DIR/fanout.json
  fanout_report.py --header                 the column names

Reads DIR/refers.txt (park_watch.py: kernel time of every REFER reaching Orbit, and its slot),
DIR/ws-events.txt, ws-receipts.txt, ws-subscribers.txt, ws-summary.json (ws_fanout: CLOCK_REALTIME
of every receipt of every event by every subscriber), DIR/park_watch.json and DIR/window.json.

- REFER → event: for each "parked" event, the first REFER to its slot captured in the 10 s
  before the event's first receipt; one delay per (event, subscriber).
- at → receipt: the event's `at` (Orbit's wall clock when it published, floored to the
  millisecond: this delay reads up to 1 ms long) to each receipt, for every event.
- spread: per event, last receipt minus first receipt (the time the fan-out of one event took,
  Orbit's writes and the client's reads together).
- lost: for each event, the subscribers open from their snapshot to the end that did not
  receive it; dropped: subscribers closed after their snapshot (Orbit's queue bound or else).
"""
import bisect
import datetime
import json
import os
import sys

from park_watch import percentiles as pct  # the same percentiles as the lamp delays


def at_ns(text):
    t = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc)
    return int(t.timestamp()) * 1_000_000_000 + t.microsecond * 1000


COLUMNS = ("subs rate events parked refers matched receipts expected lost dropped "
           "ref50 ref99 ref999 refmax at50 at99 atmax spread50 spread99 orbit sig ws wswait other "
           "rss")


def main():
    if sys.argv[1:] == ["--header"]:
        print("# fanout events: subs: subscribers with a snapshot; events: distinct events received;"
              " parked: of which 'parked';")
        print("# refers: REFERs captured; matched: parked events joined to a REFER; receipts:"
              " (event, subscriber) pairs; expected: events × subscribers open to the end;")
        print("# lost: expected − received by those; dropped: subscribers closed by Orbit or"
              " on error; ref*: REFER → parked event at a subscriber (ms);")
        print("# at*: event's `at` → receipt (ms, every event); spread*: last − first receipt of"
              " one event (ms); orbit, sig: Orbit's CPU, its signalling thread;")
        print("# ws: the load client's CPU, wswait: its % runnable without a CPU (all % of a"
              " core); other: cores used by the rest of the machine; rss: Orbit MB")
        print("#" + " ".join(f"{c:>7s}" for c in COLUMNS.split()))
        return
    d, subscribers, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    refers = {}
    for line in open(os.path.join(d, "refers.txt")):
        t, slot = line.split()
        refers.setdefault(slot, []).append(float(t))
    for v in refers.values():
        v.sort()
    summary = json.load(open(os.path.join(d, "ws-summary.json")))
    subs = {}
    for line in open(os.path.join(d, "ws-subscribers.txt")):
        f = line.split()
        subs[int(f[0])] = {"snapshot_ms": float(f[1]), "snapshot_bytes": int(f[2]),
                           "events": int(f[3]), "state": f[4], "closed_ns": int(f[6]) if len(f) > 6 else 0}
    with_snapshot = {i for i, s in subs.items() if s["snapshot_ms"] >= 0}
    open_to_end = {i for i in with_snapshot if subs[i]["state"] == "open"}
    partial = {}
    if os.path.exists(os.path.join(d, "ws-receipts.txt")):
        for line in open(os.path.join(d, "ws-receipts.txt")):
            f = [int(x) for x in line.split()]
            partial[f[0]] = set(f[1:])
    ref_delays, at_delays, spreads = [], [], []
    types = {}
    parked = matched = lost = expected = 0
    for idx, line in enumerate(open(os.path.join(d, "ws-events.txt"))):
        f = line.split()
        etype, _call, slot, at, base, n = f[0], f[1], f[2], f[3], int(f[4]), int(f[5])
        offs = [int(x) for x in f[6:]]
        types[etype] = types.get(etype, 0) + 1
        recv = [base + o * 1000 for o in offs]
        got = partial.get(idx, with_snapshot)
        expected += len(open_to_end)
        lost += len(open_to_end - got)
        if offs:
            spreads.append((max(offs) - min(offs)) / 1000)
        if at != "-":
            a = at_ns(at)
            at_delays.extend((r - a) / 1e6 for r in recv)
        if etype == "parked":
            parked += 1
            times = refers.get(slot, [])
            first = min(recv) / 1e9 if recv else 0
            i = bisect.bisect_right(times, first)
            cands = [t for t in times[:i] if t >= first - 10]
            if cands:
                matched += 1
                r = cands[0]
                ref_delays.extend((x / 1e9 - r) * 1000 for x in recv)
    win = json.load(open(os.path.join(d, "window.json")))
    o = win.get("orbit") or {}
    ws = win.get("wsclient") or {}
    snap = [s["snapshot_ms"] for s in subs.values() if s["snapshot_ms"] >= 0]
    snap_bytes = [s["snapshot_bytes"] for s in subs.values() if s["snapshot_ms"] >= 0]
    out = {"subscribers": subscribers, "rate": rate, "with_snapshot": len(with_snapshot),
           "open_to_end": len(open_to_end), "dropped": len(with_snapshot - open_to_end),
           "dropped_states": sorted({subs[i]["state"] for i in with_snapshot - open_to_end}),
           "event_types": types, "refers": sum(len(v) for v in refers.values()),
           "parked_events": parked, "parked_matched": matched,
           "receipts": summary["receipts"], "expected": expected, "lost": lost,
           "refer_to_event_ms": pct(ref_delays), "at_to_receipt_ms": pct(at_delays),
           "spread_ms": pct(spreads), "snapshot_ms": pct(snap),
           "snapshot_bytes": max(snap_bytes) if snap_bytes else 0,
           "window": win}
    json.dump(out, open(os.path.join(d, "fanout.json"), "w"), indent=1)
    r, a, s = out["refer_to_event_ms"], out["at_to_receipt_ms"], out["spread_ms"]

    def g(m, k):
        return m.get(k, float("nan"))

    print(f" {len(with_snapshot):7d} {rate:7d} {sum(types.values()):7d} {parked:7d} "
          f"{out['refers']:7d} {matched:7d} {summary['receipts']:7d} {expected:7d} {lost:7d} "
          f"{out['dropped']:7d} {g(r, 'p50'):7.2f} {g(r, 'p99'):7.2f} {g(r, 'p999'):7.2f} "
          f"{g(r, 'max'):7.1f} {g(a, 'p50'):7.2f} {g(a, 'p99'):7.2f} {g(a, 'max'):7.1f} "
          f"{g(s, 'p50'):7.2f} {g(s, 'p99'):7.2f} {o.get('cpu', -1):7.1f} "
          f"{o.get('main_thread', -1):7.1f} {ws.get('cpu', -1):7.1f} {ws.get('wait', -1):7.1f} "
          f"{win['machine']['other_cores']:7.2f} {(o.get('rss_kb_last') or 0) / 1024:7.1f}"
          + (f"  dropped: {out['dropped_states']}" if out["dropped"] else "")
          + f"  (snapshot {out['snapshot_bytes']} bytes, p50 {g(out['snapshot_ms'], 'p50')} ms)")


if __name__ == "__main__":
    main()
