// The signalling core: parse, stamp the top Via, hand to transactions, answer through the router.
#include "pbx/sip_service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "pbx/park_codes.hpp"
#include "sip/error_response.hpp"
#include "sip/lex.hpp"
#include "sip/uri.hpp"
#include "sip/message_builder.hpp"

namespace orbit::pbx {
namespace {

constexpr std::chrono::seconds kPruneInterval{60};

// Where the response to a request goes (RFC 3261 §18.2.2, RFC 3581 §4): always to the source
// address, never to a host written in the Via; over UDP to the source port when the client
// asked for rport, else to the port of its sent-by.
sip::Endpoint response_target(const sip::Message& request, const sip::Endpoint& from) {
  sip::Endpoint to = from;
  const auto& via = request.top_via();
  if (from.transport == sip::Transport::Udp && !via.param("rport")) {
    to.port = via.port.value_or(5060);
  }
  return to;
}

}  // namespace

SipService::SipService(Directory directory, SipServiceConfig config, sip::NonceService nonces,
                       media::MediaControl& media, std::uint64_t seed)
    : directory_(std::move(directory)),
      config_(config),
      nonces_(std::move(nonces)),
      tags_(seed),
      throttle_(config.auth_failures_per_minute, config.auth_block_time),
      auth_(nonces_, throttle_, tags_),
      registrar_(directory_, locations_, auth_, tags_, config.registrar),
      router_(directory_, registrar_, tags_),
      lamps_(directory_, transactions_, tags_,
             [this](const Tenant& tenant, std::string_view resource) {
               return lamp_state(tenant, resource);
             },
             config.udp, config.tcp),
      calls_(CallServices{directory_, locations_, auth_, tags_, transactions_, media, config.udp,
                          config.tcp, config.calls, parking_,
                          [this](const Tenant& tenant, std::string_view resource,
                                 sip::TimePoint now) { lamps_.changed(tenant, resource, now); },
                          [this](const park::ParkEvent& event) { publish(event); },
                          [this](const SupervisionEvent& event) {
                            for (const auto& s : subscribers_) s(event);
                          }}),
      lot_configs_(config.lots) {
  for (auto& lot : config.lots) {
    auto name = park::describe(lot);
    if (auto ok = parking_.add_lot(std::move(lot)); !ok) {
      spdlog::error("parking lot {} not loaded: {}", name, ok.error().reason);
    }
  }
}

void SipService::on_receive(std::string_view bytes, const sip::Endpoint& from, sip::TimePoint now,
                            std::chrono::sys_seconds wall_now) {
  ++stats_.received;
  last_now_ = now;
  auto message = sip::Message::parse(bytes);
  if (!message) {
    on_malformed(bytes, message.error(), from);
    return;
  }
  if (message->is_request()) {
    ++stats_.requests;
    transactions_.on_message(std::move(*message), response_target(*message, from), now);
  } else {
    ++stats_.responses;
    transactions_.on_message(std::move(*message), from, now);
  }
  run_actions(now, wall_now);
}

void SipService::on_malformed(std::string_view bytes, const sip::ParseError& error,
                              const sip::Endpoint& from) {
  ++stats_.malformed;
  auto response = sip::error_response(bytes, error, tags_.next());
  spdlog::info("malformed message from {}:{}: {}{}", from.address, from.port, error.reason,
               response ? "" : " (dropped)");
  if (response) outgoing_.push_back({from, std::move(*response)});
}

void SipService::on_timer(sip::TimePoint now, std::chrono::sys_seconds wall_now) {
  last_now_ = now;
  transactions_.on_timer(now);
  calls_.on_timer(now);
  lamps_.on_timer(now);
  if (now >= next_prune_) {
    locations_.expire(now);
    throttle_.prune(now);
    auth_.prune(now);
    next_prune_ = now + kPruneInterval;
  }
  run_actions(now, wall_now);
}

void SipService::on_media_event(const media::MediaEvent& event, sip::TimePoint now,
                                std::chrono::sys_seconds wall_now) {
  calls_.on_media_event(event, now);
  run_actions(now, wall_now);
}

std::optional<sip::TimePoint> SipService::next_deadline() const {
  auto next = next_prune_;
  for (auto t : {transactions_.next_deadline(), calls_.next_deadline(), lamps_.next_deadline()}) {
    if (t && *t < next) next = *t;
  }
  return next;
}

std::vector<Outgoing> SipService::take_outgoing() { return std::exchange(outgoing_, {}); }

void SipService::run_actions(sip::TimePoint now, std::chrono::sys_seconds wall_now) {
  // Responding queues further actions (the sends), hence the loop until nothing is left.
  for (auto actions = transactions_.take_actions(); !actions.empty();
       actions = transactions_.take_actions()) {
    for (auto& action : actions) {
      if (auto* send = std::get_if<sip::Send>(&action)) {
        outgoing_.push_back({send->to, std::move(send->bytes)});
      } else if (auto* req = std::get_if<sip::RequestReceived>(&action)) {
        handle_request(*req, now, wall_now);
      } else if (auto* ack = std::get_if<sip::AckReceived>(&action)) {
        calls_.on_ack(ack->ack);
      } else if (auto* resp = std::get_if<sip::ResponseReceived>(&action)) {
        if (lamps_.owns_transaction(resp->id)) {
          lamps_.on_notify_response(resp->id, resp->response.status());
        } else {
          calls_.on_response(resp->id, resp->response, now);
        }
      } else if (auto* stray = std::get_if<sip::StrayResponse>(&action)) {
        calls_.on_stray_response(stray->response, stray->from);
      } else if (auto* timeout = std::get_if<sip::TransactionTimeout>(&action)) {
        if (lamps_.owns_transaction(timeout->id)) {
          lamps_.on_notify_failed(timeout->id);
        } else {
          calls_.on_timeout(timeout->id, now);
        }
      }
      // AckTimeout: the call resends its 2xx and gives up on its own.
    }
  }
}

void SipService::on_subscribe(sip::RequestReceived& req, const RequestContext& ctx) {
  // Lamps show who waits in a slot: only users of the tenant may watch them (401, as a UAS).
  const auto* tenant = directory_.tenant_for_host(req.request.request_uri().host);
  if (!tenant) return respond(req.id, Reply{404, ""}, ctx.now);
  const auto* user = tenant ? tenant->find_user(sip::unescape(req.request.from().uri.user)) : nullptr;
  if (auto refusal = auth_.check(ctx, *tenant, user, Challenge::Www)) {
    return respond(req.id, std::move(*refusal), ctx.now);
  }
  lamps_.on_subscribe(req, ctx);
}

std::optional<LampState> SipService::lamp_state(const Tenant& tenant,
                                                std::string_view resource) const {
  auto code = classify_park_code(tenant, parking_, resource, Dialled::ByCall);
  if (!code) return std::nullopt;
  park::TenantId tid(tenant.domain);
  auto shown = [](const park::ParkedCall& p) {
    return p.caller.display_name.empty()
               ? p.caller.number
               : fmt::format("{} <{}>", p.caller.display_name, p.caller.number);
  };
  if (code->slot) {
    const auto* parked = parking_.occupant(tid, *code->slot);
    return parked ? LampState{true, shown(*parked)} : LampState{};
  }
  const auto* first = parking_.first_parked_in(tid, code->lot);
  return first ? LampState{true, shown(*first)} : LampState{};
}

void SipService::respond(sip::ServerTransactionId id, Reply reply, sip::TimePoint now) {
  respond_or_log(transactions_, id, std::move(reply), now);
}

void SipService::handle_request(sip::RequestReceived& req, sip::TimePoint now,
                                std::chrono::sys_seconds wall_now) {
  const auto& m = req.request;
  auto stamped = sip::stamp_via(m.top_via(), req.from.address, req.from.port);
  RequestContext ctx{m, req.from, stamped, now, wall_now};
  auto method = m.method();
  auto simple = [&](int status, std::string_view reason) {
    return Reply{status, sip::make_response(m, status, reason, tags_.next(), stamped).build()};
  };
  if (method == "CANCEL") {
    if (!req.cancels) return respond(req.id, simple(481, "No transaction to cancel"), now);
    respond(req.id, simple(200, "OK"), now);
    return calls_.on_cancel(*req.cancels, now);
  }
  if (!m.to().tag().empty()) {
    if (lamps_.owns_dialog(m)) return lamps_.on_subscribe(req, ctx);
    if (!calls_.on_in_dialog(req, ctx)) {
      respond(req.id, simple(481, "Call/Transaction Does Not Exist"), now);
    }
    return;
  }
  if (method == "INVITE") {
    if (auto refusal = router_.refuse_unsupported(ctx)) return respond(req.id, *refusal, now);
    return calls_.on_invite(req, ctx);
  }
  if (method == "SUBSCRIBE") {
    if (auto refusal = router_.refuse_unsupported(ctx)) return respond(req.id, *refusal, now);
    return on_subscribe(req, ctx);
  }
  if (auto reply = router_.route(ctx)) respond(req.id, std::move(*reply), now);
}

}  // namespace orbit::pbx
