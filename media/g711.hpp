// G.711 (ITU-T) μ-law and A-law: encode 16-bit linear samples, decode, convert between the laws.
#pragma once

#include <cstdint>
#include <span>

#include "media/media_control.hpp"

namespace orbit::media {

// Encoders follow the ITU-T G.191 reference (g711.c): a negative sample x is coded by the
// magnitude of its ones' complement, so encode_ulaw(0) == 0xFF and encode_ulaw(-1) == 0x7F.
[[nodiscard]] std::uint8_t encode_ulaw(std::int16_t sample);
[[nodiscard]] std::uint8_t encode_alaw(std::int16_t sample);
// Decoders return the middle of the quantisation interval (table lookups).
[[nodiscard]] std::int16_t decode_ulaw(std::uint8_t code);
[[nodiscard]] std::int16_t decode_alaw(std::uint8_t code);
// Law conversion by table: decode with one law, encode with the other (the level is kept to
// within one step; this is not the code-to-code mapping of G.711 Tables 3 and 4).
[[nodiscard]] std::uint8_t ulaw_to_alaw(std::uint8_t code);
[[nodiscard]] std::uint8_t alaw_to_ulaw(std::uint8_t code);

[[nodiscard]] std::uint8_t encode(Codec codec, std::int16_t sample);
[[nodiscard]] std::int16_t decode(Codec codec, std::uint8_t code);
// The code of a zero sample: 0xFF (μ-law), 0xD5 (A-law).
[[nodiscard]] std::uint8_t silence_code(Codec codec);

// Converts a G.711 payload from one law to the other, in place; nothing to do when from == to.
void transcode(Codec from, Codec to, std::span<std::uint8_t> payload);

}  // namespace orbit::media
