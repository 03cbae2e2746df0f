// The media engine's thread-safe front, its threads: one shard per media thread, each an
// EngineCore on its own io_context; creation, start, stop, and the figures summed over shards.
#include "media/media_engine.hpp"

#include <algorithm>
#include <latch>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "media/media_engine_state.hpp"

namespace orbit::media {

namespace asio = boost::asio;

namespace {
unsigned thread_count(unsigned configured) {
  return configured != 0 ? configured : std::max(1U, std::thread::hardware_concurrency());
}
}  // namespace

std::expected<std::unique_ptr<MediaEngine>, MediaError> MediaEngine::create(MediaConfig config,
                                                                            EventHandler on_event) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(config.bind_address, ec);
  if (ec)
    return std::unexpected(
        MediaError{fmt::format("media address \"{}\": not an IP address", config.bind_address)});
  if (address.is_unspecified() && config.announced_address.empty()) {
    return std::unexpected(MediaError{"media: binding to any address needs an announced address"});
  }
  if (config.port_min == 0 || config.port_min >= config.port_max) {
    return std::unexpected(MediaError{
        fmt::format("media ports {}-{}: not a range", config.port_min, config.port_max)});
  }
  if (config.threads > kMaxMediaThreads) {
    return std::unexpected(
        MediaError{fmt::format("media threads {}: at most {}", config.threads, kMaxMediaThreads)});
  }
  const std::uint16_t rtcp_port = config.rtcp_port != 0 ? config.rtcp_port : config.port_min;
  auto music = MusicLibrary::load(config.music_classes);
  if (!music) return std::unexpected(music.error());

  auto state = std::make_unique<MediaEngineState>(std::move(config), address, rtcp_port);
  const unsigned threads = thread_count(state->config.threads);
  for (unsigned i = 0; i < threads; ++i) state->shards.push_back(std::make_unique<Shard>());
  // The shared RTCP socket is absorbed by the first shard only.
  Udp::socket rtcp(state->shards.front()->io);
  rtcp.open(address.is_v4() ? Udp::v4() : Udp::v6(), ec);
  if (!ec) rtcp.bind(Udp::endpoint(address, rtcp_port), ec);
  if (!ec) rtcp.non_blocking(true, ec);
  if (ec) {
    return std::unexpected(MediaError{fmt::format(
        "media RTCP socket {}:{}: {}", state->config.bind_address, rtcp_port, ec.message())});
  }
  MediaEngineState* raw = state.get();
  for (auto& shard : state->shards) {
    // Each shard plays the same music (shared) from its own position.
    shard->core = std::make_unique<EngineCore>(
        shard->io, state->config, music->share(), state->prompts,
        &shard == &state->shards.front() ? std::move(rtcp) : Udp::socket(shard->io), on_event,
        [raw](std::uint16_t port) { raw->release(port); }, shard->counters);
  }
  return std::unique_ptr<MediaEngine>(new MediaEngine(std::move(state)));
}

MediaEngine::MediaEngine(std::unique_ptr<MediaEngineState> state) : state_(std::move(state)) {}

MediaEngine::~MediaEngine() {
  stop();
}

void MediaEngine::start() {
  if (state_->shards.front()->thread.joinable() || state_->stopped) return;
  for (auto& shard : state_->shards) {
    shard->work.emplace(shard->io.get_executor());
    shard->post([](EngineCore& core) { core.start(); });
    shard->thread = std::thread([io = &shard->io] { io->run(); });
  }
  spdlog::info("media: {} thread(s), RTP on {} ports {}-{}, RTCP on {}", state_->shards.size(),
               state_->config.bind_address, state_->config.port_min, state_->config.port_max,
               state_->local.rtcp_port);
}

void MediaEngine::stop() {
  {
    const std::lock_guard lock(state_->mutex);
    if (state_->stopped) return;
    state_->stopped = true;
    state_->owner.clear();
  }
  if (!state_->shards.front()->thread.joinable()) return;
  // Every shard shuts down before any thread may end: a leg exported just before its
  // destination shut down is then still delivered there (and closed), not left in a queue
  // that nobody runs.
  std::latch down(static_cast<std::ptrdiff_t>(state_->shards.size()));
  for (auto& shard : state_->shards) {
    shard->post([&down](EngineCore& core) {
      core.shutdown();
      down.count_down();
    });
  }
  down.wait();
  for (auto& shard : state_->shards) shard->work.reset();
  for (auto& shard : state_->shards) shard->thread.join();
}

MediaStats MediaEngine::stats() const {
  MediaStats sum;
  for (const auto& shard : state_->shards) sum += shard->counters.snapshot();
  return sum;
}

const MediaConfig& MediaEngine::config() const {
  return state_->config;
}

std::size_t MediaEngine::threads() const {
  return state_->shards.size();
}

std::optional<std::size_t> MediaEngine::shard_of(LegId leg) const {
  const std::lock_guard lock(state_->mutex);
  const auto found = state_->owner.find(leg);
  if (found == state_->owner.end()) return std::nullopt;
  return found->second;
}

}  // namespace orbit::media
