#!/usr/bin/env python3
"""Summaries for the call benchmarks (media_load.sh, park_load.sh).

  calls_report.py window SAMPLES T0 T1 LABEL...
      From proc_sample.py's lines between wall times T0 and T1 (s): per process LABEL, the CPU
      it used (% of one core, exact from schedstat; split into user and system in the
      proportion /proc/PID/stat samples; per thread for orbit), the share of the
      window it was runnable without a CPU, its resident memory (kB, mean and last) and open
      files (last); the machine: busy cores in all (every task's schedstat), the rest of the
      machine (busy minus the LABELs), /proc/stat's figure, the load average; UDP in the namespace: datagrams in/out per second, receive-
      and send-buffer errors. JSON.

  calls_report.py rtp STATS [--from I --to J] [--nominal 50]
      From an rtp_load stats file: per socket, the packets received per second between two
      snapshots (I and J, counted from 0, negative from the end; default: the last two), and how many sockets were at the nominal rate (>= 98 %
      of it), below 90 %, and silent; sequence gaps (lost), SSRC changes, the longest silence
      per socket (p50/p99/max of the per-socket maxima, ms) and the round-trip times recorded
      at the second snapshot (µs). JSON.
"""
import json
import sys


def load_samples(path, t0, t1):
    rows = []
    with open(path) as f:
        for line in f:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if t0 - 0.6 <= r["t"] <= t1 + 0.6:
                rows.append(r)
    return rows


def window(path, t0, t1, labels):
    rows = load_samples(path, t0, t1)
    if len(rows) < 2:
        return {"error": "fewer than two samples in the window"}
    a, b = rows[0], rows[-1]
    dt = b["t"] - a["t"]
    hz = 100.0  # CLK_TCK
    out = {"seconds": round(dt, 2)}
    ours = 0.0
    for label in labels:
        pa, pb = a.get(label), b.get(label)
        if not pa or not pb:
            out[label] = None
            continue
        u = (pb["utime"] - pa["utime"]) / hz / dt * 100
        s = (pb["stime"] - pa["stime"]) / hz / dt * 100
        run = (pb["run_ns"] - pa["run_ns"]) / 1e9 / dt * 100  # exact (schedstat)
        ours += run / 100
        rss = [r[label]["VmRSS"] for r in rows if r.get(label) and "VmRSS" in r[label]]
        # user/system: the tick-sampled split of the exact total
        share = u / (u + s) if u + s > 0 else 0
        entry = {"cpu": round(run, 1), "user": round(run * share, 1),
                 "sys": round(run * (1 - share), 1),
                 "wait": round((pb["wait_ns"] - pa["wait_ns"]) / 1e9 / dt * 100, 1),
                 "rss_kb_mean": round(sum(rss) / len(rss)) if rss else None,
                 "rss_kb_last": pb.get("VmRSS"), "hwm_kb": pb.get("VmHWM"),
                 "fds": pb.get("fds")}
        threads = {}
        for tid, tb in pb.get("threads", {}).items():
            ta = pa.get("threads", {}).get(tid)
            if ta and len(ta) > 2 and len(tb) > 2:
                threads[tid] = round((tb[2] - ta[2]) / 1e9 / dt * 100, 1)
        if len(threads) > 1:
            entry["threads"] = threads
            # The main thread (tid = pid, the smallest) and the rest: for Orbit, signalling and
            # the media thread.
            main = min(threads, key=int)
            entry["main_thread"] = threads[main]
            entry["other_threads"] = round(sum(v for k, v in threads.items() if k != main), 1)
        out[label] = entry
    ma, mb = a["m"], b["m"]
    busy = (mb["run_ns"] - ma["run_ns"]) / 1e9 / dt
    ticks = (mb["busy"] - ma["busy"]) / hz / dt
    out["machine"] = {"busy_cores": round(busy, 2), "other_cores": round(max(0.0, busy - ours), 2),
                      "busy_cores_proc_stat": round(ticks, 2), "load": mb.get("load")}
    if "udp" in ma and "udp" in mb:
        d = {k: mb["udp"][k] - ma["udp"][k] for k in mb["udp"]}
        out["udp"] = {"in_per_s": round(d["InDatagrams"] / dt), "out_per_s": round(d["OutDatagrams"] / dt),
                      "rcvbuf_errors": d["RcvbufErrors"], "sndbuf_errors": d["SndbufErrors"],
                      "no_ports": d["NoPorts"]}
        out["udp_sockets"] = mb.get("udp_sockets")
        if "sip_drops" in mb:
            out["sip_socket"] = {"drops": mb["sip_drops"] - ma.get("sip_drops", 0),
                                 "rx_queue_max": max(r["m"].get("sip_rx_queue", 0) for r in rows)}
        out["udp_mem_pages"] = mb.get("udp_mem_pages")
    return out


def read_snapshots(path):
    snaps = []
    with open(path) as f:
        for line in f:
            if line.startswith("# snapshot"):
                v = line.split()
                snap = {"wall": int(v[2]) / 1e9, "mono": int(v[3]) / 1e9, "why": v[4],
                        "rtt": {"n": int(v[6]), "p50": float(v[7]), "p90": float(v[8]),
                                "p99": float(v[9]), "p999": float(v[10]), "max": float(v[11])},
                        "ports": {}}
                snaps.append(snap)
            elif snaps and line.strip():
                v = line.split()
                snaps[-1]["ports"][int(v[0])] = [int(x) for x in v[1:]]
    return snaps


def pct(values, q):
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, int(q * (len(s) - 1) + 0.5))]


def rtp(path, frm=None, to=None, nominal=50.0):
    snaps = read_snapshots(path)
    a, b = snaps[frm if frm is not None else -2], snaps[to if to is not None else -1]
    dt = b["mono"] - a["mono"]
    rates, gaps = [], []
    lost = ssrc = reordered = 0
    for port, vb in b["ports"].items():
        va = a["ports"].get(port, [0] * 10)
        rx = vb[0] - va[0]
        if va[0] == 0 and rx == 0:
            continue  # never received anything in the window nor before: not a listener
        rates.append(rx / dt)
        lost += vb[2] - va[2]
        ssrc += vb[3] - va[3]
        reordered += vb[4] - va[4]
        gaps.append(vb[5] / 1000)
    n = len(rates)
    return {
        "seconds": round(dt, 2), "sockets": n,
        "pps_total": round(sum(rates)),
        "pps_min": round(min(rates), 2) if rates else None,
        "pps_p1": round(pct(rates, 0.01), 2) if rates else None,
        "pps_median": round(pct(rates, 0.5), 2) if rates else None,
        "pps_max": round(max(rates), 2) if rates else None,
        "at_nominal": sum(1 for r in rates if r >= 0.98 * nominal),
        "below_90pct": sum(1 for r in rates if r < 0.9 * nominal),
        "silent": sum(1 for r in rates if r == 0),
        "lost": lost, "ssrc_changes": ssrc, "reordered": reordered,
        "max_gap_ms_p50": round(pct(gaps, 0.5), 1) if gaps else None,
        "max_gap_ms_p99": round(pct(gaps, 0.99), 1) if gaps else None,
        "max_gap_ms_max": round(max(gaps), 1) if gaps else None,
        "rtt_us": b["rtt"],
    }


def main():
    cmd = sys.argv[1]
    if cmd == "window":
        print(json.dumps(window(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5:])))
    elif cmd == "rtp":
        args = sys.argv[3:]
        frm = to = None
        nominal = 50.0
        while args:
            k = args.pop(0)
            if k == "--from":
                frm = int(args.pop(0))
            elif k == "--to":
                to = int(args.pop(0))
            elif k == "--nominal":
                nominal = float(args.pop(0))
        print(json.dumps(rtp(sys.argv[2], frm, to, nominal)))
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
