// Tests for sip/digest: RFC worked examples, a SIP REGISTER, header parsing and challenges.
#include "sip/digest.hpp"

#include <array>
#include <string>

#include <gtest/gtest.h>

namespace orbit::sip {
namespace {

// RFC 7616 §3.9.1: the same request answered with SHA-256 and with MD5.
DigestCredentials rfc7616_credentials(DigestAlgorithm algorithm, std::string response) {
  return DigestCredentials{.username = "Mufasa",
                           .realm = "http-auth@example.org",
                           .nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                           .uri = "/dir/index.html",
                           .response = std::move(response),
                           .algorithm = algorithm,
                           .qop = "auth",
                           .cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
                           .nc = "00000001",
                           .opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"};
}

constexpr std::string_view kRfc7616Md5 = "8ca523f5e9506fed4657c9700eebdbec";
constexpr std::string_view kRfc7616Sha256 =
    "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1";

TEST(DigestRfc7616, Sha256ResponseMatchesTheRfc) {
  const auto credentials =
      rfc7616_credentials(DigestAlgorithm::Sha256, std::string(kRfc7616Sha256));
  const auto ha1 = compute_digest_ha1(DigestAlgorithm::Sha256, "Mufasa", "http-auth@example.org",
                                      "Circle of Life");
  ASSERT_TRUE(ha1);
  EXPECT_EQ(compute_digest_response(credentials, "GET", *ha1), kRfc7616Sha256);
  EXPECT_TRUE(verify_digest(credentials, "GET", "Circle of Life"));
}

TEST(DigestRfc7616, Md5ResponseMatchesTheRfc) {
  const auto credentials = rfc7616_credentials(DigestAlgorithm::Md5, std::string(kRfc7616Md5));
  EXPECT_TRUE(verify_digest(credentials, "GET", "Circle of Life"));
}

TEST(DigestRfc7616, ParsedFromTheRfcHeader) {
  const auto parsed = parse_digest_credentials(
      "Digest username=\"Mufasa\",\r\n"
      "       realm=\"http-auth@example.org\",\r\n"
      "       uri=\"/dir/index.html\",\r\n"
      "       algorithm=SHA-256,\r\n"
      "       nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\r\n"
      "       nc=00000001,\r\n"
      "       cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\",\r\n"
      "       qop=auth,\r\n"
      "       response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\",\r\n"
      "       opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
  ASSERT_TRUE(parsed) << parsed.error().reason;
  EXPECT_EQ(parsed->algorithm, DigestAlgorithm::Sha256);
  EXPECT_EQ(parsed->opaque, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
  EXPECT_TRUE(verify_digest(*parsed, "GET", "Circle of Life"));
}

TEST(DigestRfc2617, MufasaExampleVerifies) {
  const auto parsed = parse_digest_credentials(
      R"(Digest username="Mufasa", realm="testrealm@host.com", )"
      R"(nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, )"
      R"(nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", )"
      R"(opaque="5ccc069c403ebaf9f0171e9517f40e41")");
  ASSERT_TRUE(parsed) << parsed.error().reason;
  EXPECT_EQ(parsed->algorithm, DigestAlgorithm::Md5);  // the default when absent
  EXPECT_TRUE(verify_digest(*parsed, "GET", "Circle Of Life"));
}

// A softphone registers alice at orbit.example with SHA-256, after a 401.
constexpr std::string_view kRegister =
    "Digest username=\"alice\", realm=\"orbit.example\", "
    "nonce=\"ZVN5AAAAAAB3qvV4mXuS2o1yY8k0dZkq\", "
    "uri=\"sip:orbit.example\", "
    "response=\"ad6970bc38a38c724316edfa50eaff3442ff23d8887dea43ceaf8452db8e04dd\", "
    "algorithm=SHA-256, cnonce=\"0a4f113b\", qop=auth, nc=00000001";

TEST(DigestSipRegister, AliceRegistersWithTheRightPassword) {
  const auto parsed = parse_digest_credentials(kRegister);
  ASSERT_TRUE(parsed) << parsed.error().reason;
  EXPECT_EQ(parsed->username, "alice");
  EXPECT_EQ(parsed->uri, "sip:orbit.example");
  EXPECT_TRUE(verify_digest(*parsed, "REGISTER", "wonderland"));
}

TEST(DigestSipRegister, StoreKeepsOnlyHa1) {
  const auto parsed = parse_digest_credentials(kRegister);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(verify_digest_ha1(
      *parsed, "REGISTER", "1B29821D7FF56B045BBB97177212C6528C10F902B8E702A97F4D27368A4DC45D"));
  const auto md5_ha1 = verify_digest_ha1(*parsed, "REGISTER", "1cee462f55f124764ad26ff4f6d40975");
  ASSERT_FALSE(md5_ha1);
  EXPECT_EQ(md5_ha1.error().code, DigestErrorCode::WrongResponse);
}

TEST(DigestSipRegister, WrongPasswordIsRejected) {
  const auto parsed = parse_digest_credentials(kRegister);
  ASSERT_TRUE(parsed);
  const auto result = verify_digest(*parsed, "REGISTER", "wonderlant");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, DigestErrorCode::WrongResponse);
}

TEST(DigestSipRegister, ResponseReplayedOnAnotherMethodIsRejected) {
  const auto parsed = parse_digest_credentials(kRegister);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(verify_digest(*parsed, "INVITE", "wonderland"));
}

TEST(DigestSipRegister, Rfc2069ClientWithoutQop) {
  const auto parsed = parse_digest_credentials(
      R"(Digest username="alice",realm="orbit.example",nonce="ZVN5AAAAAAB3qvV4mXuS2o1yY8k0dZkq",)"
      R"(uri="sip:orbit.example",response="255560ACB1422AB90E66E5380CBA90F1")");
  ASSERT_TRUE(parsed) << parsed.error().reason;
  EXPECT_FALSE(parsed->qop);
  EXPECT_TRUE(verify_digest(*parsed, "REGISTER", "wonderland"));  // uppercase hex tolerated
}

TEST(DigestParse, FoldingAndEscapesAndCaseInsensitiveNames) {
  const auto parsed = parse_digest_credentials(
      "  dIgEsT  USERNAME = \"bob \\\"the\\\" \\\\builder\" ,\r\n\t Realm=\"orbit\r\n  example\""
      "\r\n ,NONCE=abc,  uri = \"sip:701@orbit\" , response=\"00\", Algorithm=\"md5\", "
      "x-vendor=\"ignored, really\",, foo=bar");
  ASSERT_TRUE(parsed) << parsed.error().reason;
  EXPECT_EQ(parsed->username, "bob \"the\" \\builder");
  EXPECT_EQ(parsed->realm, "orbit example");
  EXPECT_EQ(parsed->nonce, "abc");
  EXPECT_EQ(parsed->uri, "sip:701@orbit");
  EXPECT_EQ(parsed->algorithm, DigestAlgorithm::Md5);
}

TEST(DigestParse, OtherSchemesAreSetApart) {
  const auto basic = parse_digest_credentials("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  ASSERT_FALSE(basic);
  EXPECT_EQ(basic.error().code, DigestErrorCode::NotDigest);
  EXPECT_EQ(parse_digest_credentials("Digestive realm=\"x\"").error().code,
            DigestErrorCode::NotDigest);
}

TEST(DigestParse, MissingParametersAreNamed) {
  const auto no_nonce =
      parse_digest_credentials(R"(Digest username="a", realm="r", uri="sip:r", response="00")");
  ASSERT_FALSE(no_nonce);
  EXPECT_EQ(no_nonce.error().code, DigestErrorCode::MissingParam);
  EXPECT_NE(no_nonce.error().reason.find("'nonce'"), std::string::npos);

  const auto no_cnonce = parse_digest_credentials(
      R"(Digest username="a", realm="r", nonce="n", uri="sip:r", response="00", qop=auth, )"
      R"(nc=00000001)");
  ASSERT_FALSE(no_cnonce);
  EXPECT_EQ(no_cnonce.error().code, DigestErrorCode::MissingParam);
  EXPECT_NE(no_cnonce.error().reason.find("'cnonce'"), std::string::npos);

  EXPECT_EQ(parse_digest_credentials("Digest").error().code, DigestErrorCode::MissingParam);
}

TEST(DigestParse, MalformedValuesAreRejected) {
  constexpr std::string_view kBase = R"(Digest username="a", realm="r", nonce="n", uri="u", )";
  const std::array<std::string, 9> bad = {
      std::string(kBase) + R"(response="00)",                              // unterminated quote
      std::string(kBase) + R"(response "00")",                             // no '='
      std::string(kBase) + R"(response=)",                                 // no value
      std::string(kBase) + R"(response="00" cnonce="x")",                  // no comma
      std::string(kBase) + R"(response="00", realm="again")",              // duplicate
      std::string(kBase) + "response=\"0\r\n0\"",                          // line break, not a fold
      std::string(kBase) + "response=\"0\x01\"",                           // control character
      std::string(kBase) + R"(response="0", qop=auth, cnonce="c", nc=1)",  // short nc
      "Digest\"username\"",                                                // no space after scheme
  };
  for (const std::string& header : bad) {
    const auto parsed = parse_digest_credentials(header);
    ASSERT_FALSE(parsed) << header;
    EXPECT_EQ(parsed.error().code, DigestErrorCode::Malformed) << header;
  }
  EXPECT_EQ(parse_digest_credentials("").error().code, DigestErrorCode::Malformed);
}

TEST(DigestParse, UnsupportedAlgorithmAndQop) {
  constexpr std::string_view kBase =
      R"(Digest username="a", realm="r", nonce="n", uri="u", response="0", )";
  EXPECT_EQ(parse_digest_credentials(std::string(kBase) + "algorithm=MD5-sess").error().code,
            DigestErrorCode::UnsupportedAlgorithm);
  EXPECT_EQ(parse_digest_credentials(std::string(kBase) + "algorithm=SHA-512-256").error().code,
            DigestErrorCode::UnsupportedAlgorithm);
  EXPECT_EQ(
      parse_digest_credentials(std::string(kBase) + R"(qop=auth-int, nc=00000001, cnonce="c")")
          .error()
          .code,
      DigestErrorCode::UnsupportedQop);
}

TEST(DigestAlgorithmNames, RoundTripCaseInsensitively) {
  EXPECT_EQ(to_string(DigestAlgorithm::Md5), "MD5");
  EXPECT_EQ(to_string(DigestAlgorithm::Sha256), "SHA-256");
  EXPECT_EQ(parse_digest_algorithm("sha-256"), DigestAlgorithm::Sha256);
  EXPECT_EQ(parse_digest_algorithm("Md5"), DigestAlgorithm::Md5);
  EXPECT_FALSE(parse_digest_algorithm("SHA256"));
}

TEST(DigestChallenge, OneHeaderPerAlgorithmSha256First) {
  const DigestChallenge challenge{.realm = "orbit.example", .nonce = "n0nce", .opaque = "op"};
  const std::array offered = {DigestAlgorithm::Md5, DigestAlgorithm::Sha256, DigestAlgorithm::Md5};
  const auto headers = format_digest_challenges(challenge, offered);
  ASSERT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers[0],
            R"(Digest realm="orbit.example", nonce="n0nce", opaque="op", algorithm=SHA-256, )"
            R"(qop="auth")");
  EXPECT_EQ(
      headers[1],
      R"(Digest realm="orbit.example", nonce="n0nce", opaque="op", algorithm=MD5, qop="auth")");
}

TEST(DigestChallenge, StaleAndEscapedRealm) {
  const DigestChallenge challenge{
      .realm = "say \"hi\"\r\n\\", .nonce = "n", .opaque = std::nullopt, .stale = true};
  EXPECT_EQ(format_digest_challenge(challenge, DigestAlgorithm::Md5),
            R"(Digest realm="say \"hi\"\\", nonce="n", algorithm=MD5, qop="auth", stale=true)");
}

TEST(DigestChallenge, ClientAnswerRoundTrips) {
  // What a UAC would do with our challenge: compute the response, send it back, get verified.
  DigestCredentials answer{.username = "carol",
                           .realm = "orbit.example",
                           .nonce = "n0nce",
                           .uri = "sip:orbit.example",
                           .response = "",
                           .algorithm = DigestAlgorithm::Sha256,
                           .qop = "auth",
                           .cnonce = "deadbeef",
                           .nc = "0000000a",
                           .opaque = std::nullopt};
  const auto ha1 = compute_digest_ha1(answer.algorithm, "carol", "orbit.example", "pw");
  ASSERT_TRUE(ha1);
  const auto response = compute_digest_response(answer, "REGISTER", *ha1);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->size(), 64u);
  answer.response = *response;
  EXPECT_TRUE(verify_digest(answer, "REGISTER", "pw"));
}

}  // namespace
}  // namespace orbit::sip
