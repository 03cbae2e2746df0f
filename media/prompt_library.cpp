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

std::size_t PromptLibrary::cached() const {
  const std::lock_guard lock(mutex_);
  return cache_.size();
}

const EncodedAudio* PromptLibrary::find(std::string_view name) const {
  const std::lock_guard lock(mutex_);
  const auto found = cache_.find(std::string(name));
  return found == cache_.end() ? nullptr : &found->second;
}

std::expected<const EncodedAudio*, MediaError> PromptLibrary::get(std::string_view name) {
  if (const EncodedAudio* known = find(name)) return known;
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
  // Read without the lock: another media thread wanting a cached prompt does not wait for the
  // disk. Two threads reading the same new prompt keep the first one stored.
  auto samples = read_audio_8k(file);
  if (!samples) return std::unexpected(samples.error());
  auto encoded = EncodedAudio::encode(*samples);
  const std::lock_guard lock(mutex_);
  auto [at, inserted] = cache_.emplace(std::string(name), std::move(encoded));
  return &at->second;
}

}  // namespace orbit::media
