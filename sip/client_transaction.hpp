// Client transactions (RFC 3261 §17.1 with RFC 6026): the INVITE and non-INVITE state machines.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sip/endpoint.hpp"
#include "sip/message.hpp"
#include "sip/timers.hpp"

namespace orbit::sip {

// INVITE: Calling → Proceeding (1xx) → Completed (3xx–6xx) or Accepted (2xx).
// Non-INVITE: Trying → Proceeding (1xx) → Completed (final).
enum class ClientState : std::uint8_t {
  Calling,
  Trying,
  Proceeding,
  Completed,
  Accepted,
  Terminated,
};

struct ClientResponseResult {
  bool pass_to_tu = false;           // hand the response to the TU
  std::optional<std::string> ack{};  // the ACK of a 3xx–6xx final response, to send to peer()
};

struct ClientTimerResult {
  std::optional<std::string> resend{};  // Timer A or E: the request again
  bool timed_out = false;               // Timer B or F: no final response in time
};

class ClientTransaction {
 public:
  // A transaction for `request`, sent by the layer to `peer` at `now`.
  ClientTransaction(Message request, const Endpoint& peer, const TimerConfig& timers,
                    TimePoint now);

  [[nodiscard]] bool is_invite() const { return invite_; }
  [[nodiscard]] ClientState state() const { return state_; }
  [[nodiscard]] const Endpoint& peer() const { return peer_; }
  [[nodiscard]] const Message& request() const { return request_; }
  [[nodiscard]] std::optional<TimePoint> next_deadline() const;

  [[nodiscard]] ClientResponseResult on_response(const Message& response, TimePoint now);
  [[nodiscard]] ClientTimerResult on_timer(TimePoint now);

 private:
  [[nodiscard]] ClientResponseResult on_invite_response(const Message& response, TimePoint now);
  [[nodiscard]] ClientResponseResult on_non_invite_response(int status, TimePoint now);
  // Arms the timer that ends the current state, or terminates at once when it is zero.
  void end_state_after(Duration d, TimePoint now);
  [[nodiscard]] Duration next_interval() const;

  TimerConfig timers_;
  Message request_;
  Endpoint peer_;
  bool invite_ = false;
  bool reliable_ = false;
  ClientState state_ = ClientState::Trying;
  std::string ack_;
  std::optional<TimePoint> retransmit_at_;  // Timers A, E
  Duration retransmit_interval_{};
  std::optional<TimePoint> end_at_;  // Timers B, D, F, K, M
};

// The ACK of a non-2xx final response (RFC 3261 §17.1.1.3): Request-URI, Call-ID, From, CSeq
// number, top Via and Route headers of the INVITE, To of the response.
[[nodiscard]] std::string make_non_2xx_ack(const Message& invite, const Message& response);

}  // namespace orbit::sip
