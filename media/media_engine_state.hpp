// The media engine's insides, shared by media_engine.cpp (threads, start, stop, figures) and
// media_engine_commands.cpp (legs and commands): the media threads (shards) and the front's
// bookkeeping of ports and of which shard owns each leg.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "media/asio.hpp"
#include "media/engine_core.hpp"
#include "media/media_config.hpp"
#include "media/media_engine.hpp"
#include "media/media_stats.hpp"
#include "media/port_pool.hpp"
#include "media/prompt_library.hpp"

namespace orbit::media {

// One media thread: its io_context, its command queue (a strand), its legs (in the core).
struct Shard {
  // Declaration order matters: the core (its sockets, its timer) goes before the io_context.
  boost::asio::io_context io{1};
  boost::asio::strand<boost::asio::io_context::executor_type> commands{io.get_executor()};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::thread thread;
  MediaCounters counters;
  std::unique_ptr<EngineCore> core;
  std::size_t open_legs = 0;  // guarded by MediaEngineState::mutex: where the next leg goes

  // Queues `command(core)` behind the commands given before.
  template <typename F>
  void post(F&& command) {
    boost::asio::post(commands,
                      [c = core.get(), f = std::forward<F>(command)]() mutable { f(*c); });
  }
};

struct MediaEngineState {
  MediaEngineState(MediaConfig c, const boost::asio::ip::address& address, std::uint16_t rtcp_port)
      : config(std::move(c)),
        bind_address(address),
        local{.address =
                  config.announced_address.empty() ? config.bind_address : config.announced_address,
              .rtcp_port = rtcp_port},
        prompts(config.prompt_directory),
        pool(config.port_min, config.port_max, rtcp_port) {}

  // Declaration order matters: the shards go first, they use everything above them.
  MediaConfig config;
  boost::asio::ip::address bind_address;
  LocalMedia local;
  PromptLibrary prompts;  // one cache for every shard

  std::mutex mutex;  // guards pool, owner, next_serial, stopped and Shard::open_legs
  PortPool pool;
  std::unordered_map<LegId, std::size_t> owner;  // every open leg and the shard it is (going) on
  std::uint32_t next_serial = 1;
  bool stopped = false;

  std::vector<std::unique_ptr<Shard>> shards;

  void release(std::uint16_t port) {
    const std::lock_guard lock(mutex);
    pool.release(port);
  }
  // The shard owning an open leg, under the lock; nullptr when the leg is not open.
  [[nodiscard]] Shard* owner_of(LegId leg) {
    const auto found = owner.find(leg);
    return found == owner.end() ? nullptr : shards[found->second].get();
  }
};

}  // namespace orbit::media
