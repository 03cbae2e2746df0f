// What a transaction user needs to answer a request, and the answer it gives.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "sip/endpoint.hpp"
#include "sip/message.hpp"

namespace orbit::pbx {

struct RequestContext {
  const sip::Message& request;
  const sip::Endpoint& source;
  std::string_view top_via;  // the top Via stamped with received/rport
  sip::TimePoint now;
  std::chrono::sys_seconds wall_now;  // nonces are dated in wall-clock time
};

struct Reply {
  int status = 0;
  std::string bytes;
};

}  // namespace orbit::pbx
