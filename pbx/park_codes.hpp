// The park part of the dial plan: what a dialled string means, in every dialect at once —
// FreePBX (700, 701…), Webex (*68, *68<ext>, *88<ext>), 3CX (*0N, *1N).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "park/parking_service.hpp"
#include "pbx/directory.hpp"

namespace orbit::pbx {

// A park or a retrieve, with where. `retrieve_hint` is what a colleague dials to take the call.
struct ParkCode {
  enum class Kind { Park, Retrieve } kind;
  park::LotName lot;
  std::optional<park::SlotKey> slot;  // none: the lot picks a slot
};

// How a dialled string reads. A slot number parks when it is a transfer target (REFER) and
// retrieves when it is called (INVITE).
enum class Dialled { ByTransfer, ByCall };

[[nodiscard]] std::optional<ParkCode> classify_park_code(const Tenant& tenant,
                                                         const park::ParkingService& parking,
                                                         std::string_view dialled, Dialled how);

// What to dial to take back a call parked in `slot` ("701", "*88101").
[[nodiscard]] std::string retrieve_hint(const Tenant& tenant, const park::SlotKey& slot);

// Every name a phone may subscribe to for the lamp of `slot` (BLF): the slot itself, the
// orbit code, the user park code, and the lot's park code.
[[nodiscard]] std::vector<std::string> lamp_resources(const Tenant& tenant,
                                                      const park::ParkingService& parking,
                                                      const park::SlotKey& slot);

}  // namespace orbit::pbx
