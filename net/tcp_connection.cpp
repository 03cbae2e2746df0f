// Reading, framing and writing on one TCP connection (RFC 3261 §18.3).
#include "net/tcp_connection.hpp"

#include <spdlog/spdlog.h>

#include "net/transport.hpp"
#include "sip/message.hpp"

namespace orbit::net {

TcpConnection::TcpConnection(Transport& owner, boost::asio::ip::tcp::socket socket,
                             std::uint64_t id)
    : owner_(owner), socket_(std::move(socket)), idle_(socket_.get_executor()) {
  boost::system::error_code ec;
  auto remote = socket_.remote_endpoint(ec);
  peer_ = {sip::Transport::Tcp, ec ? std::string() : remote.address().to_string(),
           ec ? std::uint16_t{0} : remote.port(), id};
}

void TcpConnection::start() {
  arm_idle_timer();
  read();
}

void TcpConnection::arm_idle_timer() {
  idle_.expires_after(owner_.limits_.tcp_idle_timeout);
  idle_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) {
      spdlog::debug("tcp {}:{} idle, closing", self->peer_.address, self->peer_.port);
      self->close();
    }
  });
}

void TcpConnection::read() {
  socket_.async_read_some(boost::asio::buffer(chunk_), [self = shared_from_this()](
                                                           const boost::system::error_code& ec,
                                                           std::size_t n) {
    if (ec || self->closed_) {
      self->close();
      return;
    }
    self->inbox_.append(self->chunk_.data(), n);
    self->arm_idle_timer();
    self->deliver_frames();
    if (!self->closed_) self->read();
  });
}

void TcpConnection::deliver_frames() {
  while (!closed_) {
    // Keep-alive CRLFs between messages (RFC 5626 §3.5.1) are not messages.
    std::size_t skip = 0;
    while (skip < inbox_.size() && (inbox_[skip] == '\r' || inbox_[skip] == '\n')) ++skip;
    if (skip == 4 && inbox_.starts_with("\r\n\r\n")) send("\r\n");
    inbox_.erase(0, skip);
    auto frame = sip::frame_stream(inbox_);
    if (!frame) {
      spdlog::info("tcp {}:{}: {}, closing", peer_.address, peer_.port, frame.error().reason);
      close();
      return;
    }
    if (!*frame) {
      if (inbox_.size() > owner_.limits_.max_message_size) {
        spdlog::info("tcp {}:{}: header section too large, closing", peer_.address, peer_.port);
        close();
      }
      return;
    }
    auto size = (*frame)->size;
    if (size > owner_.limits_.max_message_size) {
      spdlog::info("tcp {}:{}: message too large, closing", peer_.address, peer_.port);
      close();
      return;
    }
    if (inbox_.size() < size) return;
    std::string message = inbox_.substr(0, size);
    inbox_.erase(0, size);
    owner_.on_receive_(message, peer_);
  }
}

void TcpConnection::send(std::string bytes) {
  if (closed_) return;
  outbox_.push_back(std::move(bytes));
  if (outbox_.size() == 1) write_next();
}

void TcpConnection::write_next() {
  boost::asio::async_write(
      socket_, boost::asio::buffer(outbox_.front()),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
        if (ec) {
          self->close();
          return;
        }
        self->outbox_.pop_front();
        if (!self->outbox_.empty()) self->write_next();
      });
}

void TcpConnection::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  idle_.cancel();
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  owner_.connection_closed(peer_.connection);
}

}  // namespace orbit::net
