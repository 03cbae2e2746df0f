// The time the park domain reasons in: steady time passed in by the caller, never read here.
#pragma once

#include <chrono>

namespace orbit::park {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;

}  // namespace orbit::park
