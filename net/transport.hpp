// SIP over UDP and TCP on Boost.Asio: receives bytes with their source, sends to an Endpoint.
#pragma once

#include "net/asio.hpp"
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sip/endpoint.hpp"

namespace orbit::net {

struct TransportLimits {
  std::size_t max_message_size = 65535;
  std::chrono::seconds tcp_idle_timeout{300};
  std::size_t max_tcp_connections = 4096;
};

// One complete message (a datagram, or one Content-Length-framed message from a stream).
using ReceiveHandler = std::function<void(std::string_view bytes, const sip::Endpoint& from)>;

class TcpConnection;

class Transport {
 public:
  Transport(boost::asio::io_context& io, TransportLimits limits, ReceiveHandler on_receive);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Binds now, so that a configuration error shows at start-up; throws on failure.
  void listen(sip::Transport transport, const std::string& address, std::uint16_t port);
  // UDP: to address:port. TCP: on the connection named in `to`; dropped if it has closed.
  void send(const sip::Endpoint& to, std::string bytes);
  // "udp:127.0.0.1:5060" for every listening socket.
  [[nodiscard]] std::vector<std::string> describe() const;
  [[nodiscard]] std::size_t tcp_connections() const { return connections_.size(); }

 private:
  friend class TcpConnection;
  struct UdpSocket;
  void receive_udp(UdpSocket& s);
  void accept_tcp(boost::asio::ip::tcp::acceptor& acceptor);
  void connection_closed(std::uint64_t id);

  boost::asio::io_context& io_;
  TransportLimits limits_;
  ReceiveHandler on_receive_;
  std::vector<std::unique_ptr<UdpSocket>> udp_;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
  std::unordered_map<std::uint64_t, std::shared_ptr<TcpConnection>> connections_;
  std::uint64_t next_connection_ = 1;
};

}  // namespace orbit::net
