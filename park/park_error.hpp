// Why the park domain refused something: a code for the SIP edge's table, a reason for humans.
#pragma once

#include <string>
#include <string_view>

namespace orbit::park {

enum class ParkErrorCode {
  BadLotConfig,          // a lot's configuration breaks a rule (start-up only)
  UnknownTenant,         // no lot at all for this tenant
  UnknownLot,            // the tenant has no lot of that name
  UnknownSlot,           // no lot of the tenant holds that slot (or takes parks against users)
  NotAllowedToPark,      // the parker lacks the permission
  NotAllowedToRetrieve,  // the retriever lacks the permission
  AlreadyParked,         // this call is parked already
  SlotOccupied,          // a directed park into a slot someone waits in
  LotFull,               // an automatic park found no free slot
  SlotEmpty,             // a retrieve of a slot nobody waits in
  SlotAlreadyTaken,      // a retrieve lost the race: someone else just took that caller
  UnknownCall,           // the call is not (or no longer) parked
  NotRecalling,          // a recall outcome for a call not ringing that target (any more)
};

struct ParkError {
  ParkErrorCode code;
  std::string reason;  // a whole sentence for a Warning header or a dashboard: "lot main is full"

  friend bool operator==(const ParkError&, const ParkError&) = default;
};

// A stable kebab-case name for logs and events: "slot-occupied".
[[nodiscard]] std::string_view to_string(ParkErrorCode code);

}  // namespace orbit::park
