// name-addr / addr-spec with header parameters: From, To, Contact, Route, Record-Route, Refer-To.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "sip/uri.hpp"

namespace orbit::sip {

struct NameAddr {
  std::string_view display_name;  // as received: a quoted-string or tokens; empty when absent
  Uri uri;
  bool bracketed = false;   // written as <uri>
  std::string_view params;  // header parameters ";tag=x;expires=60", including the leading ';'

  [[nodiscard]] std::optional<std::string_view> param(std::string_view name) const {
    return find_param(params, name);
  }
  [[nodiscard]] std::string_view tag() const { return param("tag").value_or(std::string_view{}); }
  // The display name without quotes and escapes.
  [[nodiscard]] std::string display_text() const;
};

// Parses one element (no top-level commas). `*` is not a name-addr: see is_star_contact().
[[nodiscard]] std::expected<NameAddr, std::string> parse_name_addr(std::string_view text);

[[nodiscard]] bool is_star_contact(std::string_view value);

}  // namespace orbit::sip
