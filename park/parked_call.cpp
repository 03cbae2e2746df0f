// Names of recall stages, recall targets and resolutions.
#include "park/parked_call.hpp"

namespace orbit::park {

std::string_view to_string(RecallStage stage) {
  switch (stage) {
    case RecallStage::InSlot:
      return "in-slot";
    case RecallStage::RingingParker:
      return "ringing-parker";
    case RecallStage::RingingFallback:
      return "ringing-fallback";
  }
  return "unknown";
}

std::string_view to_string(RecallTarget target) {
  switch (target) {
    case RecallTarget::Parker:
      return "parker";
    case RecallTarget::Fallback:
      return "fallback";
  }
  return "unknown";
}

std::string_view to_string(Resolution resolution) {
  switch (resolution) {
    case Resolution::Retrieved:
      return "retrieved";
    case Resolution::Abandoned:
      return "abandoned";
    case Resolution::TimedOut:
      return "timed-out";
    case Resolution::Forced:
      return "forced";
  }
  return "unknown";
}

}  // namespace orbit::park
