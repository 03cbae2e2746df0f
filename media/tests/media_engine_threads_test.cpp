// The media engine on several threads: a leg opens on the thread with the fewest legs, the
// figures are summed over the threads, ports of legs moved between threads come back.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "media/media_engine.hpp"
#include "media/tests/engine_fixture.hpp"

namespace orbit::media {
namespace {

using namespace std::chrono_literals;
using testing::Fixture;
using testing::Phone;

// Retries while the port of a leg just closed is on its way back from its media thread.
std::expected<LocalMedia, MediaError> reopen(MediaEngine& engine, LegId leg) {
  auto opened = engine.open_leg(leg);
  for (int i = 0; i < 300 && !opened; ++i) {
    std::this_thread::sleep_for(10ms);
    opened = engine.open_leg(leg);
  }
  return opened;
}

TEST(MediaThreads, ThreadsDefaultToOnePerCore) {
  Fixture f(42200);
  EXPECT_EQ(f.engine->threads(), std::max(1U, std::thread::hardware_concurrency()));
}

TEST(MediaThreads, ALegOpensOnTheThreadWithTheFewestLegsTheFirstOfEquals) {
  Fixture f(42250, 20, 30s, 3);
  ASSERT_EQ(f.engine->threads(), 3u);
  for (LegId leg = 1; leg <= 4; ++leg) ASSERT_TRUE(f.engine->open_leg(leg));
  EXPECT_EQ(f.engine->shard_of(1), 0u);
  EXPECT_EQ(f.engine->shard_of(2), 1u);
  EXPECT_EQ(f.engine->shard_of(3), 2u);
  EXPECT_EQ(f.engine->shard_of(4), 0u);
  f.engine->close_leg(2);
  EXPECT_EQ(f.engine->shard_of(2), std::nullopt);
  ASSERT_TRUE(f.engine->open_leg(5));
  EXPECT_EQ(f.engine->shard_of(5), 1u);  // thread 1 had none left
  // A connected leg counts on its peer's thread: thread 2 is now the emptiest.
  f.engine->connect(1, 3);
  EXPECT_EQ(f.engine->shard_of(3), 0u);
  ASSERT_TRUE(f.engine->open_leg(6));
  EXPECT_EQ(f.engine->shard_of(6), 2u);
}

TEST(MediaThreads, StatsAreTheSumOverTheThreads) {
  Fixture f(42300, 20, 30s, 2);
  Phone alice(f.io), bob(f.io);
  f.open(1, alice, Codec::Pcmu);
  const auto b = f.open(2, bob, Codec::Pcma);
  ASSERT_NE(f.engine->shard_of(1), f.engine->shard_of(2));
  f.engine->play_music(1, "test");
  f.engine->play_music(2, "test");
  for (Phone* phone : {&alice, &bob}) {
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(phone->receive()) << i;
  }
  const auto stats = f.engine->stats();
  EXPECT_EQ(stats.legs, 2u);
  EXPECT_GE(stats.generated_sent, 18u);  // each thread may not have counted its last one yet
  // RTCP is absorbed by the first thread, RTP-port RTCP by the leg's own.
  const std::array<std::uint8_t, 8> receiver_report{0x80, 201, 0, 1, 0, 0, 0, 1};
  bob.send_raw(b.rtcp_port, receiver_report);
  bob.send_raw(b.rtp_port, receiver_report);
  for (int i = 0; i < 300 && f.engine->stats().rtcp_received < 2; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(f.engine->stats().rtcp_received, 2u);
}

TEST(MediaThreads, PortsOfLegsMovedAndClosedAtOnceComeBack) {
  Fixture f(42350, 5, 30s, 2);  // one RTCP port, four RTP ports
  for (int round = 0; round < 3; ++round) {
    for (LegId leg = 1; leg <= 4; ++leg) ASSERT_TRUE(reopen(*f.engine, leg)) << round << leg;
    EXPECT_FALSE(f.engine->open_leg(5));
    EXPECT_EQ(f.engine->shard_of(1), 0u);
    EXPECT_EQ(f.engine->shard_of(2), 1u);
    // Legs 2 and 4 move to thread 0 and are closed before they are there: closed on arrival.
    f.engine->connect(1, 2);
    f.engine->connect(3, 4);
    EXPECT_EQ(f.engine->shard_of(2), 0u);
    EXPECT_EQ(f.engine->shard_of(4), 0u);
    for (LegId leg = 1; leg <= 4; ++leg) f.engine->close_leg(leg);
  }
  for (int i = 0; i < 300 && f.engine->stats().legs > 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(f.engine->stats().legs, 0u);
}

TEST(MediaThreads, StoppingWithLegsOnTheirWayClosesEverything) {
  Fixture f(42400, 20, 30s, 2);
  for (LegId leg = 1; leg <= 8; ++leg) ASSERT_TRUE(f.engine->open_leg(leg));
  for (LegId leg = 1; leg <= 8; leg += 2) f.engine->connect(leg, leg + 1);
  f.engine->stop();
  EXPECT_EQ(f.engine->stats().legs, 0u);
  EXPECT_FALSE(f.engine->open_leg(9));
}

}  // namespace
}  // namespace orbit::media
