// What a supervisor may see and do, as plain values: the contract between pbx/ and api/.
// api/ renders these as JSON; pbx/ fills them from its calls, lots and registrations.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
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
  std::chrono::seconds warn_after{0};  // the board turns the wait amber from then
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
  std::string for_user;  // the extension it was parked for (against a user, or named), or ""
  std::string by;        // retriever, who answered a recall
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

// Act side: what a supervisor or an agent may do to calls from the web.
enum class ActionErrorCode : std::uint8_t {
  invalid,      // the request names something impossible (an unknown extension)
  forbidden,    // an agent acting on a call that is not its own
  not_found,    // no such call or slot in the actor's tenant, or an empty slot
  conflict,     // the state changed: slot being taken, call no longer talking, lot full
  unavailable,  // Orbit cannot do it now (no media port, the extension not registered)
};

struct ActionError {
  ActionErrorCode code;
  std::string message;  // for people: "slot 701 is empty"
};

// Who acts: the token's tenant, and for an agent the extension it is bound to.
struct Actor {
  std::string tenant;
  std::optional<std::string> extension;
  bool agent = false;  // acts only on calls where its extension is a party
};

struct ParkOutcome {
  std::uint64_t call = 0;
  std::string lot;
  std::string slot;  // as people dial it: "701"
};

struct PickUpOutcome {
  std::uint64_t call = 0;
  std::string slot;
  std::string extension;
};

// Called on the signalling thread, like SupervisionSource.
class SupervisionActions {
 public:
  virtual ~SupervisionActions() = default;
  // Parks the call's party that is not the actor (for a supervisor: the caller); the other
  // party is released as after a blind transfer to the park code. `for_user` is told.
  virtual std::expected<ParkOutcome, ActionError> park_call(const Actor& actor, std::uint64_t call,
                                                            std::optional<std::string> for_user,
                                                            std::optional<std::string> note) = 0;
  // Rings `extension` for the call waiting in `slot` ("701", "*88101") and bridges them when
  // it answers; unanswered, the call stays parked.
  virtual std::expected<PickUpOutcome, ActionError> pick_up(const Actor& actor,
                                                            const std::string& slot,
                                                            const std::string& extension) = 0;
  virtual std::expected<void, ActionError> hang_up(const Actor& actor, std::uint64_t call) = 0;
};

}  // namespace orbit::pbx
