#!/usr/bin/env python3
"""Slot lamps, park timing and retrievers for the park benchmark (bench/park_load.sh).

  park_watch.py --slots 701-5700 [--retrieve --park-time S [--retry-503]] [--lot-lamp]
                [--capture] --out DIR [--user 102 --password secret102]

One UDP socket (--bind, 127.0.0.1:5090) acting as a phone of --user:

* lamps: it subscribes (SUBSCRIBE, Event: dialog, digest with 401) to every slot of --slots,
  like a receptionist's phone with a BLF key per slot (and to the lot's park code 700 with
  --lot-lamp, a "Park" key), answers every NOTIFY 200, and notes when a slot's lamp turns
  busy (dialog-info "confirmed") with the kernel's receive time (SO_TIMESTAMPNS);
* retrieve (--retrieve): --park-time seconds after a slot's lamp turned busy, it calls the slot
  (INVITE → 407 → ACK, INVITE with Proxy-Authorization → 200 → ACK), talks --talk-time
  seconds and hangs up (BYE → 200); Orbit then hangs up the caller. With --retry-503, a 503
  with Retry-After is not a failure: the slot is called again that many seconds later (counted
  as retrieve_503) while its lamp is busy. UDP retransmissions as
  RFC 3261 (T1 0.5 s) for the INVITE and the BYE; 32 s without a final response fails it;
* capture (--capture): a packet socket on lo (root), filtered in the kernel (classic BPF) to
  SIP datagrams to or from port 5060 that start with R, N or M, gives the kernel time of each
  REFER to Orbit (the park), each MESSAGE from Orbit ("Parked on 705 ...") and each lamp
  NOTIFY. Delays REFER → lamp NOTIFY and REFER → MESSAGE are taken per slot.

Prints "ready" once every subscription is confirmed, then one line per second; on SIGTERM
writes DIR/park_watch.json (counts, failures by reason, delay percentiles) and the raw delays
(DIR/delays-lamp.txt, delays-message.txt: "kernel_time_of_refer delay_ms slot"), and the kernel
time of every REFER captured (DIR/refers.txt: "kernel_time slot", for the event fan-out).
"""
import argparse
import ctypes
import hashlib
import heapq
import json
import os
import random
import re
import select
import signal
import socket
import struct
import sys
import time

T1 = 0.5
SO_TIMESTAMPNS = 35
SCM_TIMESTAMPNS = SO_TIMESTAMPNS
SO_ATTACH_FILTER = 26
ETH_P_ALL = 0x0003


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def parse(data):
    """(first line, headers dict lower-case name → list of values, body) of a SIP datagram."""
    text = data.decode("utf-8", "replace")
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return lines[0], headers, body


def h(headers, name):
    v = headers.get(name)
    return v[0] if v else ""


def tag_of(value):
    m = re.search(r";\s*tag=([^;>\s]+)", value)
    return m.group(1) if m else ""


def percentiles(values):
    if not values:
        return {"n": 0}
    s = sorted(values)

    def q(p):
        return round(s[min(len(s) - 1, int(p * (len(s) - 1) + 0.5))], 3)

    return {"n": len(s), "p50": q(0.5), "p90": q(0.9), "p99": q(0.99), "p999": q(0.999),
            "max": round(s[-1], 3), "mean": round(sum(s) / len(s), 3)}


def bpf_sip_rnm():
    """Classic BPF (jump offsets count from the next instruction): IPv4 UDP, not a fragment, port 5060 either side, not the sender's own copy
    (lo shows every datagram twice), payload starting with R, N or M."""
    ins = [
        (0x20, 0, 0, 0xFFFFF004),   # 0 ld pkttype
        (0x15, 16, 0, 4),           # 1 outgoing → drop
        (0x28, 0, 0, 12),           # 2 ldh ethertype
        (0x15, 0, 14, 0x0800),      # 3 IPv4
        (0x30, 0, 0, 23),           # 4 ldb protocol
        (0x15, 0, 12, 17),          # 5 UDP
        (0x28, 0, 0, 20),           # 6 ldh flags/fragment
        (0x45, 10, 0, 0x1FFF),      # 7 fragment → drop
        (0xB1, 0, 0, 14),           # 8 ldxb 4*([14]&0xf)
        (0x48, 0, 0, 14),           # 9 ldh src port
        (0x15, 2, 0, 5060),         # 10 → 13
        (0x48, 0, 0, 16),           # 11 ldh dst port
        (0x15, 0, 5, 5060),         # 12 else drop
        (0x50, 0, 0, 22),           # 13 ldb first payload byte
        (0x15, 2, 0, ord("R")),     # 14 → accept
        (0x15, 1, 0, ord("N")),     # 15 → accept
        (0x15, 0, 1, ord("M")),     # 16 → accept / drop
        (0x06, 0, 0, 65535),        # 17 accept
        (0x06, 0, 0, 0),            # 18 drop
    ]
    return ins


def attach_filter(sock, ins):
    buf = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *i) for i in ins))
    prog = struct.pack("HL", len(ins), ctypes.addressof(buf))
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, prog)
    return buf  # keep alive


def kernel_time(ancdata, default):
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == SCM_TIMESTAMPNS and len(data) >= 16:
            sec, nsec = struct.unpack("qq", data[:16])
            return sec + nsec / 1e9
    return default


class Watch:
    def __init__(self, a):
        self.a = a
        self.orbit = (a.orbit.split(":")[0], int(a.orbit.split(":")[1]))
        host, port = a.bind.split(":")
        self.local = (host, int(port))
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:  # root in the bench namespace: past net.core.rmem_max
            self.sock.setsockopt(socket.SOL_SOCKET, 33, 32 << 20)  # SO_RCVBUFFORCE
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.sock.bind(self.local)
        self.sock.setblocking(False)
        self.cap = None
        if a.capture:
            self.cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
            self._bpf = attach_filter(self.cap, bpf_sip_rnm())
            self.cap.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 << 20)
            self.cap.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            self.cap.bind(("lo", 0))
            self.cap.setblocking(False)
        first, last = (int(x) for x in a.slots.split("-"))
        self.resources = [str(s) for s in range(first, last + 1)]
        if a.lot_lamp:
            self.resources.append(a.lot_code)
        self.seq = 0
        self.nc = {}
        self.subs = {}          # call-id → {"resource", "state", "cseq", "tag", "branch", "sent"}
        self.confirmed_subs = 0
        self.calls = {}         # call-id → retrieve state
        self.timers = []        # (when, seq, kind, key)
        self.busy_since = {}    # slot → kernel time its lamp turned busy
        self.refer_at = {}      # slot → [kernel time of the REFER, lamp matched, message matched]
        self.delays_lamp = []
        self.delays_message = []
        self.raw_lamp = []
        self.raw_message = []
        self.refers = []        # (kernel time, slot) of every REFER captured
        self.count = {"notify": 0, "notify_busy": 0, "notify_free": 0, "retrieve_started": 0,
                      "retrieve_ok": 0, "retrieve_failed": 0, "retrieve_503": 0, "retransmissions": 0,
                      "refer_seen": 0, "message_seen": 0, "lamp_unmatched": 0}
        self.failures = {}
        self.second = {"busy": 0, "started": 0, "ok": 0, "failed": 0}
        self.stop = False
        self.rtp_ip, self.rtp_port = a.rtp.split(":")

    # --- sending ---

    def next_id(self):
        self.seq += 1
        return f"{self.seq}.{random.getrandbits(40):x}"

    def send(self, text):
        self.sock.sendto(text.encode(), self.orbit)

    def via(self, branch):
        return f"Via: SIP/2.0/UDP {self.local[0]}:{self.local[1]};rport;branch={branch}"

    def authorization(self, header_value, method, uri, proxy):
        params = dict(re.findall(r'(\w+)="?([^",]*)"?', header_value))
        nonce, realm = params["nonce"], params["realm"]
        self.nc[nonce] = self.nc.get(nonce, 0) + 1
        nc = f"{self.nc[nonce]:08x}"
        cnonce = f"{random.getrandbits(64):016x}"
        ha1 = md5(f"{self.a.user}:{realm}:{self.a.password}")
        ha2 = md5(f"{method}:{uri}")
        if "qop" in params:
            resp = md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            extra = f', qop=auth, nc={nc}, cnonce="{cnonce}"'
        else:
            resp = md5(f"{ha1}:{nonce}:{ha2}")
            extra = ""
        if "opaque" in params:
            extra += f', opaque="{params["opaque"]}"'
        name = "Proxy-Authorization" if proxy else "Authorization"
        return (f'{name}: Digest username="{self.a.user}", realm="{realm}", nonce="{nonce}", '
                f'uri="{uri}", response="{resp}", algorithm=MD5{extra}')

    def timer(self, delay, kind, key):
        heapq.heappush(self.timers, (time.monotonic() + delay, self.next_id(), kind, key))

    # --- subscriptions ---

    def subscribe(self, resource, auth=None, sub=None):
        if sub is None:
            call_id = self.next_id() + "@watch"
            sub = {"resource": resource, "call_id": call_id, "tag": f"w{random.getrandbits(32):x}",
                   "cseq": 0, "state": "new"}
            self.subs[call_id] = sub
        sub["cseq"] += 1
        sub["branch"] = "z9hG4bK" + self.next_id().replace(".", "")
        uri = f"sip:{resource}@demo.orbit"
        lines = [f"SUBSCRIBE {uri} SIP/2.0", self.via(sub["branch"]), "Max-Forwards: 70",
                 f"From: <sip:{self.a.user}@demo.orbit>;tag={sub['tag']}",
                 f"To: <sip:{resource}@demo.orbit>", f"Call-ID: {sub['call_id']}",
                 f"CSeq: {sub['cseq']} SUBSCRIBE",
                 f"Contact: <sip:{self.a.user}@{self.local[0]}:{self.local[1]}>",
                 "Event: dialog", "Accept: application/dialog-info+xml", "Expires: 3600"]
        if auth:
            lines.append(auth)
        lines += ["Content-Length: 0", "", ""]
        self.send("\r\n".join(lines))

    # --- retrieving ---

    def retrieve(self, slot):
        call_id = self.next_id() + "@retriever"
        c = {"slot": slot, "call_id": call_id, "tag": f"r{random.getrandbits(32):x}", "cseq": 1,
             "state": "invite1", "started": time.monotonic(), "to": f"<sip:{slot}@demo.orbit>",
             "tries": 0}
        self.calls[call_id] = c
        self.count["retrieve_started"] += 1
        self.second["started"] += 1
        self.send_invite(c, None)

    def sdp(self):
        return (f"v=0\r\no=retriever 1 1 IN IP4 {self.rtp_ip}\r\ns=-\r\nc=IN IP4 {self.rtp_ip}\r\n"
                f"t=0 0\r\nm=audio {self.rtp_port} RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
                "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n")

    def send_invite(self, c, auth):
        c["branch"] = "z9hG4bK" + self.next_id().replace(".", "")
        uri = f"sip:{c['slot']}@demo.orbit"
        body = self.sdp()
        lines = [f"INVITE {uri} SIP/2.0", self.via(c["branch"]), "Max-Forwards: 70",
                 f"From: <sip:{self.a.user}@demo.orbit>;tag={c['tag']}",
                 f"To: <sip:{c['slot']}@demo.orbit>", f"Call-ID: {c['call_id']}",
                 f"CSeq: {c['cseq']} INVITE",
                 f"Contact: <sip:{self.a.user}@{self.local[0]}:{self.local[1]}>"]
        if auth:
            lines.append(auth)
        lines += ["Content-Type: application/sdp", f"Content-Length: {len(body)}", "", body]
        c["last"] = "\r\n".join(lines)
        c["method"] = "INVITE"
        c["provisional"] = False
        c["interval"] = T1
        c["deadline"] = time.monotonic() + 64 * T1
        self.send(c["last"])
        self.timer(T1, "retrans", c["call_id"])

    def ack(self, c, to, branch, cseq, uri):
        lines = [f"ACK {uri} SIP/2.0", self.via(branch), "Max-Forwards: 70",
                 f"From: <sip:{self.a.user}@demo.orbit>;tag={c['tag']}", f"To: {to}",
                 f"Call-ID: {c['call_id']}", f"CSeq: {cseq} ACK", "Content-Length: 0", "", ""]
        self.send("\r\n".join(lines))

    def bye(self, c):
        c["cseq"] += 1
        c["state"] = "bye"
        c["branch"] = "z9hG4bK" + self.next_id().replace(".", "")
        lines = [f"BYE {c['target']} SIP/2.0", self.via(c["branch"]), "Max-Forwards: 70",
                 f"From: <sip:{self.a.user}@demo.orbit>;tag={c['tag']}", f"To: {c['to']}",
                 f"Call-ID: {c['call_id']}", f"CSeq: {c['cseq']} BYE", "Content-Length: 0", "",
                 ""]
        c["last"] = "\r\n".join(lines)
        c["method"] = "BYE"
        c["provisional"] = False
        c["interval"] = T1
        c["deadline"] = time.monotonic() + 64 * T1
        self.send(c["last"])
        self.timer(T1, "retrans", c["call_id"])

    def fail(self, c, why):
        if c["state"] in ("done", "failed"):
            return
        c["state"] = "failed"
        self.count["retrieve_failed"] += 1
        self.second["failed"] += 1
        self.failures[why] = self.failures.get(why, 0) + 1
        self.calls.pop(c["call_id"], None)

    # --- receiving ---

    def on_response(self, first, hd, body, ktime):
        status = int(first.split()[1])
        reason = first.split(" ", 2)[2] if len(first.split(" ", 2)) > 2 else ""
        call_id = h(hd, "call-id")
        method = h(hd, "cseq").split()[-1] if h(hd, "cseq") else ""
        cseq = int(h(hd, "cseq").split()[0]) if h(hd, "cseq") else 0
        if call_id in self.subs:
            sub = self.subs[call_id]
            if status == 401 and sub["state"] == "new":
                sub["state"] = "auth"
                auth = self.authorization(h(hd, "www-authenticate"), "SUBSCRIBE",
                                          f"sip:{sub['resource']}@demo.orbit", proxy=False)
                self.subscribe(sub["resource"], auth, sub)
            elif 200 <= status < 300:
                if sub["state"] != "ok":
                    sub["state"] = "ok"
                    self.confirmed_subs += 1
            elif status >= 300:
                sub["state"] = f"refused {status}"
            return
        c = self.calls.get(call_id)
        if not c or status < 200:
            if c and method == c.get("method") and cseq == c["cseq"]:
                c["provisional"] = True  # the request in progress: no more retransmissions
            return
        if method == "INVITE" and cseq == c["cseq"]:
            if status == 407 and c["state"] == "invite1":
                self.ack(c, h(hd, "to"), c["branch"], cseq, f"sip:{c['slot']}@demo.orbit")
                c["state"] = "invite2"
                c["cseq"] += 1
                auth = self.authorization(h(hd, "proxy-authenticate"), "INVITE",
                                          f"sip:{c['slot']}@demo.orbit", proxy=True)
                self.send_invite(c, auth)
            elif 200 <= status < 300 and c["state"] == "invite2":
                c["to"] = h(hd, "to")
                m = re.search(r"<([^>]+)>", h(hd, "contact"))
                c["target"] = m.group(1) if m else f"sip:{c['slot']}@demo.orbit"
                c["state"] = "talking"
                c["answered"] = time.monotonic()
                self.ack(c, c["to"], "z9hG4bK" + self.next_id().replace(".", ""), cseq,
                         c["target"])
                self.timer(self.a.talk_time, "bye", call_id)
            elif 200 <= status < 300 and c["state"] in ("talking", "bye"):
                # our ACK crossed a retransmitted 200: acknowledge again
                self.ack(c, h(hd, "to"), "z9hG4bK" + self.next_id().replace(".", ""), cseq,
                         c["target"])
            elif status == 503 and self.a.retry_503 and h(hd, "retry-after"):
                # Orbit is full: try again when it says (a person would), while the lamp is busy.
                self.ack(c, h(hd, "to"), c["branch"], cseq, f"sip:{c['slot']}@demo.orbit")
                self.count["retrieve_503"] += 1
                c["state"] = "failed"
                self.calls.pop(call_id, None)
                retry = float(h(hd, "retry-after").split()[0].split(";")[0])
                self.timer(retry, "retrieve", c["slot"])
            elif status >= 300:
                self.ack(c, h(hd, "to"), c["branch"], cseq, f"sip:{c['slot']}@demo.orbit")
                self.fail(c, f"INVITE {status} {reason}")
        elif method == "BYE" and c["state"] == "bye":
            if 200 <= status < 300:
                c["state"] = "done"
                self.count["retrieve_ok"] += 1
                self.second["ok"] += 1
                self.calls.pop(call_id, None)
            else:
                self.fail(c, f"BYE {status} {reason}")

    def on_request(self, first, hd, body, ktime):
        method = first.split()[0]
        lines = ["SIP/2.0 200 OK"]
        for v in hd.get("via", []):
            lines.append(f"Via: {v}")
        to = h(hd, "to")
        if method == "NOTIFY" and not tag_of(to):
            to += ";tag=x"
        lines += [f"From: {h(hd, 'from')}", f"To: {to}", f"Call-ID: {h(hd, 'call-id')}",
                  f"CSeq: {h(hd, 'cseq')}", "Content-Length: 0", "", ""]
        if method in ("NOTIFY", "BYE", "OPTIONS"):
            self.send("\r\n".join(lines))
        else:
            lines[0] = "SIP/2.0 481 Call/Transaction Does Not Exist"
            self.send("\r\n".join(lines))
            return
        if method != "NOTIFY":
            return
        self.count["notify"] += 1
        sub = self.subs.get(h(hd, "call-id"))
        if not sub:
            return
        m = re.search(r"<state>(\w+)</state>", body)
        state = m.group(1) if m else ""
        resource = sub["resource"]
        if state == "confirmed":
            self.count["notify_busy"] += 1
            if resource == self.a.lot_code:
                return
            self.second["busy"] += 1
            if resource not in self.busy_since:
                self.busy_since[resource] = ktime
                self.match_lamp(resource, ktime)
                if self.a.retrieve:
                    self.timer(self.a.park_time, "retrieve", resource)
        else:
            self.count["notify_free"] += 1
            self.busy_since.pop(resource, None)

    def match_lamp(self, slot, t):
        r = self.refer_at.get(slot)
        if not self.cap:
            return
        if not r or r[1] or t < r[0]:
            self.count["lamp_unmatched"] += 1
            return
        r[1] = True
        d = (t - r[0]) * 1000
        self.delays_lamp.append(d)
        self.raw_lamp.append((r[0], d, slot))

    def on_capture(self, frame, ktime):
        ihl = (frame[14] & 0x0F) * 4
        payload = frame[14 + ihl + 8:]
        if payload.startswith(b"REFER "):
            m = re.search(rb"\r\nRefer-To:\s*<sip:([^@>]+)@", payload, re.I)
            if m:
                slot = m.group(1).decode()
                self.refer_at[slot] = [ktime, False, False]
                self.refers.append((ktime, slot))
                self.count["refer_seen"] += 1
                # The lamp NOTIFY may have been read (own socket) before this capture: match it.
                if slot in self.busy_since and self.busy_since[slot] >= ktime:
                    self.count["lamp_unmatched"] -= 1
                    self.match_lamp(slot, self.busy_since[slot])
        elif payload.startswith(b"MESSAGE "):
            m = re.search(rb"Parked (?:on|for) ([0-9]+)", payload)
            if m:
                slot = m.group(1).decode()
                self.count["message_seen"] += 1
                r = self.refer_at.get(slot)
                if r and not r[2] and ktime >= r[0]:
                    r[2] = True
                    d = (ktime - r[0]) * 1000
                    self.delays_message.append(d)
                    self.raw_message.append((r[0], d, slot))

    # --- loop ---

    def on_timer(self, kind, key):
        if kind == "retrieve":
            if key in self.busy_since:
                self.retrieve(key)
        elif kind == "bye":
            c = self.calls.get(key)
            if c and c["state"] == "talking":
                self.bye(c)
        elif kind == "retrans":
            c = self.calls.get(key)
            if not c or c["state"] not in ("invite1", "invite2", "bye"):
                return
            if c["state"] in ("invite1", "invite2") and c.get("provisional"):
                if time.monotonic() > c["deadline"]:
                    self.fail(c, "INVITE: no final response in 32 s")
                else:
                    self.timer(1.0, "retrans", key)
                return
            if time.monotonic() > c["deadline"]:
                self.fail(c, f"{c['state']}: timeout")
                return
            self.send(c["last"])
            self.count["retransmissions"] += 1
            c["interval"] = min(c["interval"] * 2, 4.0)
            self.timer(c["interval"], "retrans", key)

    def read_sock(self):
        for _ in range(256):
            try:
                data, anc, _flags, _addr = self.sock.recvmsg(65535, 64)
            except BlockingIOError:
                return
            ktime = kernel_time(anc, time.time())
            first, hd, body = parse(data)
            if first.startswith("SIP/2.0"):
                self.on_response(first, hd, body, ktime)
            else:
                self.on_request(first, hd, body, ktime)

    def read_cap(self):
        for _ in range(256):
            try:
                frame, anc, _flags, _addr = self.cap.recvmsg(65535, 64)
            except BlockingIOError:
                return
            self.on_capture(frame, kernel_time(anc, time.time()))

    def run(self):
        signal.signal(signal.SIGTERM, lambda *_: setattr(self, "stop", True))
        signal.signal(signal.SIGINT, lambda *_: setattr(self, "stop", True))
        # Subscriptions, paced.
        pending = list(self.resources)
        t_sub = time.monotonic()
        sent = 0
        while not self.stop and (pending or self.confirmed_subs < len(self.resources)):
            now = time.monotonic()
            due = int((now - t_sub) * self.a.subscribe_rate) - sent
            for _ in range(max(0, min(due, len(pending)))):
                self.subscribe(pending.pop(0))
                sent += 1
            r, _, _ = select.select([self.sock], [], [], 0.01)
            if r:
                self.read_sock()
            if now - t_sub > 120:
                bad = {s["state"] for s in self.subs.values() if s["state"] != "ok"}
                print(f"subscriptions not confirmed: {len(self.resources) - self.confirmed_subs}"
                      f" ({bad})", flush=True)
                break
        print(f"ready: {self.confirmed_subs} subscriptions", flush=True)
        next_report = time.monotonic() + 1
        fds = [self.sock] + ([self.cap] if self.cap else [])
        while not self.stop:
            timeout = 0.2
            if self.timers:
                timeout = max(0.0, min(timeout, self.timers[0][0] - time.monotonic()))
            try:
                r, _, _ = select.select(fds, [], [], timeout)
            except InterruptedError:
                continue
            if self.cap in r:
                self.read_cap()
            if self.sock in r:
                self.read_sock()
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                _, _, kind, key = heapq.heappop(self.timers)
                self.on_timer(kind, key)
            if now >= next_report:
                s = self.second
                print(f"{time.time():.3f} busy {s['busy']} retrieves {s['started']} ok {s['ok']} "
                      f"failed {s['failed']} in-flight {len(self.calls)} "
                      f"lamp-delays {len(self.delays_lamp)} msg-delays {len(self.delays_message)}",
                      flush=True)
                self.second = {k: 0 for k in s}
                next_report += 1
        self.finish()

    def finish(self):
        out = {"count": self.count, "failures": self.failures,
               "in_flight_at_end": len(self.calls),
               "subscriptions": self.confirmed_subs,
               "refer_to_lamp_ms": percentiles(self.delays_lamp),
               "refer_to_message_ms": percentiles(self.delays_message)}
        with open(os.path.join(self.a.out, "park_watch.json"), "w") as f:
            json.dump(out, f, indent=1)
        for name, rows in (("lamp", self.raw_lamp), ("message", self.raw_message)):
            with open(os.path.join(self.a.out, f"delays-{name}.txt"), "w") as f:
                for t, d, slot in rows:
                    f.write(f"{t:.6f} {d:.3f} {slot}\n")
        with open(os.path.join(self.a.out, "refers.txt"), "w") as f:
            for t, slot in self.refers:
                f.write(f"{t:.6f} {slot}\n")
        print(json.dumps(out), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--orbit", default="127.0.0.1:5060")
    p.add_argument("--bind", default="127.0.0.1:5090")
    p.add_argument("--user", default="102")
    p.add_argument("--password", default="secret102")
    p.add_argument("--slots", required=True)
    p.add_argument("--lot-lamp", action="store_true")
    p.add_argument("--lot-code", default="700")
    p.add_argument("--retrieve", action="store_true")
    p.add_argument("--park-time", type=float, default=1.0)
    p.add_argument("--talk-time", type=float, default=0.1)
    p.add_argument("--capture", action="store_true")
    p.add_argument("--retry-503", action="store_true")
    p.add_argument("--rtp", default="127.0.0.3:46000")
    p.add_argument("--subscribe-rate", type=float, default=500)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    Watch(a).run()


if __name__ == "__main__":
    main()
