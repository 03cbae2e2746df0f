// GET /api/v1/history and /api/v1/figures: query parameters checked, the history asked, JSON out.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "api/routes.hpp"
#include "store/history_reader.hpp"

namespace orbit::api {

inline constexpr std::size_t default_history_limit = 50;

// `limit` (1 to 500, default 50) and `before` (a row id) from the query; `history` may be null
// (not configured: 404).
[[nodiscard]] ApiResponse history_response(const store::HistoryReader* history,
                                           const std::string& tenant, std::string_view query);

// `from` and `to` (ISO 8601) from the query; the period defaults to the 24 hours before `now`
// (with only `from`: up to now; with only `to`: the 24 hours before it).
[[nodiscard]] ApiResponse figures_response(const store::HistoryReader* history,
                                           const std::string& tenant, std::string_view query,
                                           std::chrono::system_clock::time_point now);

}  // namespace orbit::api
