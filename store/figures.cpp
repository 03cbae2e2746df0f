// Park figures: one pass to group the parks by lot and by hour, then percentiles per group.
#include "store/figures.hpp"

#include <algorithm>
#include <map>

namespace orbit::store {
namespace {

using std::chrono::milliseconds;

// Counts of a group, with the waits of its retrieved calls kept for the percentiles.
struct Tally {
  FigureCounts counts;
  std::vector<milliseconds> waits;

  void add(const ParkFact& fact) {
    ++counts.parks;
    counts.recalls += fact.recalls;
    if (fact.escalated) ++counts.escalations;
    switch (fact.outcome) {
      case Outcome::Retrieved:
        ++counts.retrieved;
        if (fact.wait) waits.push_back(*fact.wait);
        break;
      case Outcome::Abandoned:
        ++counts.abandoned;
        break;
      case Outcome::Parked:
        ++counts.still_parked;
        break;
    }
  }

  [[nodiscard]] FigureCounts finish() const {
    FigureCounts out = counts;
    out.median_wait = percentile(waits, 50);
    out.p90_wait = percentile(waits, 90);
    return out;
  }
};

}  // namespace

std::optional<milliseconds> percentile(std::vector<milliseconds> values, int percent) {
  if (values.empty()) return std::nullopt;
  // rank = ceil(percent * n / 100), 1-based.
  const std::size_t n = values.size();
  std::size_t rank = (static_cast<std::size_t>(percent) * n + 99) / 100;
  rank = std::clamp<std::size_t>(rank, 1, n);
  std::ranges::nth_element(values, values.begin() + static_cast<std::ptrdiff_t>(rank - 1));
  return values[rank - 1];
}

Figures compute_figures(std::span<const ParkFact> facts, WallTime from, WallTime to) {
  using std::chrono::hours;
  Figures figures;
  figures.from = from;
  figures.to = to;
  const auto first_hour = std::chrono::floor<hours>(from);
  const auto hour_count =
      static_cast<std::size_t>(std::chrono::ceil<hours>(to - WallTime(first_hour)).count());
  Tally total;
  std::map<std::string, Tally, std::less<>> lots;
  std::vector<Tally> per_hour(hour_count);
  for (const ParkFact& fact : facts) {
    if (fact.parked_at < from || fact.parked_at >= to) continue;
    total.add(fact);
    lots[fact.lot].add(fact);
    const auto index = static_cast<std::size_t>(
        std::chrono::floor<hours>(fact.parked_at - WallTime(first_hour)).count());
    per_hour[index].add(fact);
  }
  figures.total = total.finish();
  for (const auto& [name, tally] : lots) figures.lots.push_back({name, tally.finish()});
  for (std::size_t i = 0; i < hour_count; ++i) {
    const FigureCounts counts = per_hour[i].finish();
    figures.hours.push_back(
        {WallTime(first_hour + hours(i)), counts.parks, counts.retrieved, counts.median_wait});
  }
  return figures;
}

}  // namespace orbit::store
