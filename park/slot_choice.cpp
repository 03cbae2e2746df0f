// Slot choice for an automatic park.
#include "park/slot_choice.hpp"

namespace orbit::park {

std::optional<SlotNumber> choose_slot(const std::set<SlotNumber>& free, SlotStrategy strategy,
                                      std::optional<SlotNumber> last_used) {
  if (free.empty()) return std::nullopt;
  if (strategy == SlotStrategy::NextAfterLastUsed && last_used) {
    if (auto after = free.upper_bound(*last_used); after != free.end()) return *after;
  }
  return *free.begin();  // first free, or wrapped round past the end of the range
}

}  // namespace orbit::park
