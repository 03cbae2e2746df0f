// The web console's files (web/): which request path names which file under the web root, its
// Content-Type, and the reply; nothing outside the root is ever read.
#pragma once

#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace orbit::api {

struct StaticReply {
  unsigned status = 200;
  std::string content_type;  // "application/json" for an error
  std::string body;          // the file, or {"error": "..."}
  std::string allow;         // the Allow header of a 405
};

struct WebPathError {
  unsigned status;  // 400 badly encoded, 404 a name that is never served
  std::string message;
};

// True for the API's own paths (/api and below): those never name a file.
[[nodiscard]] bool is_api_path(std::string_view path);

// The file below the web root that a request path (no query) names, as a relative path: "/" is
// "index.html". Refused: a path not starting with '/', bad percent-encoding, NUL or backslash
// (decoded or not), an empty, "." or ".." segment, and hidden names (".git").
[[nodiscard]] std::expected<std::filesystem::path, WebPathError> web_path(std::string_view path);

// The Content-Type of a file served by its extension; nullopt: a kind of file never served.
[[nodiscard]] std::optional<std::string_view> content_type_for(const std::filesystem::path& file);

// GET of a file under `root` (an existing directory): 200 with the file; 404 JSON for anything
// missing, refused, or outside the root once symbolic links are resolved; 405 for other methods.
[[nodiscard]] StaticReply serve_static(const std::filesystem::path& root, std::string_view method,
                                       std::string_view path);

}  // namespace orbit::api
