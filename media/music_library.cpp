// Music classes: directories of audio files loaded once, encoded once, played from a position
// per media thread.
#include "media/music_library.hpp"

#include <algorithm>
#include <system_error>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "media/audio_file.hpp"

namespace orbit::media {

MusicClassConfig default_music_class() {
  return {"default", "/usr/share/asterisk/moh"};
}

MusicClass::MusicClass(std::string name, EncodedAudio audio)
    : name_(std::move(name)), audio_(std::make_shared<const EncodedAudio>(std::move(audio))) {}

std::expected<MusicClass, MediaError> load_music_class(const MusicClassConfig& config) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(config.directory, ec)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  if (ec) {
    return std::unexpected(MediaError{fmt::format("music class {}: {}: {}", config.name,
                                                  config.directory.string(), ec.message())});
  }
  std::ranges::sort(files);
  std::vector<std::int16_t> samples;
  for (const auto& file : files) {
    auto audio = read_audio_8k(file);
    if (!audio) {
      spdlog::warn("music class {}: skipping {}", config.name, audio.error().reason);
      continue;
    }
    samples.insert(samples.end(), audio->begin(), audio->end());
  }
  if (samples.empty()) {
    return std::unexpected(MediaError{fmt::format("music class {}: no readable audio in {}",
                                                  config.name, config.directory.string())});
  }
  spdlog::info("music class {}: {} files, {} s", config.name, files.size(),
               samples.size() / kSampleRate);
  return MusicClass(config.name, EncodedAudio::encode(samples));
}

std::expected<MusicLibrary, MediaError> MusicLibrary::load(
    const std::vector<MusicClassConfig>& classes) {
  MusicLibrary library;
  for (const auto& config : classes) {
    if (library.find(config.name)) {
      return std::unexpected(MediaError{fmt::format("music class {} defined twice", config.name)});
    }
    auto loaded = load_music_class(config);
    if (!loaded) return std::unexpected(loaded.error());
    library.add(std::move(*loaded));
  }
  return library;
}

MusicLibrary MusicLibrary::share() const {
  MusicLibrary copy;
  for (const auto& c : classes_) copy.add(*c);
  return copy;
}

void MusicLibrary::add(MusicClass music_class) {
  classes_.push_back(std::make_unique<MusicClass>(std::move(music_class)));
}

const MusicClass* MusicLibrary::find(std::string_view name) const {
  for (const auto& c : classes_) {
    if (c->name() == name) return c.get();
  }
  return nullptr;
}

void MusicLibrary::tick() {
  for (auto& c : classes_) c->advance();
}

}  // namespace orbit::media
