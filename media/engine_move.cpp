// A media thread's side of moving legs between threads: expecting a leg, exporting one,
// importing one, and the commands that wait for a leg on its way.
#include "media/engine_core.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace orbit::media {

bool EngineCore::must_wait(LegId a, LegId b) const {
  if (arriving_.empty() && waiting_.empty()) return false;
  for (LegId id : {a, b}) {
    if (id == 0) continue;
    if (arriving_.contains(id)) return true;
    if (std::ranges::any_of(waiting_, [id](const Waiting& w) { return w.a == id || w.b == id; }))
      return true;
  }
  return false;
}

void EngineCore::wait(LegId a, LegId b, Command command) {
  waiting_.push_back({.a = a, .b = b, .run = std::move(command)});
}

void EngineCore::replay() {
  // Each command asks must_wait again: one still held back goes to the end of waiting_, which
  // holds only the commands already replayed and held back, so the order is kept.
  auto commands = std::exchange(waiting_, {});
  for (auto& command : commands) command.run();
}

void EngineCore::expect_leg(LegId id) {
  // A leg moving back before its previous arrival here: expected once that one has arrived.
  if (must_wait(id)) return wait(id, 0, [this, id] { expect_leg(id); });
  arriving_.insert(id);
}

void EngineCore::export_leg(LegId id, DeliverLeg deliver) {
  if (must_wait(id)) {
    return wait(id, 0,
                [this, id, d = std::move(deliver)]() mutable { export_leg(id, std::move(d)); });
  }
  const auto found = legs_.find(id);
  if (found == legs_.end()) {
    deliver(LegInTransit{.id = id, .leg = nullptr, .fd = OwnedFd()});  // not waited for any more
    return;
  }
  Leg& leg = *found->second;
  detach(leg);
  boost::system::error_code ec;
  const auto protocol = leg.socket.local_endpoint(ec).protocol();
  // Cancels the pending wait (operation_aborted); one that already completed is told stale by
  // the move count.
  OwnedFd fd(leg.socket.release(ec));
  if (ec) spdlog::error("media: leg {}: cannot take its socket out: {}", id, ec.message());
  ++leg.moves;
  LegInTransit moving{
      .id = id, .leg = std::move(found->second), .protocol = protocol, .fd = std::move(fd)};
  legs_.erase(found);
  counters_.legs.store(legs_.size(), std::memory_order_relaxed);
  deliver(std::move(moving));
}

void EngineCore::import_leg(LegInTransit moving) {
  if (!arriving_.erase(moving.id)) spdlog::error("media: leg {} arrived unexpected", moving.id);
  if (moving.leg) settle(std::move(moving));
  replay();
}

void EngineCore::settle(LegInTransit moving) {
  Leg& leg = *moving.leg;
  // The released socket still names the old thread's io_context: replaced before anything.
  leg.socket = Udp::socket(io_);
  boost::system::error_code ec;
  if (moving.fd.get() < 0) ec = boost::asio::error::bad_descriptor;
  if (!ec) leg.socket.assign(moving.protocol, moving.fd.get(), ec);
  if (!ec) {
    (void)moving.fd.release();
    // Asio forgets that the descriptor is non-blocking: a read would then block the thread.
    leg.socket.non_blocking(true, ec);
  }
  if (ec || !running_ || find(moving.id)) {
    if (ec) spdlog::error("media: leg {} lost its socket on the way: {}", moving.id, ec.message());
    boost::system::error_code ignored;
    leg.socket.close(ignored);
    if (release_port_) release_port_(leg.port);
    return;
  }
  legs_.emplace(moving.id, std::move(moving.leg));
  counters_.legs.store(legs_.size(), std::memory_order_relaxed);
  wait_for_rtp(leg);
}

}  // namespace orbit::media
