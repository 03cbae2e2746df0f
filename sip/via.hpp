// The Via header (RFC 3261 §20.42, RFC 3581 rport).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace orbit::sip {

inline constexpr std::string_view kMagicCookie = "z9hG4bK";

struct Via {
  std::string_view raw;
  std::string_view protocol;  // "SIP/2.0" parts kept apart because LWS may separate them
  std::string_view version;
  std::string_view transport;  // UDP, TCP, TLS, SCTP, WS, or any token
  std::string_view host;
  std::optional<std::uint16_t> port;
  std::string_view params;  // ";branch=z9hG4bK..;rport", including the leading ';'

  [[nodiscard]] std::optional<std::string_view> param(std::string_view name) const;
  [[nodiscard]] std::string_view branch() const;
  // True when the branch carries the RFC 3261 magic cookie and something after it.
  [[nodiscard]] bool has_rfc3261_branch() const;
};

[[nodiscard]] std::expected<Via, std::string> parse_via(std::string_view text);

}  // namespace orbit::sip
