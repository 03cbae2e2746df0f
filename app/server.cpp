// Event loop wiring: Asio sockets and one timer drive the sans-I/O SIP core.
#include "app/server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <random>

#include "api/http_server.hpp"
#include "app/directory_builder.hpp"
#include "media/media_engine.hpp"
#include "net/transport.hpp"
#include "pbx/sip_service.hpp"
#include "store/history_store.hpp"

namespace orbit::app {
namespace {

std::vector<std::uint8_t> random_bytes(std::size_t n) {
  std::random_device rd;
  std::vector<std::uint8_t> out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rd());
  return out;
}

std::uint64_t random_seed() {
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) | rd();
}

std::chrono::sys_seconds wall_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// Re-arms the one timer of the loop on the core's next deadline.
class Scheduler {
 public:
  Scheduler(boost::asio::io_context& io, pbx::SipService& core, net::Transport& transport)
      : timer_(io), core_(core), transport_(transport) {}

  void flush() {
    for (auto& out : core_.take_outgoing()) transport_.send(out.to, std::move(out.bytes));
    auto deadline = core_.next_deadline();
    if (!deadline || (armed_ && *deadline >= *armed_)) return;
    armed_ = deadline;
    timer_.expires_at(*deadline);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      armed_.reset();
      core_.on_timer(sip::Clock::now(), wall_now());
      flush();
    });
  }

 private:
  boost::asio::steady_timer timer_;
  pbx::SipService& core_;
  net::Transport& transport_;
  std::optional<sip::TimePoint> armed_;
};

// The web console's actions, sent on at once: what they cause (a BYE, an INVITE) leaves now,
// not at the next datagram or timer.
class FlushingActions : public pbx::SupervisionActions {
 public:
  FlushingActions(pbx::SipService& core, std::function<void()> flush)
      : core_(core), flush_(std::move(flush)) {}

  std::expected<pbx::ParkOutcome, pbx::ActionError> park_call(
      const pbx::Actor& actor, std::uint64_t call, std::optional<std::string> for_user,
      std::optional<std::string> note) override {
    auto result = core_.park_call(actor, call, std::move(for_user), std::move(note));
    flush_();
    return result;
  }
  std::expected<pbx::PickUpOutcome, pbx::ActionError> pick_up(
      const pbx::Actor& actor, const std::string& slot, const std::string& extension) override {
    auto result = core_.pick_up(actor, slot, extension);
    flush_();
    return result;
  }
  std::expected<void, pbx::ActionError> hang_up(const pbx::Actor& actor,
                                                std::uint64_t call) override {
    auto result = core_.hang_up(actor, call);
    flush_();
    return result;
  }

 private:
  pbx::SipService& core_;
  std::function<void()> flush_;
};

sip::LocalAddress local_address(const Config& config, std::string_view transport) {
  const ListenConfig* chosen = nullptr;
  for (const auto& l : config.server.listen) {
    if (!chosen || (l.transport == transport && chosen->transport != transport)) chosen = &l;
  }
  auto kind = transport == "tcp" ? sip::Transport::Tcp : sip::Transport::Udp;
  auto host = chosen->address.find(':') == std::string::npos ? chosen->address
                                                             : "[" + chosen->address + "]";
  return {kind, host, chosen->port};
}

media::MediaConfig media_config(const Config& config) {
  media::MediaConfig m;
  m.bind_address = config.media.address;
  m.port_min = config.media.port_min;
  m.port_max = config.media.port_max;
  m.threads = config.media.threads;
  m.media_timeout = config.media.media_timeout;
  m.music_classes = {{"default", config.media.music_directory}};
  m.prompt_directory = config.media.prompt_directory;
  return m;
}

}  // namespace

int run_server(const Config& config) {
  spdlog::set_level(spdlog::level::from_str(config.server.log_level));
  auto nonces = sip::NonceService::create(random_bytes(32), config.security.nonce_lifetime);
  if (!nonces) throw std::runtime_error(nonces.error().reason);
  pbx::SipServiceConfig core_config;
  core_config.registrar = {config.registrar.min_expires, config.registrar.max_expires,
                           config.registrar.default_expires};
  core_config.calls.ring_time = config.calls.ring_time;
  core_config.calls.max_calls = config.calls.max_calls;
  core_config.udp = local_address(config, "udp");
  core_config.tcp = local_address(config, "tcp");
  core_config.lots = build_lots(config);
  core_config.auth_failures_per_minute = config.security.auth_failures_per_minute;
  core_config.auth_block_time = config.security.auth_block_time;

  // Opened first: a history that cannot be used stops Orbit before anything listens.
  std::unique_ptr<store::HistoryStore> history;
  if (config.history.enabled) {
    auto opened = store::HistoryStore::open(config.history.path);
    if (!opened) throw std::runtime_error(opened.error().reason);
    history = std::move(*opened);
  }

  boost::asio::io_context io;
  std::unique_ptr<Scheduler> scheduler;
  std::function<void(media::MediaEvent)> on_media_event;
  auto engine = media::MediaEngine::create(media_config(config), [&](media::MediaEvent event) {
    // Media events arrive on any media thread, several at once: post is thread-safe and this
    // handler only reads what it captured. The core lives on this thread.
    boost::asio::post(io, [&on_media_event, event] { on_media_event(event); });
  });
  if (!engine) throw std::runtime_error("media: " + engine.error().reason);
  pbx::SipService core(build_directory(config), core_config, std::move(*nonces), **engine,
                       random_seed());
  on_media_event = [&](const media::MediaEvent& event) {
    core.on_media_event(event, sip::Clock::now(), wall_now());
    scheduler->flush();
  };
  net::TransportLimits limits{config.limits.max_message_size, config.limits.tcp_idle_timeout,
                              config.limits.max_tcp_connections};
  net::Transport transport(io, limits, [&](std::string_view bytes, const sip::Endpoint& from) {
    core.on_receive(bytes, from, sip::Clock::now(), wall_now());
    scheduler->flush();
  });
  scheduler = std::make_unique<Scheduler>(io, core, transport);
  for (const auto& l : config.server.listen) {
    auto kind = l.transport == "tcp" ? sip::Transport::Tcp : sip::Transport::Udp;
    try {
      transport.listen(kind, l.address, l.port);
    } catch (const std::exception& e) {
      throw std::runtime_error(
          fmt::format("cannot listen on {} {}:{}: {}", l.transport, l.address, l.port, e.what()));
    }
  }
  spdlog::info("orbit '{}' listening on {}", config.server.name,
               fmt::join(transport.describe(), ", "));
  spdlog::info("loaded {} tenant(s), {} user(s), {} trunk(s), {} lot(s) with {} slot(s)",
               config.tenant_count(), config.user_count(), config.trunk_count(),
               config.lot_count(), config.slot_count());

  spdlog::info("media on {} ports {}-{}", config.media.address, config.media.port_min,
               config.media.port_max);
  core.set_clock([] { return sip::Clock::now(); });
  if (history) {
    // A failed write is logged by the store, once per burst; the call goes on regardless.
    core.subscribe(
        [&history](const pbx::SupervisionEvent& event) { (void)history->record(event); });
    spdlog::info("history of parked calls in {}", history->path().string());
  }
  std::unique_ptr<api::HttpServer> http;
  FlushingActions actions(core, [&] { scheduler->flush(); });
  if (config.api.enabled) {
    std::vector<api::TokenConfig> tokens;
    for (const auto& t : config.api.tokens) {
      tokens.push_back({t.name, t.token_sha256, t.role, t.tenant,
                        t.extension.empty() ? std::nullopt : std::optional(t.extension)});
    }
    api::HttpServerConfig api_config;
    api_config.address = config.api.address;
    api_config.port = config.api.port;
    api_config.web_root = config.api.web_root;
    http = std::make_unique<api::HttpServer>(io, api_config, api::TokenStore(std::move(tokens)),
                                             core, &actions, history.get());
    http->start();
    spdlog::info("HTTP API on http://{}:{}/api/v1 ({} token(s))", config.api.address,
                 config.api.port, config.api.tokens.size());
    if (!config.api.web_root.empty()) {
      spdlog::info("web console on http://{}:{}/ from {}", config.api.address, config.api.port,
                   config.api.web_root.string());
    }
  }
  (*engine)->start();
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int sig) {
    spdlog::info("signal {}: stopping", sig);
    io.stop();
  });
  io.run();
  if (http) http->stop();
  (*engine)->stop();
  return 0;
}

}  // namespace orbit::app
