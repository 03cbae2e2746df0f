// UDP sockets and TCP acceptors; dispatch of received messages and of sends.
#include "net/transport.hpp"

#include <sys/socket.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "net/tcp_connection.hpp"

namespace orbit::net {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

struct Transport::UdpSocket {
  explicit UdpSocket(asio::io_context& io) : socket(io) {}
  udp::socket socket;
  udp::endpoint sender;
  std::array<char, 65536> buffer{};
};

Transport::Transport(asio::io_context& io, TransportLimits limits, ReceiveHandler on_receive)
    : io_(io), limits_(limits), on_receive_(std::move(on_receive)) {}

Transport::~Transport() {
  auto connections = connections_;
  for (auto& [id, c] : connections) c->close();
}

void Transport::listen(sip::Transport transport, const std::string& address, std::uint16_t port) {
  auto ip = asio::ip::make_address(address);
  if (transport == sip::Transport::Udp) {
    auto s = std::make_unique<UdpSocket>(io_);
    s->socket.open(ip.is_v4() ? udp::v4() : udp::v6());
    s->socket.set_option(asio::socket_base::reuse_address(true));
    s->socket.set_option(asio::socket_base::receive_buffer_size(4 << 20));
    // SO_RCVBUF is capped by net.core.rmem_max (208 KiB by default), which a burst of
    // signalling overflows; with CAP_NET_ADMIN the cap can be passed, else the capped size stays.
    int wanted = 4 << 20;
    (void)::setsockopt(s->socket.native_handle(), SOL_SOCKET, SO_RCVBUFFORCE, &wanted,
                       sizeof wanted);
    s->socket.bind(udp::endpoint(ip, port));
    udp_.push_back(std::move(s));
    receive_udp(*udp_.back());
  } else {
    auto a = std::make_unique<tcp::acceptor>(io_);
    a->open(ip.is_v4() ? tcp::v4() : tcp::v6());
    a->set_option(asio::socket_base::reuse_address(true));
    a->bind(tcp::endpoint(ip, port));
    a->listen(asio::socket_base::max_listen_connections);
    acceptors_.push_back(std::move(a));
    accept_tcp(*acceptors_.back());
  }
}

void Transport::receive_udp(UdpSocket& s) {
  s.socket.async_receive_from(
      asio::buffer(s.buffer), s.sender, [this, &s](const boost::system::error_code& ec, std::size_t n) {
        if (ec == asio::error::operation_aborted) return;
        if (!ec && n > 0 && n <= limits_.max_message_size) {
          sip::Endpoint from{sip::Transport::Udp, s.sender.address().to_string(), s.sender.port(),
                             0};
          on_receive_(std::string_view(s.buffer.data(), n), from);
        }
        receive_udp(s);
      });
}

void Transport::accept_tcp(tcp::acceptor& acceptor) {
  acceptor.async_accept([this, &acceptor](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      if (connections_.size() >= limits_.max_tcp_connections) {
        spdlog::warn("tcp: {} connections open, refusing a new one", connections_.size());
      } else {
        auto id = next_connection_++;
        auto c = std::make_shared<TcpConnection>(*this, std::move(socket), id);
        connections_.emplace(id, c);
        c->start();
      }
    }
    accept_tcp(acceptor);
  });
}

void Transport::connection_closed(std::uint64_t id) { connections_.erase(id); }

void Transport::send(const sip::Endpoint& to, std::string bytes) {
  if (to.transport == sip::Transport::Tcp) {
    auto it = connections_.find(to.connection);
    if (it == connections_.end()) {
      spdlog::debug("tcp: connection {} to {}:{} gone, dropping a message", to.connection,
                    to.address, to.port);
      return;
    }
    it->second->send(std::move(bytes));
    return;
  }
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(to.address, ec);
  if (ec) return;
  for (auto& s : udp_) {
    if (s->socket.local_endpoint().address().is_v4() != ip.is_v4()) continue;
    s->socket.send_to(asio::buffer(bytes), udp::endpoint(ip, to.port), 0, ec);
    if (ec) spdlog::debug("udp send to {}:{}: {}", to.address, to.port, ec.message());
    return;
  }
}

std::vector<std::string> Transport::describe() const {
  std::vector<std::string> out;
  for (const auto& s : udp_) {
    auto e = s->socket.local_endpoint();
    out.push_back(fmt::format("udp:{}:{}", e.address().to_string(), e.port()));
  }
  for (const auto& a : acceptors_) {
    auto e = a->local_endpoint();
    out.push_back(fmt::format("tcp:{}:{}", e.address().to_string(), e.port()));
  }
  return out;
}

}  // namespace orbit::net
