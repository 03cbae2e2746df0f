// The transports on loopback: UDP datagrams, TCP framing across reads, limits and idle close.
#include "net/transport.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace orbit::net {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

std::string options_request(int cseq, std::string_view body = "") {
  return "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bK" +
         std::to_string(cseq) +
         "\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c\r\nCSeq: " +
         std::to_string(cseq) + " OPTIONS\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + std::string(body);
}

std::uint16_t port_of(const Transport& t, std::string_view kind) {
  for (const auto& d : t.describe()) {
    if (d.starts_with(kind)) return static_cast<std::uint16_t>(std::stoi(d.substr(d.rfind(':') + 1)));
  }
  return 0;
}

struct Fixture {
  asio::io_context io;
  std::vector<std::pair<std::string, sip::Endpoint>> received;
  Transport transport;
  explicit Fixture(TransportLimits limits = {})
      : transport(io, limits, [this](std::string_view bytes, const sip::Endpoint& from) {
          received.emplace_back(std::string(bytes), from);
        }) {}
  void run_until(auto done, std::chrono::milliseconds limit = std::chrono::milliseconds(3000)) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < end) {
      io.run_for(std::chrono::milliseconds(10));
      io.restart();
    }
  }
};

TEST(Transport, UdpDatagramArrivesWithItsSource) {
  Fixture f;
  f.transport.listen(sip::Transport::Udp, "127.0.0.1", 0);
  udp::socket client(f.io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  auto msg = options_request(1);
  client.send_to(asio::buffer(msg), udp::endpoint(asio::ip::make_address("127.0.0.1"),
                                                  port_of(f.transport, "udp")));
  f.run_until([&] { return !f.received.empty(); });
  ASSERT_EQ(f.received.size(), 1u);
  EXPECT_EQ(f.received[0].first, msg);
  EXPECT_EQ(f.received[0].second.port, client.local_endpoint().port());
  EXPECT_EQ(f.received[0].second.transport, sip::Transport::Udp);

  f.transport.send(f.received[0].second, "reply");
  std::array<char, 16> buf{};
  udp::endpoint from;
  auto n = client.receive_from(asio::buffer(buf), from);
  EXPECT_EQ(std::string(buf.data(), n), "reply");
}

TEST(Transport, TcpStreamIsFramedByContentLengthAcrossReads) {
  Fixture f;
  f.transport.listen(sip::Transport::Tcp, "127.0.0.1", 0);
  tcp::socket client(f.io);
  client.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_of(f.transport, "tcp")));
  auto first = options_request(1, "hello");
  auto second = options_request(2);
  auto stream = first + "\r\n\r\n" + second;  // a keep-alive between two messages
  asio::write(client, asio::buffer(stream.substr(0, 30)));
  f.run_until([&] { return false; }, std::chrono::milliseconds(50));
  asio::write(client, asio::buffer(stream.substr(30)));
  f.run_until([&] { return f.received.size() == 2; });
  ASSERT_EQ(f.received.size(), 2u);
  EXPECT_EQ(f.received[0].first, first);
  EXPECT_EQ(f.received[1].first, second);
  EXPECT_EQ(f.received[0].second.transport, sip::Transport::Tcp);
  EXPECT_NE(f.received[0].second.connection, 0u);

  // A response goes back on the same connection.
  f.transport.send(f.received[0].second, "SIP/2.0 200 OK\r\n\r\n");
  f.run_until([&] { return client.available() > 0; });
  EXPECT_GT(client.available(), 0u);
}

TEST(Transport, OversizedTcpMessageClosesTheConnection) {
  TransportLimits limits;
  limits.max_message_size = 1024;
  Fixture f(limits);
  f.transport.listen(sip::Transport::Tcp, "127.0.0.1", 0);
  tcp::socket client(f.io);
  client.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_of(f.transport, "tcp")));
  f.run_until([&] { return f.transport.tcp_connections() == 1; });
  asio::write(client, asio::buffer(options_request(1, std::string(4000, 'x'))));
  f.run_until([&] { return f.transport.tcp_connections() == 0; });
  EXPECT_EQ(f.transport.tcp_connections(), 0u);
  EXPECT_TRUE(f.received.empty());
}

TEST(Transport, NegativeContentLengthOnAStreamClosesIt) {
  Fixture f;
  f.transport.listen(sip::Transport::Tcp, "127.0.0.1", 0);
  tcp::socket client(f.io);
  client.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_of(f.transport, "tcp")));
  f.run_until([&] { return f.transport.tcp_connections() == 1; });
  auto bad = options_request(1);
  bad.replace(bad.find("Content-Length: 0"), 17, "Content-Length: -5");
  asio::write(client, asio::buffer(bad));
  f.run_until([&] { return f.transport.tcp_connections() == 0; });
  EXPECT_EQ(f.transport.tcp_connections(), 0u);
}

TEST(Transport, IdleTcpConnectionIsClosed) {
  TransportLimits limits;
  limits.tcp_idle_timeout = std::chrono::seconds(1);
  Fixture f(limits);
  f.transport.listen(sip::Transport::Tcp, "127.0.0.1", 0);
  tcp::socket client(f.io);
  client.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_of(f.transport, "tcp")));
  f.run_until([&] { return f.transport.tcp_connections() == 1; });
  ASSERT_EQ(f.transport.tcp_connections(), 1u);
  f.run_until([&] { return f.transport.tcp_connections() == 0; }, std::chrono::milliseconds(5000));
  EXPECT_EQ(f.transport.tcp_connections(), 0u);
}

}  // namespace
}  // namespace orbit::net
