// WsSession: handshake, snapshot, the events' frames appended to a corked stream that a slow
// reader overflows, reads that only watch for close.
#include "api/ws_session.hpp"

#include <spdlog/spdlog.h>

namespace orbit::api {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

WsSession::WsSession(boost::asio::ip::tcp::socket socket, EventFanout& fanout,
                     Principal principal)
    : ws_(std::move(socket), fanout.config().max_queued_bytes),
      fanout_(fanout),
      principal_(std::move(principal)) {}

WsSession::~WsSession() {
  if (subscription_) fanout_.hub().unsubscribe(*subscription_);
  fanout_.stream_ended();
}

void WsSession::run(EventFanout::Request request, std::string snapshot) {
  // Events of this tenant queue behind the snapshot from now on, handshake or not.
  subscription_ = fanout_.hub().subscribe(principal_.tenant, weak_from_this());
  snapshot_ = std::move(snapshot);
  // The websocket stream runs its own timers: idle pings, and a close when the peer is silent.
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = fanout_.config().idle_timeout;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.read_message_max(4096);
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
    response.set(beast::http::field::server, "Orbit");
  }));
  ws_.async_accept(request,
                   [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
}

void WsSession::on_accept(beast::error_code ec) {
  if (ec || closed_) {
    close();
    return;
  }
  accepted_ = true;
  send(snapshot_);
  std::string().swap(snapshot_);  // a megabyte for a big lot: not kept per stream
  for (const auto& frame : early_) send(*frame);
  early_.clear();
  read_next();
}

void WsSession::read_next() {
  ws_.async_read(incoming_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) {
      self->close();
      return;
    }
    self->incoming_.clear();  // clients have nothing to say yet
    self->read_next();
  });
}

void WsSession::deliver(const std::shared_ptr<const std::string>& frames) {
  if (closed_) return;
  if (!accepted_) {
    early_.push_back(frames);
    return;
  }
  send(*frames);
}

// Past the stream's bound of unsent bytes the reader has fallen behind: it is dropped (it can
// reconnect and get a fresh snapshot) rather than delaying or growing without end.
void WsSession::send(std::string_view frames) {
  if (closed_ || ws_.next_layer().append(frames)) return;
  spdlog::warn("api: dropping event stream of {} ({}): event queue overflow (slow reader)",
               principal_.name, principal_.tenant);
  close();
}

void WsSession::close() {
  if (closed_) return;
  closed_ = true;
  early_.clear();
  if (subscription_) {
    fanout_.hub().unsubscribe(*subscription_);
    subscription_.reset();
  }
  ws_.next_layer().cancel();
  beast::error_code ignored;
  auto& socket = ws_.next_layer().next_layer();
  socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

}  // namespace orbit::api
