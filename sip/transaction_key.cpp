// Matching keys of server (RFC 3261 §17.2.3) and client (§17.1.3) transactions.
#include "sip/transaction_key.hpp"

#include <fmt/format.h>

#include "sip/lex.hpp"

namespace orbit::sip {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lex::to_lower(c);
  return out;
}

}  // namespace

TransactionKey server_key(const Message& request, std::string_view method,
                          std::string_view to_tag) {
  const Via& via = request.top_via();
  if (via.has_rfc3261_branch()) {
    // The branch is compared case-sensitively, the sent-by host is not.
    return {
        fmt::format("{}|{}:{}|{}", via.branch(), lower(via.host), via.port.value_or(0), method)};
  }
  return {fmt::format("2543|{}|{}|{}|{}|{}|{}|{}", request.request_uri().raw, request.from().tag(),
                      request.call_id(), request.cseq().number, method, via.raw, to_tag)};
}

TransactionKey server_key(const Message& request) {
  return server_key(request, request.method(), request.to().tag());
}

TransactionKey client_key(const Message& message) {
  return {fmt::format("{}|{}", message.top_via().branch(), message.cseq().method)};
}

}  // namespace orbit::sip
