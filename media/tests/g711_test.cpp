// G.711 against reference values: the full decoder tables, encoder values at known points,
// the ITU-T G.191 sign convention, round trips and the conversion between the laws.
#include "media/g711.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <vector>

namespace orbit::media {
namespace {

// Decoder outputs of every code, as the classic CCITT-derived g711.c (Sun Microsystems, the one
// CPython's audioop uses) computes them; G.711 Tables 1 and 2 give the same decision values.
constexpr std::array<std::int16_t, 256> kUlawReference = {
    -32124, -31100, -30076, -29052, -28028, -27004, -25980, -24956, -23932, -22908, -21884, -20860,
    -19836, -18812, -17788, -16764, -15996, -15484, -14972, -14460, -13948, -13436, -12924, -12412,
    -11900, -11388, -10876, -10364, -9852,  -9340,  -8828,  -8316,  -7932,  -7676,  -7420,  -7164,
    -6908,  -6652,  -6396,  -6140,  -5884,  -5628,  -5372,  -5116,  -4860,  -4604,  -4348,  -4092,
    -3900,  -3772,  -3644,  -3516,  -3388,  -3260,  -3132,  -3004,  -2876,  -2748,  -2620,  -2492,
    -2364,  -2236,  -2108,  -1980,  -1884,  -1820,  -1756,  -1692,  -1628,  -1564,  -1500,  -1436,
    -1372,  -1308,  -1244,  -1180,  -1116,  -1052,  -988,   -924,   -876,   -844,   -812,   -780,
    -748,   -716,   -684,   -652,   -620,   -588,   -556,   -524,   -492,   -460,   -428,   -396,
    -372,   -356,   -340,   -324,   -308,   -292,   -276,   -260,   -244,   -228,   -212,   -196,
    -180,   -164,   -148,   -132,   -120,   -112,   -104,   -96,    -88,    -80,    -72,    -64,
    -56,    -48,    -40,    -32,    -24,    -16,    -8,     0,      32124,  31100,  30076,  29052,
    28028,  27004,  25980,  24956,  23932,  22908,  21884,  20860,  19836,  18812,  17788,  16764,
    15996,  15484,  14972,  14460,  13948,  13436,  12924,  12412,  11900,  11388,  10876,  10364,
    9852,   9340,   8828,   8316,   7932,   7676,   7420,   7164,   6908,   6652,   6396,   6140,
    5884,   5628,   5372,   5116,   4860,   4604,   4348,   4092,   3900,   3772,   3644,   3516,
    3388,   3260,   3132,   3004,   2876,   2748,   2620,   2492,   2364,   2236,   2108,   1980,
    1884,   1820,   1756,   1692,   1628,   1564,   1500,   1436,   1372,   1308,   1244,   1180,
    1116,   1052,   988,    924,    876,    844,    812,    780,    748,    716,    684,    652,
    620,    588,    556,    524,    492,    460,    428,    396,    372,    356,    340,    324,
    308,    292,    276,    260,    244,    228,    212,    196,    180,    164,    148,    132,
    120,    112,    104,    96,     88,     80,     72,     64,     56,     48,     40,     32,
    24,     16,     8,      0,
};

constexpr std::array<std::int16_t, 256> kAlawReference = {
    -5504,  -5248,  -6016,  -5760,  -4480,  -4224,  -4992,  -4736,  -7552,  -7296,  -8064,  -7808,
    -6528,  -6272,  -7040,  -6784,  -2752,  -2624,  -3008,  -2880,  -2240,  -2112,  -2496,  -2368,
    -3776,  -3648,  -4032,  -3904,  -3264,  -3136,  -3520,  -3392,  -22016, -20992, -24064, -23040,
    -17920, -16896, -19968, -18944, -30208, -29184, -32256, -31232, -26112, -25088, -28160, -27136,
    -11008, -10496, -12032, -11520, -8960,  -8448,  -9984,  -9472,  -15104, -14592, -16128, -15616,
    -13056, -12544, -14080, -13568, -344,   -328,   -376,   -360,   -280,   -264,   -312,   -296,
    -472,   -456,   -504,   -488,   -408,   -392,   -440,   -424,   -88,    -72,    -120,   -104,
    -24,    -8,     -56,    -40,    -216,   -200,   -248,   -232,   -152,   -136,   -184,   -168,
    -1376,  -1312,  -1504,  -1440,  -1120,  -1056,  -1248,  -1184,  -1888,  -1824,  -2016,  -1952,
    -1632,  -1568,  -1760,  -1696,  -688,   -656,   -752,   -720,   -560,   -528,   -624,   -592,
    -944,   -912,   -1008,  -976,   -816,   -784,   -880,   -848,   5504,   5248,   6016,   5760,
    4480,   4224,   4992,   4736,   7552,   7296,   8064,   7808,   6528,   6272,   7040,   6784,
    2752,   2624,   3008,   2880,   2240,   2112,   2496,   2368,   3776,   3648,   4032,   3904,
    3264,   3136,   3520,   3392,   22016,  20992,  24064,  23040,  17920,  16896,  19968,  18944,
    30208,  29184,  32256,  31232,  26112,  25088,  28160,  27136,  11008,  10496,  12032,  11520,
    8960,   8448,   9984,   9472,   15104,  14592,  16128,  15616,  13056,  12544,  14080,  13568,
    344,    328,    376,    360,    280,    264,    312,    296,    472,    456,    504,    488,
    408,    392,    440,    424,    88,     72,     120,    104,    24,     8,      56,     40,
    216,    200,    248,    232,    152,    136,    184,    168,    1376,   1312,   1504,   1440,
    1120,   1056,   1248,   1184,   1888,   1824,   2016,   1952,   1632,   1568,   1760,   1696,
    688,    656,    752,    720,    560,    528,    624,    592,    944,    912,    1008,   976,
    816,    784,    880,    848,
};

TEST(G711, DecodesEveryMuLawCodeAsTheReferenceTable) {
  for (int code = 0; code < 256; ++code) {
    EXPECT_EQ(decode_ulaw(static_cast<std::uint8_t>(code)), kUlawReference[code]) << code;
  }
}

TEST(G711, DecodesEveryALawCodeAsTheReferenceTable) {
  for (int code = 0; code < 256; ++code) {
    EXPECT_EQ(decode_alaw(static_cast<std::uint8_t>(code)), kAlawReference[code]) << code;
  }
}

TEST(G711, EncodesKnownMuLawValues) {
  EXPECT_EQ(encode_ulaw(0), 0xFF);   // positive zero
  EXPECT_EQ(encode_ulaw(-1), 0x7F);  // G.191: -1 is the negative zero
  EXPECT_EQ(encode_ulaw(4), 0xFE);
  EXPECT_EQ(encode_ulaw(100), 0xF2);
  EXPECT_EQ(encode_ulaw(1000), 0xCE);
  EXPECT_EQ(encode_ulaw(5000), 0xAB);
  EXPECT_EQ(encode_ulaw(32767), 0x80);
  EXPECT_EQ(encode_ulaw(-32768), 0x00);
}

TEST(G711, EncodesKnownALawValues) {
  EXPECT_EQ(encode_alaw(0), 0xD5);
  EXPECT_EQ(encode_alaw(-1), 0x55);
  EXPECT_EQ(encode_alaw(100), 0xD3);
  EXPECT_EQ(encode_alaw(1000), 0xFA);
  EXPECT_EQ(encode_alaw(5000), 0x86);
  EXPECT_EQ(encode_alaw(32767), 0xAA);
  EXPECT_EQ(encode_alaw(-32768), 0x2A);
}

TEST(G711, NegativeSamplesUseTheOnesComplementMagnitude) {
  // G.191 codes -x-1 like x with the sign bit cleared: the two halves are mirror images.
  for (int x = 0; x <= std::numeric_limits<std::int16_t>::max(); ++x) {
    const auto pos = static_cast<std::int16_t>(x);
    const auto neg = static_cast<std::int16_t>(-x - 1);
    ASSERT_EQ(encode_ulaw(neg), encode_ulaw(pos) & 0x7F) << x;
    ASSERT_EQ(encode_alaw(neg), encode_alaw(pos) ^ 0x80) << x;
  }
}

TEST(G711, EncodingADecodedValueGivesTheCodeBack) {
  for (int code = 0; code < 256; ++code) {
    const auto c = static_cast<std::uint8_t>(code);
    EXPECT_EQ(encode_alaw(decode_alaw(c)), c) << code;
    // μ-law has two zeros: the negative one (0x7F) decodes to 0, which encodes as 0xFF.
    EXPECT_EQ(encode_ulaw(decode_ulaw(c)), c == 0x7F ? 0xFF : c) << code;
  }
}

TEST(G711, QuantisationIsMonotonicWithBoundedError) {
  int previous_u = std::numeric_limits<int>::min();
  int previous_a = std::numeric_limits<int>::min();
  for (int x = std::numeric_limits<std::int16_t>::min();
       x <= std::numeric_limits<std::int16_t>::max(); ++x) {
    const auto s = static_cast<std::int16_t>(x);
    const int u = decode_ulaw(encode_ulaw(s));
    const int a = decode_alaw(encode_alaw(s));
    ASSERT_GE(u, previous_u) << x;
    ASSERT_GE(a, previous_a) << x;
    previous_u = u;
    previous_a = a;
    if (std::abs(x) <= 32000) {  // below the clipping level: within half a step (~3 %)
      ASSERT_LE(std::abs(u - x), 8 + std::abs(x) / 30) << x;
      ASSERT_LE(std::abs(a - x), 16 + std::abs(x) / 30) << x;
    }
  }
}

TEST(G711, ConvertsBetweenTheLaws) {
  EXPECT_EQ(ulaw_to_alaw(0xFF), 0xD5);
  EXPECT_EQ(alaw_to_ulaw(0xD5), 0xFE);  // A-law's smallest level, +8, is μ-law's +8
  EXPECT_EQ(alaw_to_ulaw(0x55), 0x7E);
  EXPECT_EQ(ulaw_to_alaw(0x80), 0xAA);  // loudest positive
  EXPECT_EQ(ulaw_to_alaw(0x00), 0x2A);  // loudest negative
  for (int code = 0; code < 256; ++code) {
    const auto c = static_cast<std::uint8_t>(code);
    EXPECT_EQ(ulaw_to_alaw(c), encode_alaw(decode_ulaw(c)));
    EXPECT_EQ(alaw_to_ulaw(c), encode_ulaw(decode_alaw(c)));
    // The conversion keeps the sign and stays within a few percent of the level.
    const int level = decode_ulaw(c);
    const int converted = decode_alaw(ulaw_to_alaw(c));
    EXPECT_LE(std::abs(converted - level), 16 + std::abs(level) / 30) << code;
  }
}

TEST(G711, ConvertingThereAndBackMovesAtMostOneStep) {
  for (int code = 0; code < 256; ++code) {
    const auto c = static_cast<std::uint8_t>(code);
    const int a = decode_alaw(c);
    const int a_again = decode_alaw(ulaw_to_alaw(alaw_to_ulaw(c)));
    EXPECT_LE(std::abs(a_again - a), std::max(16, std::abs(a) / 16)) << code;
    const int u = decode_ulaw(c);
    const int u_again = decode_ulaw(alaw_to_ulaw(ulaw_to_alaw(c)));
    EXPECT_LE(std::abs(u_again - u), std::max(16, std::abs(u) / 16)) << code;
  }
}

TEST(G711, TranscodesAPayloadInPlace) {
  std::vector<std::uint8_t> payload{0xFF, 0x80, 0x00, 0x7F};
  transcode(Codec::Pcmu, Codec::Pcma, payload);
  EXPECT_EQ(payload, (std::vector<std::uint8_t>{0xD5, 0xAA, 0x2A, 0xD5}));
  transcode(Codec::Pcma, Codec::Pcma, payload);
  EXPECT_EQ(payload, (std::vector<std::uint8_t>{0xD5, 0xAA, 0x2A, 0xD5}));
  EXPECT_EQ(silence_code(Codec::Pcmu), encode(Codec::Pcmu, 0));
  EXPECT_EQ(silence_code(Codec::Pcma), encode(Codec::Pcma, 0));
}

}  // namespace
}  // namespace orbit::media
