// Audio files to 8 kHz mono: files at 8 kHz read as they are, other rates resampled, stereo mixed
// down, unreadable files reported; the 20 ms frames of both laws.
#include "media/audio_file.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "media/encoded_audio.hpp"
#include "media/g711.hpp"
#include "media/tests/sound_files.hpp"

namespace orbit::media {
namespace {

// The sample's level in the signal: the root mean square over the whole buffer.
double rms(const std::vector<std::int16_t>& samples) {
  double sum = 0;
  for (auto s : samples) sum += static_cast<double>(s) * s;
  return std::sqrt(sum / static_cast<double>(samples.size()));
}

TEST(AudioFile, ReadsAnEightKilohertzFileAsItIs) {
  testing::TempSounds sounds;
  const auto samples = read_audio_8k(sounds.sine("tone.wav", 400, 1.0));
  ASSERT_TRUE(samples) << samples.error().reason;
  EXPECT_EQ(samples->size(), 8000u);
  EXPECT_NEAR(rms(*samples), 0.5 * 32768 / std::sqrt(2.0), 100);
}

TEST(AudioFile, ResamplesAndMixesDownAStereoCdFile) {
  testing::TempSounds sounds;
  const auto samples = read_audio_8k(sounds.sine("cd.wav", 400, 1.0, 44100, 2));
  ASSERT_TRUE(samples) << samples.error().reason;
  EXPECT_NEAR(static_cast<double>(samples->size()), 8000.0, 1.0);
  EXPECT_NEAR(rms(*samples), 0.5 * 32768 / std::sqrt(2.0), 200);
  // Still a 400 Hz tone: 20 samples per period at 8 kHz.
  EXPECT_NEAR((*samples)[1000], (*samples)[1020], 400);
}

TEST(AudioFile, ResamplingIsLinearInterpolation) {
  const std::vector<float> ramp{0.0f, 0.25f, 0.5f, 0.75f};
  const auto up = resample_linear(ramp, 8000, 16000);
  ASSERT_EQ(up.size(), 7u);
  EXPECT_EQ(up[1], 4096);  // halfway between 0 and 0.25
  const auto down = resample_linear(ramp, 16000, 8000);
  EXPECT_EQ(down, (std::vector<std::int16_t>{0, 16384}));
}

TEST(AudioFile, AMissingOrUnreadableFileIsAnErrorNamingIt) {
  testing::TempSounds sounds;
  const auto missing = read_audio_8k(sounds.dir() / "nothing.wav");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().reason.find("nothing.wav"), std::string::npos);
}

TEST(EncodedAudio, PadsTheTailWithSilenceAndServesBothLaws) {
  const std::vector<std::int16_t> samples(200, 1000);
  const auto audio = EncodedAudio::encode(samples);
  ASSERT_EQ(audio.frames(), 2u);
  EXPECT_EQ(audio.frame(Codec::Pcmu, 0)[0], encode_ulaw(1000));
  EXPECT_EQ(audio.frame(Codec::Pcma, 0)[0], encode_alaw(1000));
  EXPECT_EQ(audio.frame(Codec::Pcmu, 1)[39], encode_ulaw(1000));
  EXPECT_EQ(audio.frame(Codec::Pcmu, 1)[40], 0xFF);
  EXPECT_EQ(audio.frame(Codec::Pcma, 1)[159], 0xD5);
  EXPECT_EQ(silence_frame(Codec::Pcmu).size(), kFrameSamples);
}

}  // namespace
}  // namespace orbit::media
