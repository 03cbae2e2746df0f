// HistoryStore's reads: pages of rows newest first, and the figures of a period.
#include <algorithm>
#include <limits>

#include "store/figures.hpp"
#include "store/history_store.hpp"

namespace orbit::store {
namespace {

using std::chrono::milliseconds;

WallTime wall_time(std::int64_t unix_ms) {
  return WallTime(milliseconds(unix_ms));
}

Outcome outcome_of(std::string_view text) {
  if (text == "retrieved") return Outcome::Retrieved;
  if (text == "abandoned") return Outcome::Abandoned;
  return Outcome::Parked;
}

std::optional<milliseconds> optional_ms(const sqlite::Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  return milliseconds(s.integer(column));
}

HistoryRow read_row(const sqlite::Statement& s) {
  HistoryRow row;
  row.id = s.integer(0);
  row.tenant = s.text(1);
  if (!s.is_null(2)) row.call = static_cast<std::uint64_t>(s.integer(2));
  row.lot = s.text(3);
  row.slot = s.text(4);
  row.caller_number = s.text(5);
  row.caller_name = s.text(6);
  row.parker = s.text(7);
  if (!s.is_null(8)) row.note = s.text(8);
  row.parked_at = wall_time(s.integer(9));
  row.outcome = outcome_of(s.text(10));
  row.by = s.text(11);
  if (!s.is_null(12)) row.resolved_at = wall_time(s.integer(12));
  row.wait = optional_ms(s, 13);
  row.recalls = s.integer(14);
  row.escalated = s.integer(15) != 0;
  return row;
}

}  // namespace

std::expected<HistoryPage, StoreError> HistoryStore::page(
    const std::string& tenant, std::size_t limit, std::optional<std::int64_t> before) const {
  limit = std::clamp<std::size_t>(limit, 1, max_page_size);
  auto& s = statements_.page;
  s.reset();
  s.bind(1, std::string_view(tenant));
  s.bind(2, before.value_or(std::numeric_limits<std::int64_t>::max()));
  s.bind(3, static_cast<std::int64_t>(limit + 1));  // one more tells whether a next page exists
  HistoryPage page;
  for (;;) {
    auto more = s.step();
    if (!more) return std::unexpected(std::move(more.error()));
    if (!*more) break;
    page.rows.push_back(read_row(s));
  }
  if (page.rows.size() > limit) {
    page.rows.resize(limit);
    page.next_before = page.rows.back().id;
  }
  return page;
}

std::expected<Figures, StoreError> HistoryStore::figures(const std::string& tenant, WallTime from,
                                                         WallTime to) const {
  if (from >= to || to - from > max_figures_period) {
    return std::unexpected(StoreError{StoreErrorCode::BadPeriod,
                                      "the period must end after it starts and last at most " +
                                          std::to_string(max_figures_period.count()) + " days"});
  }
  auto& s = statements_.facts;
  s.reset();
  s.bind(1, std::string_view(tenant));
  s.bind(2, static_cast<std::int64_t>(from.time_since_epoch().count()));
  s.bind(3, static_cast<std::int64_t>(to.time_since_epoch().count()));
  std::vector<ParkFact> facts;
  for (;;) {
    auto more = s.step();
    if (!more) return std::unexpected(std::move(more.error()));
    if (!*more) break;
    facts.push_back(ParkFact{s.text(0), wall_time(s.integer(1)), outcome_of(s.text(2)),
                             optional_ms(s, 3), s.integer(4), s.integer(5) != 0});
  }
  return compute_figures(facts, from, to);
}

}  // namespace orbit::store
