#!/usr/bin/env bash
# The supervision API against the running demo Orbit: refusals without a token, the lots and
# a phone's registration as JSON (the WebSocket and every refusal are in api/tests).
source "$(dirname "$0")/lib.sh"
OUT="$ARTIFACTS/api"
mkdir -p "$OUT"
start_orbit "$ROOT/config/demo.toml" "$OUT/orbit.log" || exit 1

python3 - <<'PY' >"$OUT/checks.txt" 2>&1
import hashlib, json, socket, urllib.error, urllib.request

BASE = "http://127.0.0.1:8080/api/v1"
TOKEN = "demo-supervisor-token"

def get(path, token=TOKEN):
    req = urllib.request.Request(BASE + path)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")

def check(name, ok):
    print(("ok   - " if ok else "FAIL - ") + name)

status, body = get("/lots", token=None)
check("no token: 401 with a message", status == 401 and "error" in body)
status, body = get("/lots", token="wrong")
check("a wrong token: 401", status == 401)
status, body = get("/lots")
check("lots: 200", status == 200)
lots = body if isinstance(body, list) else body.get("lots", [])
main = [l for l in lots if l.get("name") == "main"]
check("lot main has slots 701-720", bool(main) and [s["slot"] for s in main[0]["slots"]][:1] == ["701"]
      and len(main[0]["slots"]) == 20)

# Phone 100 registers with digest, as a phone would.
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5099))
s.settimeout(3)
def register(n, auth=""):
    msg = ("REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKapi%d;rport\r\n"
           "Max-Forwards: 70\r\nFrom: <sip:100@127.0.0.1>;tag=api\r\nTo: <sip:100@127.0.0.1>\r\n"
           "Call-ID: api-reg\r\nCSeq: %d REGISTER\r\nContact: <sip:100@127.0.0.1:5099>\r\n%s"
           "Content-Length: 0\r\n\r\n") % (n, n, auth)
    s.sendto(msg.encode(), ("127.0.0.1", 5060))
    return s.recv(4000).decode()
challenge = register(1)
nonce = challenge.split('nonce="')[1].split('"')[0]
md5 = lambda t: hashlib.md5(t.encode()).hexdigest()
ha1 = md5("100:demo.orbit:secret100")
ha2 = md5("REGISTER:sip:127.0.0.1")
resp = md5(f"{ha1}:{nonce}:00000001:c1:auth:{ha2}")
ok = register(2, f'Authorization: Digest username="100", realm="demo.orbit", nonce="{nonce}", '
                 f'uri="sip:127.0.0.1", response="{resp}", qop=auth, cnonce="c1", nc=00000001\r\n')
check("phone 100 registers (200)", ok.startswith("SIP/2.0 200"))
status, body = get("/registrations")
regs = body if isinstance(body, list) else body.get("registrations", [])
check("registrations list 100 with its contact",
      status == 200 and any(r.get("extension") == "100" and "5099" in r.get("contact", "") for r in regs))
status, body = get("/openapi.json", token=None)
check("openapi.json is served", status == 200 and "paths" in body)
PY
rc=$?
cat "$OUT/checks.txt"
[ "$rc" -eq 0 ] || { echo "FAIL - the API checks stopped early (exit $rc)"; TESTS_FAILED=$((TESTS_FAILED + 1)); }
while read -r line; do
  case "$line" in
    "ok   - "*) TESTS_PASSED=$((TESTS_PASSED + 1)) ;;
    "FAIL - "*) TESTS_FAILED=$((TESTS_FAILED + 1)) ;;
  esac
done <"$OUT/checks.txt"
check "orbit still alive" orbit_alive
finish
