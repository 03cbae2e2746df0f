// RFC 4733 telephone-event payload: reading, writing, and the DTMF event codes.
#include "media/telephone_event.hpp"

#include <string_view>

namespace orbit::media {
namespace {
constexpr std::string_view kDigits = "0123456789*#ABCD";
}

std::optional<TelephoneEvent> parse_telephone_event(std::span<const std::uint8_t> payload) {
  if (payload.size() < kTelephoneEventSize) return std::nullopt;
  return TelephoneEvent{
      .event = payload[0],
      .end = (payload[1] & 0x80) != 0,
      .volume = static_cast<std::uint8_t>(payload[1] & 0x3F),
      .duration = static_cast<std::uint16_t>((payload[2] << 8) | payload[3]),
  };
}

std::array<std::uint8_t, kTelephoneEventSize> build_telephone_event(const TelephoneEvent& event) {
  return {event.event, static_cast<std::uint8_t>((event.end ? 0x80 : 0) | (event.volume & 0x3F)),
          static_cast<std::uint8_t>(event.duration >> 8),
          static_cast<std::uint8_t>(event.duration)};
}

std::optional<char> dtmf_digit(std::uint8_t event) {
  if (event >= kDigits.size()) return std::nullopt;
  return kDigits[event];
}

std::optional<std::uint8_t> dtmf_event(char digit) {
  const auto at = kDigits.find(digit);
  if (at == std::string_view::npos) return std::nullopt;
  return static_cast<std::uint8_t>(at);
}

}  // namespace orbit::media
