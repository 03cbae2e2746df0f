// parse_via: sent-protocol, sent-by (IPv6 too) and parameters (RFC 3261 §20.42, RFC 3581).
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "sip/via.hpp"

namespace orbit::sip {
namespace {

std::string via_error(std::string_view text) {
  auto via = parse_via(text);
  return via ? "parsed" : via.error();
}

TEST(Via, EveryPartOfAViaParm) {
  auto via = parse_via("SIP/2.0/UDP pc33.atlanta.example.com:5066;branch=z9hG4bK776asdhds;rport");
  ASSERT_TRUE(via) << via.error();
  EXPECT_EQ(via->protocol, "SIP");
  EXPECT_EQ(via->version, "2.0");
  EXPECT_EQ(via->transport, "UDP");
  EXPECT_EQ(via->host, "pc33.atlanta.example.com");
  EXPECT_EQ(via->port, 5066);
  EXPECT_EQ(via->params, ";branch=z9hG4bK776asdhds;rport");
  EXPECT_EQ(via->branch(), "z9hG4bK776asdhds");
  EXPECT_TRUE(via->has_rfc3261_branch());
  EXPECT_EQ(via->param("rport"), "");  // RFC 3581: an empty rport asks for the source port
  EXPECT_EQ(via->param("received"), std::nullopt);
}

TEST(Via, ReceivedAndFilledRport) {
  auto via =
      parse_via("SIP/2.0/TCP client.example.com;received=192.0.2.4;rport=9988;branch=z9hG4bKx");
  ASSERT_TRUE(via) << via.error();
  EXPECT_EQ(via->port, std::nullopt);
  EXPECT_EQ(via->param("received"), "192.0.2.4");
  EXPECT_EQ(via->param("RPORT"), "9988");
  EXPECT_EQ(via->branch(), "z9hG4bKx");
}

TEST(Via, Ipv6SentByAndReceived) {
  auto via =
      parse_via("SIP/2.0/UDP [2001:db8::9:1]:5070;branch=z9hG4bKas;received=2001:db8::9:255");
  ASSERT_TRUE(via) << via.error();
  EXPECT_EQ(via->host, "[2001:db8::9:1]");
  EXPECT_EQ(via->port, 5070);
  EXPECT_EQ(via->param("received"), "2001:db8::9:255");
  auto no_port = parse_via("SIP/2.0/TLS [::1];branch=z9hG4bKas");
  ASSERT_TRUE(no_port) << no_port.error();
  EXPECT_EQ(no_port->host, "[::1]");
  EXPECT_EQ(no_port->port, std::nullopt);
  EXPECT_EQ(via_error("SIP/2.0/UDP []"), "bad IPv6 reference in Via");
  EXPECT_EQ(via_error("SIP/2.0/UDP [2001:db8::9:1;branch=z9hG4bKas"), "bad IPv6 reference in Via");
  EXPECT_EQ(via_error("SIP/2.0/UDP [not;an:address];branch=z9hG4bKas"),
            "bad IPv6 reference in Via");
}

TEST(Via, LinearWhiteSpaceAndFoldsAnywhere) {
  // RFC 4475 §3.1.1.1 (wsinv).
  auto via = parse_via("SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw");
  ASSERT_TRUE(via) << via.error();
  EXPECT_EQ(via->transport, "UDP");
  EXPECT_EQ(via->host, "192.0.2.2");
  EXPECT_EQ(via->branch(), "390skdjuw");
  EXPECT_FALSE(via->has_rfc3261_branch());
  auto spaced =
      parse_via("SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8");
  ASSERT_TRUE(spaced) << spaced.error();
  EXPECT_EQ(spaced->host, "spindle.example.com");
  EXPECT_EQ(spaced->branch(), "z9hG4bK9ikj8");
  auto port = parse_via("SIP/2.0/UDP host.example.com : 5060 ;branch=z9hG4bKp");
  ASSERT_TRUE(port) << port.error();
  EXPECT_EQ(port->port, 5060);
}

TEST(Via, UnknownTransportsAndTokens) {
  for (std::string_view transport : {"UDP", "TCP", "TLS", "SCTP", "WS", "WSS", "UNKNOWN"}) {
    auto text = "SIP/2.0/" + std::string(transport) + " t.example.com;branch=z9hG4bKt";
    auto via = parse_via(text);
    ASSERT_TRUE(via) << transport;
    EXPECT_EQ(via->transport, transport);
  }
  // RFC 4475 §3.1.1.5: '%' in a branch token is legal.
  auto pct = parse_via("SIP/2.0/TCP host.example.com;branch=z9hG4bK209%fzsnel234");
  ASSERT_TRUE(pct) << pct.error();
  EXPECT_EQ(pct->branch(), "z9hG4bK209%fzsnel234");
}

TEST(Via, BareMagicCookieIsNotAnRfc3261Branch) {
  // RFC 4475 §3.2.1: the transaction layer must cope; the parser accepts it.
  auto via = parse_via("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK");
  ASSERT_TRUE(via) << via.error();
  EXPECT_EQ(via->branch(), "z9hG4bK");
  EXPECT_FALSE(via->has_rfc3261_branch());
  auto none = parse_via("SIP/2.0/UDP 192.0.2.1");
  ASSERT_TRUE(none) << none.error();
  EXPECT_EQ(none->branch(), "");
  EXPECT_FALSE(none->has_rfc3261_branch());
}

TEST(Via, FaultsAreNamed) {
  EXPECT_EQ(via_error(""), "bad Via sent-protocol");
  EXPECT_EQ(via_error("SIP/2.0 host.example.com"), "bad Via sent-protocol");
  EXPECT_EQ(via_error("SIP 2.0/UDP host.example.com"), "bad Via sent-protocol");
  EXPECT_EQ(via_error("SIP/2.0/"), "Via has no transport");
  EXPECT_EQ(via_error("SIP/2.0/UDP"), "Via needs a space before sent-by");
  // SLASH allows LWS around it, so the host is read as the transport here.
  EXPECT_EQ(via_error("SIP/2.0/ host.example.com"), "Via needs a space before sent-by");
  EXPECT_EQ(via_error("SIP/2.0/UDPhost"), "Via needs a space before sent-by");
  EXPECT_EQ(via_error("SIP/2.0/UDP ;branch=z9hG4bKx"), "Via has no sent-by host");
  EXPECT_EQ(via_error("SIP/2.0/UDP host:99999"), "bad port in Via");
  EXPECT_EQ(via_error("SIP/2.0/UDP host:"), "bad port in Via");
  EXPECT_EQ(via_error("SIP/2.0/UDP host:5060x"), "stray text in Via");
  EXPECT_EQ(via_error("SIP/2.0/UDP host other"), "stray text in Via");
  EXPECT_EQ(via_error("SIP/2.0/UDP 192.0.2.15;;"), "Via has an empty parameter");
  EXPECT_EQ(via_error("SIP/2.0/UDP 192.0.2.15;branch="), "Via has a parameter with an empty value");
  EXPECT_EQ(via_error("SIP/2.0/UDP 192.0.2.15;branch"), "Via branch is empty");
  EXPECT_EQ(via_error("SIP/2.0/UDP ho%st"), "stray text in Via");
}

}  // namespace
}  // namespace orbit::sip
