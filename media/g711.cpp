// G.711 μ-law and A-law after the ITU-T G.191 reference implementation; tables built at compile
// time.
#include "media/g711.hpp"

#include <array>

namespace orbit::media {
namespace {

constexpr std::uint8_t ulaw_compress(std::int16_t sample) {
  // 14-bit magnitude (ones' complement for negatives), biased by 33 so segments are powers of two.
  int absno = sample < 0 ? ((~sample) >> 2) + 33 : (sample >> 2) + 33;
  if (absno > 0x1FFF) absno = 0x1FFF;
  int segno = 1;
  for (int i = absno >> 6; i != 0; i >>= 1) ++segno;
  const int high_nibble = 0x8 - segno;
  const int low_nibble = 0xF - ((absno >> segno) & 0xF);
  int code = (high_nibble << 4) | low_nibble;
  if (sample >= 0) code |= 0x80;
  return static_cast<std::uint8_t>(code);
}

constexpr std::int16_t ulaw_expand(std::uint8_t code) {
  const int sign = code < 0x80 ? -1 : 1;
  const int complement = ~code & 0xFF;
  const int exponent = (complement >> 4) & 0x7;
  const int mantissa = complement & 0xF;
  const int step = 4 << (exponent + 1);
  const int magnitude = (0x80 << exponent) + step * mantissa + step / 2 - 4 * 33;
  return static_cast<std::int16_t>(sign * magnitude);
}

constexpr std::uint8_t alaw_compress(std::int16_t sample) {
  // 12-bit magnitude (ones' complement for negatives), then segment and mantissa.
  int ix = sample < 0 ? (~sample) >> 4 : sample >> 4;
  if (ix > 15) {
    int exponent = 1;
    while (ix > 16 + 15) {
      ix >>= 1;
      ++exponent;
    }
    ix -= 16;
    ix += exponent << 4;
  }
  if (sample >= 0) ix |= 0x80;
  return static_cast<std::uint8_t>(ix ^ 0x55);
}

constexpr std::int16_t alaw_expand(std::uint8_t code) {
  const int ix = (code ^ 0x55) & 0x7F;
  const int exponent = ix >> 4;
  int mantissa = ix & 0xF;
  if (exponent > 0) mantissa += 16;
  mantissa = (mantissa << 4) + 0x8;
  if (exponent > 1) mantissa <<= exponent - 1;
  return static_cast<std::int16_t>(code > 0x7F ? mantissa : -mantissa);
}

template <typename F>
constexpr auto table_of(F f) {
  std::array<decltype(f(std::uint8_t{})), 256> table{};
  for (int i = 0; i < 256; ++i) table[i] = f(static_cast<std::uint8_t>(i));
  return table;
}

constexpr auto kUlawDecode = table_of(ulaw_expand);
constexpr auto kAlawDecode = table_of(alaw_expand);
constexpr auto kUlawToAlaw = table_of([](std::uint8_t u) { return alaw_compress(ulaw_expand(u)); });
constexpr auto kAlawToUlaw = table_of([](std::uint8_t a) { return ulaw_compress(alaw_expand(a)); });

static_assert(ulaw_compress(0) == 0xFF && alaw_compress(0) == 0xD5);
static_assert(ulaw_expand(0x00) == -32124 && alaw_expand(0xAA) == 32256);

}  // namespace

std::uint8_t encode_ulaw(std::int16_t sample) {
  return ulaw_compress(sample);
}
std::uint8_t encode_alaw(std::int16_t sample) {
  return alaw_compress(sample);
}
std::int16_t decode_ulaw(std::uint8_t code) {
  return kUlawDecode[code];
}
std::int16_t decode_alaw(std::uint8_t code) {
  return kAlawDecode[code];
}
std::uint8_t ulaw_to_alaw(std::uint8_t code) {
  return kUlawToAlaw[code];
}
std::uint8_t alaw_to_ulaw(std::uint8_t code) {
  return kAlawToUlaw[code];
}

std::uint8_t encode(Codec codec, std::int16_t sample) {
  return codec == Codec::Pcma ? encode_alaw(sample) : encode_ulaw(sample);
}

std::int16_t decode(Codec codec, std::uint8_t code) {
  return codec == Codec::Pcma ? decode_alaw(code) : decode_ulaw(code);
}

std::uint8_t silence_code(Codec codec) {
  return codec == Codec::Pcma ? 0xD5 : 0xFF;
}

void transcode(Codec from, Codec to, std::span<std::uint8_t> payload) {
  if (from == to) return;
  const auto& table = from == Codec::Pcmu ? kUlawToAlaw : kAlawToUlaw;
  for (auto& code : payload) code = table[code];
}

}  // namespace orbit::media
