// The administrator's mistakes in a lot's configuration, each refused with a clear reason.
#include <gtest/gtest.h>

#include "park/tests/park_fixture.hpp"

namespace orbit::park::testing {
namespace {

std::string refusal(const std::expected<void, ParkError>& result) {
  EXPECT_FALSE(result);
  if (result) return "";
  EXPECT_EQ(result.error().code, ParkErrorCode::BadLotConfig);
  return result.error().reason;
}

TEST(LotConfig, TheDemoLotIsFineAndDefaultsToSixtyAndTwentySecondsOfMusic) {
  LotConfig lot = main_lot();
  EXPECT_TRUE(check_lot(lot));
  LotConfig defaults;
  EXPECT_EQ(defaults.timeout, 60s);
  EXPECT_EQ(defaults.recall_ring_time, 20s);
  EXPECT_EQ(defaults.strategy, SlotStrategy::FirstFree);
  EXPECT_EQ(defaults.hold_audio, HoldAudio{MusicOnHold{"default"}});
  EXPECT_FALSE(defaults.fallback);
}

TEST(LotConfig, EachRuleOfASingleLotHasItsReason) {
  struct Case {
    void (*spoil)(LotConfig&);
    const char* reason;
  };
  const Case cases[] = {
      {[](LotConfig& l) { l.name = LotName{}; }, "a lot: the lot has no name"},
      {[](LotConfig& l) { l.tenant = TenantId{}; }, "lot main: the lot belongs to no tenant"},
      {[](LotConfig& l) {
         l.slots.reset();
         l.park_code.clear();
       },
       "lot main: no slot to park in: give a slot range or take parks against users"},
      {[](LotConfig& l) {
         l.slots = SlotRange{SlotNumber{720}, SlotNumber{701}};
       },
       "lot main: the slot range ends before it starts"},
      {[](LotConfig& l) {
         l.slots = SlotRange{SlotNumber{1}, SlotNumber{200'000}};
       },
       "lot main: more than 100000 slots"},
      {[](LotConfig& l) { l.park_code = "7OO"; },
       "lot main: the park code \"7OO\" is not 1 to 16 of 0-9 * #"},
      {[](LotConfig& l) {
         l.slots.reset();
         l.against_users = true;
       },
       "lot main: a park code needs numbered slots to pick from"},
      {[](LotConfig& l) { l.timeout = 0s; }, "lot main: the timeout must be above zero"},
      {[](LotConfig& l) { l.recall_ring_time = -1s; },
       "lot main: the recall ring time must be above zero"},
      {[](LotConfig& l) {
         l.fallback = RecallDestination{"nobody", {}};
       },
       "lot main: the fallback names no extension"},
      {[](LotConfig& l) {
         l.fallback = RecallDestination{"odd", {Extension{""}}};
       },
       "lot main: the fallback names an empty extension"},
      {[](LotConfig& l) { l.hold_audio = MusicOnHold{""}; },
       "lot main: the music class has no name"},
      {[](LotConfig& l) {
         l.hold_audio = HoldMessage{"please-hold", {}};
       },
       "lot main: the hold message plays no prompt"},
      {[](LotConfig& l) {
         l.hold_audio = HoldMessage{"", {"x"}};
       },
       "lot main: a prompt of the hold message has no name"},
  };
  for (const auto& c : cases) {
    LotConfig lot = main_lot();
    c.spoil(lot);
    EXPECT_EQ(refusal(check_lot(lot)), c.reason);
    ParkingService service;
    EXPECT_FALSE(service.add_lot(lot)) << c.reason;
  }
}

TEST(LotConfig, TheLotsOfATenantMustNotCollide) {
  ParkingService service;
  ASSERT_TRUE(service.add_lot(main_lot()));
  ASSERT_TRUE(service.add_lot(users_lot()));

  LotConfig same_name = main_lot();
  same_name.slots = SlotRange{SlotNumber{801}, SlotNumber{810}};
  same_name.park_code = "800";
  EXPECT_EQ(refusal(service.add_lot(same_name)),
            "lot main: the tenant has another lot of that name");

  LotConfig overlapping = same_name;
  overlapping.name = LotName{"sales"};
  overlapping.slots = SlotRange{SlotNumber{715}, SlotNumber{730}};
  EXPECT_EQ(refusal(service.add_lot(overlapping)),
            "lot sales: its slots overlap those of lot main (701-720)");

  LotConfig same_code = overlapping;
  same_code.slots = SlotRange{SlotNumber{801}, SlotNumber{810}};
  same_code.park_code = "700";
  EXPECT_EQ(refusal(service.add_lot(same_code)),
            "lot sales: its park code 700 is that of lot main");

  LotConfig code_is_a_slot = same_code;
  code_is_a_slot.park_code = "705";
  EXPECT_EQ(refusal(service.add_lot(code_is_a_slot)),
            "lot sales: its park code 705 is a slot of lot main (701-720)");

  LotConfig slots_hold_a_code = same_code;
  slots_hold_a_code.slots = SlotRange{SlotNumber{690}, SlotNumber{700}};
  slots_hold_a_code.park_code = "800";
  EXPECT_EQ(refusal(service.add_lot(slots_hold_a_code)),
            "lot sales: its slots include the park code of lot main");

  LotConfig more_users = users_lot();
  more_users.name = LotName{"webex"};
  EXPECT_EQ(refusal(service.add_lot(more_users)),
            "lot webex: lot users already takes the parks against users");

  LotConfig fine = same_code;
  fine.park_code = "800";
  EXPECT_TRUE(service.add_lot(fine));

  LotConfig other_tenant = main_lot();  // the same numbers in another tenant are another lot
  other_tenant.tenant = TenantId{"acme.test"};
  EXPECT_TRUE(service.add_lot(other_tenant));
}

TEST(LotConfig, ThreeCxOrbitsZeroToNineAreSlots) {
  ParkingService service;
  LotConfig orbits;
  orbits.tenant = kDemo;
  orbits.name = LotName{"3cx"};
  orbits.slots = SlotRange{SlotNumber{0}, SlotNumber{9}};
  ASSERT_TRUE(service.add_lot(orbits));
  ParkRequest request;
  request.call = CallRef{1};
  request.tenant = kDemo;
  request.lot = orbits.name;
  request.slot = SlotNumber{3};  // *03
  request.parker = Extension{"100"};
  request.can_park = true;
  auto parked = service.park(request, TimePoint{});
  ASSERT_TRUE(parked);
  EXPECT_EQ(to_string(parked->slot), "3");
}

}  // namespace
}  // namespace orbit::park::testing
