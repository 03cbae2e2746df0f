// The transaction table: matching messages to transactions, timers, actions for the transport/TU.
#include "sip/transaction_layer.hpp"

#include <utility>

namespace orbit::sip {
namespace {

TransactionError error(TransactionErrorCode code, std::string reason) {
  return {code, std::move(reason)};
}

}  // namespace

TransactionLayer::TransactionLayer(TimerConfig timers) : timers_(timers) {}

void TransactionLayer::on_message(Message&& message, const Endpoint& from, TimePoint now) {
  if (!message.is_request()) {
    on_response(std::move(message), from, now);
  } else if (message.method() == "ACK") {
    on_ack(std::move(message), from, now);
  } else {
    on_request(std::move(message), from);
  }
}

void TransactionLayer::on_request(Message&& request, const Endpoint& from) {
  auto key = server_key(request);
  if (auto id = find_server(key)) {
    // A retransmission: answered from the transaction, never shown to the TU again.
    if (auto resend = servers_.at(*id).tx.on_retransmission()) send(std::move(*resend), from);
    return;
  }
  const std::uint64_t id = next_id_++;
  ServerTransaction tx(request, from, timers_);
  if (!tx.last_response().empty()) send(tx.last_response(), from);  // 100 Trying
  std::optional<ServerTransactionId> cancels;
  if (request.method() == "CANCEL") cancels = find_invite_for_cancel(request);
  server_keys_.emplace(key, id);
  servers_.emplace(id, ServerEntry{std::move(tx), std::move(key), std::nullopt});
  actions_.emplace_back(
      RequestReceived{ServerTransactionId{id}, std::move(request), from, cancels});
  update_server(id);
}

void TransactionLayer::on_ack(Message&& ack, const Endpoint& from, TimePoint now) {
  if (auto id = find_server_for_ack(ack)) {
    auto disposition = servers_.at(*id).tx.on_ack(now);
    update_server(*id);
    if (disposition == AckDisposition::Absorb) return;
  }
  actions_.emplace_back(AckReceived{std::move(ack), from});
}

void TransactionLayer::on_response(Message&& response, const Endpoint& from, TimePoint now) {
  auto found = client_keys_.find(client_key(response));
  if (found == client_keys_.end()) {
    actions_.emplace_back(StrayResponse{std::move(response), from});
    return;
  }
  const std::uint64_t id = found->second;
  auto& tx = clients_.at(id).tx;
  auto result = tx.on_response(response, now);
  if (result.ack) send(std::move(*result.ack), tx.peer());
  if (result.pass_to_tu) {
    actions_.emplace_back(ResponseReceived{ClientTransactionId{id}, std::move(response)});
  }
  update_client(id);
}

void TransactionLayer::on_timer(TimePoint now) {
  while (!deadlines_.empty() && deadlines_.begin()->at <= now) {
    const Deadline due = *deadlines_.begin();
    deadlines_.erase(deadlines_.begin());
    fire(due, now);
  }
}

void TransactionLayer::fire(const Deadline& due, TimePoint now) {
  if (due.side == Side::Server) {
    auto& entry = servers_.at(due.id);
    entry.scheduled.reset();
    auto result = entry.tx.on_timer(now);
    if (result.resend) send(std::move(*result.resend), entry.tx.peer());
    if (result.ack_timed_out) actions_.emplace_back(AckTimeout{ServerTransactionId{due.id}});
    update_server(due.id);
    return;
  }
  auto& entry = clients_.at(due.id);
  entry.scheduled.reset();
  auto result = entry.tx.on_timer(now);
  if (result.resend) send(std::move(*result.resend), entry.tx.peer());
  if (result.timed_out) actions_.emplace_back(TransactionTimeout{ClientTransactionId{due.id}});
  update_client(due.id);
}

std::expected<void, TransactionError> TransactionLayer::respond(ServerTransactionId id,
                                                                std::string bytes, int status,
                                                                TimePoint now) {
  auto found = servers_.find(id.value);
  if (found == servers_.end()) {
    return std::unexpected(error(TransactionErrorCode::UnknownTransaction,
                                 "no such server transaction (terminated?)"));
  }
  auto& tx = found->second.tx;
  if (auto ok = tx.on_response(std::move(bytes), status, now); !ok) {
    return std::unexpected(error(TransactionErrorCode::WrongState, std::move(ok.error())));
  }
  send(tx.last_response(), tx.peer());
  update_server(id.value);
  return {};
}

std::expected<ClientTransactionId, TransactionError> TransactionLayer::send_request(
    Message request, const Endpoint& to, TimePoint now) {
  if (!request.is_request()) {
    return std::unexpected(
        error(TransactionErrorCode::NotARequest, "a response has no client transaction"));
  }
  if (request.method() == "ACK") {
    return std::unexpected(error(TransactionErrorCode::NoTransactionForAck,
                                 "an ACK has no transaction: use send_stateless()"));
  }
  if (!request.top_via().has_rfc3261_branch()) {
    return std::unexpected(
        error(TransactionErrorCode::NoMagicCookie, "the top Via branch must start with z9hG4bK"));
  }
  auto key = client_key(request);
  if (client_keys_.contains(key)) {
    return std::unexpected(error(TransactionErrorCode::DuplicateBranch,
                                 "a client transaction with this branch and method exists"));
  }
  const std::uint64_t id = next_id_++;
  send(std::string(request.bytes()), to);
  client_keys_.emplace(key, id);
  clients_.emplace(id, ClientEntry{ClientTransaction(std::move(request), to, timers_, now),
                                   std::move(key), std::nullopt});
  update_client(id);
  return ClientTransactionId{id};
}

void TransactionLayer::send_stateless(std::string bytes, const Endpoint& to) {
  send(std::move(bytes), to);
}

std::optional<ServerTransactionId> TransactionLayer::find_invite_for_cancel(
    const Message& cancel) const {
  auto id = find_server(server_key(cancel, "INVITE", cancel.to().tag()));
  if (!id) return std::nullopt;
  return ServerTransactionId{*id};
}

std::optional<std::uint64_t> TransactionLayer::find_server(const TransactionKey& key) const {
  auto found = server_keys_.find(key);
  if (found == server_keys_.end()) return std::nullopt;
  return found->second;
}

std::optional<std::uint64_t> TransactionLayer::find_server_for_ack(const Message& ack) const {
  // With a branch, or for an RFC 2543 re-INVITE whose To tag the ACK repeats.
  if (auto id = find_server(server_key(ack, "INVITE", ack.to().tag()))) return id;
  if (ack.top_via().has_rfc3261_branch()) return std::nullopt;
  // RFC 2543, initial INVITE: its To had no tag; the ACK carries the tag of our response.
  auto id = find_server(server_key(ack, "INVITE", {}));
  if (id && servers_.at(*id).tx.response_to_tag() == ack.to().tag()) return id;
  return std::nullopt;
}

std::optional<TimePoint> TransactionLayer::next_deadline() const {
  if (deadlines_.empty()) return std::nullopt;
  return deadlines_.begin()->at;
}

std::vector<Action> TransactionLayer::take_actions() {
  return std::exchange(actions_, {});
}

std::optional<ServerState> TransactionLayer::state(ServerTransactionId id) const {
  auto found = servers_.find(id.value);
  if (found == servers_.end()) return std::nullopt;
  return found->second.tx.state();
}

std::optional<ClientState> TransactionLayer::state(ClientTransactionId id) const {
  auto found = clients_.find(id.value);
  if (found == clients_.end()) return std::nullopt;
  return found->second.tx.state();
}

void TransactionLayer::update_server(std::uint64_t id) {
  auto found = servers_.find(id);
  auto& entry = found->second;
  if (entry.scheduled) deadlines_.erase(Deadline{*entry.scheduled, Side::Server, id});
  entry.scheduled.reset();
  if (entry.tx.state() == ServerState::Terminated) {
    server_keys_.erase(entry.key);
    servers_.erase(found);
    return;
  }
  entry.scheduled = entry.tx.next_deadline();
  if (entry.scheduled) deadlines_.insert(Deadline{*entry.scheduled, Side::Server, id});
}

void TransactionLayer::update_client(std::uint64_t id) {
  auto found = clients_.find(id);
  auto& entry = found->second;
  if (entry.scheduled) deadlines_.erase(Deadline{*entry.scheduled, Side::Client, id});
  entry.scheduled.reset();
  if (entry.tx.state() == ClientState::Terminated) {
    client_keys_.erase(entry.key);
    clients_.erase(found);
    return;
  }
  entry.scheduled = entry.tx.next_deadline();
  if (entry.scheduled) deadlines_.insert(Deadline{*entry.scheduled, Side::Client, id});
}

void TransactionLayer::send(std::string bytes, const Endpoint& to) {
  actions_.emplace_back(Send{std::move(bytes), to});
}

}  // namespace orbit::sip
