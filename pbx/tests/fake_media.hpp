// A MediaControl that records what the signalling side asked, for tests on simulated time.
#pragma once

#include <fmt/format.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "media/media_control.hpp"

namespace orbit::pbx::testing {

class FakeMedia : public media::MediaControl {
 public:
  std::expected<media::LocalMedia, media::MediaError> open_leg(media::LegId leg) override {
    if (exhausted) return std::unexpected(media::MediaError{"pool exhausted"});
    open.insert(leg);
    return media::LocalMedia{"127.0.0.1", static_cast<std::uint16_t>(20000 + 2 * leg), 19999};
  }
  void set_remote(media::LegId leg, const media::RemoteMedia& remote) override {
    remotes[leg] = remote;
    ++remote_updates[leg];
  }
  void connect(media::LegId a, media::LegId b) override {
    hears[a] = fmt::format("leg {}", b);
    hears[b] = fmt::format("leg {}", a);
  }
  void play_music(media::LegId leg, std::string_view music_class) override {
    hears[leg] = fmt::format("music {}", music_class);
  }
  void play_prompts(media::LegId leg, std::vector<std::string> prompts, std::uint64_t) override {
    hears[leg] = fmt::format("prompts {}", fmt::join(prompts, " "));
  }
  void play_silence(media::LegId leg) override { hears[leg] = "silence"; }
  void close_leg(media::LegId leg) override {
    open.erase(leg);
    hears.erase(leg);
  }

  bool exhausted = false;
  std::set<media::LegId> open;
  std::map<media::LegId, media::RemoteMedia> remotes;
  std::map<media::LegId, int> remote_updates;
  std::map<media::LegId, std::string> hears;
};

}  // namespace orbit::pbx::testing
