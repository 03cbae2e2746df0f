// The media engine: MediaControl on its own thread. Commands from any thread are queued to the
// media thread in order; events come back through the handler, called on the media thread.
#pragma once

#include <expected>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "media/media_config.hpp"
#include "media/media_control.hpp"
#include "media/media_stats.hpp"

namespace orbit::media {

class MediaEngine final : public MediaControl {
 public:
  using EventHandler = std::function<void(MediaEvent)>;

  // Loads the music classes and binds the shared RTCP socket, so configuration errors show at
  // start-up. `on_event` runs on the media thread: post the event to your own loop.
  [[nodiscard]] static std::expected<std::unique_ptr<MediaEngine>, MediaError> create(
      MediaConfig config, EventHandler on_event);
  ~MediaEngine() override;
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  // Starts the media thread; stop() closes every leg and joins it. Both once; the destructor stops.
  void start();
  void stop();

  [[nodiscard]] MediaStats stats() const;
  [[nodiscard]] const MediaConfig& config() const;

  // MediaControl. open_leg binds the leg's socket before returning (thread-safe); the others
  // queue the command. Commands naming an unknown or closed leg are ignored.
  [[nodiscard]] std::expected<LocalMedia, MediaError> open_leg(LegId leg) override;
  void set_remote(LegId leg, const RemoteMedia& remote) override;
  void connect(LegId a, LegId b) override;
  void play_music(LegId leg, std::string_view music_class) override;
  void play_prompts(LegId leg, std::vector<std::string> prompts, std::uint64_t token) override;
  void play_silence(LegId leg) override;
  void close_leg(LegId leg) override;

 private:
  struct State;
  explicit MediaEngine(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace orbit::media
