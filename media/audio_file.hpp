// Audio files read with libsndfile as 8 kHz mono 16-bit samples (channels mixed, linear
// resampling).
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <span>
#include <vector>

#include "media/media_control.hpp"

namespace orbit::media {

inline constexpr int kSampleRate = 8000;

// Any format libsndfile reads (WAV, FLAC, AU, ...); an error names the file and the fault.
[[nodiscard]] std::expected<std::vector<std::int16_t>, MediaError> read_audio_8k(
    const std::filesystem::path& file);

// Linear interpolation from `from_rate` to `to_rate`; samples in [-1, 1], clipped to 16 bits.
[[nodiscard]] std::vector<std::int16_t> resample_linear(std::span<const float> mono, int from_rate,
                                                        int to_rate);

}  // namespace orbit::media
