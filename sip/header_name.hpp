// Identifiers of the header fields Orbit interprets, and their long and compact names.
#pragma once

#include <cstdint>
#include <string_view>

namespace orbit::sip {

enum class HeaderId : std::uint8_t {
  Other,
  Accept,
  Allow,
  AllowEvents,
  Authorization,
  CallId,
  Contact,
  ContentEncoding,
  ContentLength,
  ContentType,
  CSeq,
  Event,
  Expires,
  From,
  MaxForwards,
  MinExpires,
  ProxyAuthenticate,
  ProxyAuthorization,
  ProxyRequire,
  RecordRoute,
  ReferTo,
  ReferredBy,
  Require,
  Route,
  Subject,
  Supported,
  To,
  Unsupported,
  UserAgent,
  Via,
  WwwAuthenticate,
};

// Recognises a header name, case-insensitively, in its long or compact form (RFC 3261 §7.3.3).
[[nodiscard]] HeaderId header_id(std::string_view name);

// The canonical long name, e.g. "Call-ID"; empty for HeaderId::Other.
[[nodiscard]] std::string_view header_name(HeaderId id);

// Whether RFC 3261 allows the header to appear at most once (a second copy is an error).
[[nodiscard]] bool is_single_valued(HeaderId id);

}  // namespace orbit::sip
