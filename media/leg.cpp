// A leg's far end (SDP address, latching) and its sending of stamped RTP packets.
#include "media/leg.hpp"

#include <array>

#include <spdlog/spdlog.h>

#include "media/rtp_packet.hpp"

namespace orbit::media {
namespace {
// Generated sources have the top bit set; relayed ones (relay_source) never do.
constexpr SourceId kGeneratedBit = SourceId{1} << 63;
}  // namespace

Leg::Leg(LegId leg_id, std::uint32_t leg_serial, std::uint16_t rtp_port, Udp::socket rtp_socket,
         OutgoingStream out, Clock::time_point now)
    : id(leg_id),
      serial(leg_serial),
      port(rtp_port),
      socket(std::move(rtp_socket)),
      last_received(now),
      stream(out),
      generator_(kGeneratedBit) {}

void Leg::set_remote(const RemoteMedia& media, Clock::time_point now) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(media.address, ec);
  if (ec)
    spdlog::warn("media: leg {}: remote address \"{}\" is not an IP literal", id, media.address);
  std::optional<Udp::endpoint> destination;
  if (!ec && !address.is_unspecified() && media.port != 0) {
    destination = Udp::endpoint(address, media.port);
  }
  if (destination != sdp_destination) latched.reset();  // a new far end (re-INVITE)
  sdp_destination = destination;
  // The media timeout counts from when the far end starts (or resumes) sending.
  if (media.sends && (!remote || !remote->sends)) {
    last_received = now;
    timeout_reported = false;
  }
  remote = media;
}

bool Leg::accept_source(const Udp::endpoint& from, Clock::time_point now,
                        Clock::duration relatch_after) {
  if (latched && *latched == from) {
    latched_seen = now;
    return true;
  }
  if (!latched || now - latched_seen >= relatch_after) {
    latched = from;
    latched_seen = now;
    return true;
  }
  return false;
}

const Udp::endpoint* Leg::destination() const {
  if (!sdp_destination || (remote && !remote->receives)) return nullptr;
  return latched ? &*latched : &*sdp_destination;
}

bool Leg::send(SourceId source, const RtpHeader& in, std::uint8_t payload_type,
               std::span<const std::uint8_t> payload, std::uint32_t samples,
               Clock::time_point now) {
  const auto* to = destination();
  if (!to) {
    stream.skip();
    return false;
  }
  const auto stamp = stream.stamp(source, in.sequence, in.timestamp, in.marker, samples, now);
  std::array<std::uint8_t, kRtpHeaderSize> header{};
  write_rtp_header({.marker = stamp.marker,
                    .payload_type = payload_type,
                    .sequence = stamp.sequence,
                    .timestamp = stamp.timestamp,
                    .ssrc = stream.ssrc()},
                   header);
  const std::array<boost::asio::const_buffer, 2> gather{
      boost::asio::buffer(header), boost::asio::buffer(payload.data(), payload.size())};
  boost::system::error_code ec;
  socket.send_to(gather, *to, 0, ec);
  return !ec;
}

bool Leg::send_generated(std::span<const std::uint8_t> frame, Clock::time_point now) {
  const RtpHeader in{.sequence = generated_sequence_, .timestamp = generated_timestamp_};
  if (!destination()) {
    new_generator();  // when sending resumes, the stream jumps to the time elapsed
    stream.skip();    // whatever source comes next continues the sequence numbers
    return false;
  }
  ++generated_sequence_;
  generated_timestamp_ += static_cast<std::uint32_t>(frame.size());
  return send(generator_, in, static_cast<std::uint8_t>(codec()), frame,
              static_cast<std::uint32_t>(frame.size()), now);
}

void Leg::new_generator() {
  ++generator_;
}

}  // namespace orbit::media
