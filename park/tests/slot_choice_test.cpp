// Slot choice for an automatic park, table-driven: first free, next after last used, wrap-around.
#include "park/slot_choice.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace orbit::park {
namespace {

std::set<SlotNumber> free_slots(std::initializer_list<std::uint32_t> numbers) {
  std::set<SlotNumber> slots;
  for (auto n : numbers) slots.insert(SlotNumber{n});
  return slots;
}

struct Case {
  const char* scenario;
  std::set<SlotNumber> free;
  SlotStrategy strategy;
  std::optional<std::uint32_t> last_used;
  std::optional<std::uint32_t> chosen;
};

TEST(SlotChoice, PicksAsTheLotSays) {
  using enum SlotStrategy;
  const std::vector<Case> cases = {
      {"first free in an empty lot", free_slots({701, 702, 703}), FirstFree, std::nullopt, 701},
      {"first free ignores the last used", free_slots({701, 703}), FirstFree, 702, 701},
      {"next starts at the first when nothing was used", free_slots({701, 702}), NextAfterLastUsed,
       std::nullopt, 701},
      {"next takes the one after the last used", free_slots({701, 703, 704}), NextAfterLastUsed,
       702, 703},
      {"next skips occupied slots", free_slots({701, 705}), NextAfterLastUsed, 702, 705},
      {"next wraps round at the end", free_slots({701, 702}), NextAfterLastUsed, 703, 701},
      {"next may come back to the last used itself", free_slots({702}), NextAfterLastUsed, 702,
       702},
      {"a full lot gives nothing", free_slots({}), FirstFree, std::nullopt, std::nullopt},
      {"a full lot gives nothing either way", free_slots({}), NextAfterLastUsed, 710, std::nullopt},
  };
  for (const auto& c : cases) {
    std::optional<SlotNumber> last;
    if (c.last_used) last = SlotNumber{*c.last_used};
    auto chosen = choose_slot(c.free, c.strategy, last);
    std::optional<std::uint32_t> value;
    if (chosen) value = chosen->value;
    EXPECT_EQ(value, c.chosen) << c.scenario;
  }
}

}  // namespace
}  // namespace orbit::park
