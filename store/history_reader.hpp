// The history of parked calls as plain values, and the read interface api/ queries it through.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orbit::store {

using WallTime = std::chrono::sys_time<std::chrono::milliseconds>;

enum class StoreErrorCode {
  CannotOpen,  // the database file cannot be opened or created, or is not Orbit's
  Failed,      // a read or a write failed (disk full, locked, corrupt)
  BadPeriod,   // figures asked for an empty or too long period
};

struct StoreError {
  StoreErrorCode code;
  std::string reason;  // a whole sentence for a log or an API answer
};

// How a parked call left its slot. A recall answered counts as retrieved, by whoever answered.
enum class Outcome { Parked, Retrieved, Abandoned };

// "parked", "retrieved", "abandoned"; inline so that api/ needs no link to this library.
[[nodiscard]] constexpr std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::Parked:
      return "parked";
    case Outcome::Retrieved:
      return "retrieved";
    case Outcome::Abandoned:
      return "abandoned";
  }
  return "parked";
}

// One park of one call; a call parked again later is another row.
struct HistoryRow {
  std::int64_t id = 0;  // grows with every park: newest rows have the highest ids
  std::string tenant;
  std::optional<std::uint64_t> call;
  std::string lot;
  std::string slot;
  std::string caller_number;
  std::string caller_name;
  std::string parker;
  std::optional<std::string> note;
  WallTime parked_at{};
  Outcome outcome = Outcome::Parked;
  std::string by;  // the retriever, or who answered the recall; empty otherwise
  std::optional<WallTime> resolved_at;
  std::optional<std::chrono::milliseconds> wait;  // from the park to leaving the slot
  std::int64_t recalls = 0;                       // recalls started (parker, fallback)
  bool escalated = false;                         // came back to its slot unanswered
};

inline constexpr std::size_t max_page_size = 500;

struct HistoryPage {
  std::vector<HistoryRow> rows;             // newest first
  std::optional<std::int64_t> next_before;  // pass as `before` for the next page; none: last page
};

// Counts over a set of parks; waits are those of retrieved calls.
struct FigureCounts {
  std::int64_t parks = 0;
  std::int64_t retrieved = 0;
  std::int64_t abandoned = 0;
  std::int64_t still_parked = 0;
  std::int64_t recalls = 0;
  std::int64_t escalations = 0;  // calls escalated at least once
  std::optional<std::chrono::milliseconds> median_wait;
  std::optional<std::chrono::milliseconds> p90_wait;
};

struct LotFigures {
  std::string lot;
  FigureCounts counts;
};

// One UTC hour of the period, for a chart of waits per hour.
struct HourFigures {
  WallTime hour{};  // its start
  std::int64_t parks = 0;
  std::int64_t retrieved = 0;
  std::optional<std::chrono::milliseconds> median_wait;
};

// Figures of the parks made in [from, to).
struct Figures {
  WallTime from{};
  WallTime to{};
  FigureCounts total;
  std::vector<LotFigures> lots;    // by lot name
  std::vector<HourFigures> hours;  // every hour overlapping the period, empty ones included
};

// Longest period figures are computed over (its hours make the chart).
inline constexpr std::chrono::days max_figures_period{31};

// Read side, queried on the signalling thread.
class HistoryReader {
 public:
  virtual ~HistoryReader() = default;
  // `limit` 1 to max_page_size; `before`: only rows with a smaller id.
  [[nodiscard]] virtual std::expected<HistoryPage, StoreError> page(
      const std::string& tenant, std::size_t limit, std::optional<std::int64_t> before) const = 0;
  [[nodiscard]] virtual std::expected<Figures, StoreError> figures(const std::string& tenant,
                                                                   WallTime from,
                                                                   WallTime to) const = 0;
};

}  // namespace orbit::store
