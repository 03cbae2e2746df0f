// EventHub: tenant-filtered delivery of one shared serialised message per event.
#include "api/event_hub.hpp"

#include <vector>

#include <nlohmann/json.hpp>

#include "api/json_views.hpp"

namespace orbit::api {

EventHub::SubscriptionId EventHub::subscribe(std::string tenant, std::weak_ptr<EventSink> sink) {
  const SubscriptionId id = next_id_++;
  subscribers_.emplace(id, Subscriber{std::move(tenant), std::move(sink)});
  return id;
}

void EventHub::unsubscribe(SubscriptionId id) {
  subscribers_.erase(id);
}

void EventHub::publish(const pbx::SupervisionEvent& event) {
  std::shared_ptr<const std::string> message;
  // A sink may unsubscribe (drop its connection) while we deliver: collect first.
  std::vector<std::shared_ptr<EventSink>> targets;
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    auto sink = it->second.sink.lock();
    if (!sink) {
      it = subscribers_.erase(it);
      continue;
    }
    if (it->second.tenant == event.tenant) targets.push_back(std::move(sink));
    ++it;
  }
  if (targets.empty()) return;
  message = std::make_shared<const std::string>(
      nlohmann::json{{"type", "event"}, {"event", to_json(event)}}.dump());
  for (const auto& sink : targets) sink->deliver(message);
}

}  // namespace orbit::api
