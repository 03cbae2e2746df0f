// An HttpServer on 127.0.0.1 with an ephemeral port, its io_context on a thread of its own.
#pragma once

#include <future>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "api/http_server.hpp"
#include "api/tests/fake_source.hpp"
#include "api/tests/test_client.hpp"

namespace orbit::api::test {

inline TokenStore demo_tokens() {
  return TokenStore({
      {"boss-a", sha256_hex("sup-a"), "supervisor", "a.example", std::nullopt},
      {"alice-a", sha256_hex("agent-a"), "agent", "a.example", "101"},
      {"root-a", sha256_hex("admin-a"), "admin", "a.example", std::nullopt},
      {"boss-b", sha256_hex("sup-b"), "supervisor", "b.example", std::nullopt},
  });
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(HttpServerConfig{}); }

  void start(HttpServerConfig config) {
    config.address = "127.0.0.1";
    config.port = 0;
    server_ = std::make_unique<HttpServer>(io_, config, demo_tokens(), source_);
    server_->start();
    port_ = server_->port();
    thread_ = std::thread([this] { io_.run(); });
  }

  // Runs `f` on the server's loop (the signalling thread) and waits for it.
  template <typename F>
  auto on_loop(F f) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return result.get();
  }
  // The server notices a client's close on its next read: give it a moment.
  std::size_t subscribers_settled(std::size_t expected) {
    for (int i = 0; i < 200; ++i) {
      const std::size_t now = on_loop([this] { return server_->event_subscribers(); });
      if (now == expected) return now;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return on_loop([this] { return server_->event_subscribers(); });
  }
  void emit(const pbx::SupervisionEvent& event) {
    on_loop([&] { source_.emit(event); });
  }

  void TearDown() override {
    on_loop([this] { server_->stop(); });
    guard_.reset();
    io_.stop();
    thread_.join();
    server_.reset();
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_ =
      boost::asio::make_work_guard(io_);
  FakeSource source_ = two_tenants();
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

}  // namespace orbit::api::test
