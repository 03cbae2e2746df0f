// G.711 encoding of whole sounds into frames; the shared silence frames.
#include "media/encoded_audio.hpp"

#include <array>

#include "media/g711.hpp"

namespace orbit::media {

EncodedAudio EncodedAudio::encode(std::span<const std::int16_t> samples) {
  EncodedAudio audio;
  const std::size_t padded = (samples.size() + kFrameSamples - 1) / kFrameSamples * kFrameSamples;
  audio.pcmu_.assign(padded, silence_code(Codec::Pcmu));
  audio.pcma_.assign(padded, silence_code(Codec::Pcma));
  for (std::size_t i = 0; i < samples.size(); ++i) {
    audio.pcmu_[i] = encode_ulaw(samples[i]);
    audio.pcma_[i] = encode_alaw(samples[i]);
  }
  return audio;
}

std::span<const std::uint8_t> EncodedAudio::frame(Codec codec, std::size_t index) const {
  const auto& buffer = codec == Codec::Pcma ? pcma_ : pcmu_;
  return std::span(buffer).subspan(index * kFrameSamples, kFrameSamples);
}

std::span<const std::uint8_t> silence_frame(Codec codec) {
  static constexpr auto fill = [](std::uint8_t code) {
    std::array<std::uint8_t, kFrameSamples> frame{};
    frame.fill(code);
    return frame;
  };
  static constexpr auto kPcmu = fill(0xFF);
  static constexpr auto kPcma = fill(0xD5);
  return codec == Codec::Pcma ? std::span(kPcma) : std::span(kPcmu);
}

}  // namespace orbit::media
