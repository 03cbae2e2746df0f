// The media thread's state and work: legs, relay, the 20 ms ticker for music, prompts and
// silence, RTCP absorption, DTMF and media timeouts. Every member runs on the media thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "media/asio.hpp"
#include "media/leg.hpp"
#include "media/media_config.hpp"
#include "media/media_control.hpp"
#include "media/media_stats.hpp"
#include "media/music_library.hpp"
#include "media/prompt_library.hpp"

namespace orbit::media {

using EventHandler = std::function<void(MediaEvent)>;

class EngineCore {
 public:
  static constexpr std::chrono::milliseconds kTick{20};

  EngineCore(boost::asio::io_context& io, const MediaConfig& config, MusicLibrary music,
             Udp::socket rtcp, EventHandler on_event,
             std::function<void(std::uint16_t)> release_port, MediaCounters& counters);

  // Starts the ticker and the RTCP socket; shutdown closes every socket and cancels the ticker.
  void start();
  void shutdown();

  // The commands of MediaControl, in the order the signalling thread gave them.
  void add_leg(LegId id, std::uint16_t port, Udp::socket socket);
  void set_remote(LegId id, const RemoteMedia& remote);
  void connect(LegId a, LegId b);
  void play_music(LegId id, const std::string& music_class);
  void play_prompts(LegId id, const std::vector<std::string>& names, std::uint64_t token);
  void play_silence(LegId id);
  void close_leg(LegId id);

 private:
  [[nodiscard]] Leg* find(LegId id);
  // Changes what a leg hears, leaving the leg it heard before.
  void set_hearing(Leg& leg, Hearing hearing);
  void hear_peer(Leg& leg, Leg& peer);
  void emit(MediaEvent event);

  // engine_receive.cpp
  void wait_for_rtp(Leg& leg);
  void on_readable(LegId id, std::uint32_t serial);
  void on_datagram(Leg& leg, std::span<const std::uint8_t> bytes, const Udp::endpoint& from,
                   Clock::time_point now);
  void relay(const Leg& from, Leg& to, const RtpPacket& packet, Clock::time_point now);
  void wait_for_rtcp();

  // engine_tick.cpp
  void schedule_tick();
  void on_tick();
  void play_frame(Leg& leg, Clock::time_point now);
  void play_prompt_frame(Leg& leg, Clock::time_point now);
  void check_timeout(Leg& leg, Clock::time_point now);

  const MediaConfig& config_;
  MusicLibrary music_;
  PromptLibrary prompts_;
  Udp::socket rtcp_;
  EventHandler on_event_;
  std::function<void(std::uint16_t)> release_port_;
  MediaCounters& counters_;

  std::unordered_map<LegId, std::unique_ptr<Leg>> legs_;
  std::uint32_t next_serial_ = 1;
  std::mt19937 random_;
  boost::asio::steady_timer ticker_;
  Clock::time_point next_tick_{};
  bool running_ = false;
  std::array<std::uint8_t, 2048> receive_buffer_{};
  std::array<std::uint8_t, 2048> convert_buffer_{};
};

}  // namespace orbit::media
