// The media engine playing to a phone on loopback: music frames from the class's shared
// buffer, prompts then PromptsFinished, one stream from music to relay, media timeouts.
#include <gtest/gtest.h>

#include "media/audio_file.hpp"
#include "media/encoded_audio.hpp"
#include "media/media_engine.hpp"
#include "media/prompt_library.hpp"
#include "media/tests/engine_fixture.hpp"

namespace orbit::media {
namespace {

using namespace std::chrono_literals;
using testing::audio;
using testing::first_relayed;
using testing::Fixture;
using testing::Phone;

TEST(MediaEngine, ALegPlayingMusicGetsTheClassFramesFromOneStream) {
  Fixture f(41400);
  Phone caller(f.io);
  f.open(1, caller, Codec::Pcma);
  f.engine->play_music(1, "test");
  const auto samples = read_audio_8k(f.sounds.dir() / "music" / "a.wav");  // the class's one file
  ASSERT_TRUE(samples);
  const auto music = EncodedAudio::encode(*samples);

  std::vector<Phone::Received> got;
  while (got.size() < 10) {
    auto p = caller.receive();
    ASSERT_TRUE(p) << "no music after " << got.size() << " packets";
    got.push_back(*p);
  }
  // Each packet is a frame of the class, and the next packet the next frame.
  std::optional<std::size_t> previous;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].header.payload_type, 8);
    EXPECT_EQ(got[i].header.ssrc, got[0].header.ssrc);
    EXPECT_EQ(got[i].header.sequence, static_cast<std::uint16_t>(got[0].header.sequence + i));
    EXPECT_EQ(got[i].header.timestamp, got[0].header.timestamp + 160 * i);
    std::optional<std::size_t> index;
    for (std::size_t k = 0; k < music.frames() && !index; ++k) {
      if (std::ranges::equal(music.frame(Codec::Pcma, k), got[i].payload)) index = k;
    }
    ASSERT_TRUE(index) << "packet " << i << " is not a frame of the class";
    if (previous) {
      EXPECT_EQ(*index, (*previous + 1) % music.frames());
    }
    previous = index;
  }
  EXPECT_GE(f.engine->stats().generated_sent, 9u);  // the 10th may still be being counted
}

TEST(MediaEngine, PlaysPromptsThenReportsThemFinishedAndSendsSilence) {
  Fixture f(41500);
  Phone caller(f.io);
  f.open(1, caller, Codec::Pcmu);
  f.engine->play_prompts(1, {"digits/7", "no-such-prompt"}, 42);
  PromptLibrary prompts{std::filesystem::path(kDefaultPromptDirectory)};
  const EncodedAudio& seven = **prompts.get("digits/7");

  std::vector<Phone::Received> got;
  std::optional<MediaEvent> finished;
  while (!finished) {
    auto p = caller.receive();
    ASSERT_TRUE(p);
    got.push_back(*p);
    finished = f.events.next(0ms);
  }
  ASSERT_TRUE(std::holds_alternative<PromptsFinished>(*finished));
  EXPECT_EQ(std::get<PromptsFinished>(*finished).token, 42u);
  ASSERT_GE(got.size(), seven.frames());
  for (std::size_t i = 0; i < seven.frames(); ++i) {
    ASSERT_TRUE(std::ranges::equal(got[i].payload, seven.frame(Codec::Pcmu, i))) << i;
  }
  // Then silence, on the same stream.
  auto after = caller.receive();
  ASSERT_TRUE(after);
  EXPECT_TRUE(std::ranges::all_of(after->payload, [](std::uint8_t c) { return c == 0xFF; }));
  EXPECT_EQ(after->header.ssrc, got[0].header.ssrc);
}

TEST(MediaEngine, MusicThenRelayContinuesTheSameStream) {
  Fixture f(41600);
  Phone alice(f.io), bob(f.io);
  const auto a = f.open(1, alice, Codec::Pcmu);
  f.open(2, bob, Codec::Pcmu);
  f.engine->play_music(2, "test");
  const auto music = bob.receive();
  ASSERT_TRUE(music);
  f.engine->connect(1, 2);
  // Relayed packets follow the music on Bob's stream: same SSRC, following sequence numbers.
  std::optional<Phone::Received> relayed;
  Phone::Received last = *music;
  for (int i = 0; i < 300 && !relayed; ++i) {
    alice.send(a.rtp_port,
               {.payload_type = 0,
                .sequence = static_cast<std::uint16_t>(i),
                .timestamp = 160u * i,
                .ssrc = 9},
               audio(0x42));
    while (auto p = bob.receive(10ms)) {
      EXPECT_EQ(p->header.sequence, static_cast<std::uint16_t>(last.header.sequence + 1));
      EXPECT_EQ(p->header.ssrc, music->header.ssrc);
      if (p->payload == audio(0x42)) {
        relayed = p;
        break;
      }
      last = *p;
    }
  }
  ASSERT_TRUE(relayed);
  EXPECT_GT(relayed->header.timestamp - last.header.timestamp, 0u);
  EXPECT_LT(relayed->header.timestamp - last.header.timestamp, 8000u);
}

TEST(MediaEngine, NothingIsSentToAFarEndThatDoesNotReceiveUntilItResumes) {
  Fixture f(41650);
  Phone holder(f.io);
  f.engine->open_leg(1).value();
  RemoteMedia remote{.address = "127.0.0.1", .port = holder.port(), .receives = false};
  f.engine->set_remote(1, remote);  // the far end put Orbit on hold: a=sendonly
  f.engine->play_music(1, "test");
  EXPECT_FALSE(holder.receive(300ms));
  remote.receives = true;  // resumed
  f.engine->set_remote(1, remote);
  const auto first = holder.receive();
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->header.marker);  // marked: the stream starts (or jumps) here
}

TEST(MediaEngine, ALegThatShouldSendButIsSilentTimesOutOnce) {
  Fixture f(41700, 20, 200ms);
  Phone caller(f.io), holder(f.io);
  f.open(1, caller, Codec::Pcmu);
  f.engine->open_leg(2).value();
  f.engine->set_remote(2, {.address = "127.0.0.1", .port = holder.port(), .sends = false});
  const auto event = f.events.next();
  ASSERT_TRUE(event);
  ASSERT_TRUE(std::holds_alternative<MediaTimeout>(*event));
  EXPECT_EQ(std::get<MediaTimeout>(*event).leg, 1u);
  EXPECT_FALSE(f.events.next(500ms));  // once; and never for the leg on hold
}
}  // namespace
}  // namespace orbit::media
