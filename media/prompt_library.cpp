// Prompt files found by name, loaded and encoded on first use, cached.
#include "media/prompt_library.hpp"

#include <fmt/format.h>

#include "media/audio_file.hpp"

namespace orbit::media {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || name.front() == '/') return false;
  for (const auto& part : std::filesystem::path(name)) {
    if (part == "..") return false;
  }
  return true;
}

}  // namespace

PromptLibrary::PromptLibrary(std::filesystem::path directory) : directory_(std::move(directory)) {}

std::expected<const EncodedAudio*, MediaError> PromptLibrary::get(std::string_view name) {
  if (auto found = cache_.find(std::string(name)); found != cache_.end()) return &found->second;
  if (!valid_name(name)) {
    return std::unexpected(MediaError{fmt::format("prompt \"{}\": not a relative name", name)});
  }
  std::filesystem::path file = directory_ / (std::string(name) + ".wav");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    const auto as_given = directory_ / std::string(name);
    if (!std::filesystem::is_regular_file(as_given, ec)) {
      return std::unexpected(
          MediaError{fmt::format("prompt \"{}\": no {} in {}", name, file.filename().string(),
                                 file.parent_path().string())});
    }
    file = as_given;
  }
  auto samples = read_audio_8k(file);
  if (!samples) return std::unexpected(samples.error());
  auto [at, inserted] = cache_.emplace(std::string(name), EncodedAudio::encode(*samples));
  return &at->second;
}

}  // namespace orbit::media
