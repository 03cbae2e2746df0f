// Grammar of name-addr / addr-spec (RFC 3261 §20.10, §25.1) with header parameters.
#include "sip/name_addr.hpp"

#include "sip/lex.hpp"

namespace orbit::sip {
namespace {

// display-name = *(token LWS) / quoted-string
std::expected<std::string_view, std::string> parse_display_name(std::string_view s) {
  s = lex::trim_lws(s);
  if (s.empty()) return s;
  if (s[0] == '"') {
    auto len = lex::quoted_length(s);
    if (!len) return std::unexpected("unterminated quoted display name");
    if (!lex::trim_lws(s.substr(*len)).empty()) {
      return std::unexpected("text after the quoted display name");
    }
    return s.substr(0, *len);
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!lex::is_token_char(c) && !lex::is_ws(c) && c != '\r' && c != '\n') {
      return std::unexpected("display name has characters that need quotes");
    }
  }
  return s;
}

}  // namespace

std::string NameAddr::display_text() const {
  if (!display_name.empty() && display_name[0] == '"') return lex::unquote(display_name);
  return std::string(display_name);
}

bool is_star_contact(std::string_view value) {
  return lex::trim_lws(value) == "*";
}

std::expected<NameAddr, std::string> parse_name_addr(std::string_view text) {
  NameAddr na;
  text = lex::trim_lws(text);
  if (text.empty()) return std::unexpected("empty address");
  // A '<' outside a quoted display name starts a name-addr.
  std::size_t lt = std::string_view::npos;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') {
      auto len = lex::quoted_length(text.substr(i));
      if (!len) return std::unexpected("unterminated quoted display name");
      i += *len - 1;
    } else if (text[i] == '<') {
      lt = i;
      break;
    } else if (text[i] == ';') {
      break;
    }
  }
  std::string_view rest;
  if (lt != std::string_view::npos) {
    auto dn = parse_display_name(text.substr(0, lt));
    if (!dn) return std::unexpected(dn.error());
    na.display_name = *dn;
    auto gt = text.find('>', lt);
    if (gt == std::string_view::npos) return std::unexpected("'<' without '>' around the URI");
    auto uri = parse_uri(lex::trim_lws(text.substr(lt + 1, gt - lt - 1)));
    if (!uri) return std::unexpected(uri.error());
    na.uri = *uri;
    na.bracketed = true;
    rest = lex::skip_lws(text.substr(gt + 1));
  } else {
    // addr-spec: parameters after ';' belong to the header, and the URI may not carry
    // headers or parameters of its own (RFC 3261 §20.10).
    if (text[0] == '"') return std::unexpected("display name without <URI>");
    auto semi = text.find(';');
    auto spec = lex::trim_lws(text.substr(0, semi));
    if (spec.find('?') != std::string_view::npos) {
      return std::unexpected("URI with headers must be enclosed in <>");
    }
    for (char c : spec) {
      if (lex::is_ws(c)) return std::unexpected("display name without <URI>");
    }
    auto uri = parse_uri(spec);
    if (!uri) return std::unexpected(uri.error());
    na.uri = *uri;
    rest = semi == std::string_view::npos ? std::string_view{} : text.substr(semi);
  }
  if (!rest.empty() && rest[0] != ';') return std::unexpected("stray text after the address");
  if (auto ok = check_params(rest); !ok) return std::unexpected("address " + ok.error());
  na.params = rest;
  return na;
}

}  // namespace orbit::sip
