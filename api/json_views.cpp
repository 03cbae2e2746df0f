// JSON rendering of pbx/supervision.hpp views; absent optionals are JSON null.
#include "api/json_views.hpp"

#include <ctime>

#include <fmt/format.h>

namespace orbit::api {
namespace {

using nlohmann::json;

template <typename Rep, typename Period>
std::int64_t milliseconds(std::chrono::duration<Rep, Period> d) {
  return static_cast<std::int64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

json optional_party(const std::optional<pbx::PartyView>& party) {
  return party ? to_json(*party) : json(nullptr);
}

json optional_string(const std::optional<std::string>& text) {
  return text ? json(*text) : json(nullptr);
}

json optional_id(const std::optional<std::uint64_t>& id) {
  return id ? json(*id) : json(nullptr);
}

}  // namespace

std::string iso8601_utc(std::chrono::system_clock::time_point at) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(at);
  const auto secs = std::chrono::floor<std::chrono::seconds>(ms);
  const std::time_t t = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (ms - secs).count());
}

json to_json(const pbx::PartyView& party) {
  return {{"number", party.number}, {"display_name", party.display_name}};
}

json to_json(const pbx::CallView& call) {
  return {{"id", call.id},
          {"tenant", call.tenant},
          {"state", call.state},
          {"parties", to_json_array(call.parties)},
          {"duration_ms", milliseconds(call.duration)}};
}

json to_json(const pbx::SlotView& slot) {
  return {{"slot", slot.slot},
          {"call", optional_id(slot.call)},
          {"caller", optional_party(slot.caller)},
          {"parker", slot.parker},
          {"note", optional_string(slot.note)},
          {"waited_ms", milliseconds(slot.waited)},
          {"stage", slot.stage},
          {"escalated", slot.escalated}};
}

json to_json(const pbx::LotView& lot) {
  return {{"tenant", lot.tenant},
          {"name", lot.name},
          {"park_code", lot.park_code},
          {"timeout_ms", milliseconds(lot.timeout)},
          {"warn_after_ms", milliseconds(lot.warn_after)},
          {"slots", to_json_array(lot.slots)}};
}

json to_json(const pbx::RegistrationView& registration) {
  return {{"tenant", registration.tenant},
          {"extension", registration.extension},
          {"contact", registration.contact},
          {"source", registration.source},
          {"expires_in_ms", milliseconds(registration.expires_in)}};
}

json to_json(const pbx::SupervisionEvent& event) {
  return {{"tenant", event.tenant},
          {"type", event.type},
          {"at", iso8601_utc(event.at)},
          {"call", optional_id(event.call)},
          {"lot", event.lot},
          {"slot", event.slot},
          {"caller", optional_party(event.caller)},
          {"parker", event.parker},
          {"for", event.for_user},
          {"by", event.by},
          {"note", optional_string(event.note)},
          {"waited_ms", milliseconds(event.waited)},
          {"reason", event.reason}};
}

}  // namespace orbit::api
