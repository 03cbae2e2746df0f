// The messages the parser benchmarks feed to every parser: what a desk phone really sends.
#pragma once

#include <string>
#include <string_view>

namespace orbit::bench {

// Every '\n' becomes CRLF, so that the messages below can be written readably.
inline std::string with_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// A message from its header section (without Content-Length) and its body; Content-Length is
// computed from the body.
inline std::string sip_message(std::string_view head, std::string_view body = {}) {
  auto crlf_body = with_crlf(body);
  return with_crlf(head) + "Content-Length: " + std::to_string(crlf_body.size()) + "\r\n\r\n" +
         crlf_body;
}

// An INVITE from a desk phone to a parking slot, with an SDP offer of PCMU, PCMA and
// telephone-event (RFC 4733): about 900 bytes.
inline std::string invite_with_sdp() {
  return sip_message(
      "INVITE sip:701@demo.orbit SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.168.1.34:5060;rport;branch=z9hG4bK-524287-1---a3c2e8f1b7d94c06\n"
      "Max-Forwards: 70\n"
      "From: \"Alice Martin\" <sip:101@demo.orbit>;tag=8f3a2c1d\n"
      "To: <sip:701@demo.orbit>\n"
      "Call-ID: 5b1c2e4f-8a7d-4e39-9c0b-2f6d1a3e7c58@192.168.1.34\n"
      "CSeq: 20 INVITE\n"
      "Contact: <sip:101@192.168.1.34:5060;transport=udp>;+sip.instance=\"<urn:uuid:"
      "0f3c9e7a-5b21-4d8e-9a44-001565a1b2c3>\"\n"
      "Allow: INVITE, ACK, CANCEL, BYE, REFER, NOTIFY, OPTIONS, INFO, MESSAGE, UPDATE\n"
      "Supported: replaces, timer, 100rel, norefersub\n"
      "User-Agent: Yealink SIP-T46S 66.86.0.15\n"
      "Session-Expires: 1800;refresher=uac\n"
      "Content-Type: application/sdp\n",
      "v=0\n"
      "o=- 3894712512 3894712512 IN IP4 192.168.1.34\n"
      "s=SDP data\n"
      "c=IN IP4 192.168.1.34\n"
      "t=0 0\n"
      "m=audio 11780 RTP/AVP 0 8 101\n"
      "a=rtpmap:0 PCMU/8000\n"
      "a=rtpmap:8 PCMA/8000\n"
      "a=rtpmap:101 telephone-event/8000\n"
      "a=fmtp:101 0-15\n"
      "a=ptime:20\n"
      "a=sendrecv\n");
}

// Orbit's 200 OK to a REGISTER: the Via stamped with received/rport, the binding with its expiry.
inline std::string ok_to_register() {
  return sip_message(
      "SIP/2.0 200 OK\n"
      "Via: SIP/2.0/UDP 192.168.1.34:5060;branch=z9hG4bK-524287-1---77e0c1d94a8b2f35;"
      "received=192.168.1.34;rport=5060\n"
      "From: \"Alice Martin\" <sip:101@demo.orbit>;tag=3e1b7a90\n"
      "To: \"Alice Martin\" <sip:101@demo.orbit>;tag=as7f2c9e41\n"
      "Call-ID: 9d2e6b1f-4c3a-4f8e-b7d5-1a2c3e4f5a6b@192.168.1.34\n"
      "CSeq: 2 REGISTER\n"
      "Contact: <sip:101@192.168.1.34:5060;transport=udp>;expires=3600\n"
      "Server: orbit\n");
}

// A REGISTER answering a challenge: Digest credentials (RFC 8760) with a 32-character nonce.
inline std::string register_with_authorization() {
  return sip_message(
      "REGISTER sip:demo.orbit SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.168.1.34:5060;rport;branch=z9hG4bK-524287-1---77e0c1d94a8b2f35\n"
      "Max-Forwards: 70\n"
      "From: \"Alice Martin\" <sip:101@demo.orbit>;tag=3e1b7a90\n"
      "To: \"Alice Martin\" <sip:101@demo.orbit>\n"
      "Call-ID: 9d2e6b1f-4c3a-4f8e-b7d5-1a2c3e4f5a6b@192.168.1.34\n"
      "CSeq: 2 REGISTER\n"
      "Contact: <sip:101@192.168.1.34:5060;transport=udp>\n"
      "Authorization: Digest username=\"101\", realm=\"demo.orbit\", "
      "nonce=\"AAAAAGdF3xq8m0cS1Yk2vXw7Lh9Qp4Zr\", uri=\"sip:demo.orbit\", "
      "response=\"4b8e1f0c2d3a5b6c7d8e9f0a1b2c3d4e\", algorithm=MD5\n"
      "Expires: 3600\n"
      "Allow: INVITE, ACK, CANCEL, BYE, REFER, NOTIFY, OPTIONS, INFO, MESSAGE, UPDATE\n"
      "User-Agent: Yealink SIP-T46S 66.86.0.15\n");
}

}  // namespace orbit::bench
