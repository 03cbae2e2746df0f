// SipService as the supervisor's source: calls, lots and slots, registrations, and park events
// turned into supervision events.
#include <fmt/format.h>

#include "pbx/park_codes.hpp"
#include "pbx/sip_service.hpp"

namespace orbit::pbx {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

std::chrono::milliseconds ms(park::Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d);
}

std::string stage_name(park::RecallStage stage) {
  switch (stage) {
    case park::RecallStage::InSlot: return "in slot";
    case park::RecallStage::RingingParker: return "ringing parker";
    case park::RecallStage::RingingFallback: return "ringing fallback";
  }
  return "unknown";
}

SlotView slot_view(const Tenant& tenant, const park::ParkedCall& p, sip::TimePoint now) {
  SlotView v;
  v.slot = retrieve_hint(tenant, p.slot);
  v.call = p.call.value;
  v.caller = PartyView{p.caller.number, p.caller.display_name};
  v.parker = p.parker.str();
  v.note = p.note;
  v.waited = ms(p.waited(now));
  v.stage = stage_name(p.stage);
  v.escalated = p.escalated;
  return v;
}

// Fills what every event about a parked call carries.
void describe(SupervisionEvent& e, const park::ParkedCall& p) {
  e.tenant = p.tenant.str();
  e.call = p.call.value;
  e.lot = p.lot.str();
  e.slot = park::to_string(p.slot);
  e.caller = PartyView{p.caller.number, p.caller.display_name};
  e.parker = p.parker.str();
  e.note = p.note;
  if (p.for_user) {
    e.for_user = p.for_user->str();
  } else if (const auto* user = std::get_if<park::UserSlot>(&p.slot)) {
    e.for_user = user->user.str();
  }
}

}  // namespace

std::vector<CallView> SipService::calls(const std::string& tenant) const {
  return calls_.views(tenant, clock_ ? clock_() : last_now_);
}

std::vector<LotView> SipService::lots(const std::string& tenant) const {
  std::vector<LotView> out;
  const auto* t = directory_.tenant_for_host(tenant);
  if (!t) return out;
  auto now = clock_ ? clock_() : last_now_;
  park::TenantId tid(t->domain);
  for (const auto& lot : lot_configs_) {
    if (lot.tenant != tid) continue;
    LotView v{t->domain, lot.name.str(), lot.park_code,
              std::chrono::duration_cast<std::chrono::seconds>(lot.timeout),
              std::chrono::duration_cast<std::chrono::seconds>(lot.warn_after), {}};
    if (lot.slots) {
      for (auto n = lot.slots->first.value; n <= lot.slots->last.value; ++n) {
        const auto* p = parking_.occupant(tid, park::SlotNumber{n});
        if (p) {
          v.slots.push_back(slot_view(*t, *p, now));
        } else {
          SlotView free;
          free.slot = std::to_string(n);
          v.slots.push_back(std::move(free));
        }
      }
    } else {
      for (const auto& p : parking_.parked_in(tid, lot.name)) v.slots.push_back(slot_view(*t, p, now));
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<RegistrationView> SipService::registrations(const std::string& tenant) const {
  std::vector<RegistrationView> out;
  auto now = clock_ ? clock_() : last_now_;
  for (const auto& [aor, b] : locations_.of_tenant(tenant, now)) {
    out.push_back({aor.domain, aor.extension, b.uri,
                   fmt::format("{}:{}:{}", sip::transport_name(b.source.transport),
                               b.source.address, b.source.port),
                   std::chrono::duration_cast<std::chrono::seconds>(b.expires_at - now)});
  }
  return out;
}

namespace {

std::chrono::sys_seconds wall_clock() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace

std::expected<ParkOutcome, ActionError> SipService::park_call(const Actor& actor,
                                                              std::uint64_t call,
                                                              std::optional<std::string> for_user,
                                                              std::optional<std::string> note) {
  auto now = clock_ ? clock_() : last_now_;
  auto result = calls_.park_call(actor, call, std::move(for_user), std::move(note), now);
  run_actions(now, wall_clock());
  return result;
}

std::expected<PickUpOutcome, ActionError> SipService::pick_up(const Actor& actor,
                                                              const std::string& slot,
                                                              const std::string& extension) {
  auto now = clock_ ? clock_() : last_now_;
  auto result = calls_.pick_up(actor, slot, extension, now);
  run_actions(now, wall_clock());
  return result;
}

std::expected<void, ActionError> SipService::hang_up(const Actor& actor, std::uint64_t call) {
  auto now = clock_ ? clock_() : last_now_;
  auto result = calls_.hang_up(actor, call, now);
  run_actions(now, wall_clock());
  return result;
}

void SipService::subscribe(std::function<void(const SupervisionEvent&)> handler) {
  subscribers_.push_back(std::move(handler));
}

void SipService::publish(const park::ParkEvent& event) {
  if (subscribers_.empty()) return;
  SupervisionEvent e;
  e.type = std::string(park::event_name(event));
  e.at = std::chrono::system_clock::now();
  if (const auto* call = park::event_call(event)) describe(e, *call);
  std::visit(Overloaded{
                 [&](const park::CallRetrieved& r) {
                   e.by = r.retriever.str();
                   e.waited = ms(r.waited);
                 },
                 [&](const park::RecallAnswered& r) {
                   e.by = r.answered_by.str();
                   e.waited = ms(r.waited);
                 },
                 [&](const park::CallAbandoned& r) { e.waited = ms(r.waited); },
                 [&](const park::CallEscalated& r) { e.waited = ms(r.waited); },
                 [&](const park::ParkTimedOut& r) { e.waited = ms(r.waited); },
                 [&](const park::ParkRefused& r) {
                   e.tenant = r.tenant.str();
                   e.call = r.call.value;
                   e.lot = r.lot.str();
                   if (r.slot) e.slot = park::to_string(*r.slot);
                   e.caller = PartyView{r.caller.number, r.caller.display_name};
                   e.parker = r.parker.str();
                   e.reason = r.error.reason;
                 },
                 [&](const park::RetrieveRefused& r) {
                   e.tenant = r.tenant.str();
                   e.slot = park::to_string(r.slot);
                   e.by = r.retriever.str();
                   e.reason = r.error.reason;
                 },
                 [&](const auto&) {},
             },
             event);
  for (const auto& s : subscribers_) s(e);
}

}  // namespace orbit::pbx
