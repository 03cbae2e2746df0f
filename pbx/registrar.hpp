// The registrar (RFC 3261 §10.3): digest authentication, bindings, expiry rules, throttling.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "pbx/authenticator.hpp"
#include "pbx/directory.hpp"
#include "pbx/location_service.hpp"
#include "pbx/request_context.hpp"
#include "sip/endpoint.hpp"
#include "sip/message.hpp"
#include "sip/tag_generator.hpp"

namespace orbit::pbx {

struct RegistrarConfig {
  std::chrono::seconds min_expires{60};
  std::chrono::seconds max_expires{3600};
  std::chrono::seconds default_expires{3600};
};

class Registrar {
 public:
  Registrar(const Directory& directory, LocationService& locations, Authenticator& auth,
            sip::TagGenerator& tags, RegistrarConfig config)
      : directory_(directory), locations_(locations), auth_(auth), tags_(tags), config_(config) {}

  [[nodiscard]] Reply handle(const RequestContext& ctx);

 private:
  [[nodiscard]] Reply reply(const RequestContext& ctx, int status, std::string_view reason) const;
  [[nodiscard]] Reply update_bindings(const RequestContext& ctx, const Tenant& tenant,
                                      const User& user);
  [[nodiscard]] Reply list_bindings(const RequestContext& ctx, const LocationService::Aor& aor);

  const Directory& directory_;
  LocationService& locations_;
  Authenticator& auth_;
  sip::TagGenerator& tags_;
  RegistrarConfig config_;
};

}  // namespace orbit::pbx
