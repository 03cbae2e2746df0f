// A media thread's receive path: RTP read from leg sockets, latching, DTMF detection, relay
// to the legs that hear the sender (PCMU/PCMA conversion, telephone-event payload type mapping),
// and RTCP absorbed.
#include "media/engine_core.hpp"

#include <algorithm>

#include "media/g711.hpp"
#include "media/rtp_packet.hpp"
#include "media/telephone_event.hpp"

namespace orbit::media {
namespace {
// Datagrams read per readiness notification before giving other sockets their turn.
constexpr int kBurst = 16;

std::optional<Codec> audio_codec(std::uint8_t payload_type) {
  if (payload_type == static_cast<std::uint8_t>(Codec::Pcmu)) return Codec::Pcmu;
  if (payload_type == static_cast<std::uint8_t>(Codec::Pcma)) return Codec::Pcma;
  return std::nullopt;
}

bool is_telephone_event(const Leg& leg, std::uint8_t payload_type) {
  return leg.remote && leg.remote->dtmf_payload_type == payload_type;
}
}  // namespace

void EngineCore::wait_for_rtp(Leg& leg) {
  leg.socket.async_wait(Udp::socket::wait_read, [this, id = leg.id, serial = leg.serial,
                                                 moves = leg.moves](boost::system::error_code ec) {
    if (!ec) on_readable(id, serial, moves);
  });
}

void EngineCore::on_readable(LegId id, std::uint32_t serial, std::uint32_t moves) {
  Leg* leg = find(id);
  // A wait that completed just before its leg moved away (and maybe came back) is stale: the
  // leg has a wait of its own armed on arrival.
  if (!leg || leg->serial != serial || leg->moves != moves || !running_) return;
  const auto now = Clock::now();
  for (int i = 0; i < kBurst; ++i) {
    Udp::endpoint from;
    boost::system::error_code ec;
    const auto size = leg->socket.receive_from(boost::asio::buffer(receive_buffer_), from, 0, ec);
    if (ec == boost::asio::error::would_block) break;
    if (ec) continue;  // e.g. a reported ICMP error: read on
    on_datagram(*leg, std::span(receive_buffer_).first(size), from, now);
  }
  wait_for_rtp(*leg);
}

void EngineCore::on_datagram(Leg& leg, std::span<const std::uint8_t> bytes,
                             const Udp::endpoint& from, Clock::time_point now) {
  if (looks_like_rtcp(bytes)) {  // sent to RTP port + 1 by a far end ignoring a=rtcp, or muxed
    bump(counters_.rtcp_received);
    return;
  }
  const auto packet = parse_rtp(bytes);
  const bool known = packet && (audio_codec(packet->header.payload_type) ||
                                is_telephone_event(leg, packet->header.payload_type));
  if (!known || !leg.accept_source(from, now, config_.relatch_after)) {
    bump(counters_.rtp_dropped);
    return;
  }
  bump(counters_.rtp_received);
  leg.last_received = now;
  leg.timeout_reported = false;
  if (is_telephone_event(leg, packet->header.payload_type)) {
    if (const auto event = parse_telephone_event(packet->payload)) {
      if (const auto digit = leg.dtmf.on_packet(packet->header.timestamp, *event)) {
        bump(counters_.dtmf_digits);
        emit(DtmfDigit{.leg = leg.id, .digit = *digit});
      }
    }
  }
  for (LegId listener : leg.heard_by) {
    if (Leg* to = find(listener)) relay(leg, *to, *packet, now);
  }
}

void EngineCore::relay(const Leg& from, Leg& to, const RtpPacket& packet, Clock::time_point now) {
  std::span<const std::uint8_t> payload = packet.payload;
  std::uint8_t payload_type = 0;
  std::uint32_t samples = 0;
  if (is_telephone_event(from, packet.header.payload_type)) {
    // Relayed only to a far end that negotiated telephone-event, under its payload type.
    if (!to.remote || to.remote->dtmf_payload_type < 0) return;
    payload_type = static_cast<std::uint8_t>(to.remote->dtmf_payload_type);
  } else {
    const Codec in = *audio_codec(packet.header.payload_type);
    const Codec out = to.remote ? to.remote->codec : in;
    if (in != out) {  // the payload fits: both buffers have the same size
      auto converted = std::span(convert_buffer_).first(payload.size());
      std::ranges::copy(payload, converted.begin());
      transcode(in, out, converted);
      payload = converted;
      bump(counters_.transcoded);
    }
    payload_type = static_cast<std::uint8_t>(out);
    samples = static_cast<std::uint32_t>(payload.size());  // G.711: one byte per sample
  }
  const SourceId source = relay_source(from.serial, packet.header.ssrc);
  if (to.send(source, packet.header, payload_type, payload, samples, now)) {
    bump(counters_.rtp_relayed);
  } else if (to.destination()) {
    bump(counters_.send_failures);
  }
}

void EngineCore::wait_for_rtcp() {
  rtcp_.async_wait(Udp::socket::wait_read, [this](boost::system::error_code ec) {
    if (ec || !running_) return;
    for (int i = 0; i < kBurst; ++i) {
      Udp::endpoint from;
      boost::system::error_code read_error;
      rtcp_.receive_from(boost::asio::buffer(receive_buffer_), from, 0, read_error);
      if (read_error == boost::asio::error::would_block) break;
      if (!read_error) bump(counters_.rtcp_received);
    }
    wait_for_rtcp();
  });
}

}  // namespace orbit::media
