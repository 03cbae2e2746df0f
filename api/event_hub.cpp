// EventHub: subscribers by tenant; a sink may leave while we deliver, so targets are collected.
#include "api/event_hub.hpp"

#include <vector>

namespace orbit::api {

EventHub::SubscriptionId EventHub::subscribe(std::string tenant, std::weak_ptr<EventSink> sink) {
  const SubscriptionId id = next_id_++;
  subscribers_.emplace(id, Subscriber{std::move(tenant), std::move(sink)});
  return id;
}

void EventHub::unsubscribe(SubscriptionId id) {
  subscribers_.erase(id);
}

void EventHub::publish(const std::string& tenant,
                       const std::shared_ptr<const std::string>& frames) {
  std::vector<std::shared_ptr<EventSink>> targets;
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    auto sink = it->second.sink.lock();
    if (!sink) {
      it = subscribers_.erase(it);
      continue;
    }
    if (it->second.tenant == tenant) targets.push_back(std::move(sink));
    ++it;
  }
  for (const auto& sink : targets) sink->deliver(frames);
}

void EventHub::close_all() {
  std::vector<std::shared_ptr<EventSink>> open;
  for (const auto& [id, subscriber] : subscribers_) {
    if (auto sink = subscriber.sink.lock()) open.push_back(std::move(sink));
  }
  for (const auto& sink : open) sink->close();
}

}  // namespace orbit::api
