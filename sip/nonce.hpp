// Stateless digest nonces: a timestamp signed with HMAC-SHA256, checked for forgery and age.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace orbit::sip {

enum class NonceStatus {
  Valid,
  Stale,    // issued by us but too old (or dated ahead of the clock): answer 401 with stale=true
  Invalid,  // forged, tampered with, another secret, or not a nonce at all
};

enum class NonceErrorCode { WeakSecret, BadLifetime, CryptoFailure };

struct NonceError {
  NonceErrorCode code;
  std::string reason;

  friend bool operator==(const NonceError&, const NonceError&) = default;
};

// Issues and checks nonces without remembering them. A nonce is the base64url (no padding, 32
// characters) of an 8-byte big-endian stamp (seconds and a counter) followed by the first 16
// bytes of HMAC-SHA256(secret, stamp), so every node sharing the secret accepts it.
//
// Time is wall-clock time passed in by the caller (system_clock seconds since the Unix epoch), so
// nonces survive a restart; nothing here reads a clock. Every nonce issued is different; replay of
// a nonce-count is the registrar's to track (it holds the state).
class NonceService {
 public:
  static constexpr std::size_t kMinSecretSize = 16;
  // How far ahead of `now` a nonce may be dated, for nodes whose clocks differ slightly.
  static constexpr std::chrono::seconds kClockSkew{5};

  // Needs at least kMinSecretSize bytes of secret and a positive lifetime.
  [[nodiscard]] static std::expected<NonceService, NonceError> create(
      std::vector<std::uint8_t> secret, std::chrono::seconds lifetime);

  [[nodiscard]] std::expected<std::string, NonceError> issue(std::chrono::sys_seconds now) const;

  // Valid while now - lifetime <= issued <= now + kClockSkew.
  [[nodiscard]] NonceStatus check(std::string_view nonce, std::chrono::sys_seconds now) const;

  [[nodiscard]] std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  NonceService(std::vector<std::uint8_t> secret, std::chrono::seconds lifetime)
      : secret_(std::move(secret)), lifetime_(lifetime) {}

  std::vector<std::uint8_t> secret_;
  std::chrono::seconds lifetime_;
  mutable std::uint32_t counter_ = 0;  // issuing is logically const: the counter only salts
};

}  // namespace orbit::sip
