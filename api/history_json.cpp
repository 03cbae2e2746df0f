// JSON rendering of store/history_reader.hpp values; absent optionals are JSON null.
#include "api/history_json.hpp"

#include <cmath>

#include "api/json_views.hpp"

namespace orbit::api {
namespace {

using nlohmann::json;

template <typename T, typename F>
json optional(const std::optional<T>& value, F render) {
  return value ? json(render(*value)) : json(nullptr);
}

json optional_ms(const std::optional<std::chrono::milliseconds>& wait) {
  return optional(wait, [](std::chrono::milliseconds ms) { return ms.count(); });
}

std::string iso(store::WallTime at) {
  return iso8601_utc(std::chrono::system_clock::time_point(at));
}

void add_counts(json& out, const store::FigureCounts& c) {
  out["parks"] = c.parks;
  out["retrieved"] = c.retrieved;
  out["abandoned"] = c.abandoned;
  out["parked"] = c.still_parked;
  out["retrieved_pct"] = optional(percent(c.retrieved, c.parks), [](double d) { return d; });
  out["abandoned_pct"] = optional(percent(c.abandoned, c.parks), [](double d) { return d; });
  out["recalls"] = c.recalls;
  out["escalations"] = c.escalations;
  out["median_wait_ms"] = optional_ms(c.median_wait);
  out["p90_wait_ms"] = optional_ms(c.p90_wait);
}

}  // namespace

std::optional<double> percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 10.0;
}

json to_json(const store::HistoryRow& row) {
  return {{"id", row.id},
          {"tenant", row.tenant},
          {"call", optional(row.call, [](std::uint64_t id) { return id; })},
          {"lot", row.lot},
          {"slot", row.slot},
          {"caller", {{"number", row.caller_number}, {"display_name", row.caller_name}}},
          {"parker", row.parker},
          {"note", optional(row.note, [](const std::string& s) { return s; })},
          {"parked_at", iso(row.parked_at)},
          {"outcome", store::to_string(row.outcome)},
          {"by", row.by},
          {"resolved_at", optional(row.resolved_at, iso)},
          {"waited_ms", optional_ms(row.wait)},
          {"recalls", row.recalls},
          {"escalated", row.escalated}};
}

json to_json(const store::HistoryPage& page) {
  json entries = json::array();
  for (const auto& row : page.rows) entries.push_back(to_json(row));
  return {{"entries", std::move(entries)},
          {"next_before", optional(page.next_before, [](std::int64_t id) { return id; })}};
}

json to_json(const store::Figures& figures) {
  json out = {{"from", iso(figures.from)}, {"to", iso(figures.to)}};
  add_counts(out, figures.total);
  json lots = json::array();
  for (const auto& lot : figures.lots) {
    json entry = {{"lot", lot.lot}};
    add_counts(entry, lot.counts);
    lots.push_back(std::move(entry));
  }
  json hours = json::array();
  for (const auto& hour : figures.hours) {
    hours.push_back({{"hour", iso(hour.hour)},
                     {"parks", hour.parks},
                     {"retrieved", hour.retrieved},
                     {"median_wait_ms", optional_ms(hour.median_wait)}});
  }
  out["lots"] = std::move(lots);
  out["hours"] = std::move(hours);
  return out;
}

}  // namespace orbit::api
