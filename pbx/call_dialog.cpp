// Within a call's dialogs: BYE, re-INVITE (hold and resume), REFER (blind transfer), keep-alives;
// what each party hears; ending a call cleanly.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "pbx/call_control.hpp"
#include "sip/lex.hpp"
#include "sip/message_builder.hpp"

namespace orbit::pbx {
namespace {

Side other(Side s) { return s == Side::A ? Side::B : Side::A; }

// How long a dialog Orbit has sent BYE on still answers a crossing BYE (64·T1).
constexpr std::chrono::seconds kReleasedFor{32};

}  // namespace

std::string CallControl::dialog_key(std::string_view call_id, std::string_view local_tag) {
  return fmt::format("{}\n{}", call_id, local_tag);
}

void CallControl::register_dialog(const Call& call, Side side) {
  const auto& d = side == Side::A ? call.a.dialog : call.b->dialog;
  dialogs_[dialog_key(d.call_id, d.local_tag)] = {call.id, side};
}

void CallControl::close_media(media::LegId leg) {
  if (leg == 0) return;
  s_.media.close_leg(leg);
  media_legs_.erase(leg);
}

void CallControl::send_in_dialog(Call& call, Side side, std::string_view method, Purpose purpose,
                                 sip::TimePoint now, std::string_view extra,
                                 std::string_view content_type, std::string_view body) {
  auto& leg = call.leg(side);
  if (method == "BYE") {
    // The party may send its own BYE before ours arrives: it gets a 200, not a 481.
    auto key = dialog_key(leg.dialog.call_id, leg.dialog.local_tag);
    released_[key] = now + kReleasedFor;
    released_order_.emplace_back(now + kReleasedFor, std::move(key));
  }
  auto bytes = sip::dialog_request(leg.dialog, method, local_for(leg.dialog.peer.transport),
                                   s_.tags.next_branch(), extra, content_type, body);
  if (auto tx = send(std::move(bytes), leg.dialog.peer, now)) {
    client_txs_[tx->value] = {call.id, purpose, 0};
  }
}

bool CallControl::on_in_dialog(sip::RequestReceived& req, const RequestContext& ctx) {
  const auto& m = req.request;
  auto key = dialog_key(m.call_id(), m.to().tag());
  auto it = dialogs_.find(key);
  if (it == dialogs_.end()) {
    if (m.method() != "BYE" || !released_.contains(key)) return false;
    reply(req, ctx, 200, "OK");
    return true;
  }
  auto owner = it->second;
  auto call_it = calls_.find(owner.call);
  if (call_it == calls_.end()) return false;
  auto& call = call_it->second;
  if (owner.side == Side::B && !call.b) return false;
  auto& leg = call.leg(owner.side);
  if (m.from().tag() != leg.dialog.remote_tag) return false;
  leg.dialog.remote_cseq = m.cseq().number;
  leg.dialog.peer = req.from;
  auto method = m.method();
  if (method == "BYE") {
    on_bye(call, owner.side, req, ctx);
  } else if (method == "INVITE") {
    on_reinvite(call, owner.side, req, ctx);
  } else if (method == "REFER") {
    on_refer(call, owner.side, req, ctx);
  } else if (method == "OPTIONS" || method == "INFO" || method == "NOTIFY" ||
             method == "UPDATE") {
    reply(req, ctx, 200, "OK");
  } else {
    reply(req, ctx, 501, fmt::format("{} not implemented in a call", method));
  }
  reap();
  return true;
}

void CallControl::on_ack(const sip::Message& ack) {
  auto it = dialogs_.find(dialog_key(ack.call_id(), ack.to().tag()));
  if (it == dialogs_.end()) return;
  auto call = calls_.find(it->second.call);
  if (call == calls_.end() || (it->second.side == Side::B && !call->second.b)) return;
  auto& pending = call->second.leg(it->second.side).answer;
  pending.ok.reset();
  pending.invite.reset();
}

void CallControl::on_bye(Call& call, Side side, sip::RequestReceived& req,
                         const RequestContext& ctx) {
  reply(req, ctx, 200, "OK");
  spdlog::info("call {}: {} hung up", call.id, call.leg(side).name);
  end_call(call, side, ctx.now);
}

void CallControl::on_reinvite(Call& call, Side side, sip::RequestReceived& req,
                              const RequestContext& ctx) {
  auto& leg = call.leg(side);
  if (req.request.body().empty()) {
    // An offer-less re-INVITE: Orbit offers, and the party answers in its ACK.
    ++leg.sdp.version;
    return reply(req, ctx, 200, "OK", {}, "application/sdp",
                 make_offer(leg.local, leg.sdp, sip::MediaDirection::sendrecv));
  }
  auto audio = read_audio(req.request.body());
  if (!audio) return reply(req, ctx, 488, audio.error());
  leg.remote = *audio;
  s_.media.set_remote(leg.media, audio->remote);
  bool holds = audio->direction == sip::MediaDirection::sendonly ||
               audio->direction == sip::MediaDirection::inactive;
  bool changed = holds != leg.holds;
  if (changed) spdlog::info("call {}: {} {}", call.id, leg.name, holds ? "holds" : "resumes");
  leg.holds = holds;
  if (changed) publish_call(call, holds ? "call-held" : "call-resumed", ctx.now);
  ++leg.sdp.version;
  reply(req, ctx, 200, "OK", {}, "application/sdp", make_answer(leg.local, leg.sdp, *audio));
  bridge(call);
}

void CallControl::bridge(Call& call) {
  if (call.stage != CallStage::Talking || !call.b) return;
  auto& a = call.a;
  auto& b = *call.b;
  if (call.transfer) {
    // The transferee waits with music while the target rings; the transferor hears nothing.
    auto& transferee = call.leg(other(call.transfer->transferor));
    s_.media.play_music(transferee.media, s_.config.music_class);
    s_.media.play_silence(call.leg(call.transfer->transferor).media);
    return;
  }
  if (!a.holds && !b.holds) {
    s_.media.connect(a.media, b.media);
    return;
  }
  // Whoever is held hears music; a party that holds receives nothing worth sending.
  if (a.holds) s_.media.play_music(b.media, s_.config.music_class);
  if (b.holds) s_.media.play_music(a.media, s_.config.music_class);
  if (a.holds && !b.holds) s_.media.play_silence(a.media);
  if (b.holds && !a.holds) s_.media.play_silence(b.media);
}

void CallControl::on_refer(Call& call, Side side, sip::RequestReceived& req,
                           const RequestContext& ctx) {
  if (call.stage != CallStage::Talking || call.transfer || call.dial) {
    return reply(req, ctx, 491, "A transfer is already in progress");
  }
  auto refer_to = req.request.header(sip::HeaderId::ReferTo);
  auto target = refer_to ? sip::parse_name_addr(*refer_to) : std::unexpected(std::string("none"));
  if (!target || !target->uri.is_sip()) return reply(req, ctx, 400, "Bad Refer-To");
  auto extension = sip::unescape(target->uri.user);
  if (auto code = classify_park_code(*call.tenant, s_.parking, extension, Dialled::ByTransfer);
      code && code->kind == ParkCode::Kind::Park) {
    park_by_transfer(call, side, req, ctx, *code);
    drain_park_events(ctx.now);
    return;
  }
  reply(req, ctx, 202, "Accepted");
  call.transfer = Transfer{side, req.request.cseq().number};
  auto& transferee = call.leg(other(side));
  spdlog::info("call {}: {} transfers {} to {}", call.id, call.leg(side).name, transferee.name,
               extension);
  notify_transfer(call, "SIP/2.0 100 Trying", false, ctx.now);
  bridge(call);
  std::string display;
  std::string user = transferee.name;
  auto from = transferee.dialog.remote_uri;
  if (auto na = sip::parse_name_addr(from)) {
    display = na->display_text();
    user = sip::unescape(na->uri.user);
  }
  if (!call.tenant->find_user(extension)) {
    return finish_transfer(call, std::nullopt, 404,
                           fmt::format("Unknown extension {}", extension), ctx.now);
  }
  DialRequest dial{{extension}, extension, display, user, {}, {}, {}};
  if (auto refused = start_dial(call, dial, ctx.now)) {
    finish_transfer(call, std::nullopt, refused->status, refused->reason, ctx.now);
  }
}

void CallControl::notify_transfer(Call& call, std::string_view sipfrag, bool final,
                                  sip::TimePoint now) {
  auto side = call.transfer->transferor;
  auto extra = fmt::format("Event: refer;id={}\r\nSubscription-State: {}\r\n",
                           call.transfer->refer_cseq,
                           final ? "terminated;reason=noresource" : "active;expires=60");
  send_in_dialog(call, side, "NOTIFY", Purpose::Notify, now, extra, "message/sipfrag;version=2.0",
                 fmt::format("{}\r\n", sipfrag));
}

void CallControl::finish_transfer(Call& call, std::optional<Leg> target, int status,
                                  std::string_view reason, sip::TimePoint now) {
  notify_transfer(call, fmt::format("SIP/2.0 {} {}", status, reason), true, now);
  auto transferor = call.transfer->transferor;
  call.transfer.reset();
  if (!target) {
    spdlog::info("call {}: transfer failed: {} {}; the call stays with the transferor", call.id,
                 status, reason);
    bridge(call);
    return;
  }
  auto& old = call.leg(transferor);
  spdlog::info("call {}: transfer to {} done, releasing {}", call.id, target->name, old.name);
  send_in_dialog(call, transferor, "BYE", Purpose::Bye, now);
  dialogs_.erase(dialog_key(old.dialog.call_id, old.dialog.local_tag));
  close_media(old.media);
  old = std::move(*target);
  media_legs_[old.media] = {call.id, transferor};
  register_dialog(call, transferor);
  bridge(call);
}

void CallControl::end_call(Call& call, std::optional<Side> hung_up, sip::TimePoint now) {
  if (call.stage == CallStage::Ended) return;
  if (call.stage == CallStage::Parked) {
    (void)s_.parking.abandon(park::CallRef{call.id}, now);  // frees the slot
    drain_park_events(now);
    call.stage = CallStage::Talking;  // its one party still needs a BYE unless it hung up
  }
  drop_dial(call, now);
  if (call.stage == CallStage::Talking) {
    for (auto side : {Side::A, Side::B}) {
      if (side == Side::B && !call.b) continue;
      if (hung_up != side) send_in_dialog(call, side, "BYE", Purpose::Bye, now);
    }
  }
  close_media(call.a.media);
  if (call.b) close_media(call.b->media);
  call.stage = CallStage::Ended;
  ended_.push_back(call.id);
  publish_call(call, "call-ended", now);
  spdlog::info("call {}: ended", call.id);
}

void CallControl::on_media_event(const media::MediaEvent& event, sip::TimePoint now) {
  if (const auto* done = std::get_if<media::PromptsFinished>(&event)) {
    on_prompts_finished(done->token, now);
    reap();
    return;
  }
  if (const auto* key = std::get_if<media::DtmfDigit>(&event)) {
    auto it = media_legs_.find(key->leg);
    if (it == media_legs_.end()) return;
    auto call = calls_.find(it->second.first);
    if (call == calls_.end()) return;
    on_key(call->second, it->second.second, key->digit, now);
    drain_park_events(now);
    reap();
    return;
  }
  if (const auto* timeout = std::get_if<media::MediaTimeout>(&event)) {
    auto it = media_legs_.find(timeout->leg);
    if (it == media_legs_.end()) return;
    auto call = calls_.find(it->second.first);
    if (call == calls_.end()) return;
    if (call->second.stage == CallStage::Parked) {
      // A parked caller may well send nothing while it listens (silence suppression): ask
      // its phone whether the dialog still lives before giving the caller up (never lose one).
      spdlog::info("call {}: no media from parked {}, probing with OPTIONS", call->second.id,
                   call->second.a.name);
      send_in_dialog(call->second, Side::A, "OPTIONS", Purpose::Probe, now);
      return;
    }
    spdlog::info("call {}: no media from {} any more, ending the call", call->second.id,
                 call->second.leg(it->second.second).name);
    // The silent party may still be there (its network failed one way): it gets a BYE too.
    end_call(call->second, std::nullopt, now);
    reap();
  }
}

void CallControl::on_probe_result(Call& call, int status, sip::TimePoint now) {
  if (call.stage != CallStage::Parked) return;
  if (status == 408 || status == 481) {
    spdlog::info("call {}: parked {} is gone ({}), ending the call", call.id, call.a.name, status);
    end_call(call, std::nullopt, now);
    return;
  }
  // Alive: the media timeout starts over (it counts from when the far end starts sending).
  auto remote = call.a.remote.remote;
  auto silent = remote;
  silent.sends = false;
  s_.media.set_remote(call.a.media, silent);
  s_.media.set_remote(call.a.media, remote);
}

void CallControl::on_stray_response(const sip::Message& response, const sip::Endpoint& from) {
  // A 2xx retransmitted after its transaction ended: the ACK was lost, so send it again.
  if (response.status() < 200 || response.status() >= 300 || response.cseq().method != "INVITE") {
    return;
  }
  auto it = dialogs_.find(dialog_key(response.call_id(), response.from().tag()));
  if (it == dialogs_.end()) return;
  auto call = calls_.find(it->second.call);
  if (call == calls_.end() || !call->second.b) return;
  auto& leg = call->second.leg(it->second.side);
  auto ack = sip::dialog_request(leg.dialog, "ACK", local_for(from.transport),
                                 s_.tags.next_branch(), {}, {}, {}, response.cseq().number);
  s_.transactions.send_stateless(std::move(ack), from);
}

void CallControl::reap() {
  for (auto id : std::exchange(ended_, {})) {
    auto it = calls_.find(id);
    if (it == calls_.end() || it->second.stage != CallStage::Ended) continue;
    forget(it->second);
    timed_.erase(id);
    calls_.erase(it);
  }
}

void CallControl::expire_released(sip::TimePoint now) {
  while (!released_order_.empty() && released_order_.front().first <= now) {
    auto& [until, key] = released_order_.front();
    // A dialog released twice keeps its later expiry: only that entry removes it.
    if (auto it = released_.find(key); it != released_.end() && it->second == until) {
      released_.erase(it);
    }
    released_order_.pop_front();
  }
}

void CallControl::forget(Call& call) {
  std::erase_if(dialogs_, [&](const auto& e) { return e.second.call == call.id; });
  std::erase_if(client_txs_, [&](const auto& e) {
    return e.second.call == call.id && e.second.purpose == Purpose::Fork;
  });
  std::erase_if(invite_txs_, [&](const auto& e) { return e.second.call == call.id; });
  std::erase_if(media_legs_, [&](const auto& e) { return e.second.first == call.id; });
}

}  // namespace orbit::pbx
