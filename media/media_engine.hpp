// The media engine: MediaControl on media threads of its own, each moving the packets of its
// legs (no lock between them on the data path). Commands from any thread are queued to the
// thread of their leg in order; events come back through the handler, called on that thread.
// Two legs connected are moved to one thread first.
#pragma once

#include <cstddef>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "media/media_config.hpp"
#include "media/media_control.hpp"
#include "media/media_stats.hpp"

namespace orbit::media {

struct MediaEngineState;  // media_engine_state.hpp

class MediaEngine final : public MediaControl {
 public:
  using EventHandler = std::function<void(MediaEvent)>;

  // Loads the music classes and binds the shared RTCP socket, so configuration errors show at
  // start-up. `on_event` is called on any of the media threads, several at once: post the
  // event to your own loop.
  [[nodiscard]] static std::expected<std::unique_ptr<MediaEngine>, MediaError> create(
      MediaConfig config, EventHandler on_event);
  ~MediaEngine() override;
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  // Starts the media threads; stop() closes every leg and joins them. Both once; the destructor
  // stops.
  void start();
  void stop();

  // Summed over the media threads.
  [[nodiscard]] MediaStats stats() const;
  [[nodiscard]] const MediaConfig& config() const;
  [[nodiscard]] std::size_t threads() const;
  // The media thread (0 to threads() - 1) that has an open leg, or gets it once connected;
  // nullopt when the leg is not open.
  [[nodiscard]] std::optional<std::size_t> shard_of(LegId leg) const;

  // MediaControl. open_leg binds the leg's socket before returning, on the thread with the
  // fewest legs (thread-safe); the others queue the command. Commands naming an unknown or
  // closed leg are ignored.
  [[nodiscard]] std::expected<LocalMedia, MediaError> open_leg(LegId leg) override;
  void set_remote(LegId leg, const RemoteMedia& remote) override;
  void connect(LegId a, LegId b) override;
  void play_music(LegId leg, std::string_view music_class) override;
  void play_prompts(LegId leg, std::vector<std::string> prompts, std::uint64_t token) override;
  void play_silence(LegId leg) override;
  void close_leg(LegId leg) override;

 private:
  explicit MediaEngine(std::unique_ptr<MediaEngineState> state);
  std::unique_ptr<MediaEngineState> state_;
};

}  // namespace orbit::media
