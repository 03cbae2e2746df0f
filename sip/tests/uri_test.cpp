// parse_uri, unescape and parameter lists: sip/sips (RFC 3261 §19.1), tel (RFC 3966), others.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "sip/uri.hpp"

namespace orbit::sip {
namespace {

std::string uri_error(std::string_view text) {
  auto uri = parse_uri(text);
  return uri ? "parsed" : uri.error();
}

TEST(Uri, SipUriWithEveryPart) {
  auto uri = parse_uri("sip:alice:secret@atlanta.example.com:5070;transport=tcp;lr?subject=hi&x=y");
  ASSERT_TRUE(uri) << uri.error();
  EXPECT_TRUE(uri->is_sip());
  EXPECT_FALSE(uri->is_sips());
  EXPECT_FALSE(uri->is_tel());
  EXPECT_EQ(uri->scheme, "sip");
  EXPECT_EQ(uri->user, "alice");
  EXPECT_EQ(uri->password, "secret");
  EXPECT_EQ(uri->host, "atlanta.example.com");
  EXPECT_EQ(uri->port, 5070);
  EXPECT_EQ(uri->params, ";transport=tcp;lr");
  EXPECT_EQ(uri->headers, "subject=hi&x=y");
  EXPECT_EQ(uri->param("transport"), "tcp");
  EXPECT_EQ(uri->param("TRANSPORT"), "tcp");  // parameter names are case-insensitive
  EXPECT_EQ(uri->param("lr"), "");            // a flag has an empty value
  EXPECT_EQ(uri->param("maddr"), std::nullopt);
}

TEST(Uri, HostOnlyAndSchemeCase) {
  auto uri = parse_uri("SIPS:park.example.com");
  ASSERT_TRUE(uri) << uri.error();
  EXPECT_TRUE(uri->is_sip());
  EXPECT_TRUE(uri->is_sips());
  EXPECT_EQ(uri->user, "");
  EXPECT_EQ(uri->host, "park.example.com");
  EXPECT_EQ(uri->port, std::nullopt);
  EXPECT_EQ(uri->raw, "SIPS:park.example.com");
}

TEST(Uri, Ipv6ReferenceKeepsItsBrackets) {
  auto uri = parse_uri("sip:701@[2001:db8::10]:5061;maddr=[2001:db8::1]");
  ASSERT_TRUE(uri) << uri.error();
  EXPECT_EQ(uri->host, "[2001:db8::10]");
  EXPECT_EQ(uri->port, 5061);
  EXPECT_EQ(uri->param("maddr"), "[2001:db8::1]");
  auto bare = parse_uri("sips:[::ffff:192.0.2.1]");
  ASSERT_TRUE(bare) << bare.error();
  EXPECT_EQ(bare->host, "[::ffff:192.0.2.1]");
  EXPECT_EQ(bare->port, std::nullopt);
}

TEST(Uri, Ipv6FaultsAreNamed) {
  EXPECT_EQ(uri_error("sip:[2001:db8::10"), "unterminated IPv6 reference in URI host");
  EXPECT_EQ(uri_error("sip:[]"), "unterminated IPv6 reference in URI host");
  EXPECT_EQ(uri_error("sip:[2001:db8::g]"), "bad IPv6 reference in URI");
  EXPECT_EQ(uri_error("sip:[::1]x"), "bad character in URI host");
  EXPECT_EQ(uri_error("sip:2001:db8::10"), "bad port in URI");  // IPv6 needs brackets
}

TEST(Uri, UserPartMayHoldSemicolonsAndQuestionMarks) {
  // RFC 4475 §3.1.1.9: the user part is "user;par=u%40example.net".
  auto semi = parse_uri("sip:user;par=u%40example.net@example.com");
  ASSERT_TRUE(semi) << semi.error();
  EXPECT_EQ(semi->user, "user;par=u%40example.net");
  EXPECT_EQ(semi->host, "example.com");
  EXPECT_EQ(semi->params, "");
  EXPECT_EQ(unescape(semi->user), "user;par=u@example.net");
  // RFC 4475 §3.1.1.2: '?' and ';' in the user part, ':' starting the password.
  auto odd = parse_uri(
      "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too."
      "(doesn't-it)@example.com");
  ASSERT_TRUE(odd) << odd.error();
  EXPECT_EQ(odd->user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(odd->password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  EXPECT_EQ(odd->host, "example.com");
  EXPECT_EQ(odd->headers, "");
}

TEST(Uri, HeadersStartAtTheFirstQuestionMarkAfterTheHost) {
  auto uri = parse_uri("sip:bob@example.com?Replaces=abc%40host%3Bto-tag%3D1&Require=replaces");
  ASSERT_TRUE(uri) << uri.error();
  EXPECT_EQ(uri->user, "bob");
  EXPECT_EQ(uri->host, "example.com");
  EXPECT_EQ(uri->headers, "Replaces=abc%40host%3Bto-tag%3D1&Require=replaces");
  auto host_only = parse_uri("sip:example.com;lr?Route=%3Csip:x%3E");
  ASSERT_TRUE(host_only) << host_only.error();
  EXPECT_EQ(host_only->host, "example.com");
  EXPECT_EQ(host_only->params, ";lr");
  EXPECT_EQ(host_only->headers, "Route=%3Csip:x%3E");
}

TEST(Uri, EscapedParametersAreKeptAsReceived) {
  auto uri = parse_uri("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31");
  ASSERT_TRUE(uri) << uri.error();
  EXPECT_EQ(uri->user, "cal%6Cer");
  EXPECT_EQ(unescape(uri->user), "caller");
  EXPECT_EQ(uri->params, ";%6C%72;n%61me=v%61lue%25%34%31");
  EXPECT_EQ(unescape(uri->params), ";lr;name=value%41");  // unescaped exactly once
}

TEST(Uri, TelUriHasANumberAndParameters) {
  auto uri = parse_uri("tel:+1-201-555-0123;phone-context=example.com;ext=42");
  ASSERT_TRUE(uri) << uri.error();
  EXPECT_TRUE(uri->is_tel());
  EXPECT_FALSE(uri->is_sip());
  EXPECT_EQ(uri->user, "+1-201-555-0123");
  EXPECT_EQ(uri->host, "");
  EXPECT_EQ(uri->param("phone-context"), "example.com");
  EXPECT_EQ(uri->param("ext"), "42");
  EXPECT_EQ(uri_error("tel:;ext=1"), "tel URI has no number");
  EXPECT_EQ(uri_error("tel:123;;ext=1"), "URI has an empty parameter");
}

TEST(Uri, OtherSchemesAreOpaque) {
  auto mail = parse_uri("mailto:user@example.com");
  ASSERT_TRUE(mail) << mail.error();
  EXPECT_EQ(mail->scheme, "mailto");
  EXPECT_EQ(mail->opaque, "user@example.com");
  EXPECT_EQ(mail->host, "");
  auto beep = parse_uri("soap.beep://192.0.2.103:3002");
  ASSERT_TRUE(beep) << beep.error();
  EXPECT_EQ(beep->scheme, "soap.beep");
  EXPECT_EQ(beep->opaque, "//192.0.2.103:3002");
  auto urn = parse_uri("urn:service:sos");
  ASSERT_TRUE(urn) << urn.error();
  EXPECT_EQ(urn->opaque, "service:sos");
}

TEST(Uri, StructuralFaultsAreNamed) {
  EXPECT_EQ(uri_error(""), "empty URI");
  EXPECT_EQ(uri_error("park.example.com"), "URI has no scheme");
  EXPECT_EQ(uri_error(":park.example.com"), "URI has no scheme");
  EXPECT_EQ(uri_error("1sip:park.example.com"), "bad URI scheme");
  EXPECT_EQ(uri_error("s_p:park.example.com"), "bad URI scheme");
  EXPECT_EQ(uri_error("sip:"), "URI has nothing after its scheme");
  EXPECT_EQ(uri_error("sip:@park.example.com"), "URI has an empty user part");
  EXPECT_EQ(uri_error("sip:701@"), "URI has no host");
  EXPECT_EQ(uri_error("sip:;lr"), "URI has no host");
  EXPECT_EQ(uri_error("sip:701@host@example.com"), "bad character in URI host");
  EXPECT_EQ(uri_error("sip:host:"), "bad port in URI");
  EXPECT_EQ(uri_error("sip:host:65536"), "bad port in URI");
  EXPECT_EQ(uri_error("sip:host:5x"), "bad port in URI");
  EXPECT_EQ(parse_uri("sip:host:65535")->port, 65535);
}

TEST(Uri, CharacterFaultsNameTheCharacter) {
  EXPECT_EQ(uri_error("sip:a b@example.com"), "whitespace in URI");
  EXPECT_EQ(uri_error("sip:ab@example.com\r"), "whitespace in URI");
  EXPECT_EQ(uri_error("<sip:a@example.com>"), "invalid character '<' in URI");
  EXPECT_EQ(uri_error("sip:a\"b@example.com"), "invalid character '\"' in URI");
  EXPECT_EQ(uri_error(std::string_view("sip:a\0b@example.com", 19)),
            "control or non-ASCII byte in URI");
  EXPECT_EQ(uri_error("sip:caf\xC3\xA9@example.com"), "control or non-ASCII byte in URI");
}

TEST(Uri, EscapesMustBeComplete) {
  EXPECT_EQ(uri_error("sip:a%4@example.com"), "bad %-escape in URI user");
  EXPECT_EQ(uri_error("sip:a%G1@example.com"), "bad %-escape in URI user");
  EXPECT_EQ(uri_error("sip:a@example.com?h=%"), "bad %-escape in URI headers");
  EXPECT_EQ(uri_error("sip:null-%00-null@example.com"), "parsed");
}

TEST(Uri, ParameterListFaultsAreNamed) {
  EXPECT_EQ(uri_error("sip:host;;lr"), "URI has an empty parameter");
  EXPECT_EQ(uri_error("sip:host;lr;"), "URI has an empty parameter");
  EXPECT_EQ(uri_error("sip:host;transport="), "URI has a parameter with an empty value");
}

TEST(Unescape, DecodesEachEscapeOnce) {
  EXPECT_EQ(unescape("sips%3Auser%40example.com"), "sips:user@example.com");
  EXPECT_EQ(unescape("%75se%72"), "user");
  EXPECT_EQ(unescape("I%20have%20spaces"), "I have spaces");
  EXPECT_EQ(unescape("%2541"), "%41");
  EXPECT_EQ(unescape("%7e%7E"), "~~");
}

TEST(Unescape, KeepsNulBytesAndInvalidEscapes) {
  EXPECT_EQ(unescape("null-%00-null"), std::string("null-\0-null", 11));
  EXPECT_EQ(unescape("%00"), std::string(1, '\0'));
  EXPECT_EQ(unescape("%00%00"), std::string(2, '\0'));
  EXPECT_EQ(unescape("%ZK"), "%ZK");
  EXPECT_EQ(unescape("50%"), "50%");
  EXPECT_EQ(unescape("%4"), "%4");
  EXPECT_EQ(unescape("RE%47IST%45R"), "REGISTER");
}

TEST(Params, FindParamSkipsLwsAndQuotedSemicolons) {
  EXPECT_EQ(find_param(" ;  tag    = 1918181833n", "tag"), "1918181833n");
  EXPECT_EQ(find_param(";a=\"x;tag=no\";tag=yes", "tag"), "yes");
  EXPECT_EQ(find_param(";a=\"quoted\"", "a"), "\"quoted\"");
  EXPECT_EQ(find_param(";lr;transport=udp", "LR"), "");
  EXPECT_EQ(find_param(";lrx", "lr"), std::nullopt);
  EXPECT_EQ(find_param("", "lr"), std::nullopt);
}

TEST(Params, CheckParamsAcceptsTokensHostsAndQuotedValues) {
  EXPECT_TRUE(check_params(""));
  EXPECT_TRUE(check_params(";lr;q=0.7;received=[2001:db8::1];x=\"a b;c\""));
  EXPECT_TRUE(check_params(" ; newparam =\r\n      newvalue ;\r\n  secondparam ; q = 0.33"));
  EXPECT_EQ(check_params(";;").error(), "has an empty parameter");
  EXPECT_EQ(check_params(";a=").error(), "has a parameter with an empty value");
  EXPECT_EQ(check_params(";a=\"open").error(), "has an unterminated quoted parameter value");
  EXPECT_EQ(check_params(";a=b c").error(), "parameter list has stray text");
  EXPECT_EQ(check_params("a=b").error(), "parameter list has stray text");
}

}  // namespace
}  // namespace orbit::sip
