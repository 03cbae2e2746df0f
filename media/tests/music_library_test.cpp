// Music on hold: the default class loads from Debian's files; a class is one shared position
// advanced by the tick, like a radio, one per media thread over one buffer; directories without
// audio are configuration errors.
#include "media/music_library.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "media/audio_file.hpp"
#include "media/tests/sound_files.hpp"

namespace orbit::media {
namespace {

bool same(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return std::ranges::equal(a, b);
}

TEST(MusicLibrary, LoadsTheDefaultClassFromDebiansMusicOnHold) {
  auto library = MusicLibrary::load({default_music_class()});
  ASSERT_TRUE(library) << library.error().reason;
  const MusicClass* music = library->find("default");
  ASSERT_NE(music, nullptr);
  EXPECT_GT(music->frames(), 50u * 60);  // minutes of music
  // The first frame is the first file's first 20 ms, encoded.
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(default_music_class().directory))
    files.push_back(e.path());
  std::ranges::sort(files);
  const auto first = read_audio_8k(files.front());
  ASSERT_TRUE(first);
  const auto expected = EncodedAudio::encode(std::span(*first).first(kFrameSamples));
  EXPECT_TRUE(same(music->frame(Codec::Pcmu), expected.frame(Codec::Pcmu, 0)));
  EXPECT_TRUE(same(music->frame(Codec::Pcma), expected.frame(Codec::Pcma, 0)));
  EXPECT_EQ(library->find("jazz"), nullptr);
}

TEST(MusicLibrary, TwoListenersOfAClassGetTheSameFrameAtTheSameTick) {
  testing::TempSounds sounds;
  sounds.sine("a.wav", 300, 0.5);
  sounds.sine("b.wav", 700, 0.5, 16000, 2);
  auto library = MusicLibrary::load({{"calm", sounds.dir()}});
  ASSERT_TRUE(library) << library.error().reason;
  const MusicClass* first_listener = library->find("calm");
  const MusicClass* second_listener = library->find("calm");
  ASSERT_EQ(first_listener->frames(), 50u);  // two half seconds
  for (int tick = 0; tick < 3; ++tick) {
    EXPECT_EQ(first_listener->frame(Codec::Pcmu).data(),
              second_listener->frame(Codec::Pcmu).data());
    library->tick();
  }
  EXPECT_EQ(first_listener->position(), 3u);
}

TEST(MusicLibrary, ASharedLibraryPlaysTheSameAudioFromAPositionOfItsOwn) {
  testing::TempSounds sounds;
  sounds.sine("a.wav", 300, 0.5);
  auto library = MusicLibrary::load({{"calm", sounds.dir()}});
  ASSERT_TRUE(library) << library.error().reason;
  MusicLibrary other_thread = library->share();
  const MusicClass* here = library->find("calm");
  const MusicClass* there = other_thread.find("calm");
  ASSERT_NE(there, nullptr);
  EXPECT_NE(here, there);
  EXPECT_EQ(here->frame(Codec::Pcma).data(), there->frame(Codec::Pcma).data());  // one buffer
  library->tick();
  library->tick();
  other_thread.tick();
  EXPECT_EQ(here->position(), 2u);
  EXPECT_EQ(there->position(), 1u);
  EXPECT_EQ(there->frame(Codec::Pcma).data() + kFrameSamples, here->frame(Codec::Pcma).data());
}

TEST(MusicLibrary, AClassLoopsAfterItsLastFrame) {
  testing::TempSounds sounds;
  sounds.sine("short.wav", 440, 0.05);  // 400 samples: three frames, the last padded
  auto library = MusicLibrary::load({{"short", sounds.dir()}});
  ASSERT_TRUE(library);
  const MusicClass* music = library->find("short");
  ASSERT_EQ(music->frames(), 3u);
  const auto* start = music->frame(Codec::Pcma).data();
  for (int i = 0; i < 3; ++i) library->tick();
  EXPECT_EQ(music->position(), 0u);
  EXPECT_EQ(music->frame(Codec::Pcma).data(), start);
}

TEST(MusicLibrary, ADirectoryWithoutAudioIsAConfigurationError) {
  testing::TempSounds sounds;
  std::filesystem::create_directories(sounds.dir() / "empty");
  auto empty = MusicLibrary::load({{"empty", sounds.dir() / "empty"}});
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().reason.find("empty"), std::string::npos);
  auto missing = MusicLibrary::load({{"gone", sounds.dir() / "gone"}});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().reason.find("gone"), std::string::npos);
}

TEST(MusicLibrary, AClassNameIsDefinedOnce) {
  testing::TempSounds sounds;
  sounds.sine("a.wav", 300, 0.1);
  auto twice = MusicLibrary::load({{"x", sounds.dir()}, {"x", sounds.dir()}});
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().reason.find("twice"), std::string::npos);
}

}  // namespace
}  // namespace orbit::media
