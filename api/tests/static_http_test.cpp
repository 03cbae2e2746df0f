// The web console's files over HTTP: served without a token beside the API, which keeps its own.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "api/tests/server_fixture.hpp"

namespace orbit::api::test {
namespace {

namespace fs = std::filesystem;

struct FileReply {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

FileReply get(std::uint16_t port, const std::string& target) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(5));
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> request(http::verb::get, target, 11);
  request.set(http::field::host, "127.0.0.1");
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  return {response.result_int(), std::string(response[http::field::content_type]),
          response.body()};
}

class StaticHttpTest : public ServerTest {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("orbit-web-" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::create_directories(root_ / "js");
    std::ofstream(root_ / "index.html") << "<!doctype html><title>Orbit</title>";
    std::ofstream(root_ / "js" / "app.js") << "export const x = 1;";
    HttpServerConfig config;
    config.web_root = root_;
    start(config);
  }
  void TearDown() override {
    ServerTest::TearDown();
    fs::remove_all(root_);
  }
  fs::path root_;
};

TEST_F(StaticHttpTest, TheConsoleIsServedWithoutATokenWithItsTypes) {
  const auto index = get(port_, "/");
  EXPECT_EQ(index.status, 200U);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.body, "<!doctype html><title>Orbit</title>");
  const auto module = get(port_, "/js/app.js?v=2");
  EXPECT_EQ(module.status, 200U);
  EXPECT_EQ(module.content_type, "text/javascript; charset=utf-8");
}

TEST_F(StaticHttpTest, MissingAndTraversalAre404Json) {
  for (const char* target : {"/missing.js", "/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"}) {
    const auto reply = get(port_, target);
    EXPECT_EQ(reply.status, 404U) << target;
    EXPECT_EQ(reply.content_type, "application/json") << target;
    EXPECT_EQ(nlohmann::json::parse(reply.body)["error"], "no such file") << target;
  }
}

TEST_F(StaticHttpTest, TheApiStillWantsItsToken) {
  EXPECT_EQ(http_request(port_, http::verb::get, "/api/v1/lots").status, 401U);
  EXPECT_EQ(http_request(port_, http::verb::get, "/api/v1/lots", "sup-a").status, 200U);
  EXPECT_EQ(http_request(port_, http::verb::get, "/api/v1/nothing", "sup-a").status, 404U);
}

TEST_F(ServerTest, WithoutAWebRootTheRootIsAnUnknownApiRoute) {
  const auto reply = http_request(port_, http::verb::get, "/");
  EXPECT_EQ(reply.status, 404U);
  EXPECT_EQ(reply.json()["error"], "no such route");
}

}  // namespace
}  // namespace orbit::api::test
