// Parser of SIP messages (RFC 3261 §7, §25): start line, header fields, framing by Content-Length.
#include <array>
#include <cstring>

#include "sip/lex.hpp"
#include "sip/message.hpp"

namespace orbit::sip {
namespace {

std::unexpected<ParseError> fail(std::string reason, int status = 400) {
  return std::unexpected(ParseError{status, std::move(reason)});
}

// One line of the header section, without its line end.
struct Line {
  std::string_view text;
  std::size_t next = 0;  // offset of the following line
};

Line read_line(std::string_view s, std::size_t at) {
  auto nl = s.find('\n', at);
  if (nl == std::string_view::npos) return {s.substr(at), s.size()};
  auto end = (nl > at && s[nl - 1] == '\r') ? nl - 1 : nl;
  return {s.substr(at, end - at), nl + 1};
}

// Offset just past the empty line ending the header section, nullopt if there is none yet.
std::optional<std::size_t> header_section_end(std::string_view s) {
  for (std::size_t nl = s.find('\n'); nl != std::string_view::npos; nl = s.find('\n', nl + 1)) {
    if (nl + 1 < s.size() && s[nl + 1] == '\n') return nl + 2;
    if (nl + 2 < s.size() && s[nl + 1] == '\r' && s[nl + 2] == '\n') return nl + 3;
  }
  return std::nullopt;
}

bool is_sip_version(std::string_view v) {
  return lex::iequals(v, "SIP/2.0");
}

bool looks_like_version(std::string_view v) {
  if (v.size() < 7 || !lex::iequals(v.substr(0, 4), "SIP/")) return false;
  auto dot = v.find('.', 4);
  return dot != std::string_view::npos && lex::parse_uint(v.substr(4, dot - 4), 999) &&
         lex::parse_uint(v.substr(dot + 1), 999);
}

// The words of a request line, split at runs of SP: at most `N` of them, and the count found
// (which may exceed N), with no allocation.
template <std::size_t N>
struct Words {
  std::array<std::string_view, N> word{};
  std::size_t count = 0;
};

template <std::size_t N>
Words<N> split_spaces(std::string_view line) {
  Words<N> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    auto start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) {
      if (out.count < N) out.word[out.count] = line.substr(start, i - start);
      ++out.count;
    }
  }
  return out;
}

std::expected<std::size_t, ParseError> content_length_value(std::string_view v) {
  v = lex::trim_lws(v);
  if (!v.empty() && v[0] == '-') return fail("negative Content-Length");
  auto n = lex::parse_uint(v, 1u << 30);
  if (!n) return fail("bad Content-Length");
  return static_cast<std::size_t>(*n);
}

bool valid_call_id(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (lex::is_ws(c) || c == '\r' || c == '\n' || static_cast<unsigned char>(c) < 0x21 ||
        static_cast<unsigned char>(c) > 0x7e) {
      return false;
    }
  }
  return true;
}

using Checked = std::expected<void, ParseError>;

// Checks every comma-separated value of the headers `id`, in the order Message::header_values
// lists them, without building that list; stops at the first fault.
template <class F>
Checked visit_values(const Message& m, HeaderId id, F&& check) {
  Checked result;
  for (const auto& h : m.headers()) {
    if (h.id != id) continue;
    lex::for_each_comma_element(h.value, [&](std::string_view value) {
      result = check(value);
      return result.has_value();
    });
    if (!result) return result;
  }
  return result;
}

}  // namespace

class MessageParser {
 public:
  static std::expected<Message, ParseError> parse(std::string_view input);

 private:
  static std::expected<void, ParseError> parse_start_line(Message& m, std::string_view line);
  static std::expected<std::size_t, ParseError> parse_headers(Message& m, std::string_view s,
                                                              std::size_t at);
  static std::expected<void, ParseError> check_essentials(Message& m);
};

std::expected<void, ParseError> MessageParser::parse_start_line(Message& m, std::string_view line) {
  if (line.size() >= 4 && lex::iequals(line.substr(0, 4), "SIP/")) {
    auto sp = line.find(' ');
    if (sp == std::string_view::npos || !is_sip_version(line.substr(0, sp))) {
      return fail("bad SIP version in status line");
    }
    auto rest = line.substr(sp + 1);
    auto code_end = rest.find(' ');
    auto code = lex::parse_uint(rest.substr(0, code_end), 999);
    if (!code || rest.substr(0, code_end).size() != 3 || *code < 100 || *code > 699) {
      return fail("status code out of range");
    }
    m.status_ = static_cast<int>(*code);
    m.reason_ = code_end == std::string_view::npos ? std::string_view{} : rest.substr(code_end + 1);
    return {};
  }
  auto words = split_spaces<3>(line);
  if (words.count != 3) {
    if (words.count > 3) return fail("whitespace inside the Request-URI");
    return fail("malformed request line");
  }
  const auto& parts = words.word;
  if (!lex::is_token(parts[0])) return fail("bad method");
  m.method_ = parts[0];
  if (!is_sip_version(parts[2])) {
    if (looks_like_version(parts[2])) return fail("SIP version not supported", 505);
    return fail("bad SIP version in request line");
  }
  if (parts[1].starts_with('<')) return fail("Request-URI enclosed in <>");
  auto uri = parse_uri(parts[1]);
  if (!uri) return fail("bad Request-URI: " + uri.error());
  // RFC 3261 §19.1.1 table 1: a Request-URI carries no headers (RFC 4475 §3.1.2.11).
  if (uri->is_sip() && (!uri->headers.empty() || uri->raw.ends_with('?'))) {
    return fail("Request-URI has headers");
  }
  m.request_uri_ = *uri;
  return {};
}

std::expected<std::size_t, ParseError> MessageParser::parse_headers(Message& m, std::string_view s,
                                                                    std::size_t at) {
  m.headers_.reserve(24);
  while (at < s.size()) {
    auto line = read_line(s, at);
    if (line.text.empty()) return line.next;
    if (lex::is_ws(line.text[0])) {
      if (m.headers_.empty()) return fail("header section starts with a continuation line");
      auto& last = m.headers_.back();
      auto end = lex::trim_lws(line.text);
      if (!end.empty()) {
        const char* begin = last.value.empty() ? end.data() : last.value.data();
        last.value = std::string_view(begin, end.data() + end.size() - begin);
      }
      at = line.next;
      continue;
    }
    auto colon = line.text.find(':');
    if (colon == std::string_view::npos) return fail("header line without a colon");
    auto name = line.text.substr(0, colon);
    while (!name.empty() && lex::is_ws(name.back())) name.remove_suffix(1);
    if (!lex::is_token(name)) return fail("bad header name");
    HeaderField field{name, lex::trim_lws(line.text.substr(colon + 1)), header_id(name)};
    auto slot = static_cast<std::size_t>(field.id);
    if (field.id != HeaderId::Other) {
      if (m.first_[slot] == 0) {
        m.first_[slot] = static_cast<std::int16_t>(m.headers_.size() + 1);
      } else if (is_single_valued(field.id)) {
        return fail("duplicate " + std::string(header_name(field.id)) + " header");
      }
    }
    // Content-Length is exempt so that serialize(), which always writes one, never makes a
    // message that this limit refuses.
    if (m.headers_.size() >= 1000 && field.id != HeaderId::ContentLength) {
      return fail("too many header fields");
    }
    m.headers_.push_back(field);
    at = line.next;
  }
  return fail("header section not terminated");
}

std::expected<void, ParseError> MessageParser::check_essentials(Message& m) {
  bool first_via = true;
  auto vias = visit_values(m, HeaderId::Via, [&](std::string_view text) -> Checked {
    auto via = parse_via(text);
    if (!via) return fail(via.error());
    if (first_via) m.top_via_ = *via;
    first_via = false;
    return {};
  });
  if (!vias) return vias;
  if (first_via) return fail("missing Via header");
  auto call_id = m.header(HeaderId::CallId);
  if (!call_id) return fail("missing Call-ID header");
  if (!valid_call_id(*call_id)) return fail("bad Call-ID");
  m.call_id_ = *call_id;
  auto cseq_text = m.header(HeaderId::CSeq);
  if (!cseq_text) return fail("missing CSeq header");
  auto cseq = parse_cseq(*cseq_text);
  if (!cseq) return fail(cseq.error());
  m.cseq_ = *cseq;
  if (m.is_request() && m.cseq_.method != m.method_) {
    return fail("CSeq method does not match the request method");
  }
  auto from = m.header(HeaderId::From);
  if (!from) return fail("missing From header");
  auto from_na = parse_name_addr(*from);
  if (!from_na) return fail("bad From header: " + from_na.error());
  m.from_ = *from_na;
  auto to = m.header(HeaderId::To);
  if (!to) return fail("missing To header");
  auto to_na = parse_name_addr(*to);
  if (!to_na) return fail("bad To header: " + to_na.error());
  m.to_ = *to_na;
  if (auto mf = m.header(HeaderId::MaxForwards)) {
    auto v = lex::parse_uint(lex::trim_lws(*mf), 255);
    if (!v) return fail("Max-Forwards out of range");
    m.max_forwards_ = static_cast<std::uint32_t>(*v);
  }
  if (auto ex = m.header(HeaderId::Expires)) {
    auto v = lex::parse_uint(lex::trim_lws(*ex), 0xffffffffULL);
    if (!v) return fail("Expires out of range");
    m.expires_ = static_cast<std::uint32_t>(*v);
  }
  return visit_values(m, HeaderId::Contact, [](std::string_view contact) -> Checked {
    if (is_star_contact(contact)) return {};
    auto na = parse_name_addr(contact);
    if (!na) return fail("bad Contact header: " + na.error());
    if (auto e = na->param("expires")) {
      if (!lex::parse_uint(*e, 0xffffffffULL)) return fail("Contact expires out of range");
    }
    return {};
  });
}

std::expected<Message, ParseError> MessageParser::parse(std::string_view input) {
  // Tolerate the CRLFs a sender may put before a message (RFC 3261 §7.5).
  while (!input.empty() && (input[0] == '\r' || input[0] == '\n')) input.remove_prefix(1);
  if (input.empty()) return fail("empty message");
  Message m;
  m.buffer_ = std::make_unique_for_overwrite<char[]>(input.size());
  std::memcpy(m.buffer_.get(), input.data(), input.size());
  std::string_view s(m.buffer_.get(), input.size());

  auto first = read_line(s, 0);
  if (auto ok = parse_start_line(m, first.text); !ok) return std::unexpected(ok.error());
  auto body_at = parse_headers(m, s, first.next);
  if (!body_at) return std::unexpected(body_at.error());
  auto available = s.size() - *body_at;
  std::size_t length = available;
  if (auto cl = m.header(HeaderId::ContentLength)) {
    auto n = content_length_value(*cl);
    if (!n) return std::unexpected(n.error());
    if (*n > available) return fail("Content-Length larger than the message");
    length = *n;
  }
  m.body_ = s.substr(*body_at, length);
  m.size_ = *body_at + length;
  if (auto ok = check_essentials(m); !ok) return std::unexpected(ok.error());
  return m;
}

std::expected<Message, ParseError> Message::parse(std::string_view bytes) {
  return MessageParser::parse(bytes);
}

std::expected<std::optional<StreamFrame>, ParseError> frame_stream(std::string_view bytes) {
  auto end = header_section_end(bytes);
  if (!end) return std::optional<StreamFrame>{};
  auto head = bytes.substr(0, *end);
  std::optional<std::size_t> length;
  std::size_t at = read_line(head, 0).next;  // the start line holds no header field
  while (at < head.size()) {
    auto line = read_line(head, at);
    auto value_at = static_cast<std::size_t>(line.text.data() - head.data());
    at = line.next;
    // Continuation lines belong to the value, as Message::parse reads them.
    while (at < head.size() && lex::is_ws(head[at])) at = read_line(head, at).next;
    auto colon = line.text.find(':');
    if (colon == std::string_view::npos || lex::is_ws(line.text[0])) continue;
    auto name = line.text.substr(0, colon);
    while (!name.empty() && lex::is_ws(name.back())) name.remove_suffix(1);
    if (header_id(name) != HeaderId::ContentLength) continue;
    value_at += colon + 1;
    auto n = content_length_value(head.substr(value_at, at - value_at));
    if (!n) return std::unexpected(n.error());
    if (length && *length != *n) return fail("conflicting Content-Length headers");
    length = *n;
  }
  return std::optional<StreamFrame>{StreamFrame{*end + length.value_or(0)}};
}

}  // namespace orbit::sip
