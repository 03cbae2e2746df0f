// sdp.hpp — SDP (RFC 4566) session description model, parse_sdp and serialize_sdp.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orbit::sip {

struct SdpError {
  std::string reason;  // "line 4: m= needs media, port, proto and formats"
};

// a=<name>[:<value>]; a property attribute (a=sendrecv) has no value, "a=x:" an empty one.
struct SdpAttribute {
  std::string name;
  std::optional<std::string> value;
  bool operator==(const SdpAttribute&) const = default;
};

// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
struct SdpOrigin {
  std::string username = "-";
  std::string session_id = "0";  // opaque; kept as text
  std::uint64_t session_version = 0;
  std::string net_type = "IN";
  std::string address_type = "IP4";
  std::string address;  // IPv4, IPv6 or FQDN, as text
  bool operator==(const SdpOrigin&) const = default;
};

// c=<nettype> <addrtype> <connection-address>; a multicast address keeps its "/ttl/count".
struct SdpConnection {
  std::string net_type = "IN";
  std::string address_type = "IP4";
  std::string address;
  bool operator==(const SdpConnection&) const = default;
};

// b=<bwtype>:<bandwidth>, e.g. AS:64 (kbit/s) or TIAS:64000 (bit/s).
struct SdpBandwidth {
  std::string type;
  std::uint64_t value = 0;
  bool operator==(const SdpBandwidth&) const = default;
};

// t=<start> <stop> with its r= repeat lines (kept as text).
struct SdpTiming {
  std::uint64_t start = 0;
  std::uint64_t stop = 0;
  std::vector<std::string> repeats;
  bool operator==(const SdpTiming&) const = default;
};

// a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]
struct RtpMap {
  std::uint8_t payload_type = 0;
  std::string encoding_name;
  std::uint32_t clock_rate = 0;
  std::uint32_t channels = 1;  // 1 when the rtpmap leaves it out
  bool operator==(const RtpMap&) const = default;
};

enum class MediaDirection { sendrecv, sendonly, recvonly, inactive };

[[nodiscard]] std::string_view to_string(MediaDirection direction);

// m=<media> <port>[/<count>] <proto> <fmt> ... and the i=, c=, b=, k=, a= lines below it.
struct MediaDescription {
  std::string type;  // "audio", "video", ...
  std::uint16_t port = 0;
  std::optional<std::uint16_t> port_count;
  std::string proto = "RTP/AVP";
  std::vector<std::string> formats;  // payload types for RTP
  std::optional<std::string> title;  // i=
  std::optional<SdpConnection> connection;
  std::vector<SdpBandwidth> bandwidths;
  std::optional<std::string> encryption_key;  // k=
  std::vector<SdpAttribute> attributes;

  // The a=rtpmap for the payload type, else the RFC 3551 static one (0 PCMU, 8 PCMA, ...).
  [[nodiscard]] std::optional<RtpMap> rtpmap(std::string_view payload_type) const;
  // The parameters of a=fmtp:<payload type> <parameters>.
  [[nodiscard]] std::optional<std::string_view> fmtp(std::string_view payload_type) const;
  // The value of the first attribute with that name ("" for a property attribute).
  [[nodiscard]] std::optional<std::string_view> attribute(std::string_view name) const;
  // This media's own a=sendrecv/sendonly/recvonly/inactive, if any.
  [[nodiscard]] std::optional<MediaDirection> declared_direction() const;
  // Replaces the direction attribute in place, or appends one.
  void set_direction(MediaDirection direction);

  bool operator==(const MediaDescription&) const = default;
};

struct SessionDescription {
  std::uint32_t version = 0;
  SdpOrigin origin;
  std::string session_name = "-";
  std::optional<std::string> information;  // i=
  std::optional<std::string> uri;          // u=
  std::vector<std::string> emails;         // e=
  std::vector<std::string> phones;         // p=
  std::optional<SdpConnection> connection;
  std::vector<SdpBandwidth> bandwidths;
  std::vector<SdpTiming> timings;             // serialised as t=0 0 when empty
  std::optional<std::string> time_zones;      // z=
  std::optional<std::string> encryption_key;  // k=
  std::vector<SdpAttribute> attributes;
  std::vector<MediaDescription> media;

  // The session-level direction attribute, if any.
  [[nodiscard]] std::optional<MediaDirection> declared_direction() const;
  void set_direction(MediaDirection direction);
  // The media's own direction, else the session's, else sendrecv (RFC 3264 §5.1).
  [[nodiscard]] MediaDirection direction(const MediaDescription& media) const;
  // The media's c=, else the session's.
  [[nodiscard]] std::optional<SdpConnection> connection_for(const MediaDescription& media) const;
  // Sendonly, inactive, or the RFC 2543 hold address c=IN IP4 0.0.0.0.
  [[nodiscard]] bool is_hold(const MediaDescription& media) const;

  bool operator==(const SessionDescription&) const = default;
};

// Accepts CRLF or bare LF; rejects what RFC 4566 forbids with the line number and the fault.
[[nodiscard]] std::expected<SessionDescription, SdpError> parse_sdp(std::string_view text);

// CRLF lines in RFC 4566 order; parse_sdp(serialize_sdp(x)) == x for every parsed x.
[[nodiscard]] std::string serialize_sdp(const SessionDescription& sdp);

}  // namespace orbit::sip
