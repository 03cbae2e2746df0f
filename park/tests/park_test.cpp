// Parking a call: the slot it takes (automatic, next after last used, directed, against a user)
// and every reason a park is refused.
#include <gmock/gmock.h>

#include "park/tests/park_fixture.hpp"

namespace orbit::park::testing {
namespace {

using ::testing::ElementsAre;

TEST_F(ParkFixture, TransferTo700TakesTheFirstFreeSlot) {
  EXPECT_EQ(number_of(park(1)), 701u);
  EXPECT_EQ(number_of(park(2)), 702u);
  EXPECT_EQ(number_of(park(3)), 703u);
  ASSERT_TRUE(retrieve(slot(702)));
  EXPECT_EQ(number_of(park(4)), 702u);  // the lowest free one again
}

TEST_F(ParkFixture, TheParkerLearnsTheSlotAndWhatWasKept) {
  auto req = request(1);
  req.note = "Dupont, HR question";
  auto parked = service.park(req, now);
  ASSERT_TRUE(parked);
  EXPECT_EQ(parked->slot, slot(701));
  EXPECT_EQ(parked->call, CallRef{1});
  EXPECT_EQ(parked->tenant, kDemo);
  EXPECT_EQ(parked->lot, kMain);
  EXPECT_EQ(parked->caller, (CallerId{"+33123456781", "Caller 1"}));
  EXPECT_EQ(parked->parker, Extension{"100"});
  EXPECT_EQ(parked->note, "Dupont, HR question");
  EXPECT_EQ(parked->parked_at, start);
  EXPECT_EQ(parked->deadline, start + 60s);
  EXPECT_EQ(parked->stage, RecallStage::InSlot);
  EXPECT_FALSE(parked->escalated);
  EXPECT_EQ(service.parked_count(), 1u);
  ASSERT_NE(service.occupant(kDemo, slot(701)), nullptr);
  EXPECT_EQ(service.occupant(kDemo, slot(701))->call, CallRef{1});
}

TEST_F(ParkFixture, NextAfterLastUsedSkipsTheSlotJustFreed) {
  ParkingService next_service;
  auto lot = main_lot();
  lot.strategy = SlotStrategy::NextAfterLastUsed;
  ASSERT_TRUE(next_service.add_lot(lot));
  auto park_next = [&](std::uint64_t call) {
    return number_of(next_service.park(request(call), now));
  };
  EXPECT_EQ(park_next(1), 701u);
  EXPECT_EQ(park_next(2), 702u);
  ASSERT_TRUE(next_service.retrieve({kDemo, slot(701), Extension{"101"}, true}, now));
  EXPECT_EQ(park_next(3), 703u);  // not 701: a colleague told "701" must not find someone else
}

TEST_F(ParkFixture, NextAfterLastUsedWrapsRoundToTheStartOfTheLot) {
  ParkingService next_service;
  auto lot = main_lot();
  lot.slots = SlotRange{SlotNumber{701}, SlotNumber{703}};
  lot.strategy = SlotStrategy::NextAfterLastUsed;
  ASSERT_TRUE(next_service.add_lot(lot));
  auto park_next = [&](std::uint64_t call) { return next_service.park(request(call), now); };
  auto take = [&](std::uint32_t n) {
    return next_service.retrieve({kDemo, slot(n), Extension{"101"}, true}, now);
  };
  EXPECT_EQ(number_of(park_next(1)), 701u);
  EXPECT_EQ(number_of(park_next(2)), 702u);
  EXPECT_EQ(number_of(park_next(3)), 703u);
  ASSERT_TRUE(take(701));
  EXPECT_EQ(number_of(park_next(4)), 701u);  // wrapped past 703
  ASSERT_TRUE(take(703));
  ASSERT_TRUE(take(702));
  EXPECT_EQ(number_of(park_next(5)), 702u);  // the one after 701, last used
}

TEST_F(ParkFixture, DirectedParkTo705TakesSlot705) {
  EXPECT_EQ(number_of(park(1, slot(705))), 705u);
  EXPECT_EQ(number_of(park(2)), 701u);  // automatic parks still start at the first free slot
  EXPECT_EQ(service.occupant(kDemo, slot(705))->call, CallRef{1});
}

TEST_F(ParkFixture, DirectedParkIntoAnOccupiedSlotIsRefusedAndTheFirstCallerStays) {
  ASSERT_TRUE(park(1, slot(705)));
  auto refused = park(2, slot(705));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ParkErrorCode::SlotOccupied);
  EXPECT_EQ(refused.error().reason, "slot 705 is already occupied");
  EXPECT_EQ(service.occupant(kDemo, slot(705))->call, CallRef{1});
  EXPECT_EQ(service.find(CallRef{2}), nullptr);
  EXPECT_EQ(service.parked_count(), 1u);
}

TEST_F(ParkFixture, DirectedParkToASlotOutsideTheLotIsRefused) {
  auto refused = park(1, slot(730));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ParkErrorCode::UnknownSlot);
  EXPECT_EQ(refused.error().reason, "slot 730 is not in lot main (701-720)");
}

TEST_F(ParkFixture, TheTwentyFirstCallFindsTheLotFull) {
  for (std::uint64_t call = 1; call <= 20; ++call) ASSERT_TRUE(park(call));
  auto refused = park(21);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ParkErrorCode::LotFull);
  EXPECT_EQ(refused.error().reason, "lot main (701-720) is full");
  EXPECT_EQ(service.find(CallRef{21}), nullptr);
  ASSERT_TRUE(retrieve(slot(713)));
  EXPECT_EQ(number_of(park(21)), 713u);
}

TEST_F(ParkFixture, ParkedAgainst101TheSlotIsHisExtension) {
  auto parked = service.park(request(1, user_slot("101"), "100", kUsers), now);
  ASSERT_TRUE(parked);
  EXPECT_EQ(parked->slot, user_slot("101"));
  EXPECT_EQ(parked->lot, kUsers);
  ASSERT_NE(service.occupant(kDemo, user_slot("101")), nullptr);
  EXPECT_EQ(service.occupant(kDemo, slot(701)), nullptr);  // no numbered slot taken

  auto taken = retrieve(user_slot("101"), "101");  // *88101
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->call, CallRef{1});
  EXPECT_EQ(service.parked_count(), 0u);
}

TEST_F(ParkFixture, ASecondCallParkedAgainstTheSameUserIsRefused) {
  ASSERT_TRUE(service.park(request(1, user_slot("101"), "100", kUsers), now));
  auto refused = service.park(request(2, user_slot("101"), "100", kUsers), now);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ParkErrorCode::SlotOccupied);
  EXPECT_EQ(refused.error().reason, "the park of user 101 is already occupied");
  // Another user's park is free.
  EXPECT_TRUE(service.park(request(2, user_slot("102"), "100", kUsers), now));
}

TEST_F(ParkFixture, ParkingAgainstAUserInANumberedLotIsRefused) {
  auto refused = park(1, user_slot("101"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ParkErrorCode::UnknownSlot);
  EXPECT_EQ(refused.error().reason, "lot main takes no parks against users");
}

TEST_F(ParkFixture, AnAutomaticParkInALotOfUsersOnlyIsRefused) {
  auto refused = service.park(request(1, std::nullopt, "100", kUsers), now);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ParkErrorCode::UnknownSlot);
}

TEST_F(ParkFixture, AUserWhoMayNotParkIsRefusedAndTheCallStaysWithHim) {
  auto req = request(1, std::nullopt, "103");
  req.can_park = false;
  auto refused = service.park(req, now);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ParkErrorCode::NotAllowedToPark);
  EXPECT_EQ(refused.error().reason, "103 is not allowed to park calls");
  EXPECT_EQ(service.parked_count(), 0u);
  EXPECT_EQ(service.next_deadline(), std::nullopt);
  EXPECT_THAT(event_names(), ElementsAre("park-refused"));
}

TEST_F(ParkFixture, AUserWhoMayNotRetrieveIsRefusedAndTheCallerStaysParked) {
  ASSERT_TRUE(park(1));
  auto refused = service.retrieve(RetrieveRequest{kDemo, slot(701), Extension{"103"}, false}, now);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ParkErrorCode::NotAllowedToRetrieve);
  EXPECT_EQ(refused.error().reason, "103 is not allowed to retrieve parked calls");
  EXPECT_NE(service.occupant(kDemo, slot(701)), nullptr);
}

TEST_F(ParkFixture, TheSameCallCannotBeParkedTwice) {
  ASSERT_TRUE(park(1));
  auto refused = park(1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ParkErrorCode::AlreadyParked);
  EXPECT_EQ(refused.error().reason, "this call is already parked on slot 701");
  EXPECT_EQ(service.occupant(kDemo, slot(702)), nullptr);
}

TEST_F(ParkFixture, ARetrievedCallIsAnOrdinaryCallAndCanBeParkedAgain) {
  ASSERT_TRUE(park(1));
  advance(30s);
  ASSERT_TRUE(retrieve(slot(701)));
  EXPECT_EQ(service.find(CallRef{1}), nullptr);
  advance(5s);
  auto again = park(1, slot(710));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->parked_at, now);  // a new park: its wait and timeout start over
  EXPECT_EQ(again->deadline, now + 60s);
  EXPECT_EQ(again->timeouts, 0u);
}

TEST_F(ParkFixture, AnUnknownLotOrTenantIsRefused) {
  auto no_lot = service.park(request(1, std::nullopt, "100", LotName{"sales"}), now);
  ASSERT_FALSE(no_lot);
  EXPECT_EQ(no_lot.error().code, ParkErrorCode::UnknownLot);
  EXPECT_EQ(no_lot.error().reason, "tenant demo.orbit has no lot sales");

  auto req = request(1);
  req.tenant = TenantId{"nowhere.test"};
  auto no_tenant = service.park(req, now);
  ASSERT_FALSE(no_tenant);
  EXPECT_EQ(no_tenant.error().code, ParkErrorCode::UnknownTenant);
}

TEST_F(ParkFixture, EachTenantHasItsOwnSlot701) {
  auto acme_lot = main_lot();
  acme_lot.tenant = TenantId{"acme.test"};
  ASSERT_TRUE(service.add_lot(acme_lot));
  ASSERT_TRUE(park(1));
  auto req = request(2);
  req.tenant = TenantId{"acme.test"};
  auto acme = service.park(req, now);
  EXPECT_EQ(number_of(acme), 701u);
  auto taken = service.retrieve({TenantId{"acme.test"}, slot(701), Extension{"101"}, true}, now);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->call, CallRef{2});
  EXPECT_EQ(service.occupant(kDemo, slot(701))->call, CallRef{1});
}

TEST_F(ParkFixture, TheDialPlanFindsTheLotByItsCodeOrItsSlot) {
  ASSERT_NE(service.lot_for_code(kDemo, "700"), nullptr);
  EXPECT_EQ(service.lot_for_code(kDemo, "700")->name, kMain);
  EXPECT_EQ(service.lot_for_code(kDemo, "799"), nullptr);
  EXPECT_EQ(service.lot_for_code(kDemo, ""), nullptr);  // the users' lot has no code
  EXPECT_EQ(service.lot_for_slot(kDemo, slot(705))->name, kMain);
  EXPECT_EQ(service.lot_for_slot(kDemo, slot(730)), nullptr);
  EXPECT_EQ(service.lot_for_slot(kDemo, user_slot("101"))->name, kUsers);
  EXPECT_EQ(service.find_lot(kDemo, kMain)->timeout, 60s);
  EXPECT_EQ(service.find_lot(TenantId{"acme.test"}, kMain), nullptr);
}

TEST_F(ParkFixture, TheLotListsItsCallsInSlotOrder) {
  ASSERT_TRUE(park(1, slot(710)));
  ASSERT_TRUE(park(2, slot(703)));
  ASSERT_TRUE(park(3));
  auto calls = service.parked_in(kDemo, kMain);
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].slot, slot(701));
  EXPECT_EQ(calls[1].slot, slot(703));
  EXPECT_EQ(calls[2].slot, slot(710));
  EXPECT_TRUE(service.parked_in(kDemo, kUsers).empty());
}

TEST_F(ParkFixture, TheFirstParkedCallOfALotIsTheFirstOfItsList) {
  EXPECT_EQ(service.first_parked_in(kDemo, kMain), nullptr);
  ASSERT_TRUE(park(1, slot(710)));
  ASSERT_TRUE(park(2, slot(703)));
  ASSERT_NE(service.first_parked_in(kDemo, kMain), nullptr);
  EXPECT_EQ(service.first_parked_in(kDemo, kMain)->slot, slot(703));
  EXPECT_EQ(service.first_parked_in(kDemo, kUsers), nullptr);
  EXPECT_EQ(service.first_parked_in(TenantId{"acme.test"}, kMain), nullptr);
}

}  // namespace
}  // namespace orbit::park::testing
