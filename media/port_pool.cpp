// RTP port pool: FIFO of free ports over a configured range.
#include "media/port_pool.hpp"

namespace orbit::media {

PortPool::PortPool(std::uint16_t first, std::uint16_t last, std::optional<std::uint16_t> reserved) {
  for (std::uint32_t port = first; port <= last && first != 0; ++port) {
    if (port != reserved) free_.push_back(static_cast<std::uint16_t>(port));
  }
  capacity_ = free_.size();
}

std::optional<std::uint16_t> PortPool::acquire() {
  if (free_.empty()) return std::nullopt;
  const auto port = free_.front();
  free_.pop_front();
  return port;
}

void PortPool::release(std::uint16_t port) {
  free_.push_back(port);
}

}  // namespace orbit::media
