// Digest authentication of requests from users: challenge, check, replay, throttling.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "pbx/auth_throttle.hpp"
#include "pbx/directory.hpp"
#include "pbx/request_context.hpp"
#include "sip/nonce.hpp"
#include "sip/tag_generator.hpp"

namespace orbit::pbx {

// A registrar challenges with 401/WWW-Authenticate, a server handling calls with
// 407/Proxy-Authenticate (RFC 3261 §22.3).
enum class Challenge { Www, Proxy };

class Authenticator {
 public:
  Authenticator(const sip::NonceService& nonces, AuthThrottle& throttle, sip::TagGenerator& tags)
      : nonces_(nonces), throttle_(throttle), tags_(tags) {}

  // A refusal or challenge for the request, or nullopt when it carries valid credentials of
  // `user` (which may be null: an unknown user never authenticates).
  [[nodiscard]] std::optional<Reply> check(const RequestContext& ctx, const Tenant& tenant,
                                           const User* user, Challenge kind);
  // Forgets the nonce-counts of nonces past their lifetime.
  void prune(sip::TimePoint now);

 private:
  [[nodiscard]] Reply reply(const RequestContext& ctx, int status, std::string_view reason) const;
  [[nodiscard]] Reply challenge(const RequestContext& ctx, const Tenant& tenant, const User* user,
                                Challenge kind, bool stale) const;

  const sip::NonceService& nonces_;
  AuthThrottle& throttle_;
  sip::TagGenerator& tags_;
  // The highest nonce-count accepted per nonce (RFC 7616 §3.4.5): a replayed Authorization
  // is challenged again instead of accepted.
  struct NonceUse {
    std::uint64_t nc = 0;
    sip::TimePoint forget_at;
  };
  std::unordered_map<std::string, NonceUse> nonce_uses_;
};

}  // namespace orbit::pbx
