// The HTTP routes over loopback: authentication, roles, tenant isolation, errors and limits.
#include "api/http_server.hpp"

#include <gtest/gtest.h>

#include "api/tests/server_fixture.hpp"

namespace orbit::api::test {
namespace {

using http::verb;

TEST_F(ServerTest, ASupervisorSeesTheCallsLotsAndRegistrationsOfItsTenantOnly) {
  const auto calls = http_request(port_, verb::get, "/api/v1/calls", "sup-a");
  ASSERT_EQ(calls.status, 200U) << calls.body;
  ASSERT_EQ(calls.json().size(), 1U);
  EXPECT_EQ(calls.json()[0]["tenant"], "a.example");
  EXPECT_EQ(calls.json()[0]["state"], "parked");

  const auto lots = http_request(port_, verb::get, "/api/v1/lots", "sup-b");
  ASSERT_EQ(lots.status, 200U);
  ASSERT_EQ(lots.json().size(), 1U);
  EXPECT_EQ(lots.json()[0]["name"], "main-b");

  const auto registrations = http_request(port_, verb::get, "/api/v1/registrations", "admin-a");
  ASSERT_EQ(registrations.status, 200U);
  ASSERT_EQ(registrations.json().size(), 1U);
  EXPECT_EQ(registrations.json()[0]["tenant"], "a.example");
}

TEST_F(ServerTest, EvenASourceThatLeaksOtherTenantsShowsNothingOfThem) {
  on_loop([this] { source_.leak_other_tenants = true; });
  for (const char* route : {"/api/v1/calls", "/api/v1/lots", "/api/v1/registrations"}) {
    const auto reply = http_request(port_, verb::get, route, "sup-b");
    ASSERT_EQ(reply.status, 200U) << route;
    ASSERT_EQ(reply.json().size(), 1U) << route;
    EXPECT_EQ(reply.json()[0]["tenant"], "b.example") << route;
  }
}

TEST_F(ServerTest, AnAgentReadsCallsAndLotsButNotRegistrations) {
  EXPECT_EQ(http_request(port_, verb::get, "/api/v1/calls", "agent-a").status, 200U);
  EXPECT_EQ(http_request(port_, verb::get, "/api/v1/lots", "agent-a").status, 200U);
  const auto refused = http_request(port_, verb::get, "/api/v1/registrations", "agent-a");
  EXPECT_EQ(refused.status, 403U);
  EXPECT_NE(refused.json()["error"].get<std::string>().find("agent"), std::string::npos);
}

TEST_F(ServerTest, NoTokenOrABadTokenIs401WithAJsonError) {
  const auto missing = http_request(port_, verb::get, "/api/v1/calls");
  EXPECT_EQ(missing.status, 401U);
  EXPECT_TRUE(missing.json()["error"].is_string());
  const auto wrong = http_request(port_, verb::get, "/api/v1/calls", "sup-c");
  EXPECT_EQ(wrong.status, 401U);
  EXPECT_EQ(wrong.json()["error"], "invalid token");
  // A token in the query is only for the WebSocket.
  EXPECT_EQ(http_request(port_, verb::get, "/api/v1/calls?token=sup-a").status, 401U);
}

TEST_F(ServerTest, UnknownRouteIs404WrongMethodIs405) {
  const auto unknown = http_request(port_, verb::get, "/api/v1/nothing", "sup-a");
  EXPECT_EQ(unknown.status, 404U);
  EXPECT_TRUE(unknown.json()["error"].is_string());
  EXPECT_EQ(http_request(port_, verb::get, "/", "sup-a").status, 404U);
  const auto post = http_request(port_, verb::post, "/api/v1/calls", "sup-a");
  EXPECT_EQ(post.status, 405U);
  EXPECT_EQ(post.allow, "GET");
  EXPECT_EQ(http_request(port_, verb::delete_, "/api/v1/lots", "sup-a").status, 405U);
}

TEST_F(ServerTest, TheEventStreamWithoutUpgradeIs426) {
  EXPECT_EQ(http_request(port_, verb::get, "/api/v1/events", "sup-a").status, 426U);
}

TEST_F(ServerTest, MalformedRequestIs400) {
  const auto reply =
      http_request(port_, verb::get, "", "", "GET /api/v1/calls HTTP/1.1\r\nHost\r\n\r\n");
  EXPECT_EQ(reply.status, 400U);
  EXPECT_TRUE(reply.json()["error"].is_string());
}

TEST_F(ServerTest, AnOversizedRequestIsRefusedAndClosed) {
  std::string raw =
      "GET /api/v1/calls HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(32 * 1024, 'a') + "\r\n\r\n";
  const auto reply = http_request(port_, verb::get, "", "", raw);
  EXPECT_EQ(reply.status, 413U);
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  for (int i = 0; i < 3; ++i) {
    http::request<http::string_body> request(verb::get, "/api/v1/lots", 11);
    request.set(http::field::authorization, "Bearer sup-a");
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    EXPECT_EQ(response.result_int(), 200U);
  }
}

TEST_F(ServerTest, OpenApiIsPublicJsonListingEveryRoute) {
  const auto reply = http_request(port_, verb::get, "/api/v1/openapi.json");
  ASSERT_EQ(reply.status, 200U);
  const auto doc = reply.json();
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  for (const char* path : {"/calls", "/lots", "/registrations", "/events", "/openapi.json"}) {
    EXPECT_TRUE(doc["paths"].contains(path)) << path;
  }
  EXPECT_EQ(doc["servers"][0]["url"], "/api/v1");
  EXPECT_TRUE(doc["components"]["schemas"].contains("Event"));
  EXPECT_TRUE(doc["paths"]["/registrations"]["get"]["responses"].contains("403"));
}

class IdleServerTest : public ServerTest {
 protected:
  void SetUp() override {
    HttpServerConfig config;
    config.idle_timeout = std::chrono::seconds(1);
    start(config);
  }
};

TEST_F(IdleServerTest, AnIdleConnectionIsClosed) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  stream.expires_after(std::chrono::seconds(5));
  char byte = 0;
  beast::error_code result;
  const auto began = std::chrono::steady_clock::now();
  stream.async_read_some(boost::asio::buffer(&byte, 1),
                         [&](beast::error_code ec, std::size_t) { result = ec; });
  io.run();
  EXPECT_EQ(result, boost::asio::error::eof);
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(4));
}

}  // namespace
}  // namespace orbit::api::test
