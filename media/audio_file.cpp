// Reading audio files with libsndfile into 8 kHz mono 16-bit samples.
#include "media/audio_file.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include <fmt/format.h>

namespace orbit::media {
namespace {

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};

std::int16_t to_int16(double sample) {
  return static_cast<std::int16_t>(
      std::lround(std::clamp(sample, -1.0, 32767.0 / 32768.0) * 32768.0));
}

}  // namespace

std::vector<std::int16_t> resample_linear(std::span<const float> mono, int from_rate, int to_rate) {
  std::vector<std::int16_t> out;
  if (mono.empty() || from_rate <= 0 || to_rate <= 0) return out;
  if (from_rate == to_rate) {
    out.reserve(mono.size());
    for (float s : mono) out.push_back(to_int16(s));
    return out;
  }
  const double step = static_cast<double>(from_rate) / to_rate;
  const auto count = static_cast<std::size_t>(static_cast<double>(mono.size() - 1) / step) + 1;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const double position = static_cast<double>(i) * step;
    const auto left = static_cast<std::size_t>(position);
    const double fraction = position - static_cast<double>(left);
    const double right = left + 1 < mono.size() ? mono[left + 1] : mono[left];
    out.push_back(to_int16(mono[left] + (right - mono[left]) * fraction));
  }
  return out;
}

std::expected<std::vector<std::int16_t>, MediaError> read_audio_8k(
    const std::filesystem::path& file) {
  SF_INFO info{};
  std::unique_ptr<SNDFILE, SndfileCloser> handle(sf_open(file.c_str(), SFM_READ, &info));
  if (!handle) {
    return std::unexpected(MediaError{fmt::format("{}: {}", file.string(), sf_strerror(nullptr))});
  }
  if (info.channels <= 0 || info.samplerate <= 0) {
    return std::unexpected(MediaError{fmt::format("{}: no audio channel", file.string())});
  }
  const auto channels = static_cast<std::size_t>(info.channels);
  std::vector<float> interleaved(static_cast<std::size_t>(info.frames) * channels);
  const sf_count_t frames = sf_readf_float(handle.get(), interleaved.data(), info.frames);
  if (frames <= 0)
    return std::unexpected(MediaError{fmt::format("{}: no audio data", file.string())});

  std::vector<float> mono(static_cast<std::size_t>(frames));
  for (std::size_t i = 0; i < mono.size(); ++i) {
    float sum = 0;
    for (std::size_t c = 0; c < channels; ++c) sum += interleaved[i * channels + c];
    mono[i] = sum / static_cast<float>(channels);
  }
  return resample_linear(mono, info.samplerate, kSampleRate);
}

}  // namespace orbit::media
