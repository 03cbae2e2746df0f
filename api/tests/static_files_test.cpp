// The web console's files: which paths name a file, which never do, and nothing outside the root.
#include "api/static_files.hpp"

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace orbit::api::test {
namespace {

namespace fs = std::filesystem;

TEST(WebPath, TheRootIsTheIndexAndOtherPathsNameTheirFile) {
  EXPECT_EQ(web_path("/").value(), fs::path("index.html"));
  EXPECT_EQ(web_path("/app.js").value(), fs::path("app.js"));
  EXPECT_EQ(web_path("/js/board.js").value(), fs::path("js/board.js"));
  EXPECT_EQ(web_path("/my%20file.css").value(), fs::path("my file.css"));
  EXPECT_EQ(web_path("/a+b.css").value(), fs::path("a+b.css"));  // '+' is no space in a path
}

TEST(WebPath, TraversalPlainOrEncodedIsRefused) {
  for (const char* path :
       {"/..", "/../etc/passwd", "/js/../../secret", "/%2e%2e/etc/passwd", "/%2E%2E%2Fetc",
        "/js/%2e%2e/%2e%2e/x.js", "/..%2fx.js", "/.%2e/x.js", "/..\\x.js", "/%5c..%5cx.js",
        "/./index.html", "/js//board.js", "/js/", "/.git/config", "/.env", "/index.html%00.js"}) {
    const auto result = web_path(path);
    ASSERT_FALSE(result.has_value()) << path << " gave " << result->string();
    EXPECT_EQ(result.error().status, 404U) << path;
  }
}

TEST(WebPath, BadEncodingOrNoLeadingSlashIs400) {
  for (const char* path : {"/%", "/%2", "/%zz.js", "/%+1.js", "index.html", ""}) {
    const auto result = web_path(path);
    ASSERT_FALSE(result.has_value()) << path;
    EXPECT_EQ(result.error().status, 400U) << path;
  }
}

TEST(WebPath, ApiPathsAreNotFiles) {
  EXPECT_TRUE(is_api_path("/api"));
  EXPECT_TRUE(is_api_path("/api/v1/lots"));
  EXPECT_FALSE(is_api_path("/apiary.html"));
  EXPECT_FALSE(is_api_path("/"));
}

TEST(ContentType, EachKindOfFileOfTheConsoleHasItsType) {
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("js/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("logo.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("icon.png"), "image/png");
  EXPECT_EQ(content_type_for("favicon.ico"), "image/x-icon");
  EXPECT_EQ(content_type_for("orbit.toml"), std::nullopt);
  EXPECT_EQ(content_type_for("README"), std::nullopt);
}

class ServeStatic : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("orbit-static-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::create_directories(root() / "js");
    write(root() / "index.html", "<h1>console</h1>");
    write(root() / "js" / "app.js", "export {};");
    write(root() / "empty.css", "");
    write(root() / "secret.toml", "token = 1");
    write(base_ / "outside.html", "outside");
  }
  void TearDown() override { fs::remove_all(base_); }

  [[nodiscard]] fs::path root() const { return base_ / "web"; }
  static void write(const fs::path& file, std::string_view text) {
    std::ofstream(file, std::ios::binary) << text;
  }
  static std::string error_of(const StaticReply& reply) {
    EXPECT_EQ(reply.content_type, "application/json");
    return nlohmann::json::parse(reply.body).at("error").get<std::string>();
  }

  fs::path base_;
};

TEST_F(ServeStatic, TheIndexAndAModuleWithTheirTypes) {
  const auto index = serve_static(root(), "GET", "/");
  EXPECT_EQ(index.status, 200U);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.body, "<h1>console</h1>");
  const auto module = serve_static(root(), "GET", "/js/app.js");
  EXPECT_EQ(module.status, 200U);
  EXPECT_EQ(module.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(module.body, "export {};");
  const auto empty = serve_static(root(), "GET", "/empty.css");
  EXPECT_EQ(empty.status, 200U);
  EXPECT_EQ(empty.body, "");
}

TEST_F(ServeStatic, MissingRefusedOrUnservedKindsAre404Json) {
  for (const char* path : {"/nope.html", "/js", "/secret.toml", "/../outside.html",
                           "/%2e%2e/outside.html", "/js/%2E%2E/%2E%2E/outside.html"}) {
    const auto reply = serve_static(root(), "GET", path);
    EXPECT_EQ(reply.status, 404U) << path;
    EXPECT_EQ(error_of(reply), "no such file") << path;
  }
}

TEST_F(ServeStatic, ASymbolicLinkOutOfTheRootServesNothing) {
  fs::create_symlink(base_ / "outside.html", root() / "escape.html");
  fs::create_directory_symlink(base_, root() / "up");
  EXPECT_EQ(serve_static(root(), "GET", "/escape.html").status, 404U);
  EXPECT_EQ(serve_static(root(), "GET", "/up/outside.html").status, 404U);
  // A link that stays inside is followed.
  fs::create_symlink(root() / "index.html", root() / "home.html");
  EXPECT_EQ(serve_static(root(), "GET", "/home.html").status, 200U);
}

TEST_F(ServeStatic, OnlyGetWith405AndAllow) {
  const auto reply = serve_static(root(), "POST", "/index.html");
  EXPECT_EQ(reply.status, 405U);
  EXPECT_EQ(reply.allow, "GET");
  EXPECT_EQ(error_of(reply), "method not allowed");
}

TEST_F(ServeStatic, ARootThatDoesNotExistServesNothing) {
  EXPECT_EQ(serve_static(base_ / "missing", "GET", "/").status, 404U);
}

}  // namespace
}  // namespace orbit::api::test
