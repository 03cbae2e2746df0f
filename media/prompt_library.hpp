// Prompts ("pbx-invalidpark", "digits/7") read from a sounds directory on first use, encoded
// once per law and cached for the life of the engine, one cache for every media thread.
#pragma once

#include <expected>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "media/encoded_audio.hpp"
#include "media/media_control.hpp"

namespace orbit::media {

// Debian's asterisk-core-sounds-en-wav.
inline constexpr std::string_view kDefaultPromptDirectory =
    "/usr/share/asterisk/sounds/en_US_f_Allison";

// Thread-safe: the lock is taken once per prompt named in a command, never per frame; a cached
// prompt is never written again, so the frames behind the pointer are read without it.
class PromptLibrary {
 public:
  explicit PromptLibrary(std::filesystem::path directory);

  // The prompt `<directory>/<name>.wav` (or `<name>` when it names a file with its extension).
  // The pointer stays valid while the library lives. Names are relative paths without "..".
  [[nodiscard]] std::expected<const EncodedAudio*, MediaError> get(std::string_view name);
  [[nodiscard]] std::size_t cached() const;
  [[nodiscard]] const std::filesystem::path& directory() const { return directory_; }

 private:
  [[nodiscard]] const EncodedAudio* find(std::string_view name) const;

  const std::filesystem::path directory_;
  mutable std::mutex mutex_;                             // guards cache_
  std::unordered_map<std::string, EncodedAudio> cache_;  // node-based: references stay valid
};

}  // namespace orbit::media
