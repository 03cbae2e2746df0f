// The OpenAPI 3 document of the routes in api/routes.hpp, served at /api/v1/openapi.json.
#pragma once

#include <nlohmann/json.hpp>

namespace orbit::api {

[[nodiscard]] const nlohmann::json& openapi_document();

}  // namespace orbit::api
