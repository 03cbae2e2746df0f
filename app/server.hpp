// The running server: the signalling event loop that joins the transports to the SIP core.
#pragma once

#include <memory>

#include "app/config.hpp"

namespace orbit::app {

// Binds every listening socket (throws std::runtime_error naming the one that fails), prints
// the start-up banner, then serves until SIGINT or SIGTERM. Returns the exit code.
int run_server(const Config& config);

}  // namespace orbit::app
