// Salvages Via, From, To, Call-ID and CSeq lines from a malformed request to answer it.
#include "sip/error_response.hpp"

#include <array>

#include "sip/lex.hpp"
#include "sip/message_builder.hpp"

namespace orbit::sip {
namespace {

std::string_view next_line(std::string_view& s) {
  auto nl = s.find('\n');
  auto line = s.substr(0, nl);
  s = nl == std::string_view::npos ? std::string_view{} : s.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Reason phrases may not carry control characters (RFC 3261 §25.1 Reason-Phrase).
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out.push_back(c);
  }
  return out;
}

}  // namespace

std::optional<std::string> error_response(std::string_view raw, const ParseError& error,
                                          std::string_view to_tag) {
  while (!raw.empty() && (raw[0] == '\r' || raw[0] == '\n')) raw.remove_prefix(1);
  auto start = next_line(raw);
  auto sp = start.find(' ');
  if (sp == std::string_view::npos || sp == 0) return std::nullopt;
  auto method = start.substr(0, sp);
  if (!lex::is_token(method) || method == "ACK" || lex::iequals(method.substr(0, 4), "SIP/")) {
    return std::nullopt;
  }
  auto b = MessageBuilder::response(error.status, printable(error.reason));
  // Every Via, but one of each single-valued header even when the request repeated it (the
  // answer to a message refused for duplicates must not repeat them).
  std::array<bool, 32> copied{};
  while (!raw.empty()) {
    auto line = next_line(raw);
    if (line.empty()) break;
    auto colon = line.find(':');
    if (colon == std::string_view::npos || lex::is_ws(line[0])) continue;
    auto name = lex::trim_lws(line.substr(0, colon));
    auto value = lex::trim_lws(line.substr(colon + 1));
    auto id = header_id(name);
    if (id != HeaderId::Via && copied[static_cast<std::size_t>(id)]) continue;
    copied[static_cast<std::size_t>(id)] = true;
    switch (id) {
      case HeaderId::Via: b.header("Via", value); break;
      case HeaderId::From: b.header("From", value); break;
      case HeaderId::CallId: b.header("Call-ID", value); break;
      case HeaderId::CSeq: b.header("CSeq", value); break;
      case HeaderId::To:
        if (value.find("tag=") == std::string_view::npos && !to_tag.empty()) {
          b.header("To", std::string(value) + ";tag=" + std::string(to_tag));
        } else {
          b.header("To", value);
        }
        break;
      default: break;
    }
  }
  return b.build();
}

}  // namespace orbit::sip
