// A SupervisionSource for tests: fixed views of two tenants, events pushed by hand.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pbx/supervision.hpp"

namespace orbit::api::test {

class FakeSource : public pbx::SupervisionSource {
 public:
  std::vector<pbx::CallView> all_calls;
  std::vector<pbx::LotView> all_lots;
  std::vector<pbx::RegistrationView> all_registrations;
  bool leak_other_tenants = false;  // a buggy source that ignores the tenant it is asked for
  std::vector<std::string> asked;   // tenants the API asked for

  [[nodiscard]] std::vector<pbx::CallView> calls(const std::string& tenant) const override {
    return pick(all_calls, tenant);
  }
  [[nodiscard]] std::vector<pbx::LotView> lots(const std::string& tenant) const override {
    return pick(all_lots, tenant);
  }
  [[nodiscard]] std::vector<pbx::RegistrationView> registrations(
      const std::string& tenant) const override {
    return pick(all_registrations, tenant);
  }
  void subscribe(std::function<void(const pbx::SupervisionEvent&)> handler) override {
    handlers_.push_back(std::move(handler));
  }
  void emit(const pbx::SupervisionEvent& event) {
    for (const auto& handler : handlers_) handler(event);
  }
  [[nodiscard]] std::size_t subscriptions() const { return handlers_.size(); }

 private:
  template <typename View>
  std::vector<View> pick(const std::vector<View>& views, const std::string& tenant) const {
    std::vector<View> out;
    for (const View& view : views) {
      if (leak_other_tenants || view.tenant == tenant) out.push_back(view);
    }
    return out;
  }
  std::vector<std::function<void(const pbx::SupervisionEvent&)>> handlers_;
};

// Two tenants, each with a parked call, a talking call, a lot and a registration.
inline FakeSource two_tenants() {
  using namespace std::chrono_literals;
  FakeSource source;
  for (const std::string tenant : {"a.example", "b.example"}) {
    const std::string mark = tenant.substr(0, 1);
    source.all_calls.push_back(
        pbx::CallView{tenant == "a.example" ? 1U : 2U,
                      tenant,
                      "parked",
                      {{"+3312345678" + mark, "Caller " + mark}, {"100", ""}},
                      42'500ms});
    source.all_lots.push_back(pbx::LotView{
        tenant,
        "main-" + mark,
        "700",
        60s,
        30s,
        {pbx::SlotView{"701", tenant == "a.example" ? 1U : 2U,
                       pbx::PartyView{"+3312345678" + mark, "Caller " + mark}, "100", std::nullopt,
                       12'000ms, "in slot", false},
         pbx::SlotView{"702", std::nullopt, std::nullopt, "", std::nullopt, 0ms, "", false}}});
    source.all_registrations.push_back(pbx::RegistrationView{
        tenant, "100", "sip:100@127.0.0.1:5062", "UDP:127.0.0.1:5062", 3600s});
  }
  return source;
}

inline pbx::SupervisionEvent parked_event(std::string tenant, std::string slot) {
  pbx::SupervisionEvent event;
  event.tenant = std::move(tenant);
  event.type = "parked";
  event.at = std::chrono::system_clock::time_point{} + std::chrono::seconds(1'700'000'000);
  event.call = 7;
  event.lot = "main";
  event.slot = std::move(slot);
  event.caller = pbx::PartyView{"+33123456789", "Alice"};
  event.parker = "100";
  return event;
}

}  // namespace orbit::api::test
