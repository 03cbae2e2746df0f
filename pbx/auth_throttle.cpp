// Sliding one-minute window of authentication failures per source address.
#include "pbx/auth_throttle.hpp"

namespace orbit::pbx {
namespace {
constexpr std::chrono::seconds kWindow{60};
}

bool AuthThrottle::is_blocked(std::string_view address, sip::TimePoint now) const {
  auto it = sources_.find(std::string(address));
  return it != sources_.end() && now < it->second.blocked_until;
}

bool AuthThrottle::record_failure(std::string_view address, sip::TimePoint now) {
  auto& s = sources_[std::string(address)];
  while (!s.failures.empty() && s.failures.front() <= now - kWindow) s.failures.pop_front();
  s.failures.push_back(now);
  if (s.failures.size() > max_failures_ && now >= s.blocked_until) {
    s.blocked_until = now + block_time_;
    s.failures.clear();
    return true;
  }
  return false;
}

void AuthThrottle::prune(sip::TimePoint now) {
  std::erase_if(sources_, [&](const auto& entry) {
    const auto& s = entry.second;
    return now >= s.blocked_until && (s.failures.empty() || s.failures.back() <= now - kWindow);
  });
}

}  // namespace orbit::pbx
