// Timeout and recall on simulated time: the parker rings, then the fallback, then the call goes
// back to its slot escalated and the cycle starts again. Orbit never hangs up on a parked caller.
#include <gmock/gmock.h>

#include "park/tests/park_fixture.hpp"

namespace orbit::park::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class RecallTest : public ParkFixture {
 protected:
  // The only RecallStarted among the events since the last look.
  RecallStarted recall_started() {
    std::optional<RecallStarted> started;
    for (auto& event : service.take_events()) {
      if (auto* s = std::get_if<RecallStarted>(&event)) started = *s;
    }
    EXPECT_TRUE(started);
    return started.value_or(RecallStarted{});
  }

  const ParkedCall& call(std::uint64_t n) {
    const ParkedCall* parked = service.find(CallRef{n});
    EXPECT_NE(parked, nullptr);
    static const ParkedCall none{};
    return parked ? *parked : none;
  }
};

TEST_F(RecallTest, ParkedOn701NothingHappensBeforeSixtySeconds) {
  ASSERT_TRUE(park(1));
  (void)service.take_events();
  advance(60s - 1ms);
  EXPECT_THAT(event_names(), IsEmpty());
  EXPECT_EQ(call(1).stage, RecallStage::InSlot);
  EXPECT_EQ(service.next_deadline(), start + 60s);
}

TEST_F(RecallTest, ParkedOn701NobodyAnswersItRingsTheParkerAtSixtySeconds) {
  ASSERT_TRUE(park(1));
  (void)service.take_events();
  advance(60s);
  auto recall = recall_started();
  EXPECT_EQ(recall.at, start + 60s);
  EXPECT_EQ(recall.target, RecallTarget::Parker);
  EXPECT_THAT(recall.ring, ElementsAre(Extension{"100"}));
  EXPECT_EQ(recall.ring_time, 20s);
  EXPECT_EQ(recall.call.slot, slot(701));
  EXPECT_EQ(call(1).stage, RecallStage::RingingParker);
  EXPECT_EQ(call(1).timeouts, 1u);
  EXPECT_EQ(service.next_deadline(), start + 80s);
  // Still holding its slot while the parker's phone rings: nobody else gets 701.
  EXPECT_EQ(number_of(park(2)), 702u);
}

TEST_F(RecallTest, TheParkerAnswersTheRecallAndTheCallerIsHis) {
  ASSERT_TRUE(park(1));
  advance(65s);
  (void)service.take_events();
  auto answered = service.recall_answered(CallRef{1}, Extension{"100"}, now);
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->caller.number, "+33123456781");
  EXPECT_EQ(service.find(CallRef{1}), nullptr);
  EXPECT_EQ(service.occupant(kDemo, slot(701)), nullptr);
  EXPECT_EQ(service.next_deadline(), std::nullopt);

  auto events = service.take_events();
  ASSERT_EQ(events.size(), 1u);
  const auto& event = std::get<RecallAnswered>(events[0]);
  EXPECT_EQ(event.target, RecallTarget::Parker);
  EXPECT_EQ(event.answered_by, Extension{"100"});
  EXPECT_EQ(event.waited, 65s);
  EXPECT_EQ(resolution_of(events[0]), Resolution::TimedOut);
}

TEST_F(RecallTest, TheParkerDoesNotAnswerForTwentySecondsSoTheFallbackRings) {
  ASSERT_TRUE(park(1));
  advance(60s);
  (void)service.take_events();
  advance(20s - 1ms);
  EXPECT_THAT(event_names(), IsEmpty());
  advance(1ms);
  auto events = service.take_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<RecallUnanswered>(events[0]).target, RecallTarget::Parker);
  const auto& fallback = std::get<RecallStarted>(events[1]);
  EXPECT_EQ(fallback.target, RecallTarget::Fallback);
  EXPECT_THAT(fallback.ring, ElementsAre(Extension{"200"}, Extension{"201"}));
  EXPECT_EQ(fallback.at, start + 80s);
  EXPECT_EQ(call(1).stage, RecallStage::RingingFallback);
  EXPECT_EQ(service.next_deadline(), start + 100s);
}

TEST_F(RecallTest, TheFallbackAnswersAndTakesTheCaller) {
  ASSERT_TRUE(park(1));
  advance(90s);
  (void)service.take_events();
  auto answered = service.recall_answered(CallRef{1}, Extension{"201"}, now);
  ASSERT_TRUE(answered);
  auto events = service.take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<RecallAnswered>(events[0]).target, RecallTarget::Fallback);
  EXPECT_EQ(std::get<RecallAnswered>(events[0]).answered_by, Extension{"201"});
}

TEST_F(RecallTest, NobodyAnswersTheFallbackEitherSoItGoesBackToItsSlotEscalated) {
  ASSERT_TRUE(park(1, slot(707)));
  advance(100s);
  EXPECT_THAT(event_names(),
              ElementsAre("parked", "timed-out", "recall-started", "recall-unanswered",
                          "recall-started", "recall-unanswered", "escalated"));
  const ParkedCall& parked = call(1);
  EXPECT_EQ(parked.slot, slot(707));  // the same slot
  EXPECT_EQ(parked.stage, RecallStage::InSlot);
  EXPECT_TRUE(parked.escalated);
  EXPECT_EQ(parked.parked_at, start);  // its wait keeps counting from the first park
  EXPECT_EQ(service.next_deadline(), start + 160s);
  // It can be retrieved from its slot like any parked call.
  auto taken = retrieve(slot(707));
  ASSERT_TRUE(taken);
  EXPECT_TRUE(taken->escalated);
}

TEST_F(RecallTest, BackInItsSlotItTimesOutAgainSixtySecondsLaterAndRingsTheParkerAgain) {
  ASSERT_TRUE(park(1));
  advance(100s);
  (void)service.take_events();
  advance(60s - 1ms);
  EXPECT_THAT(event_names(), IsEmpty());
  advance(1ms);
  auto recall = recall_started();
  EXPECT_EQ(recall.target, RecallTarget::Parker);
  EXPECT_EQ(recall.at, start + 160s);
  EXPECT_TRUE(recall.call.escalated);
  EXPECT_EQ(recall.call.timeouts, 2u);
}

TEST_F(RecallTest, OrbitNeverHangsUpOnAParkedCallerEvenAfterAnHour) {
  ASSERT_TRUE(park(1));
  advance(1h);
  ASSERT_NE(service.find(CallRef{1}), nullptr);
  // One cycle is 60 s in the slot, 20 s on the parker, 20 s on the fallback.
  EXPECT_EQ(call(1).timeouts, 36u);
  for (const auto& event : service.take_events()) {
    EXPECT_FALSE(resolution_of(event)) << event_name(event);
  }
}

TEST_F(RecallTest, WithoutAFallbackAnUnansweredParkerSendsItStraightBackToItsSlot) {
  ParkingService plain;
  auto lot = main_lot();
  lot.fallback.reset();
  ASSERT_TRUE(plain.add_lot(lot));
  ASSERT_TRUE(plain.park(request(1), now));
  plain.handle_deadlines(start + 60s);
  plain.handle_deadlines(start + 80s);
  std::vector<std::string_view> names;
  for (const auto& event : plain.take_events()) names.push_back(event_name(event));
  EXPECT_THAT(names, ElementsAre("parked", "timed-out", "recall-started", "recall-unanswered",
                                 "escalated"));
  EXPECT_TRUE(plain.find(CallRef{1})->escalated);
  EXPECT_EQ(plain.next_deadline(), start + 140s);
}

TEST_F(RecallTest, TheParkerDeclinesTheRecallSoTheFallbackRingsAtOnce) {
  ASSERT_TRUE(park(1));
  advance(63s);
  (void)service.take_events();
  ASSERT_TRUE(service.recall_unanswered(CallRef{1}, RecallTarget::Parker, now));
  EXPECT_THAT(event_names(), ElementsAre("recall-unanswered", "recall-started"));
  EXPECT_EQ(call(1).stage, RecallStage::RingingFallback);
  EXPECT_EQ(service.next_deadline(), start + 83s);  // a whole ring time for the fallback
}

TEST_F(RecallTest, ALateNoAnswerFromTheParkerIsIgnoredOnceTheFallbackRings) {
  ASSERT_TRUE(park(1));
  advance(85s);
  (void)service.take_events();
  auto late = service.recall_unanswered(CallRef{1}, RecallTarget::Parker, now);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ParkErrorCode::NotRecalling);
  EXPECT_EQ(late.error().reason, "the call on slot 701 is not ringing the parker");
  EXPECT_EQ(call(1).stage, RecallStage::RingingFallback);
  EXPECT_THAT(event_names(), IsEmpty());
}

TEST_F(RecallTest, AnAnswerAfterTheCallWentBackToItsSlotIsRefused) {
  ASSERT_TRUE(park(1));
  advance(101s);
  auto late = service.recall_answered(CallRef{1}, Extension{"200"}, now);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ParkErrorCode::NotRecalling);
  EXPECT_NE(service.occupant(kDemo, slot(701)), nullptr);  // pbx/ hangs up the late phone
}

TEST_F(RecallTest, TheCallerHangsUpWhileTheParkerRingsAndTheSlotIsFree) {
  ASSERT_TRUE(park(1));
  advance(70s);
  (void)service.take_events();
  auto gone = service.abandon(CallRef{1}, now);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->stage, RecallStage::RingingParker);
  auto events = service.take_events();
  ASSERT_EQ(events.size(), 1u);
  const auto& abandoned = std::get<CallAbandoned>(events[0]);
  EXPECT_EQ(abandoned.call.stage, RecallStage::RingingParker);  // pbx/ cancels that ringing
  EXPECT_EQ(abandoned.waited, 70s);
  EXPECT_EQ(service.next_deadline(), std::nullopt);
  EXPECT_EQ(number_of(park(2)), 701u);
  // An answer that crossed the hang-up finds nobody.
  auto late = service.recall_answered(CallRef{1}, Extension{"100"}, now);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ParkErrorCode::UnknownCall);
}

TEST_F(RecallTest, AColleagueDials701WhileTheParkerRingsAndGetsTheCaller) {
  ASSERT_TRUE(park(1));
  advance(70s);
  (void)service.take_events();
  auto taken = retrieve(slot(701), "102");
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->stage, RecallStage::RingingParker);
  EXPECT_THAT(event_names(), ElementsAre("retrieved"));
  // The parker's phone answers a moment later: too late.
  auto late = service.recall_answered(CallRef{1}, Extension{"100"}, now + 10ms);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ParkErrorCode::UnknownCall);
}

TEST_F(RecallTest, ALateTickStillGivesTheParkerHisWholeRingTime) {
  ASSERT_TRUE(park(1));
  (void)service.take_events();
  now = start + 75s;  // the event loop woke 15 s late
  service.handle_deadlines(now);
  auto recall = recall_started();
  EXPECT_EQ(recall.at, start + 75s);
  EXPECT_EQ(service.next_deadline(), start + 95s);
}

TEST_F(RecallTest, AnUnknownCallHasNoRecall) {
  auto unknown = service.recall_unanswered(CallRef{9}, RecallTarget::Parker, now);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ParkErrorCode::UnknownCall);
  EXPECT_EQ(unknown.error().reason, "call 9 is not parked");
}

TEST_F(RecallTest, EachLotHasItsOwnTimeoutAndRingTime) {
  ParkingService fast;
  auto lot = main_lot();
  lot.timeout = 30s;
  lot.recall_ring_time = 10s;
  ASSERT_TRUE(fast.add_lot(lot));
  ASSERT_TRUE(fast.park(request(1), now));
  EXPECT_EQ(fast.next_deadline(), start + 30s);
  fast.handle_deadlines(start + 30s);
  EXPECT_EQ(fast.next_deadline(), start + 40s);
}

}  // namespace
}  // namespace orbit::park::testing
