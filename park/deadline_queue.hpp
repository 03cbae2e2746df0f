// Parked calls ordered by their next deadline: add, move, cancel and pop in O(log n), no scan.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>

#include "park/ids.hpp"
#include "park/park_clock.hpp"

namespace orbit::park {

class DeadlineQueue {
 public:
  struct Due {
    CallRef call;
    TimePoint when;
  };

  // Sets the call's one deadline, replacing the one it had.
  void schedule(CallRef call, TimePoint when);
  void cancel(CallRef call);

  // The earliest deadline, if any.
  [[nodiscard]] std::optional<TimePoint> next() const;

  // The earliest deadline at or before now, taken out of the queue; equal deadlines come out in
  // the order they were set.
  [[nodiscard]] std::optional<Due> pop_due(TimePoint now);

  [[nodiscard]] std::size_t size() const { return by_call_.size(); }
  [[nodiscard]] bool empty() const { return by_call_.empty(); }

 private:
  struct Key {
    TimePoint when;
    std::uint64_t order;  // ties broken by the order deadlines were set

    friend auto operator<=>(const Key&, const Key&) = default;
  };

  std::map<Key, CallRef> by_time_;
  std::unordered_map<CallRef, Key> by_call_;
  std::uint64_t next_order_ = 0;
};

}  // namespace orbit::park
