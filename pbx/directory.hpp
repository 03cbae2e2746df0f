// Who Orbit serves: tenants (SIP domains), their users and trunk peers, looked up by name or address.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sip/digest.hpp"

namespace orbit::pbx {

struct User {
  std::string extension;
  std::string display_name;
  std::string password;
  bool can_park = true;
  bool can_retrieve = true;
  std::vector<sip::DigestAlgorithm> auth_algorithms;  // what a challenge offers this user
};

struct Trunk {
  std::string name;
  std::string address;
  std::uint16_t port = 0;  // 0: any source port
  std::string destination;
};

// The dialects of park codes a tenant accepts besides its lots' codes and slot numbers
// (DESIGN.md §2); an empty prefix turns that dialect off.
struct ParkCodes {
  std::string webex_park;      // "*68": park (the lot picks), "*68<ext>": park against a user
  std::string webex_retrieve;  // "*88<ext>": take back what was parked against a user
  std::string orbit_park;      // "*0": "*0N" parks in orbit N (the N-th slot of the first lot)
  std::string orbit_retrieve;  // "*1": "*1N" takes orbit N back
};

struct Tenant {
  std::string domain;
  std::vector<std::string> aliases;
  std::string realm;
  std::vector<sip::DigestAlgorithm> auth_algorithms;
  std::vector<User> users;
  std::vector<Trunk> trunks;
  ParkCodes park_codes;
  std::string first_lot;  // the lot "*68" and orbits 0–9 use: the first with numbered slots
  // extension → index in users; built by Directory so lookups stay O(1) in large tenants.
  std::unordered_map<std::string, std::size_t> user_index;

  [[nodiscard]] const User* find_user(std::string_view extension) const;
};

class Directory {
 public:
  explicit Directory(std::vector<Tenant> tenants);

  // The tenant a host (domain, alias or address) belongs to; hosts compare case-insensitively.
  [[nodiscard]] const Tenant* tenant_for_host(std::string_view host) const;
  [[nodiscard]] const Trunk* trunk_for_source(std::string_view address, std::uint16_t port) const;
  // The tenant a trunk belongs to.
  [[nodiscard]] const Tenant* tenant_of(const Trunk& trunk) const;
  [[nodiscard]] const std::vector<Tenant>& tenants() const { return tenants_; }

 private:
  std::vector<Tenant> tenants_;
};

}  // namespace orbit::pbx
