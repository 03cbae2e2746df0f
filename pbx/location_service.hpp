// The location service of one node: bindings from an address of record to contacts, with expiry.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sip/endpoint.hpp"

namespace orbit::pbx {

struct Binding {
  std::string contact;  // the Contact's name-addr as registered (URI params kept)
  std::string uri;      // its URI alone
  sip::TimePoint expires_at;
  std::string call_id;
  std::uint32_t cseq = 0;
  sip::Endpoint source;  // where the REGISTER came from: how to reach a phone behind NAT
};

// Keyed by tenant domain and extension, so that tenants never see each other's bindings.
class LocationService {
 public:
  struct Aor {
    std::string domain;
    std::string extension;
    auto operator<=>(const Aor&) const = default;
  };

  // Adds or refreshes the binding of `b.uri` (compared as text).
  void bind(const Aor& aor, Binding b);
  void unbind(const Aor& aor, std::string_view uri);
  void unbind_all(const Aor& aor);
  // The live bindings of an address of record (expired ones are dropped first).
  [[nodiscard]] std::vector<Binding> lookup(const Aor& aor, sip::TimePoint now);
  [[nodiscard]] const Binding* find(const Aor& aor, std::string_view uri) const;
  // Drops every expired binding; returns how many.
  std::size_t expire(sip::TimePoint now);
  [[nodiscard]] std::size_t size() const;
  // Every live binding of a tenant, for the supervisor.
  [[nodiscard]] std::vector<std::pair<Aor, Binding>> of_tenant(std::string_view domain,
                                                               sip::TimePoint now) const;

 private:
  std::map<Aor, std::vector<Binding>> bindings_;
};

}  // namespace orbit::pbx
