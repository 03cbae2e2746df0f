// The supervision views as JSON: durations in integer milliseconds (`*_ms`), times ISO 8601 UTC.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "pbx/supervision.hpp"

namespace orbit::api {

// "2025-01-31T09:05:07.042Z"
[[nodiscard]] std::string iso8601_utc(std::chrono::system_clock::time_point at);

[[nodiscard]] nlohmann::json to_json(const pbx::PartyView& party);
[[nodiscard]] nlohmann::json to_json(const pbx::CallView& call);
[[nodiscard]] nlohmann::json to_json(const pbx::SlotView& slot);
[[nodiscard]] nlohmann::json to_json(const pbx::LotView& lot);
[[nodiscard]] nlohmann::json to_json(const pbx::RegistrationView& registration);
[[nodiscard]] nlohmann::json to_json(const pbx::SupervisionEvent& event);

template <typename View>
[[nodiscard]] nlohmann::json to_json_array(const std::vector<View>& views) {
  nlohmann::json out = nlohmann::json::array();
  for (const View& view : views) out.push_back(to_json(view));
  return out;
}

}  // namespace orbit::api
