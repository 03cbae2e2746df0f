// Message::parse and frame_stream against the RFC 3261 message grammar (§7, §18.3, §20, §25).
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "sip/message.hpp"

namespace orbit::sip {
namespace {

// Writes a message readably: every '\n' becomes CRLF.
std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// The header section of a well-formed INVITE that tests vary one line at a time.
constexpr std::string_view kInviteHead =
    "INVITE sip:701@park.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP pc33.example.com:5060;branch=z9hG4bK776asdhds\n"
    "Max-Forwards: 70\n"
    "To: Park <sip:701@park.example.com>\n"
    "From: Alice <sip:alice@example.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710@pc33.example.com\n"
    "CSeq: 314159 INVITE\n"
    "Contact: <sip:alice@pc33.example.com>\n";

std::string invite_with(std::string_view extra_headers, std::string_view body = {}) {
  return crlf(std::string(kInviteHead) + std::string(extra_headers) + "\n") + std::string(body);
}

// The INVITE with the line starting with `prefix` replaced by `line` (dropped when empty).
std::string invite_replacing(std::string_view prefix, std::string_view line) {
  std::string head;
  std::string_view rest = kInviteHead;
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    auto current = rest.substr(0, nl + 1);
    rest.remove_prefix(nl + 1);
    if (current.starts_with(prefix)) {
      if (!line.empty()) head += std::string(line) + "\n";
    } else {
      head += current;
    }
  }
  return crlf(head + "Content-Length: 0\n\n");
}

std::string parse_error(std::string_view bytes) {
  auto m = Message::parse(bytes);
  if (m) return "parsed";
  return std::to_string(m.error().status) + " " + m.error().reason;
}

TEST(Parser, WellFormedInviteExposesItsEssentials) {
  auto m =
      Message::parse(invite_with("Content-Type: application/sdp\nContent-Length: 4\n", "v=0\n"));
  ASSERT_TRUE(m) << m.error().reason;
  EXPECT_TRUE(m->is_request());
  EXPECT_EQ(m->method(), "INVITE");
  EXPECT_EQ(m->request_uri().raw, "sip:701@park.example.com");
  EXPECT_EQ(m->request_uri().user, "701");
  EXPECT_EQ(m->call_id(), "a84b4c76e66710@pc33.example.com");
  EXPECT_EQ(m->cseq().number, 314159u);
  EXPECT_EQ(m->cseq().method, "INVITE");
  EXPECT_EQ(m->from().tag(), "1928301774");
  EXPECT_EQ(m->from().display_text(), "Alice");
  EXPECT_EQ(m->to().tag(), "");
  EXPECT_EQ(m->top_via().branch(), "z9hG4bK776asdhds");
  EXPECT_EQ(m->max_forwards(), 70u);
  EXPECT_EQ(m->expires(), std::nullopt);
  EXPECT_EQ(m->body(), "v=0\n");
  EXPECT_EQ(m->header(HeaderId::ContentType), "application/sdp");
  EXPECT_EQ(m->headers().size(), 9u);
}

TEST(Parser, ResponseHasStatusAndReasonButNoMethod) {
  auto m =
      Message::parse(crlf("SIP/2.0 180 Ringing\n"
                          "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds\n"
                          "To: <sip:701@park.example.com>;tag=a6c85cf\n"
                          "From: <sip:alice@example.com>;tag=1928301774\n"
                          "Call-ID: a84b4c76e66710\n"
                          "CSeq: 314159 INVITE\n"
                          "Content-Length: 0\n\n"));
  ASSERT_TRUE(m) << m.error().reason;
  EXPECT_FALSE(m->is_request());
  EXPECT_EQ(m->status(), 180);
  EXPECT_EQ(m->reason(), "Ringing");
  EXPECT_EQ(m->method(), "");
  EXPECT_EQ(m->to().tag(), "a6c85cf");
}

TEST(Parser, ResponseReasonMayBeEmptyOrHoldSpacesAndUtf8) {
  auto head =
      "Via: SIP/2.0/UDP h;branch=z9hG4bKx\nTo: <sip:a@b>\nFrom: <sip:c@d>;tag=1\n"
      "Call-ID: r\nCSeq: 1 INVITE\nContent-Length: 0\n\n";
  auto empty = Message::parse(crlf(std::string("SIP/2.0 100 \n") + head));
  ASSERT_TRUE(empty) << empty.error().reason;
  EXPECT_EQ(empty->reason(), "");
  auto utf8 = Message::parse(crlf(std::string("SIP/2.0 200 D\xC3\xA9j\xC3\xA0 vu  ok\n") + head));
  ASSERT_TRUE(utf8) << utf8.error().reason;
  EXPECT_EQ(utf8->reason(), "D\xC3\xA9j\xC3\xA0 vu  ok");
}

TEST(Parser, StatusCodeMustHaveThreeDigitsBetween100And699) {
  auto head =
      "Via: SIP/2.0/UDP h;branch=z9hG4bKx\nTo: <sip:a@b>\nFrom: <sip:c@d>;tag=1\n"
      "Call-ID: r\nCSeq: 1 INVITE\nContent-Length: 0\n\n";
  for (std::string_view line : {"SIP/2.0 099 Low", "SIP/2.0 700 High", "SIP/2.0 4294967301 Big",
                                "SIP/2.0 20 Short", "SIP/2.0 2x0 Letters", "SIP/2.0  200 Two"}) {
    EXPECT_EQ(parse_error(crlf(std::string(line) + "\n" + head)), "400 status code out of range")
        << line;
  }
  EXPECT_EQ(parse_error(crlf(std::string("SIP/2.0 699 Max\n") + head)), "parsed");
  EXPECT_EQ(parse_error(crlf(std::string("SIP/3.0 200 OK\n") + head)),
            "400 bad SIP version in status line");
}

TEST(Parser, RequestLineFaultsAreNamed) {
  auto with_line = [](std::string_view line) {
    auto text = invite_with("Content-Length: 0\n");
    return parse_error(std::string(line) + text.substr(text.find('\r')));
  };
  EXPECT_EQ(with_line("INVITE sip:701@park.example.com SIP/7.0"), "505 SIP version not supported");
  EXPECT_EQ(with_line("INVITE sip:701@park.example.com HTTP/1.1"),
            "400 bad SIP version in request line");
  EXPECT_EQ(with_line("INVITE sip:701@park.example.com"), "400 malformed request line");
  EXPECT_EQ(with_line("INVITE sip:701 @park.example.com SIP/2.0"),
            "400 whitespace inside the Request-URI");
  EXPECT_EQ(with_line("INVITE <sip:701@park.example.com> SIP/2.0"),
            "400 Request-URI enclosed in <>");
  EXPECT_EQ(with_line("INVITE sip:701@park.example.com?Route=%3Csip:x%3E SIP/2.0"),
            "400 Request-URI has headers");
  EXPECT_EQ(with_line("INV\"ITE sip:701@park.example.com SIP/2.0"), "400 bad method");
  EXPECT_EQ(with_line("INVITE sip:701@park.example.com:99999 SIP/2.0"),
            "400 bad Request-URI: bad port in URI");
  // SIP-Version is case-insensitive (RFC 3261 §7.1); extra spaces are tolerated (RFC 4475
  // §3.1.2.9 and §3.1.2.10 allow either outcome).
  EXPECT_EQ(with_line("INVITE sip:701@park.example.com sip/2.0"), "parsed");
  EXPECT_EQ(with_line("INVITE  sip:701@park.example.com  SIP/2.0  "), "parsed");
}

TEST(Parser, HeaderNamesAreCaseInsensitive) {
  auto m =
      Message::parse(crlf("OPTIONS sip:park.example.com SIP/2.0\n"
                          "vIA: SIP/2.0/UDP h.example.com;branch=z9hG4bKcase\n"
                          "TO: <sip:park.example.com>\n"
                          "from: <sip:a@example.com>;TAG=abc\n"
                          "cAlL-iD: case-1\n"
                          "CSEQ: 7 OPTIONS\n"
                          "mAx-FoRwArDs: 0068\n"
                          "x-CUSTOM: yes\n"
                          "CONTENT-LENGTH: 0\n\n"));
  ASSERT_TRUE(m) << m.error().reason;
  EXPECT_EQ(m->call_id(), "case-1");
  EXPECT_EQ(m->from().tag(), "abc");  // parameter names are case-insensitive too
  EXPECT_EQ(m->max_forwards(), 68u);  // leading zeros are allowed (RFC 4475 §3.1.1.1)
  EXPECT_EQ(m->header("X-Custom"), "yes");
  EXPECT_EQ(m->header("call-id"), "case-1");
  EXPECT_EQ(m->header("Nope"), std::nullopt);
}

TEST(Parser, CompactFormsMeanTheirLongHeaders) {
  auto m =
      Message::parse(crlf("MESSAGE sip:701@park.example.com SIP/2.0\n"
                          "v: SIP/2.0/TCP h.example.com;branch=z9hG4bKcompact\n"
                          "t: <sip:701@park.example.com>\n"
                          "f: <sip:a@example.com>;tag=88\n"
                          "i: compact-1\n"
                          "CSeq: 2 MESSAGE\n"
                          "m: <sip:a@h.example.com>\n"
                          "k: path\n"
                          "s: hello\n"
                          "e: gzip\n"
                          "o: dialog\n"
                          "u: refer\n"
                          "r: <sip:b@example.com>\n"
                          "b: <sip:c@example.com>\n"
                          "c: text/plain\n"
                          "L: 2\n\n"
                          "hi"));
  ASSERT_TRUE(m) << m.error().reason;
  EXPECT_EQ(m->top_via().branch(), "z9hG4bKcompact");
  EXPECT_EQ(m->call_id(), "compact-1");
  EXPECT_EQ(m->from().tag(), "88");
  EXPECT_EQ(m->header(HeaderId::Contact), "<sip:a@h.example.com>");
  EXPECT_EQ(m->header(HeaderId::Supported), "path");
  EXPECT_EQ(m->header(HeaderId::Subject), "hello");
  EXPECT_EQ(m->header(HeaderId::ContentEncoding), "gzip");
  EXPECT_EQ(m->header(HeaderId::Event), "dialog");
  EXPECT_EQ(m->header(HeaderId::AllowEvents), "refer");
  EXPECT_EQ(m->header(HeaderId::ReferTo), "<sip:b@example.com>");
  EXPECT_EQ(m->header(HeaderId::ReferredBy), "<sip:c@example.com>");
  EXPECT_EQ(m->header(HeaderId::ContentType), "text/plain");
  EXPECT_EQ(m->header("Content-Length"), "2");
  EXPECT_EQ(m->header("l"), "2");
  EXPECT_EQ(m->body(), "hi");
  EXPECT_EQ(m->headers()[0].name, "v");  // the name is kept as received
}

TEST(Parser, CompactAndLongFormsOfOneHeaderAreDuplicates) {
  EXPECT_EQ(parse_error(invite_with("i: another-call-id\nContent-Length: 0\n")),
            "400 duplicate Call-ID header");
}

TEST(Parser, LineFoldsAreLinearWhiteSpace) {
  auto m =
      Message::parse(crlf("INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0\n"
                          "TO :\n"
                          " sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n\n"
                          "from   : \"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\n"
                          "  ;\n"
                          "  tag = 98asjd8\n"
                          "Call-ID: fold-1\n"
                          "cseq: 0009\n"
                          "  INVITE\n"
                          "Via  : SIP  /   2.0\n"
                          " /UDP\n"
                          "    192.0.2.2;branch=390skdjuw\n"
                          "Subject: one\n"
                          "\ttwo\n"
                          "Contact:\n"
                          "  <sip:a@b.example.com>\n"
                          "Content-Length: 0\n\n"));
  ASSERT_TRUE(m) << m.error().reason;
  EXPECT_EQ(m->to().tag(), "1918181833n");
  EXPECT_EQ(m->from().tag(), "98asjd8");
  EXPECT_EQ(m->from().display_text(), "J Rosenberg \\\"");
  EXPECT_EQ(m->cseq().number, 9u);
  EXPECT_EQ(m->cseq().method, "INVITE");
  EXPECT_EQ(m->top_via().transport, "UDP");
  EXPECT_EQ(m->top_via().host, "192.0.2.2");
  EXPECT_EQ(m->top_via().branch(), "390skdjuw");
  EXPECT_EQ(m->header(HeaderId::Subject), "one\r\n\ttwo");
  // A value that starts on a continuation line starts at its first non-blank character.
  EXPECT_EQ(m->header(HeaderId::Contact), "<sip:a@b.example.com>");
}

TEST(Parser, FirstHeaderMayNotBeAContinuation) {
  EXPECT_EQ(parse_error(crlf("OPTIONS sip:a@b SIP/2.0\n folded: x\n\n")),
            "400 header section starts with a continuation line");
}

TEST(Parser, BareLineFeedsAndLeadingBlankLinesAreTolerated) {
  std::string lf(kInviteHead);
  lf += "Content-Length: 0\n\n";
  auto m = Message::parse("\r\n\r\n" + lf);
  ASSERT_TRUE(m) << m.error().reason;
  EXPECT_EQ(m->call_id(), "a84b4c76e66710@pc33.example.com");
  EXPECT_EQ(m->bytes(), lf);
  EXPECT_EQ(parse_error("\r\n\r\n"), "400 empty message");
}

TEST(Parser, SeveralViasInOneHeaderAndAcrossHeadersKeepTheirOrder) {
  auto m =
      Message::parse(crlf("OPTIONS sip:park.example.com SIP/2.0\n"
                          "Via: SIP/2.0/UDP first.example.com;branch=z9hG4bK1, SIP/2.0/TCP "
                          "second.example.com;branch=z9hG4bK2\n"
                          "To: <sip:park.example.com>\n"
                          "Via: SIP/2.0/TLS third.example.com;branch=z9hG4bK3 ,\n"
                          " SIP/2.0/UDP [2001:db8::4]:5070;branch=z9hG4bK4\n"
                          "From: <sip:a@example.com>;tag=1\n"
                          "Call-ID: vias\n"
                          "CSeq: 1 OPTIONS\n"
                          "Content-Length: 0\n\n"));
  ASSERT_TRUE(m) << m.error().reason;
  auto vias = m->header_values(HeaderId::Via);
  ASSERT_EQ(vias.size(), 4u);
  EXPECT_EQ(vias[0], "SIP/2.0/UDP first.example.com;branch=z9hG4bK1");
  EXPECT_EQ(vias[1], "SIP/2.0/TCP second.example.com;branch=z9hG4bK2");
  EXPECT_EQ(vias[2], "SIP/2.0/TLS third.example.com;branch=z9hG4bK3");
  EXPECT_EQ(vias[3], "SIP/2.0/UDP [2001:db8::4]:5070;branch=z9hG4bK4");
  EXPECT_EQ(m->top_via().host, "first.example.com");
  EXPECT_EQ(m->top_via().branch(), "z9hG4bK1");
}

TEST(Parser, EveryViaIsCheckedNotOnlyTheTopOne) {
  EXPECT_EQ(parse_error(invite_with("Via: SIP/2.0/UDP ok.example.com;branch=z9hG4bKa, "
                                    "SIP/2.0/UDP 192.0.2.15;;,;,,\nContent-Length: 0\n")),
            "400 Via has an empty parameter");
  EXPECT_EQ(parse_error(invite_with("Via: SIP/2.0/UDP ok.example.com;branch=z9hG4bKa,\n"
                                    "Content-Length: 0\n")),
            "400 bad Via sent-protocol");
}

TEST(Parser, ContactListsSplitAtCommasOutsideQuotesAndBrackets) {
  auto m = Message::parse(invite_with(
      "Contact: \"Doe, John\" <sip:jd@example.com>;q=0.7, sip:plain@example.com;expires=60,\n"
      "  <sip:odd,user@example.com;transport=tcp>\nContent-Length: 0\n"));
  ASSERT_TRUE(m) << m.error().reason;
  auto contacts = m->header_values(HeaderId::Contact);
  ASSERT_EQ(contacts.size(), 4u);
  EXPECT_EQ(contacts[0], "<sip:alice@pc33.example.com>");
  EXPECT_EQ(contacts[1], "\"Doe, John\" <sip:jd@example.com>;q=0.7");
  EXPECT_EQ(contacts[2], "sip:plain@example.com;expires=60");
  EXPECT_EQ(contacts[3], "<sip:odd,user@example.com;transport=tcp>");
  auto plain = parse_name_addr(contacts[2]);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->param("expires"), "60");
  EXPECT_EQ(plain->uri.params, "");  // params of an addr-spec belong to the header
}

TEST(Parser, ContactFaultsAreRejected) {
  EXPECT_EQ(parse_error(invite_with("Contact: \"Joe\" <sip:joe@example.org>;;;;\n"
                                    "Content-Length: 0\n")),
            "400 bad Contact header: address has an empty parameter");
  EXPECT_EQ(parse_error(invite_with("Contact: sip:u@example.com?Route=%3Csip:x%3E\n"
                                    "Content-Length: 0\n")),
            "400 bad Contact header: URI with headers must be enclosed in <>");
  EXPECT_EQ(parse_error(invite_with("Contact: <sip:u@example.com>;expires=4294967296\n"
                                    "Content-Length: 0\n")),
            "400 Contact expires out of range");
  EXPECT_EQ(parse_error(invite_with("Contact: *\nContent-Length: 0\n")), "parsed");
}

TEST(Parser, QuotedStringsKeepEscapesAndCommas) {
  auto m = Message::parse(invite_replacing("From:",
                                           "From: \"a \\\"quoted\\\" name, with <brackets>\" "
                                           "<sip:alice@example.com>;tag=q1"));
  ASSERT_TRUE(m) << m.error().reason;
  EXPECT_EQ(m->from().display_text(), "a \"quoted\" name, with <brackets>");
  EXPECT_EQ(m->from().tag(), "q1");
  EXPECT_EQ(parse_error(invite_replacing("To:", "To: \"Mr. J. User <sip:j.user@example.com>")),
            "400 bad To header: unterminated quoted display name");
}

TEST(Parser, MissingMandatoryHeadersAreNamed) {
  EXPECT_EQ(parse_error(invite_replacing("Via:", "")), "400 missing Via header");
  EXPECT_EQ(parse_error(invite_replacing("To:", "")), "400 missing To header");
  EXPECT_EQ(parse_error(invite_replacing("From:", "")), "400 missing From header");
  EXPECT_EQ(parse_error(invite_replacing("Call-ID:", "")), "400 missing Call-ID header");
  EXPECT_EQ(parse_error(invite_replacing("CSeq:", "")), "400 missing CSeq header");
}

TEST(Parser, SingleValuedHeadersMayNotRepeat) {
  for (std::string_view line :
       {"To: <sip:other@example.net>", "From: <sip:x@example.net>;tag=2", "Call-ID: second",
        "CSeq: 5 INVITE", "Max-Forwards: 5", "Expires: 5", "Content-Type: text/plain"}) {
    auto twice = std::string(line) + "\n" + std::string(line) + "\nContent-Length: 0\n";
    auto name = std::string(line.substr(0, line.find(':')));
    EXPECT_EQ(parse_error(invite_with(twice)), "400 duplicate " + name + " header") << line;
  }
  // Headers that may appear many times.
  EXPECT_EQ(
      parse_error(invite_with("Route: <sip:p1.example.com;lr>\nRoute: <sip:p2.example.com;lr>\n"
                              "Contact: <sip:b@example.com>\nContent-Length: 0\n")),
      "parsed");
}

TEST(Parser, CSeqNumberMustStayBelowTwoToThe31) {
  EXPECT_EQ(parse_error(invite_replacing("CSeq:", "CSeq: 2147483647 INVITE")), "parsed");
  EXPECT_EQ(parse_error(invite_replacing("CSeq:", "CSeq: 2147483648 INVITE")),
            "400 CSeq number missing or above 2^31");
  EXPECT_EQ(parse_error(invite_replacing("CSeq:", "CSeq: 36893488147419103232 INVITE")),
            "400 CSeq number missing or above 2^31");
  EXPECT_EQ(parse_error(invite_replacing("CSeq:", "CSeq: 0 INVITE")), "parsed");
  EXPECT_EQ(parse_error(invite_replacing("CSeq:", "CSeq: -1 INVITE")),
            "400 CSeq number missing or above 2^31");
  EXPECT_EQ(parse_error(invite_replacing("CSeq:", "CSeq: INVITE")),
            "400 CSeq number missing or above 2^31");
  EXPECT_EQ(parse_error(invite_replacing("CSeq:", "CSeq: 5")),
            "400 CSeq needs a space before its method");
  EXPECT_EQ(parse_error(invite_replacing("CSeq:", "CSeq: 5INVITE")),
            "400 CSeq needs a space before its method");
  EXPECT_EQ(parse_error(invite_replacing("CSeq:", "CSeq: 5 INVITE extra")), "400 bad CSeq method");
}

TEST(Parser, CSeqMethodMustMatchTheRequestMethodExactly) {
  EXPECT_EQ(parse_error(invite_replacing("CSeq:", "CSeq: 1 ACK")),
            "400 CSeq method does not match the request method");
  EXPECT_EQ(parse_error(invite_replacing("CSeq:", "CSeq: 1 invite")),  // methods are case-sensitive
            "400 CSeq method does not match the request method");
}

TEST(Parser, ScalarRangesOfOtherHeaders) {
  EXPECT_EQ(parse_error(invite_replacing("Max-Forwards:", "Max-Forwards: 255")), "parsed");
  EXPECT_EQ(parse_error(invite_replacing("Max-Forwards:", "Max-Forwards: 300")),
            "400 Max-Forwards out of range");
  EXPECT_EQ(parse_error(invite_replacing("Max-Forwards:", "Max-Forwards: many")),
            "400 Max-Forwards out of range");
  EXPECT_EQ(parse_error(invite_with("Expires: 4294967295\nContent-Length: 0\n")), "parsed");
  EXPECT_EQ(parse_error(invite_with("Expires: 10000000000000000000000\nContent-Length: 0\n")),
            "400 Expires out of range");
}

TEST(Parser, CallIdIsOneWord) {
  EXPECT_EQ(parse_error(invite_replacing("Call-ID:", "Call-ID: two words")), "400 bad Call-ID");
  EXPECT_EQ(parse_error(invite_replacing("Call-ID:", "Call-ID:")), "400 bad Call-ID");
  EXPECT_EQ(parse_error(invite_replacing("Call-ID:", "Call-ID: w%ZK-!.*_+'@word`~)(><:\\/\"][?}{")),
            "parsed");
}

TEST(Parser, HeaderLineFaultsAreNamed) {
  EXPECT_EQ(parse_error(invite_with("No colon here\n")), "400 header line without a colon");
  EXPECT_EQ(parse_error(invite_with("Bad Name: x\n")), "400 bad header name");
  EXPECT_EQ(parse_error(invite_with(": empty name\n")), "400 bad header name");
  auto unterminated = crlf(std::string(kInviteHead));
  EXPECT_EQ(parse_error(unterminated), "400 header section not terminated");
}

TEST(Parser, BadFromAndToAreNamed) {
  EXPECT_EQ(parse_error(invite_replacing("From:", "From: Bell, Alexander <sip:a@example.com>")),
            "400 bad From header: display name has characters that need quotes");
  EXPECT_EQ(parse_error(invite_replacing("To:", "To: <sip:a@example.com")),
            "400 bad To header: '<' without '>' around the URI");
  EXPECT_EQ(parse_error(invite_replacing("To:", "To: <sip:a@example.com> junk")),
            "400 bad To header: stray text after the address");
}

TEST(Parser, ContentLengthAbsentOnADatagramMeansTheRestIsTheBody) {
  auto m = Message::parse(invite_with("", "v=0\r\nbody bytes"));
  ASSERT_TRUE(m) << m.error().reason;
  EXPECT_EQ(m->body(), "v=0\r\nbody bytes");
}

TEST(Parser, ContentLengthLargerThanTheBytesIsAnError) {
  EXPECT_EQ(parse_error(invite_with("Content-Length: 9999\n", "v=0\r\n")),
            "400 Content-Length larger than the message");
  EXPECT_EQ(parse_error(invite_with("Content-Length: 6\n", "v=0\r\n")),
            "400 Content-Length larger than the message");
  EXPECT_EQ(parse_error(invite_with("Content-Length: 5\n", "v=0\r\n")), "parsed");
}

TEST(Parser, ContentLengthSmallerThanTheBytesIgnoresTheRest) {
  auto bytes = invite_with("Content-Length: 3\n", "v=0\r\nINVITE sip:junk SIP/2.0\r\n");
  auto m = Message::parse(bytes);
  ASSERT_TRUE(m) << m.error().reason;
  EXPECT_EQ(m->body(), "v=0");
  EXPECT_EQ(m->bytes(), bytes.substr(0, bytes.find("v=0") + 3));
}

TEST(Parser, ContentLengthMustBeOneNonNegativeNumber) {
  EXPECT_EQ(parse_error(invite_with("Content-Length: -999\n", "v=0\r\n")),
            "400 negative Content-Length");
  EXPECT_EQ(parse_error(invite_with("Content-Length: ten\n")), "400 bad Content-Length");
  EXPECT_EQ(parse_error(invite_with("Content-Length:\n")), "400 bad Content-Length");
  EXPECT_EQ(parse_error(invite_with("Content-Length: 5 5\n", "hello")), "400 bad Content-Length");
  EXPECT_EQ(parse_error(invite_with("Content-Length: 13\nl: 5\n", "hello, world!")),
            "400 duplicate Content-Length header");
  EXPECT_EQ(parse_error(invite_with("Content-Length: 5\nContent-Length: 5\n", "hello")),
            "400 duplicate Content-Length header");
  auto folded = Message::parse(invite_with("Content-Length:\n   0005\n", "hello"));
  ASSERT_TRUE(folded) << folded.error().reason;
  EXPECT_EQ(folded->body(), "hello");
}

TEST(Parser, BodyMayHoldNulAndBareLineEnds) {
  std::string body("a\0b\rc\nd\r\n\r\ne", 11);
  auto m = Message::parse(invite_with("Content-Length: 11\n", body));
  ASSERT_TRUE(m) << m.error().reason;
  EXPECT_EQ(m->body(), body);
}

TEST(Parser, TooManyHeaderFieldsAreRefused) {
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "X-H: " + std::to_string(i) + "\n";
  EXPECT_EQ(parse_error(invite_with(many)), "400 too many header fields");
}

TEST(FrameStream, WaitsForTheEndOfTheHeaderSection) {
  auto bytes = invite_with("Content-Length: 4\n", "v=0\n");
  auto partial = frame_stream(bytes.substr(0, 40));
  ASSERT_TRUE(partial);
  EXPECT_FALSE(*partial);
  auto full = frame_stream(bytes);
  ASSERT_TRUE(full && *full);
  EXPECT_EQ((*full)->size, bytes.size());
  auto two = frame_stream(bytes + bytes);
  ASSERT_TRUE(two && *two);
  EXPECT_EQ((*two)->size, bytes.size());
}

TEST(FrameStream, MissingContentLengthFramesAnEmptyBody) {
  auto bytes = invite_with("");
  auto frame = frame_stream(bytes + "junk");
  ASSERT_TRUE(frame && *frame);
  EXPECT_EQ((*frame)->size, bytes.size());
}

TEST(FrameStream, ReadsCompactFoldedAndSpacedContentLength) {
  for (std::string_view line : {"l: 4\n", "CONTENT-LENGTH  : 4\n", "Content-Length:\n  4\n"}) {
    auto bytes = invite_with(line, "v=0\n");
    auto frame = frame_stream(bytes + "more");
    ASSERT_TRUE(frame && *frame) << line;
    EXPECT_EQ((*frame)->size, bytes.size()) << line;
  }
}

TEST(FrameStream, IgnoresContentLengthLookalikesInContinuationLines) {
  auto bytes = invite_with("Subject: folded\n l: 99\nContent-Length: 4\n", "v=0\n");
  auto frame = frame_stream(bytes);
  ASSERT_TRUE(frame && *frame);
  EXPECT_EQ((*frame)->size, bytes.size());
  ASSERT_TRUE(Message::parse(bytes));
}

TEST(FrameStream, RejectsContentLengthThatCannotFrame) {
  auto negative = frame_stream(invite_with("Content-Length: -1\n"));
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().reason, "negative Content-Length");
  auto conflict = frame_stream(invite_with("Content-Length: 13\nl: 5\n"));
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().reason, "conflicting Content-Length headers");
  auto garbage = frame_stream(invite_with("Content-Length: 0x10\n"));
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().reason, "bad Content-Length");
}

}  // namespace
}  // namespace orbit::sip
