// Lexical rules of RFC 3261 §25.1 shared by every header grammar.
#include "sip/lex.hpp"

#include <string>

namespace orbit::sip::lex {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

std::string_view skip_lws(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (is_ws(s[i])) {
      ++i;
    } else if (s[i] == '\r' && i + 2 < s.size() && s[i + 1] == '\n' && is_ws(s[i + 2])) {
      i += 3;
    } else if (s[i] == '\n' && i + 1 < s.size() && is_ws(s[i + 1])) {
      i += 2;
    } else {
      break;
    }
  }
  return s.substr(i);
}

std::string_view trim_lws(std::string_view s) {
  s = skip_lws(s);
  while (!s.empty() && (is_ws(s.back()) || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

std::optional<std::size_t> quoted_length(std::string_view s) {
  if (s.empty() || s[0] != '"') return std::nullopt;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::nullopt;
}

std::string unquote(std::string_view quoted) {
  if (quoted.size() >= 2 && quoted.front() == '"' && quoted.back() == '"') {
    quoted = quoted.substr(1, quoted.size() - 2);
  }
  std::string out;
  out.reserve(quoted.size());
  for (std::size_t i = 0; i < quoted.size(); ++i) {
    if (quoted[i] == '\\' && i + 1 < quoted.size()) ++i;
    out.push_back(quoted[i]);
  }
  return out;
}

std::vector<std::string_view> split_commas(std::string_view value) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  bool in_angle = false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '"') {
      auto len = quoted_length(value.substr(i));
      if (!len) break;  // unterminated: the element grammar reports it
      i += *len - 1;
    } else if (c == '<') {
      in_angle = true;
    } else if (c == '>') {
      in_angle = false;
    } else if (c == ',' && !in_angle) {
      out.push_back(trim_lws(value.substr(start, i - start)));
      start = i + 1;
    }
  }
  out.push_back(trim_lws(value.substr(start)));
  return out;
}

std::optional<std::uint64_t> parse_uint(std::string_view s, std::uint64_t max_value) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > max_value) return std::nullopt;
  }
  return v;
}

}  // namespace orbit::sip::lex
