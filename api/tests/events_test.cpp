// The /api/v1/events WebSocket: a snapshot, then the tenant's events; refusals; slow readers.
#include <future>
#include <string>

#include <gtest/gtest.h>

#include "api/tests/server_fixture.hpp"

namespace orbit::api::test {
namespace {

TEST_F(ServerTest, ASupervisorGetsASnapshotThenTheEventsOfItsTenant) {
  WsClient client;
  ASSERT_EQ(client.connect(port_, "/api/v1/events", "sup-a"), "");
  const auto snapshot = client.read();
  ASSERT_TRUE(snapshot);
  EXPECT_EQ((*snapshot)["type"], "snapshot");
  ASSERT_EQ((*snapshot)["calls"].size(), 1U);
  EXPECT_EQ((*snapshot)["calls"][0]["tenant"], "a.example");
  ASSERT_EQ((*snapshot)["lots"].size(), 1U);
  EXPECT_EQ((*snapshot)["lots"][0]["slots"][0]["slot"], "701");

  emit(parked_event("a.example", "702"));
  const auto event = client.read();
  ASSERT_TRUE(event);
  EXPECT_EQ((*event)["type"], "event");
  EXPECT_EQ((*event)["event"]["type"], "parked");
  EXPECT_EQ((*event)["event"]["slot"], "702");
  EXPECT_EQ((*event)["event"]["at"], "2023-11-14T22:13:20.000Z");
}

TEST_F(ServerTest, NobodySeesTheEventsOfAnotherTenant) {
  WsClient a;
  WsClient b;
  ASSERT_EQ(a.connect(port_, "/api/v1/events", "sup-a"), "");
  ASSERT_EQ(b.connect(port_, "/api/v1/events", "sup-b"), "");
  EXPECT_EQ((*b.read())["calls"][0]["tenant"], "b.example");
  EXPECT_EQ((*a.read())["type"], "snapshot");

  // Events arrive in order: had b's event leaked to a, a would read it first.
  emit(parked_event("b.example", "711"));
  emit(parked_event("a.example", "701"));
  emit(parked_event("b.example", "712"));
  EXPECT_EQ((*a.read())["event"]["slot"], "701");
  EXPECT_EQ((*b.read())["event"]["slot"], "711");
  EXPECT_EQ((*b.read())["event"]["slot"], "712");
  EXPECT_FALSE(a.read(std::chrono::milliseconds(200))) << "a must get nothing of b.example";
}

TEST_F(ServerTest, ABrowserMayGiveItsTokenInTheQuery) {
  WsClient client;
  ASSERT_EQ(client.connect(port_, "/api/v1/events?token=agent-a"), "");
  EXPECT_EQ((*client.read())["type"], "snapshot");
}

TEST_F(ServerTest, TheEventStreamRefusesMissingAndBadTokens) {
  WsClient none;
  EXPECT_NE(none.connect(port_, "/api/v1/events"), "");
  EXPECT_EQ(none.handshake_status(), 401U);
  WsClient bad;
  EXPECT_NE(bad.connect(port_, "/api/v1/events?token=nope"), "");
  EXPECT_EQ(bad.handshake_status(), 401U);
  WsClient elsewhere;
  EXPECT_NE(elsewhere.connect(port_, "/api/v1/nowhere", "sup-a"), "");
  EXPECT_EQ(elsewhere.handshake_status(), 404U);
}

TEST_F(ServerTest, TheServerSubscribesOnceAndClosingAClientUnsubscribesIt) {
  EXPECT_EQ(on_loop([this] { return source_.subscriptions(); }), 1U);
  {
    WsClient client;
    ASSERT_EQ(client.connect(port_, "/api/v1/events", "sup-a"), "");
    ASSERT_TRUE(client.read());
    EXPECT_EQ(on_loop([this] { return server_->event_subscribers(); }), 1U);
  }
  EXPECT_EQ(subscribers_settled(0), 0U);
}

TEST_F(ServerTest, EventsReachSubscribersWhileTheSignallingThreadIsBusy) {
  WsClient client;
  ASSERT_EQ(client.connect(port_, "/api/v1/events", "sup-a"), "");
  ASSERT_TRUE(client.read());
  std::promise<void> release;
  auto released = release.get_future().share();
  // A burst of events, then the signalling thread stays busy: the streams are written from
  // their own thread, so every event still arrives (before, each frame after the first waited
  // for the signalling thread to complete the previous write).
  boost::asio::post(io_, [this, released] {
    for (int i = 0; i < 10; ++i) source_.emit(parked_event("a.example", std::to_string(701 + i)));
    released.wait();
  });
  int received = 0;
  for (int i = 0; i < 10; ++i) {
    const auto event = client.read(std::chrono::seconds(2));
    if (!event || (*event)["event"]["slot"] != std::to_string(701 + i)) break;
    ++received;
  }
  release.set_value();
  EXPECT_EQ(received, 10);
}

class LongFlushTest : public ServerTest {
 protected:
  void SetUp() override {
    HttpServerConfig config;
    config.flush_interval = std::chrono::milliseconds(500);
    start(config);
  }
};

TEST_F(LongFlushTest, ANewSubscriberGetsNoEventFromBeforeItsSnapshot) {
  WsClient first;
  ASSERT_EQ(first.connect(port_, "/api/v1/events", "sup-a"), "");
  ASSERT_TRUE(first.read());
  // Events go out together once per interval: 700 goes at once, 701 waits for the interval,
  // the second subscriber arrives meanwhile, and its snapshot already shows what 701 did.
  emit(parked_event("a.example", "700"));
  emit(parked_event("a.example", "701"));
  WsClient second;
  ASSERT_EQ(second.connect(port_, "/api/v1/events", "sup-a"), "");
  ASSERT_EQ((*second.read())["type"], "snapshot");
  emit(parked_event("a.example", "702"));
  EXPECT_EQ((*second.read())["event"]["slot"], "702");
  EXPECT_EQ((*first.read())["event"]["slot"], "700");
  EXPECT_EQ((*first.read())["event"]["slot"], "701");
  EXPECT_EQ((*first.read())["event"]["slot"], "702");
}

class SlowReaderTest : public ServerTest {
 protected:
  void SetUp() override {
    HttpServerConfig config;
    config.max_queued_bytes = 16 * 32 * 1024;
    start(config);
  }
};

TEST_F(SlowReaderTest, AReaderThatFallsBehindIsDroppedAndOthersKeepTheirEvents) {
  WsClient slow;
  ASSERT_EQ(slow.connect(port_, "/api/v1/events", "sup-a"), "");
  ASSERT_TRUE(slow.read());  // the snapshot; then it stops reading

  constexpr int events = 2000;  // 64 MB in all: more than loopback socket buffers hold
  constexpr int batch = 8;      // within the queue bound: a reader that keeps up never overflows
  std::atomic<int> received = -1;
  std::thread fast_reader([&] {
    WsClient fast;
    if (fast.connect(port_, "/api/v1/events", "sup-a") != "" || !fast.read()) return;
    received = 0;
    while (received < events && fast.read_text(std::chrono::seconds(5))) ++received;
  });
  auto wait_for = [&](int count) {
    for (int i = 0; i < 5000 && received < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  };
  wait_for(0);
  ASSERT_EQ(received, 0) << "the fast reader did not connect";

  auto event = parked_event("a.example", "701");
  event.note = std::string(32 * 1024, 'n');
  for (int sent = 0; sent < events;) {
    for (int i = 0; i < batch; ++i, ++sent) emit(event);
    wait_for(sent);
  }
  fast_reader.join();
  EXPECT_EQ(received, events) << "the fast reader lost events";
  EXPECT_EQ(subscribers_settled(0), 0U)
      << "the slow reader was not dropped (and the fast one has gone)";

  // What the slow reader still gets ends short of every event: its connection was cut.
  int drained = 0;
  while (slow.read_text(std::chrono::seconds(2))) ++drained;
  EXPECT_LT(drained, events);
}

}  // namespace
}  // namespace orbit::api::test
