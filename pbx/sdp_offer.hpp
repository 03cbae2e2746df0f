// Orbit's side of SDP offer/answer (RFC 3264) for an anchored audio leg: which codec, which
// address, what Orbit offers and answers.
#pragma once

#include <cstdint>
#include <expected>
#include <string>

#include "media/media_control.hpp"
#include "sip/sdp.hpp"

namespace orbit::pbx {

// What a party's SDP says about its audio.
struct AudioOffer {
  media::RemoteMedia remote;
  sip::MediaDirection direction = sip::MediaDirection::sendrecv;
};

// Reads the first audio stream: address, port, the first of PCMU/PCMA in the party's order of
// preference, telephone-event. An error names why no call is possible (488).
[[nodiscard]] std::expected<AudioOffer, std::string> read_audio(std::string_view sdp_text);

struct SdpVersion {
  std::uint64_t session_id = 0;
  std::uint64_t version = 0;
};

// Orbit's offer: PCMU, PCMA and telephone-event 101.
[[nodiscard]] std::string make_offer(const media::LocalMedia& local, SdpVersion v,
                                     sip::MediaDirection direction);

// Orbit's answer to `offer`: the codec chosen, telephone-event if offered, and the direction
// that answers the party's (sendonly → recvonly, inactive → inactive, else sendrecv).
[[nodiscard]] std::string make_answer(const media::LocalMedia& local, SdpVersion v,
                                      const AudioOffer& offer);

}  // namespace orbit::pbx
