// RFC 4475 torture messages through Message::parse: one table row per file of tests/sip-torture.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "sip/message.hpp"
#include "sip/message_builder.hpp"

#ifndef ORBIT_SOURCE_DIR
#define ORBIT_SOURCE_DIR "/work/main"
#endif

namespace orbit::sip {
namespace {

const std::string kCorpus = std::string(ORBIT_SOURCE_DIR) + "/tests/sip-torture/rfc4475/";

// The bytes exactly as stored (RFC 4475 messages are not to be normalised).
std::string read_message(std::string_view file) {
  std::ifstream in(kCorpus + std::string(file), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

enum class Outcome {
  Parses,     // the RFC asks that the message be accepted
  Tolerated,  // the RFC allows either rejection or acceptance; Orbit accepts
  Rejected,   // the parser refuses it with `status` and `reason`
};

struct Row {
  std::string_view file;
  std::string_view expect;  // the `expect` column of MANIFEST.tsv
  Outcome outcome;
  int status;  // when rejected
  std::string_view reason;
};

constexpr Outcome kParses = Outcome::Parses;
constexpr Outcome kTolerated = Outcome::Tolerated;
constexpr Outcome kRejected = Outcome::Rejected;

constexpr Row parses(std::string_view file, std::string_view expect) {
  return {file, expect, kParses, 0, {}};
}
// An `invalid` message that the RFC lets an element accept, and Orbit does.
constexpr Row tolerated(std::string_view file) {
  return {file, "invalid", kTolerated, 0, {}};
}
constexpr Row rejected(std::string_view file, std::string_view expect, int status,
                       std::string_view reason) {
  return {file, expect, kRejected, status, reason};
}

// What Orbit's parser does with each message; the application layer judges what parses.
constexpr std::array kRows{
    // §3.1.1 valid: must parse.
    // Folding everywhere, odd spacing and case, unknown headers and params, leading zeros.
    parses("wsinv.dat", "valid"),
    // Every rare legal character in method, URI user/password, tokens; quoted NUL; UTF-8.
    parses("intmeth.dat", "valid"),
    // %HH escapes in Request-URI, To/From users and Contact params; unescaped once by unescape().
    parses("esc01.dat", "valid"),
    // %00 in user parts: parsed, unescape() keeps the NUL, the two Contacts stay distinct.
    parses("escnull.dat", "valid"),
    // '%' that is no escape in method, branch, display name and the unknown header "C%6Fntact".
    parses("esc02.dat", "valid"),
    // No space between a display-name token and '<'.
    parses("lwsdisp.dat", "valid"),
    // Long values, 34 Via entries in every case of "Via" and "v", long tag and Call-ID.
    parses("longreq.dat", "valid"),
    // A REGISTER with Content-Length 0 and an INVITE after it in one datagram: the rest is ignored.
    parses("dblreq.dat", "valid"),
    // ';' inside the Request-URI user part.
    parses("semiuri.dat", "valid"),
    // Known and unknown transport tokens in Via.
    parses("transports.dat", "valid"),
    // Multipart body with NUL and bare CR/LF, framed by Content-Length.
    parses("mpart01.dat", "valid"),
    // UTF-8 reason phrase.
    parses("unreason.dat", "valid"),
    // Empty reason phrase after "100 ".
    parses("noreason.dat", "valid"),

    // §3.1.2 invalid: rejected with the status the RFC asks (a response is then dropped).
    // ";;,;,," in Via: the first empty parameter is named.
    rejected("badinv01.dat", "invalid", 400, "Via has an empty parameter"),
    // Content-Length 9999 beyond the datagram.
    rejected("clerr.dat", "invalid", 400, "Content-Length larger than the message"),
    // Content-Length -999.
    rejected("ncl.dat", "invalid", 400, "negative Content-Length"),
    // CSeq 2^65 (also Max-Forwards 300, Expires 10^100, expires param 2^48: each tested below).
    rejected("scalar02.dat", "invalid", 400, "CSeq number missing or above 2^31"),
    // A response with a huge CSeq: rejected, so the transport drops it silently.
    rejected("scalarlg.dat", "invalid", 400, "CSeq number missing or above 2^31"),
    // Unterminated quote in To; the RFC allows careful inference, Orbit does not guess.
    rejected("quotbal.dat", "invalid", 400, "bad To header: unterminated quoted display name"),
    // Request-URI in <>; a lenient element may strip them, Orbit refuses.
    rejected("ltgtruri.dat", "invalid", 400, "Request-URI enclosed in <>"),
    // "sip:user@example.com; lr" in the Request-Line.
    rejected("lwsruri.dat", "invalid", 400, "whitespace inside the Request-URI"),
    // May tolerate: several SPs between Request-Line elements are unambiguous; Orbit accepts.
    tolerated("lwsstart.dat"),
    // May tolerate: SPs after SIP/2.0 on the Request-Line; Orbit accepts.
    tolerated("trws.dat"),
    // ?Route= in the Request-URI: 400 or ignore; Orbit refuses, so it can never forward them.
    rejected("escruri.dat", "invalid", 400, "Request-URI has headers"),
    // May tolerate: a non-GMT Date matters only to whoever reads Date; Orbit does not, accepts.
    tolerated("baddate.dat"),
    // Contact addr-spec with ?headers and no <>; the RFC allows inferring them, Orbit refuses.
    rejected("regbadct.dat", "invalid", 400,
             "bad Contact header: URI with headers must be enclosed in <>"),
    // May tolerate: spaces inside <> around the To URI; Orbit ignores them and accepts.
    tolerated("badaspec.dat"),
    // Unquoted "Bell, Alexander": 400. The stored file also lacks the empty line ending its
    // header section, which is found first; with it the display name is named (test below).
    rejected("baddn.dat", "invalid", 400, "header section not terminated"),
    // SIP/7.0.
    rejected("badvers.dat", "invalid", 505, "SIP version not supported"),
    // CSeq INVITE on an OPTIONS.
    rejected("mismatch01.dat", "invalid", 400, "CSeq method does not match the request method"),
    // Unknown method with a CSeq mismatch: 501 is preferred but 400 is acceptable; the parser
    // sees the mismatch first.
    rejected("mismatch02.dat", "invalid", 400, "CSeq method does not match the request method"),
    // Status 4294967301: rejected, so the response is dropped.
    rejected("bigcode.dat", "invalid", 400, "status code out of range"),

    // §3.2 transaction: the parser accepts; bare z9hG4bK is not an RFC 3261 branch.
    parses("badbranch.dat", "transaction"),

    // §3.3 application: parsed and judged by the application, except the three framing and
    // mandatory-header faults that the parser must catch.
    // No Call-ID, From or To: 400 naming the first missing one.
    rejected("insuf.dat", "application", 400, "missing Call-ID header"),
    // Unknown Request-URI scheme: parses as an opaque URI; the application answers 416.
    parses("unkscm.dat", "application"),
    // soap.beep Request-URI: parses as an opaque URI; the application answers 416.
    parses("novelsc.dat", "application"),
    // isbn:, http:, name: URIs in To, From, Contact: parse; a registrar answers 400.
    parses("unksm2.dat", "application"),
    // Unknown Require / Proxy-Require: parses; the application answers 420.
    parses("bext01.dat", "application"),
    // Unknown body type: parses; the UAS answers 415.
    parses("invut.dat", "application"),
    // Unknown Authorization scheme: parses; the registrar ignores it or challenges.
    parses("regaut01.dat", "application"),
    // Repeated single-value headers: the first duplicate (CSeq) is named.
    rejected("multi01.dat", "application", 400, "duplicate CSeq header"),
    // Two Content-Length values: framing error.
    rejected("mcl01.dat", "application", 400, "duplicate Content-Length header"),
    // Via sent-by 255.255.255.255 in a response: parses; the transport never sends there.
    parses("bcast.dat", "application"),
    // Max-Forwards 0: parses; a proxy answers 483, a UAS handles it.
    parses("zeromf.dat", "application"),
    // Unknown contact-param on an addr-spec Contact: a header parameter, not a URI one.
    parses("cparam01.dat", "application"),
    // Unknown uri-param inside <>: stays in the URI.
    parses("cparam02.dat", "application"),
    // Escaped Route header inside a bracketed Contact URI: kept as received.
    parses("regescrt.dat", "application"),
    // Accept without application/sdp: parses; the UAS answers 406.
    parses("sdp01.dat", "application"),

    // §3.4 backward compatibility: RFC 2543 INVITE without branch, From tag, Content-Length
    // or Max-Forwards; the body is the rest of the datagram.
    parses("inv2543.dat", "backward"),
};

std::string describe(Outcome outcome) {
  switch (outcome) {
    case Outcome::Parses:
      return "parses";
    case Outcome::Tolerated:
      return "tolerated";
    case Outcome::Rejected:
      return "rejected";
  }
  return "?";
}

TEST(Rfc4475Manifest, EveryFileHasOneRowOfTheSameCategory) {
  std::ifstream manifest(kCorpus + "MANIFEST.tsv", std::ios::binary);
  ASSERT_TRUE(manifest) << kCorpus;
  std::map<std::string, std::string> expected;
  std::string line;
  std::getline(manifest, line);  // column names
  while (std::getline(manifest, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string file, section, expect;
    std::getline(fields, file, '\t');
    std::getline(fields, section, '\t');
    std::getline(fields, expect, '\t');
    expected[file] = expect;
  }
  EXPECT_EQ(expected.size(), 49u);
  EXPECT_EQ(kRows.size(), expected.size());
  for (const auto& row : kRows) {
    auto it = expected.find(std::string(row.file));
    ASSERT_NE(it, expected.end()) << row.file << " is not in MANIFEST.tsv";
    EXPECT_EQ(it->second, row.expect) << row.file;
    // Only `invalid` rows may be tolerated, and `valid`/`backward` rows must parse.
    if (row.expect == "valid" || row.expect == "backward") {
      EXPECT_EQ(row.outcome, kParses) << row.file;
    }
    if (row.outcome == kTolerated) {
      EXPECT_EQ(row.expect, "invalid") << row.file;
    }
  }
}

class Rfc4475 : public testing::TestWithParam<Row> {};

TEST_P(Rfc4475, ParserOutcome) {
  const Row& row = GetParam();
  auto bytes = read_message(row.file);
  ASSERT_FALSE(bytes.empty()) << kCorpus << row.file;
  auto m = Message::parse(bytes);
  if (row.outcome == kRejected) {
    ASSERT_FALSE(m) << row.file << " parsed but should be rejected";
    EXPECT_EQ(m.error().status, row.status) << row.file;
    EXPECT_EQ(m.error().reason, row.reason) << row.file;
  } else {
    ASSERT_TRUE(m) << row.file << " (" << describe(row.outcome) << "): " << m.error().status << " "
                   << m.error().reason;
  }
}

INSTANTIATE_TEST_SUITE_P(Torture, Rfc4475, testing::ValuesIn(kRows),
                         [](const testing::TestParamInfo<Row>& param) {
                           auto file = param.param.file;
                           return std::string(file.substr(0, file.find('.')));
                         });

Message parse_file(std::string_view file) {
  auto m = Message::parse(read_message(file));
  EXPECT_TRUE(m) << file << ": " << m.error().reason;
  if (!m) std::abort();
  return std::move(*m);
}

std::string parse_error(std::string_view bytes) {
  auto m = Message::parse(bytes);
  return m ? "parsed" : std::to_string(m.error().status) + " " + m.error().reason;
}

TEST(Rfc4475Detail, WsinvReadsThroughTheFolds) {
  auto m = parse_file("wsinv.dat");
  EXPECT_EQ(m.request_uri().param("unknownparam"), "");
  EXPECT_EQ(m.to().tag(), "1918181833n");
  EXPECT_EQ(m.from().tag(), "98asjd8");
  EXPECT_EQ(m.from().display_text(), "J Rosenberg \\\"");
  EXPECT_EQ(m.max_forwards(), 68u);
  EXPECT_EQ(m.cseq().number, 9u);
  EXPECT_EQ(m.cseq().method, "INVITE");
  auto vias = m.header_values(HeaderId::Via);
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(m.top_via().host, "192.0.2.2");
  EXPECT_EQ(parse_via(vias[1])->branch(), "z9hG4bK9ikj8");
  EXPECT_EQ(parse_via(vias[2])->branch(), "z9hG4bK30239");
  EXPECT_EQ(m.header(HeaderId::Subject), "");
  EXPECT_EQ(m.header("UnknownHeaderWithUnusualValue"), ";;,,;;,;");
  auto contact = parse_name_addr(m.header_values(HeaderId::Contact).at(0));
  ASSERT_TRUE(contact);
  EXPECT_EQ(contact->display_text(), "Quoted string \"\"");
  EXPECT_EQ(contact->param("newparam"), "newvalue");
  EXPECT_EQ(contact->param("q"), "0.33");
  EXPECT_EQ(m.body().size(), 150u);
}

TEST(Rfc4475Detail, IntmethKeepsRareCharacters) {
  auto m = parse_file("intmeth.dat");
  EXPECT_EQ(m.method(), "!interesting-Method0123456789_*+`.%indeed'~");
  EXPECT_EQ(m.cseq().method, m.method());
  EXPECT_EQ(m.request_uri().user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(m.request_uri().password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  EXPECT_EQ(m.request_uri().host, "example.com");
  EXPECT_EQ(m.to().display_text(), std::string_view("BEL:\x07 NUL:\0 DEL:\x7f", 17));
  EXPECT_EQ(m.to().uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(m.from().display_name, "token1~` token2'+_ token3*%!.-");
  EXPECT_EQ(m.from().tag(), "_token~1'+`*%!-.");
  EXPECT_EQ(m.call_id(), "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
  EXPECT_EQ(m.top_via().branch(), "z9hG4bK-.!%66*_+`'~");
  EXPECT_EQ(m.header("extensionHeader-!.%*+_`'~"),
            "\xEF\xBB\xBF\xE5\xA4\xA7\xE5\x81\x9C\xE9\x9B\xBB");
}

TEST(Rfc4475Detail, Esc01UnescapesExactlyOnce) {
  auto m = parse_file("esc01.dat");
  EXPECT_EQ(m.request_uri().user, "sips%3Auser%40example.com");
  EXPECT_EQ(unescape(m.request_uri().user), "sips:user@example.com");
  EXPECT_EQ(m.request_uri().host, "example.net");
  EXPECT_EQ(unescape(m.to().uri.user), "user");
  EXPECT_EQ(unescape(m.from().uri.user), "I have spaces");
  auto contact = parse_name_addr(m.header_values(HeaderId::Contact).at(0));
  ASSERT_TRUE(contact);
  EXPECT_EQ(unescape(contact->uri.user), "caller");
  EXPECT_EQ(unescape(contact->uri.params), ";lr;name=value%41");
}

TEST(Rfc4475Detail, EscnullKeepsNulsAndTwoDistinctContacts) {
  auto m = parse_file("escnull.dat");
  EXPECT_EQ(unescape(m.to().uri.user), std::string("null-\0-null", 11));
  EXPECT_EQ(unescape(m.from().uri.user), std::string("null-\0-null", 11));
  auto contacts = m.header_values(HeaderId::Contact);
  ASSERT_EQ(contacts.size(), 2u);
  auto first = parse_name_addr(contacts[0]);
  auto second = parse_name_addr(contacts[1]);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(unescape(first->uri.user), std::string(1, '\0'));
  EXPECT_EQ(unescape(second->uri.user), std::string(2, '\0'));
  EXPECT_NE(unescape(first->uri.user), unescape(second->uri.user));
}

TEST(Rfc4475Detail, Esc02PercentThatIsNoEscape) {
  auto m = parse_file("esc02.dat");
  EXPECT_EQ(m.method(), "RE%47IST%45R");  // not REGISTER: the UAS answers 501
  EXPECT_EQ(m.to().display_text(), "%Z%45");
  EXPECT_EQ(m.top_via().branch(), "z9hG4bK209%fzsnel234");
  EXPECT_EQ(m.header_values(HeaderId::Contact).size(), 2u);  // "C%6Fntact" is another header
  EXPECT_EQ(m.header("C%6Fntact"), "<sip:alias2@host2.example.com>");
}

TEST(Rfc4475Detail, LongreqKeepsEveryVia) {
  auto m = parse_file("longreq.dat");
  auto vias = m.header_values(HeaderId::Via);
  EXPECT_EQ(vias.size(), 34u);
  EXPECT_EQ(m.top_via().host, "sip33.example.com");
  EXPECT_EQ(m.from().tag().size(), 155u);
  EXPECT_EQ(m.body().size(), 150u);
}

TEST(Rfc4475Detail, DblreqIgnoresTheSecondRequest) {
  auto bytes = read_message("dblreq.dat");
  auto m = parse_file("dblreq.dat");
  EXPECT_EQ(m.method(), "REGISTER");
  EXPECT_EQ(m.body(), "");
  EXPECT_EQ(m.bytes().size(), bytes.find("\r\n\r\n") + 4);
  EXPECT_EQ(m.bytes().find("INVITE"), std::string_view::npos);
}

TEST(Rfc4475Detail, SemiuriUserHoldsTheSemicolon) {
  auto m = parse_file("semiuri.dat");
  EXPECT_EQ(m.request_uri().user, "user;par=u%40example.net");
  EXPECT_EQ(m.request_uri().host, "example.com");
  EXPECT_EQ(m.request_uri().params, "");
}

TEST(Rfc4475Detail, TransportsInOrder) {
  auto m = parse_file("transports.dat");
  std::vector<std::string_view> transports;
  for (auto v : m.header_values(HeaderId::Via)) transports.push_back(parse_via(v)->transport);
  EXPECT_EQ(transports, (std::vector<std::string_view>{"UDP", "SCTP", "TLS", "UNKNOWN", "TCP"}));
}

TEST(Rfc4475Detail, Mpart01BodyIsFramedByContentLength) {
  auto m = parse_file("mpart01.dat");
  EXPECT_EQ(m.body().size(), 553u);
  EXPECT_NE(m.body().find('\0'), std::string_view::npos);
}

TEST(Rfc4475Detail, ReasonPhrases) {
  EXPECT_EQ(parse_file("noreason.dat").reason(), "");
  auto unreason = parse_file("unreason.dat");
  EXPECT_EQ(unreason.status(), 200);
  EXPECT_TRUE(unreason.reason().starts_with("= 2**3 * 5**2 "));
}

TEST(Rfc4475Detail, BaddnWithItsHeaderSectionClosedNamesTheDisplayName) {
  auto bytes = read_message("baddn.dat");
  ASSERT_EQ(bytes.size(), 331u);  // as stored: no empty line after the last header
  EXPECT_EQ(parse_error(bytes + "\r\n"),
            "400 bad From header: display name has characters that need quotes");
}

TEST(Rfc4475Detail, Scalar02EveryScalarIsChecked) {
  auto bytes = read_message("scalar02.dat");
  auto fixed = [&](std::string_view from, std::string_view to) {
    auto at = bytes.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    bytes.replace(at, from.size(), to);
  };
  fixed("36893488147419103232 REGISTER", "1 REGISTER");
  EXPECT_EQ(parse_error(bytes), "400 Max-Forwards out of range");
  fixed("Max-Forwards: 300", "Max-Forwards: 70");
  EXPECT_EQ(parse_error(bytes), "400 Expires out of range");
  fixed("Expires: 1000000000000", "Expires: 1");
  fixed("Expires: 10", "Expires: 1");
  bytes.erase(bytes.find("Expires: 1") + 10,
              bytes.find("\r\n", bytes.find("Expires: 1")) - bytes.find("Expires: 1") - 10);
  EXPECT_EQ(parse_error(bytes), "400 Contact expires out of range");
  fixed("expires=280297596632815", "expires=3600");
  EXPECT_EQ(parse_error(bytes), "parsed");
}

TEST(Rfc4475Detail, FramingErrorsOnAStream) {
  // mcl01: two different Content-Length values cannot frame a stream.
  auto conflict = frame_stream(read_message("mcl01.dat"));
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().reason, "conflicting Content-Length headers");
  // ncl: a negative length cannot frame either.
  auto negative = frame_stream(read_message("ncl.dat"));
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().reason, "negative Content-Length");
  // clerr: on a stream the frame extends past the bytes, so the transport waits for more.
  auto clerr = read_message("clerr.dat");
  auto wait = frame_stream(clerr);
  ASSERT_TRUE(wait && *wait);
  EXPECT_GT((*wait)->size, clerr.size());
}

TEST(Rfc4475Detail, BadbranchIsLeftToTheTransactionLayer) {
  auto m = parse_file("badbranch.dat");
  EXPECT_EQ(m.top_via().branch(), "z9hG4bK");
  EXPECT_FALSE(m.top_via().has_rfc3261_branch());
}

TEST(Rfc4475Detail, UnknownSchemesAreOpaque) {
  auto unkscm = parse_file("unkscm.dat");
  EXPECT_EQ(unkscm.request_uri().scheme, "nobodyKnowsThisScheme");
  EXPECT_FALSE(unkscm.request_uri().is_sip());
  EXPECT_EQ(unkscm.request_uri().opaque, "totallyopaquecontent");
  auto novelsc = parse_file("novelsc.dat");
  EXPECT_EQ(novelsc.request_uri().scheme, "soap.beep");
  auto unksm2 = parse_file("unksm2.dat");
  EXPECT_EQ(unksm2.to().uri.scheme, "isbn");
  EXPECT_EQ(unksm2.from().uri.scheme, "http");
  EXPECT_EQ(unksm2.from().tag(), "3234233");
  EXPECT_EQ(parse_name_addr(unksm2.header_values(HeaderId::Contact).at(0))->uri.scheme, "name");
}

TEST(Rfc4475Detail, ApplicationMattersAreVisibleToTheApplication) {
  EXPECT_EQ(parse_file("bext01.dat").header_values(HeaderId::Require),
            (std::vector<std::string_view>{"nothingSupportsThis", "nothingSupportsThisEither"}));
  EXPECT_EQ(parse_file("invut.dat").header(HeaderId::ContentType), "application/unknownformat");
  EXPECT_EQ(parse_file("regaut01.dat").header(HeaderId::Authorization),
            "NoOneKnowsThisScheme opaque-data=here");
  EXPECT_EQ(parse_file("bcast.dat").header_values(HeaderId::Via).at(1),
            "SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23");
  EXPECT_EQ(parse_file("zeromf.dat").max_forwards(), 0u);
  EXPECT_EQ(parse_file("sdp01.dat").header(HeaderId::Accept), "text/nobodyKnowsThis");
}

TEST(Rfc4475Detail, ContactParamsLandWhereTheGrammarPutsThem) {
  auto cparam01 =
      parse_name_addr(parse_file("cparam01.dat").header_values(HeaderId::Contact).at(0));
  ASSERT_TRUE(cparam01);
  EXPECT_EQ(cparam01->param("unknownparam"), "");
  EXPECT_EQ(cparam01->uri.param("unknownparam"), std::nullopt);
  auto cparam02 =
      parse_name_addr(parse_file("cparam02.dat").header_values(HeaderId::Contact).at(0));
  ASSERT_TRUE(cparam02);
  EXPECT_EQ(cparam02->param("unknownparam"), std::nullopt);
  EXPECT_EQ(cparam02->uri.param("unknownparam"), "");
  auto regescrt =
      parse_name_addr(parse_file("regescrt.dat").header_values(HeaderId::Contact).at(0));
  ASSERT_TRUE(regescrt);
  EXPECT_EQ(regescrt->uri.headers, "Route=%3Csip:sip.example.com%3E");
}

TEST(Rfc4475Detail, Inv2543WithoutRfc3261Decorations) {
  auto m = parse_file("inv2543.dat");
  EXPECT_EQ(m.top_via().branch(), "");
  EXPECT_FALSE(m.top_via().has_rfc3261_branch());
  EXPECT_EQ(m.from().tag(), "");
  EXPECT_EQ(m.max_forwards(), std::nullopt);
  EXPECT_EQ(m.header(HeaderId::ContentLength), std::nullopt);
  auto bytes = read_message("inv2543.dat");
  EXPECT_EQ(m.body(), std::string_view(bytes).substr(bytes.find("\r\n\r\n") + 4));
}

// Every message that parses serialises to one that re-parses to the same essentials.
TEST(Rfc4475RoundTrip, SerializedMessagesReparse) {
  int round_trips = 0;
  for (const auto& row : kRows) {
    auto original = Message::parse(read_message(row.file));
    if (!original) continue;
    auto text = serialize(*original);
    auto copy = Message::parse(text);
    ASSERT_TRUE(copy) << row.file << ": " << copy.error().reason;
    EXPECT_EQ(copy->method(), original->method()) << row.file;
    EXPECT_EQ(copy->request_uri().raw, original->request_uri().raw) << row.file;
    EXPECT_EQ(copy->status(), original->status()) << row.file;
    EXPECT_EQ(copy->call_id(), original->call_id()) << row.file;
    EXPECT_EQ(copy->cseq().number, original->cseq().number) << row.file;
    EXPECT_EQ(copy->cseq().method, original->cseq().method) << row.file;
    EXPECT_EQ(copy->from().tag(), original->from().tag()) << row.file;
    EXPECT_EQ(copy->to().tag(), original->to().tag()) << row.file;
    EXPECT_EQ(copy->top_via().branch(), original->top_via().branch()) << row.file;
    EXPECT_EQ(copy->header_values(HeaderId::Via), original->header_values(HeaderId::Via))
        << row.file;
    EXPECT_EQ(copy->body(), original->body()) << row.file;
    ++round_trips;
  }
  EXPECT_EQ(round_trips, 31);  // every row but the 18 rejected ones
}

}  // namespace
}  // namespace orbit::sip
