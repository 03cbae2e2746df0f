// The RTP port pool: a configurable range, ports handed out oldest-released first so that a
// port just given back (whose old far end may still send) is reused as late as possible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

namespace orbit::media {

class PortPool {
 public:
  // Every port of [first, last] except `reserved` (the shared RTCP port).
  PortPool(std::uint16_t first, std::uint16_t last, std::optional<std::uint16_t> reserved = {});

  // The next free port; nullopt when every port is taken.
  [[nodiscard]] std::optional<std::uint16_t> acquire();
  void release(std::uint16_t port);
  [[nodiscard]] std::size_t available() const { return free_.size(); }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }

 private:
  std::deque<std::uint16_t> free_;
  std::size_t capacity_ = 0;
};

}  // namespace orbit::media
