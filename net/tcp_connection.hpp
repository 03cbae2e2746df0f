// One accepted TCP connection: framing by Content-Length, a size limit, an idle timeout.
#pragma once

#include "net/asio.hpp"
#include <deque>
#include <memory>
#include <string>

#include "sip/endpoint.hpp"

namespace orbit::net {

class Transport;

class TcpConnection : public std::enable_shared_from_this<TcpConnection> {
 public:
  TcpConnection(Transport& owner, boost::asio::ip::tcp::socket socket, std::uint64_t id);
  void start();
  void send(std::string bytes);
  void close();
  [[nodiscard]] const sip::Endpoint& peer() const { return peer_; }

 private:
  void read();
  void deliver_frames();
  void write_next();
  void arm_idle_timer();

  Transport& owner_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer idle_;
  sip::Endpoint peer_;
  std::string inbox_;
  std::array<char, 16384> chunk_{};
  std::deque<std::string> outbox_;
  bool closed_ = false;
};

}  // namespace orbit::net
