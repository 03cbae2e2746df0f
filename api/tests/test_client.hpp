// Beast clients for the server tests: HTTP requests and a WebSocket reader, each with a deadline.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <boost/beast.hpp>
#include <nlohmann/json.hpp>
#include "net/asio.hpp"

namespace orbit::api::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

struct HttpReply {
  unsigned status = 0;  // 0: no answer (closed or timed out)
  std::string body;
  std::string allow;
  [[nodiscard]] nlohmann::json json() const { return nlohmann::json::parse(body); }
};

// One request on a fresh connection. `raw` replaces the whole request when not empty.
inline HttpReply http_request(std::uint16_t port, http::verb method, std::string target,
                              std::string token = {}, std::string raw = {}) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(5));
  HttpReply reply;
  http::request<http::string_body> request(method, target, 11);
  request.set(http::field::host, "127.0.0.1");
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  request.prepare_payload();
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  stream.async_connect(
      {boost::asio::ip::make_address("127.0.0.1"), port}, [&](beast::error_code ec) {
        if (ec) return;
        auto on_written = [&](beast::error_code wec, std::size_t) {
          if (wec) return;
          http::async_read(stream, buffer, response, [&](beast::error_code rec, std::size_t) {
            if (rec) return;
            reply.status = response.result_int();
            reply.body = response.body();
            reply.allow = std::string(response[http::field::allow]);
          });
        };
        if (raw.empty()) {
          http::async_write(stream, request, on_written);
        } else {
          boost::asio::async_write(stream, boost::asio::buffer(raw), on_written);
        }
      });
  io.run();
  return reply;
}

class WsClient {
 public:
  // Connects and upgrades; `token` goes in Authorization unless empty. Returns the error or "".
  std::string connect(std::uint16_t port, std::string target, std::string token = {}) {
    std::string error = "timeout";
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(5));
    beast::get_lowest_layer(ws_).async_connect(
        {boost::asio::ip::make_address("127.0.0.1"), port}, [&](beast::error_code ec) {
          if (ec) {
            error = ec.message();
            return;
          }
          ws_.set_option(websocket::stream_base::decorator([token](websocket::request_type& r) {
            if (!token.empty()) r.set(http::field::authorization, "Bearer " + token);
          }));
          ws_.async_handshake(handshake_response_, "127.0.0.1", target,
                              [&](beast::error_code hec) { error = hec ? hec.message() : ""; });
        });
    run();
    beast::get_lowest_layer(ws_).expires_never();
    return error;
  }

  [[nodiscard]] unsigned handshake_status() const { return handshake_response_.result_int(); }

  // The next text message as JSON, or nullopt when the connection ends or nothing comes in time.
  std::optional<nlohmann::json> read(std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
    auto text = read_text(deadline);
    if (!text) return std::nullopt;
    return nlohmann::json::parse(*text);
  }
  std::optional<std::string> read_text(std::chrono::milliseconds deadline) {
    std::optional<std::string> out;
    bool done = false;
    buffer_.clear();
    ws_.async_read(buffer_, [&](beast::error_code ec, std::size_t) {
      done = true;
      if (!ec) out = beast::buffers_to_string(buffer_.data());
    });
    io_.restart();
    io_.run_for(deadline);
    if (!done) {
      beast::get_lowest_layer(ws_).socket().close();
      run();
    }
    return out;
  }

 private:
  void run() {
    io_.restart();
    io_.run();
  }
  boost::asio::io_context io_;
  websocket::stream<beast::tcp_stream> ws_{io_};
  websocket::response_type handshake_response_;
  beast::flat_buffer buffer_;
};

}  // namespace orbit::api::test
