// The event stream's own thread: WebSocket subscribers live there, so that writing an event to a
// thousand browsers never delays the signalling thread that produced it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include <boost/beast/http.hpp>
#include "net/asio.hpp"

#include "api/event_hub.hpp"
#include "api/principal.hpp"
#include "pbx/supervision.hpp"

namespace orbit::api {

struct FanoutConfig {
  std::chrono::seconds idle_timeout{30};   // a silent client is pinged, then closed
  std::size_t max_queued_bytes = 4 << 20;  // per subscriber, not yet sent: beyond, it is dropped
  // Events go out together at most once per interval (the first after a quiet spell at once):
  // one send per subscriber per interval whatever the rate of events.
  std::chrono::milliseconds flush_interval{20};
};

class EventFanout {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  explicit EventFanout(FanoutConfig config);
  ~EventFanout();
  EventFanout(const EventFanout&) = delete;
  EventFanout& operator=(const EventFanout&) = delete;

  void start();
  // Closes every event stream and joins the thread. Once.
  void stop();

  // Signalling thread. Serialised once, and only when someone listens.
  void publish(const pbx::SupervisionEvent& event);
  // Signalling thread: `socket` has sent `request`, an authorised upgrade; `snapshot` was taken
  // in the same turn, so every later event follows it on this stream and none is missed.
  void attach(boost::asio::ip::tcp::socket socket, Request request, Principal principal,
              std::string snapshot);
  // Streams attached and not yet ended (any thread).
  [[nodiscard]] std::size_t streams() const { return streams_.load(); }

  // For the streams, on the fan-out thread.
  [[nodiscard]] EventHub& hub() { return hub_; }
  [[nodiscard]] const FanoutConfig& config() const { return config_; }
  void stream_ended() { --streams_; }

 private:
  // Fan-out thread: the frames of the interval, per tenant, and when they go.
  void queue(const std::string& tenant, const std::string& frame);
  void flush();

  FanoutConfig config_;
  // Declared before the io_context: handlers destroyed with it may still unsubscribe.
  EventHub hub_;
  std::atomic<std::size_t> streams_{0};
  boost::asio::io_context io_{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::unordered_map<std::string, std::string> batches_;
  boost::asio::steady_timer flush_timer_{io_};
  std::chrono::steady_clock::time_point last_flush_{};
  bool flush_due_ = false;
  std::thread thread_;
  bool stopped_ = false;
};

}  // namespace orbit::api
