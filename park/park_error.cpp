// Names of park error codes.
#include "park/park_error.hpp"

namespace orbit::park {

std::string_view to_string(ParkErrorCode code) {
  switch (code) {
    case ParkErrorCode::BadLotConfig:
      return "bad-lot-config";
    case ParkErrorCode::UnknownTenant:
      return "unknown-tenant";
    case ParkErrorCode::UnknownLot:
      return "unknown-lot";
    case ParkErrorCode::UnknownSlot:
      return "unknown-slot";
    case ParkErrorCode::NotAllowedToPark:
      return "not-allowed-to-park";
    case ParkErrorCode::NotAllowedToRetrieve:
      return "not-allowed-to-retrieve";
    case ParkErrorCode::AlreadyParked:
      return "already-parked";
    case ParkErrorCode::SlotOccupied:
      return "slot-occupied";
    case ParkErrorCode::LotFull:
      return "lot-full";
    case ParkErrorCode::SlotEmpty:
      return "slot-empty";
    case ParkErrorCode::SlotAlreadyTaken:
      return "slot-already-taken";
    case ParkErrorCode::UnknownCall:
      return "unknown-call";
    case ParkErrorCode::NotRecalling:
      return "not-recalling";
  }
  return "unknown";
}

}  // namespace orbit::park
