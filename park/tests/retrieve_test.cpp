// Taking a parked call back: the winner of a race, empty slots, callers who hang up.
#include <gmock/gmock.h>

#include "park/tests/park_fixture.hpp"

namespace orbit::park::testing {
namespace {

using ::testing::ElementsAre;

TEST_F(ParkFixture, Dialling701TakesTheCallerAndFreesTheSlot) {
  auto req = request(1);
  req.note = "Dupont, HR question";
  ASSERT_TRUE(service.park(req, now));
  advance(12s);
  auto taken = retrieve(slot(701), "101");
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->call, CallRef{1});
  EXPECT_EQ(taken->caller.display_name, "Caller 1");  // for the retriever's display
  EXPECT_EQ(taken->note, "Dupont, HR question");
  EXPECT_EQ(service.parked_count(), 0u);
  EXPECT_EQ(service.occupant(kDemo, slot(701)), nullptr);
  EXPECT_EQ(service.next_deadline(), std::nullopt);  // no recall for a call that left
  advance(2min);
  EXPECT_THAT(event_names(), ElementsAre("parked", "retrieved"));
}

TEST_F(ParkFixture, TwoColleaguesDial701AtOnceAndExactlyOneGetsTheCaller) {
  ASSERT_TRUE(park(1));
  advance(20s);
  auto first = retrieve(slot(701), "101");
  auto second = retrieve(slot(701), "102");
  ASSERT_TRUE(first);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ParkErrorCode::SlotAlreadyTaken);
  EXPECT_EQ(second.error().reason, "slot 701 was already taken by 101");
  EXPECT_THAT(event_names(), ElementsAre("parked", "retrieved", "retrieve-refused"));
}

TEST_F(ParkFixture, AfterTheRecallWasAnsweredTheSlotIsAlreadyTaken) {
  ASSERT_TRUE(park(1));
  advance(61s);
  ASSERT_TRUE(service.recall_answered(CallRef{1}, Extension{"100"}, now));
  auto late = retrieve(slot(701), "102");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ParkErrorCode::SlotAlreadyTaken);
  EXPECT_EQ(late.error().reason, "slot 701 was already taken by 100, who answered its recall");
}

TEST_F(ParkFixture, LongAfterARetrieveTheSlotIsSimplyEmpty) {
  ASSERT_TRUE(park(1));
  ASSERT_TRUE(retrieve(slot(701), "101"));
  advance(11s);
  auto late = retrieve(slot(701), "102");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ParkErrorCode::SlotEmpty);
  EXPECT_EQ(late.error().reason, "nobody is parked on slot 701");
}

TEST_F(ParkFixture, ASlotTakenAgainIsNoLongerTakenByTheFirstRetriever) {
  ASSERT_TRUE(park(1));
  ASSERT_TRUE(retrieve(slot(701), "101"));
  ASSERT_TRUE(park(2));  // 701 again
  ASSERT_TRUE(retrieve(slot(701), "102"));
  auto third = retrieve(slot(701), "103");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().reason, "slot 701 was already taken by 102");
}

TEST_F(ParkFixture, RetrievingASlotNobodyWasParkedInSaysItIsEmpty) {
  auto empty = retrieve(slot(715));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ParkErrorCode::SlotEmpty);
  EXPECT_EQ(empty.error().reason, "nobody is parked on slot 715");
  auto events = service.take_events();
  ASSERT_EQ(events.size(), 1u);
  const auto& refused = std::get<RetrieveRefused>(events[0]);
  EXPECT_EQ(refused.tenant, kDemo);
  EXPECT_EQ(refused.slot, slot(715));
  EXPECT_EQ(refused.retriever, Extension{"101"});
  EXPECT_EQ(refused.error.code, ParkErrorCode::SlotEmpty);
}

TEST_F(ParkFixture, RetrievingASlotNoLotHoldsIsRefused) {
  auto unknown = retrieve(slot(899));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ParkErrorCode::UnknownSlot);
  EXPECT_EQ(unknown.error().reason, "no lot of demo.orbit holds slot 899");
}

TEST_F(ParkFixture, TheCallerHangsUpWhileParkedAndTheSlotIsFree) {
  ASSERT_TRUE(park(1, slot(704)));
  advance(25s);
  auto gone = service.abandon(CallRef{1}, now);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->slot, slot(704));
  EXPECT_EQ(service.occupant(kDemo, slot(704)), nullptr);
  EXPECT_EQ(service.next_deadline(), std::nullopt);
  auto empty = retrieve(slot(704));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ParkErrorCode::SlotEmpty);
  EXPECT_EQ(empty.error().reason, "nobody is parked on slot 704: the caller hung up");
  EXPECT_TRUE(park(2, slot(704)));
}

TEST_F(ParkFixture, AHangUpOfACallThatIsNotParkedIsAnError) {
  auto unknown = service.abandon(CallRef{42}, now);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ParkErrorCode::UnknownCall);
  EXPECT_TRUE(service.take_events().empty());  // no refusal by a person: nothing to tell
}

TEST_F(ParkFixture, RetrieveFromAnUnknownTenantIsRefused) {
  auto unknown =
      service.retrieve({TenantId{"nowhere.test"}, slot(701), Extension{"101"}, true}, now);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ParkErrorCode::UnknownTenant);
}

}  // namespace
}  // namespace orbit::park::testing
