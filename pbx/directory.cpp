// Lookups in the directory of tenants, users and trunks.
#include "pbx/directory.hpp"

#include "sip/lex.hpp"

namespace orbit::pbx {

const User* Tenant::find_user(std::string_view extension) const {
  if (!user_index.empty()) {
    auto it = user_index.find(std::string(extension));
    return it == user_index.end() ? nullptr : &users[it->second];
  }
  for (const auto& u : users) {
    if (u.extension == extension) return &u;
  }
  return nullptr;
}

Directory::Directory(std::vector<Tenant> tenants) : tenants_(std::move(tenants)) {
  for (auto& t : tenants_) {
    t.user_index.clear();
    for (std::size_t i = 0; i < t.users.size(); ++i) t.user_index.emplace(t.users[i].extension, i);
  }
}

const Tenant* Directory::tenant_for_host(std::string_view host) const {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  for (const auto& t : tenants_) {
    if (sip::lex::iequals(t.domain, host)) return &t;
    for (const auto& a : t.aliases) {
      if (sip::lex::iequals(a, host)) return &t;
    }
  }
  return nullptr;
}

const Trunk* Directory::trunk_for_source(std::string_view address, std::uint16_t port) const {
  for (const auto& t : tenants_) {
    for (const auto& trunk : t.trunks) {
      if (trunk.address == address && (trunk.port == 0 || trunk.port == port)) return &trunk;
    }
  }
  return nullptr;
}

const Tenant* Directory::tenant_of(const Trunk& trunk) const {
  for (const auto& t : tenants_) {
    for (const auto& candidate : t.trunks) {
      if (&candidate == &trunk) return &t;
    }
  }
  return nullptr;
}

}  // namespace orbit::pbx
