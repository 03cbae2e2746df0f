// The parking service over time: timeouts, recall to the parker then the fallback, escalation
// back to the slot, recall outcomes from pbx/, and callers who hang up.
#include "park/parking_service.hpp"

#include "park/recall.hpp"

namespace orbit::park {
namespace {

std::unexpected<ParkError> unknown_call(CallRef call) {
  return std::unexpected(ParkError{ParkErrorCode::UnknownCall,
                                   "call " + std::to_string(call.value) + " is not parked"});
}

}  // namespace

void ParkingService::schedule(Entry& entry, Duration wait, TimePoint now) {
  entry.call.deadline = now + wait;
  deadlines_.schedule(entry.call.call, entry.call.deadline);
}

void ParkingService::handle_deadlines(TimePoint now) {
  while (auto due = deadlines_.pop_due(now)) on_deadline(due->call, now);
}

void ParkingService::on_deadline(CallRef call, TimePoint now) {
  auto found = calls_.find(call);
  if (found == calls_.end()) return;
  if (found->second.call.stage == RecallStage::InSlot) {
    time_out(found->second, now);
  } else {
    ring_unanswered(found->second, now);
  }
}

void ParkingService::time_out(Entry& entry, TimePoint now) {
  ParkedCall& call = entry.call;
  ++call.timeouts;
  events_.push_back(ParkTimedOut{call, call.waited(now), now});
  RecallStep step = after_timeout(entry.lot->config());
  call.stage = step.stage;
  schedule(entry, step.wait, now);
  start_recall(entry, now);
}

void ParkingService::start_recall(Entry& entry, TimePoint now) {
  const LotConfig& lot = entry.lot->config();
  RecallTarget target = *target_of(entry.call.stage);
  events_.push_back(RecallStarted{entry.call, target, extensions_to_ring(target, entry.call, lot),
                                  lot.recall_ring_time, now});
}

void ParkingService::ring_unanswered(Entry& entry, TimePoint now) {
  ParkedCall& call = entry.call;
  events_.push_back(RecallUnanswered{call, *target_of(call.stage), now});
  RecallStep step = after_unanswered(call.stage, entry.lot->config());
  call.stage = step.stage;
  schedule(entry, step.wait, now);
  if (call.stage == RecallStage::InSlot) {
    call.escalated = true;
    events_.push_back(CallEscalated{call, call.waited(now), now});
  } else {
    start_recall(entry, now);
  }
}

std::expected<ParkedCall, ParkError> ParkingService::recall_answered(CallRef call,
                                                                     const Extension& answered_by,
                                                                     TimePoint now) {
  auto found = calls_.find(call);
  if (found == calls_.end()) return unknown_call(call);
  auto target = target_of(found->second.call.stage);
  if (!target) {
    return std::unexpected(
        ParkError{ParkErrorCode::NotRecalling, "the call on " + describe(found->second.call.slot) +
                                                   " is back in its slot: its recall is over"});
  }
  ParkedCall parked = leave(call, {Resolution::TimedOut, answered_by, now});
  events_.push_back(RecallAnswered{parked, *target, answered_by, parked.waited(now), now});
  return parked;
}

std::expected<void, ParkError> ParkingService::recall_unanswered(CallRef call, RecallTarget target,
                                                                 TimePoint now) {
  auto found = calls_.find(call);
  if (found == calls_.end()) return unknown_call(call);
  if (target_of(found->second.call.stage) != target) {
    return std::unexpected(ParkError{ParkErrorCode::NotRecalling,
                                     "the call on " + describe(found->second.call.slot) +
                                         " is not ringing the " + std::string{to_string(target)}});
  }
  ring_unanswered(found->second, now);
  return {};
}

std::expected<ParkedCall, ParkError> ParkingService::abandon(CallRef call, TimePoint now) {
  if (!calls_.contains(call)) return unknown_call(call);
  ParkedCall parked = leave(call, {Resolution::Abandoned, Extension{}, now});
  events_.push_back(CallAbandoned{parked, parked.waited(now), now});
  return parked;
}

}  // namespace orbit::park
