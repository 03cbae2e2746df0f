// Test helpers for the transaction layer: messages to order, simulated time, action filters.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sip/message_builder.hpp"
#include "sip/transaction_layer.hpp"

namespace orbit::sip::test {

using namespace std::chrono_literals;

inline const Endpoint kPhoneUdp{Transport::Udp, "192.0.2.10", 5062, 0};
inline const Endpoint kPhoneTcp{Transport::Tcp, "192.0.2.10", 5062, 7};
inline const TimePoint kStart{};

struct RequestSpec {
  std::string method = "OPTIONS";
  std::string branch = "z9hG4bK-1";  // empty: an RFC 2543 request without branch
  std::string transport = "UDP";
  std::string sent_by = "192.0.2.10:5062";
  std::string uri = "sip:700@orbit.example";
  std::string call_id = "call-1@192.0.2.10";
  std::string from_tag = "from-1";
  std::string to_tag{};
  std::uint32_t cseq = 1;
  std::string cseq_method{};  // empty: same as method
  std::string extra_headers{};
};

[[nodiscard]] inline std::string request_bytes(const RequestSpec& s) {
  auto branch = s.branch.empty() ? std::string{} : ";branch=" + s.branch;
  auto to_tag = s.to_tag.empty() ? std::string{} : ";tag=" + s.to_tag;
  return fmt::format(
      "{} {} SIP/2.0\r\n"
      "Via: SIP/2.0/{} {}{}\r\n"
      "Max-Forwards: 70\r\n"
      "From: <sip:201@orbit.example>;tag={}\r\n"
      "To: <sip:700@orbit.example>{}\r\n"
      "Call-ID: {}\r\n"
      "CSeq: {} {}\r\n"
      "{}"
      "Content-Length: 0\r\n\r\n",
      s.method, s.uri, s.transport, s.sent_by, branch, s.from_tag, to_tag, s.call_id, s.cseq,
      s.cseq_method.empty() ? s.method : s.cseq_method, s.extra_headers);
}

[[nodiscard]] inline Message parse(std::string_view bytes) {
  auto m = Message::parse(bytes);
  EXPECT_TRUE(m.has_value()) << bytes;
  return std::move(*m);
}

[[nodiscard]] inline Message request(const RequestSpec& s) {
  return parse(request_bytes(s));
}

// The response a TU would build to `spec`, To tag added above 100.
[[nodiscard]] inline std::string response_bytes(const RequestSpec& spec, int status,
                                                std::string_view to_tag = "uas-1") {
  auto req = request(spec);
  return make_response(req, status, reason_phrase(status), to_tag).build();
}

[[nodiscard]] inline Message response(const RequestSpec& spec, int status,
                                      std::string_view to_tag = "uas-1") {
  return parse(response_bytes(spec, status, to_tag));
}

template <class T>
[[nodiscard]] std::vector<const T*> only(const std::vector<Action>& actions) {
  std::vector<const T*> out;
  for (const auto& a : actions) {
    if (const auto* t = std::get_if<T>(&a)) out.push_back(t);
  }
  return out;
}
// The pointers would dangle: keep the actions in a variable first.
template <class T>
std::vector<const T*> only(std::vector<Action>&&) = delete;

template <class T>
[[nodiscard]] std::size_t count(const std::vector<Action>& actions) {
  return only<T>(actions).size();
}

// The Send actions among `actions`, copied.
[[nodiscard]] inline std::vector<Send> sends(const std::vector<Action>& actions) {
  std::vector<Send> out;
  for (const auto* s : only<Send>(actions)) out.push_back(*s);
  return out;
}

// An action and when it came, in milliseconds from kStart.
struct Timed {
  std::int64_t at_ms;
  Action action;
};

// Simulated time: fires every deadline up to `until`, in order, and collects what came out.
[[nodiscard]] inline std::vector<Timed> run_until(TransactionLayer& layer, TimePoint until) {
  std::vector<Timed> out;
  while (auto deadline = layer.next_deadline()) {
    if (*deadline > until) break;
    layer.on_timer(*deadline);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - kStart).count();
    for (auto& a : layer.take_actions()) out.push_back({ms, std::move(a)});
  }
  return out;
}

// When actions of kind T came, in milliseconds from kStart.
template <class T>
[[nodiscard]] std::vector<std::int64_t> times_of(const std::vector<Timed>& timeline) {
  std::vector<std::int64_t> out;
  for (const auto& t : timeline) {
    if (std::holds_alternative<T>(t.action)) out.push_back(t.at_ms);
  }
  return out;
}

}  // namespace orbit::sip::test
