// A parking lot as the administrator defines it: slots, park code, timeouts, recall, hold audio.
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "park/ids.hpp"
#include "park/park_clock.hpp"
#include "park/park_error.hpp"

namespace orbit::park {

// Numbered slots first..last, both included (701–720; the 3CX orbits 0–9 are fine too).
struct SlotRange {
  SlotNumber first;
  SlotNumber last;

  [[nodiscard]] bool contains(SlotNumber slot) const { return first <= slot && slot <= last; }
  [[nodiscard]] std::size_t size() const { return std::size_t{last.value} - first.value + 1; }
};

// How an automatic park (to the park code) picks a slot; a directed park names its own.
enum class SlotStrategy {
  FirstFree,          // the lowest free slot (Asterisk findslot=first)
  NextAfterLastUsed,  // the first free slot after the last one used, wrapping round (findslot=next)
};

// The caller hears a music class ...
struct MusicOnHold {
  std::string music_class = "default";

  friend bool operator==(const MusicOnHold&, const MusicOnHold&) = default;
};

// ... or prompts chosen by the administrator, played in a loop, optionally after a greeting.
struct HoldMessage {
  std::optional<std::string> greeting;  // e.g. "please-hold", played once
  std::vector<std::string> loop;        // prompt names, played over and over

  friend bool operator==(const HoldMessage&, const HoldMessage&) = default;
};

using HoldAudio = std::variant<MusicOnHold, HoldMessage>;

// Who rings when the parker did not answer a recall: one extension, or a group rung together.
struct RecallDestination {
  std::string name;                   // for people: "reception group"
  std::vector<Extension> extensions;  // one or more

  friend bool operator==(const RecallDestination&, const RecallDestination&) = default;
};

struct LotConfig {
  TenantId tenant;
  LotName name;
  std::optional<SlotRange> slots;  // numbered slots; none for a lot of parks against users only
  bool against_users = false;      // takes parks keyed by a user's extension (one lot per tenant)
  std::string park_code;           // dialled to park in a slot the lot picks, e.g. "700"; "" none
  SlotStrategy strategy = SlotStrategy::FirstFree;
  Duration timeout = std::chrono::seconds{60};           // parked this long, the call is recalled
  Duration recall_ring_time = std::chrono::seconds{20};  // how long each recall target rings
  Duration warn_after = std::chrono::seconds{30};  // supervisors see the wait in amber from then
  std::optional<RecallDestination> fallback;  // rung after the parker; none: straight back
  HoldAudio hold_audio = MusicOnHold{};
};

// The most slots one lot may hold: memory for a slot is taken when the lot is added.
inline constexpr std::size_t kMaxSlotsPerLot = 100'000;

// The rules a lot follows on its own (the rules across the lots of a tenant are the service's):
// names given, slots to park in, a range in order and not too large, a park code a phone can dial,
// durations above zero, a fallback that names someone, hold audio that plays something.
[[nodiscard]] std::expected<void, ParkError> check_lot(const LotConfig& lot);

// "main (701-720)", for reasons.
[[nodiscard]] std::string describe(const LotConfig& lot);

}  // namespace orbit::park
