// Stateless digest nonces: timestamp || truncated HMAC-SHA256, base64url-encoded.
#include "sip/nonce.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <span>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace orbit::sip {
namespace {

constexpr std::size_t kStampSize = 8;
constexpr std::size_t kMacSize = 16;
constexpr std::size_t kRawSize = kStampSize + kMacSize;  // 24 bytes, a multiple of 3
constexpr std::size_t kEncodedSize = kRawSize / 3 * 4;   // 32 characters, no padding
constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

using Stamp = std::array<std::uint8_t, kStampSize>;
using Mac = std::array<std::uint8_t, kMacSize>;
using Raw = std::array<std::uint8_t, kRawSize>;

// The stamp holds the seconds in its upper 40 bits and a per-service counter in the lower 24, so
// that two challenges issued in the same second still get different nonces.
constexpr int kCounterBits = 24;

[[nodiscard]] Stamp encode_stamp(std::chrono::sys_seconds time, std::uint32_t counter) {
  const auto value = (static_cast<std::uint64_t>(time.time_since_epoch().count()) << kCounterBits) |
                     (counter & ((1u << kCounterBits) - 1));
  Stamp stamp{};
  for (std::size_t i = 0; i < kStampSize; ++i) {
    stamp[kStampSize - 1 - i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
  return stamp;
}

[[nodiscard]] std::chrono::sys_seconds decode_stamp(std::span<const std::uint8_t> stamp) {
  std::uint64_t value = 0;
  for (std::uint8_t byte : stamp) value = (value << 8) | byte;
  return std::chrono::sys_seconds{
      std::chrono::seconds{static_cast<std::int64_t>(value >> kCounterBits)}};
}

[[nodiscard]] std::optional<Mac> sign(std::span<const std::uint8_t> secret, const Stamp& stamp) {
  std::array<unsigned char, 32> full{};
  std::size_t length = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                stamp.data(), stamp.size(), full.data(), full.size(), &length) == nullptr ||
      length != full.size()) {
    return std::nullopt;
  }
  Mac mac{};
  std::copy_n(full.begin(), kMacSize, mac.begin());
  return mac;
}

[[nodiscard]] std::string encode_base64url(const Raw& raw) {
  std::string out;
  out.reserve(kEncodedSize);
  for (std::size_t i = 0; i < raw.size(); i += 3) {
    const std::uint32_t group = (std::uint32_t{raw[i]} << 16) | (std::uint32_t{raw[i + 1]} << 8) |
                                std::uint32_t{raw[i + 2]};
    for (int shift = 18; shift >= 0; shift -= 6) out += kBase64Url[(group >> shift) & 0x3f];
  }
  return out;
}

// Exactly kEncodedSize characters of the base64url alphabet, or nothing.
[[nodiscard]] std::optional<Raw> decode_base64url(std::string_view text) {
  if (text.size() != kEncodedSize) return std::nullopt;
  Raw raw{};
  for (std::size_t i = 0, out = 0; i < text.size(); i += 4, out += 3) {
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const std::size_t digit = kBase64Url.find(text[i + j]);
      if (digit == std::string_view::npos) return std::nullopt;
      group = (group << 6) | static_cast<std::uint32_t>(digit);
    }
    raw[out] = static_cast<std::uint8_t>(group >> 16);
    raw[out + 1] = static_cast<std::uint8_t>(group >> 8);
    raw[out + 2] = static_cast<std::uint8_t>(group);
  }
  return raw;
}

}  // namespace

std::expected<NonceService, NonceError> NonceService::create(std::vector<std::uint8_t> secret,
                                                             std::chrono::seconds lifetime) {
  if (secret.size() < kMinSecretSize) {
    return std::unexpected(
        NonceError{NonceErrorCode::WeakSecret, "nonce secret has " + std::to_string(secret.size()) +
                                                   " bytes, needs at least " +
                                                   std::to_string(kMinSecretSize)});
  }
  if (lifetime <= std::chrono::seconds::zero()) {
    return std::unexpected(NonceError{NonceErrorCode::BadLifetime, "nonce lifetime must be > 0"});
  }
  return NonceService(std::move(secret), lifetime);
}

std::expected<std::string, NonceError> NonceService::issue(std::chrono::sys_seconds now) const {
  const Stamp stamp = encode_stamp(now, counter_++);
  const auto mac = sign(secret_, stamp);
  if (!mac) {
    return std::unexpected(NonceError{NonceErrorCode::CryptoFailure, "HMAC-SHA256 failed"});
  }
  Raw raw{};
  std::copy(stamp.begin(), stamp.end(), raw.begin());
  std::copy(mac->begin(), mac->end(), raw.begin() + kStampSize);
  return encode_base64url(raw);
}

NonceStatus NonceService::check(std::string_view nonce, std::chrono::sys_seconds now) const {
  const auto raw = decode_base64url(nonce);
  if (!raw) return NonceStatus::Invalid;
  Stamp stamp{};
  std::copy_n(raw->begin(), kStampSize, stamp.begin());
  const auto mac = sign(secret_, stamp);
  if (!mac || CRYPTO_memcmp(mac->data(), raw->data() + kStampSize, kMacSize) != 0) {
    return NonceStatus::Invalid;
  }
  const std::chrono::sys_seconds issued = decode_stamp(stamp);
  if (issued > now + kClockSkew || issued < now - lifetime_) return NonceStatus::Stale;
  return NonceStatus::Valid;
}

}  // namespace orbit::sip
