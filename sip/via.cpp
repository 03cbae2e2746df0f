// Grammar of one via-parm: sent-protocol LWS sent-by *(SEMI via-params).
#include "sip/via.hpp"

#include "sip/lex.hpp"
#include "sip/uri.hpp"

namespace orbit::sip {
namespace {

// Reads a token after optional LWS, leaving `s` after it.
std::string_view take_token(std::string_view& s) {
  s = lex::skip_lws(s);
  std::size_t n = 0;
  while (n < s.size() && lex::is_token_char(s[n])) ++n;
  auto tok = s.substr(0, n);
  s = s.substr(n);
  return tok;
}

bool is_hex_letter(char c) {
  return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool take_slash(std::string_view& s) {
  s = lex::skip_lws(s);
  if (s.empty() || s[0] != '/') return false;
  s = s.substr(1);
  return true;
}

}  // namespace

std::optional<std::string_view> Via::param(std::string_view name) const {
  return find_param(params, name);
}

std::string_view Via::branch() const {
  return param("branch").value_or(std::string_view{});
}

bool Via::has_rfc3261_branch() const {
  auto b = branch();
  return b.size() > kMagicCookie.size() && b.starts_with(kMagicCookie);
}

std::expected<Via, std::string> parse_via(std::string_view text) {
  Via via;
  via.raw = text;
  auto s = text;
  via.protocol = take_token(s);
  if (via.protocol.empty() || !take_slash(s)) return std::unexpected("bad Via sent-protocol");
  via.version = take_token(s);
  if (via.version.empty() || !take_slash(s)) return std::unexpected("bad Via sent-protocol");
  via.transport = take_token(s);
  if (via.transport.empty()) return std::unexpected("Via has no transport");
  auto before = s.size();
  s = lex::skip_lws(s);
  if (s.size() == before) return std::unexpected("Via needs a space before sent-by");
  std::size_t n = 0;
  if (!s.empty() && s[0] == '[') {
    n = s.find(']');
    if (n == std::string_view::npos || n < 3) return std::unexpected("bad IPv6 reference in Via");
    for (char c : s.substr(1, n - 1)) {
      if (!lex::is_digit(c) && !is_hex_letter(c) && c != ':' && c != '.') {
        return std::unexpected("bad IPv6 reference in Via");
      }
    }
    ++n;
  } else {
    while (n < s.size() && (lex::is_token_char(s[n]) && s[n] != '%')) ++n;
  }
  via.host = s.substr(0, n);
  if (via.host.empty()) return std::unexpected("Via has no sent-by host");
  s = lex::skip_lws(s.substr(n));
  if (!s.empty() && s[0] == ':') {
    s = lex::skip_lws(s.substr(1));
    std::size_t d = 0;
    while (d < s.size() && lex::is_digit(s[d])) ++d;
    auto port = lex::parse_uint(s.substr(0, d), 65535);
    if (!port) return std::unexpected("bad port in Via");
    via.port = static_cast<std::uint16_t>(*port);
    s = s.substr(d);
  }
  s = lex::trim_lws(s);
  if (!s.empty() && s[0] != ';') return std::unexpected("stray text in Via");
  if (auto ok = check_params(s); !ok) return std::unexpected("Via " + ok.error());
  via.params = s;
  if (auto b = via.param("branch"); b && b->empty()) return std::unexpected("Via branch is empty");
  return via;
}

}  // namespace orbit::sip
