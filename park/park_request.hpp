// What pbx/ asks of the park domain: park a call, retrieve one. Permissions come in the request:
// the domain knows no user directory.
#pragma once

#include <optional>
#include <string>

#include "park/ids.hpp"
#include "park/parked_call.hpp"
#include "park/slot_key.hpp"

namespace orbit::park {

struct ParkRequest {
  CallRef call;  // the caller's leg, as pbx/ knows it
  TenantId tenant;
  LotName lot;                  // see ParkingService::lot_for_code / lot_for_slot
  std::optional<SlotKey> slot;  // directed (a number or a user); none: the lot picks one
  CallerId caller;
  Extension parker;       // whom a recall rings first
  bool can_park = false;  // the parker's permission, as pbx/ resolved it
  std::optional<std::string> note;
  // The colleague it is parked for (told, and shown on the supervisor's board); parking
  // against a user's slot names that user anyway.
  std::optional<Extension> for_user;
};

struct RetrieveRequest {
  TenantId tenant;
  SlotKey slot;
  Extension retriever;
  bool can_retrieve = false;  // the retriever's permission, as pbx/ resolved it
};

}  // namespace orbit::park
