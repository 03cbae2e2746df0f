// Setting calls up: who calls (user with digest, or trunk), the dial plan, parallel ringing of
// every contact, progress, the first answer wins, failures mapped for the caller.
#include "pbx/call_control.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "pbx/request_router.hpp"
#include "sip/lex.hpp"
#include "sip/message_builder.hpp"

namespace orbit::pbx {
namespace {

// The status a caller gets when no contact answered: busy wins over everything, then a timeout.
int failure_rank(int status) {
  if (status == 486 || status == 600) return 3;
  if (status == 408) return 2;
  return 1;
}

std::string dial_invite(const sip::LocalAddress& local, std::string_view branch,
                        std::string_view request_uri, std::string_view from,
                        std::string_view to, std::string_view call_id, std::string_view sdp) {
  return sip::MessageBuilder::request("INVITE", request_uri)
      .header("Via", fmt::format("SIP/2.0/{} {}:{};branch={};rport",
                                 sip::transport_name(local.transport), local.host, local.port,
                                 branch))
      .header("Max-Forwards", "70")
      .header("From", from)
      .header("To", to)
      .header("Call-ID", call_id)
      .header("CSeq", "1 INVITE")
      .header("Contact", sip::contact_header(local))
      .header("Allow", kAllowedMethods)
      .body("application/sdp", sdp)
      .build();
}

// A CANCEL built from the INVITE it cancels (RFC 3261 §9.1).
std::string cancel_for(const sip::Message& invite) {
  return sip::MessageBuilder::request("CANCEL", invite.request_uri().raw)
      .header("Via", *invite.header(sip::HeaderId::Via))
      .header("Max-Forwards", "70")
      .header("From", *invite.header(sip::HeaderId::From))
      .header("To", *invite.header(sip::HeaderId::To))
      .header("Call-ID", invite.call_id())
      .header("CSeq", fmt::format("{} CANCEL", invite.cseq().number))
      .build();
}

}  // namespace

void respond_or_log(sip::TransactionLayer& transactions, sip::ServerTransactionId id, Reply reply,
                    sip::TimePoint now) {
  if (auto ok = transactions.respond(id, std::move(reply.bytes), reply.status, now); !ok) {
    spdlog::debug("cannot send {}: {}", reply.status, ok.error().reason);
  }
}

std::optional<sip::ClientTransactionId> CallControl::send(std::string bytes,
                                                          const sip::Endpoint& to,
                                                          sip::TimePoint now) {
  auto message = sip::Message::parse(bytes);
  if (!message) {
    spdlog::error("built an unparsable request: {}", message.error().reason);
    return std::nullopt;
  }
  auto tx = s_.transactions.send_request(std::move(*message), to, now);
  if (!tx) {
    spdlog::error("cannot send request: {}", tx.error().reason);
    return std::nullopt;
  }
  return *tx;
}

void CallControl::respond_leg(Call& call, Side side, int status, std::string_view reason,
                              std::string_view extra, std::string_view sdp, sip::TimePoint now) {
  auto& leg = call.leg(side);
  auto& pending = leg.answer;
  if (!pending.invite) return;
  auto b = sip::make_response(*pending.invite, status, reason, leg.dialog.local_tag,
                              pending.top_via);
  if (status > 100 && status < 300) {
    b.header("Contact", sip::contact_header(local_for(leg.dialog.peer.transport)));
    b.header("Allow", kAllowedMethods);
  }
  if (!sdp.empty()) b.body("application/sdp", sdp);
  auto bytes = b.build();
  if (!extra.empty()) bytes.insert(bytes.find("Content-Length:"), extra);
  if (status >= 200 && status < 300 && leg.dialog.peer.transport == sip::Transport::Udp) {
    pending.ok = bytes;
    pending.ok_interval = sip::TimerConfig{}.t1;
    pending.ok_next = now + pending.ok_interval;
    pending.ok_give_up = now + 64 * sip::TimerConfig{}.t1;
    timed_.insert(call.id);
  }
  if (auto ok = s_.transactions.respond(pending.tx, std::move(bytes), status, now); !ok) {
    spdlog::debug("call {}: cannot answer {}: {}", call.id, status, ok.error().reason);
  }
  if (status >= 300) pending.invite.reset();
}

void CallControl::resend_ok(Call& call, Leg& leg, sip::TimePoint now) {
  auto& pending = leg.answer;
  if (!pending.ok || now < pending.ok_next) return;
  if (now >= pending.ok_give_up) {
    spdlog::info("call {}: no ACK for the 200 OK from {}, hanging up", call.id, leg.name);
    pending.ok.reset();
    end_call(call, std::nullopt, now);
    return;
  }
  respond_or_log(s_.transactions, pending.tx, Reply{200, *pending.ok}, now);
  pending.ok_interval = std::min(pending.ok_interval * 2, sip::TimerConfig{}.t2);
  pending.ok_next = now + pending.ok_interval;
}

std::optional<media::LegId> CallControl::open_media(Leg& leg, std::string_view who) {
  auto id = next_media_++;
  auto local = s_.media.open_leg(id);
  if (!local) {
    spdlog::warn("no media port for {}: {}", who, local.error().reason);
    return std::nullopt;
  }
  leg.media = id;
  leg.local = *local;
  leg.sdp = {id, 1};
  return id;
}

void CallControl::shed(sip::RequestReceived& req, const RequestContext& ctx,
                       std::string_view reason) {
  reply(req, ctx, 503, reason,
        fmt::format("Retry-After: {}\r\n", s_.config.retry_after.count()));
}

void CallControl::on_invite(sip::RequestReceived& req, const RequestContext& ctx) {
  const auto& m = req.request;
  const Tenant* tenant = nullptr;
  std::string from_display;
  std::string from_user;
  std::string who;
  const User* caller_user = nullptr;
  const Trunk* trunk = s_.directory.trunk_for_source(req.from.address, req.from.port);
  if (trunk) {
    tenant = s_.directory.tenant_of(*trunk);
    from_display = m.from().display_text();
    from_user = sip::unescape(m.from().uri.user);
    who = fmt::format("trunk {} ({})", trunk->name, from_user);
  } else {
    tenant = s_.directory.tenant_for_host(m.request_uri().host);
    if (!tenant || s_.directory.tenant_for_host(m.from().uri.host) != tenant) {
      return reply(req, ctx, 403, "Caller not of this domain");
    }
    const User* user = tenant->find_user(sip::unescape(m.from().uri.user));
    if (auto refusal = s_.auth.check(ctx, *tenant, user, Challenge::Proxy)) {
      respond_or_log(s_.transactions, req.id, std::move(*refusal), ctx.now);
      return;
    }
    from_display = user->display_name;
    from_user = user->extension;
    who = user->extension;
    caller_user = user;
  }
  auto dialed = sip::unescape(m.request_uri().user);
  if (auto code = classify_park_code(*tenant, s_.parking, dialed, Dialled::ByCall)) {
    if (!caller_user) return reply(req, ctx, 403, "Only users may use park codes");
    if (code->kind == ParkCode::Kind::Park) {
      return reply(req, ctx, 403, fmt::format("Transfer a call to {} to park it", dialed),
                   fmt::format("Warning: 399 orbit \"{} parks the call you transfer to it\"\r\n",
                               dialed));
    }
    auto offer = read_audio(m.body());
    if (!offer) return reply(req, ctx, 488, offer.error());
    // A retrieve adds no call (it joins a parked one): at capacity the lot must still drain.
    retrieve_parked(req, ctx, *tenant, *caller_user, *code, *offer);
    drain_park_events(ctx.now);
    reap();
    return;
  }
  if (calls_.size() >= s_.config.max_calls) {
    log_shed(ctx.now);
    return shed(req, ctx, "Orbit is at capacity");
  }
  std::string extension = dialed;
  if (!tenant->find_user(dialed)) {
    if (!trunk || trunk->destination.empty()) {
      return reply(req, ctx, 404, fmt::format("Unknown extension {}", dialed));
    }
    extension = trunk->destination;
  }
  if (m.body().empty()) return reply(req, ctx, 488, "An SDP offer is required");
  auto offer = read_audio(m.body());
  if (!offer) return reply(req, ctx, 488, offer.error());

  Call call;
  call.id = next_call_++;
  call.tenant = tenant;
  call.started = ctx.now;
  call.a.dialog = sip::dialog_as_uas(m, s_.tags.next(), req.from);
  call.a.remote = *offer;
  call.a.name = who;
  call.a.user = caller_user;
  if (!open_media(call.a, who)) return shed(req, ctx, "No media port available");
  call.a.answer.tx = req.id;
  call.a.answer.top_via = ctx.top_via;
  auto id = call.id;
  auto& c = calls_.emplace(id, std::move(call)).first->second;
  media_legs_[c.a.media] = {id, Side::A};
  s_.media.set_remote(c.a.media, offer->remote);
  invite_txs_[req.id.value] = {id, Side::A};
  register_dialog(c, Side::A);
  // From here on, responses are built from the INVITE kept in the call (ctx refers to it).
  c.a.answer.invite = std::move(req.request);
  spdlog::info("call {}: {} calls {}", id, who, extension);
  DialRequest dial{{extension}, extension, from_display, from_user, {}, {}, {}};
  if (auto refused = start_dial(c, dial, ctx.now)) {
    spdlog::info("call {}: {} {}", id, refused->status, refused->reason);
    respond_a(c, refused->status, refused->reason, {}, {}, ctx.now);
    end_call(c, std::nullopt, ctx.now);
  } else {
    publish_call(c, "call-ringing", ctx.now);
  }
  reap();
}

std::optional<CallControl::Refusal> CallControl::start_dial(Call& call,
                                                            const DialRequest& request,
                                                            sip::TimePoint now) {
  const auto& domain = call.tenant->domain;
  std::vector<std::pair<std::string, Binding>> contacts;
  for (const auto& ext : request.extensions) {
    for (auto& b : s_.locations.lookup({domain, ext}, now)) contacts.emplace_back(ext, std::move(b));
  }
  if (contacts.empty()) {
    return Refusal{480, fmt::format("Extension {} is not registered", request.label)};
  }
  Dial dial;
  dial.extension = request.label;
  dial.recall = request.recall;
  dial.deadline = now + request.ring_time.value_or(s_.config.ring_time);
  Leg media_holder;
  if (!open_media(media_holder, request.label)) return Refusal{503, "No media port available"};
  dial.media = media_holder.media;
  dial.local = media_holder.local;
  dial.sdp = media_holder.sdp;
  media_legs_[dial.media] = {call.id, Side::B};
  auto offer = make_offer(dial.local, dial.sdp, sip::MediaDirection::sendrecv);
  auto call_id = fmt::format("{}@orbit", s_.tags.next());
  auto from = request.from_display.empty()
                  ? fmt::format("<sip:{}@{}>;tag={}", request.from_user, domain, s_.tags.next())
                  : fmt::format("\"{}\" <sip:{}@{}>;tag={}", request.from_display,
                                request.from_user, domain, s_.tags.next());
  for (const auto& [ext, binding] : contacts) {
    const auto& local = local_for(binding.source.transport);
    auto to = fmt::format("<sip:{}@{}>", ext, domain);
    auto bytes =
        dial_invite(local, s_.tags.next_branch(), binding.uri, from, to, call_id, offer);
    if (!request.extra_headers.empty()) {
      bytes.insert(bytes.find("Content-Type:"), request.extra_headers);
    }
    if (auto tx = send(bytes, binding.source, now)) {
      client_txs_[tx->value] = {call.id, Purpose::Fork, dial.forks.size()};
      dial.forks.push_back({*tx, ext, std::move(bytes), binding.source});
    }
  }
  if (dial.forks.empty()) {
    close_media(dial.media);
    return Refusal{480, fmt::format("Extension {} cannot be reached", request.label)};
  }
  call.dial = std::move(dial);
  timed_.insert(call.id);
  return std::nullopt;
}

void CallControl::on_response(sip::ClientTransactionId tx, const sip::Message& response,
                              sip::TimePoint now) {
  if (on_cancelled_response(tx, response, now)) return;
  auto it = client_txs_.find(tx.value);
  if (it == client_txs_.end()) return;
  auto owner = it->second;
  if (owner.purpose != Purpose::Fork && response.status() >= 200) client_txs_.erase(it);
  auto call = calls_.find(owner.call);
  if (call == calls_.end()) return;
  if (owner.purpose == Purpose::Fork && call->second.dial &&
      owner.fork < call->second.dial->forks.size()) {
    on_fork_response(call->second, owner.fork, response, now);
    drain_park_events(now);
  } else if (owner.purpose == Purpose::Probe && response.status() >= 200) {
    on_probe_result(call->second, response.status(), now);
  } else if (owner.purpose == Purpose::Bye || owner.purpose == Purpose::Notify) {
    if (response.status() == 481 || response.status() == 408) {
      spdlog::debug("call {}: {} answered {}", owner.call,
                    owner.purpose == Purpose::Bye ? "BYE" : "NOTIFY", response.status());
    }
  }
  reap();
}

void CallControl::on_fork_response(Call& call, std::size_t fork, const sip::Message& response,
                                   sip::TimePoint now) {
  auto& dial = *call.dial;
  auto& f = dial.forks[fork];
  auto status = response.status();
  if (status < 200) {
    if (status == 100) return;
    f.provisional = true;
    if (!dial.ringing_sent && !call.transfer && call.stage == CallStage::Ringing) {
      dial.ringing_sent = true;
      respond_a(call, status == 183 ? 183 : 180, status == 183 ? "Session Progress" : "Ringing",
                {}, {}, now);
    }
    return;
  }
  if (f.done) return;
  if (status < 300) {
    on_fork_answered(call, fork, response, now);
  } else {
    on_fork_failed(call, fork, status, response.reason(), now);
  }
}

void CallControl::on_fork_answered(Call& call, std::size_t fork, const sip::Message& response,
                                   sip::TimePoint now) {
  auto& dial = *call.dial;
  auto& f = dial.forks[fork];
  f.done = true;
  auto invite = sip::Message::parse(f.invite);
  Leg leg;
  leg.media = dial.media;
  leg.local = dial.local;
  leg.sdp = dial.sdp;
  leg.name = f.extension;
  leg.user = call.tenant->find_user(f.extension);
  leg.dialog = sip::dialog_as_uac(*invite, response, f.target);
  auto ack = sip::dialog_request(leg.dialog, "ACK", local_for(f.target.transport),
                                 s_.tags.next_branch(), {}, {}, {}, invite->cseq().number);
  s_.transactions.send_stateless(std::move(ack), f.target);
  cancel_forks(call, now, fork);
  auto audio = read_audio(response.body());
  if (!audio) {
    spdlog::info("call {}: {} answered without usable SDP ({}), hanging it up", call.id,
                 dial.extension, audio.error());
    auto bye = sip::dialog_request(leg.dialog, "BYE", local_for(f.target.transport),
                                   s_.tags.next_branch());
    send(std::move(bye), f.target, now);
    dial.failure_status = 488;
    dial.failure_reason = "Callee answered without a usable SDP";
    fail_dial(call, now);
    return;
  }
  leg.remote = *audio;
  s_.media.set_remote(leg.media, audio->remote);
  spdlog::info("call {}: {} answered", call.id, f.extension);
  auto recall = dial.recall;
  auto pick_up = dial.pick_up;
  drop_dial(call, now, true);
  if (pick_up || recall) return take_from_slot(call, std::move(leg), recall.has_value(), now);
  if (call.transfer) {
    finish_transfer(call, std::move(leg), 200, "OK", now);
    return;
  }
  call.b = std::move(leg);
  register_dialog(call, Side::B);
  call.stage = CallStage::Talking;
  publish_call(call, "call-answered", now);
  auto& a = call.a;
  ++a.sdp.version;
  respond_a(call, 200, "OK", {}, make_answer(a.local, a.sdp, a.remote), now);
  bridge(call);
}

void CallControl::on_fork_failed(Call& call, std::size_t fork, int status,
                                 std::string_view reason, sip::TimePoint now) {
  auto& dial = *call.dial;
  dial.forks[fork].done = true;
  int mapped = (status == 486 || status == 600) ? 486 : (status == 408 ? 408 : 480);
  if (failure_rank(mapped) > failure_rank(dial.failure_status)) {
    dial.failure_status = mapped;
    dial.failure_reason = mapped == 486 ? fmt::format("Extension {} is busy", dial.extension)
                                        : fmt::format("Extension {} did not answer", dial.extension);
  }
  spdlog::info("call {}: a contact of {} answered {} {}", call.id, dial.extension, status, reason);
  for (const auto& f : dial.forks) {
    if (!f.done) return;
  }
  fail_dial(call, now);
}

void CallControl::fail_dial(Call& call, sip::TimePoint now) {
  auto status = call.dial->failure_status;
  auto reason = call.dial->failure_reason;
  auto recall = call.dial->recall;
  auto pick_up = call.dial->pick_up;
  drop_dial(call, now);
  if (pick_up) {
    spdlog::info("call {}: {} {}; the call stays parked", call.id, status, reason);
    return;
  }
  if (recall) {
    (void)s_.parking.recall_unanswered(park::CallRef{call.id}, *recall, now);
    return;
  }
  if (call.transfer) {
    finish_transfer(call, std::nullopt, status, reason, now);
    return;
  }
  spdlog::info("call {}: {} {}", call.id, status, reason);
  respond_a(call, status, reason, {}, {}, now);
  end_call(call, std::nullopt, now);
}

void CallControl::cancel_forks(Call& call, sip::TimePoint now, std::size_t except) {
  if (!call.dial) return;
  for (std::size_t i = 0; i < call.dial->forks.size(); ++i) {
    auto& f = call.dial->forks[i];
    if (f.done || i == except) continue;
    f.done = true;
    // The fork leaves the dial: what it still answers is handled apart (on_cancelled_response).
    client_txs_.erase(f.tx.value);
    auto& c = cancelled_[f.tx.value] = CancelledFork{f.invite, f.target, false};
    // RFC 3261 §9.1: no CANCEL before a provisional response; it goes when one arrives.
    if (f.provisional) send_cancel(c, now);
  }
}

void CallControl::send_cancel(CancelledFork& fork, sip::TimePoint now) {
  auto invite = sip::Message::parse(fork.invite);
  if (!invite || fork.cancel_sent) return;
  fork.cancel_sent = true;
  if (auto tx = send(cancel_for(*invite), fork.target, now)) {
    client_txs_[tx->value] = {0, Purpose::Cancel, 0};
  }
}

bool CallControl::on_cancelled_response(sip::ClientTransactionId tx, const sip::Message& response,
                                        sip::TimePoint now) {
  auto it = cancelled_.find(tx.value);
  if (it == cancelled_.end()) return false;
  auto status = response.status();
  if (status < 200) {
    if (status > 100) send_cancel(it->second, now);
    return true;
  }
  if (status < 300) {
    // It answered as Orbit cancelled it (the two crossed): ACK, then hang up (§13.2.2.4).
    auto invite = sip::Message::parse(it->second.invite);
    auto dialog = sip::dialog_as_uac(*invite, response, it->second.target);
    const auto& local = local_for(it->second.target.transport);
    s_.transactions.send_stateless(sip::dialog_request(dialog, "ACK", local, s_.tags.next_branch(),
                                                       {}, {}, {}, invite->cseq().number),
                                   it->second.target);
    if (auto bye = send(sip::dialog_request(dialog, "BYE", local, s_.tags.next_branch()),
                        it->second.target, now)) {
      client_txs_[bye->value] = {0, Purpose::Bye, 0};
    }
  }
  cancelled_.erase(it);
  return true;
}

void CallControl::drop_dial(Call& call, sip::TimePoint now, bool keep_media) {
  if (!call.dial) return;
  cancel_forks(call, now, SIZE_MAX);
  for (const auto& f : call.dial->forks) client_txs_.erase(f.tx.value);
  if (!keep_media) close_media(call.dial->media);
  call.dial.reset();
}

void CallControl::on_cancel(sip::ServerTransactionId invite, sip::TimePoint now) {
  auto it = invite_txs_.find(invite.value);
  if (it == invite_txs_.end() || it->second.side != Side::A) return;
  auto call = calls_.find(it->second.call);
  if (call == calls_.end() || call->second.stage != CallStage::Ringing) return;
  spdlog::info("call {}: caller cancelled", call->second.id);
  cancel_forks(call->second, now, SIZE_MAX);
  respond_a(call->second, 487, "Request Terminated", {}, {}, now);
  end_call(call->second, Side::A, now);
  reap();
}

void CallControl::on_timeout(sip::ClientTransactionId tx, sip::TimePoint now) {
  cancelled_.erase(tx.value);
  auto it = client_txs_.find(tx.value);
  if (it == client_txs_.end()) return;
  auto owner = it->second;
  client_txs_.erase(it);
  auto call = calls_.find(owner.call);
  if (call == calls_.end()) return;
  if (owner.purpose == Purpose::Fork && call->second.dial &&
      owner.fork < call->second.dial->forks.size() && !call->second.dial->forks[owner.fork].done) {
    on_fork_failed(call->second, owner.fork, 408, "Request Timeout", now);
    drain_park_events(now);
  } else if (owner.purpose == Purpose::Probe) {
    on_probe_result(call->second, 408, now);
  } else if (owner.purpose == Purpose::Bye || owner.purpose == Purpose::Notify) {
    spdlog::info("call {}: in-dialog request timed out", owner.call);
  }
  reap();
}

void CallControl::on_timer(sip::TimePoint now) {
  expire_released(now);
  s_.parking.handle_deadlines(now);
  drain_park_events(now);
  // Handling one call's deadline may start another's dial (a recall): walk a copy.
  std::vector<std::uint64_t> timed(timed_.begin(), timed_.end());
  for (auto id : timed) {
    auto it = calls_.find(id);
    if (it == calls_.end()) {
      timed_.erase(id);
      continue;
    }
    auto& call = it->second;
    if (call.dial && now >= call.dial->deadline) {
      call.dial->failure_status = 408;
      call.dial->failure_reason = fmt::format("No answer from {}", call.dial->extension);
      cancel_forks(call, now, SIZE_MAX);
      fail_dial(call, now);
    }
    resend_ok(call, call.a, now);
    if (call.b && call.stage != CallStage::Ended) resend_ok(call, *call.b, now);
    if (!call.dial && !call.a.answer.ok && !(call.b && call.b->answer.ok)) timed_.erase(id);
  }
  drain_park_events(now);
  reap();
}

std::optional<sip::TimePoint> CallControl::next_deadline() const {
  std::optional<sip::TimePoint> next;
  auto consider = [&](sip::TimePoint t) {
    if (!next || t < *next) next = t;
  };
  if (!released_order_.empty()) consider(released_order_.front().first);
  if (auto t = s_.parking.next_deadline()) consider(*t);
  for (auto id : timed_) {
    auto it = calls_.find(id);
    if (it == calls_.end()) continue;
    const auto& call = it->second;
    if (call.dial) consider(call.dial->deadline);
    if (call.a.answer.ok) consider(call.a.answer.ok_next);
    if (call.b && call.b->answer.ok) consider(call.b->answer.ok_next);
  }
  return next;
}

void CallControl::log_shed(sip::TimePoint now) {
  ++shed_unlogged_;
  if (now - shed_logged_ < std::chrono::seconds(1)) return;
  spdlog::warn("{} calls held: {} new call(s) shed with 503 since the last report", calls_.size(),
               shed_unlogged_);
  shed_logged_ = now;
  shed_unlogged_ = 0;
}

void CallControl::reply(sip::RequestReceived& req, const RequestContext& ctx, int status,
                        std::string_view reason, std::string_view extra,
                        std::string_view content_type, std::string_view body) {
  auto b = sip::make_response(req.request, status, reason, s_.tags.next(), ctx.top_via);
  if (status >= 200 && status < 300 && req.request.method() != "BYE") {
    b.header("Contact", sip::contact_header(local_for(req.from.transport)));
  }
  if (!body.empty()) b.body(content_type, body);
  auto bytes = b.build();
  if (!extra.empty()) bytes.insert(bytes.find("Content-Length:"), extra);
  respond_or_log(s_.transactions, req.id, Reply{status, std::move(bytes)}, ctx.now);
}

}  // namespace orbit::pbx
