// Test helpers: a temporary directory that writes WAV files with libsndfile.
#pragma once

#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

namespace orbit::media::testing {

class TempSounds {
 public:
  TempSounds() {
    std::string pattern = (std::filesystem::temp_directory_path() / "orbit-media-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
  }
  ~TempSounds() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TempSounds(const TempSounds&) = delete;
  TempSounds& operator=(const TempSounds&) = delete;

  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

  // A 16-bit WAV of `seconds` of a sine at `frequency`, the same on every channel.
  std::filesystem::path sine(const std::string& name, double frequency, double seconds,
                             int rate = 8000, int channels = 1, double amplitude = 0.5) const {
    const auto frames = static_cast<std::size_t>(seconds * rate);
    std::vector<float> data(frames * static_cast<std::size_t>(channels));
    for (std::size_t i = 0; i < frames; ++i) {
      const auto v = static_cast<float>(
          amplitude * std::sin(2 * std::numbers::pi * frequency * static_cast<double>(i) / rate));
      for (int c = 0; c < channels; ++c)
        data[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] = v;
    }
    return write(name, data, rate, channels);
  }

  std::filesystem::path write(const std::string& name, const std::vector<float>& interleaved,
                              int rate, int channels) const {
    const auto path = dir_ / name;
    std::filesystem::create_directories(path.parent_path());
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
    sf_writef_float(
        file, interleaved.data(),
        static_cast<sf_count_t>(interleaved.size() / static_cast<std::size_t>(channels)));
    sf_close(file);
    return path;
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace orbit::media::testing
