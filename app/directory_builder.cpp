// Configuration → directory: algorithm names become enums, realms get their default.
#include "app/directory_builder.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

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
    tenant.park_codes = {t.webex_park_code, t.webex_retrieve_code, t.orbit_park_code,
                         t.orbit_retrieve_code};
    for (const auto& lot : t.lots) {
      if (lot.slot_count() > 0) {
        tenant.first_lot = lot.name;
        break;
      }
    }
    tenants.push_back(std::move(tenant));
  }
  return pbx::Directory(std::move(tenants));
}

std::vector<park::LotConfig> build_lots(const Config& config) {
  std::vector<park::LotConfig> out;
  for (const auto& t : config.tenants) {
    for (const auto& l : t.lots) {
      park::LotConfig lot;
      lot.tenant = park::TenantId(t.domain);
      lot.name = park::LotName(l.name);
      lot.slots = park::SlotRange{park::SlotNumber{l.first_slot}, park::SlotNumber{l.last_slot}};
      lot.park_code = l.park_code;
      lot.timeout = l.timeout;
      lot.recall_ring_time = l.recall_ring_time;
      lot.warn_after = l.warn_after;
      if (!l.fallback.empty()) {
        park::RecallDestination fallback;
        fallback.name = fmt::format("{}", fmt::join(l.fallback, ", "));
        for (const auto& ext : l.fallback) fallback.extensions.emplace_back(ext);
        lot.fallback = std::move(fallback);
      }
      lot.hold_audio = park::MusicOnHold{l.music_class};
      out.push_back(std::move(lot));
    }
    if (!t.webex_park_code.empty() || !t.webex_retrieve_code.empty()) {
      park::LotConfig users;
      users.tenant = park::TenantId(t.domain);
      users.name = park::LotName("users");
      users.against_users = true;
      if (!t.lots.empty()) {
        users.timeout = t.lots.front().timeout;
        users.recall_ring_time = t.lots.front().recall_ring_time;
        users.warn_after = t.lots.front().warn_after;
        users.hold_audio = park::MusicOnHold{t.lots.front().music_class};
      }
      out.push_back(std::move(users));
    }
  }
  return out;
}

}  // namespace orbit::app
