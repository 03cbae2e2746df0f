// Engine tests on loopback: test sockets standing for phones, events collected from the media
// threads, and an engine per test on its own port range (ctest runs tests in parallel).
#pragma once

#include <poll.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

#include "media/asio.hpp"
#include "media/media_engine.hpp"
#include "media/rtp_packet.hpp"
#include "media/tests/sound_files.hpp"

namespace orbit::media::testing {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using Udp = asio::ip::udp;

// A phone's RTP socket on loopback.
class Phone {
 public:
  explicit Phone(asio::io_context& io)
      : socket_(io, Udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

  [[nodiscard]] std::uint16_t port() const { return socket_.local_endpoint().port(); }

  void send(std::uint16_t to_port, const RtpHeader& header, std::span<const std::uint8_t> payload) {
    std::vector<std::uint8_t> bytes(kRtpHeaderSize);
    write_rtp_header(header, std::span<std::uint8_t, kRtpHeaderSize>(bytes.data(), kRtpHeaderSize));
    bytes.insert(bytes.end(), payload.begin(), payload.end());
    send_raw(to_port, bytes);
  }
  void send_raw(std::uint16_t to_port, std::span<const std::uint8_t> bytes) {
    socket_.send_to(asio::buffer(bytes.data(), bytes.size()),
                    Udp::endpoint(asio::ip::make_address("127.0.0.1"), to_port));
  }

  struct Received {
    RtpHeader header;
    std::vector<std::uint8_t> payload;
    std::uint16_t from_port;
  };
  // The next RTP packet, or nullopt after `timeout`.
  std::optional<Received> receive(std::chrono::milliseconds timeout = 3000ms) {
    pollfd fd{.fd = socket_.native_handle(), .events = POLLIN, .revents = 0};
    if (::poll(&fd, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    std::array<std::uint8_t, 2048> buffer{};
    Udp::endpoint from;
    const auto size = socket_.receive_from(asio::buffer(buffer), from);
    const auto packet = parse_rtp(std::span(buffer).first(size));
    if (!packet) return std::nullopt;
    return Received{packet->header, {packet->payload.begin(), packet->payload.end()}, from.port()};
  }
  // Drops what is queued.
  void drain() {
    while (receive(0ms)) {
    }
  }

 private:
  Udp::socket socket_;
};

// Events from the media threads, waited for by the test.
class Events {
 public:
  void push(MediaEvent e) {
    const std::lock_guard lock(mutex_);
    events_.push_back(std::move(e));
    cv_.notify_all();
  }
  std::optional<MediaEvent> next(std::chrono::milliseconds timeout = 3000ms) {
    std::unique_lock lock(mutex_);
    if (!cv_.wait_for(lock, timeout, [&] { return !events_.empty(); })) return std::nullopt;
    auto e = std::move(events_.front());
    events_.pop_front();
    return e;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<MediaEvent> events_;
};

// Each test has its own port range: ctest runs tests in parallel processes.
struct Fixture {
  TempSounds sounds;
  asio::io_context io;
  Events events;
  std::unique_ptr<MediaEngine> engine;

  // `threads` 0: one media thread per core, as configured by default.
  explicit Fixture(std::uint16_t first_port, std::uint16_t ports = 20,
                   std::chrono::milliseconds timeout = 30s, unsigned threads = 0) {
    sounds.sine("music/a.wav", 443, 1.0);  // 50 frames, no two alike (8.86 periods a frame)
    MediaConfig config;
    config.threads = threads;
    config.port_min = first_port;
    config.port_max = static_cast<std::uint16_t>(first_port + ports - 1);
    config.media_timeout = timeout;
    config.music_classes = {{"test", sounds.dir() / "music"}};
    auto created = MediaEngine::create(config, [this](MediaEvent e) { events.push(std::move(e)); });
    if (!created) throw std::runtime_error(created.error().reason);
    engine = std::move(*created);
    engine->start();
  }

  LocalMedia open(LegId leg, const Phone& phone, Codec codec, int dtmf = 101) {
    auto local = engine->open_leg(leg);
    if (!local) throw std::runtime_error(local.error().reason);
    engine->set_remote(
        leg,
        {.address = "127.0.0.1", .port = phone.port(), .codec = codec, .dtmf_payload_type = dtmf});
    return *local;
  }
};

inline std::vector<std::uint8_t> audio(std::uint8_t first, std::size_t size = 160) {
  std::vector<std::uint8_t> payload(size);
  for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<std::uint8_t>(first + i);
  return payload;
}

// Sends from `phone` until `listener` hears something (the connect command is asynchronous).
inline std::optional<Phone::Received> first_relayed(Phone& phone, std::uint16_t to_port,
                                                    Phone& listener, RtpHeader header,
                                                    const std::vector<std::uint8_t>& payload) {
  for (int attempt = 0; attempt < 300; ++attempt) {
    phone.send(to_port, header, payload);
    if (auto got = listener.receive(10ms)) return got;
    ++header.sequence;
    header.timestamp += 160;
  }
  return std::nullopt;
}

// The first PCMU silence frame `phone` hears within `packets` packets (a leg whose peer has
// gone hears silence); nullopt when it hears none or nothing at all.
inline std::optional<Phone::Received> first_silence(Phone& phone, int packets = 100) {
  for (int i = 0; i < packets; ++i) {
    auto p = phone.receive();
    if (!p) return std::nullopt;
    if (std::ranges::all_of(p->payload, [](std::uint8_t c) { return c == 0xFF; })) return p;
  }
  return std::nullopt;
}

}  // namespace orbit::media::testing
