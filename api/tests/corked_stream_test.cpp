// CorkedStream: writes complete at once and go out together, in order, within a bound; a
// WebSocket close handshake over it still sends the close frame.
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <boost/beast.hpp>

#include "api/corked_stream.hpp"

namespace orbit::api {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// A connected pair: `server` on the loop (run by the test), `client` blocking.
struct Pair {
  asio::io_context io;
  tcp::socket client{io};
  tcp::socket server{io};

  Pair() {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
  }

  // Runs what is ready; the loop stops whenever it runs out of work, hence the restart.
  void poll() {
    io.restart();
    io.poll();
  }

  // What the client can read within `wait` in one read.
  std::string read_once(std::chrono::milliseconds wait) {
    timeval tv{.tv_sec = static_cast<time_t>(wait.count() / 1000),
               .tv_usec = static_cast<suseconds_t>(wait.count() % 1000 * 1000)};
    ::setsockopt(client.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buffer[4096];
    const auto n = ::recv(client.native_handle(), buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  }
};

void write(CorkedStream& stream, std::string text, std::vector<std::string>& results) {
  auto data = std::make_shared<std::string>(std::move(text));
  stream.async_write_some(asio::buffer(*data),
                          [data, &results](boost::system::error_code ec, std::size_t n) {
                            results.push_back(ec ? ec.message() : std::to_string(n));
                          });
}

TEST(CorkedStream, WritesCompleteAtOnceAndThoseOfOneTurnOfTheLoopGoOutTogether) {
  Pair pair;
  CorkedStream stream(std::move(pair.server), 1 << 20);
  std::vector<std::string> results;
  write(stream, "one", results);
  write(stream, "two", results);
  EXPECT_TRUE(results.empty()) << "a completion ran inside the write";
  EXPECT_EQ(stream.waiting(), 6U);
  pair.poll();
  EXPECT_EQ(results, (std::vector<std::string>{"3", "3"}));
  EXPECT_EQ(pair.read_once(1000ms), "onetwo") << "one send for both, in order";
  EXPECT_TRUE(stream.append("three"));
  pair.poll();
  EXPECT_EQ(pair.read_once(1000ms), "three");
}

TEST(CorkedStream, BeyondTheBoundAWriteFailsAndTheStreamStaysFailed) {
  Pair pair;
  CorkedStream stream(std::move(pair.server), 10);
  std::vector<std::string> results;
  write(stream, "123456", results);
  write(stream, "abcdef", results);  // 12 bytes waiting: over the bound
  write(stream, "x", results);
  pair.poll();
  ASSERT_EQ(results.size(), 3U);
  EXPECT_EQ(results[0], "6");
  const auto refused = boost::system::error_code(asio::error::no_buffer_space).message();
  EXPECT_EQ(results[1], refused);
  EXPECT_EQ(results[2], refused);
  EXPECT_FALSE(stream.append("y"));
}

TEST(CorkedStream, OneMessageLargerThanTheBoundStillGoesWhenNothingWaits) {
  Pair pair;
  CorkedStream stream(std::move(pair.server), 4);
  std::vector<std::string> results;
  write(stream, "a snapshot", results);
  pair.poll();
  EXPECT_EQ(results, (std::vector<std::string>{"10"}));
  EXPECT_EQ(pair.read_once(1000ms), "a snapshot");
}

TEST(CorkedStream, AWebSocketCloseOverItSendsTheCloseFrameBeforeTheSocketShutsDown) {
  Pair pair;
  boost::beast::websocket::stream<CorkedStream> server(
      CorkedStream(std::move(pair.server), 1 << 20));
  boost::beast::websocket::stream<tcp::socket&> client(pair.client);
  std::promise<boost::system::error_code> closed;
  std::thread loop([&] {
    server.async_accept([&](boost::system::error_code ec) {
      if (ec) {
        closed.set_value(ec);
        return;
      }
      server.async_write(asio::buffer(std::string_view("last event")),
                         [&](boost::system::error_code, std::size_t) {});
      server.async_close(boost::beast::websocket::close_code::going_away,
                         [&](boost::system::error_code e) { closed.set_value(e); });
    });
    pair.io.run_for(5s);
  });
  client.handshake("127.0.0.1", "/");
  boost::beast::flat_buffer buffer;
  client.read(buffer);
  EXPECT_EQ(boost::beast::buffers_to_string(buffer.data()), "last event");
  boost::system::error_code ec;
  client.read(buffer, ec);  // the server's close frame: answered by the client
  EXPECT_EQ(ec, boost::beast::websocket::error::closed);
  EXPECT_EQ(client.reason().code, boost::beast::websocket::close_code::going_away);
  auto result = closed.get_future();
  EXPECT_EQ(result.wait_for(5s), std::future_status::ready);
  EXPECT_FALSE(result.get()) << "the server's close handshake did not complete";
  pair.io.stop();
  loop.join();
}

}  // namespace
}  // namespace orbit::api
