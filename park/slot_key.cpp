// Text forms of a slot key.
#include "park/slot_key.hpp"

namespace orbit::park {

std::string to_string(const SlotKey& slot) {
  if (const auto* number = std::get_if<SlotNumber>(&slot)) {
    return std::to_string(number->value);
  }
  return std::get<UserSlot>(slot).user.str();
}

std::string describe(const SlotKey& slot) {
  if (std::holds_alternative<SlotNumber>(slot)) {
    return "slot " + to_string(slot);
  }
  return "the park of user " + to_string(slot);
}

}  // namespace orbit::park
