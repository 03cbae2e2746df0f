// The media engine relaying between two phones on loopback: Orbit's own SSRC and numbering,
// PCMU↔PCMA conversion, symmetric latching, DTMF reported once and relayed, RTCP absorbed, the
// port pool, a closed peer, configuration errors.
#include <gtest/gtest.h>

#include <thread>

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

TEST(MediaEngine, OpenLegReturnsOrbitsAddressPortAndTheSharedRtcpPort) {
  Fixture f(41000);
  auto a = f.engine->open_leg(1);
  auto b = f.engine->open_leg(2);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->address, "127.0.0.1");
  EXPECT_EQ(a->rtcp_port, 41000);
  EXPECT_EQ(b->rtcp_port, 41000);
  EXPECT_NE(a->rtp_port, b->rtp_port);
  EXPECT_GT(a->rtp_port, 41000);
  EXPECT_FALSE(f.engine->open_leg(1));  // already open
}

TEST(MediaEngine, ConnectedLegsRelayBothWaysConvertingPcmuAndPcma) {
  Fixture f(41100);
  Phone alice(f.io), bob(f.io);
  const auto a = f.open(1, alice, Codec::Pcmu);
  const auto b = f.open(2, bob, Codec::Pcma);
  f.engine->connect(1, 2);

  const auto payload = audio(0x10);
  auto first = first_relayed(
      alice, a.rtp_port, bob,
      {.payload_type = 0, .sequence = 100, .timestamp = 8000, .ssrc = 0xA11CE}, payload);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->header.payload_type, 8);
  EXPECT_NE(first->header.ssrc, 0xA11CEu);  // Orbit's own stream
  EXPECT_EQ(first->from_port, b.rtp_port);  // from the port in Orbit's SDP (symmetric RTP)
  std::vector<std::uint8_t> expected = payload;
  transcode(Codec::Pcmu, Codec::Pcma, expected);
  EXPECT_EQ(first->payload, expected);

  // The following packets keep Orbit's numbering: +1 and +160 each.
  for (std::uint16_t i = 1; i <= 3; ++i) {
    alice.send(a.rtp_port,
               {.payload_type = 0,
                .sequence = static_cast<std::uint16_t>(1000 + i),
                .timestamp = 90000u + 160u * i,
                .ssrc = 0xA11CE},
               payload);
  }
  // (the packets sent while the connect was pending are the first ones: skip to the last three)
  std::vector<Phone::Received> got;
  while (auto p = bob.receive(300ms)) got.push_back(*p);
  ASSERT_GE(got.size(), 3u);
  for (std::size_t i = 1; i < got.size(); ++i) {
    EXPECT_EQ(got[i].header.ssrc, first->header.ssrc);
  }
  const auto n = got.size();
  EXPECT_EQ(static_cast<std::uint16_t>(got[n - 1].header.sequence - got[n - 2].header.sequence), 1);
  EXPECT_EQ(got[n - 1].header.timestamp - got[n - 2].header.timestamp, 160u);

  // Bob answers in PCMA: Alice hears PCMU.
  const auto bob_payload = audio(0xC0);
  auto back =
      first_relayed(bob, b.rtp_port, alice,
                    {.payload_type = 8, .sequence = 7, .timestamp = 1, .ssrc = 0xB0B}, bob_payload);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->header.payload_type, 0);
  expected = bob_payload;
  transcode(Codec::Pcma, Codec::Pcmu, expected);
  EXPECT_EQ(back->payload, expected);
  EXPECT_NE(back->header.ssrc, first->header.ssrc);
  EXPECT_EQ(back->from_port, a.rtp_port);
  EXPECT_GT(f.engine->stats().transcoded, 0u);
}

TEST(MediaEngine, SendsToWherePacketsComeFromRatherThanTheSdpAddress) {
  Fixture f(41200);
  Phone alice(f.io), bob(f.io), natted_bob(f.io);
  const auto a = f.open(1, alice, Codec::Pcmu);
  const auto b =
      f.open(2, bob, Codec::Pcmu);  // Bob's SDP names `bob`, his packets come from `natted_bob`
  f.engine->connect(1, 2);
  ASSERT_TRUE(
      first_relayed(natted_bob, b.rtp_port, alice, {.payload_type = 0, .ssrc = 1}, audio(0)));
  ASSERT_TRUE(
      first_relayed(alice, a.rtp_port, natted_bob, {.payload_type = 0, .ssrc = 2}, audio(0)));
  EXPECT_FALSE(bob.receive(100ms));
  // Once latched, another source is not let in.
  const auto dropped = f.engine->stats().rtp_dropped;
  bob.send(b.rtp_port, {.payload_type = 0, .ssrc = 3}, audio(0));
  for (int i = 0; i < 100 && f.engine->stats().rtp_dropped == dropped; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(f.engine->stats().rtp_dropped, dropped + 1);
}

TEST(MediaEngine, ReportsADtmfDigitOnceAndRelaysItUnderThePeersPayloadType) {
  Fixture f(41300);
  Phone alice(f.io), bob(f.io);
  const auto a = f.open(1, alice, Codec::Pcmu, 101);
  f.open(2, bob, Codec::Pcmu, 96);
  f.engine->connect(1, 2);
  ASSERT_TRUE(first_relayed(alice, a.rtp_port, bob,
                            {.payload_type = 0, .sequence = 1, .timestamp = 0, .ssrc = 5},
                            audio(0)));
  bob.drain();

  // Alice presses 7: three updates, then the end packet three times, all with one timestamp.
  std::uint16_t sequence = 500;
  for (int d : {160, 320, 480, 640, 640, 640}) {
    const auto duration = static_cast<std::uint16_t>(d);
    const bool end = duration == 640;
    const auto event =
        build_telephone_event({.event = 7, .end = end, .volume = 10, .duration = duration});
    alice.send(a.rtp_port,
               {.marker = duration == 160,
                .payload_type = 101,
                .sequence = sequence++,
                .timestamp = 48000,
                .ssrc = 5},
               event);
  }
  const auto digit = f.events.next();
  ASSERT_TRUE(digit);
  ASSERT_TRUE(std::holds_alternative<DtmfDigit>(*digit));
  EXPECT_EQ(std::get<DtmfDigit>(*digit).leg, 1u);
  EXPECT_EQ(std::get<DtmfDigit>(*digit).digit, '7');
  EXPECT_FALSE(f.events.next(200ms));  // one digit, not three

  int relayed = 0;
  while (auto p = bob.receive(200ms)) {
    if (p->header.payload_type != 96) continue;
    ++relayed;
    EXPECT_EQ(parse_telephone_event(p->payload)->event, 7);
  }
  EXPECT_EQ(relayed, 6);
}

TEST(MediaEngine, RtcpIsAbsorbedOnTheSharedPortAndOnRtpPorts) {
  Fixture f(41800);
  Phone phone(f.io);
  const auto local = f.open(1, phone, Codec::Pcmu);
  const std::array<std::uint8_t, 8> receiver_report{0x80, 201, 0, 1, 0, 0, 0, 1};
  phone.send_raw(local.rtcp_port, receiver_report);
  phone.send_raw(local.rtp_port, receiver_report);  // a phone that ignored a=rtcp
  for (int i = 0; i < 300 && f.engine->stats().rtcp_received < 2; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(f.engine->stats().rtcp_received, 2u);
  EXPECT_EQ(f.engine->stats().rtp_received, 0u);
}

TEST(MediaEngine, AnExhaustedPoolRefusesALegUntilOneCloses) {
  Fixture f(41900, 3);  // one RTCP port, two RTP ports
  ASSERT_TRUE(f.engine->open_leg(1));
  ASSERT_TRUE(f.engine->open_leg(2));
  const auto refused = f.engine->open_leg(3);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().reason.find("no RTP port"), std::string::npos);
  f.engine->close_leg(1);
  std::expected<LocalMedia, MediaError> reopened = std::unexpected(MediaError{});
  for (int i = 0; i < 300 && !reopened;
       ++i) {  // the port comes back once the media thread closed it
    reopened = f.engine->open_leg(3);
    if (!reopened) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(reopened);
}

TEST(MediaEngine, ClosingALegLeavesItsPeerHearingSilence) {
  Fixture f(42000);
  Phone alice(f.io), bob(f.io);
  const auto a = f.open(1, alice, Codec::Pcmu);
  f.open(2, bob, Codec::Pcmu);
  f.engine->connect(1, 2);
  ASSERT_TRUE(first_relayed(alice, a.rtp_port, bob, {.payload_type = 0, .ssrc = 1}, audio(0x33)));
  f.engine->close_leg(1);
  EXPECT_TRUE(testing::first_silence(bob));
}

TEST(MediaEngine, ConfigurationErrorsShowAtCreation) {
  MediaConfig config;
  config.bind_address = "not-an-address";
  EXPECT_FALSE(MediaEngine::create(config, {}));
  config.bind_address = "127.0.0.1";
  config.port_min = 42100;
  config.port_max = 42100;
  EXPECT_FALSE(MediaEngine::create(config, {}));
  config.port_max = 42110;
  config.music_classes = {{"none", "/nonexistent"}};
  EXPECT_FALSE(MediaEngine::create(config, {}));
}
}  // namespace
}  // namespace orbit::media
