#!/usr/bin/env python3
"""Samples processes and the machine every 0.5 s, one JSON line each, until SIGTERM.

  proc_sample.py FILE LABEL=PID [LABEL=PID...]     (PID may be @PIDFILE, read at each sample)

Per process (all its threads): CPU ticks in user and system mode (/proc/PID/stat), the same
per thread, time spent runnable without a CPU (schedstat), VmRSS and VmHWM (kB), open files.
The machine: the CPU time all its tasks ran (schedstat, summed), /proc/stat (busy and total
ticks, every core: tick-sampled, see all_tasks_run_ns), the load average, and the UDP
counters of this network namespace (/proc/net/snmp: datagrams in and out, receive-buffer and
send-buffer errors; /proc/net/sockstat: UDP sockets and the pages their buffers hold). calls_report.py reads it back over a window.
"""
import json
import os
import signal
import sys
import time


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def stat_fields(text):
    # comm may hold spaces and parentheses: split after the last ')'.
    rest = text[text.rindex(")") + 2:].split()
    return int(rest[11]), int(rest[12])  # utime, stime (fields 14 and 15)


def process(pid):
    text = read(f"/proc/{pid}/stat")
    if text is None:
        return None
    out = {}
    out["utime"], out["stime"] = stat_fields(text)  # their sum is exact, the split sampled
    status = read(f"/proc/{pid}/status") or ""
    for line in status.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "Threads"):
            out[key] = int(value.split()[0])
    threads = {}
    wait_ns = 0
    run_ns = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            t = read(f"/proc/{pid}/task/{tid}/stat")
            if t:
                threads[tid] = list(stat_fields(t))
            s = read(f"/proc/{pid}/task/{tid}/schedstat")
            if s:
                run_ns += int(s.split()[0])
                wait_ns += int(s.split()[1])
                threads.setdefault(tid, [0, 0]).append(int(s.split()[0]))
    except OSError:
        pass
    out["threads"] = threads  # tid → [utime, stime, run ns]
    out["wait_ns"] = wait_ns
    out["run_ns"] = run_ns
    try:
        out["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        out["fds"] = None
    return out


SEEN = {}   # tid → run ns at the last sample
RUN_TOTAL = [0]


def all_tasks_run_ns():
    """CPU time (ns) every task of the machine ran since the sampler started, from per-task
    schedstat: precise, where /proc/stat samples at the tick and misses short bursts in step
    with it (Orbit's 20 ms media tick). A task born and gone between two samples is missed."""
    now = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            s = read(f"/proc/{pid}/task/{tid}/schedstat")
            if s:
                now[tid] = int(s.split()[0])
    first = not SEEN
    for tid, ns in now.items():
        if not first:
            RUN_TOTAL[0] += ns - SEEN.get(tid, 0)
    SEEN.clear()
    SEEN.update(now)
    return RUN_TOTAL[0]


def machine():
    out = {"run_ns": all_tasks_run_ns()}
    for line in (read("/proc/stat") or "").splitlines():
        if line.startswith("cpu "):
            v = [int(x) for x in line.split()[1:]]
            out["busy"] = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
            out["total"] = sum(v[:8])
            break
    out["load"] = (read("/proc/loadavg") or "0 0 0").split()[:3]
    lines = [l.split() for l in (read("/proc/net/snmp") or "").splitlines() if l.startswith("Udp:")]
    if len(lines) >= 2:
        udp = dict(zip(lines[0][1:], (int(x) for x in lines[1][1:])))
        out["udp"] = {k: udp.get(k, 0) for k in
                      ("InDatagrams", "OutDatagrams", "RcvbufErrors", "SndbufErrors", "NoPorts",
                       "InErrors")}
    # Orbit's SIP socket (127.0.0.1:5060): datagrams dropped for a full receive buffer, and
    # what waits in it now (bytes).
    for line in (read("/proc/net/udp") or "").splitlines()[1:]:
        v = line.split()
        if len(v) > 12 and v[1] == "0100007F:13C4":
            out["sip_drops"] = int(v[12])
            out["sip_rx_queue"] = int(v[4].split(":")[1], 16)
    for line in (read("/proc/net/sockstat") or "").splitlines():
        if line.startswith("UDP:"):
            v = line.split()
            out["udp_sockets"] = int(v[v.index("inuse") + 1])
            out["udp_mem_pages"] = int(v[v.index("mem") + 1])
    return out


def main():
    path = sys.argv[1]
    procs = dict(arg.split("=", 1) for arg in sys.argv[2:])
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    with open(path, "a", buffering=1) as f:
        while not stop:
            line = {"t": time.time(), "m": machine()}
            for label, pid in procs.items():
                if pid.startswith("@"):  # a pid file, read each time: a process started later
                    pid = (read(pid[1:]) or "").strip()
                line[label] = process(pid) if pid else None
            f.write(json.dumps(line) + "\n")
            time.sleep(0.5)


if __name__ == "__main__":
    main()
