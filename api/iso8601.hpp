// Reading ISO 8601 times given in a query: "2025-01-31T09:05:07Z", with fraction or offset.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace orbit::api {

// "YYYY-MM-DDTHH:MM:SS" with optional ".fff" and "Z" or "+HH:MM"/"-HH:MM" (a "+" decoded as a
// space from a query is taken as "+"), or a date alone "YYYY-MM-DD" (midnight UTC). Times
// without a zone are refused: the reader must not guess the zone. None when malformed.
[[nodiscard]] std::optional<std::chrono::sys_time<std::chrono::milliseconds>> parse_iso8601(
    std::string_view text);

}  // namespace orbit::api
