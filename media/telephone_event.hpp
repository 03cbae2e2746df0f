// RFC 4733 telephone-event payload (event, end bit, volume, duration) and the DTMF digits it names.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace orbit::media {

inline constexpr std::size_t kTelephoneEventSize = 4;

struct TelephoneEvent {
  std::uint8_t event = 0;      // 0-9, 10 '*', 11 '#', 12-15 A-D, 16 flash, ...
  bool end = false;            // E bit: the last packets of the event
  std::uint8_t volume = 0;     // 0..63, in -dBm0
  std::uint16_t duration = 0;  // in RTP timestamp units since the event's timestamp
  bool operator==(const TelephoneEvent&) const = default;
};

// Reads the first event block; nullopt when the payload is shorter than 4 bytes.
[[nodiscard]] std::optional<TelephoneEvent> parse_telephone_event(
    std::span<const std::uint8_t> payload);
[[nodiscard]] std::array<std::uint8_t, kTelephoneEventSize> build_telephone_event(
    const TelephoneEvent& event);

// The DTMF digit of an event code (RFC 4733 §3.2): '0'-'9', '*', '#', 'A'-'D'; nullopt otherwise.
[[nodiscard]] std::optional<char> dtmf_digit(std::uint8_t event);
[[nodiscard]] std::optional<std::uint8_t> dtmf_event(char digit);

}  // namespace orbit::media
