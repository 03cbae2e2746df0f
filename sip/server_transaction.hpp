// Server transactions (RFC 3261 §17.2 with RFC 6026): the INVITE and non-INVITE state machines.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "sip/endpoint.hpp"
#include "sip/message.hpp"
#include "sip/timers.hpp"

namespace orbit::sip {

// INVITE: Proceeding → Completed (3xx–6xx) → Confirmed (ACK), or Proceeding → Accepted (2xx).
// Non-INVITE: Trying → Proceeding (1xx) → Completed (final).
enum class ServerState : std::uint8_t {
  Trying,
  Proceeding,
  Completed,
  Confirmed,
  Accepted,
  Terminated,
};

// What becomes of an ACK that reached an INVITE server transaction.
enum class AckDisposition : std::uint8_t {
  Absorb,    // the ACK of a non-2xx final response, or a retransmission of it
  PassToTu,  // an ACK for a 2xx in Accepted: end to end, the TU (dialog) takes it
};

struct ServerTimerResult {
  std::optional<std::string> resend{};  // Timer G: the final response again
  bool ack_timed_out = false;           // Timer H: no ACK came for the final response
};

class ServerTransaction {
 public:
  // A transaction for a new request from `peer`. An INVITE starts in Proceeding with a
  // 100 Trying in last_response(), for the layer to send at once.
  ServerTransaction(const Message& request, const Endpoint& peer, const TimerConfig& timers);

  [[nodiscard]] bool is_invite() const { return invite_; }
  [[nodiscard]] ServerState state() const { return state_; }
  [[nodiscard]] const Endpoint& peer() const { return peer_; }
  // The last response sent (empty before the first one).
  [[nodiscard]] const std::string& last_response() const { return last_response_; }
  // For an RFC 2543 transaction: the To tag of the final response, which its ACK must carry.
  [[nodiscard]] std::string_view response_to_tag() const { return response_to_tag_; }
  [[nodiscard]] std::optional<TimePoint> next_deadline() const;

  // The request came again: the last response to resend, if the state calls for it.
  [[nodiscard]] std::optional<std::string> on_retransmission() const;
  [[nodiscard]] AckDisposition on_ack(TimePoint now);
  // A response from the TU. On success it is last_response(), for the layer to send; an error
  // names why the state refuses it (e.g. a second final response).
  [[nodiscard]] std::expected<void, std::string> on_response(std::string bytes, int status,
                                                             TimePoint now);
  [[nodiscard]] ServerTimerResult on_timer(TimePoint now);

 private:
  [[nodiscard]] std::expected<void, std::string> on_invite_response(int status, TimePoint now);
  [[nodiscard]] std::expected<void, std::string> on_non_invite_response(int status, TimePoint now);
  void remember_to_tag();
  // Arms the timer that ends the current state, or terminates at once when it is zero.
  void end_state_after(Duration d, TimePoint now);

  TimerConfig timers_;
  Endpoint peer_;
  bool invite_ = false;
  bool reliable_ = false;
  bool rfc2543_ = false;
  ServerState state_ = ServerState::Trying;
  std::string last_response_;
  std::string response_to_tag_;
  std::optional<TimePoint> retransmit_at_;  // Timer G
  Duration retransmit_interval_{};
  std::optional<TimePoint> end_at_;  // Timers H, I, J, L
};

}  // namespace orbit::sip
