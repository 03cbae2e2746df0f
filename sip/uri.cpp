// Parsing of sip, sips, tel and opaque URIs; parameter lists shared with header grammars.
#include "sip/uri.hpp"

#include <array>

#include "sip/lex.hpp"

namespace orbit::sip {
namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_hex(char c) {
  return lex::is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hex_value(char c) {
  if (lex::is_digit(c)) return c - '0';
  return lex::to_lower(c) - 'a' + 10;
}

// Characters allowed anywhere in a URI as received (RFC 3986 reserved + unreserved + '%').
constexpr std::array<bool, 256> make_uri_chars() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("-_.!~*'()%;/?:@&=+$,[]#"))
    t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr auto kUriChars = make_uri_chars();

bool is_uri_char(char c) {
  return kUriChars[static_cast<unsigned char>(c)];
}

std::expected<void, std::string> check_escapes(std::string_view s, std::string_view what) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') continue;
    if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) {
      return std::unexpected("bad %-escape in URI " + std::string(what));
    }
  }
  return {};
}

bool is_host_char(char c) {
  return is_alpha(c) || lex::is_digit(c) || c == '-' || c == '.';
}

std::expected<void, std::string> parse_hostport(std::string_view s, Uri& uri) {
  std::size_t i = 0;
  if (!s.empty() && s[0] == '[') {
    auto close = s.find(']');
    if (close == std::string_view::npos || close < 3) {
      return std::unexpected("unterminated IPv6 reference in URI host");
    }
    for (char c : s.substr(1, close - 1)) {
      if (!is_hex(c) && c != ':' && c != '.') return std::unexpected("bad IPv6 reference in URI");
    }
    i = close + 1;
  } else {
    while (i < s.size() && is_host_char(s[i])) ++i;
  }
  uri.host = s.substr(0, i);
  if (uri.host.empty()) return std::unexpected("URI has no host");
  if (i == s.size()) return {};
  if (s[i] != ':') return std::unexpected("bad character in URI host");
  auto port = lex::parse_uint(s.substr(i + 1), 65535);
  if (!port) return std::unexpected("bad port in URI");
  uri.port = static_cast<std::uint16_t>(*port);
  return {};
}

std::expected<void, std::string> parse_sip(std::string_view rest, Uri& uri) {
  // userinfo comes first and may hold '?' and ';' (user-unreserved) but never '@', which
  // no later part may hold either: the first '@' ends it.
  auto at = rest.find('@');
  if (at != std::string_view::npos) {
    auto userinfo = rest.substr(0, at);
    auto colon = userinfo.find(':');
    uri.user = userinfo.substr(0, colon);
    if (colon != std::string_view::npos) uri.password = userinfo.substr(colon + 1);
    if (uri.user.empty()) return std::unexpected("URI has an empty user part");
    rest = rest.substr(at + 1);
  }
  auto q = rest.find('?');
  if (q != std::string_view::npos) {
    uri.headers = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  auto semi = rest.find(';');
  if (semi != std::string_view::npos) {
    uri.params = rest.substr(semi);
    rest = rest.substr(0, semi);
  }
  if (auto hp = parse_hostport(rest, uri); !hp) return hp;
  if (auto ok = check_params(uri.params); !ok) {
    return std::unexpected("URI " + ok.error());
  }
  if (auto ok = check_escapes(uri.user, "user"); !ok) return ok;
  return check_escapes(uri.headers, "headers");
}

}  // namespace

bool Uri::is_sip() const {
  return lex::iequals(scheme, "sip") || lex::iequals(scheme, "sips");
}
bool Uri::is_sips() const {
  return lex::iequals(scheme, "sips");
}
bool Uri::is_tel() const {
  return lex::iequals(scheme, "tel");
}

std::optional<std::string_view> Uri::param(std::string_view name) const {
  return find_param(params, name);
}

std::expected<Uri, std::string> parse_uri(std::string_view text) {
  Uri uri;
  uri.raw = text;
  if (text.empty()) return std::unexpected("empty URI");
  for (char c : text) {
    if (!is_uri_char(c)) {
      if (lex::is_ws(c) || c == '\r' || c == '\n') return std::unexpected("whitespace in URI");
      auto u = static_cast<unsigned char>(c);
      if (u < 0x21 || u > 0x7e) return std::unexpected("control or non-ASCII byte in URI");
      return std::unexpected(std::string("invalid character '") + c + "' in URI");
    }
  }
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::unexpected("URI has no scheme");
  uri.scheme = text.substr(0, colon);
  if (!is_alpha(uri.scheme[0])) return std::unexpected("bad URI scheme");
  for (char c : uri.scheme) {
    if (!is_alpha(c) && !lex::is_digit(c) && c != '+' && c != '-' && c != '.') {
      return std::unexpected("bad URI scheme");
    }
  }
  auto rest = text.substr(colon + 1);
  uri.opaque = rest;
  if (rest.empty()) return std::unexpected("URI has nothing after its scheme");
  if (uri.is_sip()) {
    if (auto ok = parse_sip(rest, uri); !ok) return std::unexpected(ok.error());
  } else if (uri.is_tel()) {
    auto semi = rest.find(';');
    uri.user = rest.substr(0, semi);
    if (semi != std::string_view::npos) uri.params = rest.substr(semi);
    if (uri.user.empty()) return std::unexpected("tel URI has no number");
    if (auto ok = check_params(uri.params); !ok) return std::unexpected("URI " + ok.error());
  }
  return uri;
}

std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && is_hex(s[i + 1]) && is_hex(s[i + 2])) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::optional<std::string_view> find_param(std::string_view params, std::string_view name) {
  while (!params.empty()) {
    params = lex::skip_lws(params);
    if (params.empty() || params[0] != ';') return std::nullopt;
    params = lex::skip_lws(params.substr(1));
    std::size_t end = 0;
    while (end < params.size() && params[end] != ';') {
      if (params[end] == '"') {
        auto len = lex::quoted_length(params.substr(end));
        if (!len) return std::nullopt;
        end += *len;
      } else {
        ++end;
      }
    }
    auto item = params.substr(0, end);
    params = params.substr(end);
    auto eq = item.find('=');
    auto key = lex::trim_lws(item.substr(0, eq));
    if (lex::iequals(key, name)) {
      if (eq == std::string_view::npos) return std::string_view{};
      return lex::trim_lws(item.substr(eq + 1));
    }
  }
  return std::nullopt;
}

std::expected<void, std::string> check_params(std::string_view params) {
  while (!params.empty()) {
    params = lex::skip_lws(params);
    if (params.empty()) return {};
    if (params[0] != ';') return std::unexpected("parameter list has stray text");
    params = lex::skip_lws(params.substr(1));
    std::size_t n = 0;
    while (n < params.size() && (lex::is_token_char(params[n]) || params[n] == '[' ||
                                 params[n] == ']' || params[n] == ':')) {
      ++n;
    }
    if (n == 0) return std::unexpected("has an empty parameter");
    params = lex::skip_lws(params.substr(n));
    if (params.empty() || params[0] != '=') continue;
    params = lex::skip_lws(params.substr(1));
    if (!params.empty() && params[0] == '"') {
      auto len = lex::quoted_length(params);
      if (!len) return std::unexpected("has an unterminated quoted parameter value");
      params = params.substr(*len);
    } else {
      std::size_t v = 0;
      while (v < params.size() && params[v] != ';' && !lex::is_ws(params[v]) && params[v] != '\r' &&
             params[v] != ',') {
        ++v;
      }
      if (v == 0) return std::unexpected("has a parameter with an empty value");
      params = params.substr(v);
    }
  }
  return {};
}

}  // namespace orbit::sip
