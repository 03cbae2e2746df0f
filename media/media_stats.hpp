// Counters of the media engine, written on a media thread and readable from any thread.
#pragma once

#include <atomic>
#include <cstdint>

namespace orbit::media {

struct MediaStats {
  std::uint64_t legs = 0;
  std::uint64_t rtp_received = 0;    // accepted RTP packets
  std::uint64_t rtp_dropped = 0;     // malformed, from a foreign source, or an unknown payload type
  std::uint64_t rtp_relayed = 0;     // sent to a connected leg
  std::uint64_t transcoded = 0;      // of which converted between PCMU and PCMA
  std::uint64_t generated_sent = 0;  // music, prompt and silence packets sent
  std::uint64_t send_failures = 0;   // the socket refused (buffer full, unreachable)
  std::uint64_t rtcp_received = 0;   // on the shared RTCP socket or on an RTP port
  std::uint64_t dtmf_digits = 0;
  std::uint64_t media_timeouts = 0;

  // The engine's figures are the sum of its media threads'.
  MediaStats& operator+=(const MediaStats& o) {
    legs += o.legs;
    rtp_received += o.rtp_received;
    rtp_dropped += o.rtp_dropped;
    rtp_relayed += o.rtp_relayed;
    transcoded += o.transcoded;
    generated_sent += o.generated_sent;
    send_failures += o.send_failures;
    rtcp_received += o.rtcp_received;
    dtmf_digits += o.dtmf_digits;
    media_timeouts += o.media_timeouts;
    return *this;
  }
};

struct MediaCounters {
  std::atomic<std::uint64_t> legs{0};
  std::atomic<std::uint64_t> rtp_received{0};
  std::atomic<std::uint64_t> rtp_dropped{0};
  std::atomic<std::uint64_t> rtp_relayed{0};
  std::atomic<std::uint64_t> transcoded{0};
  std::atomic<std::uint64_t> generated_sent{0};
  std::atomic<std::uint64_t> send_failures{0};
  std::atomic<std::uint64_t> rtcp_received{0};
  std::atomic<std::uint64_t> dtmf_digits{0};
  std::atomic<std::uint64_t> media_timeouts{0};

  [[nodiscard]] MediaStats snapshot() const {
    constexpr auto r = std::memory_order_relaxed;
    return {legs.load(r),          rtp_received.load(r),  rtp_dropped.load(r),
            rtp_relayed.load(r),   transcoded.load(r),    generated_sent.load(r),
            send_failures.load(r), rtcp_received.load(r), dtmf_digits.load(r),
            media_timeouts.load(r)};
  }
};

// Single writer (the media thread owning the counters): a relaxed load and store, no
// read-modify-write.
inline void bump(std::atomic<std::uint64_t>& counter, std::uint64_t by = 1) {
  counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

}  // namespace orbit::media
