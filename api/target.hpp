// A request target split into its path and query, with percent-decoded query parameters.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace orbit::api {

struct Target {
  std::string_view path;
  std::string_view query;  // without '?', may be empty
};

[[nodiscard]] Target split_target(std::string_view target);

// %XX decoded; a '+' is a space only in a query (form encoding), not in a path segment.
// nullopt when a % is not followed by two hexadecimal digits.
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// The decoded value of the first `name=` parameter; nullopt when absent or badly encoded.
[[nodiscard]] std::optional<std::string> query_parameter(std::string_view query,
                                                         std::string_view name);

}  // namespace orbit::api
