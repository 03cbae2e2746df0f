// DTMF detection over RFC 4733 events: one digit per event timestamp.
#include "media/dtmf_detector.hpp"

namespace orbit::media {

std::optional<char> DtmfDetector::on_packet(std::uint32_t rtp_timestamp,
                                            const TelephoneEvent& event) {
  if (!event.end || last_reported_ == rtp_timestamp) return std::nullopt;
  const auto digit = dtmf_digit(event.event);
  if (!digit) return std::nullopt;
  last_reported_ = rtp_timestamp;
  return digit;
}

}  // namespace orbit::media
