// One /api/v1/events WebSocket: a snapshot, then the tenant's events through a bounded queue.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include <boost/beast.hpp>
#include "net/asio.hpp"

#include "api/event_hub.hpp"
#include "api/principal.hpp"
#include "api/server_context.hpp"

namespace orbit::api {

class WsSession : public EventSink,
                  public Connection,
                  public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(boost::beast::tcp_stream stream, std::shared_ptr<ServerContext> context,
            Principal principal, std::uint64_t connection_id);
  ~WsSession() override;

  // Completes the handshake of `request`, then sends the snapshot and streams events.
  void run(boost::beast::http::request<boost::beast::http::string_body> request);
  void deliver(std::shared_ptr<const std::string> message) override;
  void close() override;

 private:
  void on_accept(boost::beast::error_code ec);
  void read_next();
  void write_next();
  void drop(std::string_view why);

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  std::shared_ptr<ServerContext> context_;
  Principal principal_;
  std::uint64_t connection_id_;
  std::optional<EventHub::SubscriptionId> subscription_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  boost::beast::flat_buffer incoming_;
  bool writing_ = false;
  bool closed_ = false;
};

}  // namespace orbit::api
