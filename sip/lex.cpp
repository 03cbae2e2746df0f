// Lexical rules of RFC 3261 §25.1 shared by every header grammar.
#include "sip/lex.hpp"

#include <string>

namespace orbit::sip::lex {

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
  for_each_comma_element(value, [&](std::string_view element) {
    out.push_back(element);
    return true;
  });
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
