// RTP headers (RFC 3550): written headers parse back; CSRCs, extensions and padding are skipped;
// malformed packets are rejected with a reason; RTCP is told apart (RFC 5761).
#include "media/rtp_packet.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace orbit::media {
namespace {

std::vector<std::uint8_t> packet(const RtpHeader& header, std::vector<std::uint8_t> payload) {
  std::vector<std::uint8_t> bytes(kRtpHeaderSize);
  write_rtp_header(header, std::span<std::uint8_t, kRtpHeaderSize>(bytes.data(), kRtpHeaderSize));
  bytes.insert(bytes.end(), payload.begin(), payload.end());
  return bytes;
}

TEST(RtpPacket, WritesTheFixedHeaderInNetworkOrder) {
  const auto bytes = packet({.marker = true,
                             .payload_type = 8,
                             .sequence = 0x1234,
                             .timestamp = 0xA0B0C0D0,
                             .ssrc = 0x01020304},
                            {});
  EXPECT_EQ(bytes, (std::vector<std::uint8_t>{0x80, 0x88, 0x12, 0x34, 0xA0, 0xB0, 0xC0, 0xD0, 0x01,
                                              0x02, 0x03, 0x04}));
}

TEST(RtpPacket, AWrittenPacketParsesBack) {
  const RtpHeader header{
      .payload_type = 101, .sequence = 65535, .timestamp = 4000000000u, .ssrc = 7};
  const auto bytes = packet(header, {1, 2, 3});
  const auto parsed = parse_rtp(bytes);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->header, header);
  EXPECT_EQ(std::vector(parsed->payload.begin(), parsed->payload.end()),
            (std::vector<std::uint8_t>{1, 2, 3}));
}

TEST(RtpPacket, SkipsCsrcsExtensionAndPadding) {
  std::vector<std::uint8_t> bytes{
      0xB2, 0x00, 0x00, 0x01, 0,    0,    0, 160, 0, 0, 0, 9,  // V=2 P=1 X=1 CC=2, PCMU
      0,    0,    0,    1,    0,    0,    0, 2,                // two CSRCs
      0xBE, 0xDE, 0x00, 0x01, 0x10, 0xAA, 0, 0,                // one-word header extension
      0x55, 0x66,                                              // payload
      0,    0,    3};                                          // three bytes of padding
  const auto parsed = parse_rtp(bytes);
  ASSERT_TRUE(parsed) << to_string(parsed.error());
  EXPECT_EQ(parsed->header.timestamp, 160u);
  EXPECT_EQ(parsed->header.ssrc, 9u);
  EXPECT_EQ(std::vector(parsed->payload.begin(), parsed->payload.end()),
            (std::vector<std::uint8_t>{0x55, 0x66}));
}

TEST(RtpPacket, RejectsMalformedPackets) {
  EXPECT_EQ(parse_rtp(std::vector<std::uint8_t>(11, 0x80)).error(), RtpError::TooShort);
  std::vector<std::uint8_t> v1(12, 0);
  v1[0] = 0x40;
  EXPECT_EQ(parse_rtp(v1).error(), RtpError::BadVersion);
  std::vector<std::uint8_t> csrc(12, 0);
  csrc[0] = 0x81;
  EXPECT_EQ(parse_rtp(csrc).error(), RtpError::BadCsrcCount);
  std::vector<std::uint8_t> ext(16, 0);
  ext[0] = 0x90;
  ext[15] = 2;  // two words announced, none present
  EXPECT_EQ(parse_rtp(ext).error(), RtpError::BadExtension);
  std::vector<std::uint8_t> pad(14, 0);
  pad[0] = 0xA0;
  pad[13] = 5;
  EXPECT_EQ(parse_rtp(pad).error(), RtpError::BadPadding);
  EXPECT_FALSE(to_string(RtpError::BadPadding).empty());
}

TEST(RtpPacket, RecognisesRtcp) {
  const std::array<std::uint8_t, 8> sender_report{0x80, 200, 0, 6, 0, 0, 0, 1};
  const std::array<std::uint8_t, 8> receiver_report{0x81, 201, 0, 7, 0, 0, 0, 1};
  EXPECT_TRUE(looks_like_rtcp(sender_report));
  EXPECT_TRUE(looks_like_rtcp(receiver_report));
  EXPECT_FALSE(looks_like_rtcp(packet({.payload_type = 0}, {})));
  EXPECT_FALSE(looks_like_rtcp(packet({.marker = true, .payload_type = 101}, {})));
}

TEST(RtpPacket, ComparesSequenceNumbersAcrossTheWrap) {
  EXPECT_TRUE(sequence_after(1, 0));
  EXPECT_TRUE(sequence_after(0, 65535));
  EXPECT_FALSE(sequence_after(65535, 0));
  EXPECT_FALSE(sequence_after(5, 5));
}

}  // namespace
}  // namespace orbit::media
