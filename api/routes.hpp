// The /api/v1 routes, sans I/O: a request's method, target and Authorization in, a response out.
#pragma once

#include <expected>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/principal.hpp"
#include "api/tokens.hpp"
#include "pbx/supervision.hpp"
#include "store/history_reader.hpp"

namespace orbit::api {

inline constexpr std::string_view api_prefix = "/api/v1";
inline constexpr std::string_view events_path = "/api/v1/events";

enum class RouteKind { calls, lots, registrations, openapi, events, history, figures, action };

struct Route {
  std::string_view path;
  RouteKind kind;
  bool needs_token;
  std::vector<Role> roles;  // who may use it once authenticated
  std::string_view summary;
  std::string_view schema;  // the response's component schema, "" for none
};

// Every route the server implements, in the order the OpenAPI document lists them.
[[nodiscard]] std::span<const Route> routes();

struct ApiRequest {
  std::string_view method;
  std::string_view target;
  std::string_view authorization;  // the Authorization header, "" when absent
  bool websocket_upgrade = false;
  std::string_view body;  // JSON for the act routes
};

struct ApiResponse {
  unsigned status = 200;
  std::string body;   // JSON
  std::string allow;  // the Allow header of a 405
};

[[nodiscard]] ApiResponse error_response(unsigned status, std::string_view message);

class Router {
 public:
  // `actions` null: the act routes answer 503; `history` null: none is configured (its
  // routes answer 404). Both must outlive the router.
  Router(const TokenStore& tokens, const pbx::SupervisionSource& source,
         pbx::SupervisionActions* actions = nullptr,
         const store::HistoryReader* history = nullptr)
      : tokens_(tokens), source_(source), actions_(actions), history_(history) {}

  // A plain HTTP request (a WebSocket upgrade of /api/v1/events goes to authorize_events).
  [[nodiscard]] ApiResponse handle(const ApiRequest& request) const;
  // The principal allowed to open the event stream, from `Authorization: Bearer` or `?token=`.
  [[nodiscard]] std::expected<Principal, ApiResponse> authorize_events(
      const ApiRequest& request) const;

 private:
  [[nodiscard]] std::expected<Principal, ApiResponse> authorize(const ApiRequest& request,
                                                                const Route& route) const;

  const TokenStore& tokens_;
  const pbx::SupervisionSource& source_;
  pbx::SupervisionActions* actions_;
  const store::HistoryReader* history_;
};

}  // namespace orbit::api
