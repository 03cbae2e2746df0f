// Tenant-filtered delivery of ready-made WebSocket frames, shared by every stream of a tenant.
// Used on one thread only (the fan-out thread, api/event_fanout.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace orbit::api {

// Something that takes ready-made WebSocket frames; it must not block (it queues or drops).
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void deliver(const std::shared_ptr<const std::string>& frames) = 0;
  virtual void close() = 0;
};

class EventHub {
 public:
  using SubscriptionId = std::uint64_t;

  // Every later event of `tenant` goes to `sink` until unsubscribe or the sink is gone.
  [[nodiscard]] SubscriptionId subscribe(std::string tenant, std::weak_ptr<EventSink> sink);
  void unsubscribe(SubscriptionId id);
  // `frames` (text frames of `{"type":"event","event":{...}}`, one after the other) to every
  // subscriber of `tenant`.
  void publish(const std::string& tenant, const std::shared_ptr<const std::string>& frames);
  void close_all();

  [[nodiscard]] std::size_t subscribers() const { return subscribers_.size(); }

 private:
  struct Subscriber {
    std::string tenant;
    std::weak_ptr<EventSink> sink;
  };
  std::unordered_map<SubscriptionId, Subscriber> subscribers_;
  SubscriptionId next_id_ = 1;
};

}  // namespace orbit::api
