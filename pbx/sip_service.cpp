// The signalling core: parse, stamp the top Via, hand to transactions, answer through the router.
#include "pbx/sip_service.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "sip/error_response.hpp"
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
                       std::uint64_t seed)
    : directory_(std::move(directory)),
      config_(config),
      nonces_(std::move(nonces)),
      tags_(seed),
      throttle_(config.auth_failures_per_minute, config.auth_block_time),
      auth_(nonces_, throttle_, tags_),
      registrar_(directory_, locations_, auth_, tags_, config.registrar),
      router_(directory_, registrar_, tags_) {}

void SipService::on_receive(std::string_view bytes, const sip::Endpoint& from, sip::TimePoint now,
                            std::chrono::sys_seconds wall_now) {
  ++stats_.received;
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
  transactions_.on_timer(now);
  if (now >= next_prune_) {
    locations_.expire(now);
    throttle_.prune(now);
    auth_.prune(now);
    next_prune_ = now + kPruneInterval;
  }
  run_actions(now, wall_now);
}

std::optional<sip::TimePoint> SipService::next_deadline() const {
  auto tx = transactions_.next_deadline();
  if (!tx || next_prune_ < *tx) return next_prune_;
  return tx;
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
      }
      // ACKs, responses and timeouts concern dialogs and client transactions, which arrive
      // with calls; Orbit sends no request yet.
    }
  }
}

void SipService::handle_request(const sip::RequestReceived& req, sip::TimePoint now,
                                std::chrono::sys_seconds wall_now) {
  auto stamped = sip::stamp_via(req.request.top_via(), req.from.address, req.from.port);
  RequestContext ctx{req.request, req.from, stamped, now, wall_now};
  auto reply = router_.route(ctx);
  if (!reply) return;
  if (auto ok = transactions_.respond(req.id, std::move(reply->bytes), reply->status, now); !ok) {
    spdlog::warn("cannot respond to {}: {}", req.request.method(), ok.error().reason);
  }
}

}  // namespace orbit::pbx
