// Bearer tokens: SHA-256 of the presented token compared with every configured digest.
#include "api/tokens.hpp"

#include <cctype>
#include <stdexcept>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace orbit::api {
namespace {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view text) {
  Digest out{};
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), out.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != out.size()) {
    throw std::runtime_error("SHA-256 unavailable");
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Digest> parse_hex_digest(std::string_view hex) {
  Digest out{};
  if (hex.size() != out.size() * 2) return std::nullopt;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::admin:
      return "admin";
    case Role::supervisor:
      return "supervisor";
    case Role::agent:
      return "agent";
  }
  return "agent";
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "admin") return Role::admin;
  if (text == "supervisor") return Role::supervisor;
  if (text == "agent") return Role::agent;
  return std::nullopt;
}

std::string sha256_hex(std::string_view text) {
  std::string out;
  out.reserve(64);
  for (unsigned char byte : sha256(text)) out += fmt::format("{:02x}", byte);
  return out;
}

TokenStore::TokenStore(const std::vector<TokenConfig>& entries) {
  for (const TokenConfig& config : entries) {
    const std::string label = config.name.empty() ? std::string("(unnamed)") : config.name;
    const auto digest = parse_hex_digest(config.token_sha256);
    if (!digest) {
      throw std::invalid_argument(
          fmt::format("api token {}: token_sha256 must be 64 hexadecimal digits", label));
    }
    const auto role = parse_role(config.role);
    if (!role) {
      throw std::invalid_argument(fmt::format(
          "api token {}: role '{}' is not admin, supervisor or agent", label, config.role));
    }
    if (config.tenant.empty()) {
      throw std::invalid_argument(fmt::format("api token {}: tenant is required", label));
    }
    if (*role == Role::agent && (!config.extension || config.extension->empty())) {
      throw std::invalid_argument(
          fmt::format("api token {}: an agent token needs an extension", label));
    }
    for (const Entry& existing : entries_) {
      if (existing.digest == *digest) {
        throw std::invalid_argument(
            fmt::format("api token {}: same token as {}", label, existing.principal.name));
      }
    }
    // A supervisor's or admin's extension, when given, is where "to my phone" rings.
    entries_.push_back(Entry{*digest, Principal{label, *role, config.tenant,
                                                config.extension && !config.extension->empty()
                                                    ? config.extension
                                                    : std::nullopt}});
  }
}

std::optional<Principal> TokenStore::authenticate(std::string_view authorization) const {
  authorization = trim(authorization);
  constexpr std::string_view scheme = "bearer";
  if (authorization.size() <= scheme.size() ||
      !iequals(authorization.substr(0, scheme.size()), scheme) ||
      (authorization[scheme.size()] != ' ' && authorization[scheme.size()] != '\t')) {
    return std::nullopt;
  }
  return authenticate_token(trim(authorization.substr(scheme.size())));
}

std::optional<Principal> TokenStore::authenticate_token(std::string_view token) const {
  if (token.empty()) return std::nullopt;
  // Compare the digest (not the token), with CRYPTO_memcmp, against every entry without an early
  // exit: the time taken says nothing about which bytes or which entry matched.
  const Digest presented = sha256(token);
  const Entry* match = nullptr;
  for (const Entry& entry : entries_) {
    const bool equal = CRYPTO_memcmp(entry.digest.data(), presented.data(), presented.size()) == 0;
    if (equal) match = &entry;
  }
  if (match == nullptr) return std::nullopt;
  return match->principal;
}

}  // namespace orbit::api
