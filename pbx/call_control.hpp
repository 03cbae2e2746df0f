// The B2BUA (DESIGN.md §3 pbx/): turns INVITE dialogs into calls of two anchored legs; rings
// contacts in parallel, relays progress, maps failures, handles CANCEL, BYE, hold and transfer.
#pragma once

#include <chrono>
#include <functional>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "media/media_control.hpp"
#include "park/park_events.hpp"
#include "park/parking_service.hpp"
#include "pbx/authenticator.hpp"
#include "pbx/call.hpp"
#include "pbx/directory.hpp"
#include "pbx/location_service.hpp"
#include "pbx/park_codes.hpp"
#include "pbx/request_context.hpp"
#include "pbx/supervision.hpp"
#include "sip/dialog.hpp"
#include "sip/tag_generator.hpp"
#include "sip/transaction_layer.hpp"

namespace orbit::pbx {

struct CallConfig {
  std::chrono::seconds ring_time{30};  // no answer by then: 408 to the caller
  // Beyond this many calls (parked ones included), new calls are shed with 503 and
  // Retry-After, so that the calls already held keep their quality (overload protection).
  std::size_t max_calls = 4000;
  std::chrono::seconds retry_after{5};
  std::string music_class = "default";
};

struct CallServices {
  const Directory& directory;
  LocationService& locations;
  Authenticator& auth;
  sip::TagGenerator& tags;
  sip::TransactionLayer& transactions;
  media::MediaControl& media;
  sip::LocalAddress udp;  // where Orbit is reached, per transport
  sip::LocalAddress tcp;
  CallConfig config;
  park::ParkingService& parking;
  // A slot's lamp changed (BLF): the resource as phones subscribe to it ("701", "*88101").
  std::function<void(const Tenant&, std::string_view resource, sip::TimePoint)> lamps_changed;
  // Every transition of a parked call, for the supervisor's feed and history.
  std::function<void(const park::ParkEvent&)> park_event;
  // Calls starting, answered, held, resumed, ended: for the supervisor's feed.
  std::function<void(const SupervisionEvent&)> call_event = {};
};

// Answers a server transaction; a refusal by the layer (it ended meanwhile) is only logged.
void respond_or_log(sip::TransactionLayer& transactions, sip::ServerTransactionId id, Reply reply,
                    sip::TimePoint now);

class CallControl {
 public:
  explicit CallControl(CallServices services) : s_(std::move(services)) {}

  // A new INVITE (no To tag). Answers it through the transaction layer.
  void on_invite(sip::RequestReceived& req, const RequestContext& ctx);
  // CANCEL of an INVITE server transaction (answered 200 by the caller of this).
  void on_cancel(sip::ServerTransactionId invite, sip::TimePoint now);
  // A request with a To tag: nullopt when it belongs to no dialog of Orbit's (then 481).
  [[nodiscard]] bool on_in_dialog(sip::RequestReceived& req, const RequestContext& ctx);
  void on_ack(const sip::Message& ack);
  void on_response(sip::ClientTransactionId tx, const sip::Message& response, sip::TimePoint now);
  void on_stray_response(const sip::Message& response, const sip::Endpoint& from);
  void on_timeout(sip::ClientTransactionId tx, sip::TimePoint now);
  void on_media_event(const media::MediaEvent& event, sip::TimePoint now);
  void on_timer(sip::TimePoint now);
  [[nodiscard]] std::optional<sip::TimePoint> next_deadline() const;

  [[nodiscard]] std::size_t active_calls() const { return calls_.size(); }
  // Every call of a tenant as a supervisor sees it.
  [[nodiscard]] std::vector<CallView> views(const std::string& tenant, sip::TimePoint now) const;

  // call_actions.cpp: what the web console asks (SupervisionActions, with the time).
  std::expected<ParkOutcome, ActionError> park_call(const Actor& actor, std::uint64_t call,
                                                    std::optional<std::string> for_user,
                                                    std::optional<std::string> note,
                                                    sip::TimePoint now);
  std::expected<PickUpOutcome, ActionError> pick_up(const Actor& actor, const std::string& slot,
                                                    const std::string& extension,
                                                    sip::TimePoint now);
  std::expected<void, ActionError> hang_up(const Actor& actor, std::uint64_t call,
                                           sip::TimePoint now);

 private:
  enum class Purpose : std::uint8_t { Fork, Bye, Notify, ReInvite, Cancel, Message, Probe };
  struct TxOwner {
    std::uint64_t call;
    Purpose purpose;
    std::size_t fork = 0;
  };
  struct DialogOwner {
    std::uint64_t call;
    Side side;
  };

  // call_control.cpp: setting calls up
  std::optional<media::LegId> open_media(Leg& leg, std::string_view who);
  struct Refusal {
    int status;
    std::string reason;
  };
  struct DialRequest {
    std::vector<std::string> extensions;
    std::string label;  // "101", "reception group": for reasons and logs
    std::string from_display;
    std::string from_user;
    std::string extra_headers;  // whole lines, e.g. Alert-Info of a recall
    std::optional<park::RecallTarget> recall;
    std::optional<sip::Duration> ring_time;  // none: [calls] ring_time
  };
  // Rings every contact of the extensions; a refusal when none can be rung.
  std::optional<Refusal> start_dial(Call& call, const DialRequest& request, sip::TimePoint now);
  void answer_caller(Call& call, sip::TimePoint now);
  void fail_dial(Call& call, sip::TimePoint now);
  void cancel_forks(Call& call, sip::TimePoint now, std::size_t except);
  // A fork Orbit gave up on (another answered, the caller cancelled, the ring time ran out).
  struct CancelledFork {
    std::string invite;
    sip::Endpoint target;
    bool cancel_sent = false;
  };
  void send_cancel(CancelledFork& fork, sip::TimePoint now);
  // Handles a response of a cancelled fork; false when the transaction is no such fork.
  bool on_cancelled_response(sip::ClientTransactionId tx, const sip::Message& response,
                             sip::TimePoint now);
  // Ends the dial: CANCELs what still rings, forgets its transactions, frees its media leg
  // unless `keep_media` (the winner took it).
  void drop_dial(Call& call, sip::TimePoint now, bool keep_media = false);
  // Answers the INVITE pending on a leg (the caller's: Side::A).
  void respond_leg(Call& call, Side side, int status, std::string_view reason,
                   std::string_view extra, std::string_view sdp, sip::TimePoint now);
  void respond_a(Call& call, int status, std::string_view reason, std::string_view extra,
                 std::string_view sdp, sip::TimePoint now) {
    respond_leg(call, Side::A, status, reason, extra, sdp, now);
  }
  void resend_ok(Call& call, Leg& leg, sip::TimePoint now);
  void on_fork_response(Call& call, std::size_t fork, const sip::Message& response,
                        sip::TimePoint now);
  void on_fork_answered(Call& call, std::size_t fork, const sip::Message& response,
                        sip::TimePoint now);
  void on_fork_failed(Call& call, std::size_t fork, int status, std::string_view reason,
                      sip::TimePoint now);

  // call_dialog.cpp: within dialogs
  void on_bye(Call& call, Side side, sip::RequestReceived& req, const RequestContext& ctx);
  void on_reinvite(Call& call, Side side, sip::RequestReceived& req, const RequestContext& ctx);
  void on_refer(Call& call, Side side, sip::RequestReceived& req, const RequestContext& ctx);
  void end_call(Call& call, std::optional<Side> hung_up, sip::TimePoint now);
  void bridge(Call& call);
  void notify_transfer(Call& call, std::string_view sipfrag, bool final, sip::TimePoint now);
  void finish_transfer(Call& call, std::optional<Leg> target, int status, std::string_view reason,
                       sip::TimePoint now);
  void close_media(media::LegId leg);
  void reap();
  // The answer to the OPTIONS sent to a parked caller that stopped sending media.
  void on_probe_result(Call& call, int status, sip::TimePoint now);
  void expire_released(sip::TimePoint now);
  // Logs the INVITEs shed since the last line, at most once a second.
  void log_shed(sip::TimePoint now);

  // call_park.cpp: park within calls
  void park_by_transfer(Call& call, Side transferor, sip::RequestReceived& req,
                        const RequestContext& ctx, const ParkCode& code);
  void retrieve_parked(sip::RequestReceived& req, const RequestContext& ctx, const Tenant& tenant,
                       const User& user, const ParkCode& code, const AudioOffer& offer);
  void announce_and_hang_up(sip::RequestReceived& req, const RequestContext& ctx,
                            const Tenant& tenant, const User& user, const AudioOffer& offer,
                            std::string prompt, std::string reason);
  void on_prompts_finished(std::uint64_t token, sip::TimePoint now);
  void on_key(Call& call, Side side, char digit, sip::TimePoint now);
  void park_by_keys(Call& call, Side parker, const ParkCode& code, sip::TimePoint now);
  // The park succeeded: the parker is released (BYE), the parked party stays as `a`.
  void release_parker(Call& call, Side parker, const park::ParkedCall& parked,
                      sip::TimePoint now);
  // A recall or a pick-up from the web was answered: the answerer takes the parked call, or
  // is hung up on when it came too late (taken meanwhile, back in its slot).
  void take_from_slot(Call& call, Leg leg, bool recall, sip::TimePoint now);
  void publish_call(const Call& call, std::string_view type, sip::TimePoint now);
  // Moves a party out of its call into one of its own that plays prompts, then hangs up.
  void announce_to_leg(Call& call, Side side, std::vector<std::string> prompts,
                       std::string reason, sip::TimePoint now);
  void start_recall(const park::RecallStarted& e, sip::TimePoint now);
  void on_parked(const park::CallParked& e, sip::TimePoint now);
  void lamps(const park::ParkedCall& parked, sip::TimePoint now);
  void drain_park_events(sip::TimePoint now);
  void send_message(const Tenant& tenant, std::string_view extension, std::string_view text,
                    sip::TimePoint now);
  [[nodiscard]] static std::string dialog_key(std::string_view call_id,
                                              std::string_view local_tag);

  // Sending.
  std::optional<sip::ClientTransactionId> send(std::string bytes, const sip::Endpoint& to,
                                               sip::TimePoint now);
  void send_in_dialog(Call& call, Side side, std::string_view method, Purpose purpose,
                      sip::TimePoint now, std::string_view extra = {},
                      std::string_view content_type = {}, std::string_view body = {});
  void reply(sip::RequestReceived& req, const RequestContext& ctx, int status,
             std::string_view reason, std::string_view extra = {},
             std::string_view content_type = {}, std::string_view body = {});
  // 503 with Retry-After: Orbit is full (calls or media ports), the caller may try again.
  void shed(sip::RequestReceived& req, const RequestContext& ctx, std::string_view reason);
  [[nodiscard]] const sip::LocalAddress& local_for(sip::Transport t) const {
    return t == sip::Transport::Tcp ? s_.tcp : s_.udp;
  }
  void register_dialog(const Call& call, Side side);
  void forget(Call& call);

  CallServices s_;
  std::uint64_t next_call_ = 1;
  std::uint64_t next_media_ = 1;
  std::unordered_map<std::uint64_t, Call> calls_;
  std::unordered_map<std::string, DialogOwner> dialogs_;        // Call-ID + local tag
  std::unordered_map<std::uint64_t, TxOwner> client_txs_;       // by ClientTransactionId
  std::unordered_map<std::uint64_t, DialogOwner> invite_txs_;  // pending INVITE tx → its leg
  std::unordered_map<media::LegId, std::pair<std::uint64_t, Side>> media_legs_;
  std::unordered_map<std::string, sip::TimePoint> released_;  // dialogs BYE'd → until when
  // The same entries in the order they expire (all live equally long): the earliest is at the
  // front, so neither the next deadline nor the expiry walks the whole map.
  std::deque<std::pair<sip::TimePoint, std::string>> released_order_;
  // Calls that may have a deadline of their own (a dial ringing, a 2xx resent until its ACK):
  // the deadline walk visits these, not every parked or talking call.
  std::unordered_set<std::uint64_t> timed_;
  std::vector<std::uint64_t> ended_;  // calls end_call finished, for reap()
  sip::TimePoint shed_logged_{};      // overload is logged once a second, not per INVITE
  std::size_t shed_unlogged_ = 0;
  std::unordered_map<std::uint64_t, CancelledFork> cancelled_;  // by ClientTransactionId
};

}  // namespace orbit::pbx
