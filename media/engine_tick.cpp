// A media thread's 20 ms ticker: one timer for every leg of the thread; music, prompt and silence
// frames, PromptsFinished, and media timeouts.
#include "media/engine_core.hpp"

namespace orbit::media {

void EngineCore::schedule_tick() {
  next_tick_ += kTick;
  const auto now = Clock::now();
  if (next_tick_ + 5 * kTick < now) next_tick_ = now + kTick;  // far behind: skip, do not burst
  ticker_.expires_at(next_tick_);
  ticker_.async_wait([this](boost::system::error_code ec) {
    if (ec || !running_) return;
    on_tick();
    schedule_tick();
  });
}

void EngineCore::on_tick() {
  const auto now = Clock::now();
  for (auto& [id, leg] : legs_) {
    play_frame(*leg, now);
    check_timeout(*leg, now);
  }
  music_.tick();
}

void EngineCore::play_frame(Leg& leg, Clock::time_point now) {
  bool sent = false;
  switch (leg.hearing) {
    case Hearing::Nothing:
    case Hearing::Peer:
      return;
    case Hearing::Music:
      sent = leg.send_generated(leg.music->frame(leg.codec()), now);
      break;
    case Hearing::Prompts:
      play_prompt_frame(leg, now);
      return;
    case Hearing::Silence:
      sent = leg.send_generated(silence_frame(leg.codec()), now);
      break;
  }
  if (sent) bump(counters_.generated_sent);
}

void EngineCore::play_prompt_frame(Leg& leg, Clock::time_point now) {
  if (leg.prompt_index >= leg.prompts.size()) {
    // The last frame went out on the previous tick: report, then silence.
    const auto token = leg.prompt_token;
    set_hearing(leg, Hearing::Silence);
    if (leg.send_generated(silence_frame(leg.codec()), now)) bump(counters_.generated_sent);
    emit(PromptsFinished{.leg = leg.id, .token = token});
    return;
  }
  const EncodedAudio& prompt = *leg.prompts[leg.prompt_index];
  if (leg.send_generated(prompt.frame(leg.codec(), leg.prompt_frame), now)) {
    bump(counters_.generated_sent);
  }
  if (++leg.prompt_frame == prompt.frames()) {
    leg.prompt_frame = 0;
    ++leg.prompt_index;
  }
}

void EngineCore::check_timeout(Leg& leg, Clock::time_point now) {
  if (leg.timeout_reported || !leg.remote || !leg.remote->sends) return;
  if (now - leg.last_received < config_.media_timeout) return;
  leg.timeout_reported = true;
  bump(counters_.media_timeouts);
  emit(MediaTimeout{.leg = leg.id});
}

}  // namespace orbit::media
