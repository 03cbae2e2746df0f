// Slot occupancy of a lot.
#include "park/lot.hpp"

#include <utility>

#include "park/slot_choice.hpp"

namespace orbit::park {

Lot::Lot(LotConfig config) : config_(std::move(config)) {
  if (!config_.slots) return;
  numbered_.resize(config_.slots->size());
  for (auto n = config_.slots->first.value;; ++n) {
    free_.insert(free_.end(), SlotNumber{n});
    if (n == config_.slots->last.value) break;
  }
}

std::size_t Lot::index_of(SlotNumber slot) const {
  return slot.value - config_.slots->first.value;
}

bool Lot::holds(const SlotKey& slot) const {
  if (const auto* number = std::get_if<SlotNumber>(&slot)) {
    return config_.slots && config_.slots->contains(*number);
  }
  return config_.against_users;
}

std::optional<CallRef> Lot::occupant(const SlotKey& slot) const {
  if (!holds(slot)) return std::nullopt;
  if (const auto* number = std::get_if<SlotNumber>(&slot)) return numbered_[index_of(*number)];
  auto found = users_.find(std::get<UserSlot>(slot).user);
  if (found == users_.end()) return std::nullopt;
  return found->second;
}

std::optional<SlotNumber> Lot::choose_free() const {
  return choose_slot(free_, config_.strategy, last_used_);
}

void Lot::occupy(const SlotKey& slot, CallRef call) {
  if (const auto* number = std::get_if<SlotNumber>(&slot)) {
    numbered_[index_of(*number)] = call;
    free_.erase(*number);
    last_used_ = *number;
  } else {
    users_.emplace(std::get<UserSlot>(slot).user, call);
  }
  departures_.erase(slot);
  ++occupied_;
}

void Lot::release(const SlotKey& slot, Departure how) {
  if (const auto* number = std::get_if<SlotNumber>(&slot)) {
    auto& occupant = numbered_[index_of(*number)];
    if (!occupant) return;
    occupant.reset();
    free_.insert(*number);
  } else if (users_.erase(std::get<UserSlot>(slot).user) == 0) {
    return;
  }
  departures_.insert_or_assign(slot, std::move(how));
  --occupied_;
}

std::optional<Departure> Lot::last_departure(const SlotKey& slot) const {
  auto found = departures_.find(slot);
  if (found == departures_.end()) return std::nullopt;
  return found->second;
}

std::optional<CallRef> Lot::first_occupant() const {
  if (occupied_ == 0) return std::nullopt;
  for (const auto& occupant : numbered_) {
    if (occupant) return *occupant;
  }
  if (!users_.empty()) return users_.begin()->second;
  return std::nullopt;
}

std::vector<CallRef> Lot::occupants() const {
  std::vector<CallRef> calls;
  calls.reserve(occupied_);
  for (const auto& occupant : numbered_) {
    if (occupant) calls.push_back(*occupant);
  }
  for (const auto& [user, call] : users_) calls.push_back(call);
  return calls;
}

}  // namespace orbit::park
