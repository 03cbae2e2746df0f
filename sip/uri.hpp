// URIs of RFC 3261 §19.1 (sip, sips), RFC 3966 (tel) and opaque ones of other schemes.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace orbit::sip {

// A parsed URI; every part is a view into the text it was parsed from.
struct Uri {
  std::string_view raw;
  std::string_view scheme;    // lower-case comparisons via is_sip()/is_tel()
  std::string_view user;      // escaped as received; tel: the number
  std::string_view password;  // sip/sips only
  std::string_view host;      // an IPv6 reference keeps its brackets
  std::optional<std::uint16_t> port;
  std::string_view params;   // ";a=b;lr" as received, including the leading ';'
  std::string_view headers;  // after '?', as received
  std::string_view opaque;   // the whole part after "scheme:" for other schemes

  [[nodiscard]] bool is_sip() const;  // sip or sips
  [[nodiscard]] bool is_sips() const;
  [[nodiscard]] bool is_tel() const;
  // The value of a uri-parameter (empty for a flag like ";lr"), nullopt when absent.
  [[nodiscard]] std::optional<std::string_view> param(std::string_view name) const;
};

[[nodiscard]] std::expected<Uri, std::string> parse_uri(std::string_view text);

// Decodes %HH escapes once (RFC 3261 §19.1.2); an invalid escape is kept as is.
[[nodiscard]] std::string unescape(std::string_view s);

// Looks up `name` in a ";a=b;c" parameter list (case-insensitive names).
[[nodiscard]] std::optional<std::string_view> find_param(std::string_view params,
                                                         std::string_view name);

// Checks a ";a=b;c=\"q\"" parameter list: no empty parameter, token names, token, host or
// quoted-string values. Returns the reason of the first fault.
[[nodiscard]] std::expected<void, std::string> check_params(std::string_view params);

}  // namespace orbit::sip
