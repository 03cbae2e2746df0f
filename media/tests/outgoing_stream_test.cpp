// A leg's outgoing stream across source switches, on simulated time: one SSRC, sequence numbers
// without a gap, timestamps that follow on, and the marker bit only where the timestamp jumps.
#include "media/outgoing_stream.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace orbit::media {
namespace {

using namespace std::chrono_literals;
using Clock = OutgoingStream::Clock;

constexpr SourceId kCaller = 1;  // a relayed far end
constexpr SourceId kMusic = 2;   // generated sources
constexpr SourceId kPrompt = 3;
constexpr SourceId kCallerAgain = 4;

// Feeds the stream like the engine does: one 20 ms packet per call, time advancing by `step`.
struct Feed {
  OutgoingStream stream{0xCAFE, 1000, 50000};
  Clock::time_point now{};
  std::vector<RtpStamp> sent;

  void packets(SourceId source, int count, std::uint16_t first_sequence,
               std::uint32_t first_timestamp, Clock::duration step = 20ms) {
    for (int i = 0; i < count; ++i) {
      sent.push_back(stream.stamp(source, static_cast<std::uint16_t>(first_sequence + i),
                                  first_timestamp + 160u * static_cast<std::uint32_t>(i), false,
                                  160, now));
      now += step;
    }
  }
};

TEST(OutgoingStream, RelayMusicPromptRelayIsOneContinuousStream) {
  Feed feed;
  feed.packets(kCaller, 5, 31000, 7'000'000);  // the caller's own numbering
  feed.packets(kMusic, 5, 0, 0);               // held: music
  feed.packets(kPrompt, 5, 0, 0);              // a prompt
  feed.packets(kCallerAgain, 5, 62000, 123);   // back to the relay, a new far-end stream

  ASSERT_EQ(feed.sent.size(), 20u);
  for (std::size_t i = 0; i < feed.sent.size(); ++i) {
    EXPECT_EQ(feed.sent[i].sequence, 1000 + i) << i;
    EXPECT_EQ(feed.sent[i].timestamp, 50000 + 160 * i) << i;
    EXPECT_EQ(feed.sent[i].marker, i == 0) << i;  // only the first packet of the stream
  }
  EXPECT_EQ(feed.stream.ssrc(), 0xCAFEu);
}

TEST(OutgoingStream, APauseBeforeTheNewSourceJumpsTheTimestampAndSetsTheMarker) {
  Feed feed;
  feed.packets(kMusic, 3, 0, 0);  // timestamps 50000, 50160, 50320; the next is due at +60 ms
  feed.now += 980ms;              // one second after the last packet, the call is connected
  feed.packets(kCaller, 2, 500, 9000);

  EXPECT_EQ(feed.sent[3].sequence, 1003);
  EXPECT_EQ(feed.sent[3].timestamp, 50320u + 8000u);  // the second elapsed, in 8 kHz units
  EXPECT_TRUE(feed.sent[3].marker);
  EXPECT_EQ(feed.sent[4].timestamp, 50320u + 8160u);
  EXPECT_FALSE(feed.sent[4].marker);
}

TEST(OutgoingStream, ASwitchWithinOnePacketTimeKeepsTheTimeline) {
  Feed feed;
  feed.packets(kMusic, 3, 0, 0);
  feed.now += 15ms;  // the relayed packet arrives a little late: jitter, not a jump
  feed.packets(kCaller, 1, 500, 9000);
  EXPECT_EQ(feed.sent[3].timestamp, 50480u);
  EXPECT_FALSE(feed.sent[3].marker);
}

TEST(OutgoingStream, WithinOneSourceGapsReorderingAndMarkersPassThrough) {
  OutgoingStream stream(1, 100, 0);
  const Clock::time_point t{};
  EXPECT_EQ(stream.stamp(kCaller, 10, 1600, false, 160, t).sequence, 100);
  // Packet 11 is lost upstream; 12 arrives, then 11 late: their numbers keep the far end's gaps.
  const auto twelve = stream.stamp(kCaller, 12, 1920, false, 160, t + 40ms);
  EXPECT_EQ(twelve.sequence, 102);
  EXPECT_EQ(twelve.timestamp, 320u);
  const auto eleven = stream.stamp(kCaller, 11, 1760, false, 160, t + 45ms);
  EXPECT_EQ(eleven.sequence, 101);
  // The far end starts a talkspurt after silence suppression: its marker is kept.
  const auto talkspurt = stream.stamp(kCaller, 13, 16000, true, 160, t + 2s);
  EXPECT_EQ(talkspurt.sequence, 103);
  EXPECT_EQ(talkspurt.timestamp, 16000u - 1600u);
  EXPECT_TRUE(talkspurt.marker);
  // A switch after the late packet continues after the highest number sent.
  const auto music = stream.stamp(kMusic, 0, 0, false, 160, t + 2s + 20ms);
  EXPECT_EQ(music.sequence, 104);
  EXPECT_EQ(music.timestamp, 16000u - 1600u + 160u);
  EXPECT_FALSE(music.marker);
}

TEST(OutgoingStream, SequenceNumbersAndTimestampsWrapAround) {
  OutgoingStream stream(1, 65535, 0xFFFFFF60);
  const Clock::time_point t{};
  const auto a = stream.stamp(kMusic, 0, 0, false, 160, t);
  const auto b = stream.stamp(kMusic, 1, 160, false, 160, t + 20ms);
  const auto c = stream.stamp(kCaller, 40000, 1, false, 160, t + 40ms);
  EXPECT_EQ(a.sequence, 65535);
  EXPECT_EQ(b.sequence, 0);
  EXPECT_EQ(c.sequence, 1);
  EXPECT_EQ(a.timestamp, 0xFFFFFF60u);
  EXPECT_EQ(b.timestamp, 0u);
  EXPECT_EQ(c.timestamp, 160u);
  EXPECT_FALSE(c.marker);
}

TEST(OutgoingStream, TelephoneEventsShareTheAudioTimestampAndDoNotAdvanceTheTimeline) {
  OutgoingStream stream(1, 0, 0);
  const Clock::time_point t{};
  (void)stream.stamp(kCaller, 1, 800, false, 160, t);
  // An RFC 4733 event starting at the next audio timestamp, repeated with the same timestamp.
  const auto start = stream.stamp(kCaller, 2, 960, true, 0, t + 20ms);
  const auto update = stream.stamp(kCaller, 3, 960, false, 0, t + 70ms);
  EXPECT_EQ(start.timestamp, 160u);
  EXPECT_EQ(update.timestamp, 160u);
  EXPECT_EQ(update.sequence, 2);
  // Music takes over 90 ms after the last audio packet (the key was held): a jump.
  const auto music = stream.stamp(kMusic, 0, 0, false, 160, t + 90ms);
  EXPECT_EQ(music.sequence, 3);
  EXPECT_TRUE(music.marker);
  EXPECT_EQ(music.timestamp, 720u);
}

}  // namespace
}  // namespace orbit::media

namespace orbit::media {
namespace {

TEST(OutgoingStream, PacketsNotSentWhileTheFarEndHoldsLeaveNoSequenceGap) {
  Feed feed;
  feed.packets(kCaller, 5, 31000, 7'000'000);
  const auto last = feed.sent.back();
  // The far end holds: 100 packets of the same source are not sent.
  feed.stream.skip();
  feed.now += 2s;
  feed.packets(kCaller, 1, 31105, 7'000'000 + 160u * 105);
  const auto resumed = feed.sent.back();
  EXPECT_EQ(resumed.sequence, static_cast<std::uint16_t>(last.sequence + 1));
  EXPECT_TRUE(resumed.marker) << "the timestamp jumps by the time elapsed";
  EXPECT_GT(resumed.timestamp - last.timestamp, 160u * 50);
}

}  // namespace
}  // namespace orbit::media
