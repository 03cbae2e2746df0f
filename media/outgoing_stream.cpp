// Outgoing RTP numbering per leg: fixed offsets per source, continuity on a source switch.
#include "media/outgoing_stream.hpp"

#include <algorithm>

namespace orbit::media {

OutgoingStream::OutgoingStream(std::uint32_t ssrc, std::uint16_t first_sequence,
                               std::uint32_t first_timestamp)
    : ssrc_(ssrc),
      last_sequence_(static_cast<std::uint16_t>(first_sequence - 1)),
      next_timestamp_(first_timestamp) {}

RtpStamp OutgoingStream::stamp(SourceId source, std::uint16_t sequence, std::uint32_t timestamp,
                               bool marker, std::uint32_t samples, Clock::time_point now) {
  if (source_ != source && switch_to(source, sequence, timestamp, now)) marker = true;
  const RtpStamp out{
      .sequence = static_cast<std::uint16_t>(sequence + sequence_offset_),
      .timestamp = timestamp + timestamp_offset_,
      .marker = marker,
  };
  if (static_cast<std::uint16_t>(out.sequence - last_sequence_) < 0x8000) {
    last_sequence_ = out.sequence;
  }
  if (samples > 0) {
    const std::uint32_t end = out.timestamp + samples;
    // A late (reordered) packet does not move the end of the stream backwards.
    if (!last_audio_at_ || static_cast<std::int32_t>(end - next_timestamp_) > 0) {
      next_timestamp_ = end;
      last_samples_ = samples;
    }
    last_audio_at_ = now;
  }
  return out;
}

bool OutgoingStream::switch_to(SourceId source, std::uint16_t sequence, std::uint32_t timestamp,
                               Clock::time_point now) {
  std::uint32_t first = next_timestamp_;
  bool jump = false;
  if (!last_audio_at_) {
    jump = true;  // the first packet of the stream
  } else {
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::microseconds>(now - *last_audio_at_);
    const auto elapsed_samples = static_cast<std::uint32_t>(
        std::max<std::int64_t>(0, elapsed.count()) * kClockRate / 1'000'000);
    // Up to one packet late (a lost or slow packet at the switch): keep the timeline.
    constexpr std::uint32_t kSlack = kClockRate / 50;  // 20 ms
    if (elapsed_samples > last_samples_ + kSlack) {
      first = next_timestamp_ - last_samples_ + elapsed_samples;
      jump = true;
    }
  }
  source_ = source;
  sequence_offset_ = static_cast<std::uint16_t>(last_sequence_ + 1 - sequence);
  timestamp_offset_ = first - timestamp;
  return jump;
}

}  // namespace orbit::media
