// The signalling core without I/O: bytes and their source in, bytes to send out, on a clock
// passed in. Parses, stamps Via, runs transactions, routes requests to the registrar.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pbx/auth_throttle.hpp"
#include "pbx/call_control.hpp"
#include "pbx/directory.hpp"
#include "pbx/location_service.hpp"
#include "pbx/registrar.hpp"
#include "pbx/request_router.hpp"
#include "pbx/slot_lamps.hpp"
#include "pbx/supervision.hpp"
#include "sip/endpoint.hpp"
#include "sip/nonce.hpp"
#include "sip/tag_generator.hpp"
#include "sip/transaction_layer.hpp"

namespace orbit::pbx {

struct SipServiceConfig {
  RegistrarConfig registrar;
  CallConfig calls;
  sip::LocalAddress udp;  // where Orbit is reached, for Via and Contact of what it sends
  sip::LocalAddress tcp;
  std::vector<park::LotConfig> lots;
  std::size_t auth_failures_per_minute = 10;
  std::chrono::seconds auth_block_time{300};
};

struct Outgoing {
  sip::Endpoint to;
  std::string bytes;
};

struct SipStats {
  std::uint64_t received = 0;
  std::uint64_t malformed = 0;
  std::uint64_t requests = 0;
  std::uint64_t responses = 0;
};

class SipService : public SupervisionSource, public SupervisionActions {
 public:
  SipService(Directory directory, SipServiceConfig config, sip::NonceService nonces,
             media::MediaControl& media, std::uint64_t seed);

  void on_receive(std::string_view bytes, const sip::Endpoint& from, sip::TimePoint now,
                  std::chrono::sys_seconds wall_now);
  void on_timer(sip::TimePoint now, std::chrono::sys_seconds wall_now);
  void on_media_event(const media::MediaEvent& event, sip::TimePoint now,
                      std::chrono::sys_seconds wall_now);
  [[nodiscard]] std::optional<sip::TimePoint> next_deadline() const;
  [[nodiscard]] std::vector<Outgoing> take_outgoing();

  [[nodiscard]] const Directory& directory() const { return directory_; }
  [[nodiscard]] LocationService& locations() { return locations_; }
  [[nodiscard]] const SipStats& stats() const { return stats_; }
  [[nodiscard]] std::size_t active_calls() const { return calls_.active_calls(); }
  [[nodiscard]] const park::ParkingService& parking() const { return parking_; }

  // SupervisionSource (supervision_source.cpp); `clock` gives the time views are taken at.
  void set_clock(std::function<sip::TimePoint()> clock) { clock_ = std::move(clock); }
  [[nodiscard]] std::vector<CallView> calls(const std::string& tenant) const override;
  [[nodiscard]] std::vector<LotView> lots(const std::string& tenant) const override;
  [[nodiscard]] std::vector<RegistrationView> registrations(
      const std::string& tenant) const override;
  void subscribe(std::function<void(const SupervisionEvent&)> handler) override;

  // SupervisionActions (supervision_source.cpp): the time is the clock's, as for the views;
  // the SIP messages they cause wait in take_outgoing().
  std::expected<ParkOutcome, ActionError> park_call(const Actor& actor, std::uint64_t call,
                                                    std::optional<std::string> for_user,
                                                    std::optional<std::string> note) override;
  std::expected<PickUpOutcome, ActionError> pick_up(const Actor& actor, const std::string& slot,
                                                    const std::string& extension) override;
  std::expected<void, ActionError> hang_up(const Actor& actor, std::uint64_t call) override;

 private:
  void on_malformed(std::string_view bytes, const sip::ParseError& error,
                    const sip::Endpoint& from);
  void run_actions(sip::TimePoint now, std::chrono::sys_seconds wall_now);
  void respond(sip::ServerTransactionId id, Reply reply, sip::TimePoint now);
  void on_subscribe(sip::RequestReceived& req, const RequestContext& ctx);
  [[nodiscard]] std::optional<LampState> lamp_state(const Tenant& tenant,
                                                    std::string_view resource) const;
  void handle_request(sip::RequestReceived& req, sip::TimePoint now,
                      std::chrono::sys_seconds wall_now);

  Directory directory_;
  SipServiceConfig config_;
  sip::NonceService nonces_;
  sip::TagGenerator tags_;
  AuthThrottle throttle_;
  Authenticator auth_;
  LocationService locations_;
  Registrar registrar_;
  RequestRouter router_;
  sip::TransactionLayer transactions_;
  park::ParkingService parking_;
  SlotLamps lamps_;
  CallControl calls_;
  void publish(const park::ParkEvent& event);

  std::vector<park::LotConfig> lot_configs_;
  std::vector<std::function<void(const SupervisionEvent&)>> subscribers_;
  std::function<sip::TimePoint()> clock_;
  sip::TimePoint last_now_{};
  std::vector<Outgoing> outgoing_;
  SipStats stats_;
  sip::TimePoint next_prune_{};
};

}  // namespace orbit::pbx
