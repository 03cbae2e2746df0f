// Who is calling the API: a role, a tenant and its extension (always an agent's, optional else).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace orbit::api {

enum class Role { admin, supervisor, agent };

[[nodiscard]] std::string_view to_string(Role role);
[[nodiscard]] std::optional<Role> parse_role(std::string_view text);

struct Principal {
  std::string name;  // the token's label in the configuration, for logs
  Role role = Role::agent;
  std::string tenant;                    // a domain: the principal sees nothing outside it
  std::optional<std::string> extension;  // required for agents; others: where "to my phone" rings
};

}  // namespace orbit::api
