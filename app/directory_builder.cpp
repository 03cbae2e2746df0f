// Configuration → directory: algorithm names become enums, realms get their default.
#include "app/directory_builder.hpp"

namespace orbit::app {
namespace {

std::vector<sip::DigestAlgorithm> algorithms(const std::vector<std::string>& names) {
  std::vector<sip::DigestAlgorithm> out;
  for (const auto& n : names) {
    if (auto a = sip::parse_digest_algorithm(n)) out.push_back(*a);
  }
  return out;
}

}  // namespace

pbx::Directory build_directory(const Config& config) {
  std::vector<pbx::Tenant> tenants;
  for (const auto& t : config.tenants) {
    pbx::Tenant tenant;
    tenant.domain = t.domain;
    tenant.aliases = t.aliases;
    tenant.realm = t.realm.empty() ? t.domain : t.realm;
    tenant.auth_algorithms = algorithms(t.auth_algorithms);
    for (const auto& u : t.users) {
      tenant.users.push_back({u.extension, u.display_name, u.password, u.can_park, u.can_retrieve,
                              algorithms(u.auth_algorithms)});
    }
    for (const auto& tr : t.trunks) {
      tenant.trunks.push_back({tr.name, tr.address, tr.port, tr.destination});
    }
    tenants.push_back(std::move(tenant));
  }
  return pbx::Directory(std::move(tenants));
}

}  // namespace orbit::app
