// The INVITE (RFC 3261 §17.2.1, RFC 6026 §7.1) and non-INVITE (§17.2.2) server state machines.
#include "sip/server_transaction.hpp"

#include <algorithm>
#include <utility>

#include "sip/message_builder.hpp"

namespace orbit::sip {
namespace {

bool is_provisional(int status) {
  return status >= 100 && status < 200;
}
bool is_success(int status) {
  return status >= 200 && status < 300;
}

std::string trying_for(const Message& request, const Endpoint& peer) {
  auto via = stamp_via(request.top_via(), peer.address, peer.port);
  return make_response(request, 100, "Trying", {}, via).build();
}

}  // namespace

ServerTransaction::ServerTransaction(const Message& request, const Endpoint& peer,
                                     const TimerConfig& timers)
    : timers_(timers),
      peer_(peer),
      invite_(request.method() == "INVITE"),
      reliable_(is_reliable(peer.transport)),
      rfc2543_(!request.top_via().has_rfc3261_branch()) {
  if (invite_) {
    // Sent at once rather than after 200 ms: Orbit's TU answers from memory, and the 100 stops
    // the INVITE retransmissions of a UDP client either way.
    state_ = ServerState::Proceeding;
    last_response_ = trying_for(request, peer);
  }
}

std::optional<TimePoint> ServerTransaction::next_deadline() const {
  if (retransmit_at_ && end_at_) return std::min(*retransmit_at_, *end_at_);
  return retransmit_at_ ? retransmit_at_ : end_at_;
}

std::optional<std::string> ServerTransaction::on_retransmission() const {
  switch (state_) {
    case ServerState::Proceeding:
    case ServerState::Completed:
      if (!last_response_.empty()) return last_response_;
      return std::nullopt;
    default:
      // Trying: nothing to answer with yet. Confirmed, Accepted: absorbed (RFC 6026 §7.1).
      return std::nullopt;
  }
}

AckDisposition ServerTransaction::on_ack(TimePoint now) {
  if (state_ == ServerState::Accepted) return AckDisposition::PassToTu;
  if (state_ == ServerState::Completed) {
    state_ = ServerState::Confirmed;
    retransmit_at_.reset();
    end_state_after(timers_.t4_for(reliable_), now);  // Timer I
  }
  return AckDisposition::Absorb;
}

std::expected<void, std::string> ServerTransaction::on_response(std::string bytes, int status,
                                                                TimePoint now) {
  if (status < 100 || status > 699) return std::unexpected("status out of range");
  auto ok = invite_ ? on_invite_response(status, now) : on_non_invite_response(status, now);
  if (!ok) return ok;
  last_response_ = std::move(bytes);
  if (rfc2543_ && status >= 200) remember_to_tag();
  return {};
}

std::expected<void, std::string> ServerTransaction::on_invite_response(int status, TimePoint now) {
  if (state_ == ServerState::Accepted) {
    // The TU retransmits its 2xx until the ACK (§13.3.1.4); the transaction passes them on.
    if (is_success(status)) return {};
    return std::unexpected("the INVITE was already answered with a 2xx");
  }
  if (state_ != ServerState::Proceeding) return std::unexpected("the INVITE was already answered");
  if (is_provisional(status)) return {};
  if (is_success(status)) {
    state_ = ServerState::Accepted;
    end_state_after(timers_.transaction_timeout(), now);  // Timer L
    return {};
  }
  state_ = ServerState::Completed;
  if (!reliable_) {
    retransmit_interval_ = timers_.first_interval();
    retransmit_at_ = now + retransmit_interval_;  // Timer G
  }
  end_state_after(timers_.transaction_timeout(), now);  // Timer H
  return {};
}

std::expected<void, std::string> ServerTransaction::on_non_invite_response(int status,
                                                                           TimePoint now) {
  if (state_ == ServerState::Completed) return std::unexpected("the request was already answered");
  if (is_provisional(status)) {
    state_ = ServerState::Proceeding;
    return {};
  }
  state_ = ServerState::Completed;
  end_state_after(timers_.timer_j_for(reliable_), now);  // Timer J
  return {};
}

ServerTimerResult ServerTransaction::on_timer(TimePoint now) {
  ServerTimerResult result;
  if (end_at_ && *end_at_ <= now) {
    result.ack_timed_out = state_ == ServerState::Completed && invite_;  // Timer H
    state_ = ServerState::Terminated;
    end_at_.reset();
    retransmit_at_.reset();
    return result;
  }
  if (retransmit_at_ && *retransmit_at_ <= now) {  // Timer G
    result.resend = last_response_;
    retransmit_interval_ = timers_.doubled_capped(retransmit_interval_);
    retransmit_at_ = now + retransmit_interval_;
  }
  return result;
}

void ServerTransaction::remember_to_tag() {
  if (auto response = Message::parse(last_response_)) {
    response_to_tag_ = std::string(response->to().tag());
  }
}

void ServerTransaction::end_state_after(Duration d, TimePoint now) {
  if (d <= Duration{0}) {
    state_ = ServerState::Terminated;
    end_at_.reset();
    retransmit_at_.reset();
    return;
  }
  end_at_ = now + d;
}

}  // namespace orbit::sip
