// Music-on-hold classes: each a directory of audio files, encoded once per law, playing like a
// radio from one position that a media thread's 20 ms tick advances (one library per thread,
// the audio shared between them).
#pragma once

#include <cstddef>
#include <expected>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/encoded_audio.hpp"
#include "media/media_control.hpp"

namespace orbit::media {

struct MusicClassConfig {
  std::string name;
  std::filesystem::path directory;
};

// "default": Debian's asterisk-moh-opsound-wav.
[[nodiscard]] MusicClassConfig default_music_class();

// A copy shares the audio (tens of megabytes) and has its own position.
class MusicClass {
 public:
  MusicClass(std::string name, EncodedAudio audio);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] std::size_t frames() const { return audio_->frames(); }
  [[nodiscard]] std::size_t position() const { return position_; }
  // What every listener of the class gets at this tick: a view into the shared buffer.
  [[nodiscard]] std::span<const std::uint8_t> frame(Codec codec) const {
    return audio_->frame(codec, position_);
  }
  // One frame further, back to the start after the last one.
  void advance() { position_ = position_ + 1 >= audio_->frames() ? 0 : position_ + 1; }

 private:
  std::string name_;
  std::shared_ptr<const EncodedAudio> audio_;  // never written after loading: read by any thread
  std::size_t position_ = 0;
};

// Reads every file libsndfile can read in the directory, in name order, one after the other.
[[nodiscard]] std::expected<MusicClass, MediaError> load_music_class(
    const MusicClassConfig& config);

class MusicLibrary {
 public:
  MusicLibrary() = default;
  // Loads every class; an error names the class and the fault (an empty or unreadable directory).
  [[nodiscard]] static std::expected<MusicLibrary, MediaError> load(
      const std::vector<MusicClassConfig>& classes);

  // Another library with the same classes: the audio shared, not copied, and positions of its
  // own, for another media thread to advance.
  [[nodiscard]] MusicLibrary share() const;

  void add(MusicClass music_class);
  // Stable while the library lives; nullptr when no class has that name.
  [[nodiscard]] const MusicClass* find(std::string_view name) const;
  [[nodiscard]] std::size_t size() const { return classes_.size(); }
  // Advances every class by one frame.
  void tick();

 private:
  std::vector<std::unique_ptr<MusicClass>> classes_;
};

}  // namespace orbit::media
