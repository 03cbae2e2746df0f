// Outgoing messages: builder, responses to requests, Via stamping, serialisation.
#include "sip/message_builder.hpp"

#include <fmt/format.h>

#include <charconv>

#include "sip/lex.hpp"

namespace orbit::sip {
namespace {

// Where the parameter starting at params[0] == ';' ends: at the next ';' outside quotes.
std::size_t param_end(std::string_view params) {
  for (std::size_t i = 1; i < params.size(); ++i) {
    if (params[i] == ';') return i;
    if (params[i] == '"') {
      auto len = lex::quoted_length(params.substr(i));
      if (!len) return params.size();
      i += *len - 1;
    }
  }
  return params.size();
}

}  // namespace

MessageBuilder::MessageBuilder(std::string start_line) : text_(std::move(start_line)) {
  text_.reserve(512);
  text_ += "\r\n";
}

MessageBuilder MessageBuilder::request(std::string_view method, std::string_view uri) {
  return MessageBuilder(fmt::format("{} {} SIP/2.0", method, uri));
}

MessageBuilder MessageBuilder::response(int status, std::string_view reason) {
  return MessageBuilder(fmt::format("SIP/2.0 {} {}", status, reason));
}

MessageBuilder& MessageBuilder::header(std::string_view name, std::string_view value) {
  text_.append(name).append(": ").append(value).append("\r\n");
  return *this;
}

MessageBuilder& MessageBuilder::body(std::string_view content_type, std::string_view content) {
  content_type_ = content_type;
  body_ = content;
  return *this;
}

std::string MessageBuilder::build() const {
  std::string out = text_;
  if (!content_type_.empty()) out.append("Content-Type: ").append(content_type_).append("\r\n");
  out.append(fmt::format("Content-Length: {}\r\n\r\n", body_.size()));
  out.append(body_);
  return out;
}

MessageBuilder make_response(const Message& request, int status, std::string_view reason,
                             std::string_view to_tag, std::string_view top_via) {
  auto b = MessageBuilder::response(status, reason.empty() ? reason_phrase(status) : reason);
  bool first = true;
  for (auto via : request.header_values(HeaderId::Via)) {
    b.header("Via", first && !top_via.empty() ? top_via : via);
    first = false;
  }
  b.header("From", *request.header(HeaderId::From));
  auto to = *request.header(HeaderId::To);
  if (status > 100 && request.to().tag().empty() && !to_tag.empty()) {
    b.header("To", fmt::format("{};tag={}", lex::trim_lws(to), to_tag));
  } else {
    b.header("To", to);
  }
  b.header("Call-ID", request.call_id());
  b.header("CSeq", fmt::format("{} {}", request.cseq().number, request.cseq().method));
  return b;
}

std::string stamp_via(const Via& via, std::string_view source_address, std::uint16_t source_port) {
  std::string out = fmt::format("{}/{}/{} {}", via.protocol, via.version, via.transport, via.host);
  if (via.port) out += fmt::format(":{}", *via.port);
  std::string_view params = via.params;
  bool has_rport = via.param("rport").has_value();
  // Re-emit every parameter except received and rport, which are rewritten.
  while (!params.empty()) {
    params = lex::skip_lws(params);
    if (params.empty() || params[0] != ';') break;
    auto next = param_end(params);
    auto item = params.substr(0, next);
    auto key = lex::trim_lws(item.substr(1, item.find('=') - 1));
    if (!lex::iequals(key, "received") && !lex::iequals(key, "rport")) out += item;
    params = params.substr(next);
  }
  std::string_view host = via.host;
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  if (has_rport || !lex::iequals(host, source_address)) {
    out += fmt::format(";received={}", source_address);
  }
  if (has_rport) out += fmt::format(";rport={}", source_port);
  return out;
}

std::string serialize(const Message& message) {
  // One buffer sized from the received message, no temporary strings, no fmt::format.
  std::string out;
  out.reserve(message.bytes().size() + 32);
  char number[16];
  if (message.is_request()) {
    out.append(message.method()).append(" ").append(message.request_uri().raw).append(" SIP/2.0");
  } else {
    auto end = std::to_chars(number, number + sizeof number, message.status()).ptr;
    out.append("SIP/2.0 ").append(number, end).append(" ").append(message.reason());
  }
  out.append("\r\n");
  std::string_view content_type;
  for (const auto& h : message.headers()) {
    if (h.id == HeaderId::ContentLength) continue;
    if (h.id == HeaderId::ContentType) {
      content_type = h.value;
      continue;
    }
    out.append(h.name).append(": ").append(h.value).append("\r\n");
  }
  if (!content_type.empty()) out.append("Content-Type: ").append(content_type).append("\r\n");
  auto end = std::to_chars(number, number + sizeof number, message.body().size()).ptr;
  out.append("Content-Length: ").append(number, end).append("\r\n\r\n").append(message.body());
  return out;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Trying";
    case 180:
      return "Ringing";
    case 183:
      return "Session Progress";
    case 200:
      return "OK";
    case 202:
      return "Accepted";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Unsupported URI Scheme";
    case 420:
      return "Bad Extension";
    case 423:
      return "Interval Too Brief";
    case 480:
      return "Temporarily Unavailable";
    case 481:
      return "Call/Transaction Does Not Exist";
    case 482:
      return "Loop Detected";
    case 483:
      return "Too Many Hops";
    case 486:
      return "Busy Here";
    case 487:
      return "Request Terminated";
    case 488:
      return "Not Acceptable Here";
    case 500:
      return "Server Internal Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "Version Not Supported";
    case 513:
      return "Message Too Large";
    case 603:
      return "Decline";
    default:
      return "Unknown";
  }
}

}  // namespace orbit::sip
