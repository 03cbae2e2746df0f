// One unmasked WebSocket text frame (RFC 6455 §5.2), as a server sends it.
//
// Why by hand: the frame of an event is the same bytes for every subscriber, so it is built once
// and appended to each stream; Beast frames per stream and per write, which was most of the
// fan-out's cost. Beast still does the handshake, the reads, pings and the close.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace orbit::api {

[[nodiscard]] inline std::string text_frame(std::string_view payload) {
  std::string frame;
  frame.reserve(payload.size() + 10);
  frame.push_back(static_cast<char>(0x81));  // FIN, opcode 1 (text)
  const std::uint64_t size = payload.size();
  if (size < 126) {
    frame.push_back(static_cast<char>(size));
  } else if (size <= 0xFFFF) {
    frame.push_back(static_cast<char>(126));
    frame.push_back(static_cast<char>(size >> 8));
    frame.push_back(static_cast<char>(size & 0xFF));
  } else {
    frame.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      frame.push_back(static_cast<char>((size >> shift) & 0xFF));
    }
  }
  frame.append(payload);
  return frame;
}

}  // namespace orbit::api
