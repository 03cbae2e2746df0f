// sdp.cpp — parses and serialises SDP (RFC 4566) session descriptions.
#include "sip/sdp.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <span>
#include <utility>

namespace orbit::sip {
namespace {

struct Line {
  std::size_t number = 0;
  char type = 0;
  std::string_view value;
};

using Status = std::expected<void, SdpError>;

constexpr std::string_view kKnownTypes = "vosiuepcbtrzkam";
constexpr std::array<std::string_view, 4> kDirectionNames = {"sendrecv", "sendonly", "recvonly",
                                                             "inactive"};

struct StaticPayload {
  std::uint8_t type;
  std::string_view name;
  std::uint32_t clock_rate;
};
// RFC 3551 static payload types, usable without an a=rtpmap.
// clang-format off
constexpr std::array<StaticPayload, 7> kStaticPayloads{{
    {0, "PCMU", 8000}, {3, "GSM", 8000}, {4, "G723", 8000}, {8, "PCMA", 8000},
    {9, "G722", 8000}, {13, "CN", 8000}, {18, "G729", 8000}}};
// clang-format on

std::unexpected<SdpError> fail(std::size_t line, std::string_view what) {
  return std::unexpected(SdpError{"line " + std::to_string(line) + ": " + std::string(what)});
}

std::unexpected<SdpError> duplicate(const Line& line) {
  return fail(line.number, std::string("duplicate ") + line.type + "=");
}

bool is_digits(std::string_view text) {
  return !text.empty() && std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; });
}

template <typename T>
std::optional<T> to_number(std::string_view text) {
  T value{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (!is_digits(text) || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

// RFC 4566 token-char: visible ASCII except the separators.
bool is_token(std::string_view text) {
  constexpr std::string_view kSeparators = "\"(),/:;<=>?@[\\]";
  return !text.empty() && std::ranges::all_of(text, [&](char c) {
    return c > ' ' && c < 0x7f && kSeparators.find(c) == std::string_view::npos;
  });
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  for (std::size_t at = text.find_first_not_of(' '); at != std::string_view::npos;
       at = text.find_first_not_of(' ', at)) {
    const std::size_t end = std::min(text.find(' ', at), text.size());
    out.push_back(text.substr(at, end - at));
    at = end;
  }
  return out;
}

bool is_direction(const SdpAttribute& attribute) {
  return std::ranges::find(kDirectionNames, attribute.name) != kDirectionNames.end();
}

std::optional<MediaDirection> direction_of(const std::vector<SdpAttribute>& attributes) {
  for (const SdpAttribute& attribute : attributes) {
    const auto* found = std::ranges::find(kDirectionNames, attribute.name);
    if (found != kDirectionNames.end()) {
      return static_cast<MediaDirection>(found - kDirectionNames.begin());
    }
  }
  return std::nullopt;
}

std::vector<SdpAttribute> with_direction(std::vector<SdpAttribute> attributes,
                                         MediaDirection direction) {
  const SdpAttribute wanted{std::string(to_string(direction)), std::nullopt};
  const auto first = std::ranges::find_if(attributes, is_direction);
  if (first == attributes.end()) {
    attributes.push_back(wanted);
    return attributes;
  }
  *first = wanted;
  attributes.erase(std::remove_if(first + 1, attributes.end(), is_direction), attributes.end());
  return attributes;
}

// "<payload type> <rest>" as the number and the rest, for a=rtpmap and a=fmtp.
std::optional<std::pair<std::uint8_t, std::string_view>> split_payload(std::string_view value) {
  const std::size_t space = value.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto type = to_number<std::uint8_t>(value.substr(0, space));
  if (!type || *type > 127) return std::nullopt;
  const std::size_t rest = value.find_first_not_of(' ', space);
  if (rest == std::string_view::npos) return std::nullopt;
  return std::pair{*type, value.substr(rest)};
}

// "<pt> <encoding>/<clock rate>[/<channels>]"
std::optional<RtpMap> parse_rtpmap(std::string_view value) {
  const auto split = split_payload(value);
  if (!split) return std::nullopt;
  const std::string_view spec = split->second;
  const std::size_t first = spec.find('/');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = spec.find('/', first + 1);
  const auto clock_rate = to_number<std::uint32_t>(spec.substr(first + 1, second - first - 1));
  const auto channels = second == std::string_view::npos
                            ? std::optional<std::uint32_t>(1)
                            : to_number<std::uint32_t>(spec.substr(second + 1));
  if (!is_token(spec.substr(0, first)) || !clock_rate || !channels) return std::nullopt;
  return RtpMap{split->first, std::string(spec.substr(0, first)), *clock_rate, *channels};
}

std::expected<std::vector<Line>, SdpError> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t number = 0;
  std::size_t first_blank = 0;  // a blank line is fine at the end, not in the middle
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    std::string_view raw = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    ++number;
    if (raw.ends_with('\r')) raw.remove_suffix(1);
    if (raw.empty()) {
      first_blank = first_blank == 0 ? number : first_blank;
      continue;
    }
    if (first_blank != 0) return fail(first_blank, "empty line");
    if (raw.size() < 2 || raw[1] != '=') return fail(number, "expected <type>=<value>");
    if (kKnownTypes.find(raw[0]) == std::string_view::npos) {
      return fail(number, std::string("unknown type '") + raw[0] + "='");
    }
    if (raw.find_first_of(std::string_view("\r\0", 2)) != std::string_view::npos) {
      return fail(number, "control character in value");
    }
    lines.push_back(Line{number, raw[0], raw.substr(2)});
  }
  return lines;
}

std::expected<SdpOrigin, SdpError> parse_origin(const Line& line) {
  const auto w = words(line.value);
  if (w.size() != 6) {
    return fail(line.number, "o= needs username, session id, version, nettype, addrtype, address");
  }
  const auto version = to_number<std::uint64_t>(w[2]);
  if (!version) return fail(line.number, "o= session version must be a number");
  return SdpOrigin{std::string(w[0]), std::string(w[1]), *version,
                   std::string(w[3]), std::string(w[4]), std::string(w[5])};
}

std::expected<SdpConnection, SdpError> parse_connection(const Line& line) {
  const auto w = words(line.value);
  if (w.size() != 3) return fail(line.number, "c= needs nettype, addrtype and address");
  return SdpConnection{std::string(w[0]), std::string(w[1]), std::string(w[2])};
}

std::expected<SdpBandwidth, SdpError> parse_bandwidth(const Line& line) {
  const std::size_t colon = line.value.find(':');
  const std::string_view type = line.value.substr(0, colon);
  const auto value = colon == std::string_view::npos
                         ? std::nullopt
                         : to_number<std::uint64_t>(line.value.substr(colon + 1));
  if (!is_token(type) || !value) return fail(line.number, "b= needs <type>:<bandwidth>");
  return SdpBandwidth{std::string(type), *value};
}

std::expected<SdpTiming, SdpError> parse_timing(const Line& line) {
  const auto w = words(line.value);
  if (w.size() != 2) return fail(line.number, "t= needs start and stop times");
  const auto start = to_number<std::uint64_t>(w[0]);
  const auto stop = to_number<std::uint64_t>(w[1]);
  if (!start || !stop) return fail(line.number, "t= times must be numbers");
  return SdpTiming{*start, *stop, {}};
}

std::expected<MediaDescription, SdpError> parse_media(const Line& line) {
  const auto w = words(line.value);
  if (w.size() < 4) return fail(line.number, "m= needs media, port, proto and formats");
  const std::size_t slash = std::min(w[1].find('/'), w[1].size());
  const std::string_view port_text = w[1].substr(0, slash);
  if (!is_digits(port_text)) return fail(line.number, "m= port must be a number");
  const auto port = to_number<std::uint16_t>(port_text);
  if (!port)
    return fail(line.number, "m= port " + std::string(port_text) + " is out of range 0..65535");
  MediaDescription media;
  media.type = w[0];
  media.port = *port;
  media.proto = w[2];
  if (slash < w[1].size()) {
    media.port_count = to_number<std::uint16_t>(w[1].substr(slash + 1));
    if (!media.port_count || *media.port_count == 0) {
      return fail(line.number, "m= port count must be 1..65535");
    }
  }
  for (const std::string_view format : std::span(w).subspan(3)) media.formats.emplace_back(format);
  return media;
}

std::expected<SdpAttribute, SdpError> parse_attribute(const Line& line,
                                                      const std::vector<SdpAttribute>& existing) {
  const std::size_t colon = line.value.find(':');
  SdpAttribute attribute{std::string(line.value.substr(0, colon)), std::nullopt};
  if (colon != std::string_view::npos) attribute.value = line.value.substr(colon + 1);
  if (!is_token(attribute.name)) return fail(line.number, "a= name must be a token");
  if (attribute.name == "rtpmap" && !parse_rtpmap(attribute.value.value_or(""))) {
    return fail(line.number, "a=rtpmap needs <payload type> <encoding>/<clock rate>[/<channels>]");
  }
  if (is_direction(attribute) && direction_of(existing)) {
    return fail(line.number, "a second direction attribute");
  }
  return attribute;
}

template <typename T, typename Store>
Status store(std::expected<T, SdpError> parsed, Store&& into) {
  if (!parsed) return std::unexpected(std::move(parsed.error()));
  std::forward<Store>(into)(std::move(*parsed));
  return {};
}

// c=, b= and a= read the same at session and at media level.
template <typename Scope>
std::optional<Status> scope_line(Scope& scope, const Line& line) {
  switch (line.type) {
    case 'c':
      if (scope.connection) return duplicate(line);
      return store(parse_connection(line), [&](SdpConnection c) { scope.connection = c; });
    case 'b':
      return store(parse_bandwidth(line), [&](SdpBandwidth b) { scope.bandwidths.push_back(b); });
    case 'a':
      return store(parse_attribute(line, scope.attributes),
                   [&](SdpAttribute a) { scope.attributes.push_back(std::move(a)); });
    default:
      return std::nullopt;
  }
}

// Walks the lines once, filling the session, then each media description in turn.
class Parser {
 public:
  [[nodiscard]] std::expected<SessionDescription, SdpError> run(std::span<const Line> lines);

 private:
  Status next(const Line& line);
  Status session_line(const Line& line);
  std::optional<std::string>* text_field(char type);

  SessionDescription sdp_;
  bool has_origin_ = false;
  bool has_name_ = false;
  std::vector<std::size_t> media_line_numbers_;
};

std::expected<SessionDescription, SdpError> Parser::run(std::span<const Line> lines) {
  if (lines.empty()) return std::unexpected(SdpError{"empty SDP: expected v=0"});
  if (lines[0].type != 'v') return fail(lines[0].number, "expected v= first");
  if (lines[0].value != "0") return fail(lines[0].number, "v= must be 0");
  for (const Line& line : lines.subspan(1)) {
    if (Status status = next(line); !status) return std::unexpected(std::move(status.error()));
  }
  if (!has_origin_) return std::unexpected(SdpError{"missing o= line"});
  if (!has_name_) return std::unexpected(SdpError{"missing s= line"});
  if (sdp_.timings.empty()) return std::unexpected(SdpError{"missing t= line"});
  for (std::size_t i = 0; i < sdp_.media.size(); ++i) {
    if (!sdp_.connection && !sdp_.media[i].connection) {
      return fail(media_line_numbers_[i], "m= has no c= and there is no session-level c=");
    }
  }
  return std::move(sdp_);
}

// The free-text field (i=, u=, z=, k=) a line type fills at the current level, if any.
std::optional<std::string>* Parser::text_field(char type) {
  if (!sdp_.media.empty()) {
    MediaDescription& m = sdp_.media.back();
    return type == 'i' ? &m.title : type == 'k' ? &m.encryption_key : nullptr;
  }
  return type == 'i'   ? &sdp_.information
         : type == 'u' ? &sdp_.uri
         : type == 'z' ? &sdp_.time_zones
         : type == 'k' ? &sdp_.encryption_key
                       : nullptr;
}

Status Parser::next(const Line& line) {
  if (line.type == 'm') {
    media_line_numbers_.push_back(line.number);
    return store(parse_media(line),
                 [&](MediaDescription m) { sdp_.media.push_back(std::move(m)); });
  }
  if (std::optional<std::string>* text = text_field(line.type)) {
    if (*text) return duplicate(line);
    *text = std::string(line.value);
    return {};
  }
  if (sdp_.media.empty()) return session_line(line);
  if (auto status = scope_line(sdp_.media.back(), line)) return std::move(*status);
  return fail(line.number, std::string(1, line.type) + "= is not allowed after m=");
}

Status Parser::session_line(const Line& line) {
  if (auto status = scope_line(sdp_, line)) return std::move(*status);
  SessionDescription& s = sdp_;
  switch (line.type) {
    case 'o':
      if (std::exchange(has_origin_, true)) return duplicate(line);
      return store(parse_origin(line), [&](SdpOrigin o) { s.origin = std::move(o); });
    case 's':
      if (std::exchange(has_name_, true)) return duplicate(line);
      s.session_name = line.value;
      return {};
    case 'e':
    case 'p':
      (line.type == 'e' ? s.emails : s.phones).emplace_back(line.value);
      return {};
    case 't':
      return store(parse_timing(line), [&](SdpTiming t) { s.timings.push_back(std::move(t)); });
    case 'r':
      if (s.timings.empty()) return fail(line.number, "r= before any t=");
      s.timings.back().repeats.emplace_back(line.value);
      return {};
    default:
      return duplicate(line);  // v=
  }
}

// Builds the CRLF-terminated text, one line at a time.
class Writer {
 public:
  void line(char type, std::string_view value) {
    out_ += type;
    out_ += '=';
    out_ += value;
    out_ += "\r\n";
  }
  void text(char type, const std::optional<std::string>& value) {
    if (value) line(type, *value);
  }
  void connection(const std::optional<SdpConnection>& c) {
    if (c) line('c', c->net_type + " " + c->address_type + " " + c->address);
  }
  void bandwidths(const std::vector<SdpBandwidth>& bandwidths) {
    for (const SdpBandwidth& b : bandwidths) line('b', b.type + ":" + std::to_string(b.value));
  }
  void attributes(const std::vector<SdpAttribute>& attributes) {
    for (const SdpAttribute& a : attributes) line('a', a.value ? a.name + ":" + *a.value : a.name);
  }
  void media(const MediaDescription& m) {
    std::string value = m.type + " " + std::to_string(m.port);
    if (m.port_count) value += "/" + std::to_string(*m.port_count);
    value += " " + m.proto;
    for (const std::string& format : m.formats) value += " " + format;
    line('m', value);
    text('i', m.title);
    connection(m.connection);
    bandwidths(m.bandwidths);
    text('k', m.encryption_key);
    attributes(m.attributes);
  }
  [[nodiscard]] std::string take() && { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

std::string_view to_string(MediaDirection direction) {
  return kDirectionNames[static_cast<std::size_t>(direction)];
}

std::optional<RtpMap> MediaDescription::rtpmap(std::string_view payload_type) const {
  const auto wanted = to_number<std::uint8_t>(payload_type);
  if (!wanted) return std::nullopt;
  for (const SdpAttribute& a : attributes) {
    if (a.name != "rtpmap" || !a.value) continue;
    if (auto map = parse_rtpmap(*a.value); map && map->payload_type == *wanted) return map;
  }
  const auto* known = std::ranges::find(kStaticPayloads, *wanted, &StaticPayload::type);
  if (known == kStaticPayloads.end()) return std::nullopt;
  return RtpMap{known->type, std::string(known->name), known->clock_rate, 1};
}

std::optional<std::string_view> MediaDescription::fmtp(std::string_view payload_type) const {
  const auto wanted = to_number<std::uint8_t>(payload_type);
  for (const SdpAttribute& a : attributes) {
    if (a.name != "fmtp" || !a.value) continue;
    if (const auto split = split_payload(*a.value); split && split->first == wanted) {
      return split->second;
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> MediaDescription::attribute(std::string_view name) const {
  const auto found = std::ranges::find(attributes, name, &SdpAttribute::name);
  if (found == attributes.end()) return std::nullopt;
  return found->value ? std::string_view(*found->value) : std::string_view();
}

std::optional<MediaDirection> MediaDescription::declared_direction() const {
  return direction_of(attributes);
}

void MediaDescription::set_direction(MediaDirection direction) {
  attributes = with_direction(std::move(attributes), direction);
}

std::optional<MediaDirection> SessionDescription::declared_direction() const {
  return direction_of(attributes);
}

void SessionDescription::set_direction(MediaDirection direction) {
  attributes = with_direction(std::move(attributes), direction);
}

MediaDirection SessionDescription::direction(const MediaDescription& m) const {
  return m.declared_direction().value_or(declared_direction().value_or(MediaDirection::sendrecv));
}

std::optional<SdpConnection> SessionDescription::connection_for(const MediaDescription& m) const {
  return m.connection ? m.connection : connection;
}

bool SessionDescription::is_hold(const MediaDescription& m) const {
  const MediaDirection d = direction(m);
  const auto c = connection_for(m);
  return d == MediaDirection::sendonly || d == MediaDirection::inactive ||
         (c && c->address == "0.0.0.0");
}

std::expected<SessionDescription, SdpError> parse_sdp(std::string_view text) {
  const auto lines = split_lines(text);
  if (!lines) return std::unexpected(lines.error());
  return Parser{}.run(*lines);
}

std::string serialize_sdp(const SessionDescription& sdp) {
  Writer w;
  const SdpOrigin& o = sdp.origin;
  w.line('v', std::to_string(sdp.version));
  w.line('o', o.username + " " + o.session_id + " " + std::to_string(o.session_version) + " " +
                  o.net_type + " " + o.address_type + " " + o.address);
  w.line('s', sdp.session_name);
  w.text('i', sdp.information);
  w.text('u', sdp.uri);
  for (const std::string& email : sdp.emails) w.line('e', email);
  for (const std::string& phone : sdp.phones) w.line('p', phone);
  w.connection(sdp.connection);
  w.bandwidths(sdp.bandwidths);
  if (sdp.timings.empty()) w.line('t', "0 0");
  for (const SdpTiming& t : sdp.timings) {
    w.line('t', std::to_string(t.start) + " " + std::to_string(t.stop));
    for (const std::string& repeat : t.repeats) w.line('r', repeat);
  }
  w.text('z', sdp.time_zones);
  w.text('k', sdp.encryption_key);
  w.attributes(sdp.attributes);
  for (const MediaDescription& m : sdp.media) w.media(m);
  return std::move(w).take();
}

}  // namespace orbit::sip
