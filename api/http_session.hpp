// One HTTP/1.1 connection: bounded requests, idle timeout, keep-alive, WebSocket hand-over.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include <boost/beast.hpp>
#include "net/asio.hpp"

#include "api/routes.hpp"
#include "api/server_context.hpp"
#include "api/static_files.hpp"

namespace orbit::api {

class HttpSession : public Connection, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerContext> context,
              std::uint64_t connection_id);
  ~HttpSession() override;

  void run() { read_next(); }
  void close() override;

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  void read_next();
  void on_read(boost::beast::error_code ec);
  void upgrade(Request request);
  void reply(const ApiResponse& api, unsigned version, bool keep_alive);
  void reply(const StaticReply& file, unsigned version, bool keep_alive);
  void send(bool keep_alive);
  void on_write(boost::beast::error_code ec, bool keep_alive);

  boost::beast::tcp_stream stream_;
  std::shared_ptr<ServerContext> context_;
  std::uint64_t connection_id_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<Response> response_;
};

}  // namespace orbit::api
