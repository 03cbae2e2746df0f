// The media engine's configuration: addresses, port range, threads, timeouts, music classes,
// prompts.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "media/music_library.hpp"
#include "media/prompt_library.hpp"

namespace orbit::media {

inline constexpr unsigned kMaxMediaThreads = 64;

struct MediaConfig {
  std::string bind_address = "127.0.0.1";  // IP literal; "0.0.0.0" needs announced_address
  std::string announced_address;           // the address put in SDP; empty: bind_address
  std::uint16_t port_min = 20000;          // RTP ports, one per leg
  std::uint16_t port_max = 29999;
  std::uint16_t rtcp_port = 0;  // the one RTCP socket of every leg; 0: port_min, out of the pool
  // Media threads, each moving the packets of its own legs; 0: one per core.
  unsigned threads = 0;
  // No RTP for this long from a leg whose far end should send: MediaTimeout.
  std::chrono::milliseconds media_timeout{30'000};
  // A latched far end silent for this long may be replaced by a new source (NAT rebinding).
  std::chrono::milliseconds relatch_after{1'000};
  std::vector<MusicClassConfig> music_classes{default_music_class()};
  std::filesystem::path prompt_directory{kDefaultPromptDirectory};
};

}  // namespace orbit::media
