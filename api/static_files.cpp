// Static files: request path rules, Content-Type by extension, reads confined to the web root.
#include "api/static_files.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "api/target.hpp"

namespace orbit::api {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxFileBytes = 8 * 1024 * 1024;

constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".json", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
}};

StaticReply json_error(unsigned status, std::string_view message) {
  return StaticReply{status, "application/json", nlohmann::json{{"error", message}}.dump(), {}};
}

// True when `inner` (canonical) is `root` (canonical) or below it.
bool is_within(const fs::path& root, const fs::path& inner) {
  auto r = root.begin();
  auto i = inner.begin();
  for (; r != root.end(); ++r, ++i) {
    if (i == inner.end() || *r != *i) return false;
  }
  return true;
}

}  // namespace

bool is_api_path(std::string_view path) {
  return path == "/api" || path.starts_with("/api/");
}

std::expected<fs::path, WebPathError> web_path(std::string_view path) {
  const auto not_found = [] { return std::unexpected(WebPathError{404, "no such file"}); };
  if (!path.starts_with('/')) return std::unexpected(WebPathError{400, "a path starts with /"});
  const auto decoded = percent_decode(path, false);  // '+' stays itself in a path
  if (!decoded) return std::unexpected(WebPathError{400, "badly encoded path"});
  if (*decoded == "/") return fs::path("index.html");
  if (decoded->find('\0') != std::string::npos || decoded->find('\\') != std::string::npos) {
    return not_found();
  }
  fs::path relative;
  std::string_view rest = std::string_view(*decoded).substr(1);
  while (true) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    // Empty, ".", ".." and hidden names: never a file of the console.
    if (segment.empty() || segment.front() == '.') return not_found();
    relative /= fs::path(std::string(segment));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return relative;
}

std::optional<std::string_view> content_type_for(const fs::path& file) {
  const std::string extension = file.extension().string();
  for (const auto& [ext, type] : kTypes) {
    if (ext == extension) return type;
  }
  return std::nullopt;
}

StaticReply serve_static(const fs::path& root, std::string_view method, std::string_view path) {
  if (method != "GET") {
    StaticReply reply = json_error(405, "method not allowed");
    reply.allow = "GET";
    return reply;
  }
  const auto relative = web_path(path);
  if (!relative) return json_error(relative.error().status, relative.error().message);
  const auto type = content_type_for(*relative);
  if (!type) return json_error(404, "no such file");

  // Symbolic links are resolved before the check: a link out of the root serves nothing.
  std::error_code ec;
  const fs::path base = fs::canonical(root, ec);
  if (ec) return json_error(404, "no such file");
  const fs::path file = fs::canonical(base / *relative, ec);
  if (ec || !is_within(base, file) || !fs::is_regular_file(file, ec)) {
    return json_error(404, "no such file");
  }
  const auto size = fs::file_size(file, ec);
  if (ec || size > kMaxFileBytes) return json_error(404, "no such file");
  std::ifstream in(file, std::ios::binary);
  if (!in) return json_error(404, "no such file");
  std::ostringstream body;
  if (size > 0) body << in.rdbuf();
  return StaticReply{200, std::string(*type), std::move(body).str(), {}};
}

}  // namespace orbit::api
