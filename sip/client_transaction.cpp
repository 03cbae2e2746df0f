// The INVITE (RFC 3261 §17.1.1, RFC 6026 §7.2) and non-INVITE (§17.1.2) client state machines.
#include "sip/client_transaction.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "sip/message_builder.hpp"

namespace orbit::sip {

ClientTransaction::ClientTransaction(Message request, const Endpoint& peer,
                                     const TimerConfig& timers, TimePoint now)
    : timers_(timers),
      request_(std::move(request)),
      peer_(peer),
      invite_(request_.method() == "INVITE"),
      reliable_(is_reliable(peer.transport)),
      state_(invite_ ? ClientState::Calling : ClientState::Trying) {
  if (!reliable_) {
    retransmit_interval_ = timers_.first_interval();
    retransmit_at_ = now + retransmit_interval_;  // Timer A or E
  }
  end_at_ = now + timers_.transaction_timeout();  // Timer B or F
}

std::optional<TimePoint> ClientTransaction::next_deadline() const {
  if (retransmit_at_ && end_at_) return std::min(*retransmit_at_, *end_at_);
  return retransmit_at_ ? retransmit_at_ : end_at_;
}

ClientResponseResult ClientTransaction::on_response(const Message& response, TimePoint now) {
  if (response.status() < 100) return {};
  return invite_ ? on_invite_response(response, now)
                 : on_non_invite_response(response.status(), now);
}

ClientResponseResult ClientTransaction::on_invite_response(const Message& response, TimePoint now) {
  const int status = response.status();
  const bool waiting = state_ == ClientState::Calling || state_ == ClientState::Proceeding;
  if (status < 200) {
    if (!waiting) return {};
    // Proceeding has no timer: from now on the TU ends the wait with a CANCEL.
    state_ = ClientState::Proceeding;
    retransmit_at_.reset();
    end_at_.reset();
    return {.pass_to_tu = true};
  }
  if (status < 300) {
    // Every 2xx goes up, forks included; the TU (dialog) sends the ACK (RFC 6026 §7.2).
    if (state_ == ClientState::Accepted) return {.pass_to_tu = true};
    if (!waiting) return {};
    state_ = ClientState::Accepted;
    retransmit_at_.reset();
    end_state_after(timers_.transaction_timeout(), now);  // Timer M
    return {.pass_to_tu = true};
  }
  if (state_ == ClientState::Completed) return {.ack = ack_};  // a retransmitted final response
  if (!waiting) return {};
  state_ = ClientState::Completed;
  retransmit_at_.reset();
  ack_ = make_non_2xx_ack(request_, response);
  ClientResponseResult result{.pass_to_tu = true, .ack = ack_};
  end_state_after(timers_.timer_d_for(reliable_), now);  // Timer D
  return result;
}

ClientResponseResult ClientTransaction::on_non_invite_response(int status, TimePoint now) {
  if (state_ != ClientState::Trying && state_ != ClientState::Proceeding) return {};
  if (status < 200) {
    state_ = ClientState::Proceeding;  // Timer E keeps running, then at T2
    return {.pass_to_tu = true};
  }
  state_ = ClientState::Completed;
  retransmit_at_.reset();
  end_state_after(timers_.t4_for(reliable_), now);  // Timer K
  return {.pass_to_tu = true};
}

ClientTimerResult ClientTransaction::on_timer(TimePoint now) {
  ClientTimerResult result;
  if (end_at_ && *end_at_ <= now) {
    result.timed_out = state_ == ClientState::Calling || state_ == ClientState::Trying ||
                       state_ == ClientState::Proceeding;  // Timer B or F
    state_ = ClientState::Terminated;
    end_at_.reset();
    retransmit_at_.reset();
    return result;
  }
  if (retransmit_at_ && *retransmit_at_ <= now) {
    result.resend = std::string(request_.bytes());
    retransmit_interval_ = next_interval();
    retransmit_at_ = now + retransmit_interval_;
  }
  return result;
}

Duration ClientTransaction::next_interval() const {
  if (invite_) return 2 * retransmit_interval_;  // Timer A: no cap, Timer B ends it
  if (state_ == ClientState::Proceeding) return std::max(timers_.t2, Duration{1});
  return timers_.doubled_capped(retransmit_interval_);  // Timer E
}

void ClientTransaction::end_state_after(Duration d, TimePoint now) {
  if (d <= Duration{0}) {
    state_ = ClientState::Terminated;
    end_at_.reset();
    retransmit_at_.reset();
    return;
  }
  end_at_ = now + d;
}

std::string make_non_2xx_ack(const Message& invite, const Message& response) {
  auto b = MessageBuilder::request("ACK", invite.request_uri().raw);
  b.header("Via", invite.top_via().raw);
  for (auto route : invite.header_values(HeaderId::Route)) b.header("Route", route);
  b.header("Max-Forwards", "70");
  b.header("From", invite.header(HeaderId::From).value_or(""));
  b.header("To", response.header(HeaderId::To).value_or(""));
  b.header("Call-ID", invite.call_id());
  b.header("CSeq", fmt::format("{} ACK", invite.cseq().number));
  return b.build();
}

}  // namespace orbit::sip
