// The act side of /api/v1 (docs/api.md): who am I, park, pick up (retrieve, send), hang up.
// Sans I/O like the routes: a request and its principal in, a response out.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/principal.hpp"
#include "pbx/supervision.hpp"

namespace orbit::api {

struct ApiRequest;
struct ApiResponse;

enum class ActionKind { me, park, retrieve, send, hang_up };

struct ActionRoute {
  ActionKind kind;
  std::string_view method;
  std::string_view path;  // as OpenAPI writes it: "/api/v1/calls/{id}/park"
  std::vector<Role> roles;
  std::string_view summary;
};

[[nodiscard]] std::span<const ActionRoute> action_routes();

// A request path matched against the act routes: which one, and its parameter (a call id or a
// slot, percent-decoded).
struct ActionMatch {
  const ActionRoute* route;
  std::string parameter;
};

// nullopt when the path is no act route. A matching path with another method gives the route
// all the same: the caller answers 405 with its method.
[[nodiscard]] std::optional<ActionMatch> match_action(std::string_view method,
                                                      std::string_view path);

// Runs an authorised request. `actions` may be null (the server was built without them): 503.
[[nodiscard]] ApiResponse run_action(const ActionMatch& match, const ApiRequest& request,
                                     const Principal& principal,
                                     pbx::SupervisionActions* actions);

}  // namespace orbit::api
