// A call waiting in a slot: who it is, who parked it, where, since when, and its recall stage.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "park/ids.hpp"
#include "park/park_clock.hpp"
#include "park/slot_key.hpp"

namespace orbit::park {

// The parked caller as the phones show it.
struct CallerId {
  std::string number;        // "+33123456789"
  std::string display_name;  // "Dupont", may be empty

  friend bool operator==(const CallerId&, const CallerId&) = default;
};

// Where a parked call is in its timeout-and-recall cycle. In every stage the call holds its slot
// and hears the lot's hold audio.
enum class RecallStage {
  InSlot,           // waiting for a retrieve until its timeout
  RingingParker,    // timed out: the parker's phones ring
  RingingFallback,  // the parker did not answer: the lot's fallback rings
};

// Whom a recall rings.
enum class RecallTarget { Parker, Fallback };

// How a parked call left its slot (Asterisk res_parking's resolution). A call that times out is
// recalled, never hung up: TimedOut is how it leaves when a recall is answered.
enum class Resolution {
  Retrieved,  // someone took it from the slot
  Abandoned,  // the caller hung up
  TimedOut,   // a recall (parker or fallback) was answered
  Forced,     // a supervisor ended it (not emitted yet)
};

struct ParkedCall {
  CallRef call;
  TenantId tenant;
  LotName lot;
  SlotKey slot;
  CallerId caller;
  Extension parker;                 // who parked it, and whom its recall rings first
  std::optional<std::string> note;  // "Dupont, HR question"
  std::optional<Extension> for_user;  // the colleague it was parked for, if any
  TimePoint parked_at;              // when it was parked; kept across recall cycles
  TimePoint deadline;               // its next timeout, or the end of the ring of its recall
  RecallStage stage = RecallStage::InSlot;
  bool escalated = false;  // came back to its slot after a recall nobody answered
  unsigned timeouts = 0;   // how many times it timed out

  [[nodiscard]] Duration waited(TimePoint now) const { return now - parked_at; }
};

[[nodiscard]] std::string_view to_string(RecallStage stage);    // "in-slot", "ringing-parker", ...
[[nodiscard]] std::string_view to_string(RecallTarget target);  // "parker", "fallback"
[[nodiscard]] std::string_view to_string(Resolution resolution);  // "retrieved", "abandoned", ...

}  // namespace orbit::park
