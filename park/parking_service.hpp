// The park domain's one entry point: lots per tenant, park, retrieve, abandon, recall outcomes,
// deadlines and the events they produce. Pure: no I/O, no clock read, no exception on the data
// path; pbx/ passes `now` in, arms one timer on next_deadline(), and drains take_events().
// Not thread-safe: it lives on the signalling loop.
#pragma once

#include <cstddef>
#include <deque>
#include <expected>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "park/deadline_queue.hpp"
#include "park/ids.hpp"
#include "park/lot.hpp"
#include "park/lot_config.hpp"
#include "park/park_clock.hpp"
#include "park/park_error.hpp"
#include "park/park_events.hpp"
#include "park/park_request.hpp"
#include "park/parked_call.hpp"
#include "park/slot_key.hpp"

namespace orbit::park {

struct ParkingOptions {
  // A retrieve of a slot emptied this recently by a retrieve or an answered recall is told
  // "already taken" (it lost a race) rather than "empty".
  Duration taken_notice = std::chrono::seconds{10};
};

class ParkingService {
 public:
  explicit ParkingService(ParkingOptions options = {}) : options_(options) {}

  // --- Configuration (start-up) ---

  // Checks the lot alone (check_lot) and against the tenant's other lots: unique name, no shared
  // slot number, unique park code that is no slot number, one lot taking parks against users.
  [[nodiscard]] std::expected<void, ParkError> add_lot(LotConfig config);

  [[nodiscard]] const LotConfig* find_lot(const TenantId& tenant, const LotName& name) const;
  // The lot whose park code is `code`: a transfer to "700".
  [[nodiscard]] const LotConfig* lot_for_code(const TenantId& tenant, std::string_view code) const;
  // The lot holding a slot: "705" for a directed park, a user for a park against that user.
  [[nodiscard]] const LotConfig* lot_for_slot(const TenantId& tenant, const SlotKey& slot) const;

  // --- What people do ---

  // Parks a call in a directed slot or one its lot picks; refused (and told as ParkRefused) when
  // the parker may not park, the call is parked already, the slot is not the lot's or occupied,
  // or the lot is full. On success the call is parked until its lot's timeout.
  [[nodiscard]] std::expected<ParkedCall, ParkError> park(const ParkRequest& request,
                                                          TimePoint now);

  // Takes the call waiting in a slot, in any recall stage; the call leaves the domain. Refused
  // (RetrieveRefused) when the retriever may not retrieve, the slot is unknown, empty, or was
  // just taken by someone else (SlotAlreadyTaken).
  [[nodiscard]] std::expected<ParkedCall, ParkError> retrieve(const RetrieveRequest& request,
                                                              TimePoint now);

  // The parked caller hung up: frees its slot, whatever its recall stage.
  [[nodiscard]] std::expected<ParkedCall, ParkError> abandon(CallRef call, TimePoint now);

  // --- Recall outcomes, from pbx/ ---

  // A recalled phone answered (parker or fallback): the call leaves the domain. NotRecalling when
  // the call is back in its slot (the answer came too late: pbx/ hangs that phone up).
  [[nodiscard]] std::expected<ParkedCall, ParkError> recall_answered(CallRef call,
                                                                     const Extension& answered_by,
                                                                     TimePoint now);

  // Every phone of the recall of `target` refused or failed before the ring time: moves on as
  // the ring time's end would. NotRecalling when the call no longer rings that target.
  [[nodiscard]] std::expected<void, ParkError> recall_unanswered(CallRef call, RecallTarget target,
                                                                 TimePoint now);

  // --- Time ---

  // When handle_deadlines has work next: a timeout or the end of a recall ring.
  [[nodiscard]] std::optional<TimePoint> next_deadline() const { return deadlines_.next(); }

  // Runs every deadline at or before now, earliest first. The next deadline of a call counts
  // from now, so a late tick never cuts a recall short.
  void handle_deadlines(TimePoint now);

  // --- Queries ---

  [[nodiscard]] const ParkedCall* find(CallRef call) const;
  [[nodiscard]] const ParkedCall* occupant(const TenantId& tenant, const SlotKey& slot) const;
  // The calls of a lot, numbered slots in order, then parks against users.
  [[nodiscard]] std::vector<ParkedCall> parked_in(const TenantId& tenant, const LotName& lot) const;
  // The first of parked_in(), without copying the lot (a park code's lamp shows only it).
  [[nodiscard]] const ParkedCall* first_parked_in(const TenantId& tenant, const LotName& lot) const;
  [[nodiscard]] std::size_t parked_count() const { return calls_.size(); }

  // --- Events ---

  // Every event since the last call, oldest first.
  [[nodiscard]] std::vector<ParkEvent> take_events();

 private:
  struct Entry {
    ParkedCall call;
    Lot* lot;
  };

  [[nodiscard]] std::expected<void, ParkError> check_against_tenant(const LotConfig& lot) const;
  // The service's own lots; const because they only look.
  [[nodiscard]] Lot* lot_named(const TenantId& tenant, const LotName& name) const;
  [[nodiscard]] Lot* lot_holding(const TenantId& tenant, const SlotKey& slot) const;
  [[nodiscard]] std::expected<SlotKey, ParkError> pick_slot(const ParkRequest& request,
                                                            const Lot& lot) const;
  [[nodiscard]] std::expected<Lot*, ParkError> check_park(const ParkRequest& request);
  [[nodiscard]] std::expected<Entry*, ParkError> check_retrieve(const RetrieveRequest& request,
                                                                TimePoint now);
  [[nodiscard]] ParkError empty_slot_error(const Lot& lot, const SlotKey& slot,
                                           TimePoint now) const;

  std::expected<ParkedCall, ParkError> refuse_park(const ParkRequest& request, ParkError error,
                                                   TimePoint now);
  // Takes the call out of its slot and out of the domain.
  ParkedCall leave(CallRef call, Departure how);
  void schedule(Entry& entry, Duration wait, TimePoint now);
  void on_deadline(CallRef call, TimePoint now);
  void time_out(Entry& entry, TimePoint now);
  void ring_unanswered(Entry& entry, TimePoint now);
  void start_recall(Entry& entry, TimePoint now);

  ParkingOptions options_;
  std::deque<Lot> lots_;  // a deque: lots never move, entries point at them
  std::map<TenantId, std::vector<Lot*>> tenants_;
  std::unordered_map<CallRef, Entry> calls_;
  DeadlineQueue deadlines_;
  std::vector<ParkEvent> events_;
};

}  // namespace orbit::park
