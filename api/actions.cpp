// Act routes: parameters and bodies checked here (400 with the field named), roles and
// the agent's own extension too; what the calls allow is pbx/'s answer (403, 404, 409, 503).
#include "api/actions.hpp"

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/routes.hpp"
#include "api/target.hpp"

namespace orbit::api {
namespace {

using nlohmann::json;

const std::vector<ActionRoute>& table() {
  static const std::vector<ActionRoute> routes{
      {ActionKind::me, "GET", "/api/v1/me", {Role::admin, Role::supervisor, Role::agent},
       "The token's principal: name, role, tenant, extension"},
      {ActionKind::park, "POST", "/api/v1/calls/{id}/park",
       {Role::admin, Role::supervisor, Role::agent},
       "Park a call (an agent: its own), optionally for a colleague and with a note"},
      {ActionKind::hang_up, "DELETE", "/api/v1/calls/{id}",
       {Role::admin, Role::supervisor, Role::agent}, "Hang up a call (an agent: its own)"},
      {ActionKind::retrieve, "POST", "/api/v1/slots/{slot}/retrieve",
       {Role::admin, Role::supervisor, Role::agent},
       "Ring an extension (an agent: its own) for the parked call and bridge on answer"},
      {ActionKind::send, "POST", "/api/v1/slots/{slot}/send", {Role::admin, Role::supervisor},
       "Send the parked call to an extension: it rings, and is bridged on answer"},
  };
  return routes;
}

// "/api/v1/calls/{id}/park" against "/api/v1/calls/42/park": the one {…} segment's value.
std::optional<std::string> match_path(std::string_view pattern, std::string_view path) {
  std::optional<std::string> parameter;
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return std::nullopt;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    auto p_end = std::min(pattern.find('/'), pattern.size());
    auto s_end = std::min(path.find('/'), path.size());
    auto p_seg = pattern.substr(0, p_end);
    auto s_seg = path.substr(0, s_end);
    if (p_seg.starts_with('{')) {
      if (s_seg.empty()) return std::nullopt;
      auto decoded = percent_decode(s_seg, false);
      if (!decoded) return std::nullopt;
      parameter = std::move(*decoded);
    } else if (p_seg != s_seg) {
      return std::nullopt;
    }
    pattern.remove_prefix(p_end);
    path.remove_prefix(s_end);
  }
  return parameter ? parameter : std::optional<std::string>(std::string{});
}

ApiResponse json_reply(unsigned status, const json& body) {
  return ApiResponse{status, body.dump(), {}};
}

unsigned http_status(pbx::ActionErrorCode code) {
  switch (code) {
    case pbx::ActionErrorCode::invalid: return 400;
    case pbx::ActionErrorCode::forbidden: return 403;
    case pbx::ActionErrorCode::not_found: return 404;
    case pbx::ActionErrorCode::conflict: return 409;
    case pbx::ActionErrorCode::unavailable: return 503;
  }
  return 500;
}

ApiResponse refused(const pbx::ActionError& error) {
  return error_response(http_status(error.code), error.message);
}

std::optional<std::uint64_t> call_id(std::string_view text) {
  std::uint64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return id;
}

// The body as a JSON object; an empty body is an empty object.
std::optional<json> body_object(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return json::object();
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

// An optional string field: nullopt when absent or null; an error message when not a string.
std::expected<std::optional<std::string>, std::string> text_field(const json& body,
                                                                  const char* name,
                                                                  std::size_t max) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) return std::unexpected(fmt::format("{} must be a string", name));
  auto value = it->get<std::string>();
  if (value.size() > max) {
    return std::unexpected(fmt::format("{} must be at most {} characters", name, max));
  }
  return value;
}

json principal_json(const Principal& p) {
  return {{"name", p.name},
          {"role", to_string(p.role)},
          {"tenant", p.tenant},
          {"extension", p.extension ? json(*p.extension) : json(nullptr)}};
}

pbx::Actor actor_of(const Principal& p) {
  return pbx::Actor{p.tenant, p.extension, p.role == Role::agent};
}

}  // namespace

std::span<const ActionRoute> action_routes() {
  return table();
}

std::optional<ActionMatch> match_action(std::string_view method, std::string_view path) {
  const ActionRoute* other_method = nullptr;
  std::string other_parameter;
  for (const ActionRoute& route : table()) {
    auto parameter = match_path(route.path, path);
    if (!parameter) continue;
    if (route.method == method) return ActionMatch{&route, std::move(*parameter)};
    if (!other_method) {
      other_method = &route;
      other_parameter = std::move(*parameter);
    }
  }
  if (other_method) return ActionMatch{other_method, std::move(other_parameter)};
  return std::nullopt;
}

ApiResponse run_action(const ActionMatch& match, const ApiRequest& request,
                       const Principal& principal, pbx::SupervisionActions* actions) {
  const ActionRoute& route = *match.route;
  if (route.kind == ActionKind::me) return json_reply(200, principal_json(principal));
  if (!actions) return error_response(503, "this server takes no actions");
  auto body = body_object(request.body);
  if (!body) return error_response(400, "the body must be a JSON object");
  auto actor = actor_of(principal);

  if (route.kind == ActionKind::park || route.kind == ActionKind::hang_up) {
    auto id = call_id(match.parameter);
    if (!id) return error_response(400, fmt::format("call id must be a number, got '{}'", match.parameter));
    if (route.kind == ActionKind::hang_up) {
      auto done = actions->hang_up(actor, *id);
      return done ? ApiResponse{204, {}, {}} : refused(done.error());
    }
    auto for_user = text_field(*body, "for", 32);
    if (!for_user) return error_response(400, for_user.error());
    auto note = text_field(*body, "note", 200);
    if (!note) return error_response(400, note.error());
    auto parked = actions->park_call(actor, *id, *for_user, *note);
    if (!parked) return refused(parked.error());
    return json_reply(200, {{"call", parked->call}, {"lot", parked->lot}, {"slot", parked->slot}});
  }

  auto extension = text_field(*body, "extension", 32);
  if (!extension) return error_response(400, extension.error());
  std::string target;
  if (route.kind == ActionKind::retrieve) {
    if (principal.role == Role::agent && *extension && *extension != principal.extension) {
      return error_response(403, "an agent retrieves calls to its own extension only");
    }
    target = extension->value_or(principal.extension.value_or(""));
    if (target.empty()) {
      return error_response(400, "extension is required: this token has no extension of its own");
    }
  } else {
    if (!*extension || (*extension)->empty()) return error_response(400, "extension is required");
    target = **extension;
  }
  auto picked = actions->pick_up(actor, match.parameter, target);
  if (!picked) return refused(picked.error());
  return json_reply(202, {{"call", picked->call}, {"slot", picked->slot},
                          {"extension", picked->extension}});
}

}  // namespace orbit::api
