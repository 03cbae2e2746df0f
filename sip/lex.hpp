// Lexical rules of RFC 3261 §25.1 shared by every header grammar: tokens, LWS, quoted strings.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace orbit::sip::lex {

namespace detail {
constexpr std::array<bool, 256> make_token_table() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("-.!%*_+`'~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
inline constexpr std::array<bool, 256> kToken = make_token_table();
}  // namespace detail

[[nodiscard]] constexpr bool is_token_char(char c) {
  return detail::kToken[static_cast<unsigned char>(c)];
}
[[nodiscard]] constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
[[nodiscard]] constexpr bool is_ws(char c) {
  return c == ' ' || c == '\t';
}
[[nodiscard]] constexpr char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

[[nodiscard]] constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

// Skips linear white space, including a line fold (CRLF followed by SP or HTAB).
[[nodiscard]] constexpr std::string_view skip_lws(std::string_view s) {
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

[[nodiscard]] constexpr std::string_view trim_lws(std::string_view s) {
  s = skip_lws(s);
  while (!s.empty() && (is_ws(s.back()) || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

[[nodiscard]] constexpr bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

// Length of the quoted-string at the start of s (including both quotes), or nullopt when it
// does not start with '"' or is not terminated. Backslash escapes one character (RFC 3261 §25.1).
[[nodiscard]] constexpr std::optional<std::size_t> quoted_length(std::string_view s) {
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

// The content of a quoted-string with its escapes removed.
[[nodiscard]] std::string unquote(std::string_view quoted);

// Splits a header value at top-level commas: commas inside quotes or <...> do not count.
// Empty elements are kept so that a caller can reject "a,,b".
[[nodiscard]] std::vector<std::string_view> split_commas(std::string_view value);

// Calls f with each element split_commas would list, in order, without building the list;
// stops early when f returns false.
template <class F>
constexpr void for_each_comma_element(std::string_view value, F&& f) {
  // Without a comma there is one element whatever the quotes and brackets say: one memchr.
  if (value.find(',') == std::string_view::npos) {
    f(trim_lws(value));
    return;
  }
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
      if (!f(trim_lws(value.substr(start, i - start)))) return;
      start = i + 1;
    }
  }
  f(trim_lws(value.substr(start)));
}

// Parses an unsigned decimal number with at most max_digits significant digits; leading zeros
// allowed. Fails on empty input, non-digits or a value above max_value.
[[nodiscard]] std::optional<std::uint64_t> parse_uint(std::string_view s, std::uint64_t max_value);

}  // namespace orbit::sip::lex
