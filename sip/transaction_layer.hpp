// The transaction layer (RFC 3261 §17, RFC 6026): matching, the transaction table, actions out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "sip/client_transaction.hpp"
#include "sip/endpoint.hpp"
#include "sip/message.hpp"
#include "sip/server_transaction.hpp"
#include "sip/timers.hpp"
#include "sip/transaction_key.hpp"

namespace orbit::sip {

// Bytes for the transport to send.
struct Send {
  std::string bytes;
  Endpoint to;
};

// A new request for the TU, which answers it with respond(id, ...). Retransmissions are
// absorbed by the transaction and never delivered twice. For a CANCEL, `cancels` names the
// INVITE server transaction it targets, if there is one.
struct RequestReceived {
  ServerTransactionId id;
  Message request;
  Endpoint from;
  std::optional<ServerTransactionId> cancels;
};

// An ACK for the TU: the ACK of a 2xx (end to end, RFC 3261 §17.1.1.1) or one that matches
// no transaction.
struct AckReceived {
  Message ack;
  Endpoint from;
};

struct ResponseReceived {
  ClientTransactionId id;
  Message response;
};

// A response that matches no client transaction, e.g. a 2xx retransmitted after Timer M. The
// TU may ACK a late 2xx of a dialog it knows, or ignore it.
struct StrayResponse {
  Message response;
  Endpoint from;
};

// Timer B or F: no final response came; the TU treats it as a 408 (RFC 3261 §8.1.3.1).
struct TransactionTimeout {
  ClientTransactionId id;
};

// Timer H: no ACK came for a 3xx–6xx final response to an INVITE (RFC 3261 §17.2.1).
struct AckTimeout {
  ServerTransactionId id;
};

using Action = std::variant<Send, RequestReceived, AckReceived, ResponseReceived, StrayResponse,
                            TransactionTimeout, AckTimeout>;

enum class TransactionErrorCode : std::uint8_t {
  UnknownTransaction,  // never existed, or already terminated
  WrongState,          // the transaction's state refuses this response
  NotARequest,
  NoTransactionForAck,  // an ACK is sent with send_stateless()
  NoMagicCookie,        // client requests must carry an RFC 3261 branch
  DuplicateBranch,      // a client transaction with this branch and method exists
};

struct TransactionError {
  TransactionErrorCode code;
  std::string reason;

  friend bool operator==(const TransactionError&, const TransactionError&) = default;
};

// Sans-I/O: the transport feeds messages in, the TU responds and sends requests, the event loop
// calls on_timer() at next_deadline(); everything to do comes out of take_actions().
class TransactionLayer {
 public:
  explicit TransactionLayer(TimerConfig timers = {});

  // A message from the transport. Responses to a request go back to its `from`.
  void on_message(Message&& message, const Endpoint& from, TimePoint now);
  void on_timer(TimePoint now);

  // A response the TU built for a server transaction; `status` tells its class.
  [[nodiscard]] std::expected<void, TransactionError> respond(ServerTransactionId id,
                                                              std::string bytes, int status,
                                                              TimePoint now);
  // Starts a client transaction for a request the TU built; its top Via branch names it.
  [[nodiscard]] std::expected<ClientTransactionId, TransactionError> send_request(
      Message request, const Endpoint& to, TimePoint now);
  // Sends outside any transaction: the ACK of a 2xx, a stateless response.
  void send_stateless(std::string bytes, const Endpoint& to);

  // The INVITE server transaction a CANCEL targets (RFC 3261 §9.2).
  [[nodiscard]] std::optional<ServerTransactionId> find_invite_for_cancel(
      const Message& cancel) const;

  [[nodiscard]] std::optional<TimePoint> next_deadline() const;
  [[nodiscard]] std::vector<Action> take_actions();

  [[nodiscard]] std::optional<ServerState> state(ServerTransactionId id) const;
  [[nodiscard]] std::optional<ClientState> state(ClientTransactionId id) const;
  [[nodiscard]] std::size_t server_count() const { return servers_.size(); }
  [[nodiscard]] std::size_t client_count() const { return clients_.size(); }

 private:
  struct ServerEntry {
    ServerTransaction tx;
    TransactionKey key;
    std::optional<TimePoint> scheduled;  // its place in deadlines_
  };
  struct ClientEntry {
    ClientTransaction tx;
    TransactionKey key;
    std::optional<TimePoint> scheduled;
  };
  enum class Side : std::uint8_t { Server, Client };
  struct Deadline {
    TimePoint at;
    Side side;
    std::uint64_t id;
    friend auto operator<=>(const Deadline&, const Deadline&) = default;
  };

  void on_request(Message&& request, const Endpoint& from);
  void on_ack(Message&& ack, const Endpoint& from, TimePoint now);
  void on_response(Message&& response, const Endpoint& from, TimePoint now);
  void fire(const Deadline& due, TimePoint now);
  [[nodiscard]] std::optional<std::uint64_t> find_server(const TransactionKey& key) const;
  [[nodiscard]] std::optional<std::uint64_t> find_server_for_ack(const Message& ack) const;
  // Files the transaction's next deadline, or drops it from the table once terminated.
  void update_server(std::uint64_t id);
  void update_client(std::uint64_t id);
  void send(std::string bytes, const Endpoint& to);

  TimerConfig timers_;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, ServerEntry> servers_;
  std::unordered_map<TransactionKey, std::uint64_t, TransactionKeyHash> server_keys_;
  std::unordered_map<std::uint64_t, ClientEntry> clients_;
  std::unordered_map<TransactionKey, std::uint64_t, TransactionKeyHash> client_keys_;
  std::set<Deadline> deadlines_;
  std::vector<Action> actions_;
};

}  // namespace orbit::sip
