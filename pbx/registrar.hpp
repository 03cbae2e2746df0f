// The registrar (RFC 3261 §10.3): digest authentication, bindings, expiry rules, throttling.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "pbx/auth_throttle.hpp"
#include "pbx/directory.hpp"
#include "pbx/location_service.hpp"
#include "sip/endpoint.hpp"
#include "sip/message.hpp"
#include "sip/nonce.hpp"
#include "sip/tag_generator.hpp"

namespace orbit::pbx {

struct RegistrarConfig {
  std::chrono::seconds min_expires{60};
  std::chrono::seconds max_expires{3600};
  std::chrono::seconds default_expires{3600};
};

// What the transaction user needs to answer a request.
struct RequestContext {
  const sip::Message& request;
  const sip::Endpoint& source;
  std::string_view top_via;  // the top Via stamped with received/rport
  sip::TimePoint now;
  std::chrono::sys_seconds wall_now;  // nonces are dated in wall-clock time
};

struct Reply {
  int status = 0;
  std::string bytes;
};

class Registrar {
 public:
  Registrar(const Directory& directory, LocationService& locations, const sip::NonceService& nonces,
            AuthThrottle& throttle, sip::TagGenerator& tags, RegistrarConfig config)
      : directory_(directory),
        locations_(locations),
        nonces_(nonces),
        throttle_(throttle),
        tags_(tags),
        config_(config) {}

  [[nodiscard]] Reply handle(const RequestContext& ctx);
  // Forgets the nonce-counts of nonces past their lifetime.
  void prune(sip::TimePoint now);

 private:
  [[nodiscard]] Reply reply(const RequestContext& ctx, int status, std::string_view reason) const;
  [[nodiscard]] Reply challenge(const RequestContext& ctx, const Tenant& tenant, const User* user,
                                bool stale) const;
  // A refusal or challenge, or nullopt when the request carries valid credentials.
  [[nodiscard]] std::optional<Reply> authenticate(const RequestContext& ctx, const Tenant& tenant,
                                                  const User* user);
  [[nodiscard]] Reply update_bindings(const RequestContext& ctx, const Tenant& tenant,
                                      const User& user);
  [[nodiscard]] Reply list_bindings(const RequestContext& ctx, const LocationService::Aor& aor);

  const Directory& directory_;
  LocationService& locations_;
  const sip::NonceService& nonces_;
  AuthThrottle& throttle_;
  sip::TagGenerator& tags_;
  RegistrarConfig config_;
  // The highest nonce-count accepted per nonce (RFC 7616 §3.4.5): a replayed Authorization
  // is challenged again instead of accepted.
  struct NonceUse {
    std::uint64_t nc = 0;
    sip::TimePoint forget_at;
  };
  std::unordered_map<std::string, NonceUse> nonce_uses_;
};

}  // namespace orbit::pbx
