// Slot lamps: subscriptions to park resources (RFC 6665), their NOTIFYs (RFC 4235), expiry.
#include "pbx/slot_lamps.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "pbx/dialog_info.hpp"
#include "sip/lex.hpp"
#include "sip/message_builder.hpp"

namespace orbit::pbx {
namespace {

// A NOTIFY's outcome (response or Timer F, 64·T1 = 32 s by default) comes well within this; its
// record is forgotten afterwards even when nobody reported the outcome.
constexpr std::chrono::seconds kNotifyOutcomeWithin{64};

std::string dialog_key(std::string_view call_id, std::string_view local_tag) {
  return fmt::format("{}\n{}", call_id, local_tag);
}

std::string resource_key(std::string_view domain, std::string_view resource) {
  return fmt::format("{}\n{}", domain, resource);
}

// Event: dialog, whatever its parameters (call-id, to-tag... select dialogs; Orbit shows all).
bool is_dialog_event(const sip::Message& m) {
  auto event = m.header(sip::HeaderId::Event);
  if (!event) return false;
  auto type = sip::lex::trim_lws(event->substr(0, event->find(';')));
  return sip::lex::iequals(type, "dialog");
}

// No Accept means application/dialog-info+xml, the package's default (RFC 4235 §3.3).
bool accepts_dialog_info(const sip::Message& m) {
  auto ranges = m.header_values(sip::HeaderId::Accept);
  if (ranges.empty()) return true;
  return std::any_of(ranges.begin(), ranges.end(), [](std::string_view range) {
    auto type = sip::lex::trim_lws(range.substr(0, range.find(';')));
    return type.empty() || sip::lex::iequals(type, kDialogInfoContentType) ||
           sip::lex::iequals(type, "application/*") || sip::lex::iequals(type, "*/*");
  });
}

bool same_lamp(const std::optional<LampState>& a, const std::optional<LampState>& b) {
  if (!a || !b) return !a && !b;
  return a->occupied == b->occupied && (!a->occupied || a->caller == b->caller);
}

std::string contact_uri(const sip::Message& m) {
  auto contact = m.header(sip::HeaderId::Contact);
  if (!contact) return {};
  auto na = sip::parse_name_addr(sip::lex::split_commas(*contact).front());
  return na ? std::string(na->uri.raw) : std::string();
}

}  // namespace

SlotLamps::SlotLamps(const Directory& directory, sip::TransactionLayer& transactions,
                     sip::TagGenerator& tags, LampResolver resolver, sip::LocalAddress udp,
                     sip::LocalAddress tcp, SlotLampsConfig config)
    : directory_(directory),
      transactions_(transactions),
      tags_(tags),
      resolver_(std::move(resolver)),
      udp_(std::move(udp)),
      tcp_(std::move(tcp)),
      config_(config) {}

void SlotLamps::on_subscribe(sip::RequestReceived& req, const RequestContext& ctx) {
  prune_sent(ctx.now);
  const auto& m = req.request;
  if (!m.to().tag().empty()) {
    auto id = find(m);
    if (!id) return reply(req, ctx, 481, "Subscription does not exist");
    return refresh(*id, req, ctx);
  }
  if (m.method() != "SUBSCRIBE") {
    return reply(req, ctx, 405, "Method Not Allowed", {}, "Allow: SUBSCRIBE\r\n");
  }
  subscribe(req, ctx);
}

void SlotLamps::subscribe(sip::RequestReceived& req, const RequestContext& ctx) {
  const auto& m = req.request;
  const auto& ruri = m.request_uri();
  if (!is_dialog_event(m)) {
    return reply(req, ctx, 489, "Bad Event", {}, "Allow-Events: dialog\r\n");
  }
  const Tenant* tenant = ruri.is_sip() ? directory_.tenant_for_host(ruri.host) : nullptr;
  if (!tenant) return reply(req, ctx, 404, "Domain not served here");
  auto resource = sip::unescape(ruri.user);
  auto lamp = resource.empty() ? std::nullopt : resolver_(*tenant, resource);
  if (!lamp) return reply(req, ctx, 404, "No park slot or code by this name");
  if (!accepts_dialog_info(m)) {
    return reply(req, ctx, 406, "Not Acceptable", {},
                 fmt::format("Accept: {}\r\n", kDialogInfoContentType));
  }
  auto expires = granted_expires(req, ctx);
  if (!expires) return;
  auto tag = tags_.next();
  reply(req, ctx, 200, "OK", tag, fmt::format("Expires: {}\r\n", *expires));

  auto id = next_id_++;
  Subscription sub;
  sub.tenant = tenant;
  sub.resource = resource;
  sub.entity = fmt::format("sip:{}@{}", ruri.user, tenant->domain);
  sub.dialog = sip::dialog_as_uas(m, tag, req.from);
  sub.expires_at = ctx.now + std::chrono::seconds(*expires);
  by_dialog_[dialog_key(sub.dialog.call_id, sub.dialog.local_tag)] = id;
  by_resource_[resource_key(tenant->domain, resource)].insert(id);
  expiries_.insert({sub.expires_at, id});
  spdlog::info("lamp {}@{}: subscribed by {}:{} for {}s", resource, tenant->domain,
               req.from.address, req.from.port, *expires);
  subs_.emplace(id, std::move(sub));
  // Expires: 0 is a fetch (RFC 6665 §4.4.3): the state once, in a terminating NOTIFY.
  notify(id, lamp, ctx.now);
}

void SlotLamps::refresh(std::uint64_t id, sip::RequestReceived& req, const RequestContext& ctx) {
  const auto& m = req.request;
  auto& sub = subs_.at(id);
  if (m.method() != "SUBSCRIBE") {
    return reply(req, ctx, 405, "Method Not Allowed", {}, "Allow: SUBSCRIBE\r\n");
  }
  if (m.cseq().number <= sub.dialog.remote_cseq) {
    return reply(req, ctx, 500, "CSeq out of order");
  }
  sub.dialog.remote_cseq = m.cseq().number;
  if (!is_dialog_event(m)) {
    return reply(req, ctx, 489, "Bad Event", {}, "Allow-Events: dialog\r\n");
  }
  auto expires = granted_expires(req, ctx);
  if (!expires) return;  // the subscription keeps its expiry (RFC 6665 §4.1.2.2)
  reply(req, ctx, 200, "OK", {}, fmt::format("Expires: {}\r\n", *expires));
  // SUBSCRIBE refreshes the target; the NAT binding may have moved too.
  if (auto target = contact_uri(m); !target.empty()) sub.dialog.remote_target = std::move(target);
  sub.dialog.peer = req.from;
  expiries_.erase({sub.expires_at, id});
  sub.expires_at = ctx.now + std::chrono::seconds(*expires);
  expiries_.insert({sub.expires_at, id});
  if (*expires == 0) {
    spdlog::info("lamp {}@{}: unsubscribed by {}:{}", sub.resource, sub.tenant->domain,
                 req.from.address, req.from.port);
  }
  notify(id, resolve(sub), ctx.now);
}

std::optional<std::uint32_t> SlotLamps::granted_expires(sip::RequestReceived& req,
                                                        const RequestContext& ctx) {
  auto requested = req.request.expires().value_or(config_.default_expires);
  if (requested != 0 && requested < config_.min_expires) {
    reply(req, ctx, 423, "Interval Too Brief", {},
          fmt::format("Min-Expires: {}\r\n", config_.min_expires));
    return std::nullopt;
  }
  return std::min(requested, config_.max_expires);
}

void SlotLamps::reply(sip::RequestReceived& req, const RequestContext& ctx, int status,
                      std::string_view reason, std::string_view to_tag, std::string_view extra) {
  auto tag = to_tag.empty() ? tags_.next() : std::string(to_tag);
  auto b = sip::make_response(req.request, status, reason, tag, ctx.top_via);
  if (status >= 200 && status < 300) {
    b.header("Contact", sip::contact_header(local_for(req.from.transport)));
  }
  auto bytes = b.build();
  if (!extra.empty()) bytes.insert(bytes.find("Content-Length:"), extra);
  if (auto ok = transactions_.respond(req.id, std::move(bytes), status, ctx.now); !ok) {
    spdlog::debug("cannot send {} to SUBSCRIBE: {}", status, ok.error().reason);
  }
}

void SlotLamps::changed(const Tenant& tenant, std::string_view resource, sip::TimePoint now) {
  prune_sent(now);
  auto it = by_resource_.find(resource_key(tenant.domain, resource));
  if (it == by_resource_.end()) return;
  auto lamp = resolver_(tenant, resource);
  // notify() may end subscriptions, which edits the set: walk a copy.
  std::vector<std::uint64_t> ids(it->second.begin(), it->second.end());
  for (auto id : ids) notify(id, lamp, now);
}

void SlotLamps::changed_all(const Tenant& tenant, sip::TimePoint now) {
  prune_sent(now);
  std::vector<std::uint64_t> ids;
  for (const auto& [id, sub] : subs_) {
    if (sub.tenant->domain == tenant.domain) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  for (auto id : ids) {
    auto lamp = resolver_(tenant, subs_.at(id).resource);
    if (!same_lamp(lamp, subs_.at(id).shown)) notify(id, lamp, now);
  }
}

void SlotLamps::notify(std::uint64_t id, const std::optional<LampState>& lamp, sip::TimePoint now) {
  auto& sub = subs_.at(id);
  if (sub.expires_at <= now) return terminate(id, Ending::Timeout, now);
  if (!lamp) return terminate(id, Ending::NoResource, now);
  auto left = std::chrono::ceil<std::chrono::seconds>(sub.expires_at - now).count();
  send_notify(id, sub, fmt::format("active;expires={}", left), lamp, now);
}

void SlotLamps::terminate(std::uint64_t id, Ending why, sip::TimePoint now) {
  auto& sub = subs_.at(id);
  if (why == Ending::Timeout) {
    send_notify(id, sub, "terminated;reason=timeout", resolve(sub), now);
  } else {
    spdlog::info("lamp {}@{}: no such resource any more, subscription ended", sub.resource,
                 sub.tenant->domain);
    send_notify(id, sub, "terminated;reason=noresource", std::nullopt, now);
  }
  remove(id);
}

void SlotLamps::send_notify(std::uint64_t id, Subscription& sub, std::string_view state,
                            const std::optional<LampState>& lamp, sip::TimePoint now) {
  auto extra = fmt::format("Event: dialog\r\nSubscription-State: {}\r\n", state);
  std::string body;
  if (lamp) {
    DialogInfo info;
    info.entity = sub.entity;
    info.version = sub.version++;
    info.dialog_id = sub.resource;
    info.confirmed = lamp->occupied;
    if (lamp->occupied) {
      info.local = DialogParty{{}, sub.entity};
      if (!lamp->caller.empty()) info.remote = caller_party(lamp->caller, sub.tenant->domain);
    }
    body = render_dialog_info(info);
    sub.shown = lamp;
  }
  auto bytes = sip::dialog_request(sub.dialog, "NOTIFY", local_for(sub.dialog.peer.transport),
                                   tags_.next_branch(), extra,
                                   lamp ? kDialogInfoContentType : std::string_view{}, body);
  auto message = sip::Message::parse(bytes);
  if (!message) {
    spdlog::error("built an unparsable NOTIFY: {}", message.error().reason);
    return;
  }
  auto tx = transactions_.send_request(std::move(*message), sub.dialog.peer, now);
  if (!tx) {
    spdlog::error("cannot send NOTIFY: {}", tx.error().reason);
    return;
  }
  notify_txs_[tx->value] = id;
  sent_.push_back({now, tx->value});
}

void SlotLamps::on_notify_response(sip::ClientTransactionId tx, int status) {
  if (status < 200) return;
  if (status < 300) {
    notify_txs_.erase(tx.value);
    return;
  }
  on_notify_failed(tx);
}

void SlotLamps::on_notify_failed(sip::ClientTransactionId tx) {
  auto it = notify_txs_.find(tx.value);
  if (it == notify_txs_.end()) return;
  auto id = it->second;
  notify_txs_.erase(it);
  auto sub = subs_.find(id);
  if (sub == subs_.end()) return;  // already ended
  spdlog::info("lamp {}@{}: NOTIFY failed, subscription of {}:{} dropped", sub->second.resource,
               sub->second.tenant->domain, sub->second.dialog.peer.address,
               sub->second.dialog.peer.port);
  remove(id);
}

bool SlotLamps::owns_transaction(sip::ClientTransactionId tx) const {
  return notify_txs_.contains(tx.value);
}

void SlotLamps::on_timer(sip::TimePoint now) {
  prune_sent(now);
  while (!expiries_.empty() && expiries_.begin()->first <= now) {
    auto id = expiries_.begin()->second;
    spdlog::info("lamp {}@{}: subscription expired", subs_.at(id).resource,
                 subs_.at(id).tenant->domain);
    terminate(id, Ending::Timeout, now);
  }
}

std::optional<sip::TimePoint> SlotLamps::next_deadline() const {
  if (expiries_.empty()) return std::nullopt;
  return expiries_.begin()->first;
}

bool SlotLamps::owns_dialog(const sip::Message& request) const {
  return find(request).has_value();
}

std::optional<std::uint64_t> SlotLamps::find(const sip::Message& request) const {
  auto it = by_dialog_.find(dialog_key(request.call_id(), request.to().tag()));
  if (it == by_dialog_.end()) return std::nullopt;
  if (subs_.at(it->second).dialog.remote_tag != request.from().tag()) return std::nullopt;
  return it->second;
}

void SlotLamps::remove(std::uint64_t id) {
  auto it = subs_.find(id);
  if (it == subs_.end()) return;
  const auto& sub = it->second;
  by_dialog_.erase(dialog_key(sub.dialog.call_id, sub.dialog.local_tag));
  auto key = resource_key(sub.tenant->domain, sub.resource);
  if (auto r = by_resource_.find(key); r != by_resource_.end()) {
    r->second.erase(id);
    if (r->second.empty()) by_resource_.erase(r);
  }
  expiries_.erase({sub.expires_at, id});
  subs_.erase(it);
}

void SlotLamps::prune_sent(sip::TimePoint now) {
  while (!sent_.empty() && sent_.front().at + kNotifyOutcomeWithin <= now) {
    notify_txs_.erase(sent_.front().tx);
    sent_.pop_front();
  }
}

}  // namespace orbit::pbx
