// The recall policy: what follows a timeout and each recall nobody answered.
#pragma once

#include <optional>
#include <vector>

#include "park/ids.hpp"
#include "park/lot_config.hpp"
#include "park/park_clock.hpp"
#include "park/parked_call.hpp"

namespace orbit::park {

// The stage a call moves to and how long until its next deadline there.
struct RecallStep {
  RecallStage stage;
  Duration wait;
};

// Timed out in its slot: ring the parker for the recall ring time.
[[nodiscard]] RecallStep after_timeout(const LotConfig& lot);

// The ring of `stage` went unanswered: the parker's is followed by the fallback's when the lot has
// one; the last one sends the call back to its slot for another timeout. Never a hang-up.
[[nodiscard]] RecallStep after_unanswered(RecallStage stage, const LotConfig& lot);

// Whom a stage rings; nothing while the call waits in its slot.
[[nodiscard]] std::optional<RecallTarget> target_of(RecallStage stage);

// The extensions a recall of `target` rings: the parker, or every extension of the fallback.
[[nodiscard]] std::vector<Extension> extensions_to_ring(RecallTarget target, const ParkedCall& call,
                                                        const LotConfig& lot);

}  // namespace orbit::park
