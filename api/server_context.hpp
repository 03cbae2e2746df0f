// What every connection of the API server shares: limits, router, event hub, open connections.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>

#include "api/event_fanout.hpp"
#include "api/routes.hpp"
#include "api/tokens.hpp"
#include "pbx/supervision.hpp"

namespace orbit::api {

struct HttpServerConfig {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;                  // 0: an ephemeral port, see HttpServer::port()
  std::size_t max_request_bytes = 16 * 1024;  // request line + headers + body
  std::chrono::seconds idle_timeout{30};      // HTTP keep-alive and WebSocket silence
  std::size_t max_connections = 1024;
  // Per event stream: bytes not yet sent beyond which a reader that falls behind is dropped,
  // and the shortest time between two sends (events in between go out together).
  std::size_t max_queued_bytes = 4 << 20;
  std::chrono::milliseconds flush_interval{20};
  std::filesystem::path web_root;  // the web console's files (api/static_files.hpp); empty: none
};

// An open connection the server can close when it stops.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void close() = 0;
};

struct ServerContext {
  ServerContext(HttpServerConfig c, TokenStore t, const pbx::SupervisionSource& s,
                pbx::SupervisionActions* actions = nullptr,
                const store::HistoryReader* history = nullptr)
      : config(std::move(c)),
        tokens(std::move(t)),
        source(s),
        router(tokens, source, actions, history),
        fanout(FanoutConfig{.idle_timeout = config.idle_timeout,
                            .max_queued_bytes = config.max_queued_bytes,
                            .flush_interval = config.flush_interval}) {}

  HttpServerConfig config;
  TokenStore tokens;
  const pbx::SupervisionSource& source;
  Router router;
  EventFanout fanout;  // the event streams, on a thread of their own
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections;
  std::uint64_t next_connection = 1;
  bool stopped = false;
};

}  // namespace orbit::api
