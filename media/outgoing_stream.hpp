// One leg's outgoing RTP stream: one SSRC, continuous sequence numbers and timestamps across
// source switches (relay → music → prompt → relay); the marker bit where the timestamp jumps.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace orbit::media {

// Who feeds the stream: a relayed far end or a generator (music, prompts, silence). A new id
// is a source switch.
using SourceId = std::uint64_t;

struct RtpStamp {
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  bool marker = false;
  bool operator==(const RtpStamp&) const = default;
};

class OutgoingStream {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::uint32_t kClockRate = 8000;

  OutgoingStream(std::uint32_t ssrc, std::uint16_t first_sequence, std::uint32_t first_timestamp);

  [[nodiscard]] std::uint32_t ssrc() const { return ssrc_; }

  // Numbers one packet of `source`, given in the source's own numbering. While the source stays
  // the same its numbering is shifted by fixed offsets, so its gaps, reordering and marker bits
  // pass through. On a switch the new source continues where the last packet left off: the
  // next sequence number, and the next timestamp when the packet follows the last one in time
  // (within one packet); after a longer pause the timestamp advances by the time elapsed
  // and the marker bit is set. `samples` is the packet's audio duration (0 for an RFC 4733
  // event, which shares the timestamp of the audio it interrupts).
  [[nodiscard]] RtpStamp stamp(SourceId source, std::uint16_t sequence, std::uint32_t timestamp,
                               bool marker, std::uint32_t samples, Clock::time_point now);

  // Packets of the current source were not sent (the far end did not want any): the next
  // packet is treated as a new source, so that sequence numbers stay continuous on the wire
  // (RFC 3550 §5.1) and the timestamp jumps by the time elapsed, with the marker bit.
  void skip() { source_.reset(); }

 private:
  // Sets the offsets for a new source; true when its timestamp must jump.
  [[nodiscard]] bool switch_to(SourceId source, std::uint16_t sequence, std::uint32_t timestamp,
                               Clock::time_point now);

  std::uint32_t ssrc_;
  std::optional<SourceId> source_;
  std::uint16_t sequence_offset_ = 0;
  std::uint32_t timestamp_offset_ = 0;
  // The highest sequence number sent, and the first sequence number of the stream.
  std::uint16_t last_sequence_;
  // The end of the last audio sent: its timestamp + duration, and when it was sent.
  std::uint32_t next_timestamp_;
  std::uint32_t last_samples_ = 0;
  std::optional<Clock::time_point> last_audio_at_;
};

}  // namespace orbit::media
