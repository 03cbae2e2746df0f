// A lot at run time: its configuration, who waits in each slot, and who last left each slot.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "park/ids.hpp"
#include "park/lot_config.hpp"
#include "park/park_clock.hpp"
#include "park/parked_call.hpp"
#include "park/slot_key.hpp"

namespace orbit::park {

// How the last caller of a slot left it, remembered to tell a late retriever why it is empty.
struct Departure {
  Resolution how;
  Extension by;  // who took it (retriever or recall answerer); empty when abandoned
  TimePoint at;
};

class Lot {
 public:
  explicit Lot(LotConfig config);

  [[nodiscard]] const LotConfig& config() const { return config_; }

  // The key names a slot of this lot: a number in its range, or a user when it takes those.
  [[nodiscard]] bool holds(const SlotKey& slot) const;
  // Who waits in a slot of this lot.
  [[nodiscard]] std::optional<CallRef> occupant(const SlotKey& slot) const;
  // The numbered slot an automatic park would take, by the lot's strategy; none when full.
  [[nodiscard]] std::optional<SlotNumber> choose_free() const;

  // Preconditions: holds(slot), no occupant.
  void occupy(const SlotKey& slot, CallRef call);
  // Precondition: holds(slot).
  void release(const SlotKey& slot, Departure how);
  [[nodiscard]] std::optional<Departure> last_departure(const SlotKey& slot) const;

  // The calls waiting, numbered slots in order first, then users' parks by extension.
  [[nodiscard]] std::vector<CallRef> occupants() const;
  // The first of occupants(), without building the list.
  [[nodiscard]] std::optional<CallRef> first_occupant() const;
  [[nodiscard]] std::size_t occupied_count() const { return occupied_; }

 private:
  [[nodiscard]] std::size_t index_of(SlotNumber slot) const;

  LotConfig config_;
  std::vector<std::optional<CallRef>> numbered_;  // index: slot number - first
  std::set<SlotNumber> free_;                     // free numbered slots, for O(log n) choice
  std::map<Extension, CallRef> users_;
  std::optional<SlotNumber> last_used_;
  std::map<SlotKey, Departure> departures_;
  std::size_t occupied_ = 0;
};

}  // namespace orbit::park
