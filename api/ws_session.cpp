// WsSession: handshake, snapshot, event queue with a bound, reads that only watch for close.
#include "api/ws_session.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "api/json_views.hpp"

namespace orbit::api {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

WsSession::WsSession(beast::tcp_stream stream, std::shared_ptr<ServerContext> context,
                     Principal principal, std::uint64_t connection_id)
    : ws_(std::move(stream)),
      context_(std::move(context)),
      principal_(std::move(principal)),
      connection_id_(connection_id) {}

WsSession::~WsSession() {
  if (subscription_) context_->hub.unsubscribe(*subscription_);
  context_->connections.erase(connection_id_);
}

void WsSession::run(beast::http::request<beast::http::string_body> request) {
  // The websocket stream runs its own timers: idle pings, and a close when the peer is silent.
  beast::get_lowest_layer(ws_).expires_never();
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = context_->config.idle_timeout;
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
  // Snapshot and subscription happen in the same turn of the loop: no event falls between.
  const std::string& tenant = principal_.tenant;
  auto calls = context_->source.calls(tenant);
  auto lots = context_->source.lots(tenant);
  std::erase_if(calls, [&](const pbx::CallView& c) { return c.tenant != tenant; });
  std::erase_if(lots, [&](const pbx::LotView& l) { return l.tenant != tenant; });
  const nlohmann::json snapshot = {
      {"type", "snapshot"}, {"calls", to_json_array(calls)}, {"lots", to_json_array(lots)}};
  subscription_ = context_->hub.subscribe(tenant, weak_from_this());
  deliver(std::make_shared<const std::string>(snapshot.dump()));
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
  if (queue_.size() >= context_->config.max_queued_messages) {
    drop("event queue overflow (slow reader)");
    return;
  }
  queue_.push_back(std::move(message));
  if (!writing_) write_next();
}

void WsSession::write_next() {
  if (closed_ || queue_.empty()) {
    writing_ = false;
    return;
  }
  writing_ = true;
  ws_.text(true);
  ws_.async_write(boost::asio::buffer(*queue_.front()),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) {
                    if (ec) {
                      self->writing_ = false;
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
    context_->hub.unsubscribe(*subscription_);
    subscription_.reset();
  }
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both,
                                                 ignored);
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

}  // namespace orbit::api
