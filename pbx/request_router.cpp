// Refusals with a reason for what Orbit cannot serve, then dispatch by method.
#include "pbx/request_router.hpp"

#include <fmt/format.h>

#include "sip/message_builder.hpp"

namespace orbit::pbx {
namespace {

// Option tags Orbit implements in Require: none yet beyond RFC 3261 itself.
bool is_supported_option(std::string_view) { return false; }

}  // namespace

Reply RequestRouter::reply(const RequestContext& ctx, int status, std::string_view reason) const {
  return {status, sip::make_response(ctx.request, status, reason, tags_.next(), ctx.top_via).build()};
}

std::optional<Reply> RequestRouter::refuse_unsupported(const RequestContext& ctx) const {
  const auto& req = ctx.request;
  const auto& ruri = req.request_uri();
  if (!ruri.is_sip() && !ruri.is_tel()) {
    return reply(ctx, 416, "Unsupported URI Scheme");
  }
  if (ruri.is_tel() || !directory_.tenant_for_host(ruri.host)) {
    // Orbit is no proxy: a request for a domain it does not serve is never relayed.
    return reply(ctx, 403, "Relaying denied: domain not served here");
  }
  std::vector<std::string_view> unsupported;
  for (auto tag : req.header_values(sip::HeaderId::Require)) {
    if (!is_supported_option(tag)) unsupported.push_back(tag);
  }
  if (!unsupported.empty()) {
    auto b = sip::make_response(req, 420, "Bad Extension", tags_.next(), ctx.top_via);
    b.header("Unsupported", fmt::format("{}", fmt::join(unsupported, ", ")));
    return Reply{420, b.build()};
  }
  return std::nullopt;
}

Reply RequestRouter::options(const RequestContext& ctx) const {
  auto b = sip::make_response(ctx.request, 200, "OK", tags_.next(), ctx.top_via);
  b.header("Allow", kAllowedMethods);
  b.header("Accept", "application/sdp");
  return {200, b.build()};
}

std::optional<Reply> RequestRouter::route(const RequestContext& ctx) {
  auto method = ctx.request.method();
  if (method == "ACK") return std::nullopt;
  if (auto refusal = refuse_unsupported(ctx)) return refusal;
  if (method == "REGISTER") return registrar_.handle(ctx);
  if (method == "OPTIONS") return options(ctx);
  if (method == "CANCEL" || method == "BYE") {
    return reply(ctx, 481, "Call/Transaction Does Not Exist");
  }
  auto b = sip::make_response(ctx.request, 501, fmt::format("{} not implemented", method),
                              tags_.next(), ctx.top_via);
  b.header("Allow", kAllowedMethods);
  return Reply{501, b.build()};
}

}  // namespace orbit::pbx
