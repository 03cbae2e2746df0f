// Two legs on different media threads, connected: one moves to the other's thread and the far
// end sees one stream (same SSRC, sequence numbers +1), its latching and DTMF state kept; the
// commands given right after the connect apply in order; a leg moved back and forth ends with
// its last peer.
#include <gtest/gtest.h>

#include <thread>

#include "media/audio_file.hpp"
#include "media/encoded_audio.hpp"
#include "media/g711.hpp"
#include "media/media_engine.hpp"
#include "media/telephone_event.hpp"
#include "media/tests/engine_fixture.hpp"

namespace orbit::media {
namespace {

using namespace std::chrono_literals;
using testing::audio;
using testing::first_relayed;
using testing::Fixture;
using testing::Phone;

// Two threads; legs 1 and 2 (and 3 and 4) open on different ones.
Fixture two_threads(std::uint16_t first_port) {
  return Fixture(first_port, 20, 30s, 2);
}

// True once `phone` receives a frame of the fixture's music class, within 50 packets.
bool hears_music(Fixture& f, Phone& phone, Codec codec) {
  const auto samples = read_audio_8k(f.sounds.dir() / "music" / "a.wav");
  const auto music = EncodedAudio::encode(*samples);
  for (int i = 0; i < 50; ++i) {
    const auto p = phone.receive();
    if (!p) return false;
    for (std::size_t k = 0; k < music.frames(); ++k) {
      if (std::ranges::equal(music.frame(codec, k), p->payload)) return true;
    }
  }
  return false;
}

// Sends from `phone` until `listener` gets that payload (the connect is asynchronous): every
// packet the listener got until then, the relayed one last; empty when it never came.
std::vector<Phone::Received> until_relayed(Phone& phone, std::uint16_t to_port, Phone& listener,
                                           RtpHeader header,
                                           const std::vector<std::uint8_t>& payload) {
  std::vector<Phone::Received> got;
  for (int attempt = 0; attempt < 300; ++attempt) {
    phone.send(to_port, header, payload);
    ++header.sequence;
    header.timestamp += 160;
    while (auto p = listener.receive(10ms)) {
      got.push_back(*p);
      if (p->payload == payload) return got;
    }
  }
  return {};
}

// Every packet after the first continues its stream: same SSRC, the next sequence number.
void expect_one_stream(const std::vector<Phone::Received>& got) {
  for (std::size_t i = 1; i < got.size(); ++i) {
    EXPECT_EQ(got[i].header.ssrc, got[0].header.ssrc) << i;
    EXPECT_EQ(got[i].header.sequence, static_cast<std::uint16_t>(got[i - 1].header.sequence + 1))
        << i;
  }
}

// Presses `digit`: two updates and the end packet three times, all with one timestamp.
void press(Phone& phone, std::uint16_t to_port, std::uint8_t digit, std::uint32_t timestamp,
           std::uint16_t& sequence) {
  for (int d : {160, 320, 640, 640, 640}) {
    const auto duration = static_cast<std::uint16_t>(d);
    const auto event = build_telephone_event(
        {.event = digit, .end = duration == 640, .volume = 10, .duration = duration});
    phone.send(to_port,
               {.marker = duration == 160,
                .payload_type = 101,
                .sequence = sequence++,
                .timestamp = timestamp,
                .ssrc = 0xD7F},
               event);
  }
}

TEST(MediaMove, LegsOpenedOnTwoThreadsRelayBothWaysOnceConnected) {
  Fixture f = two_threads(42450);
  Phone alice(f.io), bob(f.io);
  const auto a = f.open(1, alice, Codec::Pcmu);
  const auto b = f.open(2, bob, Codec::Pcma);
  ASSERT_EQ(f.engine->shard_of(1), 0u);
  ASSERT_EQ(f.engine->shard_of(2), 1u);
  f.engine->connect(1, 2);
  EXPECT_EQ(f.engine->shard_of(2), 0u);  // moved to its peer's thread

  const auto payload = audio(0x10);
  const auto there =
      first_relayed(alice, a.rtp_port, bob, {.payload_type = 0, .ssrc = 0xA11CE}, payload);
  ASSERT_TRUE(there);
  EXPECT_EQ(there->header.payload_type, 8);
  EXPECT_EQ(there->from_port, b.rtp_port);  // from the socket bob knows, moved with its leg
  std::vector<std::uint8_t> expected = payload;
  transcode(Codec::Pcmu, Codec::Pcma, expected);
  EXPECT_EQ(there->payload, expected);

  const auto back =
      first_relayed(bob, b.rtp_port, alice, {.payload_type = 8, .ssrc = 0xB0B}, audio(0xC0));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->header.payload_type, 0);
  EXPECT_EQ(back->from_port, a.rtp_port);
  for (int i = 0; i < 100 && f.engine->stats().rtp_relayed < 2; ++i)
    std::this_thread::sleep_for(10ms);  // counted just after it was sent
  EXPECT_GE(f.engine->stats().rtp_relayed, 2u);
}

TEST(MediaMove, AMovedLegKeepsItsStreamFromMusicToRelay) {
  Fixture f = two_threads(42500);
  Phone alice(f.io), bob(f.io);
  const auto a = f.open(1, alice, Codec::Pcmu);
  f.open(2, bob, Codec::Pcmu);
  f.engine->play_music(2, "test");  // on thread 1
  std::vector<Phone::Received> got;
  for (int i = 0; i < 5; ++i) {
    auto p = bob.receive();
    ASSERT_TRUE(p);
    got.push_back(*p);
  }
  f.engine->connect(1, 2);  // bob's leg moves to thread 0

  // Music until the move, then alice relayed: one stream, every sequence number the next.
  auto relayed = until_relayed(alice, a.rtp_port, bob, {.payload_type = 0, .ssrc = 9}, audio(0x42));
  ASSERT_FALSE(relayed.empty());
  const auto music_end = relayed.size() > 1 ? relayed[relayed.size() - 2] : got.back();
  EXPECT_LT(relayed.back().header.timestamp - music_end.header.timestamp, 8000u);
  got.insert(got.end(), relayed.begin(), relayed.end());
  expect_one_stream(got);
  // Alice's next packets keep Orbit's numbering of her stream: +1 and +160 each.
  for (std::uint16_t i = 1; i <= 3; ++i) {
    alice.send(a.rtp_port,
               {.payload_type = 0,
                .sequence = static_cast<std::uint16_t>(1000 + i),
                .timestamp = 160'000u + 160u * i,
                .ssrc = 9},
               audio(0x42));
  }
  std::vector<Phone::Received> next;
  while (auto p = bob.receive(300ms)) next.push_back(*p);
  ASSERT_GE(next.size(), 3u);
  const auto n = next.size();
  EXPECT_EQ(next[n - 1].header.ssrc, got.front().header.ssrc);
  EXPECT_EQ(static_cast<std::uint16_t>(next[n - 1].header.sequence - next[n - 2].header.sequence),
            1);
  EXPECT_EQ(next[n - 1].header.timestamp - next[n - 2].header.timestamp, 160u);
}

TEST(MediaMove, AMovedLegStillSendsToTheSourceItLatchedOnto) {
  Fixture f = two_threads(42550);
  Phone alice(f.io), bob(f.io), natted_bob(f.io);
  const auto a = f.open(1, alice, Codec::Pcmu);
  const auto b = f.open(2, bob, Codec::Pcmu);  // Bob's SDP names `bob`, he sends from `natted_bob`
  f.engine->play_silence(2);
  ASSERT_TRUE(bob.receive());  // the far end from the SDP is known on thread 1
  natted_bob.send(b.rtp_port, {.payload_type = 0, .ssrc = 1}, audio(0));
  ASSERT_TRUE(natted_bob.receive());  // latched: the silence follows the source
  bob.drain();
  f.engine->connect(1, 2);
  ASSERT_FALSE(
      until_relayed(alice, a.rtp_port, natted_bob, {.payload_type = 0, .ssrc = 2}, audio(7))
          .empty());
  EXPECT_FALSE(bob.receive(100ms));
  ASSERT_TRUE(
      first_relayed(natted_bob, b.rtp_port, alice, {.payload_type = 0, .ssrc = 1}, audio(0)));
  const auto dropped = f.engine->stats().rtp_dropped;
  bob.send(b.rtp_port, {.payload_type = 0, .ssrc = 3}, audio(0));  // still not let in
  for (int i = 0; i < 100 && f.engine->stats().rtp_dropped == dropped; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(f.engine->stats().rtp_dropped, dropped + 1);
}

TEST(MediaMove, CommandsGivenRightAfterAConnectApplyInTheirOrder) {
  Fixture f = two_threads(42600);
  Phone alice(f.io), bob(f.io);
  f.open(1, alice, Codec::Pcmu);
  f.open(2, bob, Codec::Pcma);
  // Leg 1's command waits behind the connect, which waits for leg 2: alice ends up with music,
  // not hearing bob (who sends nothing).
  f.engine->connect(1, 2);
  f.engine->play_music(1, "test");
  f.engine->play_music(2, "test");  // given to leg 2 while it is on its way
  EXPECT_TRUE(hears_music(f, alice, Codec::Pcmu));
  EXPECT_TRUE(hears_music(f, bob, Codec::Pcma));
}

TEST(MediaMove, ALegClosedOnItsWayIsClosedWhereItArrives) {
  Fixture f = two_threads(42625);
  Phone carol(f.io), dave(f.io);
  f.open(1, carol, Codec::Pcmu);
  f.open(2, dave, Codec::Pcmu);
  f.engine->connect(1, 2);
  f.engine->close_leg(2);
  // Its peer hears silence, as when a leg closes where it is.
  EXPECT_TRUE(testing::first_silence(carol));
  for (int i = 0; i < 300 && f.engine->stats().legs != 1; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(f.engine->stats().legs, 1u);
}

TEST(MediaMove, DtmfOfAMovedLegIsReportedOnceAcrossTheMove) {
  Fixture f = two_threads(42650);
  Phone alice(f.io), bob(f.io);
  const auto a = f.open(1, alice, Codec::Pcmu);
  const auto b = f.open(2, bob, Codec::Pcmu);
  f.engine->play_silence(2);
  ASSERT_TRUE(bob.receive());  // bob's SDP (telephone-event 101) is known on thread 1
  std::uint16_t sequence = 100;
  press(bob, b.rtp_port, 5, 8000, sequence);
  const auto five = f.events.next();
  ASSERT_TRUE(five && std::holds_alternative<DtmfDigit>(*five));
  EXPECT_EQ(std::get<DtmfDigit>(*five).leg, 2u);
  EXPECT_EQ(std::get<DtmfDigit>(*five).digit, '5');

  f.engine->connect(1, 2);
  ASSERT_FALSE(
      until_relayed(alice, a.rtp_port, bob, {.payload_type = 0, .ssrc = 7}, audio(3)).empty());
  // On thread 0: a late copy of the end of 5 is not a new digit; 9 is.
  const auto late = build_telephone_event({.event = 5, .end = true, .volume = 10, .duration = 640});
  bob.send(b.rtp_port,
           {.payload_type = 101, .sequence = sequence++, .timestamp = 8000, .ssrc = 0xD7F}, late);
  press(bob, b.rtp_port, 9, 16000, sequence);
  const auto nine = f.events.next();
  ASSERT_TRUE(nine && std::holds_alternative<DtmfDigit>(*nine));
  EXPECT_EQ(std::get<DtmfDigit>(*nine).leg, 2u);
  EXPECT_EQ(std::get<DtmfDigit>(*nine).digit, '9');
  EXPECT_FALSE(f.events.next(200ms));
  EXPECT_EQ(f.engine->stats().dtmf_digits, 2u);
}

TEST(MediaMove, ALegMovedBackAndForthEndsWithItsLastPeer) {
  Fixture f = two_threads(42700);
  Phone alice(f.io), bob(f.io), carol(f.io), dave(f.io);
  f.open(1, alice, Codec::Pcmu);
  const auto b = f.open(2, bob, Codec::Pcmu);
  f.open(3, carol, Codec::Pcmu);
  const auto d = f.open(4, dave, Codec::Pcmu);
  ASSERT_EQ(f.engine->shard_of(1), 0u);
  ASSERT_EQ(f.engine->shard_of(4), 1u);
  f.engine->play_music(2, "test");
  const auto music = bob.receive();
  ASSERT_TRUE(music);
  for (int i = 0; i < 4; ++i) {  // each connect moves leg 2, mostly before it has arrived
    f.engine->connect(1, 2);
    f.engine->connect(4, 2);
  }
  EXPECT_EQ(f.engine->shard_of(2), 1u);
  auto got = until_relayed(dave, d.rtp_port, bob, {.payload_type = 0, .ssrc = 4}, audio(0x44));
  ASSERT_FALSE(got.empty());
  got.insert(got.begin(), *music);
  expect_one_stream(got);  // music, then dave: one stream, numbered without a gap
  ASSERT_TRUE(first_relayed(bob, b.rtp_port, dave, {.payload_type = 0, .ssrc = 2}, audio(0x22)));
  // Alice, whose peer moved away, hears silence, not bob.
  for (int i = 0; i < 10; ++i) {
    const auto p = alice.receive();
    ASSERT_TRUE(p);
    EXPECT_NE(p->payload, audio(0x22));
  }
  EXPECT_EQ(f.engine->stats().legs, 4u);
}

}  // namespace
}  // namespace orbit::media
