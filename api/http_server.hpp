// The supervision API server: HTTP/1.1 and WebSocket on Boost.Beast, on the signalling io_context.
#pragma once

#include <cstdint>
#include <memory>

#include "net/asio.hpp"

#include "api/server_context.hpp"
#include "api/tokens.hpp"
#include "pbx/supervision.hpp"

namespace orbit::api {

// Runs on `io` (the signalling thread): the source is only called there, and its events are
// produced there; the event streams are written from a thread of their own (EventFanout). `source` and `history` (null: none configured) must
// outlive the server.
class HttpServer {
 public:
  // `actions` may be null: the act routes then answer 503.
  HttpServer(boost::asio::io_context& io, HttpServerConfig config, TokenStore tokens,
             pbx::SupervisionSource& source, pbx::SupervisionActions* actions = nullptr,
             const store::HistoryReader* history = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens now so that a bad address shows at start-up; throws std::system_error.
  void start();
  // Stops accepting and closes every open connection.
  void stop();

  // The bound port (the ephemeral one when the configuration says 0).
  [[nodiscard]] std::uint16_t port() const;
  [[nodiscard]] std::size_t connections() const { return context_->connections.size(); }
  // Event streams open (any thread).
  [[nodiscard]] std::size_t event_subscribers() const { return context_->fanout.streams(); }

 private:
  void accept_next();

  boost::asio::io_context& io_;
  std::shared_ptr<ServerContext> context_;
  boost::asio::ip::tcp::acceptor acceptor_;
};

}  // namespace orbit::api
