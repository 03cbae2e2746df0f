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

[[nodiscard]] bool iequals(std::string_view a, std::string_view b);

// Skips linear white space, including a line fold (CRLF followed by SP or HTAB).
[[nodiscard]] std::string_view skip_lws(std::string_view s);
[[nodiscard]] std::string_view trim_lws(std::string_view s);

[[nodiscard]] bool is_token(std::string_view s);

// Length of the quoted-string at the start of s (including both quotes), or nullopt when it
// does not start with '"' or is not terminated. Backslash escapes one character (RFC 3261 §25.1).
[[nodiscard]] std::optional<std::size_t> quoted_length(std::string_view s);

// The content of a quoted-string with its escapes removed.
[[nodiscard]] std::string unquote(std::string_view quoted);

// Splits a header value at top-level commas: commas inside quotes or <...> do not count.
// Empty elements are kept so that a caller can reject "a,,b".
[[nodiscard]] std::vector<std::string_view> split_commas(std::string_view value);

// Parses an unsigned decimal number with at most max_digits significant digits; leading zeros
// allowed. Fails on empty input, non-digits or a value above max_value.
[[nodiscard]] std::optional<std::uint64_t> parse_uint(std::string_view s, std::uint64_t max_value);

}  // namespace orbit::sip::lex
