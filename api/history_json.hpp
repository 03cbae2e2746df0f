// The history of parked calls and its figures as JSON: waits in `*_ms`, times ISO 8601 UTC.
#pragma once

#include <nlohmann/json.hpp>

#include "store/history_reader.hpp"

namespace orbit::api {

// {"id", "tenant", "call", "lot", "slot", "caller": Party, "parker", "note", "parked_at",
//  "outcome", "by", "resolved_at", "waited_ms", "recalls", "escalated"}
[[nodiscard]] nlohmann::json to_json(const store::HistoryRow& row);
// {"entries": [HistoryEntry], "next_before": id or null}
[[nodiscard]] nlohmann::json to_json(const store::HistoryPage& page);
// {"from", "to", <counts>, "lots": [{"lot", <counts>}], "hours": [{"hour", "parks",
//  "retrieved", "median_wait_ms"}]}; <counts>: "parks", "retrieved", "abandoned", "parked",
// "retrieved_pct", "abandoned_pct", "recalls", "escalations", "median_wait_ms", "p90_wait_ms".
[[nodiscard]] nlohmann::json to_json(const store::Figures& figures);

// part / whole in percent with one decimal; none when whole is 0 (no parks, no rate).
[[nodiscard]] std::optional<double> percent(std::int64_t part, std::int64_t whole);

}  // namespace orbit::api
