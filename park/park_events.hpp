// Every transition of a parked call as a value, in the order it happened: what pbx/ acts on and
// what a supervisor sees. Each carries the call as it is once the transition is done (for a call
// that leaves, as it was when it left).
#pragma once

#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "park/ids.hpp"
#include "park/lot_config.hpp"
#include "park/park_clock.hpp"
#include "park/park_error.hpp"
#include "park/parked_call.hpp"
#include "park/slot_key.hpp"

namespace orbit::park {

// The call took its slot. pbx/: play hold_audio to the caller, tell the parker the slot, light
// the slot's lamps.
struct CallParked {
  ParkedCall call;
  HoldAudio hold_audio;
  TimePoint at;
};

// Someone took the call from its slot; it is an ordinary call again. pbx/: stop the hold audio,
// bridge the caller to the retriever, stop any recall ringing, turn the lamps off.
struct CallRetrieved {
  ParkedCall call;
  Extension retriever;
  Duration waited;
  TimePoint at;
};

// The call waited its lot's timeout; a RecallStarted follows at once. Nothing to do but tell.
struct ParkTimedOut {
  ParkedCall call;
  Duration waited;
  TimePoint at;
};

// pbx/: ring every extension of `ring` (caller ID naming the slot and the caller) while the
// caller keeps hearing its hold audio; report recall_answered or recall_unanswered. The domain
// ends the ring itself after ring_time (RecallUnanswered).
struct RecallStarted {
  ParkedCall call;
  RecallTarget target;
  std::vector<Extension> ring;
  Duration ring_time;
  TimePoint at;
};

// A recalled phone answered; the call leaves the lot (resolution: timed out). pbx/: bridge the
// caller to that phone, cancel the other forks, stop the hold audio, turn the lamps off.
struct RecallAnswered {
  ParkedCall call;
  RecallTarget target;
  Extension answered_by;
  Duration waited;
  TimePoint at;
};

// Nobody answered that recall. pbx/: cancel its ringing. A RecallStarted (fallback) or a
// CallEscalated follows at once.
struct RecallUnanswered {
  ParkedCall call;
  RecallTarget target;
  TimePoint at;
};

// Nobody answered any recall: the call waits in its same slot again, flagged, for another
// timeout. pbx/: nothing changes for the caller; a supervisor should be alerted.
struct CallEscalated {
  ParkedCall call;
  Duration waited;
  TimePoint at;
};

// The caller hung up while parked (or while recalled): the slot is free. pbx/: stop the hold
// audio, cancel any recall ringing, turn the lamps off.
struct CallAbandoned {
  ParkedCall call;
  Duration waited;
  TimePoint at;
};

// A park was refused; the call stays with the parker. pbx/: answer the parker with the error.
struct ParkRefused {
  CallRef call;
  TenantId tenant;
  LotName lot;
  std::optional<SlotKey> slot;  // the slot asked for, if directed
  CallerId caller;
  Extension parker;
  ParkError error;
  TimePoint at;
};

// A retrieve was refused. pbx/: tell the retriever (prompt, status with the reason).
struct RetrieveRefused {
  TenantId tenant;
  SlotKey slot;
  Extension retriever;
  ParkError error;
  TimePoint at;
};

using ParkEvent =
    std::variant<CallParked, CallRetrieved, ParkTimedOut, RecallStarted, RecallAnswered,
                 RecallUnanswered, CallEscalated, CallAbandoned, ParkRefused, RetrieveRefused>;

// "parked", "retrieved", "timed-out", "recall-started", "recall-answered", "recall-unanswered",
// "escalated", "abandoned", "park-refused", "retrieve-refused".
[[nodiscard]] std::string_view event_name(const ParkEvent& event);
[[nodiscard]] TimePoint event_time(const ParkEvent& event);
// The parked call the event is about; none for refusals.
[[nodiscard]] const ParkedCall* event_call(const ParkEvent& event);
// How the call left its slot, for the events after which it is no longer parked.
[[nodiscard]] std::optional<Resolution> resolution_of(const ParkEvent& event);

}  // namespace orbit::park
