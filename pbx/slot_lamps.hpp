// Slot lamps (BLF): SUBSCRIBE with Event: dialog (RFC 6665, RFC 4235) to a slot, a park code or a
// user's park; an immediate NOTIFY with the full state, then one at every change.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
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
  // Answers it (authenticating is the caller's job, before) and sends the NOTIFY. A request
  // with a To tag of no subscription gets 481; another method within a subscription, 405.
  void on_subscribe(sip::RequestReceived& req, const RequestContext& ctx);
  // Whether a request within a dialog belongs to a subscription (a refresh or unsubscribe).
  [[nodiscard]] bool owns_dialog(const sip::Message& request) const;
  // The state of a resource changed: every subscriber to it gets a NOTIFY.
  void changed(const Tenant& tenant, std::string_view resource, sip::TimePoint now);
  // Several resources of a tenant may have changed at once (a slot known under several names,
  // a reload): every subscription whose lamp differs from its last NOTIFY gets a new one.
  void changed_all(const Tenant& tenant, sip::TimePoint now);
  // Whether a client transaction is a NOTIFY of ours: its response or timeout comes back here.
  [[nodiscard]] bool owns_transaction(sip::ClientTransactionId tx) const;
  // The final response to a NOTIFY: a 2xx is forgotten, any other status drops the
  // subscription (RFC 6665 §4.2.2).
  void on_notify_response(sip::ClientTransactionId tx, int status);
  // A NOTIFY failed (481, 408...): the subscription is dropped.
  void on_notify_failed(sip::ClientTransactionId tx);
  // Expiry of subscriptions (a last NOTIFY with Subscription-State: terminated).
  void on_timer(sip::TimePoint now);
  [[nodiscard]] std::optional<sip::TimePoint> next_deadline() const;
  [[nodiscard]] std::size_t subscriptions() const { return subs_.size(); }

 private:
  struct Subscription {
    const Tenant* tenant = nullptr;
    std::string resource;
    std::string entity;  // sip:<resource>@<tenant domain>
    sip::Dialog dialog;
    sip::TimePoint expires_at;
    std::uint32_t version = 0;       // of the next NOTIFY
    std::optional<LampState> shown;  // what the last NOTIFY said
  };
  enum class Ending : std::uint8_t { Timeout, NoResource };
  struct SentNotify {
    sip::TimePoint at;
    std::uint64_t tx;
  };

  void subscribe(sip::RequestReceived& req, const RequestContext& ctx);
  void refresh(std::uint64_t id, sip::RequestReceived& req, const RequestContext& ctx);
  // Expires granted, or the 423 refusal already sent (nullopt).
  [[nodiscard]] std::optional<std::uint32_t> granted_expires(sip::RequestReceived& req,
                                                             const RequestContext& ctx);
  void reply(sip::RequestReceived& req, const RequestContext& ctx, int status,
             std::string_view reason, std::string_view to_tag = {}, std::string_view extra = {});
  [[nodiscard]] std::optional<LampState> resolve(const Subscription& sub) const {
    return resolver_(*sub.tenant, sub.resource);
  }
  // A NOTIFY with the full state `lamp`; ends the subscription instead when it has expired by
  // now or its resource is gone (nullopt).
  void notify(std::uint64_t id, const std::optional<LampState>& lamp, sip::TimePoint now);
  // The last NOTIFY (Subscription-State: terminated), then the subscription is removed.
  void terminate(std::uint64_t id, Ending why, sip::TimePoint now);
  void send_notify(std::uint64_t id, Subscription& sub, std::string_view state,
                   const std::optional<LampState>& lamp, sip::TimePoint now);
  void remove(std::uint64_t id);
  void prune_sent(sip::TimePoint now);
  [[nodiscard]] std::optional<std::uint64_t> find(const sip::Message& request) const;
  [[nodiscard]] const sip::LocalAddress& local_for(sip::Transport t) const {
    return t == sip::Transport::Tcp ? tcp_ : udp_;
  }

  const Directory& directory_;
  sip::TransactionLayer& transactions_;
  sip::TagGenerator& tags_;
  LampResolver resolver_;
  sip::LocalAddress udp_;
  sip::LocalAddress tcp_;
  SlotLampsConfig config_;

  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, Subscription> subs_;
  std::unordered_map<std::string, std::uint64_t> by_dialog_;              // Call-ID + local tag
  std::unordered_map<std::string, std::set<std::uint64_t>> by_resource_;  // domain + resource
  std::set<std::pair<sip::TimePoint, std::uint64_t>> expiries_;
  std::unordered_map<std::uint64_t, std::uint64_t> notify_txs_;  // NOTIFY tx → subscription
  std::deque<SentNotify> sent_;  // NOTIFY txs in the order sent, forgotten once surely over
};

}  // namespace orbit::pbx
