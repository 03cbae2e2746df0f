// The history routes: every bad parameter is a 400 naming it, before the history is asked.
#include "api/history_routes.hpp"

#include <charconv>
#include <cstdint>
#include <limits>

#include "api/history_json.hpp"
#include "api/iso8601.hpp"
#include "api/target.hpp"

namespace orbit::api {
namespace {

using store::WallTime;

ApiResponse not_configured() {
  return error_response(404, "history is not configured");
}

ApiResponse store_failure(const store::StoreError& error) {
  return error_response(500, "history: " + error.reason);
}

// A whole decimal number within [min, max], or none.
std::optional<std::int64_t> whole_number(const std::string& text, std::int64_t min,
                                         std::int64_t max) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || text.empty() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

// An absent parameter gives nothing; a bad one the message for the 400.
template <typename T>
using Parameter = std::expected<std::optional<T>, std::string>;

Parameter<std::int64_t> number_parameter(std::string_view query, std::string_view name,
                                         std::int64_t min, std::int64_t max,
                                         std::string_view what) {
  const auto text = query_parameter(query, name);
  if (!text) return std::optional<std::int64_t>{};
  if (auto value = whole_number(*text, min, max)) return value;
  return std::unexpected("'" + std::string(name) + "' must be " + std::string(what));
}

Parameter<WallTime> time_parameter(std::string_view query, std::string_view name) {
  const auto text = query_parameter(query, name);
  if (!text) return std::optional<WallTime>{};
  if (auto at = parse_iso8601(*text)) return at;
  return std::unexpected("'" + std::string(name) +
                         "' must be an ISO 8601 time such as 2025-01-31T09:00:00Z");
}

}  // namespace

ApiResponse history_response(const store::HistoryReader* history, const std::string& tenant,
                             std::string_view query) {
  if (history == nullptr) return not_configured();
  const auto limit =
      number_parameter(query, "limit", 1, static_cast<std::int64_t>(store::max_page_size),
                       "a whole number from 1 to 500");
  if (!limit) return error_response(400, limit.error());
  const auto before = number_parameter(query, "before", 1, std::numeric_limits<std::int64_t>::max(),
                                       "a history entry id (a positive whole number)");
  if (!before) return error_response(400, before.error());
  const auto page = history->page(
      tenant, static_cast<std::size_t>(limit->value_or(default_history_limit)), *before);
  if (!page) return store_failure(page.error());
  return ApiResponse{200, to_json(*page).dump(), {}};
}

ApiResponse figures_response(const store::HistoryReader* history, const std::string& tenant,
                             std::string_view query, std::chrono::system_clock::time_point now) {
  if (history == nullptr) return not_configured();
  const auto from = time_parameter(query, "from");
  if (!from) return error_response(400, from.error());
  const auto to = time_parameter(query, "to");
  if (!to) return error_response(400, to.error());
  constexpr auto day = std::chrono::hours(24);
  const WallTime end = to->value_or(std::chrono::floor<std::chrono::milliseconds>(now));
  const WallTime start = from->value_or(end - day);
  if (start >= end) return error_response(400, "'from' must be before 'to'");
  if (end - start > store::max_figures_period) {
    return error_response(400, "'to' must be at most " +
                                   std::to_string(store::max_figures_period.count()) +
                                   " days after 'from'");
  }
  const auto figures = history->figures(tenant, start, end);
  if (!figures) return store_failure(figures.error());
  return ApiResponse{200, to_json(*figures).dump(), {}};
}

}  // namespace orbit::api
