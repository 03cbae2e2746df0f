// Where a message came from or goes to: transport, address, port and, for streams, a connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace orbit::sip {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

enum class Transport : std::uint8_t { Udp, Tcp };

[[nodiscard]] constexpr std::string_view transport_name(Transport t) {
  return t == Transport::Udp ? "UDP" : "TCP";
}
[[nodiscard]] constexpr bool is_reliable(Transport t) {
  return t == Transport::Tcp;
}

struct Endpoint {
  Transport transport = Transport::Udp;
  std::string address;  // IP literal, IPv6 without brackets
  std::uint16_t port = 0;
  std::uint64_t connection = 0;  // the TCP connection it arrived on; 0 for UDP or "any"

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

}  // namespace orbit::sip
