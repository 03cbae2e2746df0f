// The park domain on simulated time: a demo tenant with lot "main" (701-720, code 700, 60 s,
// recall 20 s, fallback 200+201) and a lot of parks against users, a manual clock that wakes at
// every deadline as the event loop would, and helpers that read like what people do.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "park/parking_service.hpp"

namespace orbit::park::testing {

using namespace std::chrono_literals;

inline const TenantId kDemo{"demo.orbit"};
inline const LotName kMain{"main"};
inline const LotName kUsers{"users"};

inline SlotKey slot(std::uint32_t number) {
  return SlotNumber{number};
}
inline SlotKey user_slot(std::string extension) {
  return UserSlot{Extension{std::move(extension)}};
}

inline LotConfig main_lot() {
  LotConfig lot;
  lot.tenant = kDemo;
  lot.name = kMain;
  lot.slots = SlotRange{SlotNumber{701}, SlotNumber{720}};
  lot.park_code = "700";
  lot.fallback = RecallDestination{"reception group", {Extension{"200"}, Extension{"201"}}};
  return lot;
}

inline LotConfig users_lot() {
  LotConfig lot;
  lot.tenant = kDemo;
  lot.name = kUsers;
  lot.against_users = true;
  return lot;
}

class ParkFixture : public ::testing::Test {
 protected:
  ParkFixture() {
    EXPECT_TRUE(service.add_lot(main_lot()));
    EXPECT_TRUE(service.add_lot(users_lot()));
  }

  // Moves the clock on by d, running each deadline when it falls due, like the event loop's timer.
  void advance(Duration d) {
    const TimePoint until = now + d;
    while (auto next = service.next_deadline()) {
      if (*next > until) break;
      now = *next;
      service.handle_deadlines(now);
      if (service.next_deadline() <= std::optional{now}) {
        ADD_FAILURE() << "a deadline due now was not handled";
        break;
      }
    }
    now = until;
  }

  [[nodiscard]] Duration since_start() const { return now - start; }

  // The trunk caller number n ("+3312345678n", "Caller n") parked by 100 (or whoever).
  ParkRequest request(std::uint64_t call, std::optional<SlotKey> where = std::nullopt,
                      std::string parker = "100", LotName lot = kMain) const {
    ParkRequest r;
    r.call = CallRef{call};
    r.tenant = kDemo;
    r.lot = std::move(lot);
    r.slot = std::move(where);
    r.caller = CallerId{"+3312345678" + std::to_string(call), "Caller " + std::to_string(call)};
    r.parker = Extension{std::move(parker)};
    r.can_park = true;
    return r;
  }

  std::expected<ParkedCall, ParkError> park(std::uint64_t call,
                                            std::optional<SlotKey> where = std::nullopt) {
    return service.park(request(call, std::move(where)), now);
  }

  std::expected<ParkedCall, ParkError> retrieve(SlotKey where, std::string retriever = "101") {
    return service.retrieve(
        RetrieveRequest{kDemo, std::move(where), Extension{std::move(retriever)}, true}, now);
  }

  // The slot number a successful park took.
  static std::uint32_t number_of(const std::expected<ParkedCall, ParkError>& parked) {
    EXPECT_TRUE(parked) << (parked ? "" : parked.error().reason);
    if (!parked) return 0;
    return std::get<SlotNumber>(parked->slot).value;
  }

  // The names of the events since the last look.
  std::vector<std::string_view> event_names() {
    std::vector<std::string_view> names;
    for (const auto& event : service.take_events()) names.push_back(event_name(event));
    return names;
  }

  const TimePoint start = TimePoint{} + 1h;
  TimePoint now = start;
  ParkingService service;
};

}  // namespace orbit::park::testing
