// What the supervisor sees: every transition as an event, in order, with the data it needs.
#include <gmock/gmock.h>

#include "park/tests/park_fixture.hpp"

namespace orbit::park::testing {
namespace {

using ::testing::ElementsAre;

TEST_F(ParkFixture, AParkThenARetrieveTellTheSupervisorWhoWhereAndHowLong) {
  auto req = request(1, slot(705));
  req.caller = CallerId{"+33123456789", "Dupont"};
  req.note = "Dupont, HR question";
  ASSERT_TRUE(service.park(req, now));
  advance(42s);
  ASSERT_TRUE(retrieve(slot(705), "101"));

  auto events = service.take_events();
  ASSERT_EQ(events.size(), 2u);
  const auto& parked = std::get<CallParked>(events[0]);
  EXPECT_EQ(parked.at, start);
  EXPECT_EQ(parked.call.tenant, kDemo);
  EXPECT_EQ(parked.call.lot, kMain);
  EXPECT_EQ(parked.call.slot, slot(705));
  EXPECT_EQ(parked.call.caller, (CallerId{"+33123456789", "Dupont"}));
  EXPECT_EQ(parked.call.parker, Extension{"100"});
  EXPECT_EQ(parked.call.note, "Dupont, HR question");
  EXPECT_EQ(parked.hold_audio, HoldAudio{MusicOnHold{"default"}});

  const auto& retrieved = std::get<CallRetrieved>(events[1]);
  EXPECT_EQ(retrieved.at, start + 42s);
  EXPECT_EQ(retrieved.retriever, Extension{"101"});
  EXPECT_EQ(retrieved.waited, 42s);
  EXPECT_EQ(retrieved.call.caller.display_name, "Dupont");
  EXPECT_EQ(retrieved.call.note, "Dupont, HR question");
  EXPECT_EQ(resolution_of(events[1]), Resolution::Retrieved);
  EXPECT_EQ(event_time(events[1]), start + 42s);
  EXPECT_EQ(event_call(events[1])->slot, slot(705));
}

TEST_F(ParkFixture, AWholeRecallCycleComesOutInOrderWithItsStages) {
  ASSERT_TRUE(park(1));
  advance(100s);
  auto events = service.take_events();
  std::vector<std::string_view> names;
  std::vector<TimePoint> times;
  for (const auto& event : events) {
    names.push_back(event_name(event));
    times.push_back(event_time(event));
  }
  EXPECT_THAT(names, ElementsAre("parked", "timed-out", "recall-started", "recall-unanswered",
                                 "recall-started", "recall-unanswered", "escalated"));
  EXPECT_THAT(times, ElementsAre(start, start + 60s, start + 60s, start + 80s, start + 80s,
                                 start + 100s, start + 100s));

  const auto& timed_out = std::get<ParkTimedOut>(events[1]);
  EXPECT_EQ(timed_out.waited, 60s);
  EXPECT_EQ(timed_out.call.timeouts, 1u);
  EXPECT_EQ(std::get<RecallStarted>(events[2]).call.stage, RecallStage::RingingParker);
  EXPECT_EQ(std::get<RecallUnanswered>(events[3]).target, RecallTarget::Parker);
  EXPECT_EQ(std::get<RecallStarted>(events[4]).call.stage, RecallStage::RingingFallback);
  EXPECT_EQ(std::get<RecallUnanswered>(events[5]).target, RecallTarget::Fallback);
  const auto& escalated = std::get<CallEscalated>(events[6]);
  EXPECT_TRUE(escalated.call.escalated);
  EXPECT_EQ(escalated.call.stage, RecallStage::InSlot);
  EXPECT_EQ(escalated.waited, 100s);
  EXPECT_EQ(escalated.call.deadline, start + 160s);
  for (const auto& event : events) EXPECT_FALSE(resolution_of(event));
}

TEST_F(ParkFixture, ARefusedParkIsAnEventWithTheCallerTheParkerAndTheReason) {
  ASSERT_TRUE(park(1, slot(705)));
  (void)service.take_events();
  ASSERT_FALSE(park(2, slot(705)));
  auto events = service.take_events();
  ASSERT_EQ(events.size(), 1u);
  const auto& refused = std::get<ParkRefused>(events[0]);
  EXPECT_EQ(refused.call, CallRef{2});
  EXPECT_EQ(refused.tenant, kDemo);
  EXPECT_EQ(refused.lot, kMain);
  EXPECT_EQ(refused.slot, slot(705));
  EXPECT_EQ(refused.caller.number, "+33123456782");
  EXPECT_EQ(refused.parker, Extension{"100"});
  EXPECT_EQ(refused.error.code, ParkErrorCode::SlotOccupied);
  EXPECT_EQ(event_call(events[0]), nullptr);
  EXPECT_EQ(event_name(events[0]), "park-refused");
}

TEST_F(ParkFixture, AnAbandonIsTheLastEventOfItsCall) {
  ASSERT_TRUE(park(1));
  advance(5s);
  ASSERT_TRUE(service.abandon(CallRef{1}, now));
  advance(5min);
  auto events = service.take_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(event_name(events[1]), "abandoned");
  EXPECT_EQ(std::get<CallAbandoned>(events[1]).waited, 5s);
  EXPECT_EQ(resolution_of(events[1]), Resolution::Abandoned);
}

TEST_F(ParkFixture, TakingEventsEmptiesTheQueue) {
  ASSERT_TRUE(park(1));
  EXPECT_EQ(service.take_events().size(), 1u);
  EXPECT_TRUE(service.take_events().empty());
}

TEST_F(ParkFixture, TheParkedEventSaysWhatTheCallerHears) {
  ParkingService lobby;
  auto lot = main_lot();
  lot.hold_audio = HoldMessage{"please-hold", {"your-call-is-important", "silence/2"}};
  ASSERT_TRUE(lobby.add_lot(lot));
  ASSERT_TRUE(lobby.park(request(1), now));
  auto events = lobby.take_events();
  ASSERT_EQ(events.size(), 1u);
  const auto& audio = std::get<HoldMessage>(std::get<CallParked>(events[0]).hold_audio);
  EXPECT_EQ(audio.greeting, "please-hold");
  EXPECT_THAT(audio.loop, ElementsAre("your-call-is-important", "silence/2"));
}

TEST(ParkNames, StagesTargetsResolutionsAndErrorsHaveStableNames) {
  EXPECT_EQ(to_string(RecallStage::RingingFallback), "ringing-fallback");
  EXPECT_EQ(to_string(RecallTarget::Parker), "parker");
  EXPECT_EQ(to_string(Resolution::TimedOut), "timed-out");
  EXPECT_EQ(to_string(Resolution::Forced), "forced");
  EXPECT_EQ(to_string(ParkErrorCode::SlotAlreadyTaken), "slot-already-taken");
  EXPECT_EQ(to_string(SlotKey{SlotNumber{701}}), "701");
  EXPECT_EQ(to_string(SlotKey{UserSlot{Extension{"101"}}}), "101");
}

}  // namespace
}  // namespace orbit::park::testing
