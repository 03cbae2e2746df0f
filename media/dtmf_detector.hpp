// One DTMF digit per RFC 4733 event: reported on its first end packet, retransmissions ignored.
#pragma once

#include <cstdint>
#include <optional>

#include "media/telephone_event.hpp"

namespace orbit::media {

// All packets of one event share its RTP timestamp (RFC 4733 §2.5.1.2) and the end packet is
// sent three times, so an event is identified by its timestamp and reported once.
class DtmfDetector {
 public:
  // The digit when `event` ends an event not reported yet; nullopt otherwise (start and update
  // packets, retransmitted end packets, events that are not digits).
  [[nodiscard]] std::optional<char> on_packet(std::uint32_t rtp_timestamp,
                                              const TelephoneEvent& event);

 private:
  std::optional<std::uint32_t> last_reported_;
};

}  // namespace orbit::media
