// Names, times and resolutions of park events.
#include "park/park_events.hpp"

#include <type_traits>

namespace orbit::park {
namespace {

template <class T>
constexpr std::string_view name_of() {
  if constexpr (std::is_same_v<T, CallParked>) return "parked";
  if constexpr (std::is_same_v<T, CallRetrieved>) return "retrieved";
  if constexpr (std::is_same_v<T, ParkTimedOut>) return "timed-out";
  if constexpr (std::is_same_v<T, RecallStarted>) return "recall-started";
  if constexpr (std::is_same_v<T, RecallAnswered>) return "recall-answered";
  if constexpr (std::is_same_v<T, RecallUnanswered>) return "recall-unanswered";
  if constexpr (std::is_same_v<T, CallEscalated>) return "escalated";
  if constexpr (std::is_same_v<T, CallAbandoned>) return "abandoned";
  if constexpr (std::is_same_v<T, ParkRefused>) return "park-refused";
  if constexpr (std::is_same_v<T, RetrieveRefused>) return "retrieve-refused";
}

}  // namespace

std::string_view event_name(const ParkEvent& event) {
  return std::visit([](const auto& e) { return name_of<std::decay_t<decltype(e)>>(); }, event);
}

TimePoint event_time(const ParkEvent& event) {
  return std::visit([](const auto& e) { return e.at; }, event);
}

const ParkedCall* event_call(const ParkEvent& event) {
  return std::visit(
      [](const auto& e) -> const ParkedCall* {
        if constexpr (requires { e.call.parker; }) {
          return &e.call;
        } else {
          return nullptr;
        }
      },
      event);
}

std::optional<Resolution> resolution_of(const ParkEvent& event) {
  if (std::holds_alternative<CallRetrieved>(event)) return Resolution::Retrieved;
  if (std::holds_alternative<CallAbandoned>(event)) return Resolution::Abandoned;
  if (std::holds_alternative<RecallAnswered>(event)) return Resolution::TimedOut;
  return std::nullopt;
}

}  // namespace orbit::park
