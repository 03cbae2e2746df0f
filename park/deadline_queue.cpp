// The deadline queue: an ordered map by (deadline, order) and an index by call.
#include "park/deadline_queue.hpp"

namespace orbit::park {

void DeadlineQueue::schedule(CallRef call, TimePoint when) {
  cancel(call);
  Key key{when, next_order_++};
  by_time_.emplace(key, call);
  by_call_.emplace(call, key);
}

void DeadlineQueue::cancel(CallRef call) {
  auto found = by_call_.find(call);
  if (found == by_call_.end()) return;
  by_time_.erase(found->second);
  by_call_.erase(found);
}

std::optional<TimePoint> DeadlineQueue::next() const {
  if (by_time_.empty()) return std::nullopt;
  return by_time_.begin()->first.when;
}

std::optional<DeadlineQueue::Due> DeadlineQueue::pop_due(TimePoint now) {
  if (by_time_.empty() || by_time_.begin()->first.when > now) return std::nullopt;
  auto first = by_time_.begin();
  Due due{first->second, first->first.when};
  by_call_.erase(first->second);
  by_time_.erase(first);
  return due;
}

}  // namespace orbit::park
