// How transactions are named: the ids the TU holds and the matching keys of RFC 3261 §17.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "sip/message.hpp"

namespace orbit::sip {

// A server transaction, as the TU refers to it when it responds.
struct ServerTransactionId {
  std::uint64_t value = 0;
  friend auto operator<=>(const ServerTransactionId&, const ServerTransactionId&) = default;
};

// A client transaction, as the layer refers to it when a response or a timeout comes.
struct ClientTransactionId {
  std::uint64_t value = 0;
  friend auto operator<=>(const ClientTransactionId&, const ClientTransactionId&) = default;
};

// The string a transaction is filed under in the layer's table.
struct TransactionKey {
  std::string value;
  friend bool operator==(const TransactionKey&, const TransactionKey&) = default;
};

struct TransactionKeyHash {
  [[nodiscard]] std::size_t operator()(const TransactionKey& key) const {
    return std::hash<std::string>{}(key.value);
  }
};

// The key of the server transaction a request belongs to (RFC 3261 §17.2.3), as if its method
// were `method` (pass "INVITE" for an ACK or for the INVITE a CANCEL targets).
// With the magic cookie: branch, sent-by and method. Without (RFC 2543): Request-URI, From
// tag, Call-ID, CSeq number, method, top Via and `to_tag`, all compared as received.
[[nodiscard]] TransactionKey server_key(const Message& request, std::string_view method,
                                        std::string_view to_tag);

// The key of a request's own server transaction: its method and its To tag.
[[nodiscard]] TransactionKey server_key(const Message& request);

// The key of a client transaction (RFC 3261 §17.1.3): top Via branch and CSeq method.
[[nodiscard]] TransactionKey client_key(const Message& message);

}  // namespace orbit::sip
