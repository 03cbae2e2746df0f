// EventFanout: the thread, the hand-over of upgraded sockets, and events posted to it.
#include "api/event_fanout.hpp"

#include <memory>

#include <nlohmann/json.hpp>

#include "api/json_views.hpp"
#include "api/ws_frame.hpp"
#include "api/ws_session.hpp"

namespace orbit::api {

EventFanout::EventFanout(FanoutConfig config) : config_(config) {}

EventFanout::~EventFanout() {
  stop();
}

void EventFanout::start() {
  if (thread_.joinable() || stopped_) return;
  work_.emplace(io_.get_executor());
  thread_ = std::thread([this] { io_.run(); });
}

void EventFanout::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (!thread_.joinable()) return;
  boost::asio::post(io_, [this] {
    flush_timer_.cancel();
    hub_.close_all();
    work_.reset();
  });
  // The closed streams' cancelled operations were queued by now; what is left (timers) is
  // destroyed with the io_context, and the streams with it.
  boost::asio::post(io_, [this] { io_.stop(); });
  thread_.join();
}

void EventFanout::publish(const pbx::SupervisionEvent& event) {
  if (streams_.load() == 0 || stopped_) return;
  std::string frame =
      text_frame(nlohmann::json{{"type", "event"}, {"event", to_json(event)}}.dump());
  boost::asio::post(io_, [this, tenant = event.tenant, frame = std::move(frame)] {
    queue(tenant, frame);
  });
}

void EventFanout::queue(const std::string& tenant, const std::string& frame) {
  batches_[tenant] += frame;
  if (flush_due_) return;
  flush_due_ = true;
  const auto due = last_flush_ + config_.flush_interval;
  if (due <= std::chrono::steady_clock::now()) {
    boost::asio::post(io_, [this] { flush(); });
    return;
  }
  flush_timer_.expires_at(due);
  flush_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) flush();
  });
}

void EventFanout::flush() {
  flush_due_ = false;
  last_flush_ = std::chrono::steady_clock::now();
  for (auto& [tenant, frames] : batches_) {
    if (frames.empty()) continue;
    hub_.publish(tenant, std::make_shared<const std::string>(std::move(frames)));
    frames.clear();
  }
}

void EventFanout::attach(boost::asio::ip::tcp::socket socket, Request request, Principal principal,
                         std::string snapshot) {
  if (stopped_) return;
  boost::system::error_code ec;
  const auto local = socket.local_endpoint(ec);
  if (ec) return;  // the client has gone
  // Frames are batched here already (CorkedStream): Nagle would only add an ACK's wait.
  socket.set_option(boost::asio::ip::tcp::no_delay(true), ec);
  ++streams_;
  // The socket moves to this thread's io_context: same descriptor, new owner.
  const auto protocol = local.protocol();
  const auto descriptor = socket.release();
  boost::asio::post(io_, [this, protocol, descriptor, request = std::move(request),
                          principal = std::move(principal),
                          snapshot = std::move(snapshot)]() mutable {
    // What is batched happened before the snapshot: it goes to the others, not to this one.
    if (flush_due_) {
      flush_timer_.cancel();
      flush();
    }
    boost::asio::ip::tcp::socket moved(io_, protocol, descriptor);
    auto session = std::make_shared<WsSession>(std::move(moved), *this, std::move(principal));
    session->run(std::move(request), text_frame(snapshot));
  });
}

}  // namespace orbit::api
