// One leg's media state on the media thread that owns it: its RTP socket, the far end (SDP
// address and the latched source), what it hears, and its outgoing stream.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "media/asio.hpp"
#include "media/dtmf_detector.hpp"
#include "media/encoded_audio.hpp"
#include "media/media_control.hpp"
#include "media/music_library.hpp"
#include "media/outgoing_stream.hpp"
#include "media/rtp_packet.hpp"

namespace orbit::media {

using Clock = std::chrono::steady_clock;
using Udp = boost::asio::ip::udp;

// What a leg hears: nothing yet, a connected leg, a music class, prompts, or silence frames.
enum class Hearing { Nothing, Peer, Music, Prompts, Silence };

struct Leg {
  Leg(LegId leg_id, std::uint32_t leg_serial, std::uint16_t rtp_port, Udp::socket rtp_socket,
      OutgoingStream out, Clock::time_point now);

  // The far end: from the SDP, and the source its packets come from (symmetric latching).
  void set_remote(const RemoteMedia& media, Clock::time_point now);
  // Latches onto the first source, then accepts only it; another source replaces it once the
  // latched one has been silent for `relatch_after`.
  [[nodiscard]] bool accept_source(const Udp::endpoint& from, Clock::time_point now,
                                   Clock::duration relatch_after);
  // Where packets go: the latched source, else the SDP address; none while the far end does not
  // receive (sendonly/inactive) or its SDP says port 0 or the hold address 0.0.0.0.
  [[nodiscard]] const Udp::endpoint* destination() const;
  [[nodiscard]] Codec codec() const { return remote ? remote->codec : Codec::Pcmu; }

  // Stamps a packet of `source` on the outgoing stream and sends it; false when there is no
  // destination (nothing stamped) or the socket refused it.
  [[nodiscard]] bool send(SourceId source, const RtpHeader& in, std::uint8_t payload_type,
                          std::span<const std::uint8_t> payload, std::uint32_t samples,
                          Clock::time_point now);
  // Sends the next 20 ms frame of the current generated sound (music, prompt, silence).
  [[nodiscard]] bool send_generated(std::span<const std::uint8_t> frame, Clock::time_point now);
  // A new generated sound: its own source on the outgoing stream.
  void new_generator();

  LegId id;
  std::uint32_t serial;  // tells this leg from an older one with the same id in late callbacks
  // Counts the leg's moves between media threads: a wait armed on the thread it left is stale.
  std::uint32_t moves = 0;
  std::uint16_t port;
  Udp::socket socket;

  std::optional<RemoteMedia> remote;
  std::optional<Udp::endpoint> sdp_destination;
  std::optional<Udp::endpoint> latched;
  Clock::time_point latched_seen{};
  Clock::time_point last_received;
  bool timeout_reported = false;
  DtmfDetector dtmf;

  OutgoingStream stream;
  Hearing hearing = Hearing::Nothing;
  LegId peer = 0;  // when hearing Peer
  const MusicClass* music = nullptr;
  std::vector<const EncodedAudio*> prompts;
  std::size_t prompt_index = 0;
  std::size_t prompt_frame = 0;
  std::uint64_t prompt_token = 0;
  std::vector<LegId> heard_by;  // the legs hearing this one

 private:
  SourceId generator_ = 0;
  std::uint16_t generated_sequence_ = 0;
  std::uint32_t generated_timestamp_ = 0;
};

// The outgoing-stream source of packets relayed from leg `serial` with that far-end SSRC.
[[nodiscard]] constexpr SourceId relay_source(std::uint32_t serial, std::uint32_t ssrc) {
  return (SourceId{serial} << 32) | ssrc;
}

}  // namespace orbit::media
