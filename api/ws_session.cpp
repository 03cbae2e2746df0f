// WsSession: handshake, snapshot, events written into a corked stream that the slow reader
// overflows, reads that only watch for close.
#include "api/ws_session.hpp"

#include <spdlog/spdlog.h>

namespace orbit::api {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

WsSession::WsSession(boost::asio::ip::tcp::socket socket, EventFanout& fanout,
                     Principal principal)
    : ws_(std::move(socket), fanout.config().max_queued_bytes, fanout.config().flush_interval),
      fanout_(fanout),
      principal_(std::move(principal)) {}

WsSession::~WsSession() {
  if (subscription_) fanout_.hub().unsubscribe(*subscription_);
  fanout_.stream_ended();
}

void WsSession::run(EventFanout::Request request, std::string snapshot) {
  // Events of this tenant queue behind the snapshot from now on, handshake or not.
  subscription_ = fanout_.hub().subscribe(principal_.tenant, weak_from_this());
  queue_.push_back(std::make_shared<const std::string>(std::move(snapshot)));
  // The websocket stream runs its own timers: idle pings, and a close when the peer is silent.
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = fanout_.config().idle_timeout;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.read_message_max(4096);
  ws_.text(true);
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
  write_next();
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

void WsSession::deliver(std::shared_ptr<const std::string> message) {
  if (closed_) return;
  queue_.push_back(std::move(message));
  if (accepted_ && !writing_) write_next();
}

// A write completes as soon as the frame is in the stream's buffer; the bound on what waits
// there is the corked stream's: past it the write fails and the reader is dropped.
void WsSession::write_next() {
  if (closed_ || queue_.empty()) {
    writing_ = false;
    return;
  }
  writing_ = true;
  ws_.async_write(boost::asio::buffer(*queue_.front()),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) {
                    self->writing_ = false;
                    if (ec == boost::asio::error::no_buffer_space) {
                      self->drop("event queue overflow (slow reader)");
                      return;
                    }
                    if (ec) {
                      self->close();
                      return;
                    }
                    self->queue_.pop_front();
                    self->write_next();
                  });
}

void WsSession::drop(std::string_view why) {
  spdlog::warn("api: dropping event stream of {} ({}): {}", principal_.name, principal_.tenant,
               why);
  close();
}

void WsSession::close() {
  if (closed_) return;
  closed_ = true;
  // A write in flight still reads the front message: keep it alive until it completes.
  while (queue_.size() > (writing_ ? 1U : 0U)) queue_.pop_back();
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
