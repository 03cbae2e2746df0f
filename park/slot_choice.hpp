// Which free numbered slot an automatic park takes: the first free, or the next after the last
// used.
#pragma once

#include <optional>
#include <set>

#include "park/ids.hpp"
#include "park/lot_config.hpp"

namespace orbit::park {

// free holds the lot's free slots; last_used is the slot the lot gave out last, if any. Nothing
// when no slot is free. O(log n).
[[nodiscard]] std::optional<SlotNumber> choose_slot(const std::set<SlotNumber>& free,
                                                    SlotStrategy strategy,
                                                    std::optional<SlotNumber> last_used);

}  // namespace orbit::park
