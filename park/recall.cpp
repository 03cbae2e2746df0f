// The recall policy: parker, then fallback, then back in the slot, escalated.
#include "park/recall.hpp"

namespace orbit::park {

RecallStep after_timeout(const LotConfig& lot) {
  return {RecallStage::RingingParker, lot.recall_ring_time};
}

RecallStep after_unanswered(RecallStage stage, const LotConfig& lot) {
  if (stage == RecallStage::RingingParker && lot.fallback) {
    return {RecallStage::RingingFallback, lot.recall_ring_time};
  }
  return {RecallStage::InSlot, lot.timeout};
}

std::optional<RecallTarget> target_of(RecallStage stage) {
  switch (stage) {
    case RecallStage::InSlot:
      return std::nullopt;
    case RecallStage::RingingParker:
      return RecallTarget::Parker;
    case RecallStage::RingingFallback:
      return RecallTarget::Fallback;
  }
  return std::nullopt;
}

std::vector<Extension> extensions_to_ring(RecallTarget target, const ParkedCall& call,
                                          const LotConfig& lot) {
  if (target == RecallTarget::Parker) return {call.parker};
  return lot.fallback ? lot.fallback->extensions : std::vector<Extension>{};
}

}  // namespace orbit::park
