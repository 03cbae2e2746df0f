// Deadlines: the queue on its own, next_deadline() through the recall stages, and ten thousand
// parked calls timed out in order without a scan per tick.
#include <gmock/gmock.h>

#include "park/deadline_queue.hpp"
#include "park/tests/park_fixture.hpp"

namespace orbit::park::testing {
namespace {

using ::testing::ElementsAre;

TEST(DeadlineQueue, PopsTheEarliestFirstAndEqualDeadlinesInTheOrderTheyWereSet) {
  DeadlineQueue queue;
  const TimePoint t0{};
  queue.schedule(CallRef{1}, t0 + 30s);
  queue.schedule(CallRef{2}, t0 + 10s);
  queue.schedule(CallRef{3}, t0 + 30s);
  EXPECT_EQ(queue.next(), t0 + 10s);
  EXPECT_FALSE(queue.pop_due(t0 + 9s));
  std::vector<std::uint64_t> order;
  while (auto due = queue.pop_due(t0 + 30s)) order.push_back(due->call.value);
  EXPECT_THAT(order, ElementsAre(2u, 1u, 3u));
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.next(), std::nullopt);
}

TEST(DeadlineQueue, ACallHasOneDeadlineThatCanMoveOrBeCancelled) {
  DeadlineQueue queue;
  const TimePoint t0{};
  queue.schedule(CallRef{1}, t0 + 10s);
  queue.schedule(CallRef{1}, t0 + 50s);  // moved
  queue.schedule(CallRef{2}, t0 + 20s);
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue.next(), t0 + 20s);
  queue.cancel(CallRef{2});
  queue.cancel(CallRef{7});  // unknown: nothing happens
  EXPECT_EQ(queue.next(), t0 + 50s);
  auto due = queue.pop_due(t0 + 1h);
  ASSERT_TRUE(due);
  EXPECT_EQ(due->call, CallRef{1});
  EXPECT_EQ(due->when, t0 + 50s);
}

TEST_F(ParkFixture, NoParkedCallNoDeadline) {
  EXPECT_EQ(service.next_deadline(), std::nullopt);
  service.handle_deadlines(now + 1h);  // harmless
  EXPECT_TRUE(service.take_events().empty());
}

TEST_F(ParkFixture, TheNextDeadlineIsTheEarliestOfAllParkedCalls) {
  auto quick = main_lot();
  quick.name = LotName{"quick"};
  quick.slots = SlotRange{SlotNumber{801}, SlotNumber{810}};
  quick.park_code = "800";
  quick.timeout = 30s;
  ASSERT_TRUE(service.add_lot(quick));

  ASSERT_TRUE(park(1));  // 60 s lot: due at start + 60 s
  advance(10s);
  ASSERT_TRUE(service.park(request(2, std::nullopt, "100", LotName{"quick"}), now));
  EXPECT_EQ(service.next_deadline(), start + 40s);  // 30 s lot, parked at + 10 s
  ASSERT_TRUE(service.abandon(CallRef{2}, now));
  EXPECT_EQ(service.next_deadline(), start + 60s);
}

TEST_F(ParkFixture, TheNextDeadlineFollowsEachRecallStage) {
  ASSERT_TRUE(park(1));
  std::vector<TimePoint> deadlines;
  for (int step = 0; step < 4; ++step) {
    deadlines.push_back(*service.next_deadline());
    now = *service.next_deadline();
    service.handle_deadlines(now);
  }
  EXPECT_THAT(deadlines, ElementsAre(start + 60s, start + 80s, start + 100s, start + 160s));
  EXPECT_EQ(service.find(CallRef{1})->deadline, *service.next_deadline());
}

TEST_F(ParkFixture, HandlingDeadlinesBeforeTheyAreDueDoesNothing) {
  ASSERT_TRUE(park(1));
  (void)service.take_events();
  service.handle_deadlines(start + 59s);
  EXPECT_TRUE(service.take_events().empty());
  EXPECT_EQ(service.find(CallRef{1})->stage, RecallStage::InSlot);
}

TEST(ManyParkedCalls, TenThousandCallsTimeOutInTheOrderTheyWereParked) {
  constexpr std::uint32_t kCalls = 10'000;
  const TenantId tenant{"big.test"};
  LotConfig lot;
  lot.tenant = tenant;
  lot.name = LotName{"hall"};
  lot.slots = SlotRange{SlotNumber{10'000}, SlotNumber{10'000 + kCalls - 1}};
  lot.park_code = "9";
  ParkingService service;
  ASSERT_TRUE(service.add_lot(lot));

  const TimePoint start = TimePoint{} + 1h;
  for (std::uint32_t i = 0; i < kCalls; ++i) {  // one park every millisecond
    ParkRequest request;
    request.call = CallRef{i};
    request.tenant = tenant;
    request.lot = lot.name;
    request.caller = CallerId{std::to_string(i), ""};
    request.parker = Extension{"100"};
    request.can_park = true;
    auto parked = service.park(request, start + std::chrono::milliseconds{i});
    ASSERT_TRUE(parked);
    ASSERT_EQ(std::get<SlotNumber>(parked->slot).value, 10'000 + i);
  }
  ParkRequest one_more;
  one_more.call = CallRef{kCalls};
  one_more.tenant = tenant;
  one_more.lot = lot.name;
  one_more.parker = Extension{"100"};
  one_more.can_park = true;
  EXPECT_EQ(service.park(one_more, start + 10s).error().code, ParkErrorCode::LotFull);
  (void)service.take_events();

  // Half the callers are taken back, a quarter hang up, before anything times out.
  for (std::uint32_t i = 0; i < kCalls / 2; ++i) {
    ASSERT_TRUE(
        service.retrieve({tenant, SlotNumber{10'000 + i}, Extension{"101"}, true}, start + 30s));
  }
  for (std::uint32_t i = kCalls / 2; i < kCalls * 3 / 4; ++i) {
    ASSERT_TRUE(service.abandon(CallRef{i}, start + 30s));
  }
  (void)service.take_events();
  EXPECT_EQ(service.parked_count(), kCalls / 4);
  EXPECT_EQ(service.next_deadline(), start + 60s + std::chrono::milliseconds{kCalls * 3 / 4});

  // The event loop wakes every 100 ms; each wake handles only the calls due.
  std::uint32_t expected = kCalls * 3 / 4;
  std::size_t wakes = 0;
  for (TimePoint t = start + 60s; t <= start + 71s; t += 100ms) {
    service.handle_deadlines(t);
    ++wakes;
    for (const auto& event : service.take_events()) {
      if (const auto* timed_out = std::get_if<ParkTimedOut>(&event)) {
        ASSERT_EQ(timed_out->call.call, CallRef{expected});
        ASSERT_LE(timed_out->at - (start + 60s + std::chrono::milliseconds{expected}), 100ms);
        ++expected;
      }
    }
  }
  EXPECT_EQ(expected, kCalls);
  EXPECT_GT(wakes, 100u);
  EXPECT_EQ(service.parked_count(), kCalls / 4);  // all recalling, none hung up
  for (std::uint32_t i = kCalls * 3 / 4; i < kCalls; ++i) {
    ASSERT_EQ(service.find(CallRef{i})->stage, RecallStage::RingingParker);
  }
}

}  // namespace
}  // namespace orbit::park::testing
