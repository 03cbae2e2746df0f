// MessageBuilder, make_response (RFC 3261 §8.2.6), stamp_via (§18.2.1, RFC 3581) and serialize.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "sip/error_response.hpp"
#include "sip/message_builder.hpp"

namespace orbit::sip {
namespace {

std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

Message parsed(std::string_view bytes) {
  auto m = Message::parse(bytes);
  EXPECT_TRUE(m) << m.error().reason << "\n" << bytes;
  if (!m) std::abort();
  return std::move(*m);
}

const std::string kInvite = crlf(
    "INVITE sip:701@park.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKproxy1, SIP/2.0/TCP "
    "pc33.example.com:5066;branch=z9hG4bKuac1;received=192.0.2.7\n"
    "v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKfirst\n"
    "Max-Forwards: 69\n"
    "To: Park <sip:701@park.example.com>\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710@pc33.example.com\n"
    "CSeq: 314159 INVITE\n"
    "Contact: <sip:alice@pc33.example.com>\n"
    "Content-Type: application/sdp\n"
    "Content-Length: 4\n\n"
    "v=0\n");

std::vector<std::string_view> branches(const Message& m) {
  std::vector<std::string_view> out;
  for (auto v : m.header_values(HeaderId::Via)) out.push_back(parse_via(v)->branch());
  return out;
}

TEST(Builder, RequestGetsContentLengthAndContentType) {
  auto text = MessageBuilder::request("MESSAGE", "sip:701@park.example.com")
                  .header("Via", "SIP/2.0/UDP h.example.com;branch=z9hG4bKb1")
                  .header("To", "<sip:701@park.example.com>")
                  .header("From", "<sip:a@example.com>;tag=9")
                  .header("Call-ID", "built-1")
                  .header("CSeq", "1 MESSAGE")
                  .body("text/plain", "parked on 701")
                  .build();
  EXPECT_TRUE(text.starts_with("MESSAGE sip:701@park.example.com SIP/2.0\r\n"));
  EXPECT_NE(text.find("\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nparked on 701"),
            std::string::npos);
  auto m = parsed(text);
  EXPECT_EQ(m.body(), "parked on 701");
  EXPECT_EQ(m.cseq().method, "MESSAGE");
}

TEST(Builder, BodylessMessageSaysContentLengthZero) {
  auto text = MessageBuilder::response(404, "Not Found").header("Call-ID", "x").build();
  EXPECT_EQ(text, "SIP/2.0 404 Not Found\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n");
}

TEST(MakeResponse, CopiesViasFromToCallIdCSeqAndTagsTo) {
  auto request = parsed(kInvite);
  auto response = parsed(make_response(request, 200, "OK", "a6c85cf").build());
  EXPECT_FALSE(response.is_request());
  EXPECT_EQ(response.status(), 200);
  EXPECT_EQ(response.reason(), "OK");
  EXPECT_EQ(response.header_values(HeaderId::Via), request.header_values(HeaderId::Via));
  EXPECT_EQ(branches(response),
            (std::vector<std::string_view>{"z9hG4bKproxy1", "z9hG4bKuac1", "z9hG4bKfirst"}));
  EXPECT_EQ(response.header(HeaderId::From), request.header(HeaderId::From));
  EXPECT_EQ(response.from().tag(), "1928301774");
  EXPECT_EQ(response.to().uri.raw, "sip:701@park.example.com");
  EXPECT_EQ(response.to().display_text(), "Park");
  EXPECT_EQ(response.to().tag(), "a6c85cf");
  EXPECT_EQ(response.call_id(), request.call_id());
  EXPECT_EQ(response.cseq().number, 314159u);
  EXPECT_EQ(response.cseq().method, "INVITE");
  EXPECT_EQ(response.body(), "");
  EXPECT_EQ(response.header(HeaderId::Contact), std::nullopt);
}

TEST(MakeResponse, TryingGetsNoToTag) {
  auto request = parsed(kInvite);
  auto response = parsed(make_response(request, 100, "", "a6c85cf").build());
  EXPECT_EQ(response.reason(), "Trying");  // the default phrase when none is given
  EXPECT_EQ(response.to().tag(), "");
}

TEST(MakeResponse, ExistingToTagIsKept) {
  std::string in_dialog = kInvite;
  in_dialog.replace(in_dialog.find("To: Park <sip:701@park.example.com>"), 35,
                    "To: Park <sip:701@park.example.com>;tag=existing");
  auto request = parsed(in_dialog);
  auto response = parsed(make_response(request, 486, "", "fresh").build());
  EXPECT_EQ(response.reason(), "Busy Here");
  EXPECT_EQ(response.to().tag(), "existing");
  EXPECT_EQ(response.header(HeaderId::To), "Park <sip:701@park.example.com>;tag=existing");
}

TEST(MakeResponse, TagOnAnAddrSpecToIsAHeaderParameter) {
  auto request =
      parsed(crlf("OPTIONS sip:park.example.com SIP/2.0\n"
                  "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bKo\n"
                  "To: sip:park.example.com;user=ip\n"
                  "From: sip:a@example.com;tag=f\n"
                  "Call-ID: spec\n"
                  "CSeq: 2 OPTIONS\n\n"));
  auto response = parsed(make_response(request, 200, "OK", "t1").build());
  EXPECT_EQ(response.to().tag(), "t1");
  EXPECT_EQ(response.to().param("user"), "ip");
  EXPECT_EQ(response.to().uri.params, "");
}

TEST(MakeResponse, StampedTopViaReplacesOnlyTheFirst) {
  auto request = parsed(kInvite);
  auto stamped = stamp_via(request.top_via(), "198.51.100.9", 40000);
  auto response = parsed(make_response(request, 200, "OK", "t", stamped).build());
  auto vias = response.header_values(HeaderId::Via);
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(vias[0], "SIP/2.0/UDP proxy.example.com;branch=z9hG4bKproxy1;received=198.51.100.9");
  EXPECT_EQ(vias[1], request.header_values(HeaderId::Via)[1]);
}

TEST(StampVia, AddsReceivedWhenTheSourceDiffersFromSentBy) {
  auto via = parse_via("SIP/2.0/UDP pc33.example.com:5066;branch=z9hG4bK776");
  ASSERT_TRUE(via);
  EXPECT_EQ(stamp_via(*via, "192.0.2.4", 5066),
            "SIP/2.0/UDP pc33.example.com:5066;branch=z9hG4bK776;received=192.0.2.4");
}

TEST(StampVia, LeavesAMatchingSentByAloneWithoutRport) {
  auto via = parse_via("SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK776");
  ASSERT_TRUE(via);
  EXPECT_EQ(stamp_via(*via, "192.0.2.4", 5060), "SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK776");
}

TEST(StampVia, RportGetsTheSourcePortAndAlwaysAReceived) {
  // RFC 3581 §4: received is added even when it equals sent-by.
  auto via = parse_via("SIP/2.0/UDP 192.0.2.4:5060;rport;branch=z9hG4bK776");
  ASSERT_TRUE(via);
  auto stamped = stamp_via(*via, "192.0.2.4", 61000);
  EXPECT_EQ(stamped, "SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK776;received=192.0.2.4;rport=61000");
  auto back = parse_via(stamped);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->param("rport"), "61000");
  EXPECT_EQ(back->param("received"), "192.0.2.4");
  EXPECT_EQ(back->branch(), "z9hG4bK776");
}

TEST(StampVia, ReplacesStaleReceivedAndRport) {
  auto via = parse_via("SIP/2.0/TCP h.example.com;received=10.0.0.1;RPORT=1;branch=z9hG4bKz");
  ASSERT_TRUE(via);
  EXPECT_EQ(stamp_via(*via, "203.0.113.5", 5070),
            "SIP/2.0/TCP h.example.com;branch=z9hG4bKz;received=203.0.113.5;rport=5070");
}

TEST(StampVia, Ipv6SentByComparesWithoutBrackets) {
  auto via = parse_via("SIP/2.0/UDP [2001:DB8::9:1]:5060;branch=z9hG4bKv6");
  ASSERT_TRUE(via);
  EXPECT_EQ(stamp_via(*via, "2001:db8::9:1", 5060),
            "SIP/2.0/UDP [2001:DB8::9:1]:5060;branch=z9hG4bKv6");
  EXPECT_EQ(stamp_via(*via, "2001:db8::9:2", 5060),
            "SIP/2.0/UDP [2001:DB8::9:1]:5060;branch=z9hG4bKv6;received=2001:db8::9:2");
  auto rport = parse_via("SIP/2.0/UDP [2001:db8::9:1];rport;branch=z9hG4bKv6");
  ASSERT_TRUE(rport);
  auto stamped = stamp_via(*rport, "2001:db8::9:1", 7000);
  EXPECT_EQ(stamped,
            "SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKv6;received=2001:db8::9:1;rport=7000");
  EXPECT_TRUE(parse_via(stamped));
}

TEST(StampVia, NormalisesLwsAndKeepsQuotedParameters) {
  auto via = parse_via("SIP  / 2.0  / UDP   h.example.com ; branch = z9hG4bKs ;x=\"a;rport\"");
  ASSERT_TRUE(via) << via.error();
  auto stamped = stamp_via(*via, "192.0.2.1", 5060);
  EXPECT_EQ(stamped,
            "SIP/2.0/UDP h.example.com; branch = z9hG4bKs ;x=\"a;rport\";received=192.0.2.1");
  auto back = parse_via(stamped);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->param("x"), "\"a;rport\"");
  EXPECT_EQ(back->param("rport"), std::nullopt);
}

TEST(Serialize, ReparsesToTheSameFields) {
  auto original =
      parsed(crlf("INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0\n"
                  "TO :\n"
                  " sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n\n"
                  "from   : \"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\n"
                  "  ;\n"
                  "  tag = 98asjd8\n"
                  "MaX-fOrWaRdS: 0068\n"
                  "i: wsinv.ndaksdj@192.0.2.1\n"
                  "Content-Length   : 5\n"
                  "cseq: 0009\n"
                  "  INVITE\n"
                  "Via  : SIP  /   2.0\n"
                  " /UDP\n"
                  "    192.0.2.2;branch=390skdjuw\n"
                  "s :\n"
                  "c: application/sdp\n"
                  "v:  SIP  / 2.0  / TCP     spindle.example.com   ;\n"
                  "  branch  =   z9hG4bK9ikj8  ,\n"
                  " SIP  /    2.0   / UDP  192.168.255.111   ; branch=\n"
                  " z9hG4bK30239\n"
                  "m:\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\n"
                  "      newvalue ;\n"
                  "  secondparam ; q = 0.33\n\n") +
             "v=0\r\ntrailing junk");
  auto text = serialize(original);
  auto copy = parsed(text);
  EXPECT_EQ(copy.method(), original.method());
  EXPECT_EQ(copy.request_uri().raw, original.request_uri().raw);
  EXPECT_EQ(copy.call_id(), original.call_id());
  EXPECT_EQ(copy.cseq().number, original.cseq().number);
  EXPECT_EQ(copy.cseq().method, original.cseq().method);
  EXPECT_EQ(copy.from().tag(), "98asjd8");
  EXPECT_EQ(copy.to().tag(), "1918181833n");
  EXPECT_EQ(copy.from().display_text(), original.from().display_text());
  EXPECT_EQ(branches(copy), branches(original));
  EXPECT_EQ(branches(copy),
            (std::vector<std::string_view>{"390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"}));
  EXPECT_EQ(copy.max_forwards(), 68u);
  EXPECT_EQ(copy.body(), "v=0\r\n");
  EXPECT_EQ(copy.header(HeaderId::ContentType), "application/sdp");
  EXPECT_EQ(copy.header_values(HeaderId::Contact), original.header_values(HeaderId::Contact));
  EXPECT_EQ(copy.headers().size(), original.headers().size());
  EXPECT_EQ(serialize(copy), text);  // serialising is idempotent
}

TEST(Serialize, ResponseAndDatagramWithoutContentLength) {
  auto original =
      parsed(crlf("SIP/2.0 200 OK\n"
                  "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bKr\n"
                  "To: <sip:a@example.com>;tag=2\n"
                  "From: <sip:b@example.com>;tag=1\n"
                  "Call-ID: resp\n"
                  "CSeq: 8 BYE\n\n"
                  "body without length"));
  auto text = serialize(original);
  EXPECT_NE(text.find("\r\nContent-Length: 19\r\n\r\nbody without length"), std::string::npos);
  auto copy = parsed(text);
  EXPECT_EQ(copy.status(), 200);
  EXPECT_EQ(copy.reason(), "OK");
  EXPECT_EQ(copy.cseq().method, "BYE");
  EXPECT_EQ(copy.body(), "body without length");
}

TEST(ReasonPhrase, KnownAndUnknownCodes) {
  EXPECT_EQ(reason_phrase(200), "OK");
  EXPECT_EQ(reason_phrase(416), "Unsupported URI Scheme");
  EXPECT_EQ(reason_phrase(505), "Version Not Supported");
  EXPECT_EQ(reason_phrase(299), "Unknown");
}

}  // namespace
}  // namespace orbit::sip

namespace orbit::sip {
namespace {

TEST(ErrorResponse, RepeatedHeadersAreCopiedOnce) {
  std::string raw =
      "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "Via: SIP/2.0/UDP g;branch=z9hG4bK2\r\nCall-ID: x\r\nCall-ID: y\r\nCSeq: 1 INVITE\r\n"
      "CSeq: 2 INVITE\r\nFrom: <sip:a@b>;tag=1\r\nFrom: <sip:c@d>;tag=2\r\nTo: <sip:a@b>\r\n"
      "To: <sip:e@f>\r\n\r\n";
  auto parsed = Message::parse(raw);
  ASSERT_FALSE(parsed);
  auto response = error_response(raw, parsed.error(), "t1");
  ASSERT_TRUE(response);
  auto m = Message::parse(*response);
  ASSERT_TRUE(m) << "the 400 itself must be well formed: " << *response;
  EXPECT_EQ(m->status(), 400);
  EXPECT_EQ(m->call_id(), "x");
  EXPECT_EQ(m->to().tag(), "t1");
  EXPECT_EQ(m->header_values(HeaderId::Via).size(), 2u);
}

}  // namespace
}  // namespace orbit::sip
