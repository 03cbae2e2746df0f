// Route table, authentication, role checks and tenant-filtered reads of the supervision source.
#include "api/routes.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/actions.hpp"
#include "api/history_routes.hpp"
#include "api/json_views.hpp"
#include "api/openapi.hpp"
#include "api/target.hpp"

namespace orbit::api {
namespace {

using nlohmann::json;

const std::vector<Route>& route_table() {
  static const std::vector<Route> table{
      {"/api/v1/calls",
       RouteKind::calls,
       true,
       {Role::admin, Role::supervisor, Role::agent},
       "Calls of the caller's tenant: state, parties, duration",
       "Call"},
      {"/api/v1/lots",
       RouteKind::lots,
       true,
       {Role::admin, Role::supervisor, Role::agent},
       "Parking lots of the caller's tenant with every slot",
       "Lot"},
      {"/api/v1/registrations",
       RouteKind::registrations,
       true,
       {Role::admin, Role::supervisor},
       "Registered phones of the caller's tenant (admin, supervisor)",
       "Registration"},
      {"/api/v1/openapi.json", RouteKind::openapi, false, {}, "This OpenAPI document", ""},
      {"/api/v1/events",
       RouteKind::events,
       true,
       {Role::admin, Role::supervisor, Role::agent},
       "WebSocket: a snapshot, then every supervision event of the caller's tenant",
       "Event"},
      {"/api/v1/history",
       RouteKind::history,
       true,
       {Role::admin, Role::supervisor, Role::agent},
       "Parked calls of the caller's tenant with their outcome, newest first, paged",
       "HistoryPage"},
      {"/api/v1/figures",
       RouteKind::figures,
       true,
       {Role::admin, Role::supervisor, Role::agent},
       "Park figures of the caller's tenant over a period: rates, waits, per lot and per hour",
       "Figures"},
  };
  return table;
}

const Route* find_route(std::string_view path) {
  for (const Route& route : route_table()) {
    if (route.path == path) return &route;
  }
  return nullptr;
}

ApiResponse json_response(const json& body) {
  return ApiResponse{200, body.dump(), {}};
}

// The source is asked for one tenant; anything of another tenant is dropped all the same.
template <typename View>
json tenant_views(std::vector<View> views, const std::string& tenant) {
  std::erase_if(views, [&](const View& view) { return view.tenant != tenant; });
  return to_json_array(views);
}

}  // namespace

std::span<const Route> routes() {
  return route_table();
}

ApiResponse error_response(unsigned status, std::string_view message) {
  return ApiResponse{status, json{{"error", message}}.dump(), {}};
}

std::expected<Principal, ApiResponse> Router::authorize(const ApiRequest& request,
                                                        const Route& route) const {
  std::optional<Principal> principal;
  if (!request.authorization.empty()) {
    principal = tokens_.authenticate(request.authorization);
  } else if (route.kind == RouteKind::events) {
    // Browsers cannot set headers on a WebSocket: the event stream also takes ?token=.
    if (auto token = query_parameter(split_target(request.target).query, "token")) {
      principal = tokens_.authenticate_token(*token);
    }
  }
  if (!principal) {
    return std::unexpected(error_response(
        401, request.authorization.empty() ? "a bearer token is required" : "invalid token"));
  }
  if (std::ranges::find(route.roles, principal->role) == route.roles.end()) {
    return std::unexpected(error_response(403, std::string("role ") +
                                                   std::string(to_string(principal->role)) +
                                                   " may not use " + std::string(route.path)));
  }
  return *principal;
}

ApiResponse Router::handle(const ApiRequest& request) const {
  if (auto action = match_action(request.method, split_target(request.target).path)) {
    if (action->route->method != request.method) {
      ApiResponse response = error_response(405, "method not allowed");
      response.allow = std::string(action->route->method);
      return response;
    }
    const Route route{action->route->path, RouteKind::action, true, action->route->roles,
                      action->route->summary, ""};
    auto principal = authorize(request, route);
    if (!principal) return principal.error();
    return run_action(*action, request, *principal, actions_);
  }
  const Route* route = find_route(split_target(request.target).path);
  if (route == nullptr) return error_response(404, "no such route");
  if (request.method != "GET") {
    ApiResponse response = error_response(405, "method not allowed");
    response.allow = "GET";
    return response;
  }
  if (route->kind == RouteKind::openapi) return json_response(openapi_document());

  auto principal = authorize(request, *route);
  if (!principal) return principal.error();
  const std::string& tenant = principal->tenant;
  switch (route->kind) {
    case RouteKind::calls:
      return json_response(tenant_views(source_.calls(tenant), tenant));
    case RouteKind::lots:
      return json_response(tenant_views(source_.lots(tenant), tenant));
    case RouteKind::registrations:
      return json_response(tenant_views(source_.registrations(tenant), tenant));
    case RouteKind::events:
      return error_response(426, "a WebSocket upgrade is required");
    case RouteKind::history:
      return history_response(history_, tenant, split_target(request.target).query);
    case RouteKind::figures:
      return figures_response(history_, tenant, split_target(request.target).query,
                              std::chrono::system_clock::now());
    case RouteKind::openapi:
    case RouteKind::action:
      break;
  }
  return error_response(404, "no such route");
}

std::expected<Principal, ApiResponse> Router::authorize_events(const ApiRequest& request) const {
  const Route* route = find_route(events_path);
  if (request.method != "GET") {
    ApiResponse response = error_response(405, "method not allowed");
    response.allow = "GET";
    return std::unexpected(response);
  }
  return authorize(request, *route);
}

}  // namespace orbit::api
