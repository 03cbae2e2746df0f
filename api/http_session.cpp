// HttpSession: read one request within the limits, route it or upgrade it, write, repeat.
#include "api/http_session.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "api/json_views.hpp"
#include "api/target.hpp"

namespace orbit::api {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {
std::string_view sv(beast::string_view text) {
  return {text.data(), text.size()};
}
}  // namespace

HttpSession::HttpSession(boost::asio::ip::tcp::socket socket,
                         std::shared_ptr<ServerContext> context, std::uint64_t connection_id)
    : stream_(std::move(socket)), context_(std::move(context)), connection_id_(connection_id) {}

HttpSession::~HttpSession() {
  context_->connections.erase(connection_id_);
}

void HttpSession::read_next() {
  const std::size_t limit = context_->config.max_request_bytes;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limit, UINT32_MAX)));
  parser_->body_limit(limit);
  buffer_.max_size(limit);
  // One deadline for the whole request: a silent or a trickling client is closed.
  stream_.expires_after(context_->config.idle_timeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void HttpSession::on_read(beast::error_code ec) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == boost::asio::error::operation_aborted || ec == boost::asio::error::connection_reset) {
    close();
    return;
  }
  if (ec == http::error::header_limit || ec == http::error::body_limit ||
      ec == http::error::buffer_overflow) {
    reply(error_response(413, "request too large"), 11, false);
    return;
  }
  if (ec) {
    reply(error_response(400, "malformed HTTP request"), 11, false);
    return;
  }
  Request request = parser_->release();
  const bool is_upgrade = beast::websocket::is_upgrade(request);
  if (is_upgrade && split_target(sv(request.target())).path == events_path) {
    upgrade(std::move(request));
    return;
  }
  const std::string_view path = split_target(sv(request.target())).path;
  if (!context_->config.web_root.empty() && !is_api_path(path)) {
    // The console's files need no token.
    reply(serve_static(context_->config.web_root, sv(request.method_string()), path),
          request.version(), request.keep_alive());
    return;
  }
  const std::string authorization(sv(request[http::field::authorization]));
  const ApiResponse api = context_->router.handle(
      ApiRequest{sv(request.method_string()), sv(request.target()), authorization, is_upgrade,
                 sv(request.body())});
  reply(api, request.version(), request.keep_alive());
}

void HttpSession::upgrade(Request request) {
  const std::string authorization(sv(request[http::field::authorization]));
  auto principal = context_->router.authorize_events(
      ApiRequest{sv(request.method_string()), sv(request.target()), authorization, true, {}});
  if (!principal) {
    reply(principal.error(), request.version(), false);
    return;
  }
  if (context_->stopped) return;
  // The snapshot and the hand-over happen in the same turn of the loop: no event falls between.
  const std::string& tenant = principal->tenant;
  auto calls = context_->source.calls(tenant);
  auto lots = context_->source.lots(tenant);
  std::erase_if(calls, [&](const pbx::CallView& c) { return c.tenant != tenant; });
  std::erase_if(lots, [&](const pbx::LotView& l) { return l.tenant != tenant; });
  std::string snapshot = nlohmann::json{{"type", "snapshot"},
                                        {"calls", to_json_array(calls)},
                                        {"lots", to_json_array(lots)}}
                             .dump();
  stream_.expires_never();
  context_->fanout.attach(stream_.release_socket(), std::move(request), std::move(*principal),
                          std::move(snapshot));
}

void HttpSession::reply(const ApiResponse& api, unsigned version, bool keep_alive) {
  response_ = std::make_shared<Response>(static_cast<http::status>(api.status), version);
  response_->set(http::field::content_type, "application/json");
  response_->set(http::field::cache_control, "no-store");
  if (!api.allow.empty()) response_->set(http::field::allow, api.allow);
  response_->body() = api.body;
  send(keep_alive);
}

void HttpSession::reply(const StaticReply& file, unsigned version, bool keep_alive) {
  response_ = std::make_shared<Response>(static_cast<http::status>(file.status), version);
  response_->set(http::field::content_type, file.content_type);
  response_->set(http::field::cache_control, "no-cache");
  response_->set("X-Content-Type-Options", "nosniff");
  response_->set("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
  if (!file.allow.empty()) response_->set(http::field::allow, file.allow);
  response_->body() = file.body;
  send(keep_alive);
}

// Writes response_ (status, type and body set), then reads the next request or closes.
void HttpSession::send(bool keep_alive) {
  response_->set(http::field::server, "Orbit");
  response_->keep_alive(keep_alive);
  response_->prepare_payload();
  stream_.expires_after(context_->config.idle_timeout);
  http::async_write(stream_, *response_,
                    [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                      self->on_write(ec, keep_alive);
                    });
}

void HttpSession::on_write(beast::error_code ec, bool keep_alive) {
  response_.reset();
  if (ec || !keep_alive) {
    close();
    return;
  }
  read_next();
}

void HttpSession::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.close();
}

}  // namespace orbit::api
