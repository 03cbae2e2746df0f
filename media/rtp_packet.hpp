// RTP fixed header (RFC 3550 §5.1): parse a received packet, write a header; RTCP demultiplexing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <string_view>

namespace orbit::media {

inline constexpr std::size_t kRtpHeaderSize = 12;

struct RtpHeader {
  bool marker = false;
  std::uint8_t payload_type = 0;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  bool operator==(const RtpHeader&) const = default;
};

// A parsed packet: the header and a view of the payload (CSRCs, extension and padding removed).
struct RtpPacket {
  RtpHeader header;
  std::span<const std::uint8_t> payload;
};

enum class RtpError { TooShort, BadVersion, BadCsrcCount, BadExtension, BadPadding };

[[nodiscard]] std::string_view to_string(RtpError error);

[[nodiscard]] std::expected<RtpPacket, RtpError> parse_rtp(std::span<const std::uint8_t> bytes);

// Writes a version-2 header with no padding, extension or CSRC; returns kRtpHeaderSize.
std::size_t write_rtp_header(const RtpHeader& header, std::span<std::uint8_t, kRtpHeaderSize> out);

// RFC 5761 §4: version 2 and a second byte in 192..223 (RTCP packet types 200-204 and their
// neighbours), so RTCP sent to an RTP port is recognised and kept away from the relay.
[[nodiscard]] bool looks_like_rtcp(std::span<const std::uint8_t> bytes);

// Serial-number comparison (RFC 1982) for 16-bit sequence numbers: a comes after b.
[[nodiscard]] constexpr bool sequence_after(std::uint16_t a, std::uint16_t b) {
  return a != b && static_cast<std::uint16_t>(a - b) < 0x8000;
}

}  // namespace orbit::media
