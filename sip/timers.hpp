// Transaction timer values of RFC 3261 §17 (Table 4) and RFC 6026, derived from T1, T2, T4.
#pragma once

#include <algorithm>
#include <chrono>

namespace orbit::sip {

using Duration = std::chrono::milliseconds;

struct TimerConfig {
  Duration t1{500};   // round-trip estimate: first retransmission interval
  Duration t2{4000};  // cap of the non-INVITE request and INVITE response retransmission interval
  Duration t4{5000};  // how long a message may stay in the network
  Duration timer_d{32000};  // client INVITE waiting for response retransmissions (RFC: > 32 s)

  // The first retransmission interval; never zero, so that a retransmission timer always
  // moves forward.
  [[nodiscard]] Duration first_interval() const { return std::max(t1, Duration{1}); }

  // Timers B, F, H, J (unreliable), L and M: 64·T1.
  [[nodiscard]] Duration transaction_timeout() const { return 64 * t1; }

  // Timer D: how long a completed client INVITE absorbs final response retransmissions.
  [[nodiscard]] Duration timer_d_for(bool reliable) const {
    return reliable ? Duration{0} : timer_d;
  }

  // Timers I and K: T4 over an unreliable transport, zero over a reliable one.
  [[nodiscard]] Duration t4_for(bool reliable) const { return reliable ? Duration{0} : t4; }

  // Timer J: 64·T1 over an unreliable transport, zero over a reliable one.
  [[nodiscard]] Duration timer_j_for(bool reliable) const {
    return reliable ? Duration{0} : transaction_timeout();
  }

  // The retransmission interval after `current`: doubled, then capped at T2 (Timers E and G).
  [[nodiscard]] Duration doubled_capped(Duration current) const {
    return std::min(2 * current, std::max(t2, Duration{1}));
  }
};

}  // namespace orbit::sip
