// Digest authentication of requests (RFC 3261 §22): challenges, checks, replay and throttling.
#include "pbx/authenticator.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "sip/lex.hpp"
#include "sip/message_builder.hpp"

namespace orbit::pbx {
namespace {

std::string endpoint_text(const sip::Endpoint& e) {
  return fmt::format("{}:{}:{}", sip::transport_name(e.transport), e.address, e.port);
}

// The Digest credentials meant for this realm; other schemes and realms are ignored.
std::optional<sip::DigestCredentials> credentials_for(const sip::Message& req,
                                                      std::string_view realm, sip::HeaderId id) {
  for (const auto& h : req.headers()) {
    if (h.id != id) continue;
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

Reply Authenticator::reply(const RequestContext& ctx, int status, std::string_view reason) const {
  return {status, sip::make_response(ctx.request, status, reason, tags_.next(), ctx.top_via).build()};
}

Reply Authenticator::challenge(const RequestContext& ctx, const Tenant& tenant, const User* user,
                               Challenge kind, bool stale) const {
  auto nonce = nonces_.issue(ctx.wall_now);
  if (!nonce) return reply(ctx, 500, "Cannot issue a nonce");
  sip::DigestChallenge c{tenant.realm, *nonce, std::nullopt, stale};
  const auto& offered =
      user && !user->auth_algorithms.empty() ? user->auth_algorithms : tenant.auth_algorithms;
  bool www = kind == Challenge::Www;
  auto status = www ? 401 : 407;
  auto b = sip::make_response(ctx.request, status, sip::reason_phrase(status), tags_.next(),
                              ctx.top_via);
  for (const auto& value : sip::format_digest_challenges(c, offered)) {
    b.header(www ? "WWW-Authenticate" : "Proxy-Authenticate", value);
  }
  return {status, b.build()};
}

std::optional<Reply> Authenticator::check(const RequestContext& ctx, const Tenant& tenant,
                                          const User* user, Challenge kind) {
  const auto& src = ctx.source.address;
  if (throttle_.is_blocked(src, ctx.now)) {
    return reply(ctx, 403, "Too many authentication failures from this address");
  }
  auto creds = credentials_for(ctx.request, tenant.realm,
                               kind == Challenge::Www ? sip::HeaderId::Authorization
                                                      : sip::HeaderId::ProxyAuthorization);
  if (!creds) return challenge(ctx, tenant, user, kind, false);
  const auto& offered =
      user && !user->auth_algorithms.empty() ? user->auth_algorithms : tenant.auth_algorithms;
  if (std::find(offered.begin(), offered.end(), creds->algorithm) == offered.end()) {
    return challenge(ctx, tenant, user, kind, false);
  }
  if (!same_uri(creds->uri, ctx.request.request_uri())) {
    return reply(ctx, 400, "Digest uri does not match the Request-URI");
  }
  auto nonce = nonces_.check(creds->nonce, ctx.wall_now);
  if (nonce == sip::NonceStatus::Invalid) return challenge(ctx, tenant, user, kind, false);
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
  if (nonce == sip::NonceStatus::Stale) return challenge(ctx, tenant, user, kind, true);
  if (creds->nc) {
    auto nc = std::stoull(*creds->nc, nullptr, 16);  // 8 hex digits, checked by the parser
    auto& use = nonce_uses_[creds->nonce];
    if (nc <= use.nc) {
      spdlog::warn("replayed nonce-count from {}", endpoint_text(ctx.source));
      return challenge(ctx, tenant, user, kind, true);
    }
    use = {nc, ctx.now + nonces_.lifetime() + sip::NonceService::kClockSkew};
  }
  return std::nullopt;
}

void Authenticator::prune(sip::TimePoint now) {
  std::erase_if(nonce_uses_, [&](const auto& entry) { return entry.second.forget_at <= now; });
}

}  // namespace orbit::pbx
