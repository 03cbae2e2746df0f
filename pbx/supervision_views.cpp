// The supervisor's view of calls: states as people name them, parties, durations.
#include <fmt/format.h>

#include "pbx/call_control.hpp"
#include "sip/uri.hpp"

namespace orbit::pbx {
namespace {

PartyView party(const Leg& leg) {
  auto id = identity_of(leg);
  return {std::move(id.number), std::move(id.display_name)};
}

std::string state_of(const Call& call) {
  switch (call.stage) {
    case CallStage::Ringing: return "ringing";
    case CallStage::Parked: return call.dial ? "recalling" : "parked";
    case CallStage::Announcing: return "announcement";
    case CallStage::Ended: return "ended";
    case CallStage::Talking:
      if (call.transfer) return "transferring";
      return call.a.holds || (call.b && call.b->holds) ? "on hold" : "talking";
  }
  return "unknown";
}

}  // namespace

std::vector<CallView> CallControl::views(const std::string& tenant, sip::TimePoint now) const {
  std::vector<CallView> out;
  for (const auto& [id, call] : calls_) {
    if (!call.tenant || call.tenant->domain != tenant || call.stage == CallStage::Ended) continue;
    CallView v;
    v.id = id;
    v.tenant = tenant;
    v.state = state_of(call);
    v.parties.push_back(party(call.a));
    if (call.b) v.parties.push_back(party(*call.b));
    v.duration = std::chrono::duration_cast<std::chrono::milliseconds>(now - call.started);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace orbit::pbx
