// What the signalling side may ask of the media engine: the contract between pbx/ and media/.
// No I/O here, so pbx/ can be tested with a fake that records the commands.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace orbit::media {

using LegId = std::uint64_t;

enum class Codec : std::uint8_t { Pcmu = 0, Pcma = 8 };

// The far end of a leg, from its SDP.
struct RemoteMedia {
  std::string address;  // IP literal
  std::uint16_t port = 0;
  Codec codec = Codec::Pcmu;
  int dtmf_payload_type = -1;  // telephone-event payload type, -1 when not negotiated
  bool sends = true;     // RTP is expected from the far end (sendrecv); drives MediaTimeout
  bool receives = true;  // the far end wants RTP (sendrecv/recvonly): else Orbit sends none
};

// Orbit's side of a leg, for the SDP Orbit sends.
struct LocalMedia {
  std::string address;
  std::uint16_t rtp_port = 0;
  std::uint16_t rtcp_port = 0;  // shared by every leg, announced with a=rtcp (RFC 3605)
};

struct MediaError {
  std::string reason;
};

struct DtmfDigit {
  LegId leg;
  char digit;  // 0-9 * # A-D
};
struct PromptsFinished {
  LegId leg;
  std::uint64_t token;
};
// No RTP from a leg that should send, for the configured time: its far end has vanished.
struct MediaTimeout {
  LegId leg;
};
using MediaEvent = std::variant<DtmfDigit, PromptsFinished, MediaTimeout>;

class MediaControl {
 public:
  virtual ~MediaControl() = default;
  // Reserves a port for the leg and starts receiving on it; fails when the pool is exhausted.
  [[nodiscard]] virtual std::expected<LocalMedia, MediaError> open_leg(LegId leg) = 0;
  virtual void set_remote(LegId leg, const RemoteMedia& remote) = 0;
  // Relays RTP between two legs, both ways, converting PCMU/PCMA where they differ.
  virtual void connect(LegId a, LegId b) = 0;
  // What the leg hears when it is not connected: a music class, prompts, or silence.
  virtual void play_music(LegId leg, std::string_view music_class) = 0;
  // Plays the named prompts one after the other ("pbx-invalidpark", "digits/7"), then sends
  // PromptsFinished with `token` and continues with silence.
  virtual void play_prompts(LegId leg, std::vector<std::string> prompts, std::uint64_t token) = 0;
  virtual void play_silence(LegId leg) = 0;
  virtual void close_leg(LegId leg) = 0;
};

}  // namespace orbit::media
