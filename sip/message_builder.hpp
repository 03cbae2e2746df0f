// Building outgoing messages: requests, responses to a request (RFC 3261 §8.2.6), serialisation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sip/message.hpp"

namespace orbit::sip {

class MessageBuilder {
 public:
  [[nodiscard]] static MessageBuilder request(std::string_view method, std::string_view uri);
  [[nodiscard]] static MessageBuilder response(int status, std::string_view reason);

  MessageBuilder& header(std::string_view name, std::string_view value);
  MessageBuilder& body(std::string_view content_type, std::string_view content);
  // The message with a Content-Length computed from the body.
  [[nodiscard]] std::string build() const;

 private:
  explicit MessageBuilder(std::string start_line);
  std::string text_;
  std::string content_type_;
  std::string body_;
};

// A response that copies Via, From, To, Call-ID and CSeq from the request, adding `to_tag`
// to To when the request has none and the status is above 100. `top_via` replaces the first
// Via value when not empty (the one the transport stamped with received/rport).
[[nodiscard]] MessageBuilder make_response(const Message& request, int status,
                                           std::string_view reason, std::string_view to_tag = {},
                                           std::string_view top_via = {});

// The top Via as RFC 3261 §18.2.1 and RFC 3581 §4 want it before answering: `received` added
// when the sent-by host is not the source address, `rport` filled with the source port.
[[nodiscard]] std::string stamp_via(const Via& via, std::string_view source_address,
                                    std::uint16_t source_port);

// A canonical rendering of a parsed message: start line, every header as received, the body,
// with a Content-Length recomputed.
[[nodiscard]] std::string serialize(const Message& message);

// The default reason phrase of a status code.
[[nodiscard]] std::string_view reason_phrase(int status);

}  // namespace orbit::sip
