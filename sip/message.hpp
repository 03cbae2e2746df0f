// A SIP message whose start line and header fields are views into the bytes it was parsed from.
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/cseq.hpp"
#include "sip/header_name.hpp"
#include "sip/name_addr.hpp"
#include "sip/uri.hpp"
#include "sip/via.hpp"

namespace orbit::sip {

struct HeaderField {
  std::string_view name;   // as received ("v", "VIA", ...)
  std::string_view value;  // trimmed; may contain line folds, which every grammar treats as LWS
  HeaderId id = HeaderId::Other;
};

struct ParseError {
  int status = 400;    // 400, or 505 for an unsupported SIP version
  std::string reason;  // names the fault, fit for a reason phrase
};

class Message {
 public:
  // Parses a complete message. Bytes after Content-Length are ignored (a datagram may carry
  // junk after the message); a Content-Length beyond the bytes available is an error.
  [[nodiscard]] static std::expected<Message, ParseError> parse(std::string_view bytes);

  Message(Message&&) noexcept = default;
  Message& operator=(Message&&) noexcept = default;
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;

  [[nodiscard]] bool is_request() const { return status_ == 0; }
  [[nodiscard]] std::string_view method() const { return method_; }
  [[nodiscard]] const Uri& request_uri() const { return request_uri_; }
  [[nodiscard]] int status() const { return status_; }
  [[nodiscard]] std::string_view reason() const { return reason_; }

  [[nodiscard]] const std::vector<HeaderField>& headers() const { return headers_; }
  // First value of a header, nullopt when absent.
  [[nodiscard]] std::optional<std::string_view> header(HeaderId id) const;
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
  // Every value of a header, comma-separated values split apart, in order.
  [[nodiscard]] std::vector<std::string_view> header_values(HeaderId id) const;

  [[nodiscard]] std::string_view call_id() const { return call_id_; }
  [[nodiscard]] const CSeq& cseq() const { return cseq_; }
  [[nodiscard]] const NameAddr& from() const { return from_; }
  [[nodiscard]] const NameAddr& to() const { return to_; }
  [[nodiscard]] const Via& top_via() const { return top_via_; }
  [[nodiscard]] std::optional<std::uint32_t> max_forwards() const { return max_forwards_; }
  [[nodiscard]] std::optional<std::uint32_t> expires() const { return expires_; }
  [[nodiscard]] std::string_view body() const { return body_; }
  // The bytes of this message alone (start line to end of body).
  [[nodiscard]] std::string_view bytes() const { return {buffer_.get(), size_}; }

 private:
  Message() = default;
  friend class MessageParser;

  std::unique_ptr<char[]> buffer_;
  std::size_t size_ = 0;
  std::string_view method_;
  Uri request_uri_;
  int status_ = 0;
  std::string_view reason_;
  std::vector<HeaderField> headers_;
  static_assert(static_cast<int>(HeaderId::WwwAuthenticate) < 32);
  std::array<std::int16_t, 32> first_{};  // index+1 of the first header of each HeaderId
  std::string_view call_id_;
  CSeq cseq_;
  NameAddr from_;
  NameAddr to_;
  Via top_via_;
  std::optional<std::uint32_t> max_forwards_;
  std::optional<std::uint32_t> expires_;
  std::string_view body_;
};

// Where a message ends in a stream: the size of the header section plus Content-Length
// (RFC 3261 §18.3), nullopt while the header section is incomplete. An error names a
// Content-Length that cannot frame the stream.
struct StreamFrame {
  std::size_t size = 0;
};
[[nodiscard]] std::expected<std::optional<StreamFrame>, ParseError> frame_stream(
    std::string_view bytes);

}  // namespace orbit::sip
