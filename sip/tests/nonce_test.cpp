// Tests for sip/nonce: stateless nonces on simulated wall-clock time.
#include "sip/nonce.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

namespace orbit::sip {
namespace {

using namespace std::chrono_literals;

const std::chrono::sys_seconds kStart{std::chrono::seconds{1'700'000'000}};

std::vector<std::uint8_t> secret(std::uint8_t fill) {
  return std::vector<std::uint8_t>(32, fill);
}

NonceService service(std::uint8_t fill = 0x42) {
  auto created = NonceService::create(secret(fill), 300s);
  EXPECT_TRUE(created);
  return *created;
}

TEST(Nonce, FreshNonceIsValidUntilItsLifetimeEnds) {
  const NonceService nonces = service();
  const auto nonce = nonces.issue(kStart);
  ASSERT_TRUE(nonce);
  EXPECT_EQ(nonce->size(), 32u);
  EXPECT_EQ(nonce->find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                     "0123456789-_"),
            std::string::npos);
  EXPECT_EQ(nonces.check(*nonce, kStart), NonceStatus::Valid);
  EXPECT_EQ(nonces.check(*nonce, kStart + 300s), NonceStatus::Valid);
  EXPECT_EQ(nonces.check(*nonce, kStart + 301s), NonceStatus::Stale);
}

TEST(Nonce, NonceFromTheFutureIsStaleBeyondClockSkew) {
  const NonceService nonces = service();
  const auto nonce = nonces.issue(kStart);
  ASSERT_TRUE(nonce);
  EXPECT_EQ(nonces.check(*nonce, kStart - NonceService::kClockSkew), NonceStatus::Valid);
  EXPECT_EQ(nonces.check(*nonce, kStart - NonceService::kClockSkew - 1s), NonceStatus::Stale);
}

TEST(Nonce, AnotherNodeWithTheSameSecretAcceptsIt) {
  const auto nonce = service().issue(kStart);
  ASSERT_TRUE(nonce);
  EXPECT_EQ(service().check(*nonce, kStart + 10s), NonceStatus::Valid);
  EXPECT_EQ(service(0x43).check(*nonce, kStart + 10s), NonceStatus::Invalid);
}

TEST(Nonce, EveryNonceIsDifferentEvenWithinOneSecond) {
  const NonceService nonces = service();
  EXPECT_NE(nonces.issue(kStart).value(), nonces.issue(kStart + 1s).value());
  const auto a = nonces.issue(kStart).value();
  const auto b = nonces.issue(kStart).value();
  EXPECT_NE(a, b);
  EXPECT_EQ(nonces.check(a, kStart), NonceStatus::Valid);
  EXPECT_EQ(nonces.check(b, kStart + 300s), NonceStatus::Valid);
  EXPECT_EQ(nonces.check(b, kStart + 301s), NonceStatus::Stale);
}

TEST(Nonce, TamperedNonceIsInvalidEvenWhenOld) {
  const NonceService nonces = service();
  const auto nonce = nonces.issue(kStart);
  ASSERT_TRUE(nonce);
  for (std::size_t i = 0; i < nonce->size(); ++i) {
    std::string tampered = *nonce;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    EXPECT_EQ(nonces.check(tampered, kStart), NonceStatus::Invalid) << "position " << i;
    EXPECT_EQ(nonces.check(tampered, kStart + 1h), NonceStatus::Invalid) << "position " << i;
  }
}

TEST(Nonce, GarbageIsInvalid) {
  const NonceService nonces = service();
  const auto nonce = nonces.issue(kStart);
  ASSERT_TRUE(nonce);
  EXPECT_EQ(nonces.check("", kStart), NonceStatus::Invalid);
  EXPECT_EQ(nonces.check(nonce->substr(1), kStart), NonceStatus::Invalid);
  EXPECT_EQ(nonces.check(*nonce + "A", kStart), NonceStatus::Invalid);
  EXPECT_EQ(nonces.check(nonce->substr(0, 31) + "=", kStart), NonceStatus::Invalid);
  EXPECT_EQ(nonces.check("dcd98b7102dd2f0e8b11d0f600bfb0c093", kStart), NonceStatus::Invalid);
}

TEST(Nonce, CreationRefusesWeakConfiguration) {
  const auto short_secret = NonceService::create(std::vector<std::uint8_t>(15, 1), 300s);
  ASSERT_FALSE(short_secret);
  EXPECT_EQ(short_secret.error().code, NonceErrorCode::WeakSecret);
  const auto no_lifetime = NonceService::create(secret(1), 0s);
  ASSERT_FALSE(no_lifetime);
  EXPECT_EQ(no_lifetime.error().code, NonceErrorCode::BadLifetime);
  EXPECT_EQ(service().lifetime(), 300s);
}

}  // namespace
}  // namespace orbit::sip
