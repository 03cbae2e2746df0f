// Park figures computed from the parks of a period: counts, median and p90 waits, per lot, per
// hour.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include "store/history_reader.hpp"

namespace orbit::store {

// What the figures need of one park.
struct ParkFact {
  std::string lot;
  WallTime parked_at{};
  Outcome outcome = Outcome::Parked;
  std::optional<std::chrono::milliseconds> wait;
  std::int64_t recalls = 0;
  bool escalated = false;
};

// The nearest-rank percentile (a wait that really happened): the smallest value with at least
// `percent` % of the values at or below it. None for no values.
[[nodiscard]] std::optional<std::chrono::milliseconds> percentile(
    std::vector<std::chrono::milliseconds> values, int percent);

// Figures of the parks in [from, to) among `facts` (others are ignored); from < to.
[[nodiscard]] Figures compute_figures(std::span<const ParkFact> facts, WallTime from, WallTime to);

}  // namespace orbit::store
