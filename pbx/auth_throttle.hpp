// Throttling of repeated authentication failures per source address.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sip/endpoint.hpp"

namespace orbit::pbx {

// More than `max_failures` failures from one source address within a minute blocks that
// address for `block_time`. Only that address is blocked: users elsewhere are never locked out
// by somebody else's failures.
class AuthThrottle {
 public:
  AuthThrottle(std::size_t max_failures, std::chrono::seconds block_time)
      : max_failures_(max_failures), block_time_(block_time) {}

  [[nodiscard]] bool is_blocked(std::string_view address, sip::TimePoint now) const;
  // Records a failure; returns true when this failure starts a block.
  bool record_failure(std::string_view address, sip::TimePoint now);
  // Forgets sources whose window and block are over, so the table cannot grow without bound.
  void prune(sip::TimePoint now);
  [[nodiscard]] std::size_t tracked() const { return sources_.size(); }

 private:
  struct Source {
    std::deque<sip::TimePoint> failures;
    sip::TimePoint blocked_until{};
  };
  std::size_t max_failures_;
  std::chrono::seconds block_time_;
  std::unordered_map<std::string, Source> sources_;
};

}  // namespace orbit::pbx
