// HttpServer: the listening socket, the connection limit and the source's event subscription.
#include "api/http_server.hpp"

#include <spdlog/spdlog.h>

#include "api/http_session.hpp"

namespace orbit::api {

namespace asio = boost::asio;

HttpServer::HttpServer(asio::io_context& io, HttpServerConfig config, TokenStore tokens,
                       pbx::SupervisionSource& source, pbx::SupervisionActions* actions,
                       const store::HistoryReader* history)
    : io_(io),
      context_(std::make_shared<ServerContext>(std::move(config), std::move(tokens), source,
                                               actions, history)),
      acceptor_(io) {
  // The source has no unsubscribe: hold the context weakly so events after our end are ignored.
  source.subscribe(
      [weak = std::weak_ptr<ServerContext>(context_)](const pbx::SupervisionEvent& event) {
        if (auto context = weak.lock(); context && !context->stopped) context->fanout.publish(event);
      });
}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::start() {
  const auto address = asio::ip::make_address(context_->config.address);
  const asio::ip::tcp::endpoint endpoint(address, context_->config.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  context_->stopped = false;
  context_->fanout.start();
  spdlog::info("api: listening on http://{}:{}/api/v1", context_->config.address, port());
  accept_next();
}

void HttpServer::stop() {
  context_->stopped = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  // close() may end a session, which erases itself from the map: work on a copy.
  const auto open = context_->connections;
  for (const auto& [id, weak] : open) {
    if (auto connection = weak.lock()) connection->close();
  }
  context_->fanout.stop();
}

std::uint16_t HttpServer::port() const {
  boost::system::error_code ec;
  const auto endpoint = acceptor_.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

void HttpServer::accept_next() {
  acceptor_.async_accept(
      io_, [this, context = context_](boost::system::error_code ec, asio::ip::tcp::socket socket) {
        if (ec == asio::error::operation_aborted || context->stopped) return;
        if (!ec) {
          if (context->connections.size() + context->fanout.streams() >=
              context->config.max_connections) {
            spdlog::warn("api: connection limit {} reached, refusing a client",
                         context->config.max_connections);
            boost::system::error_code ignored;
            socket.close(ignored);
          } else {
            const std::uint64_t id = context->next_connection++;
            auto session = std::make_shared<HttpSession>(std::move(socket), context, id);
            context->connections[id] = session;
            session->run();
          }
        }
        accept_next();
      });
}

}  // namespace orbit::api
