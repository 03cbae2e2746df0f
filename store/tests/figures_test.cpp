// Park figures from known parks: counts, nearest-rank median and p90, per lot and per UTC hour.
#include "store/figures.hpp"

#include <gtest/gtest.h>

#include "store/history_store.hpp"
#include "store/tests/temp_database.hpp"

namespace orbit::store {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// 2023-11-14T22:00:00Z, on the hour.
const WallTime kHour22 = WallTime(milliseconds(1'699'999'200'000));

ParkFact retrieved(std::string lot, WallTime at, milliseconds wait) {
  return ParkFact{std::move(lot), at, Outcome::Retrieved, wait, 0, false};
}

TEST(Percentile, IsNearestRankOverTheValues) {
  EXPECT_EQ(percentile({}, 50), std::nullopt);
  EXPECT_EQ(percentile({7s}, 50), 7s);
  EXPECT_EQ(percentile({7s}, 90), 7s);
  // 10 values 1..10 s, shuffled: median is the 5th, p90 the 9th.
  std::vector<milliseconds> ten{4s, 9s, 1s, 10s, 3s, 7s, 2s, 8s, 6s, 5s};
  EXPECT_EQ(percentile(ten, 50), 5s);
  EXPECT_EQ(percentile(ten, 90), 9s);
  // 3 values: median the 2nd, p90 the 3rd (ceil(2.7)).
  EXPECT_EQ(percentile({30s, 10s, 20s}, 50), 20s);
  EXPECT_EQ(percentile({30s, 10s, 20s}, 90), 30s);
}

TEST(ComputeFigures, CountsOutcomesRecallsAndEscalationsOverThePeriod) {
  std::vector<ParkFact> facts{
      retrieved("main", kHour22 + 1min, 10s),
      retrieved("main", kHour22 + 2min, 20s),
      retrieved("main", kHour22 + 3min, 40s),
      {"main", kHour22 + 4min, Outcome::Abandoned, 70s, 2, true},
      {"vip", kHour22 + 5min, Outcome::Parked, std::nullopt, 1, false},
      retrieved("vip", kHour22 - 1s, 1s),  // before the period
      retrieved("vip", kHour22 + 2h, 1s),  // at its end: excluded
  };
  const Figures f = compute_figures(facts, kHour22, kHour22 + 2h);
  EXPECT_EQ(f.total.parks, 5);
  EXPECT_EQ(f.total.retrieved, 3);
  EXPECT_EQ(f.total.abandoned, 1);
  EXPECT_EQ(f.total.still_parked, 1);
  EXPECT_EQ(f.total.recalls, 3);
  EXPECT_EQ(f.total.escalations, 1);
  // Waits of retrieved calls only: 10, 20, 40 s (the abandoned 70 s is not one).
  EXPECT_EQ(f.total.median_wait, 20s);
  EXPECT_EQ(f.total.p90_wait, 40s);

  ASSERT_EQ(f.lots.size(), 2U);
  EXPECT_EQ(f.lots[0].lot, "main");
  EXPECT_EQ(f.lots[0].counts.parks, 4);
  EXPECT_EQ(f.lots[0].counts.abandoned, 1);
  EXPECT_EQ(f.lots[0].counts.median_wait, 20s);
  EXPECT_EQ(f.lots[1].lot, "vip");
  EXPECT_EQ(f.lots[1].counts.parks, 1);
  EXPECT_EQ(f.lots[1].counts.still_parked, 1);
  EXPECT_EQ(f.lots[1].counts.median_wait, std::nullopt);
}

TEST(ComputeFigures, EveryUtcHourOfThePeriodIsABucketEmptyOnesIncluded) {
  std::vector<ParkFact> facts{
      retrieved("main", kHour22 + 10min, 30s),
      retrieved("main", kHour22 + 50min, 10s),
      retrieved("main", kHour22 + 59min + 59s, 20s),
      retrieved("main", kHour22 + 2h + 1s, 5s),
      {"main", kHour22 + 2h + 2s, Outcome::Abandoned, 9s, 0, false},
  };
  // From 22:30 to 01:15 the next day: hours 22, 23, 00 and 01.
  const Figures f = compute_figures(facts, kHour22 + 30min, kHour22 + 3h + 15min);
  ASSERT_EQ(f.hours.size(), 4U);
  EXPECT_EQ(f.hours[0].hour, kHour22);
  EXPECT_EQ(f.hours[0].parks, 2);  // 22:10 is before the period
  EXPECT_EQ(f.hours[0].median_wait, 10s);
  EXPECT_EQ(f.hours[1].hour, kHour22 + 1h);
  EXPECT_EQ(f.hours[1].parks, 0);
  EXPECT_EQ(f.hours[1].median_wait, std::nullopt);
  EXPECT_EQ(f.hours[2].parks, 2);
  EXPECT_EQ(f.hours[2].retrieved, 1);
  EXPECT_EQ(f.hours[2].median_wait, 5s);
  EXPECT_EQ(f.hours[3].hour, kHour22 + 3h);
  EXPECT_EQ(f.hours[3].parks, 0);
}

TEST(ComputeFigures, NoParksMeansZerosAndNoWaits) {
  const Figures f = compute_figures({}, kHour22, kHour22 + 1h);
  EXPECT_EQ(f.total.parks, 0);
  EXPECT_EQ(f.total.median_wait, std::nullopt);
  EXPECT_EQ(f.total.p90_wait, std::nullopt);
  EXPECT_TRUE(f.lots.empty());
  ASSERT_EQ(f.hours.size(), 1U);
}

pbx::SupervisionEvent park_event(std::string type, std::uint64_t call, WallTime at,
                                 std::string lot = "main", std::string tenant = "a.example") {
  pbx::SupervisionEvent e;
  e.tenant = std::move(tenant);
  e.type = std::move(type);
  e.at = std::chrono::system_clock::time_point(at.time_since_epoch());
  e.call = call;
  e.lot = std::move(lot);
  e.slot = "701";
  e.parker = "100";
  return e;
}

TEST(HistoryFigures, TheStoreComputesFiguresFromItsRowsOfOneTenant) {
  test::TempDirectory dir;
  auto store = HistoryStore::open(dir.file("history.sqlite"));
  ASSERT_TRUE(store) << store.error().reason;
  const std::vector<std::chrono::seconds> waits{4s, 8s, 15s, 16s, 23s, 42s, 60s, 75s, 90s, 120s};
  std::uint64_t call = 1;
  for (const auto wait : waits) {
    const WallTime at = kHour22 + std::chrono::minutes(call * 5);
    ASSERT_TRUE((*store)->record(park_event("parked", call, at)));
    auto done = park_event("retrieved", call, at + wait);
    done.by = "101";
    done.waited = wait;
    ASSERT_TRUE((*store)->record(done));
    ++call;
  }
  ASSERT_TRUE((*store)->record(park_event("parked", call, kHour22 + 1h + 5min, "vip")));
  auto gone = park_event("abandoned", call, kHour22 + 1h + 6min, "vip");
  gone.waited = 60s;
  ASSERT_TRUE((*store)->record(gone));
  ASSERT_TRUE((*store)->record(park_event("parked", 99, kHour22 + 10min, "main", "b.example")));

  auto f = (*store)->figures("a.example", kHour22, kHour22 + 2h);
  ASSERT_TRUE(f) << f.error().reason;
  EXPECT_EQ(f->total.parks, 11);
  EXPECT_EQ(f->total.retrieved, 10);
  EXPECT_EQ(f->total.abandoned, 1);
  EXPECT_EQ(f->total.median_wait, 23s);  // 5th of 10
  EXPECT_EQ(f->total.p90_wait, 90s);     // 9th of 10
  ASSERT_EQ(f->lots.size(), 2U);
  EXPECT_EQ(f->lots[1].lot, "vip");
  EXPECT_EQ(f->lots[1].counts.abandoned, 1);
  ASSERT_EQ(f->hours.size(), 2U);
  // Parked at 22:05 ... 22:50: all ten in the first hour.
  EXPECT_EQ(f->hours[0].parks, 10);
  EXPECT_EQ(f->hours[0].median_wait, 23s);
  EXPECT_EQ(f->hours[1].parks, 1);
  EXPECT_EQ(f->hours[1].median_wait, std::nullopt);

  auto none = (*store)->figures("a.example", kHour22 + 3h, kHour22 + 4h);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->total.parks, 0);
}

TEST(HistoryFigures, AnEmptyOrTooLongPeriodIsRefused) {
  test::TempDirectory dir;
  auto store = HistoryStore::open(dir.file("history.sqlite"));
  ASSERT_TRUE(store);
  EXPECT_EQ((*store)->figures("a.example", kHour22, kHour22).error().code,
            StoreErrorCode::BadPeriod);
  EXPECT_FALSE((*store)->figures("a.example", kHour22 + 1h, kHour22));
  EXPECT_FALSE((*store)->figures("a.example", kHour22, kHour22 + max_figures_period + 1ms));
  EXPECT_TRUE((*store)->figures("a.example", kHour22, kHour22 + max_figures_period));
}

}  // namespace
}  // namespace orbit::store
