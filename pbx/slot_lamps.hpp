// Slot lamps (BLF): SUBSCRIBE with Event: dialog (RFC 6665, RFC 4235) to a slot, a park code or a
// user's park; an immediate NOTIFY with the full state, then one at every change.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pbx/directory.hpp"
#include "pbx/request_context.hpp"
#include "sip/dialog.hpp"
#include "sip/tag_generator.hpp"
#include "sip/transaction_layer.hpp"

namespace orbit::pbx {

// What a lamp shows: a resource (what the phone subscribed to, e.g. "701", "700", "*88101")
// is busy while a call is parked there.
struct LampState {
  bool occupied = false;
  std::string caller;  // "Dupont <+33123456789>", shown by phones that display it
};

// Answers which state a resource of a tenant is in; nullopt when the name is no park resource
// (the SUBSCRIBE is then refused with 404).
using LampResolver =
    std::function<std::optional<LampState>(const Tenant& tenant, std::string_view resource)>;

struct SlotLampsConfig {
  std::uint32_t min_expires = 60;
  std::uint32_t max_expires = 3600;
  std::uint32_t default_expires = 3600;
};

class SlotLamps {
 public:
  SlotLamps(const Directory& directory, sip::TransactionLayer& transactions,
            sip::TagGenerator& tags, LampResolver resolver, sip::LocalAddress udp,
            sip::LocalAddress tcp, SlotLampsConfig config = {});

  // A SUBSCRIBE outside a dialog or a refresh within one (Event: dialog only; others 489).
  // Answers it (authenticating is the caller's job, before) and sends the NOTIFY.
  void on_subscribe(sip::RequestReceived& req, const RequestContext& ctx);
  // Whether a request within a dialog belongs to a subscription (a refresh or unsubscribe).
  [[nodiscard]] bool owns_dialog(const sip::Message& request) const;
  // The state of a resource changed: every subscriber to it gets a NOTIFY.
  void changed(const Tenant& tenant, std::string_view resource, sip::TimePoint now);
  // A NOTIFY failed (481, 408...): the subscription is dropped.
  void on_notify_failed(sip::ClientTransactionId tx);
  // Expiry of subscriptions (a last NOTIFY with Subscription-State: terminated).
  void on_timer(sip::TimePoint now);
  [[nodiscard]] std::optional<sip::TimePoint> next_deadline() const;
  [[nodiscard]] std::size_t subscriptions() const;
};

}  // namespace orbit::pbx
