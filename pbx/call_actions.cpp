// What the web console asks of calls: park one, have a parked one picked up by an extension,
// hang one up; and the call events its board follows.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "pbx/call_control.hpp"
#include "pbx/park_codes.hpp"
#include "sip/uri.hpp"

namespace orbit::pbx {
namespace {

std::unexpected<ActionError> fail(ActionErrorCode code, std::string message) {
  return std::unexpected(ActionError{code, std::move(message)});
}

bool is_party(const Call& call, const std::string& extension) {
  auto named = [&](const Leg& leg) { return leg.user && leg.user->extension == extension; };
  return named(call.a) || (call.b && named(*call.b));
}

ActionErrorCode action_code(park::ParkErrorCode code) {
  switch (code) {
    case park::ParkErrorCode::NotAllowedToPark:
    case park::ParkErrorCode::NotAllowedToRetrieve: return ActionErrorCode::forbidden;
    case park::ParkErrorCode::UnknownLot:
    case park::ParkErrorCode::UnknownSlot:
    case park::ParkErrorCode::SlotEmpty: return ActionErrorCode::not_found;
    default: return ActionErrorCode::conflict;
  }
}

}  // namespace

void CallControl::publish_call(const Call& call, std::string_view type, sip::TimePoint now) {
  if (!s_.call_event || !call.tenant) return;
  SupervisionEvent e;
  e.tenant = call.tenant->domain;
  e.type = std::string(type);
  e.at = std::chrono::system_clock::now();
  e.call = call.id;
  auto caller = identity_of(call.a);
  e.caller = PartyView{caller.number, caller.display_name};
  if (call.b) {
    e.by = identity_of(*call.b).number;
  } else if (call.dial) {
    e.by = call.dial->extension;
  }
  e.waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - call.started);
  s_.call_event(e);
}

std::expected<ParkOutcome, ActionError> CallControl::park_call(const Actor& actor,
                                                               std::uint64_t id,
                                                               std::optional<std::string> for_user,
                                                               std::optional<std::string> note,
                                                               sip::TimePoint now) {
  auto it = calls_.find(id);
  if (it == calls_.end() || !it->second.tenant || it->second.tenant->domain != actor.tenant ||
      it->second.stage == CallStage::Ended || it->second.stage == CallStage::Announcing) {
    return fail(ActionErrorCode::not_found, fmt::format("no call {}", id));
  }
  auto& call = it->second;
  if (actor.agent && (!actor.extension || !is_party(call, *actor.extension))) {
    return fail(ActionErrorCode::forbidden, fmt::format("call {} is not yours", id));
  }
  if (call.stage != CallStage::Talking || !call.b || call.dial || call.transfer) {
    return fail(ActionErrorCode::conflict,
                fmt::format("call {} is not talking or on hold: it cannot be parked now", id));
  }
  const auto& tenant = *call.tenant;
  if (for_user && !tenant.find_user(*for_user)) {
    return fail(ActionErrorCode::invalid, fmt::format("no extension {}", *for_user));
  }
  if (tenant.first_lot.empty()) {
    return fail(ActionErrorCode::unavailable, "this organisation has no parking lot");
  }
  // The agent's own party is released; a supervisor parks the caller and releases the callee.
  auto parker_side = Side::B;
  if (actor.agent && call.a.user && call.a.user->extension == *actor.extension) parker_side = Side::A;
  auto& parker = call.leg(parker_side);
  auto& parkee = call.leg(parker_side == Side::A ? Side::B : Side::A);
  std::string parker_name = parker.user ? parker.user->extension : parker.name;
  park::ParkRequest request{park::CallRef{call.id},
                            park::TenantId(tenant.domain),
                            park::LotName(tenant.first_lot),
                            std::nullopt,
                            identity_of(parkee),
                            park::Extension(parker_name),
                            true,  // the token's role allowed it
                            std::move(note),
                            for_user ? std::optional(park::Extension(*for_user)) : std::nullopt};
  auto parked = s_.parking.park(request, now);
  if (!parked) {
    drain_park_events(now);
    return fail(action_code(parked.error().code), parked.error().reason);
  }
  spdlog::info("call {}: parked from the web on {} ({} released)", call.id,
               park::to_string(parked->slot), parker_name);
  ParkOutcome outcome{call.id, parked->lot.str(), retrieve_hint(tenant, parked->slot)};
  release_parker(call, parker_side, *parked, now);
  drain_park_events(now);
  reap();
  return outcome;
}

std::expected<PickUpOutcome, ActionError> CallControl::pick_up(const Actor& actor,
                                                               const std::string& slot,
                                                               const std::string& extension,
                                                               sip::TimePoint now) {
  const auto* tenant = s_.directory.tenant_for_host(actor.tenant);
  if (!tenant) return fail(ActionErrorCode::not_found, "no such organisation");
  auto code = classify_park_code(*tenant, s_.parking, slot, Dialled::ByCall);
  if (!code || !code->slot) return fail(ActionErrorCode::not_found, fmt::format("no slot {}", slot));
  const auto* user = tenant->find_user(extension);
  if (!user) return fail(ActionErrorCode::invalid, fmt::format("no extension {}", extension));
  const auto* parked = s_.parking.occupant(park::TenantId(tenant->domain), *code->slot);
  if (!parked) return fail(ActionErrorCode::not_found, fmt::format("slot {} is empty", slot));
  auto it = calls_.find(parked->call.value);
  if (it == calls_.end() || it->second.stage != CallStage::Parked) {
    return fail(ActionErrorCode::conflict, fmt::format("slot {} is being taken", slot));
  }
  auto& call = it->second;
  if (call.dial) {
    return fail(ActionErrorCode::conflict,
                fmt::format("slot {} is already ringing {}", slot, call.dial->extension));
  }
  auto who = parked->caller.display_name.empty() ? parked->caller.number
                                                 : parked->caller.display_name;
  auto shown = parked->note ? fmt::format("Parked {}: {} ({})", slot, who, *parked->note)
                            : fmt::format("Parked {}: {}", slot, who);
  DialRequest dial{{extension}, extension, shown, parked->caller.number, {}, {}, {}};
  if (auto refused = start_dial(call, dial, now)) {
    // No media port is Orbit's limit; an extension not registered is the state of the phones.
    return fail(refused->status == 503 ? ActionErrorCode::unavailable : ActionErrorCode::conflict,
                refused->reason);
  }
  call.dial->pick_up = true;
  spdlog::info("call {}: the web has {} pick up {}", call.id, extension, slot);
  return PickUpOutcome{call.id, slot, extension};
}

void CallControl::take_from_slot(Call& call, Leg leg, bool recall, sip::TimePoint now) {
  const auto* parked = s_.parking.find(park::CallRef{call.id});
  std::optional<std::string> refusal;
  if (!parked) {
    refusal = "the call left its slot";
  } else if (recall) {
    auto answered = s_.parking.recall_answered(park::CallRef{call.id},
                                               park::Extension(leg.name), now);
    if (!answered) refusal = answered.error().reason;
  } else {
    park::RetrieveRequest request{parked->tenant, parked->slot, park::Extension(leg.name), true};
    if (auto taken = s_.parking.retrieve(request, now); !taken) refusal = taken.error().reason;
  }
  if (refusal) {
    spdlog::info("call {}: {} answered too late: {}", call.id, leg.name, *refusal);
    auto bye = sip::dialog_request(leg.dialog, "BYE", local_for(leg.dialog.peer.transport),
                                   s_.tags.next_branch(),
                                   fmt::format("Reason: SIP;cause=410;text=\"{}\"\r\n", *refusal));
    send(std::move(bye), leg.dialog.peer, now);
    close_media(leg.media);
    return;
  }
  call.b = std::move(leg);
  register_dialog(call, Side::B);
  call.stage = CallStage::Talking;
  call.parked.reset();
  bridge(call);
  publish_call(call, "call-answered", now);
}

std::expected<void, ActionError> CallControl::hang_up(const Actor& actor, std::uint64_t id,
                                                      sip::TimePoint now) {
  auto it = calls_.find(id);
  if (it == calls_.end() || !it->second.tenant || it->second.tenant->domain != actor.tenant ||
      it->second.stage == CallStage::Ended) {
    return fail(ActionErrorCode::not_found, fmt::format("no call {}", id));
  }
  auto& call = it->second;
  if (actor.agent && (!actor.extension || !is_party(call, *actor.extension))) {
    return fail(ActionErrorCode::forbidden, fmt::format("call {} is not yours", id));
  }
  spdlog::info("call {}: hung up from the web", id);
  if (call.stage == CallStage::Ringing) {
    respond_a(call, 480, "Call ended by a supervisor", {}, {}, now);
  }
  // A phone hearing an announcement is in a dialog too: it gets its BYE like a talking one.
  if (call.stage == CallStage::Announcing) call.stage = CallStage::Talking;
  end_call(call, std::nullopt, now);
  drain_park_events(now);
  reap();
  return {};
}

}  // namespace orbit::pbx
