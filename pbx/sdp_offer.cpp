// Codec choice and SDP bodies for anchored audio: PCMU, PCMA, telephone-event.
#include "pbx/sdp_offer.hpp"

#include <fmt/format.h>

#include "sip/lex.hpp"

namespace orbit::pbx {
namespace {

constexpr int kOfferedDtmfPt = 101;

std::optional<media::Codec> codec_of(const sip::MediaDescription& m, const std::string& pt) {
  auto map = m.rtpmap(pt);
  if (!map || map->clock_rate != 8000) return std::nullopt;
  if (sip::lex::iequals(map->encoding_name, "PCMU")) return media::Codec::Pcmu;
  if (sip::lex::iequals(map->encoding_name, "PCMA")) return media::Codec::Pcma;
  return std::nullopt;
}

std::string body(const media::LocalMedia& local, SdpVersion v, std::string_view formats,
                 std::string_view rtpmaps, sip::MediaDirection direction) {
  auto ip = local.address.find(':') == std::string::npos ? "IP4" : "IP6";
  return fmt::format(
      "v=0\r\no=orbit {0} {1} IN {2} {3}\r\ns=orbit\r\nc=IN {2} {3}\r\nt=0 0\r\n"
      "m=audio {4} RTP/AVP {5}\r\n{6}a=ptime:20\r\na=rtcp:{7}\r\na={8}\r\n",
      v.session_id, v.version, ip, local.address, local.rtp_port, formats, rtpmaps,
      local.rtcp_port, sip::to_string(direction));
}

sip::MediaDirection answer_direction(sip::MediaDirection offered) {
  switch (offered) {
    case sip::MediaDirection::sendonly: return sip::MediaDirection::recvonly;
    case sip::MediaDirection::recvonly: return sip::MediaDirection::sendonly;
    case sip::MediaDirection::inactive: return sip::MediaDirection::inactive;
    default: return sip::MediaDirection::sendrecv;
  }
}

}  // namespace

std::expected<AudioOffer, std::string> read_audio(std::string_view sdp_text) {
  auto sdp = sip::parse_sdp(sdp_text);
  if (!sdp) return std::unexpected("bad SDP: " + sdp.error().reason);
  for (const auto& m : sdp->media) {
    if (m.type != "audio" || m.port == 0) continue;
    AudioOffer offer;
    auto conn = sdp->connection_for(m);
    if (!conn) return std::unexpected(std::string("audio stream has no connection address"));
    offer.remote.address = conn->address;
    offer.remote.port = m.port;
    offer.direction = sdp->direction(m);
    bool have_codec = false;
    for (const auto& pt : m.formats) {
      if (auto codec = codec_of(m, pt); codec && !have_codec) {
        offer.remote.codec = *codec;
        have_codec = true;
      }
      auto map = m.rtpmap(pt);
      if (map && sip::lex::iequals(map->encoding_name, "telephone-event")) {
        offer.remote.dtmf_payload_type = std::stoi(pt);
      }
    }
    if (!have_codec) return std::unexpected(std::string("no common codec (Orbit speaks PCMU, PCMA)"));
    // RTP is only expected from a party in sendrecv: a party that holds (sendonly) often
    // sends nothing (baresip does not), and old-style hold (c=0.0.0.0) never does.
    offer.remote.sends =
        offer.direction == sip::MediaDirection::sendrecv && conn->address != "0.0.0.0";
    // A party that holds (sendonly) or is inactive receives nothing: Orbit sends it nothing.
    offer.remote.receives = (offer.direction == sip::MediaDirection::sendrecv ||
                             offer.direction == sip::MediaDirection::recvonly) &&
                            conn->address != "0.0.0.0";
    if (conn->address == "0.0.0.0") offer.direction = sip::MediaDirection::inactive;
    return offer;
  }
  return std::unexpected(std::string("no audio stream offered"));
}

std::string make_offer(const media::LocalMedia& local, SdpVersion v,
                       sip::MediaDirection direction) {
  return body(local, v, fmt::format("0 8 {}", kOfferedDtmfPt),
              fmt::format("a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
                          "a=rtpmap:{0} telephone-event/8000\r\na=fmtp:{0} 0-16\r\n",
                          kOfferedDtmfPt),
              direction);
}

std::string make_answer(const media::LocalMedia& local, SdpVersion v, const AudioOffer& offer) {
  auto pt = static_cast<int>(offer.remote.codec);
  auto name = offer.remote.codec == media::Codec::Pcmu ? "PCMU" : "PCMA";
  std::string formats = std::to_string(pt);
  std::string maps = fmt::format("a=rtpmap:{} {}/8000\r\n", pt, name);
  if (offer.remote.dtmf_payload_type >= 0) {
    formats += fmt::format(" {}", offer.remote.dtmf_payload_type);
    maps += fmt::format("a=rtpmap:{0} telephone-event/8000\r\na=fmtp:{0} 0-16\r\n",
                        offer.remote.dtmf_payload_type);
  }
  return body(local, v, formats, maps, answer_direction(offer.direction));
}

}  // namespace orbit::pbx
