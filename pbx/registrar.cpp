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

// The Digest credentials meant for this realm; other schemes and realms are ignored.
std::optional<sip::DigestCredentials> credentials_for(const sip::Message& req,
                                                      std::string_view realm) {
  for (const auto& h : req.headers()) {
    if (h.id != sip::HeaderId::Authorization) continue;
    auto c = sip::parse_digest_credentials(h.value);
    if (c && c->realm == realm) return *c;
  }
  return std::nullopt;
}

// RFC 7616 §3.4.6: the digest uri must name the Request-URI, or credentials computed for one
// request could be replayed on another. Compared as URIs: scheme, user, host and port.
bool same_uri(std::string_view digest_uri, const sip::Uri& request_uri) {
  auto u = sip::parse_uri(digest_uri);
  return u && sip::lex::iequals(u->scheme, request_uri.scheme) &&
         sip::unescape(u->user) == sip::unescape(request_uri.user) &&
         sip::lex::iequals(u->host, request_uri.host) && u->port == request_uri.port;
}

}  // namespace

Reply Registrar::reply(const RequestContext& ctx, int status, std::string_view reason) const {
  auto tag = tags_.next();
  return {status, sip::make_response(ctx.request, status, reason, tag, ctx.top_via).build()};
}

Reply Registrar::challenge(const RequestContext& ctx, const Tenant& tenant, const User* user,
                           bool stale) const {
  auto nonce = nonces_.issue(ctx.wall_now);
  if (!nonce) return reply(ctx, 500, "Cannot issue a nonce");
  sip::DigestChallenge c{tenant.realm, *nonce, std::nullopt, stale};
  const auto& offered =
      user && !user->auth_algorithms.empty() ? user->auth_algorithms : tenant.auth_algorithms;
  auto b = sip::make_response(ctx.request, 401, "Unauthorized", tags_.next(), ctx.top_via);
  for (const auto& value : sip::format_digest_challenges(c, offered)) {
    b.header("WWW-Authenticate", value);
  }
  return {401, b.build()};
}

std::optional<Reply> Registrar::authenticate(const RequestContext& ctx, const Tenant& tenant,
                                             const User* user) {
  const auto& src = ctx.source.address;
  if (throttle_.is_blocked(src, ctx.now)) {
    return reply(ctx, 403, "Too many authentication failures from this address");
  }
  auto creds = credentials_for(ctx.request, tenant.realm);
  if (!creds) return challenge(ctx, tenant, user, false);
  const auto& offered =
      user && !user->auth_algorithms.empty() ? user->auth_algorithms : tenant.auth_algorithms;
  if (std::find(offered.begin(), offered.end(), creds->algorithm) == offered.end()) {
    return challenge(ctx, tenant, user, false);
  }
  if (!same_uri(creds->uri, ctx.request.request_uri())) {
    return reply(ctx, 400, "Digest uri does not match the Request-URI");
  }
  auto nonce = nonces_.check(creds->nonce, ctx.wall_now);
  if (nonce == sip::NonceStatus::Invalid) return challenge(ctx, tenant, user, false);
  bool ok = user && creds->username == user->extension &&
            sip::verify_digest(*creds, ctx.request.method(), user->password).has_value();
  if (!ok) {
    spdlog::warn("auth failure: user '{}' in {} from {}", creds->username, tenant.domain,
                 endpoint_text(ctx.source));
    if (throttle_.record_failure(src, ctx.now)) {
      spdlog::warn("auth throttle: {} blocked after repeated failures", src);
    }
    return reply(ctx, 403, "Authentication failed");
  }
  if (nonce == sip::NonceStatus::Stale) return challenge(ctx, tenant, user, true);
  if (creds->nc) {
    auto nc = std::stoull(*creds->nc, nullptr, 16);  // 8 hex digits, checked by the parser
    auto& use = nonce_uses_[creds->nonce];
    if (nc <= use.nc) {
      spdlog::warn("replayed nonce-count from {}", endpoint_text(ctx.source));
      return challenge(ctx, tenant, user, true);
    }
    use = {nc, ctx.now + nonces_.lifetime() + sip::NonceService::kClockSkew};
  }
  return std::nullopt;
}

void Registrar::prune(sip::TimePoint now) {
  std::erase_if(nonce_uses_, [&](const auto& entry) { return entry.second.forget_at <= now; });
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
  if (auto refusal = authenticate(ctx, *tenant, user)) return std::move(*refusal);
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
