// The media engine's commands: a leg opened on the shard with the fewest legs (port from the
// pool, socket bound there), every other command queued to the shard owning its leg, and a leg
// moved to its peer's shard when the two are connected.
#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "media/media_engine.hpp"
#include "media/media_engine_state.hpp"

namespace orbit::media {

namespace asio = boost::asio;

namespace {

// Queues `command(core)` on the shard owning `leg`; nothing when the leg is not open. The lock
// is held while posting, so commands reach the shards in the order the owners changed.
template <typename F>
void to_owner(MediaEngineState& s, LegId leg, F&& command) {
  const std::lock_guard lock(s.mutex);
  if (Shard* shard = s.owner_of(leg)) shard->post(std::forward<F>(command));
}

// Under the lock: `leg` leaves shard `from` for shard `to`. `to` is told first, so that every
// command queued there from now on waits for the leg; `from` then exports it, and its export
// comes after every command queued there before.
void move_leg(MediaEngineState& s, LegId leg, std::size_t from, std::size_t to) {
  Shard& source = *s.shards[from];
  Shard& target = *s.shards[to];
  s.owner[leg] = to;
  --source.open_legs;
  ++target.open_legs;
  target.post([leg](EngineCore& core) { core.expect_leg(leg); });
  source.post([leg, target = &target](EngineCore& core) {
    core.export_leg(leg, [target](LegInTransit moving) {
      target->post([m = std::move(moving)](EngineCore& to_core) mutable {
        to_core.import_leg(std::move(m));
      });
    });
  });
}

}  // namespace

std::expected<LocalMedia, MediaError> MediaEngine::open_leg(LegId leg) {
  MediaEngineState& s = *state_;
  const std::lock_guard lock(s.mutex);
  if (s.stopped) return std::unexpected(MediaError{"media engine stopped"});
  if (s.owner.contains(leg))
    return std::unexpected(MediaError{fmt::format("media leg {} already open", leg)});
  // The fewest open legs, the first of equals.
  const auto chosen = static_cast<std::size_t>(
      std::ranges::min_element(s.shards, {}, [](const auto& sh) { return sh->open_legs; }) -
      s.shards.begin());
  Shard& shard = *s.shards[chosen];
  std::vector<std::uint16_t> refused;  // in use by another process: back at the end of the queue
  std::optional<Udp::socket> bound;
  std::uint16_t port = 0;
  boost::system::error_code ec;
  for (auto attempts = s.pool.available(); attempts > 0 && !bound; --attempts) {
    port = *s.pool.acquire();
    Udp::socket socket(shard.io);
    socket.open(s.bind_address.is_v4() ? Udp::v4() : Udp::v6(), ec);
    if (!ec) socket.bind(Udp::endpoint(s.bind_address, port), ec);
    if (!ec) socket.non_blocking(true, ec);
    if (!ec) {
      bound.emplace(std::move(socket));
    } else {
      refused.push_back(port);
      if (ec != asio::error::address_in_use) break;  // out of file descriptors, ...
    }
  }
  for (auto p : refused) s.pool.release(p);
  if (!bound) {
    return std::unexpected(
        MediaError{fmt::format("no RTP port free in {}-{}{}", s.config.port_min, s.config.port_max,
                               ec ? ": " + ec.message() : std::string())});
  }
  s.owner.emplace(leg, chosen);
  ++shard.open_legs;
  // Unique over every shard: relay_source keys the sources of a stream by the sender's serial,
  // and a leg may meet, after a move, legs opened on any shard.
  const std::uint32_t serial = s.next_serial++ & 0x7FFFFFFF;
  shard.post([leg, serial, port, socket = std::move(*bound)](EngineCore& core) mutable {
    core.add_leg(leg, serial, port, std::move(socket));
  });
  LocalMedia local = s.local;
  local.rtp_port = port;
  return local;
}

void MediaEngine::set_remote(LegId leg, const RemoteMedia& remote) {
  to_owner(*state_, leg, [leg, remote](EngineCore& core) { core.set_remote(leg, remote); });
}

void MediaEngine::connect(LegId a, LegId b) {
  MediaEngineState& s = *state_;
  const std::lock_guard lock(s.mutex);
  const auto owner_a = s.owner.find(a);
  const auto owner_b = s.owner.find(b);
  if (owner_a == s.owner.end() || owner_b == s.owner.end() || a == b) {
    spdlog::warn("media: cannot connect leg {} to leg {}", a, b);
    return;
  }
  const std::size_t shard = owner_a->second;
  if (owner_b->second != shard) move_leg(s, b, owner_b->second, shard);
  s.shards[shard]->post([a, b](EngineCore& core) { core.connect(a, b); });
}

void MediaEngine::play_music(LegId leg, std::string_view music_class) {
  to_owner(*state_, leg, [leg, name = std::string(music_class)](EngineCore& core) {
    core.play_music(leg, name);
  });
}

void MediaEngine::play_prompts(LegId leg, std::vector<std::string> prompts, std::uint64_t token) {
  to_owner(*state_, leg, [leg, names = std::move(prompts), token](EngineCore& core) {
    core.play_prompts(leg, names, token);
  });
}

void MediaEngine::play_silence(LegId leg) {
  to_owner(*state_, leg, [leg](EngineCore& core) { core.play_silence(leg); });
}

void MediaEngine::close_leg(LegId leg) {
  MediaEngineState& s = *state_;
  const std::lock_guard lock(s.mutex);
  const auto found = s.owner.find(leg);
  if (found == s.owner.end()) return;
  Shard& shard = *s.shards[found->second];
  s.owner.erase(found);
  --shard.open_legs;
  shard.post([leg](EngineCore& core) { core.close_leg(leg); });
}

}  // namespace orbit::media
