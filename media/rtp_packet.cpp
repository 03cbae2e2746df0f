// RTP fixed header parsing and writing (RFC 3550 §5.1), RTCP recognition (RFC 5761 §4).
#include "media/rtp_packet.hpp"

namespace orbit::media {
namespace {

std::uint16_t read16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

std::uint32_t read32(std::span<const std::uint8_t> b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
         (std::uint32_t{b[at + 2]} << 8) | std::uint32_t{b[at + 3]};
}

void write16(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

void write32(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 24);
  b[at + 1] = static_cast<std::uint8_t>(v >> 16);
  b[at + 2] = static_cast<std::uint8_t>(v >> 8);
  b[at + 3] = static_cast<std::uint8_t>(v);
}

}  // namespace

std::string_view to_string(RtpError error) {
  switch (error) {
    case RtpError::TooShort:
      return "shorter than an RTP header";
    case RtpError::BadVersion:
      return "not RTP version 2";
    case RtpError::BadCsrcCount:
      return "CSRC list runs past the packet";
    case RtpError::BadExtension:
      return "header extension runs past the packet";
    case RtpError::BadPadding:
      return "padding count larger than the payload";
  }
  return "unknown RTP error";
}

std::expected<RtpPacket, RtpError> parse_rtp(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kRtpHeaderSize) return std::unexpected(RtpError::TooShort);
  if ((bytes[0] >> 6) != 2) return std::unexpected(RtpError::BadVersion);
  const bool padding = (bytes[0] & 0x20) != 0;
  const bool extension = (bytes[0] & 0x10) != 0;
  const std::size_t csrc_count = bytes[0] & 0x0F;

  RtpPacket packet;
  packet.header.marker = (bytes[1] & 0x80) != 0;
  packet.header.payload_type = bytes[1] & 0x7F;
  packet.header.sequence = read16(bytes, 2);
  packet.header.timestamp = read32(bytes, 4);
  packet.header.ssrc = read32(bytes, 8);

  std::size_t offset = kRtpHeaderSize + 4 * csrc_count;
  if (offset > bytes.size()) return std::unexpected(RtpError::BadCsrcCount);
  if (extension) {
    if (offset + 4 > bytes.size()) return std::unexpected(RtpError::BadExtension);
    offset += 4 + 4 * std::size_t{read16(bytes, offset + 2)};
    if (offset > bytes.size()) return std::unexpected(RtpError::BadExtension);
  }
  std::size_t end = bytes.size();
  if (padding) {
    const std::size_t pad = bytes.back();
    if (pad == 0 || offset + pad > end) return std::unexpected(RtpError::BadPadding);
    end -= pad;
  }
  packet.payload = bytes.subspan(offset, end - offset);
  return packet;
}

std::size_t write_rtp_header(const RtpHeader& header, std::span<std::uint8_t, kRtpHeaderSize> out) {
  out[0] = 0x80;
  out[1] = static_cast<std::uint8_t>((header.marker ? 0x80 : 0) | (header.payload_type & 0x7F));
  write16(out, 2, header.sequence);
  write32(out, 4, header.timestamp);
  write32(out, 8, header.ssrc);
  return kRtpHeaderSize;
}

bool looks_like_rtcp(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= 2 && (bytes[0] >> 6) == 2 && bytes[1] >= 192 && bytes[1] <= 223;
}

}  // namespace orbit::media
