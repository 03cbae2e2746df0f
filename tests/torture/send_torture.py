#!/usr/bin/env python3
"""Sends RFC 4475 torture messages to a running Orbit and judges what comes back.

Python 3 standard library only. Run it inside a network namespace that has nothing but lo
(tests/blackbox/t_torture.sh does, through scripts/netns-run): the messages name public
addresses, and the capture below needs CAP_NET_RAW.

Every message is sent exactly as stored (read in binary mode, one datagram or one TCP write).
Where the answer goes: Orbit answers a well-formed UDP request at the source address, on the
source port if the top Via has rport, else on the port of the Via sent-by (5060 when absent,
which on 127.0.0.1 is Orbit's own socket); a malformed request is answered at the source port.
Rather than guessing ports or rewriting a single byte, the harness captures every UDP datagram
that leaves 127.0.0.1:5060 on lo (an AF_PACKET socket), whatever its destination: that is
everything Orbit sends over UDP, also what it sends to itself. The caller runs one Orbit per
message, so everything captured in the window belongs to the message under test.

  send_torture.py udp FILE --expect TSV [--manifest TSV] [--log ORBIT_LOG] [--pid PID]
  send_torture.py tcp FILE --expect TSV [--manifest TSV] [--log ORBIT_LOG] [--pid PID]
      one message; prints one tab-separated table row; exit 0 when the verdict is ok
      (--dump DIR also writes every answer to DIR)
  send_torture.py barrage FILE... [--pid PID]
      all messages back to back over UDP to one Orbit; checks where every answer went
  send_torture.py tcp-barrage FILE... [--pid PID]
      each message on a connection of its own, all open at once; Orbit must stay alive
  send_torture.py options {udp,tcp}
      OPTIONS sip:127.0.0.1 must get 200
  send_torture.py table ROWS_TSV
      prints the collected rows as an aligned table
"""

from __future__ import annotations

import argparse
import re
import secrets
import socket
import struct
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

SERVER = ("127.0.0.1", 5060)
WINDOW = 1.0  # seconds to wait for answers to one message
GRACE = 0.25  # seconds to keep listening after a final answer (retransmissions, second messages)
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4

# RFC 3261 §7.3.3 compact forms, and the header fields a response must carry exactly once.
COMPACT = {
    "i": "call-id", "f": "from", "t": "to", "v": "via", "m": "contact", "l": "content-length",
    "c": "content-type", "e": "content-encoding", "k": "supported", "s": "subject",
    "o": "event", "r": "refer-to", "b": "referred-by", "u": "allow-events",
}
SINGLE = {"call-id": "Call-ID", "cseq": "CSeq", "from": "From", "to": "To"}


# ---------------------------------------------------------------------------------------------
# Reading SIP messages (only as far as judging needs; never used to alter what is sent)


@dataclass
class Parsed:
    start: bytes
    headers: list[tuple[str, str]]  # (lower-case canonical name, value)
    head_len: int  # bytes up to and including the empty line, or len(data) if there is none

    def values(self, name: str) -> list[str]:
        return [v for n, v in self.headers if n == name]

    @property
    def status(self) -> int | None:
        m = re.match(rb"SIP/2\.0 (\d{3})(?: |$)", self.start)
        return int(m.group(1)) if m else None

    @property
    def reason(self) -> str:
        m = re.match(rb"SIP/2\.0 \d{3} ?(.*)$", self.start)
        return m.group(1).decode("utf-8", "replace") if m else ""


def parse(data: bytes) -> Parsed:
    """Start line and unfolded header fields of one message."""
    end, sep = data.find(b"\r\n\r\n"), 4
    lf = data.find(b"\n\n")
    if end < 0 or (0 <= lf < end):
        end, sep = lf, 2
    head = data if end < 0 else data[:end]
    lines = re.split(rb"\r?\n", head)
    start, rest = lines[0], lines[1:]
    unfolded: list[bytes] = []
    for line in rest:
        if line[:1] in (b" ", b"\t") and unfolded:
            unfolded[-1] += b" " + line.strip()
        else:
            unfolded.append(line)
    headers = []
    for line in unfolded:
        name, colon, value = line.partition(b":")
        if not colon:
            continue
        n = name.strip().decode("latin-1").lower()
        headers.append((COMPACT.get(n, n), value.strip().decode("latin-1")))
    return Parsed(start, headers, len(data) if end < 0 else end + sep)


def split_stream(buf: bytes) -> tuple[list[bytes], bytes]:
    """Complete messages framed by Content-Length in a TCP byte stream, and what is left."""
    out = []
    while True:
        buf = buf.lstrip(b"\r\n")
        if not re.search(rb"\r?\n\r?\n", buf):
            return out, buf
        p = parse(buf)
        cl = p.values("content-length")
        size = p.head_len + (int(cl[0]) if cl and cl[0].isdigit() else 0)
        if len(buf) < size:
            return out, buf
        out.append(buf[:size])
        buf = buf[size:]


def norm(s: str) -> str:
    return " ".join(s.split())


def same(name: str, a: str, b: str) -> bool:
    """Header values equal by RFC 3261 rules, as far as judging needs: CSeq numbers as integers."""
    if name == "cseq":
        ma, mb = re.fullmatch(r"(\d+)\s+(\S+)", a.strip()), re.fullmatch(r"(\d+)\s+(\S+)", b.strip())
        return bool(ma and mb) and int(ma[1]) == int(mb[1]) and ma[2] == mb[2]
    return norm(a) == norm(b)


# ---------------------------------------------------------------------------------------------
# Seeing everything Orbit sends over UDP


@dataclass
class Datagram:
    dst: tuple[str, int]
    payload: bytes


class Capture:
    """UDP datagrams leaving 127.0.0.1:5060 on lo, whatever their destination."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(ETH_P_ALL))
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
        self.sock.bind(("lo", 0))
        self.seen: list[Datagram] = []

    def poll(self, until: float) -> None:
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return
            self.sock.settimeout(left)
            try:
                frame, addr = self.sock.recvfrom(1 << 17)
            except socket.timeout:
                return
            # On lo every packet shows twice, leaving and arriving: keep the leaving copy.
            if addr[2] != PACKET_OUTGOING:
                continue
            d = decode_udp(frame)
            if d and d[0] == SERVER:
                self.seen.append(Datagram(d[1], d[2]))


def decode_udp(frame: bytes):
    """(source, destination, payload) of an IPv4 UDP packet in a lo frame, else None."""
    if len(frame) < 14 + 20 or frame[12:14] != b"\x08\x00":
        return None
    ip = frame[14:]
    ihl = (ip[0] & 0x0F) * 4
    if ip[0] >> 4 != 4 or ip[9] != 17 or len(ip) < ihl + 8:
        return None
    total = struct.unpack("!H", ip[2:4])[0]
    src, dst = socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20])
    sport, dport, ulen = struct.unpack("!HHH", ip[ihl:ihl + 6])
    payload = ip[ihl + 8:min(total, ihl + ulen)]
    return (src, sport), (dst, dport), payload


# ---------------------------------------------------------------------------------------------
# Expectations


@dataclass
class Expectation:
    file: str
    transport: str
    accept: str  # "400" | "400,505" | "!400,505" | "none" | "none,400" | "any"
    flags: list[str]
    why: str

    def describe(self) -> str:
        a = self.accept
        if a == "any":
            text = "any, no crash"
        elif a.startswith("!"):
            text = "answer, not " + a[1:].replace(",", "/")
        else:
            text = a.replace(",", "|").replace("none", "nothing")
        extra = [f for f in self.flags if f in ("open", "closed", "to-source")]
        return text + "".join(f" +{f}" for f in extra)


def load_expectations(path: Path) -> dict[tuple[str, str], Expectation]:
    table = {}
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("file\t"):
            continue
        cols = line.split("\t")
        cols += [""] * (5 - len(cols))
        f, transport, accept, flags, why = cols[:5]
        table[(f, transport)] = Expectation(
            f, transport, accept, [x for x in flags.split(";") if x and x != "-"], why)
    return table


def load_manifest(path: Path | None) -> dict[str, str]:
    if not path or not path.exists():
        return {}
    rows = {}
    for line in path.read_text().splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 3:
            rows[cols[0]] = cols[2]
    return rows


# ---------------------------------------------------------------------------------------------
# Judging


@dataclass
class Outcome:
    responses: list[tuple[bytes, str]] = field(default_factory=list)  # (message, where it went)
    closed: bool | None = None  # TCP only
    alive: bool = True
    log_notes: list[str] = field(default_factory=list)


def orbit_alive(pid: int | None) -> bool:
    if not pid:
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except OSError:
        return False


def summarize(responses: list[tuple[bytes, str]]) -> str:
    """Distinct answers in order, e.g. '100 Trying [to :5060 = Orbit]; 403 Relaying denied [x2]'."""
    parts: list[str] = []
    counts: dict[bytes, int] = {}
    order: list[tuple[bytes, str]] = []
    for msg, where in responses:
        if msg not in counts:
            order.append((msg, where))
            counts[msg] = 0
        counts[msg] += 1
    for msg, where in order:
        p = parse(msg)
        text = f"{p.status} {p.reason}" if p.status else "?? " + msg[:40].decode("latin-1")
        tags = []
        if counts[msg] > 1:
            tags.append(f"x{counts[msg]}")
        if where:
            tags.append(where)
        parts.append(text + (f" [{', '.join(tags)}]" if tags else ""))
    return "; ".join(parts) if parts else "nothing"


def judge(exp: Expectation, request: bytes, out: Outcome) -> tuple[bool, list[str]]:
    """The verdict, and the reasons for a failure (or notes worth reading)."""
    problems: list[str] = []
    notes: list[str] = []
    req = parse(request)
    finals = [(parse(m), m, w) for m, w in out.responses if (parse(m).status or 0) >= 200]
    # Accepted outcome.
    a = exp.accept
    tokens = a.lstrip("!").split(",")
    codes = {c for c in tokens if c.isdigit()}
    first = finals[0][0] if finals else None
    if a == "any":
        pass
    elif a.startswith("!"):
        if not first:
            problems.append("no final answer")
        elif str(first.status) in codes:
            problems.append(f"answered {first.status}")
    elif not out.responses:
        if "none" not in tokens:
            problems.append("no answer")
    elif not codes:
        problems.append("sent something back")
    elif not first:
        problems.append("no final answer")
    elif str(first.status) not in codes:
        problems.append(f"answered {first.status}, expected {a.replace(',', '|')}")
    # Well-formed answers that belong to this request.
    for p, msg, where in [(parse(m), m, w) for m, w in out.responses]:
        if p.status is None:
            problems.append("sent a non-response: " + msg[:30].decode("latin-1"))
            continue
        if p.status >= 300 and not p.reason.strip():
            problems.append(f"{p.status} without a reason phrase")
        for name, shown in SINGLE.items():
            if len(p.values(name)) > 1:
                problems.append(f"{p.status} repeats {shown} ({len(p.values(name))}x)")
        if exp.transport == "udp":
            for name in ("call-id", "cseq"):
                want, got = req.values(name), p.values(name)
                if len(want) == 1 and len(got) == 1 and not same(name, want[0], got[0]):
                    problems.append(f"{p.status} has {name} '{got[0]}', not the request's")
        to = p.values("to")
        if p.status > 100 and len(to) == 1 and not re.search(r";\s*tag\s*=", to[0], re.I):
            problems.append(f"{p.status} without a To tag")
    if exp.transport == "tcp" and first and req.values("cseq"):
        if not same("cseq", req.values("cseq")[0], ",".join(first.values("cseq"))):
            problems.append("first final answer is not for the first message")
    # Where answers went.
    for _, where in out.responses:
        if "NOT LOOPBACK" in where:
            problems.append("answer sent " + where)
    if "to-source" in exp.flags and out.responses:
        if any(w != "to source" for _, w in out.responses):
            problems.append("rport ignored: answer not sent to the source port")
    if any(f.startswith("unsupported=") for f in exp.flags) and first and first.status == 420:
        want = [f.split("=", 1)[1] for f in exp.flags if f.startswith("unsupported=")][0]
        got = ",".join(norm(v) for v in first.values("unsupported")).replace(" ", "")
        if sorted(got.split(",")) != sorted(want.split(",")):
            problems.append(f"Unsupported is '{got}', expected '{want}'")
    if "parsed" in exp.flags:
        for n in out.log_notes:
            if n.startswith("malformed:"):
                problems.append("Orbit rejected it as " + n)
    if "open" in exp.flags and out.closed:
        problems.append("connection closed")
    if "closed" in exp.flags and out.closed is False:
        problems.append("connection still open")
    if not out.alive:
        problems.append("ORBIT DIED")
    if a == "any" and not out.responses and req.status is None:
        notes.append("request not answered")
    return not problems, problems or notes


# ---------------------------------------------------------------------------------------------
# Sending


def malformed_log_lines(log: Path | None, offset: int) -> list[tuple[str, int, str]]:
    """(address, port, reason) of the "malformed message" lines Orbit logged after `offset`."""
    if not log or not log.exists():
        return []
    text = log.read_bytes()[offset:].decode("utf-8", "replace")
    return [(m.group(1), int(m.group(2)), m.group(3)) for m in re.finditer(
        r"malformed message from ([\d.]+):(\d+): (.*?)(?: \(dropped\))?$", text, re.M)]


def run_udp(data: bytes, exp: Expectation, log: Path | None, pid: int | None) -> Outcome:
    cap = Capture()
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender.bind(("127.0.0.1", 0))
    port = sender.getsockname()[1]
    offset = log.stat().st_size if log and log.exists() else 0
    sender.sendto(data, SERVER)  # one datagram, the bytes as stored
    start = time.monotonic()
    deadline = start + WINDOW
    while time.monotonic() < deadline:
        cap.poll(min(deadline, time.monotonic() + 0.05))
        if any((parse(d.payload).status or 0) >= 200 for d in cap.seen):
            deadline = min(deadline, time.monotonic() + GRACE)
    out = Outcome()
    for d in cap.seen:
        if d.dst == ("127.0.0.1", port):
            where = "to source"
        elif d.dst[0] == "127.0.0.1":
            where = f"to :{d.dst[1]}" + (" = Orbit" if d.dst == SERVER else "")
        else:
            where = f"to {d.dst[0]}:{d.dst[1]} NOT LOOPBACK"
        out.responses.append((d.payload, where))
    out.alive = orbit_alive(pid)
    for addr, p, reason in malformed_log_lines(log, offset):
        if p == port:
            out.log_notes.append("malformed: " + reason)
        elif (addr, p) == SERVER:
            out.log_notes.append("Orbit cannot parse its own answer: " + reason)
    sender.close()
    cap.sock.close()
    return out


def run_tcp(data: bytes, exp: Expectation, log: Path | None, pid: int | None) -> Outcome:
    offset = log.stat().st_size if log and log.exists() else 0
    conn = socket.create_connection(SERVER, timeout=WINDOW)
    port = conn.getsockname()[1]
    conn.sendall(data)  # one write on a fresh connection
    buf = b""
    out = Outcome()
    start = time.monotonic()
    deadline = start + WINDOW
    while time.monotonic() < deadline:
        conn.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = conn.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            out.closed = True
            break
        if not chunk:
            out.closed = True
            break
        buf += chunk
        msgs, buf = split_stream(buf)
        out.responses += [(m, "") for m in msgs]
        if any((parse(m).status or 0) >= 200 for m, _ in out.responses):
            deadline = min(deadline, time.monotonic() + GRACE)
    if out.closed is None:
        conn.setblocking(False)
        try:
            out.closed = conn.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            out.closed = False
        except ConnectionResetError:
            out.closed = True
    if buf.strip():
        out.responses.append((buf, "partial"))
    conn.close()
    out.alive = orbit_alive(pid)
    for addr, p, reason in malformed_log_lines(log, offset):
        if p == port:
            out.log_notes.append("malformed: " + reason)
    if log and log.exists():
        text = log.read_bytes()[offset:].decode("utf-8", "replace")
        out.log_notes += ["log: " + m for m in re.findall(rf"tcp 127\.0\.0\.1:{port}: (.*)$", text, re.M)]
    return out


def cmd_one(args, transport: str) -> int:
    path = Path(args.file)
    data = path.read_bytes()
    exps = load_expectations(Path(args.expect))
    manifest = load_manifest(Path(args.manifest) if args.manifest else None)
    exp = exps.get((path.name, transport))
    if exp is None:
        print(f"{path.name}\t{transport}\t{manifest.get(path.name, '?')}\t(no expectation)\t-\tFAIL"
              f"\tadd a row to {args.expect}")
        return 1
    if transport == "udp":
        out = run_udp(data, exp, Path(args.log) if args.log else None, args.pid)
    else:
        out = run_tcp(data, exp, Path(args.log) if args.log else None, args.pid)
    if args.dump:
        dump = Path(args.dump)
        dump.mkdir(parents=True, exist_ok=True)
        for i, (msg, where) in enumerate(out.responses, 1):
            (dump / f"{path.stem}-{transport}-{i}.sip").write_bytes(msg)
    ok, notes = judge(exp, data, out)
    answered = summarize(out.responses)
    if transport == "tcp":
        answered += "; connection " + ("closed" if out.closed else "open")
    if not out.responses:
        answered += "".join(f" ({n})" for n in out.log_notes)
    else:
        notes += [n for n in out.log_notes if not n.startswith("malformed:")]
    if not out.alive:
        answered += "; ORBIT DIED"
    print("\t".join([path.name, transport, manifest.get(path.name, "?"), exp.describe(),
                     answered, "ok" if ok else "FAIL", "; ".join(notes) or "-"]))
    return 0 if ok else 1


def cmd_barrage(args) -> int:
    """All files back to back from one socket; every answer must go to 127.0.0.1."""
    cap = Capture()
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender.bind(("127.0.0.1", 0))
    for f in args.files:
        sender.sendto(Path(f).read_bytes(), SERVER)
        cap.poll(time.monotonic() + 0.02)
    cap.poll(time.monotonic() + WINDOW)
    bad = [d for d in cap.seen if d.dst[0] != "127.0.0.1"]
    answers = sum(1 for d in cap.seen if parse(d.payload).status)
    alive = orbit_alive(args.pid)
    print(f"  {len(args.files)} datagrams sent, {len(cap.seen)} datagrams from Orbit "
          f"({answers} responses), {len(bad)} not to 127.0.0.1, orbit {'alive' if alive else 'DEAD'}")
    for d in bad:
        print(f"  sent to {d.dst}: {d.payload[:60]!r}")
    return 0 if alive and not bad else 1


def cmd_tcp_barrage(args) -> int:
    """Each file on a connection of its own, all open at once; Orbit must stay alive."""
    conns, answers = [], 0
    for f in args.files:
        c = socket.create_connection(SERVER, timeout=WINDOW)
        c.sendall(Path(f).read_bytes())
        conns.append(c)
    time.sleep(0.3)
    for c in conns:
        c.setblocking(False)
        try:
            answers += len(split_stream(c.recv(1 << 20))[0])
        except OSError:
            pass
        c.close()
    alive = orbit_alive(args.pid)
    print(f"  {len(args.files)} connections, {answers} responses, "
          f"orbit {'alive' if alive else 'DEAD'}")
    return 0 if alive else 1


def cmd_options(args) -> int:
    """OPTIONS sip:127.0.0.1 over UDP (rport) or TCP; passes on 200."""
    kind = socket.SOCK_DGRAM if args.transport == "udp" else socket.SOCK_STREAM
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    s.settimeout(2)
    port = s.getsockname()[1]
    t = args.transport.upper()
    call = secrets.token_hex(8)
    msg = (f"OPTIONS sip:127.0.0.1 SIP/2.0\r\n"
           f"Via: SIP/2.0/{t} 127.0.0.1:{port};branch=z9hG4bK-torture-{call};rport\r\n"
           f"Max-Forwards: 70\r\n"
           f"From: <sip:torture@127.0.0.1>;tag={call[:8]}\r\n"
           f"To: <sip:127.0.0.1>\r\n"
           f"Call-ID: torture-final-{call}@127.0.0.1\r\n"
           f"CSeq: 1 OPTIONS\r\n"
           f"Content-Length: 0\r\n\r\n").encode()
    try:
        if args.transport == "udp":
            s.sendto(msg, SERVER)
            reply = s.recv(65536)
        else:
            s.connect(SERVER)
            s.sendall(msg)
            reply, buf = b"", b""
            while not reply:
                chunk = s.recv(65536)
                if not chunk:
                    break
                msgs, buf = split_stream(buf + chunk)
                reply = msgs[0] if msgs else b""
    except OSError as e:
        print(f"  no answer: {e}")
        return 1
    p = parse(reply)
    print(f"  answered {p.status} {p.reason}")
    return 0 if p.status == 200 and p.values("call-id") == [f"torture-final-{call}@127.0.0.1"] else 1


def cmd_table(args) -> int:
    """The rows as an aligned table; the notes of a row on a line of their own below it."""
    rows = [l.split("\t") for l in Path(args.rows).read_text().splitlines() if l.strip()]
    rows = [r + [""] * (7 - len(r)) for r in rows]
    head = ["file", "via", "manifest", "Orbit should", "Orbit answered", "verdict", ""]
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(5)]
    for r in [head] + rows:
        print("  ".join(r[i].ljust(widths[i]) for i in range(5)) + "  " + r[5])
        if r[6] not in ("", "-"):
            print(" " * (widths[0] + 2) + "-> " + r[6])
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("udp", "tcp"):
        p = sub.add_parser(name)
        p.add_argument("file")
        p.add_argument("--expect", required=True)
        p.add_argument("--manifest")
        p.add_argument("--log")
        p.add_argument("--pid", type=int)
        p.add_argument("--dump", help="directory to write every answer into")
    p = sub.add_parser("barrage")
    p.add_argument("files", nargs="+")
    p.add_argument("--pid", type=int)
    p = sub.add_parser("tcp-barrage")
    p.add_argument("files", nargs="+")
    p.add_argument("--pid", type=int)
    p = sub.add_parser("options")
    p.add_argument("transport", choices=("udp", "tcp"))
    p = sub.add_parser("table")
    p.add_argument("rows")
    args = ap.parse_args()
    if args.cmd in ("udp", "tcp"):
        return cmd_one(args, args.cmd)
    return {"barrage": cmd_barrage, "tcp-barrage": cmd_tcp_barrage, "options": cmd_options,
            "table": cmd_table}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
