#!/usr/bin/env python3
"""What RTP crossed the loopback during a black-box call test (t_sipp_calls.sh).

  rtp_watch.py capture FILE
      Records every RTP-looking UDP datagram on lo (AF_PACKET, root) as one line of FILE:
      time src_ip src_port dst_ip dst_port ssrc seq timestamp pt marker class
      where class is the payload's: "pcap" (byte for byte a payload of the reference pcap),
      "flat" (every byte equal: G.711 silence) or "other" (e.g. music). Prints "ready" once
      listening; stops on SIGTERM.

  rtp_watch.py check FILE --to IP:PORT [--from-ports LO-HI] [--min-pcap N] [--max-pcap N]
                        [--min-other N] [--max-other N] [--max-flat N] [--runs A,B,...]
                        [--one-stream] [--one-source]
      Passes when the datagrams sent to IP:PORT (from a source port in LO-HI, Orbit's range)
      meet every condition given. --runs: the classes in order of arrival, counting only runs of
      at least 10 packets, must be exactly A,B,...  --one-stream: one SSRC, sequence numbers
      each one more than the last. --one-source: all from one address and port. Prints what
      it saw.

The reference pcap is Debian sip-tester's g711a.pcap (the audio the scenarios play). SIPp's own
traces never show RTP, so this is what proves media: a payload of the pcap arriving at a party
went through Orbit's relay (Orbit never plays that file itself).
"""
import argparse
import hashlib
import signal
import socket
import struct
import sys
import time

PCAP = "/usr/share/sip-tester/g711a.pcap"
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
RUN_MIN = 10


def digest(payload: bytes) -> str:
    return hashlib.md5(payload).hexdigest()[:16]


def pcap_payloads(path: str) -> set:
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    link_len = {1: 14, 113: 16, 0: 4}.get(linktype, 14)
    out, off = set(), 24
    while off + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        ip = frame[link_len:]
        if not ip or ip[0] >> 4 != 4 or ip[9] != 17:
            continue
        udp = ip[(ip[0] & 15) * 4:]
        rtp = udp[8:]
        if len(rtp) > 12 and rtp[0] >> 6 == 2:
            cc = rtp[0] & 15
            out.add(digest(rtp[12 + 4 * cc:]))
    return out


def capture(path: str) -> None:
    reference = pcap_payloads(PCAP)
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind(("lo", 0))
    sock.settimeout(0.2)
    out = open(path, "w", buffering=1)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    print("ready", flush=True)
    while not stop:
        try:
            frame, addr = sock.recvfrom(65535)
        except socket.timeout:
            continue
        except InterruptedError:
            continue
        if addr[2] == PACKET_OUTGOING:  # loopback shows each packet going out and coming in
            continue
        ip = frame[14:]
        if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 17:
            continue
        udp = ip[(ip[0] & 15) * 4:]
        if len(udp) < 8 + 12:
            continue
        sport, dport = struct.unpack(">HH", udp[:4])
        rtp = udp[8:]
        if rtp[0] >> 6 != 2 or 5060 in (sport, dport):
            continue
        pt = rtp[1] & 0x7F
        if 72 <= pt <= 76:  # RTCP (SR, RR, SDES, BYE, APP) has these in the second byte
            continue
        marker = rtp[1] >> 7
        seq, ts, ssrc = struct.unpack(">HII", rtp[2:12])
        payload = rtp[12 + 4 * (rtp[0] & 15):]
        if digest(payload) in reference:
            kind = "pcap"
        elif payload and payload.count(payload[0]) == len(payload):
            kind = "flat"
        else:
            kind = "other"
        src = socket.inet_ntoa(ip[12:16])
        dst = socket.inet_ntoa(ip[16:20])
        out.write(f"{time.monotonic():.6f} {src} {sport} {dst} {dport} {ssrc:08x} {seq} {ts} "
                  f"{pt} {marker} {kind}\n")
    out.close()


def check(args) -> int:
    ip, port = args.to.rsplit(":", 1)
    lo, hi = (int(x) for x in args.from_ports.split("-"))
    rows = []
    for line in open(args.file):
        f = line.split()
        if len(f) != 11 or f[3] != ip or int(f[4]) != int(port):
            continue
        if not lo <= int(f[2]) <= hi:
            continue
        rows.append(f)
    count = {"pcap": 0, "flat": 0, "other": 0}
    for f in rows:
        count[f[10]] += 1
    runs = []
    for f in rows:
        if runs and runs[-1][0] == f[10]:
            runs[-1][1] += 1
        else:
            runs.append([f[10], 1])
    long_runs = []
    for kind, n in runs:
        if n < RUN_MIN:
            continue
        if long_runs and long_runs[-1][0] == kind:
            long_runs[-1][1] += n
        else:
            long_runs.append([kind, n])
    sources = sorted({f"{f[1]}:{f[2]}" for f in rows})
    ssrcs = sorted({f[5] for f in rows})
    seq_breaks = sum(1 for a, b in zip(rows, rows[1:]) if (int(a[6]) + 1) % 65536 != int(b[6]))
    markers = sum(1 for f in rows if f[9] == "1")
    print(f"  to {args.to}: {len(rows)} packets from {', '.join(sources) or 'nobody'}: "
          f"{count['pcap']} of the pcap, {count['other']} other audio, {count['flat']} flat; "
          f"runs {' '.join(f'{k}x{n}' for k, n in long_runs) or '-'}; "
          f"ssrc {','.join(ssrcs) or '-'}; {seq_breaks} sequence breaks; {markers} markers")
    ok = True

    def need(cond: bool, what: str) -> None:
        nonlocal ok
        if not cond:
            print(f"  not so: {what}")
            ok = False

    if args.min_pcap is not None:
        need(count["pcap"] >= args.min_pcap, f"at least {args.min_pcap} packets of the pcap")
    if args.max_pcap is not None:
        need(count["pcap"] <= args.max_pcap, f"at most {args.max_pcap} packets of the pcap")
    if args.min_other is not None:
        need(count["other"] >= args.min_other, f"at least {args.min_other} packets of other audio")
    if args.max_other is not None:
        need(count["other"] <= args.max_other, f"at most {args.max_other} packets of other audio")
    if args.max_flat is not None:
        need(count["flat"] <= args.max_flat, f"at most {args.max_flat} packets of silence")
    if args.runs is not None:
        want = args.runs.split(",")
        need([k for k, _ in long_runs] == want, f"runs in the order {','.join(want)}")
    if args.one_source:
        need(len(sources) == 1, "one source address and port")
    if args.one_stream:
        need(len(ssrcs) == 1, "one SSRC")
        need(seq_breaks == 0, "sequence numbers without a break")
    return 0 if ok else 1


def main() -> int:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("capture")
    c.add_argument("file")
    k = sub.add_parser("check")
    k.add_argument("file")
    k.add_argument("--to", required=True)
    k.add_argument("--from-ports", default="20000-29999")
    k.add_argument("--min-pcap", type=int)
    k.add_argument("--max-pcap", type=int)
    k.add_argument("--min-other", type=int)
    k.add_argument("--max-other", type=int)
    k.add_argument("--max-flat", type=int)
    k.add_argument("--runs")
    k.add_argument("--one-stream", action="store_true")
    k.add_argument("--one-source", action="store_true")
    args = p.parse_args()
    if args.cmd == "capture":
        capture(args.file)
        return 0
    return check(args)


if __name__ == "__main__":
    sys.exit(main())
