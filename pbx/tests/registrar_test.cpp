// The registrar's rules on simulated time: challenge, digest, bindings, expiry, throttling.
#include "pbx/registrar.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sip/digest.hpp"
#include "sip/message.hpp"

namespace orbit::pbx {
namespace {

using namespace std::chrono_literals;

Directory demo_directory() {
  Tenant t;
  t.domain = "demo.orbit";
  t.aliases = {"127.0.0.1"};
  t.realm = "demo.orbit";
  t.auth_algorithms = {sip::DigestAlgorithm::Md5};
  t.users.push_back({"100", "Reception", "secret100", true, true, {}});
  t.users.push_back(
      {"101", "Alice", "secret101", true, true, {sip::DigestAlgorithm::Sha256}});
  Tenant other;
  other.domain = "acme.test";
  other.realm = "acme.test";
  other.auth_algorithms = {sip::DigestAlgorithm::Md5};
  other.users.push_back({"100", "Acme desk", "acme100", true, true, {}});
  return Directory({t, other});
}

class RegistrarTest : public ::testing::Test {
 protected:
  Directory directory_ = demo_directory();
  LocationService locations_;
  sip::NonceService nonces_ =
      *sip::NonceService::create(std::vector<std::uint8_t>(32, 7), std::chrono::seconds(300));
  AuthThrottle throttle_{3, 300s};
  sip::TagGenerator tags_{42};
  Authenticator auth_{nonces_, throttle_, tags_};
  Registrar registrar_{directory_, locations_, auth_, tags_, RegistrarConfig{}};
  sip::TimePoint now_{};
  std::chrono::sys_seconds wall_{std::chrono::sys_seconds(1'800'000'000s)};
  sip::Endpoint source_{sip::Transport::Udp, "127.0.0.1", 5062, 0};
  int cseq_ = 1;

  std::string register_text(std::string_view user, std::string_view domain,
                            std::string_view extra, std::string_view contact_expires = "") {
    return fmt::format(
        "REGISTER sip:{1} SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK{2};rport\r\n"
        "Max-Forwards: 70\r\n"
        "From: <sip:{0}@{1}>;tag=abc\r\n"
        "To: <sip:{0}@{1}>\r\n"
        "Call-ID: reg-{0}@127.0.0.1\r\n"
        "CSeq: {2} REGISTER\r\n"
        "Contact: <sip:{0}@127.0.0.1:5062>{3}\r\n"
        "{4}"
        "Content-Length: 0\r\n\r\n",
        user, domain, cseq_++, contact_expires, extra);
  }

  Reply send(const std::string& text) {
    auto msg = sip::Message::parse(text);
    EXPECT_TRUE(msg.has_value()) << (msg ? "" : msg.error().reason);
    return registrar_.handle({*msg, source_, {}, now_, wall_});
  }

  static std::string header_of(const std::string& response, std::string_view name) {
    auto m = sip::Message::parse(response);
    if (!m) return {};
    return std::string(m->header(name).value_or(""));
  }

  // Answers the challenge in `challenge_response` as the phone would.
  std::string authorization(const std::string& challenge_response, std::string_view user,
                            std::string_view password, std::string_view domain = "demo.orbit") {
    auto www = header_of(challenge_response, "WWW-Authenticate");
    auto nonce_at = www.find("nonce=\"") + 7;
    auto nonce = www.substr(nonce_at, www.find('"', nonce_at) - nonce_at);
    auto algorithm =
        www.find("SHA-256") != std::string::npos ? sip::DigestAlgorithm::Sha256
                                                 : sip::DigestAlgorithm::Md5;
    sip::DigestCredentials c;
    c.username = user;
    c.realm = domain;
    c.nonce = nonce;
    c.uri = fmt::format("sip:{}", domain);
    c.algorithm = algorithm;
    c.qop = "auth";
    c.cnonce = "0a4f113b";
    c.nc = "00000001";
    auto ha1 = *sip::compute_digest_ha1(algorithm, user, domain, password);
    c.response = *sip::compute_digest_response(c, "REGISTER", ha1);
    return fmt::format(
        "Authorization: Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", "
        "response=\"{}\", algorithm={}, qop=auth, cnonce=\"0a4f113b\", nc=00000001\r\n",
        user, domain, nonce, c.uri, c.response, sip::to_string(algorithm));
  }

  Reply register_user(std::string_view user, std::string_view password,
                      std::string_view extra = "", std::string_view domain = "demo.orbit") {
    auto challenge = send(register_text(user, domain, extra));
    EXPECT_EQ(challenge.status, 401);
    return send(register_text(user, domain,
                              fmt::format("{}{}", extra,
                                          authorization(challenge.bytes, user, password, domain))));
  }
};

TEST_F(RegistrarTest, ChallengesThenAcceptsRightPassword) {
  auto challenge = send(register_text("100", "demo.orbit", ""));
  EXPECT_EQ(challenge.status, 401);
  auto www = header_of(challenge.bytes, "WWW-Authenticate");
  EXPECT_NE(www.find("Digest realm=\"demo.orbit\""), std::string::npos);
  EXPECT_NE(www.find("algorithm=MD5"), std::string::npos);
  EXPECT_EQ(www.find("SHA-256"), std::string::npos) << "the default offers MD5 alone";
  auto ok = send(register_text("100", "demo.orbit", authorization(challenge.bytes, "100",
                                                                  "secret100")));
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(header_of(ok.bytes, "Contact").find("sip:100@127.0.0.1:5062"), std::string::npos);
  EXPECT_EQ(locations_.lookup({"demo.orbit", "100"}, now_).size(), 1u);
}

TEST_F(RegistrarTest, PerUserAlgorithmIsOffered) {
  auto challenge = send(register_text("101", "demo.orbit", ""));
  EXPECT_NE(header_of(challenge.bytes, "WWW-Authenticate").find("algorithm=SHA-256"),
            std::string::npos);
  EXPECT_EQ(register_user("101", "secret101").status, 200);
}

TEST_F(RegistrarTest, WrongPasswordIsForbiddenAndNothingBound) {
  EXPECT_EQ(register_user("100", "nope").status, 403);
  EXPECT_TRUE(locations_.lookup({"demo.orbit", "100"}, now_).empty());
}

TEST_F(RegistrarTest, UnknownUserCannotRegister) {
  EXPECT_EQ(register_user("999", "whatever").status, 403);
}

TEST_F(RegistrarTest, BindingExpiresOnTheClock) {
  EXPECT_EQ(register_user("100", "secret100", "Expires: 120\r\n").status, 200);
  now_ += 119s;
  EXPECT_EQ(locations_.lookup({"demo.orbit", "100"}, now_).size(), 1u);
  now_ += 1s;
  EXPECT_TRUE(locations_.lookup({"demo.orbit", "100"}, now_).empty());
}

TEST_F(RegistrarTest, TooBriefIntervalGets423WithMinExpires) {
  auto r = register_user("100", "secret100", "Expires: 30\r\n");
  EXPECT_EQ(r.status, 423);
  EXPECT_EQ(header_of(r.bytes, "Min-Expires"), "60");
}

TEST_F(RegistrarTest, LongIntervalIsCappedAtMaximum) {
  auto r = register_user("100", "secret100", "Expires: 100000\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(header_of(r.bytes, "Contact").find("expires=3600"), std::string::npos);
}

TEST_F(RegistrarTest, ExpiresZeroRemovesTheContact) {
  ASSERT_EQ(register_user("100", "secret100").status, 200);
  auto r = register_user("100", "secret100", "Expires: 0\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(header_of(r.bytes, "Contact"), "");
  EXPECT_TRUE(locations_.lookup({"demo.orbit", "100"}, now_).empty());
}

TEST_F(RegistrarTest, SeveralContactsPerUserAndStarRemovesAll) {
  ASSERT_EQ(register_user("100", "secret100").status, 200);
  source_.port = 5070;
  auto second = register_text("100", "demo.orbit", "");
  auto challenge = send(second);
  auto text = register_text("100", "demo.orbit", authorization(challenge.bytes, "100", "secret100"));
  text.replace(text.find("127.0.0.1:5062>"), 15, "127.0.0.1:5070>");
  EXPECT_EQ(send(text).status, 200);
  EXPECT_EQ(locations_.lookup({"demo.orbit", "100"}, now_).size(), 2u);

  auto star = register_text("100", "demo.orbit", "Expires: 0\r\n");
  star.replace(star.find("Contact: <sip:100@127.0.0.1:5062>"), 33, "Contact: *");
  auto ch = send(star);
  star = register_text("100", "demo.orbit", "Expires: 0\r\n" + authorization(ch.bytes, "100",
                                                                               "secret100"));
  star.replace(star.find("Contact: <sip:100@127.0.0.1:5062>"), 33, "Contact: *");
  EXPECT_EQ(send(star).status, 200);
  EXPECT_TRUE(locations_.lookup({"demo.orbit", "100"}, now_).empty());
}

TEST_F(RegistrarTest, StarWithoutExpiresZeroIsRefused) {
  auto star = register_text("100", "demo.orbit", "");
  star.replace(star.find("Contact: <sip:100@127.0.0.1:5062>"), 33, "Contact: *");
  auto ch = send(star);
  star = register_text("100", "demo.orbit", authorization(ch.bytes, "100", "secret100"));
  star.replace(star.find("Contact: <sip:100@127.0.0.1:5062>"), 33, "Contact: *");
  EXPECT_EQ(send(star).status, 400);
}

TEST_F(RegistrarTest, TenantsAreIsolated) {
  // Same extension in two tenants: each password opens its own tenant only.
  EXPECT_EQ(register_user("100", "acme100", "", "acme.test").status, 200);
  EXPECT_EQ(register_user("100", "acme100", "", "demo.orbit").status, 403);
  EXPECT_EQ(locations_.lookup({"acme.test", "100"}, now_).size(), 1u);
  EXPECT_TRUE(locations_.lookup({"demo.orbit", "100"}, now_).empty());
}

TEST_F(RegistrarTest, StaleNonceIsChallengedWithStaleTrue) {
  auto challenge = send(register_text("100", "demo.orbit", ""));
  auto auth = authorization(challenge.bytes, "100", "secret100");
  wall_ += 301s;
  auto r = send(register_text("100", "demo.orbit", auth));
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(header_of(r.bytes, "WWW-Authenticate").find("stale=true"), std::string::npos);
}

TEST_F(RegistrarTest, RepeatedFailuresBlockThatSourceOnly) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(register_user("100", "bad").status, 403);
  // Blocked now, even with the right password, from this address...
  auto blocked = send(register_text("100", "demo.orbit", ""));
  EXPECT_EQ(blocked.status, 403);
  // ...while a user at another address registers normally.
  source_.address = "127.0.0.3";
  EXPECT_EQ(register_user("101", "secret101").status, 200);
  // And the block lifts after its time.
  source_.address = "127.0.0.1";
  now_ += 301s;
  EXPECT_EQ(register_user("100", "secret100").status, 200);
}

TEST_F(RegistrarTest, FailuresSpreadOverMoreThanAMinuteDoNotBlock) {
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(register_user("100", "bad").status, 403);
    now_ += 30s;
  }
  EXPECT_EQ(register_user("100", "secret100").status, 200);
}

}  // namespace
}  // namespace orbit::pbx

namespace orbit::pbx {
namespace {

TEST_F(RegistrarTest, CredentialsForAnotherUriAreRefused) {
  auto challenge = send(register_text("100", "demo.orbit", ""));
  auto auth = authorization(challenge.bytes, "100", "secret100");
  // Same credentials, but computed for another Request-URI.
  auto text = register_text("100", "demo.orbit", auth);
  text.replace(text.find("REGISTER sip:demo.orbit"), 23, "REGISTER sip:127.0.0.1");
  auto r = send(text);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(locations_.lookup({"demo.orbit", "100"}, now_).empty());
}

}  // namespace
}  // namespace orbit::pbx

namespace orbit::pbx {
namespace {

TEST_F(RegistrarTest, ReplayedAuthorizationIsChallengedAgain) {
  auto challenge = send(register_text("100", "demo.orbit", ""));
  auto auth = authorization(challenge.bytes, "100", "secret100");
  EXPECT_EQ(send(register_text("100", "demo.orbit", "Expires: 0\r\n" + auth)).status, 200);
  // An eavesdropper replays the same Authorization (same nonce, same nc) to bind a contact.
  auto replay = send(register_text("100", "demo.orbit", auth));
  EXPECT_EQ(replay.status, 401);
  EXPECT_TRUE(locations_.lookup({"demo.orbit", "100"}, now_).empty());
}

TEST_F(RegistrarTest, EveryChallengeCarriesAFreshNonce) {
  auto a = header_of(send(register_text("100", "demo.orbit", "")).bytes, "WWW-Authenticate");
  auto b = header_of(send(register_text("100", "demo.orbit", "")).bytes, "WWW-Authenticate");
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace orbit::pbx
