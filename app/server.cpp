// Event loop wiring: Asio sockets and one timer drive the sans-I/O SIP core.
#include "app/server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <random>

#include "app/directory_builder.hpp"
#include "net/transport.hpp"
#include "pbx/sip_service.hpp"

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

}  // namespace

int run_server(const Config& config) {
  spdlog::set_level(spdlog::level::from_str(config.server.log_level));
  auto nonces = sip::NonceService::create(random_bytes(32), config.security.nonce_lifetime);
  if (!nonces) throw std::runtime_error(nonces.error().reason);
  pbx::SipServiceConfig core_config{
      {config.registrar.min_expires, config.registrar.max_expires,
       config.registrar.default_expires},
      config.security.auth_failures_per_minute,
      config.security.auth_block_time};
  pbx::SipService core(build_directory(config), core_config, std::move(*nonces), random_seed());

  boost::asio::io_context io;
  std::unique_ptr<Scheduler> scheduler;
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

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int sig) {
    spdlog::info("signal {}: stopping", sig);
    io.stop();
  });
  io.run();
  return 0;
}

}  // namespace orbit::app
