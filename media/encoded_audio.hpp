// Audio encoded once per G.711 law and cut into 20 ms frames, shared by every listener.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "media/media_control.hpp"

namespace orbit::media {

inline constexpr std::size_t kFrameSamples = 160;  // 20 ms at 8 kHz: one byte per sample in G.711

class EncodedAudio {
 public:
  EncodedAudio() = default;
  // Encodes both laws; the tail is padded with silence to a whole frame.
  [[nodiscard]] static EncodedAudio encode(std::span<const std::int16_t> samples);

  [[nodiscard]] std::size_t frames() const { return pcmu_.size() / kFrameSamples; }
  // Frame `index` (< frames()) in the given law: a view into the shared buffer.
  [[nodiscard]] std::span<const std::uint8_t> frame(Codec codec, std::size_t index) const;

 private:
  std::vector<std::uint8_t> pcmu_;
  std::vector<std::uint8_t> pcma_;
};

// 160 samples of silence in the given law.
[[nodiscard]] std::span<const std::uint8_t> silence_frame(Codec codec);

}  // namespace orbit::media
