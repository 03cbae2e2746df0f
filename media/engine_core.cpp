// A media thread's commands: legs opened and closed, far ends set, what each leg hears.
#include "media/engine_core.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace orbit::media {

EngineCore::EngineCore(boost::asio::io_context& io, const MediaConfig& config, MusicLibrary music,
                       PromptLibrary& prompts, Udp::socket rtcp, EventHandler on_event,
                       std::function<void(std::uint16_t)> release_port, MediaCounters& counters)
    : io_(io),
      config_(config),
      music_(std::move(music)),
      prompts_(prompts),
      rtcp_(std::move(rtcp)),
      on_event_(std::move(on_event)),
      release_port_(std::move(release_port)),
      counters_(counters),
      random_(std::random_device{}()),
      ticker_(io) {}

void EngineCore::start() {
  running_ = true;
  next_tick_ = Clock::now();
  schedule_tick();
  if (rtcp_.is_open()) wait_for_rtcp();
  for (auto& [id, leg] : legs_) wait_for_rtp(*leg);  // opened before start
}

void EngineCore::shutdown() {
  running_ = false;
  ticker_.cancel();
  boost::system::error_code ignored;
  rtcp_.close(ignored);
  // Legs still on their way here are closed when they arrive; commands waiting for them go.
  waiting_.clear();
  arriving_.clear();
  std::vector<LegId> ids;
  ids.reserve(legs_.size());
  for (const auto& [id, leg] : legs_) ids.push_back(id);
  for (LegId id : ids) close_leg(id);
}

Leg* EngineCore::find(LegId id) {
  const auto found = legs_.find(id);
  return found == legs_.end() ? nullptr : found->second.get();
}

void EngineCore::emit(MediaEvent event) {
  if (on_event_) on_event_(std::move(event));
}

void EngineCore::add_leg(LegId id, std::uint32_t serial, std::uint16_t port, Udp::socket socket) {
  if (must_wait(id)) {
    return wait(id, 0, [this, id, serial, port, s = std::move(socket)]() mutable {
      add_leg(id, serial, port, std::move(s));
    });
  }
  if (find(id)) {
    spdlog::error("media: leg {} opened twice, keeping the first", id);
    return;
  }
  // RFC 3550 §5.1: random SSRC, initial sequence number and timestamp.
  OutgoingStream stream(static_cast<std::uint32_t>(random_()),
                        static_cast<std::uint16_t>(random_()),
                        static_cast<std::uint32_t>(random_()));
  auto leg = std::make_unique<Leg>(id, serial, port, std::move(socket), stream, Clock::now());
  Leg& ref = *leg;
  legs_.emplace(id, std::move(leg));
  counters_.legs.store(legs_.size(), std::memory_order_relaxed);
  if (running_) wait_for_rtp(ref);
}

void EngineCore::set_remote(LegId id, const RemoteMedia& remote) {
  if (must_wait(id)) return wait(id, 0, [this, id, remote] { set_remote(id, remote); });
  if (Leg* leg = find(id)) leg->set_remote(remote, Clock::now());
}

void EngineCore::set_hearing(Leg& leg, Hearing hearing) {
  if (leg.hearing == Hearing::Peer) {
    if (Leg* peer = find(leg.peer)) std::erase(peer->heard_by, leg.id);
    leg.peer = 0;
  }
  leg.hearing = hearing;
  leg.music = nullptr;
  leg.prompts.clear();
  leg.prompt_index = 0;
  leg.prompt_frame = 0;
  leg.new_generator();
}

void EngineCore::hear_peer(Leg& leg, Leg& peer) {
  set_hearing(leg, Hearing::Peer);
  leg.peer = peer.id;
  peer.heard_by.push_back(leg.id);
}

void EngineCore::connect(LegId a, LegId b) {
  if (must_wait(a, b)) return wait(a, b, [this, a, b] { connect(a, b); });
  Leg* leg_a = find(a);
  Leg* leg_b = find(b);
  if (!leg_a || !leg_b || a == b) {
    spdlog::warn("media: cannot connect leg {} to leg {}", a, b);
    return;
  }
  hear_peer(*leg_a, *leg_b);
  hear_peer(*leg_b, *leg_a);
}

void EngineCore::play_music(LegId id, const std::string& music_class) {
  if (must_wait(id)) return wait(id, 0, [this, id, music_class] { play_music(id, music_class); });
  Leg* leg = find(id);
  if (!leg) return;
  const MusicClass* music = music_.find(music_class);
  if (!music) {
    spdlog::warn("media: no music class \"{}\" for leg {}, playing the default", music_class, id);
    music = music_.find("default");
  }
  set_hearing(*leg, music ? Hearing::Music : Hearing::Silence);
  leg->music = music;
}

void EngineCore::play_prompts(LegId id, const std::vector<std::string>& names,
                              std::uint64_t token) {
  if (must_wait(id)) {
    return wait(id, 0, [this, id, names, token] { play_prompts(id, names, token); });
  }
  Leg* leg = find(id);
  if (!leg) return;
  set_hearing(*leg, Hearing::Prompts);
  leg->prompt_token = token;
  for (const auto& name : names) {
    auto prompt = prompts_.get(name);
    if (!prompt) {
      spdlog::warn("media: leg {}: {}", id, prompt.error().reason);
      continue;
    }
    if ((*prompt)->frames() > 0) leg->prompts.push_back(*prompt);
  }
}

void EngineCore::play_silence(LegId id) {
  if (must_wait(id)) return wait(id, 0, [this, id] { play_silence(id); });
  if (Leg* leg = find(id)) set_hearing(*leg, Hearing::Silence);
}

void EngineCore::detach(Leg& leg) {
  for (LegId listener_id : leg.heard_by) {
    if (Leg* listener = find(listener_id)) {
      listener->hearing = Hearing::Nothing;  // its peer is gone: no longer in heard_by
      listener->peer = 0;
      set_hearing(*listener, Hearing::Silence);
    }
  }
  leg.heard_by.clear();
  set_hearing(leg, Hearing::Nothing);
}

void EngineCore::close_leg(LegId id) {
  // Waits for a leg on its way here: closed by the thread that has it, its port released once.
  if (must_wait(id)) return wait(id, 0, [this, id] { close_leg(id); });
  const auto found = legs_.find(id);
  if (found == legs_.end()) return;
  Leg& leg = *found->second;
  detach(leg);
  boost::system::error_code ignored;
  leg.socket.close(ignored);
  const auto port = leg.port;
  legs_.erase(found);
  counters_.legs.store(legs_.size(), std::memory_order_relaxed);
  if (release_port_) release_port_(port);
}

}  // namespace orbit::media
