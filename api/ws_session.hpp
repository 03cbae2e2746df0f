// One /api/v1/events WebSocket on the fan-out thread: a snapshot, then the tenant's events.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast.hpp>
#include "net/asio.hpp"

#include "api/corked_stream.hpp"
#include "api/event_fanout.hpp"
#include "api/event_hub.hpp"
#include "api/principal.hpp"

namespace orbit::api {

class WsSession : public EventSink, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(boost::asio::ip::tcp::socket socket, EventFanout& fanout, Principal principal);
  ~WsSession() override;

  // Subscribes, completes the handshake of `request`, then sends the frame `snapshot` and the
  // events' frames.
  void run(EventFanout::Request request, std::string snapshot);
  void deliver(const std::shared_ptr<const std::string>& frames) override;
  void close() override;

 private:
  void on_accept(boost::beast::error_code ec);
  void read_next();
  void send(std::string_view frames);

  boost::beast::websocket::stream<CorkedStream> ws_;
  EventFanout& fanout_;
  Principal principal_;
  std::optional<EventHub::SubscriptionId> subscription_;
  // Frames until the handshake is done; then each goes at once into the stream's buffer.
  std::string snapshot_;
  std::vector<std::shared_ptr<const std::string>> early_;
  boost::beast::flat_buffer incoming_;
  bool accepted_ = false;
  bool closed_ = false;
};

}  // namespace orbit::api
