// A TCP stream whose writes are gathered and sent together: the layer under an event WebSocket.
//
// Why: a subscriber gets several events per park (the park, the call events) and there may be
// thousands of subscribers; one system call per WebSocket frame per subscriber was the limit of
// the fan-out. Writes land in a buffer and complete at once; the buffer goes out in one send
// once the loop has finished its current work, and whatever arrives while a send is in flight
// goes out with the next one. Frames appended directly (append()) and Beast's own (the
// handshake, pings, the close) share the buffer; Beast's WebSocket stream sits on top unchanged.
#pragma once

#include <cstddef>
#include <functional>  // std::move_only_function
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/websocket/teardown.hpp>
#include "net/asio.hpp"

namespace orbit::api {

class CorkedStream {
 public:
  using socket_type = boost::asio::ip::tcp::socket;
  using executor_type = socket_type::executor_type;
  using next_layer_type = socket_type;

  // `limit`: bytes waiting to be sent beyond which a write fails (a reader too slow to follow).
  CorkedStream(socket_type socket, std::size_t limit)
      : state_(std::make_shared<State>(std::move(socket), limit)) {}

  [[nodiscard]] executor_type get_executor() { return state_->socket.get_executor(); }
  [[nodiscard]] socket_type& next_layer() { return state_->socket; }
  [[nodiscard]] std::size_t waiting() const { return state_->pending.size(); }

  template <typename Buffers, typename Token>
  auto async_read_some(const Buffers& buffers, Token&& token) {
    return state_->socket.async_read_some(buffers, std::forward<Token>(token));
  }

  // Completes at once (through the executor, never inside this call) once the bytes are queued.
  template <typename Buffers, typename Token>
  auto async_write_some(const Buffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [state = state_](auto handler, const Buffers& data) {
          const auto [ec, written] = state->queue(data);
          auto executor =
              boost::asio::get_associated_executor(handler, state->socket.get_executor());
          boost::asio::post(executor, [handler = std::move(handler), ec, written]() mutable {
            handler(ec, written);
          });
        },
        token, buffers);
  }

  // Queues bytes written by the caller itself (whole WebSocket frames, never inside another
  // write: every write here completes whole, so frames cannot interleave); false past the bound.
  [[nodiscard]] bool append(std::string_view bytes) {
    if (state_->sealed) return true;  // closing: nothing may follow the close frame
    return !state_->queue(boost::asio::buffer(bytes.data(), bytes.size())).first;
  }
  // From now on append() discards: the WebSocket close frame has been queued.
  void seal() { state_->sealed = true; }

  // Runs `done` once everything queued so far has been sent (or the sending failed).
  void when_flushed(std::move_only_function<void()> done) { state_->when_flushed(std::move(done)); }
  // Stops sending: queued bytes are dropped.
  void cancel() { state_->cancel(); }

 private:
  static constexpr std::size_t kKeptCapacity = 64 * 1024;

  struct State : std::enable_shared_from_this<State> {
    State(socket_type s, std::size_t l) : socket(std::move(s)), limit(l) {}

    template <typename Buffers>
    std::pair<boost::system::error_code, std::size_t> queue(const Buffers& data) {
      if (failed) return {failed, 0};
      const std::size_t size = boost::asio::buffer_size(data);
      // One message larger than the bound (a big snapshot) still goes, alone.
      if (!pending.empty() && pending.size() + size > limit) {
        failed = boost::asio::error::no_buffer_space;
        return {failed, 0};
      }
      for (auto it = boost::asio::buffer_sequence_begin(data);
           it != boost::asio::buffer_sequence_end(data); ++it) {
        const boost::asio::const_buffer piece(*it);
        const auto* bytes = static_cast<const char*>(piece.data());
        pending.append(bytes, piece.size());
      }
      schedule();
      return {{}, size};
    }

    void schedule() {
      if (sending || scheduled) return;
      scheduled = true;
      boost::asio::post(socket.get_executor(), [self = shared_from_this()] { self->send(); });
    }

    void send() {
      scheduled = false;
      if (failed || sending) return;
      if (pending.empty()) {
        notify();
        return;
      }
      sending = true;
      in_flight.swap(pending);
      boost::asio::async_write(
          socket, boost::asio::buffer(in_flight),
          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
            self->sending = false;
            // A snapshot can be a megabyte: do not keep that much per stream once it is sent.
            if (self->in_flight.capacity() > kKeptCapacity) {
              std::string().swap(self->in_flight);
            } else {
              self->in_flight.clear();
            }
            if (ec) {
              self->failed = ec;
              self->notify();
              return;
            }
            if (self->pending.empty()) {
              self->notify();
            } else {
              self->schedule();
            }
          });
    }

    void when_flushed(std::move_only_function<void()> done) {
      flushed.push_back(std::move(done));
      if (failed || (pending.empty() && !sending)) {
        boost::asio::post(socket.get_executor(), [self = shared_from_this()] { self->notify(); });
      }
    }

    void notify() {
      auto waiting = std::move(flushed);
      flushed.clear();
      for (auto& done : waiting) done();
    }

    void cancel() {
      failed = boost::asio::error::operation_aborted;
      pending.clear();
    }

    socket_type socket;
    std::size_t limit;
    std::string pending;
    std::string in_flight;
    std::vector<std::move_only_function<void()>> flushed;
    boost::system::error_code failed;
    bool sending = false;
    bool scheduled = false;
    bool sealed = false;
  };

  std::shared_ptr<State> state_;
};

// Beast's close handshake ends with a teardown of the layer below: send what is queued (the
// close frame among it) before shutting the socket down.
template <typename Handler>
void async_teardown(boost::beast::role_type role, CorkedStream& stream, Handler&& handler) {
  stream.seal();
  stream.when_flushed([&stream, role, handler = std::forward<Handler>(handler)]() mutable {
    boost::beast::websocket::async_teardown(role, stream.next_layer(), std::move(handler));
  });
}

inline void teardown(boost::beast::role_type role, CorkedStream& stream,
                     boost::system::error_code& ec) {
  boost::beast::websocket::teardown(role, stream.next_layer(), ec);
}

}  // namespace orbit::api
