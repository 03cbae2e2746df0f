// REGISTER handling: who may register (digest), what is bound, for how long.
#include "pbx/registrar.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "sip/lex.hpp"
#include "sip/message_builder.hpp"

namespace orbit::pbx {
namespace {

using std::chrono::duration_cast;
using std::chrono::seconds;

std::string endpoint_text(const sip::Endpoint& e) {
  return fmt::format("{}:{}:{}", sip::transport_name(e.transport), e.address, e.port);
}

}  // namespace

Reply Registrar::reply(const RequestContext& ctx, int status, std::string_view reason) const {
  auto tag = tags_.next();
  return {status, sip::make_response(ctx.request, status, reason, tag, ctx.top_via).build()};
}

Reply Registrar::handle(const RequestContext& ctx) {
  const auto& req = ctx.request;
  const auto& to = req.to().uri;
  if (!to.is_sip()) return reply(ctx, 400, "To must be a SIP URI");
  const Tenant* tenant = directory_.tenant_for_host(to.host);
  if (!tenant || tenant != directory_.tenant_for_host(req.request_uri().host)) {
    return reply(ctx, 404, "Domain not served here");
  }
  auto extension = sip::unescape(to.user);
  const User* user = tenant->find_user(extension);
  if (auto refusal = auth_.check(ctx, *tenant, user, Challenge::Www)) return std::move(*refusal);
  return update_bindings(ctx, *tenant, *user);
}

Reply Registrar::update_bindings(const RequestContext& ctx, const Tenant& tenant,
                                 const User& user) {
  const auto& req = ctx.request;
  LocationService::Aor aor{tenant.domain, user.extension};
  auto contacts = req.header_values(sip::HeaderId::Contact);
  if (contacts.empty()) return list_bindings(ctx, aor);
  bool star = std::any_of(contacts.begin(), contacts.end(), sip::is_star_contact);
  if (star) {
    if (contacts.size() != 1 || req.expires().value_or(1) != 0) {
      return reply(ctx, 400, "Contact * needs Expires: 0 and no other Contact");
    }
    locations_.unbind_all(aor);
    spdlog::info("unregistered {}@{}: all contacts", user.extension, tenant.domain);
    return list_bindings(ctx, aor);
  }
  struct Change {
    sip::NameAddr contact;
    seconds expires;
  };
  std::vector<Change> changes;
  for (auto text : contacts) {
    auto na = sip::parse_name_addr(text);
    if (!na) return reply(ctx, 400, "Bad Contact");
    if (!na->uri.is_sip()) return reply(ctx, 400, "Contact must be a SIP URI");
    auto requested = config_.default_expires;
    if (auto p = na->param("expires")) {
      requested = seconds(sip::lex::parse_uint(*p, 0xffffffffULL).value_or(0));
    } else if (auto e = req.expires()) {
      requested = seconds(*e);
    }
    if (requested.count() != 0 && requested < config_.min_expires) {
      auto b = sip::make_response(req, 423, "Interval Too Brief", tags_.next(), ctx.top_via);
      b.header("Min-Expires", std::to_string(config_.min_expires.count()));
      return {423, b.build()};
    }
    changes.push_back({*na, std::min(requested, config_.max_expires)});
  }
  for (const auto& c : changes) {
    std::string uri(c.contact.uri.raw);
    if (const auto* old = locations_.find(aor, uri);
        old && old->call_id == req.call_id() && old->cseq >= req.cseq().number) {
      return reply(ctx, 500, "REGISTER out of order");
    }
  }
  for (const auto& c : changes) {
    std::string uri(c.contact.uri.raw);
    if (c.expires.count() == 0) {
      locations_.unbind(aor, uri);
      spdlog::info("unregistered {}@{}: {}", user.extension, tenant.domain, uri);
      continue;
    }
    locations_.bind(aor, Binding{fmt::format("<{}>{}", uri, c.contact.params), uri,
                                 ctx.now + c.expires, std::string(req.call_id()),
                                 req.cseq().number, ctx.source});
    spdlog::info("registered {}@{}: {} expires {}s from {}", user.extension, tenant.domain, uri,
                 c.expires.count(), endpoint_text(ctx.source));
  }
  return list_bindings(ctx, aor);
}

Reply Registrar::list_bindings(const RequestContext& ctx, const LocationService::Aor& aor) {
  auto b = sip::make_response(ctx.request, 200, "OK", tags_.next(), ctx.top_via);
  for (const auto& binding : locations_.lookup(aor, ctx.now)) {
    auto left = duration_cast<seconds>(binding.expires_at - ctx.now).count();
    b.header("Contact", fmt::format("<{}>;expires={}", binding.uri, left));
  }
  return {200, b.build()};
}

}  // namespace orbit::pbx
