// Park within calls: park by transfer to a park code, retrieve by calling a slot, the empty-slot
// announcement, recalls, the MESSAGE that tells people, the lamps — driven by park/'s events.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "pbx/call_control.hpp"
#include "pbx/park_codes.hpp"
#include "pbx/request_router.hpp"
#include "sip/lex.hpp"
#include "sip/message_builder.hpp"

namespace orbit::pbx {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

// One table from the park domain's refusals to SIP statuses; the reason phrase is the
// domain's own sentence ("slot 705 is occupied").
int park_status(park::ParkErrorCode code) {
  switch (code) {
    case park::ParkErrorCode::NotAllowedToPark:
    case park::ParkErrorCode::NotAllowedToRetrieve:
    case park::ParkErrorCode::AlreadyParked: return 403;
    case park::ParkErrorCode::SlotOccupied: return 486;
    case park::ParkErrorCode::LotFull: return 480;
    case park::ParkErrorCode::UnknownTenant:
    case park::ParkErrorCode::UnknownLot:
    case park::ParkErrorCode::UnknownSlot:
    case park::ParkErrorCode::SlotEmpty:
    case park::ParkErrorCode::SlotAlreadyTaken: return 404;
    default: return 500;
  }
}

// RFC 3261 §20.43: a Warning with Orbit's agent name; quotes in the text would end it.
std::string warning(std::string_view text) {
  std::string clean;
  for (char c : text) clean.push_back(c == '"' ? '\'' : c);
  return fmt::format("Warning: 399 orbit \"{}\"\r\n", clean);
}

std::string caller_text(const park::CallerId& c) {
  return c.display_name.empty() ? c.number : fmt::format("{} {}", c.number, c.display_name);
}

Side other_side(Side s) { return s == Side::A ? Side::B : Side::A; }

}  // namespace

park::CallerId identity_of(const Leg& leg) {
  if (leg.user) return {leg.user->extension, leg.user->display_name};
  park::CallerId id;
  if (auto na = sip::parse_name_addr(leg.dialog.remote_uri)) {
    id.number = sip::unescape(na->uri.user);
    id.display_name = na->display_text();
  }
  if (id.number.empty()) id.number = leg.name;
  return id;
}

void CallControl::send_message(const Tenant& tenant, std::string_view extension,
                               std::string_view text, sip::TimePoint now) {
  for (const auto& binding : s_.locations.lookup({tenant.domain, std::string(extension)}, now)) {
    const auto& local = local_for(binding.source.transport);
    auto bytes =
        sip::MessageBuilder::request("MESSAGE", binding.uri)
            .header("Via", fmt::format("SIP/2.0/{} {}:{};branch={};rport",
                                       sip::transport_name(local.transport), local.host,
                                       local.port, s_.tags.next_branch()))
            .header("Max-Forwards", "70")
            .header("From", fmt::format("\"Orbit\" <sip:orbit@{}>;tag={}", tenant.domain,
                                        s_.tags.next()))
            .header("To", fmt::format("<sip:{}@{}>", extension, tenant.domain))
            .header("Call-ID", fmt::format("{}@orbit", s_.tags.next()))
            .header("CSeq", "1 MESSAGE")
            .body("text/plain;charset=UTF-8", text)
            .build();
    if (auto tx = send(std::move(bytes), binding.source, now)) {
      client_txs_[tx->value] = {0, Purpose::Message, 0};
    }
  }
}

void CallControl::park_by_transfer(Call& call, Side transferor, sip::RequestReceived& req,
                                   const RequestContext& ctx, const ParkCode& code) {
  auto& parker = call.leg(transferor);
  auto& parkee = call.leg(other_side(transferor));
  if (!parker.user) {
    return reply(req, ctx, 403, "Only users may park calls",
                 warning("a trunk cannot park calls"));
  }
  park::ParkRequest request{park::CallRef{call.id},
                            park::TenantId(call.tenant->domain),
                            code.lot,
                            code.slot,
                            identity_of(parkee),
                            park::Extension(parker.user->extension),
                            parker.user->can_park,
                            std::nullopt,
                            std::nullopt};
  auto parked = s_.parking.park(request, ctx.now);
  if (!parked) {
    spdlog::info("call {}: park refused: {}", call.id, parked.error().reason);
    reply(req, ctx, park_status(parked.error().code), parked.error().reason,
          warning(parked.error().reason));
    return;
  }
  reply(req, ctx, 202, "Accepted");
  call.transfer = Transfer{transferor, req.request.cseq().number};
  notify_transfer(call, "SIP/2.0 200 OK", true, ctx.now);
  call.transfer.reset();
  spdlog::info("call {}: {} parked {} on {}", call.id, parker.name, parkee.name,
               park::to_string(parked->slot));
  release_parker(call, transferor, *parked, ctx.now);
}

void CallControl::release_parker(Call& call, Side parker_side, const park::ParkedCall& parked,
                                 sip::TimePoint now) {
  auto& parker = call.leg(parker_side);
  send_in_dialog(call, parker_side, "BYE", Purpose::Bye, now);
  dialogs_.erase(dialog_key(parker.dialog.call_id, parker.dialog.local_tag));
  close_media(parker.media);
  if (parker_side == Side::A) call.a = std::move(*call.b);
  call.b.reset();
  register_dialog(call, Side::A);
  media_legs_[call.a.media] = {call.id, Side::A};
  call.stage = CallStage::Parked;
  call.parked = Parked{parked.slot, retrieve_hint(*call.tenant, parked.slot)};
}

void CallControl::retrieve_parked(sip::RequestReceived& req, const RequestContext& ctx,
                                  const Tenant& tenant, const User& user, const ParkCode& code,
                                  const AudioOffer& offer) {
  park::RetrieveRequest request{park::TenantId(tenant.domain), *code.slot,
                                park::Extension(user.extension), user.can_retrieve};
  auto taken = s_.parking.retrieve(request, ctx.now);
  if (!taken) {
    auto& e = taken.error();
    spdlog::info("{} cannot retrieve {}: {}", user.extension, park::to_string(*code.slot), e.reason);
    if (e.code == park::ParkErrorCode::NotAllowedToRetrieve) {
      return reply(req, ctx, 403, e.reason, warning(e.reason));
    }
    return announce_and_hang_up(req, ctx, tenant, user, offer, "pbx-invalidpark",
                                fmt::format("SIP;cause={};text=\"{}\"", park_status(e.code),
                                            e.reason));
  }
  auto it = calls_.find(taken->call.value);
  if (it == calls_.end()) return reply(req, ctx, 500, "Parked call lost");
  auto& call = it->second;
  Leg leg;
  leg.dialog = sip::dialog_as_uas(req.request, s_.tags.next(), req.from);
  leg.remote = offer;
  leg.name = user.extension;
  leg.user = &user;
  if (!open_media(leg, user.extension)) return shed(req, ctx, "No media port available");
  leg.answer.tx = req.id;
  leg.answer.top_via = ctx.top_via;
  s_.media.set_remote(leg.media, offer.remote);
  drop_dial(call, ctx.now);  // a recall was ringing: the retriever wins
  call.b = std::move(leg);
  register_dialog(call, Side::B);
  invite_txs_[req.id.value] = {call.id, Side::B};
  media_legs_[call.b->media] = {call.id, Side::B};
  call.b->answer.invite = std::move(req.request);
  call.stage = CallStage::Talking;
  call.parked.reset();
  spdlog::info("call {}: {} retrieved {} from {}", call.id, user.extension, call.a.name,
               park::to_string(taken->slot));
  // The retriever's display shows who it takes, and the note (RFC 3325 identity).
  auto shown = taken->note ? fmt::format("{} ({})", caller_text(taken->caller), *taken->note)
                           : caller_text(taken->caller);
  auto pai = fmt::format("P-Asserted-Identity: \"{}\" <sip:{}@{}>\r\n", shown,
                         taken->caller.number, tenant.domain);
  ++call.b->sdp.version;
  respond_leg(call, Side::B, 200, "OK", pai, make_answer(call.b->local, call.b->sdp, offer),
              ctx.now);
  bridge(call);
}

void CallControl::announce_and_hang_up(sip::RequestReceived& req, const RequestContext& ctx,
                                       const Tenant& tenant, const User& user,
                                       const AudioOffer& offer, std::string prompt,
                                       std::string reason) {
  Call call;
  call.id = next_call_++;
  call.tenant = &tenant;
  call.started = ctx.now;
  call.stage = CallStage::Announcing;
  call.hangup_reason = std::move(reason);
  call.a.dialog = sip::dialog_as_uas(req.request, s_.tags.next(), req.from);
  call.a.remote = offer;
  call.a.name = user.extension;
  call.a.user = &user;
  if (!open_media(call.a, user.extension)) return shed(req, ctx, "No media port available");
  call.a.answer.tx = req.id;
  call.a.answer.top_via = ctx.top_via;
  auto id = call.id;
  auto& c = calls_.emplace(id, std::move(call)).first->second;
  media_legs_[c.a.media] = {id, Side::A};
  register_dialog(c, Side::A);
  invite_txs_[req.id.value] = {id, Side::A};
  s_.media.set_remote(c.a.media, offer.remote);
  c.a.answer.invite = std::move(req.request);
  ++c.a.sdp.version;
  respond_a(c, 200, "OK", {}, make_answer(c.a.local, c.a.sdp, offer), ctx.now);
  s_.media.play_prompts(c.a.media, {std::move(prompt)}, id);
}

void CallControl::on_prompts_finished(std::uint64_t token, sip::TimePoint now) {
  auto it = calls_.find(token);
  if (it == calls_.end() || it->second.stage != CallStage::Announcing) return;
  auto& call = it->second;
  send_in_dialog(call, Side::A, "BYE", Purpose::Bye, now,
                 fmt::format("Reason: {}\r\n", call.hangup_reason));
  call.stage = CallStage::Talking;  // so that end_call does not BYE it a second time
  end_call(call, Side::A, now);
}

void CallControl::on_key(Call& call, Side side, char digit, sip::TimePoint now) {
  if (call.stage != CallStage::Talking || !call.b || call.transfer || call.dial) return;
  auto& keys = call.leg(side).keys;
  if (digit == '*' && (keys.empty() || keys.size() > 20)) keys.clear();
  if (keys.empty() && digit != '*') return;  // only sequences starting with '*' are codes
  if (digit != '#') {
    keys.push_back(digit);
    return;
  }
  auto dialled = std::exchange(keys, {});
  auto code = classify_park_code(*call.tenant, s_.parking, dialled, Dialled::ByTransfer);
  if (!code || code->kind != ParkCode::Kind::Park) {
    spdlog::info("call {}: {} keyed {}#, which is no park code", call.id, call.leg(side).name,
                 dialled);
    s_.media.play_prompts(call.leg(side).media, {"pbx-invalidpark"}, 0);
    return;
  }
  park_by_keys(call, side, *code, now);
}

void CallControl::park_by_keys(Call& call, Side parker_side, const ParkCode& code,
                               sip::TimePoint now) {
  auto& parker = call.leg(parker_side);
  auto& parkee = call.leg(other_side(parker_side));
  park::ParkRequest request{park::CallRef{call.id},
                            park::TenantId(call.tenant->domain),
                            code.lot,
                            code.slot,
                            identity_of(parkee),
                            park::Extension(parker.user ? parker.user->extension : parker.name),
                            parker.user && parker.user->can_park,
                            std::nullopt,
                            std::nullopt};
  auto parked = s_.parking.park(request, now);
  if (!parked) {
    // The call stays as it was; the parker hears why it failed (and the caller keeps talking).
    spdlog::info("call {}: park by keys refused: {}", call.id, parked.error().reason);
    s_.media.play_prompts(parker.media, {"pbx-parkingfailed"}, 0);
    return;
  }
  spdlog::info("call {}: {} parked {} on {} by keys", call.id, parker.name, parkee.name,
               park::to_string(parked->slot));
  // The slot is read out to the parker, digit by digit, before Orbit releases it.
  std::vector<std::string> prompts;
  auto hint = retrieve_hint(*call.tenant, parked->slot);
  for (char c : hint) {
    if (sip::lex::is_digit(c)) prompts.push_back(fmt::format("digits/{}", c));
    if (c == '*') prompts.push_back("digits/star");
  }
  announce_to_leg(call, parker_side, std::move(prompts),
                  fmt::format("SIP;cause=200;text=\"Parked on {}\"", hint), now);
  call.stage = CallStage::Parked;
  call.parked = Parked{parked->slot, hint};
}

void CallControl::announce_to_leg(Call& call, Side side, std::vector<std::string> prompts,
                                  std::string reason, sip::TimePoint now) {
  Call own;
  own.id = next_call_++;
  own.tenant = call.tenant;
  own.started = now;
  own.stage = CallStage::Announcing;
  own.hangup_reason = std::move(reason);
  own.a = std::move(call.leg(side));
  if (side == Side::A) call.a = std::move(*call.b);
  call.b.reset();
  register_dialog(call, Side::A);
  media_legs_[call.a.media] = {call.id, Side::A};
  auto id = own.id;
  auto& c = calls_.emplace(id, std::move(own)).first->second;
  timed_.insert(id);  // the moved leg may still resend a 2xx
  register_dialog(c, Side::A);
  media_legs_[c.a.media] = {id, Side::A};
  s_.media.play_prompts(c.a.media, std::move(prompts), id);
}

void CallControl::start_recall(const park::RecallStarted& e, sip::TimePoint now) {
  auto it = calls_.find(e.call.call.value);
  if (it == calls_.end()) return;
  auto& call = it->second;
  std::vector<std::string> ring;
  for (const auto& ext : e.ring) ring.push_back(ext.str());
  drop_dial(call, now);  // a pick-up from the web was ringing: the recall takes over
  auto slot = call.parked ? call.parked->hint : park::to_string(e.call.slot);
  auto who = e.call.caller.display_name.empty() ? e.call.caller.number : e.call.caller.display_name;
  DialRequest dial{ring,
                   e.target == park::RecallTarget::Parker ? e.call.parker.str() : "the fallback",
                   fmt::format("Parked {}: {}", slot, who),
                   e.call.caller.number,
                   "Alert-Info: <urn:alert:service:recall:hold>\r\n",
                   e.target,
                   // The domain ends the ring itself (RecallUnanswered); this only backs it up.
                   std::chrono::duration_cast<sip::Duration>(e.ring_time) + std::chrono::seconds(5)};
  spdlog::info("call {}: recall {} rings {}", call.id, park::to_string(e.target),
               fmt::join(ring, ", "));
  if (auto refused = start_dial(call, dial, now)) {
    spdlog::info("call {}: recall cannot ring: {}", call.id, refused->reason);
    (void)s_.parking.recall_unanswered(park::CallRef{call.id}, e.target, now);
  }
}

void CallControl::lamps(const park::ParkedCall& parked, sip::TimePoint now) {
  if (!s_.lamps_changed) return;
  const auto* tenant = s_.directory.tenant_for_host(parked.tenant.str());
  if (!tenant) return;
  for (const auto& resource : lamp_resources(*tenant, s_.parking, parked.slot)) {
    s_.lamps_changed(*tenant, resource, now);
  }
}

void CallControl::drain_park_events(sip::TimePoint now) {
  for (auto events = s_.parking.take_events(); !events.empty();
       events = s_.parking.take_events()) {
    for (const auto& event : events) {
      if (s_.park_event) s_.park_event(event);
      std::visit(Overloaded{
                     [&](const park::CallParked& e) { on_parked(e, now); },
                     [&](const park::RecallStarted& e) { start_recall(e, now); },
                     [&](const park::RecallUnanswered& e) {
                       auto it = calls_.find(e.call.call.value);
                       if (it == calls_.end()) return;
                       drop_dial(it->second, now);
                     },
                     [&](const park::CallRetrieved& e) { lamps(e.call, now); },
                     [&](const park::RecallAnswered& e) { lamps(e.call, now); },
                     [&](const park::CallAbandoned& e) { lamps(e.call, now); },
                     [&](const park::CallEscalated& e) {
                       spdlog::warn("call {}: nobody answered the recall, back on {} (escalated)",
                                    e.call.call.value, park::to_string(e.call.slot));
                     },
                     [&](const auto&) {},
                 },
                 event);
    }
  }
}

void CallControl::on_parked(const park::CallParked& e, sip::TimePoint now) {
  auto it = calls_.find(e.call.call.value);
  if (it == calls_.end()) return;
  auto& call = it->second;
  std::visit(Overloaded{
                 [&](const park::MusicOnHold& m) { s_.media.play_music(call.a.media, m.music_class); },
                 [&](const park::HoldMessage& m) {
                   std::vector<std::string> prompts;
                   if (m.greeting) prompts.push_back(*m.greeting);
                   prompts.insert(prompts.end(), m.loop.begin(), m.loop.end());
                   s_.media.play_prompts(call.a.media, std::move(prompts), 0);
                 },
             },
             e.hold_audio);
  lamps(e.call, now);
  auto hint = retrieve_hint(*call.tenant, e.call.slot);
  auto where = std::holds_alternative<park::UserSlot>(e.call.slot)
                   ? fmt::format("for {}", std::get<park::UserSlot>(e.call.slot).user.str())
                   : fmt::format("on {}", hint);
  send_message(*call.tenant, e.call.parker.str(),
               fmt::format("Parked {}: {} — dial {}", where, caller_text(e.call.caller), hint),
               now);
  if (e.call.for_user && *e.call.for_user != e.call.parker) {
    send_message(*call.tenant, e.call.for_user->str(),
                 fmt::format("A call is parked for you by {} {}: {} — dial {}",
                             e.call.parker.str(), where, caller_text(e.call.caller), hint),
                 now);
  }
  if (const auto* user_slot = std::get_if<park::UserSlot>(&e.call.slot)) {
    if (user_slot->user != e.call.parker && user_slot->user != e.call.for_user) {
      send_message(*call.tenant, user_slot->user.str(),
                   fmt::format("A call is parked for you by {}: {} — dial {}",
                               e.call.parker.str(), caller_text(e.call.caller), hint),
                   now);
    }
  }
}

}  // namespace orbit::pbx
