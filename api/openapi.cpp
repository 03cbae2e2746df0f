// OpenAPI 3.0 document built from the route table, with the schemas of api/json_views.cpp.
#include "api/openapi.hpp"

#include <cctype>
#include <string>

#include "api/actions.hpp"
#include "api/routes.hpp"

namespace orbit::api {
namespace {

using nlohmann::json;

json ref(std::string_view schema) {
  return {{"$ref", "#/components/schemas/" + std::string(schema)}};
}

json string_type() {
  return {{"type", "string"}};
}
json nullable_string() {
  return {{"type", "string"}, {"nullable", true}};
}
json integer_type() {
  return {{"type", "integer"}, {"format", "int64"}};
}
json nullable_integer() {
  return {{"type", "integer"}, {"format", "int64"}, {"nullable", true}};
}

json object_schema(json properties) {
  json required = json::array();
  for (const auto& [name, _] : properties.items()) required.push_back(name);
  return {{"type", "object"}, {"required", required}, {"properties", std::move(properties)}};
}

json schemas() {
  json party = object_schema({{"number", string_type()}, {"display_name", string_type()}});
  json nullable_party = {{"allOf", json::array({ref("Party")})}, {"nullable", true}};
  json call = object_schema(
      {{"id", integer_type()},
       {"tenant", string_type()},
       {"state",
        {{"type", "string"}, {"enum", {"ringing", "talking", "on hold", "parked", "recalling"}}}},
       {"parties", {{"type", "array"}, {"items", ref("Party")}}},
       {"duration_ms", integer_type()}});
  json slot = object_schema({{"slot", string_type()},
                             {"call", nullable_integer()},
                             {"caller", nullable_party},
                             {"parker", string_type()},
                             {"note", nullable_string()},
                             {"waited_ms", integer_type()},
                             {"stage", string_type()},
                             {"escalated", {{"type", "boolean"}}}});
  json lot = object_schema({{"tenant", string_type()},
                            {"name", string_type()},
                            {"park_code", string_type()},
                            {"timeout_ms", integer_type()},
                            {"warn_after_ms", integer_type()},
                            {"slots", {{"type", "array"}, {"items", ref("Slot")}}}});
  json registration = object_schema({{"tenant", string_type()},
                                     {"extension", string_type()},
                                     {"contact", string_type()},
                                     {"source", string_type()},
                                     {"expires_in_ms", integer_type()}});
  json event = object_schema({{"tenant", string_type()},
                              {"type", string_type()},
                              {"at", {{"type", "string"}, {"format", "date-time"}}},
                              {"call", nullable_integer()},
                              {"lot", string_type()},
                              {"slot", string_type()},
                              {"caller", nullable_party},
                              {"parker", string_type()},
                              {"for", string_type()},
                              {"by", string_type()},
                              {"note", nullable_string()},
                              {"waited_ms", integer_type()},
                              {"reason", string_type()}});
  json error = object_schema({{"error", string_type()}});
  return {{"Party", party},
          {"Call", call},
          {"Slot", slot},
          {"Lot", lot},
          {"Registration", registration},
          {"Event", event},
          {"Error", error}};
}

json error_reply(std::string_view description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", ref("Error")}}}}}};
}

// The history routes (GET /history, /figures): their schemas and parameters.
json nullable_number() {
  return {{"type", "number"}, {"nullable", true}};
}
json date_time() {
  return {{"type", "string"}, {"format", "date-time"}};
}

// The counts every level of the figures has, plus the `extra` properties of that level.
json figure_counts(json extra) {
  extra.update({{"parks", integer_type()},
                {"retrieved", integer_type()},
                {"abandoned", integer_type()},
                {"parked", integer_type()},
                {"retrieved_pct", nullable_number()},
                {"abandoned_pct", nullable_number()},
                {"recalls", integer_type()},
                {"escalations", integer_type()},
                {"median_wait_ms", nullable_integer()},
                {"p90_wait_ms", nullable_integer()}});
  return object_schema(std::move(extra));
}

json history_schemas() {
  json entry = object_schema(
      {{"id", integer_type()},
       {"tenant", string_type()},
       {"call", nullable_integer()},
       {"lot", string_type()},
       {"slot", string_type()},
       {"caller", ref("Party")},
       {"parker", string_type()},
       {"note", nullable_string()},
       {"parked_at", date_time()},
       {"outcome", {{"type", "string"}, {"enum", {"parked", "retrieved", "abandoned"}}}},
       {"by", string_type()},
       {"resolved_at", {{"type", "string"}, {"format", "date-time"}, {"nullable", true}}},
       {"waited_ms", nullable_integer()},
       {"recalls", integer_type()},
       {"escalated", {{"type", "boolean"}}}});
  json page = object_schema({{"entries", {{"type", "array"}, {"items", ref("HistoryEntry")}}},
                             {"next_before", nullable_integer()}});
  json hour = object_schema({{"hour", date_time()},
                             {"parks", integer_type()},
                             {"retrieved", integer_type()},
                             {"median_wait_ms", nullable_integer()}});
  json figures = figure_counts({{"from", date_time()},
                                {"to", date_time()},
                                {"lots", {{"type", "array"}, {"items", ref("LotFigures")}}},
                                {"hours", {{"type", "array"}, {"items", ref("HourFigures")}}}});
  return {{"HistoryEntry", entry},
          {"HistoryPage", page},
          {"Figures", figures},
          {"LotFigures", figure_counts({{"lot", string_type()}})},
          {"HourFigures", hour}};
}

json query_parameter(std::string_view name, json schema, std::string_view description) {
  return {{"name", name},
          {"in", "query"},
          {"required", false},
          {"schema", std::move(schema)},
          {"description", description}};
}

// Parameters and extra answers of the history routes.
void describe_history(const Route& route, json& op) {
  if (route.kind == RouteKind::history) {
    op["parameters"] = json::array(
        {query_parameter("limit",
                         {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}, {"default", 50}},
                         "entries per page"),
         query_parameter("before", {{"type", "integer"}, {"minimum", 1}},
                         "only entries older than this id: the next_before of the previous page")});
  } else {
    op["parameters"] = json::array(
        {query_parameter("from", date_time(),
                         "start of the period (ISO 8601, included); default: 24 hours before to"),
         query_parameter(
             "to", date_time(),
             "end of the period (excluded); default: now. At most 31 days after from")});
  }
  op["responses"]["400"] = error_reply("a parameter is malformed (the message names it)");
  op["responses"]["404"] = error_reply("history is not configured");
}

json every_schema() {
  json all = schemas();
  all.update(history_schemas());
  return all;
}

json operation(const Route& route) {
  json responses;
  if (route.kind == RouteKind::events) {
    responses["101"] = {
        {"description",
         "Switching to WebSocket. First message {\"type\":\"snapshot\",\"calls\":[Call],"
         "\"lots\":[Lot]}, then {\"type\":\"event\",\"event\":Event} for every event of the "
         "tenant. The token may also be given as ?token= (browsers)."}};
    responses["426"] = error_reply("not a WebSocket upgrade");
  } else if (route.kind == RouteKind::history || route.kind == RouteKind::figures) {
    responses["200"] = {{"description", "OK"},
                        {"content", {{"application/json", {{"schema", ref(route.schema)}}}}}};
  } else if (route.kind == RouteKind::openapi) {
    responses["200"] = {{"description", "OpenAPI 3 document"},
                        {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
  } else {
    responses["200"] = {
        {"description", "OK"},
        {"content",
         {{"application/json", {{"schema", {{"type", "array"}, {"items", ref(route.schema)}}}}}}}};
  }
  json op = {{"summary", route.summary}, {"responses", responses}};
  if (route.needs_token) {
    op["responses"]["401"] = error_reply("missing or invalid bearer token");
    op["responses"]["403"] = error_reply("the token's role may not use this route");
  } else {
    op["security"] = json::array();
  }
  op["responses"]["405"] = error_reply("only GET");
  if (route.kind == RouteKind::history || route.kind == RouteKind::figures) {
    describe_history(route, op);
  }
  if (route.kind == RouteKind::events) {
    op["parameters"] = json::array({{{"name", "token"},
                                     {"in", "query"},
                                     {"required", false},
                                     {"schema", string_type()},
                                     {"description", "bearer token, for browsers"}}});
  }
  return op;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

json action_operation(const ActionRoute& route) {
  json op = {{"summary", route.summary}, {"responses", json::object()}};
  auto& responses = op["responses"];
  json parameters = json::array();
  if (route.path.find("{id}") != std::string_view::npos) {
    parameters.push_back({{"name", "id"}, {"in", "path"}, {"required", true},
                          {"schema", integer_type()}});
  }
  if (route.path.find("{slot}") != std::string_view::npos) {
    parameters.push_back({{"name", "slot"}, {"in", "path"}, {"required", true},
                          {"schema", string_type()},
                          {"description", "701, or *88101 percent-encoded as %2A88101"}});
  }
  if (!parameters.empty()) op["parameters"] = parameters;
  auto body = [&](json properties) {
    op["requestBody"] = {{"required", false},
                         {"content",
                          {{"application/json",
                            {{"schema", {{"type", "object"}, {"properties", properties}}}}}}}};
  };
  auto ok = [&](const char* status, json properties) {
    responses[status] = {{"description", "OK"},
                         {"content",
                          {{"application/json",
                            {{"schema", {{"type", "object"}, {"properties", properties}}}}}}}};
  };
  switch (route.kind) {
    case ActionKind::me:
      ok("200", {{"name", string_type()}, {"role", string_type()}, {"tenant", string_type()},
                 {"extension", nullable_string()}});
      break;
    case ActionKind::park:
      body({{"for", string_type()}, {"note", string_type()}});
      ok("200", {{"call", integer_type()}, {"lot", string_type()}, {"slot", string_type()}});
      break;
    case ActionKind::retrieve:
    case ActionKind::send:
      body({{"extension", string_type()}});
      ok("202", {{"call", integer_type()}, {"slot", string_type()}, {"extension", string_type()}});
      break;
    case ActionKind::hang_up:
      responses["204"] = {{"description", "hung up"}};
      break;
  }
  if (route.kind != ActionKind::me) {
    responses["400"] = error_reply("bad input: the message names the field");
    responses["404"] = error_reply("no such call or slot in the token's tenant");
    responses["409"] = error_reply("the state changed: slot taken, call not talking, lot full");
    responses["503"] = error_reply("Orbit cannot do it now");
  }
  responses["401"] = error_reply("missing or invalid bearer token");
  responses["403"] = error_reply("outside the token's role, or not the agent's own call");
  return op;
}

json build() {
  json paths = json::object();
  for (const Route& route : routes()) {
    paths[std::string(route.path.substr(api_prefix.size()))]["get"] = operation(route);
  }
  for (const ActionRoute& route : action_routes()) {
    paths[std::string(route.path.substr(api_prefix.size()))][lower(route.method)] =
        action_operation(route);
  }
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "Orbit supervision API"},
            {"version", "1"},
            {"description",
             "Supervision of calls, parking lots and registrations, and the actions of the web "
             "console. Every answer is limited to the tenant of the bearer token."}}},
          {"servers", json::array({{{"url", std::string(api_prefix)}}})},
          {"security", json::array({{{"bearer", json::array()}}})},
          {"paths", paths},
          {"components",
           {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
            {"schemas", every_schema()}}}};
}

}  // namespace

const json& openapi_document() {
  static const json document = build();
  return document;
}

}  // namespace orbit::api
