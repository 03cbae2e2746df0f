// Reading park codes of every dialect.
#include "pbx/park_codes.hpp"

#include "sip/lex.hpp"

namespace orbit::pbx {
namespace {

std::optional<std::uint32_t> number(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  auto v = sip::lex::parse_uint(s, 999'999'999);
  if (!v) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

// Orbit N of a tenant: the N-th slot (from 0) of its first lot.
std::optional<park::SlotKey> orbit_slot(const Tenant& tenant, const park::ParkingService& parking,
                                        std::string_view digit) {
  if (digit.size() != 1 || !sip::lex::is_digit(digit[0]) || tenant.first_lot.empty()) {
    return std::nullopt;
  }
  const auto* lot = parking.find_lot(park::TenantId(tenant.domain), park::LotName(tenant.first_lot));
  if (!lot || !lot->slots) return std::nullopt;
  park::SlotNumber slot{lot->slots->first.value + static_cast<std::uint32_t>(digit[0] - '0')};
  if (!lot->slots->contains(slot)) return std::nullopt;
  return slot;
}

bool starts(std::string_view s, std::string_view prefix) {
  return !prefix.empty() && s.starts_with(prefix);
}

}  // namespace

std::optional<ParkCode> classify_park_code(const Tenant& tenant,
                                           const park::ParkingService& parking,
                                           std::string_view dialled, Dialled how) {
  park::TenantId tid(tenant.domain);
  const auto& codes = tenant.park_codes;
  if (const auto* lot = parking.lot_for_code(tid, dialled)) {
    return ParkCode{ParkCode::Kind::Park, lot->name, std::nullopt};
  }
  if (auto n = number(dialled)) {
    park::SlotKey key = park::SlotNumber{*n};
    if (const auto* lot = parking.lot_for_slot(tid, key)) {
      auto kind = how == Dialled::ByTransfer ? ParkCode::Kind::Park : ParkCode::Kind::Retrieve;
      return ParkCode{kind, lot->name, key};
    }
  }
  // Longest prefixes first: "*68" must not be read as orbit "*6".
  if (starts(dialled, codes.webex_park)) {
    auto ext = dialled.substr(codes.webex_park.size());
    if (ext.empty()) {
      if (tenant.first_lot.empty()) return std::nullopt;
      return ParkCode{ParkCode::Kind::Park, park::LotName(tenant.first_lot), std::nullopt};
    }
    if (!tenant.find_user(ext)) return std::nullopt;
    park::SlotKey key = park::UserSlot{park::Extension(std::string(ext))};
    if (const auto* lot = parking.lot_for_slot(tid, key)) {
      return ParkCode{ParkCode::Kind::Park, lot->name, key};
    }
    return std::nullopt;
  }
  if (starts(dialled, codes.webex_retrieve)) {
    auto ext = dialled.substr(codes.webex_retrieve.size());
    if (!tenant.find_user(ext)) return std::nullopt;
    park::SlotKey key = park::UserSlot{park::Extension(std::string(ext))};
    if (const auto* lot = parking.lot_for_slot(tid, key)) {
      return ParkCode{ParkCode::Kind::Retrieve, lot->name, key};
    }
    return std::nullopt;
  }
  for (auto [prefix, kind] : {std::pair{&codes.orbit_park, ParkCode::Kind::Park},
                              std::pair{&codes.orbit_retrieve, ParkCode::Kind::Retrieve}}) {
    if (!starts(dialled, *prefix)) continue;
    if (auto slot = orbit_slot(tenant, parking, dialled.substr(prefix->size()))) {
      return ParkCode{kind, park::LotName(tenant.first_lot), slot};
    }
  }
  return std::nullopt;
}

std::string retrieve_hint(const Tenant& tenant, const park::SlotKey& slot) {
  if (const auto* user = std::get_if<park::UserSlot>(&slot)) {
    return tenant.park_codes.webex_retrieve + user->user.str();
  }
  return std::to_string(std::get<park::SlotNumber>(slot).value);
}

std::vector<std::string> lamp_resources(const Tenant& tenant, const park::ParkingService& parking,
                                        const park::SlotKey& slot) {
  std::vector<std::string> out;
  park::TenantId tid(tenant.domain);
  if (const auto* user = std::get_if<park::UserSlot>(&slot)) {
    if (!tenant.park_codes.webex_retrieve.empty()) {
      out.push_back(tenant.park_codes.webex_retrieve + user->user.str());
    }
    return out;
  }
  auto number_slot = std::get<park::SlotNumber>(slot);
  out.push_back(std::to_string(number_slot.value));
  const auto* lot = parking.lot_for_slot(tid, slot);
  if (!lot) return out;
  if (!lot->park_code.empty()) out.push_back(lot->park_code);
  if (lot->name.str() == tenant.first_lot && lot->slots && !tenant.park_codes.orbit_retrieve.empty()) {
    auto index = number_slot.value - lot->slots->first.value;
    if (index < 10) out.push_back(tenant.park_codes.orbit_retrieve + std::to_string(index));
  }
  return out;
}

}  // namespace orbit::pbx
