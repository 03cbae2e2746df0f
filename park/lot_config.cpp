// The rules a single lot's configuration must follow.
#include "park/lot_config.hpp"

#include <algorithm>

namespace orbit::park {
namespace {

std::unexpected<ParkError> bad(const LotConfig& lot, std::string what) {
  std::string who = lot.name.empty() ? std::string{"a lot"} : "lot " + lot.name.str();
  return std::unexpected(ParkError{ParkErrorCode::BadLotConfig, who + ": " + std::move(what)});
}

bool is_dial_code(const std::string& code) {
  return !code.empty() && code.size() <= 16 && std::ranges::all_of(code, [](char c) {
    return (c >= '0' && c <= '9') || c == '*' || c == '#';
  });
}

std::expected<void, ParkError> check_hold_audio(const LotConfig& lot) {
  if (const auto* music = std::get_if<MusicOnHold>(&lot.hold_audio)) {
    if (music->music_class.empty()) return bad(lot, "the music class has no name");
    return {};
  }
  const auto& message = std::get<HoldMessage>(lot.hold_audio);
  if (message.loop.empty()) return bad(lot, "the hold message plays no prompt");
  if (std::ranges::any_of(message.loop, [](const std::string& p) { return p.empty(); }) ||
      (message.greeting && message.greeting->empty())) {
    return bad(lot, "a prompt of the hold message has no name");
  }
  return {};
}

}  // namespace

std::expected<void, ParkError> check_lot(const LotConfig& lot) {
  if (lot.name.empty()) return bad(lot, "the lot has no name");
  if (lot.tenant.empty()) return bad(lot, "the lot belongs to no tenant");
  if (!lot.slots && !lot.against_users) {
    return bad(lot, "no slot to park in: give a slot range or take parks against users");
  }
  if (lot.slots) {
    if (lot.slots->last < lot.slots->first) return bad(lot, "the slot range ends before it starts");
    if (lot.slots->size() > kMaxSlotsPerLot) {
      return bad(lot, "more than " + std::to_string(kMaxSlotsPerLot) + " slots");
    }
  }
  if (!lot.park_code.empty() && !is_dial_code(lot.park_code)) {
    return bad(lot, "the park code \"" + lot.park_code + "\" is not 1 to 16 of 0-9 * #");
  }
  if (!lot.park_code.empty() && !lot.slots) {
    return bad(lot, "a park code needs numbered slots to pick from");
  }
  if (lot.timeout <= Duration::zero()) return bad(lot, "the timeout must be above zero");
  if (lot.recall_ring_time <= Duration::zero()) {
    return bad(lot, "the recall ring time must be above zero");
  }
  if (lot.fallback) {
    if (lot.fallback->extensions.empty()) return bad(lot, "the fallback names no extension");
    if (std::ranges::any_of(lot.fallback->extensions, &Extension::empty)) {
      return bad(lot, "the fallback names an empty extension");
    }
  }
  return check_hold_audio(lot);
}

std::string describe(const LotConfig& lot) {
  std::string text = lot.name.str();
  if (lot.slots) {
    text += " (" + std::to_string(lot.slots->first.value) + "-" +
            std::to_string(lot.slots->last.value) + ")";
  }
  return text;
}

}  // namespace orbit::park
