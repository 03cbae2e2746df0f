// Bearer tokens from the configuration, stored as SHA-256 hex, checked in constant time.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/principal.hpp"

namespace orbit::api {

// One `[[api.tokens]]` entry of the configuration.
struct TokenConfig {
  std::string name;
  std::string token_sha256;  // 64 hex digits, either case
  std::string role;          // "admin", "supervisor", "agent"
  std::string tenant;
  std::optional<std::string> extension;  // required for an agent, optional for others
};

[[nodiscard]] std::string sha256_hex(std::string_view text);

class TokenStore {
 public:
  TokenStore() = default;
  // Start-up: throws std::invalid_argument naming the bad entry (bad hash, role, missing tenant,
  // agent without extension, duplicate hash).
  explicit TokenStore(const std::vector<TokenConfig>& entries);

  // `Authorization: Bearer <token>`; nullopt for a missing scheme, an empty or an unknown token.
  [[nodiscard]] std::optional<Principal> authenticate(std::string_view authorization) const;
  // The raw token (from a `?token=` query parameter).
  [[nodiscard]] std::optional<Principal> authenticate_token(std::string_view token) const;

  [[nodiscard]] std::size_t size() const { return entries_.size(); }

 private:
  using Digest = std::array<unsigned char, 32>;
  struct Entry {
    Digest digest;
    Principal principal;
  };
  std::vector<Entry> entries_;
};

}  // namespace orbit::api
