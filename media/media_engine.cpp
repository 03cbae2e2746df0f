// The media engine's thread-safe front: the media thread, the command queue (a strand), the
// port pool and the binding of leg sockets.
#include "media/media_engine.hpp"

#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "media/engine_core.hpp"
#include "media/port_pool.hpp"

namespace orbit::media {

namespace asio = boost::asio;

struct MediaEngine::State {
  State(MediaConfig c, const asio::ip::address& address, std::uint16_t rtcp_port)
      : config(std::move(c)),
        bind_address(address),
        local{.address =
                  config.announced_address.empty() ? config.bind_address : config.announced_address,
              .rtcp_port = rtcp_port},
        pool(config.port_min, config.port_max, rtcp_port) {}

  // Declaration order matters: the core (and its sockets) goes before the io_context.
  MediaConfig config;
  asio::ip::address bind_address;
  LocalMedia local;
  asio::io_context io{1};
  asio::strand<asio::io_context::executor_type> commands{io.get_executor()};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread thread;
  MediaCounters counters;

  std::mutex mutex;  // guards pool, open and stopped
  PortPool pool;
  std::unordered_set<LegId> open;
  bool stopped = false;

  std::unique_ptr<EngineCore> core;

  template <typename F>
  void post(F&& command) {
    asio::post(commands, std::forward<F>(command));
  }
  void release(std::uint16_t port) {
    const std::lock_guard lock(mutex);
    pool.release(port);
  }
};

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
  const std::uint16_t rtcp_port = config.rtcp_port != 0 ? config.rtcp_port : config.port_min;
  auto music = MusicLibrary::load(config.music_classes);
  if (!music) return std::unexpected(music.error());

  auto state = std::make_unique<State>(std::move(config), address, rtcp_port);
  Udp::socket rtcp(state->io);
  rtcp.open(address.is_v4() ? Udp::v4() : Udp::v6(), ec);
  if (!ec) rtcp.bind(Udp::endpoint(address, rtcp_port), ec);
  if (!ec) rtcp.non_blocking(true, ec);
  if (ec) {
    return std::unexpected(MediaError{fmt::format(
        "media RTCP socket {}:{}: {}", state->config.bind_address, rtcp_port, ec.message())});
  }
  State* raw = state.get();
  state->core = std::make_unique<EngineCore>(
      state->io, state->config, std::move(*music), std::move(rtcp), std::move(on_event),
      [raw](std::uint16_t port) { raw->release(port); }, state->counters);
  return std::unique_ptr<MediaEngine>(new MediaEngine(std::move(state)));
}

MediaEngine::MediaEngine(std::unique_ptr<State> state) : state_(std::move(state)) {}

MediaEngine::~MediaEngine() {
  stop();
}

void MediaEngine::start() {
  if (state_->thread.joinable() || state_->stopped) return;
  state_->work.emplace(state_->io.get_executor());
  state_->post([core = state_->core.get()] { core->start(); });
  state_->thread = std::thread([io = &state_->io] { io->run(); });
  spdlog::info("media: RTP on {} ports {}-{}, RTCP on {}", state_->config.bind_address,
               state_->config.port_min, state_->config.port_max, state_->local.rtcp_port);
}

void MediaEngine::stop() {
  {
    const std::lock_guard lock(state_->mutex);
    if (state_->stopped) return;
    state_->stopped = true;
    state_->open.clear();
  }
  if (!state_->thread.joinable()) return;
  state_->post([s = state_.get()] {
    s->core->shutdown();
    s->work.reset();
  });
  state_->thread.join();
}

MediaStats MediaEngine::stats() const {
  return state_->counters.snapshot();
}

const MediaConfig& MediaEngine::config() const {
  return state_->config;
}

std::expected<LocalMedia, MediaError> MediaEngine::open_leg(LegId leg) {
  const std::lock_guard lock(state_->mutex);
  if (state_->stopped) return std::unexpected(MediaError{"media engine stopped"});
  if (state_->open.contains(leg))
    return std::unexpected(MediaError{fmt::format("media leg {} already open", leg)});
  std::vector<std::uint16_t> refused;  // in use by another process: back at the end of the queue
  std::optional<Udp::socket> bound;
  std::uint16_t port = 0;
  boost::system::error_code ec;
  for (auto attempts = state_->pool.available(); attempts > 0 && !bound; --attempts) {
    port = *state_->pool.acquire();
    Udp::socket socket(state_->io);
    socket.open(state_->bind_address.is_v4() ? Udp::v4() : Udp::v6(), ec);
    if (!ec) socket.bind(Udp::endpoint(state_->bind_address, port), ec);
    if (!ec) socket.non_blocking(true, ec);
    if (!ec) {
      bound.emplace(std::move(socket));
    } else {
      refused.push_back(port);
      if (ec != asio::error::address_in_use) break;  // out of file descriptors, ...
    }
  }
  for (auto p : refused) state_->pool.release(p);
  if (!bound) {
    return std::unexpected(
        MediaError{fmt::format("no RTP port free in {}-{}{}", state_->config.port_min,
                               state_->config.port_max, ec ? ": " + ec.message() : std::string())});
  }
  state_->open.insert(leg);
  state_->post([core = state_->core.get(), leg, port, socket = std::move(*bound)]() mutable {
    core->add_leg(leg, port, std::move(socket));
  });
  LocalMedia local = state_->local;
  local.rtp_port = port;
  return local;
}

void MediaEngine::set_remote(LegId leg, const RemoteMedia& remote) {
  state_->post([core = state_->core.get(), leg, remote] { core->set_remote(leg, remote); });
}

void MediaEngine::connect(LegId a, LegId b) {
  state_->post([core = state_->core.get(), a, b] { core->connect(a, b); });
}

void MediaEngine::play_music(LegId leg, std::string_view music_class) {
  state_->post([core = state_->core.get(), leg, name = std::string(music_class)] {
    core->play_music(leg, name);
  });
}

void MediaEngine::play_prompts(LegId leg, std::vector<std::string> prompts, std::uint64_t token) {
  state_->post([core = state_->core.get(), leg, names = std::move(prompts), token] {
    core->play_prompts(leg, names, token);
  });
}

void MediaEngine::play_silence(LegId leg) {
  state_->post([core = state_->core.get(), leg] { core->play_silence(leg); });
}

void MediaEngine::close_leg(LegId leg) {
  {
    const std::lock_guard lock(state_->mutex);
    if (state_->open.erase(leg) == 0) return;
  }
  state_->post([core = state_->core.get(), leg] { core->close_leg(leg); });
}

}  // namespace orbit::media
