// One media thread's state and work: its legs, relay, the 20 ms ticker for music, prompts and
// silence, RTCP absorption, DTMF and media timeouts, legs moved in from and out to other media
// threads. Every member runs on its media thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "media/asio.hpp"
#include "media/leg.hpp"
#include "media/leg_transit.hpp"
#include "media/media_config.hpp"
#include "media/media_control.hpp"
#include "media/media_stats.hpp"
#include "media/music_library.hpp"
#include "media/prompt_library.hpp"

namespace orbit::media {

using EventHandler = std::function<void(MediaEvent)>;
// Hands a leg exported by this thread to the thread it moves to (posts import_leg there).
using DeliverLeg = std::function<void(LegInTransit)>;

class EngineCore {
 public:
  static constexpr std::chrono::milliseconds kTick{20};

  // `rtcp` is the shared RTCP socket on one thread, a socket never opened on the others.
  // `prompts` is shared by every thread and outlives them.
  EngineCore(boost::asio::io_context& io, const MediaConfig& config, MusicLibrary music,
             PromptLibrary& prompts, Udp::socket rtcp, EventHandler on_event,
             std::function<void(std::uint16_t)> release_port, MediaCounters& counters);

  // Starts the ticker and the RTCP socket; shutdown closes every socket and cancels the ticker.
  void start();
  void shutdown();

  // The commands of MediaControl, in the order the signalling thread gave them. A command
  // naming a leg that is on its way here waits for it (see wait below).
  void add_leg(LegId id, std::uint32_t serial, std::uint16_t port, Udp::socket socket);
  void set_remote(LegId id, const RemoteMedia& remote);
  void connect(LegId a, LegId b);
  void play_music(LegId id, const std::string& music_class);
  void play_prompts(LegId id, const std::vector<std::string>& names, std::uint64_t token);
  void play_silence(LegId id);
  void close_leg(LegId id);

  // Moving a leg to another thread (engine_move.cpp): that thread is told to expect it, this
  // one exports it (its relations here cut as when it closes, its socket taken out of this
  // io_context, its port kept), the other imports it with its stream, latching and DTMF state.
  void expect_leg(LegId id);
  void export_leg(LegId id, DeliverLeg deliver);
  void import_leg(LegInTransit moving);

 private:
  using Command = std::move_only_function<void()>;
  struct Waiting {
    LegId a = 0;
    LegId b = 0;  // 0: a command on one leg
    Command run;
  };

  [[nodiscard]] Leg* find(LegId id);
  // Changes what a leg hears, leaving the leg it heard before.
  void set_hearing(Leg& leg, Hearing hearing);
  void hear_peer(Leg& leg, Leg& peer);
  // Cuts the leg from the legs of this thread: its listeners hear silence, it hears nothing.
  void detach(Leg& leg);
  void emit(MediaEvent event);

  // engine_move.cpp. A command must wait while one of its legs is arriving, or is named by a
  // command already waiting: so the commands on each leg keep their order (a connect waiting
  // for b holds back the commands on a given after it).
  [[nodiscard]] bool must_wait(LegId a, LegId b = 0) const;
  void wait(LegId a, LegId b, Command command);
  // Runs the waiting commands in order; those still held back wait again, in the same order.
  void replay();
  // Puts an arrived leg's socket on this thread's io_context and starts receiving; closes the
  // leg (its port released) when that fails or the thread has stopped.
  void settle(LegInTransit moving);

  // engine_receive.cpp
  void wait_for_rtp(Leg& leg);
  void on_readable(LegId id, std::uint32_t serial, std::uint32_t moves);
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

  boost::asio::io_context& io_;
  const MediaConfig& config_;
  MusicLibrary music_;
  PromptLibrary& prompts_;
  Udp::socket rtcp_;
  EventHandler on_event_;
  std::function<void(std::uint16_t)> release_port_;
  MediaCounters& counters_;

  std::unordered_map<LegId, std::unique_ptr<Leg>> legs_;
  std::unordered_set<LegId> arriving_;
  std::deque<Waiting> waiting_;
  std::mt19937 random_;
  boost::asio::steady_timer ticker_;
  Clock::time_point next_tick_{};
  bool running_ = false;
  std::array<std::uint8_t, 2048> receive_buffer_{};
  std::array<std::uint8_t, 2048> convert_buffer_{};
};

}  // namespace orbit::media
