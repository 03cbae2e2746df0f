// A dialog (RFC 3261 §12) as one side of a B2BUA holds it, and the requests sent within it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sip/endpoint.hpp"
#include "sip/message.hpp"

namespace orbit::sip {

struct Dialog {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;
  std::string local_uri;   // the name-addr Orbit puts in From of its requests (without tag)
  std::string remote_uri;  // the name-addr of To (without tag)
  std::string remote_target;  // the peer's Contact URI: Request-URI of in-dialog requests
  std::vector<std::string> route_set;
  std::uint32_t local_cseq = 0;
  std::uint32_t remote_cseq = 0;
  Endpoint peer;  // where the peer's messages come from: in-dialog requests go there (NAT)

  // Whether a request received belongs to this dialog (Call-ID and both tags).
  [[nodiscard]] bool matches(const Message& request) const;
};

// The dialog Orbit forms as UAS when it answers `invite` with To tag `local_tag`.
[[nodiscard]] Dialog dialog_as_uas(const Message& invite, std::string local_tag,
                                   const Endpoint& peer);

// The dialog Orbit forms as UAC from the INVITE it sent and the 2xx (or 1xx with tag) received.
[[nodiscard]] Dialog dialog_as_uac(const Message& invite, const Message& response,
                                   const Endpoint& peer);

// Where this node can be reached, for Via and Contact of what it sends.
struct LocalAddress {
  Transport transport = Transport::Udp;
  std::string host;
  std::uint16_t port = 5060;
};

// A request within the dialog; increments local_cseq unless `cseq` is given (ACK and CANCEL
// reuse the INVITE's). `extra` holds whole header lines, each ending in CRLF.
[[nodiscard]] std::string dialog_request(Dialog& dialog, std::string_view method,
                                         const LocalAddress& local, std::string_view branch,
                                         std::string_view extra = {},
                                         std::string_view content_type = {},
                                         std::string_view body = {}, std::uint32_t cseq = 0);

[[nodiscard]] std::string contact_header(const LocalAddress& local, std::string_view user = "orbit");

}  // namespace orbit::sip
