// The parking service: lots per tenant, park, retrieve, queries and the event queue.
#include "park/parking_service.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace orbit::park {
namespace {

std::unexpected<ParkError> error(ParkErrorCode code, std::string reason) {
  return std::unexpected(ParkError{code, std::move(reason)});
}

bool overlap(const SlotRange& a, const SlotRange& b) {
  return a.first <= b.last && b.first <= a.last;
}

// The slot number a park code would also dial ("705"), if it is written as slot numbers are.
std::optional<SlotNumber> as_slot_number(const std::string& code) {
  std::uint32_t value = 0;
  const char* end = code.data() + code.size();
  auto [ptr, ec] = std::from_chars(code.data(), end, value);
  if (ec != std::errc{} || ptr != end || (code.size() > 1 && code.front() == '0')) {
    return std::nullopt;
  }
  return SlotNumber{value};
}

}  // namespace

std::expected<void, ParkError> ParkingService::add_lot(LotConfig config) {
  if (auto checked = check_lot(config); !checked) return checked;
  if (auto checked = check_against_tenant(config); !checked) return checked;
  Lot& lot = lots_.emplace_back(std::move(config));
  tenants_[lot.config().tenant].push_back(&lot);
  return {};
}

std::expected<void, ParkError> ParkingService::check_against_tenant(const LotConfig& lot) const {
  auto tenant = tenants_.find(lot.tenant);
  if (tenant == tenants_.end()) return {};
  auto code_slot = as_slot_number(lot.park_code);
  for (const Lot* other_lot : tenant->second) {
    const LotConfig& other = other_lot->config();
    auto bad = [&](const std::string& what) {
      return error(ParkErrorCode::BadLotConfig, "lot " + lot.name.str() + ": " + what);
    };
    if (other.name == lot.name) return bad("the tenant has another lot of that name");
    if (lot.slots && other.slots && overlap(*lot.slots, *other.slots)) {
      return bad("its slots overlap those of lot " + describe(other));
    }
    if (!lot.park_code.empty() && lot.park_code == other.park_code) {
      return bad("its park code " + lot.park_code + " is that of lot " + other.name.str());
    }
    if (code_slot && other.slots && other.slots->contains(*code_slot)) {
      return bad("its park code " + lot.park_code + " is a slot of lot " + describe(other));
    }
    if (auto other_code = as_slot_number(other.park_code);
        other_code && lot.slots && lot.slots->contains(*other_code)) {
      return bad("its slots include the park code of lot " + other.name.str());
    }
    if (lot.against_users && other.against_users) {
      return bad("lot " + other.name.str() + " already takes the parks against users");
    }
  }
  return {};
}

Lot* ParkingService::lot_named(const TenantId& tenant, const LotName& name) const {
  auto found = tenants_.find(tenant);
  if (found == tenants_.end()) return nullptr;
  auto lot =
      std::ranges::find_if(found->second, [&](const Lot* l) { return l->config().name == name; });
  return lot == found->second.end() ? nullptr : *lot;
}

Lot* ParkingService::lot_holding(const TenantId& tenant, const SlotKey& slot) const {
  auto found = tenants_.find(tenant);
  if (found == tenants_.end()) return nullptr;
  auto lot = std::ranges::find_if(found->second, [&](const Lot* l) { return l->holds(slot); });
  return lot == found->second.end() ? nullptr : *lot;
}

const LotConfig* ParkingService::find_lot(const TenantId& tenant, const LotName& name) const {
  const Lot* lot = lot_named(tenant, name);
  return lot ? &lot->config() : nullptr;
}

const LotConfig* ParkingService::lot_for_code(const TenantId& tenant, std::string_view code) const {
  auto found = tenants_.find(tenant);
  if (found == tenants_.end() || code.empty()) return nullptr;
  for (const Lot* lot : found->second) {
    if (lot->config().park_code == code) return &lot->config();
  }
  return nullptr;
}

const LotConfig* ParkingService::lot_for_slot(const TenantId& tenant, const SlotKey& slot) const {
  const Lot* lot = lot_holding(tenant, slot);
  return lot ? &lot->config() : nullptr;
}

// --- Park ---

std::expected<Lot*, ParkError> ParkingService::check_park(const ParkRequest& request) {
  if (!tenants_.contains(request.tenant)) {
    return error(ParkErrorCode::UnknownTenant,
                 "tenant " + request.tenant.str() + " has no parking lot");
  }
  Lot* lot = lot_named(request.tenant, request.lot);
  if (!lot) {
    return error(ParkErrorCode::UnknownLot,
                 "tenant " + request.tenant.str() + " has no lot " + request.lot.str());
  }
  if (!request.can_park) {
    return error(ParkErrorCode::NotAllowedToPark,
                 request.parker.str() + " is not allowed to park calls");
  }
  if (auto parked = calls_.find(request.call); parked != calls_.end()) {
    return error(ParkErrorCode::AlreadyParked,
                 "this call is already parked on " + describe(parked->second.call.slot));
  }
  return lot;
}

std::expected<SlotKey, ParkError> ParkingService::pick_slot(const ParkRequest& request,
                                                            const Lot& lot) const {
  const LotConfig& config = lot.config();
  if (request.slot) {
    if (!lot.holds(*request.slot)) {
      if (std::holds_alternative<UserSlot>(*request.slot)) {
        return error(ParkErrorCode::UnknownSlot,
                     "lot " + config.name.str() + " takes no parks against users");
      }
      return error(ParkErrorCode::UnknownSlot,
                   describe(*request.slot) + " is not in lot " + describe(config));
    }
    if (lot.occupant(*request.slot)) {
      return error(ParkErrorCode::SlotOccupied, describe(*request.slot) + " is already occupied");
    }
    return *request.slot;
  }
  if (!config.slots) {
    return error(ParkErrorCode::UnknownSlot,
                 "lot " + config.name.str() + " has no numbered slot: park against a user");
  }
  if (auto free = lot.choose_free()) return SlotKey{*free};
  return error(ParkErrorCode::LotFull, "lot " + describe(config) + " is full");
}

std::expected<ParkedCall, ParkError> ParkingService::refuse_park(const ParkRequest& request,
                                                                 ParkError why, TimePoint now) {
  events_.push_back(ParkRefused{request.call, request.tenant, request.lot, request.slot,
                                request.caller, request.parker, why, now});
  return std::unexpected(std::move(why));
}

std::expected<ParkedCall, ParkError> ParkingService::park(const ParkRequest& request,
                                                          TimePoint now) {
  auto lot = check_park(request);
  if (!lot) return refuse_park(request, std::move(lot.error()), now);
  auto slot = pick_slot(request, **lot);
  if (!slot) return refuse_park(request, std::move(slot.error()), now);

  ParkedCall parked{.call = request.call,
                    .tenant = request.tenant,
                    .lot = request.lot,
                    .slot = *slot,
                    .caller = request.caller,
                    .parker = request.parker,
                    .note = request.note,
                    .for_user = request.for_user,
                    .parked_at = now,
                    .deadline = now};
  (*lot)->occupy(*slot, request.call);
  auto [entry, inserted] = calls_.emplace(request.call, Entry{std::move(parked), *lot});
  schedule(entry->second, (*lot)->config().timeout, now);
  events_.push_back(CallParked{entry->second.call, (*lot)->config().hold_audio, now});
  return entry->second.call;
}

// --- Retrieve ---

ParkError ParkingService::empty_slot_error(const Lot& lot, const SlotKey& slot,
                                           TimePoint now) const {
  auto last = lot.last_departure(slot);
  bool recent = last && now - last->at <= options_.taken_notice;
  if (recent && last->how == Resolution::Retrieved) {
    return {ParkErrorCode::SlotAlreadyTaken,
            describe(slot) + " was already taken by " + last->by.str()};
  }
  if (recent && last->how == Resolution::TimedOut) {
    return {ParkErrorCode::SlotAlreadyTaken, describe(slot) + " was already taken by " +
                                                 last->by.str() + ", who answered its recall"};
  }
  if (recent && last->how == Resolution::Abandoned) {
    return {ParkErrorCode::SlotEmpty,
            "nobody is parked on " + describe(slot) + ": the caller hung up"};
  }
  return {ParkErrorCode::SlotEmpty, "nobody is parked on " + describe(slot)};
}

std::expected<ParkingService::Entry*, ParkError> ParkingService::check_retrieve(
    const RetrieveRequest& request, TimePoint now) {
  if (!tenants_.contains(request.tenant)) {
    return error(ParkErrorCode::UnknownTenant,
                 "tenant " + request.tenant.str() + " has no parking lot");
  }
  if (!request.can_retrieve) {
    return error(ParkErrorCode::NotAllowedToRetrieve,
                 request.retriever.str() + " is not allowed to retrieve parked calls");
  }
  const Lot* lot = lot_holding(request.tenant, request.slot);
  if (!lot) {
    return error(ParkErrorCode::UnknownSlot,
                 "no lot of " + request.tenant.str() + " holds " + describe(request.slot));
  }
  auto call = lot->occupant(request.slot);
  if (!call) return std::unexpected(empty_slot_error(*lot, request.slot, now));
  return &calls_.at(*call);
}

std::expected<ParkedCall, ParkError> ParkingService::retrieve(const RetrieveRequest& request,
                                                              TimePoint now) {
  auto entry = check_retrieve(request, now);
  if (!entry) {
    events_.push_back(
        RetrieveRefused{request.tenant, request.slot, request.retriever, entry.error(), now});
    return std::unexpected(std::move(entry.error()));
  }
  ParkedCall parked = leave((*entry)->call.call, {Resolution::Retrieved, request.retriever, now});
  events_.push_back(CallRetrieved{parked, request.retriever, parked.waited(now), now});
  return parked;
}

ParkedCall ParkingService::leave(CallRef call, Departure how) {
  auto found = calls_.find(call);
  ParkedCall parked = std::move(found->second.call);
  found->second.lot->release(parked.slot, std::move(how));
  deadlines_.cancel(call);
  calls_.erase(found);
  return parked;
}

// --- Queries and events ---

const ParkedCall* ParkingService::find(CallRef call) const {
  auto found = calls_.find(call);
  return found == calls_.end() ? nullptr : &found->second.call;
}

const ParkedCall* ParkingService::occupant(const TenantId& tenant, const SlotKey& slot) const {
  const Lot* lot = lot_holding(tenant, slot);
  if (!lot) return nullptr;
  auto call = lot->occupant(slot);
  return call ? find(*call) : nullptr;
}

std::vector<ParkedCall> ParkingService::parked_in(const TenantId& tenant,
                                                  const LotName& name) const {
  std::vector<ParkedCall> calls;
  const Lot* lot = lot_named(tenant, name);
  if (!lot) return calls;
  for (CallRef call : lot->occupants()) calls.push_back(calls_.at(call).call);
  return calls;
}

const ParkedCall* ParkingService::first_parked_in(const TenantId& tenant,
                                                 const LotName& name) const {
  const Lot* lot = lot_named(tenant, name);
  if (!lot) return nullptr;
  auto call = lot->first_occupant();
  return call ? &calls_.at(*call).call : nullptr;
}

std::vector<ParkEvent> ParkingService::take_events() {
  return std::exchange(events_, {});
}

}  // namespace orbit::park
