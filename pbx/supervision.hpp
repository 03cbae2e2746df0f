// What a supervisor may see and do, as plain values: the contract between pbx/ and api/.
// api/ renders these as JSON; pbx/ fills them from its calls, lots and registrations.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace orbit::pbx {

struct PartyView {
  std::string number;        // "100", "+33123456789"
  std::string display_name;  // may be empty
};

struct CallView {
  std::uint64_t id = 0;
  std::string tenant;
  std::string state;  // "ringing", "talking", "on hold", "parked", "recalling"
  std::vector<PartyView> parties;
  std::chrono::milliseconds duration{0};
};

struct SlotView {
  std::string slot;  // "701", or "*88101" for a park against a user
  std::optional<std::uint64_t> call;
  std::optional<PartyView> caller;
  std::string parker;
  std::optional<std::string> note;
  std::chrono::milliseconds waited{0};
  std::string stage;  // "in slot", "ringing parker", "ringing fallback"
  bool escalated = false;
};

struct LotView {
  std::string tenant;
  std::string name;
  std::string park_code;
  std::chrono::seconds timeout{0};
  std::vector<SlotView> slots;  // every numbered slot, free ones without a call
};

struct RegistrationView {
  std::string tenant;
  std::string extension;
  std::string contact;
  std::string source;  // "UDP:127.0.0.1:5062"
  std::chrono::seconds expires_in{0};
};

// One event for the supervisor (DESIGN.md §2: everything is an event first).
struct SupervisionEvent {
  std::string tenant;
  std::string type;  // "parked", "retrieved", "timed-out", "recall-started", "abandoned", ...
  std::chrono::system_clock::time_point at;
  std::optional<std::uint64_t> call;
  std::string lot;
  std::string slot;
  std::optional<PartyView> caller;
  std::string parker;
  std::string by;  // retriever, who answered a recall
  std::optional<std::string> note;
  std::chrono::milliseconds waited{0};
  std::string reason;  // refusals
};

// Read side, queried on the signalling thread.
class SupervisionSource {
 public:
  virtual ~SupervisionSource() = default;
  [[nodiscard]] virtual std::vector<CallView> calls(const std::string& tenant) const = 0;
  [[nodiscard]] virtual std::vector<LotView> lots(const std::string& tenant) const = 0;
  [[nodiscard]] virtual std::vector<RegistrationView> registrations(
      const std::string& tenant) const = 0;
  // Every event of every tenant goes to the handler, in order, on the signalling thread.
  virtual void subscribe(std::function<void(const SupervisionEvent&)> handler) = 0;
};

}  // namespace orbit::pbx
