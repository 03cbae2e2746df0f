// parse_name_addr: name-addr versus addr-spec and where parameters belong (RFC 3261 §20.10).
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "sip/name_addr.hpp"

namespace orbit::sip {
namespace {

std::string addr_error(std::string_view text) {
  auto na = parse_name_addr(text);
  return na ? "parsed" : na.error();
}

TEST(NameAddr, QuotedDisplayNameAndBracketedUri) {
  auto na = parse_name_addr("\"Alice Liddell\" <sip:alice@example.com;transport=tcp>;tag=1928");
  ASSERT_TRUE(na) << na.error();
  EXPECT_EQ(na->display_name, "\"Alice Liddell\"");
  EXPECT_EQ(na->display_text(), "Alice Liddell");
  EXPECT_TRUE(na->bracketed);
  EXPECT_EQ(na->uri.raw, "sip:alice@example.com;transport=tcp");
  EXPECT_EQ(na->uri.param("transport"), "tcp");
  EXPECT_EQ(na->params, ";tag=1928");
  EXPECT_EQ(na->tag(), "1928");
}

TEST(NameAddr, ParamsInsideBracketsBelongToTheUri) {
  auto na = parse_name_addr("<sip:bob@example.com;tag=inside>;q=0.5");
  ASSERT_TRUE(na) << na.error();
  EXPECT_EQ(na->uri.param("tag"), "inside");
  EXPECT_EQ(na->tag(), "");  // no header tag
  EXPECT_EQ(na->param("q"), "0.5");
}

TEST(NameAddr, ParamsOfAnAddrSpecBelongToTheHeader) {
  auto na = parse_name_addr("sip:bob@example.com;transport=tcp;tag=abc");
  ASSERT_TRUE(na) << na.error();
  EXPECT_FALSE(na->bracketed);
  EXPECT_EQ(na->display_name, "");
  EXPECT_EQ(na->uri.raw, "sip:bob@example.com");
  EXPECT_EQ(na->uri.params, "");
  EXPECT_EQ(na->uri.param("transport"), std::nullopt);
  EXPECT_EQ(na->params, ";transport=tcp;tag=abc");
  EXPECT_EQ(na->param("transport"), "tcp");
  EXPECT_EQ(na->tag(), "abc");
}

TEST(NameAddr, AddrSpecWithSpacesAroundItsParams) {
  auto na = parse_name_addr(" sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n ");
  ASSERT_TRUE(na) << na.error();
  EXPECT_EQ(na->uri.host, "chair-dnrc.example.com");
  EXPECT_EQ(na->tag(), "1918181833n");
}

TEST(NameAddr, TokenDisplayNamesNeedNoQuotes) {
  auto na = parse_name_addr("Park Orbit <sip:701@park.example.com>");
  ASSERT_TRUE(na) << na.error();
  EXPECT_EQ(na->display_name, "Park Orbit");
  EXPECT_EQ(na->display_text(), "Park Orbit");
  // RFC 4475 §3.1.1.6: no space between the display name and '<'.
  auto tight = parse_name_addr("caller<sip:caller@example.com>;tag=323");
  ASSERT_TRUE(tight) << tight.error();
  EXPECT_EQ(tight->display_name, "caller");
  EXPECT_EQ(tight->tag(), "323");
  // RFC 4475 §3.1.1.2: every token character is allowed.
  auto odd = parse_name_addr("token1~` token2'+_ token3*%!.- <sip:mundane@example.com>");
  ASSERT_TRUE(odd) << odd.error();
  EXPECT_EQ(odd->display_name, "token1~` token2'+_ token3*%!.-");
}

TEST(NameAddr, QuotedDisplayNameEscapesAndSpecials) {
  auto na = parse_name_addr("\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>");
  ASSERT_TRUE(na) << na.error();
  EXPECT_EQ(na->display_text(), "J Rosenberg \\\"");
  auto specials = parse_name_addr("\"a<b>, c;d\" <sip:x@example.com>;tag=t");
  ASSERT_TRUE(specials) << specials.error();
  EXPECT_EQ(specials->display_text(), "a<b>, c;d");
  EXPECT_EQ(specials->uri.raw, "sip:x@example.com");
  EXPECT_EQ(specials->tag(), "t");
  auto empty = parse_name_addr("\"\" <sip:x@example.com>");
  ASSERT_TRUE(empty) << empty.error();
  EXPECT_EQ(empty->display_text(), "");
  // A quoted NUL, BEL and DEL, and UTF-8, are legal inside quotes (RFC 4475 §3.1.1.2).
  auto controls =
      parse_name_addr(std::string_view("\"BEL:\\\x07 NUL:\\\0 DEL:\\\x7f\" <sip:x@y>", 32));
  ASSERT_TRUE(controls) << controls.error();
  EXPECT_EQ(controls->display_text(), std::string_view("BEL:\x07 NUL:\0 DEL:\x7f", 17));
}

TEST(NameAddr, DisplayNameFaultsAreNamed) {
  EXPECT_EQ(addr_error("Bell, Alexander <sip:a.g.bell@example.com>"),
            "display name has characters that need quotes");
  EXPECT_EQ(addr_error("\"Mr. J. User <sip:j.user@example.com>"),
            "unterminated quoted display name");
  EXPECT_EQ(addr_error("\"Joe\" x <sip:joe@example.com>"), "text after the quoted display name");
  EXPECT_EQ(addr_error("\"Joe\" sip:joe@example.com"), "display name without <URI>");
  EXPECT_EQ(addr_error("Joe sip:joe@example.com"), "display name without <URI>");
}

TEST(NameAddr, BracketFaultsAreNamed) {
  EXPECT_EQ(addr_error(""), "empty address");
  EXPECT_EQ(addr_error("<sip:joe@example.com"), "'<' without '>' around the URI");
  EXPECT_EQ(addr_error("<sip:joe@example.com> extra"), "stray text after the address");
  EXPECT_EQ(addr_error("<sip:joe@example.com>;;"), "address has an empty parameter");
  EXPECT_EQ(addr_error("<sip:joe@example.com>;tag"), "parsed");
  EXPECT_EQ(addr_error("<sip:joe@example.com>;tag="),
            "address has a parameter with an empty value");
  EXPECT_EQ(addr_error("<>"), "empty URI");
  EXPECT_EQ(addr_error("<joe>"), "URI has no scheme");
}

TEST(NameAddr, HeadersOrSpacesInAnAddrSpecNeedBrackets) {
  // RFC 4475 §3.1.2.13.
  EXPECT_EQ(addr_error("sip:user@example.com?Route=%3Csip:sip.example.com%3E"),
            "URI with headers must be enclosed in <>");
  auto bracketed = parse_name_addr("<sip:user@example.com?Route=%3Csip:sip.example.com%3E>");
  ASSERT_TRUE(bracketed) << bracketed.error();
  EXPECT_EQ(bracketed->uri.headers, "Route=%3Csip:sip.example.com%3E");
}

TEST(NameAddr, SpacesInsideBracketsAreTolerated) {
  // RFC 4475 §3.1.2.14 lets an element ignore them; Orbit does.
  auto na = parse_name_addr("\"Watson, Thomas\" < sip:t.watson@example.org >");
  ASSERT_TRUE(na) << na.error();
  EXPECT_EQ(na->uri.raw, "sip:t.watson@example.org");
  EXPECT_EQ(addr_error("< sip:t.watson @example.org >"), "whitespace in URI");
}

TEST(NameAddr, OtherSchemesAndTel) {
  auto tel = parse_name_addr("<tel:+1-201-555-0123>;tag=x");
  ASSERT_TRUE(tel) << tel.error();
  EXPECT_TRUE(tel->uri.is_tel());
  EXPECT_EQ(tel->uri.user, "+1-201-555-0123");
  auto mail = parse_name_addr("<mailto:watson@bell-telephone.com>");
  ASSERT_TRUE(mail) << mail.error();
  EXPECT_EQ(mail->uri.scheme, "mailto");
  auto ipv6 = parse_name_addr("sip:[2001:db8::9:1];tag=v6");
  ASSERT_TRUE(ipv6) << ipv6.error();
  EXPECT_EQ(ipv6->uri.host, "[2001:db8::9:1]");
  EXPECT_EQ(ipv6->tag(), "v6");
}

TEST(NameAddr, QuotedParameterValues) {
  auto na =
      parse_name_addr("<sip:a@b>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-1>\";x=\"a;b\"");
  ASSERT_TRUE(na) << na.error();
  EXPECT_EQ(na->param("+sip.instance"), "\"<urn:uuid:00000000-0000-1000-8000-1>\"");
  EXPECT_EQ(na->param("x"), "\"a;b\"");
}

TEST(NameAddr, StarContact) {
  EXPECT_TRUE(is_star_contact("*"));
  EXPECT_TRUE(is_star_contact("  *  "));
  EXPECT_FALSE(is_star_contact("<sip:*@example.com>"));
  EXPECT_EQ(addr_error("*"), "URI has no scheme");
}

}  // namespace
}  // namespace orbit::sip
