// Decides what answers a request outside any dialog: refusals common to every method, then the
// registrar, OPTIONS, or "not implemented".
#pragma once

#include <optional>

#include "pbx/directory.hpp"
#include "pbx/registrar.hpp"

namespace orbit::pbx {

// The methods Orbit implements today, for Allow headers.
inline constexpr std::string_view kAllowedMethods =
    "INVITE, ACK, CANCEL, BYE, REGISTER, OPTIONS, INFO, REFER, NOTIFY, SUBSCRIBE";

class RequestRouter {
 public:
  RequestRouter(const Directory& directory, Registrar& registrar, sip::TagGenerator& tags)
      : directory_(directory), registrar_(registrar), tags_(tags) {}

  // nullopt for a request that gets no response (ACK).
  [[nodiscard]] std::optional<Reply> route(const RequestContext& ctx);
  // Refusals common to every request outside a dialog: URI scheme, domain, Require.
  [[nodiscard]] std::optional<Reply> refuse_unsupported(const RequestContext& ctx) const;

 private:
  [[nodiscard]] Reply reply(const RequestContext& ctx, int status, std::string_view reason) const;
  [[nodiscard]] Reply options(const RequestContext& ctx) const;

  const Directory& directory_;
  Registrar& registrar_;
  sip::TagGenerator& tags_;
};

}  // namespace orbit::pbx
