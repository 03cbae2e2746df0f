// libFuzzer target: Message::parse, serialize() and re-parse to the same essentials, frame_stream.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sip/message.hpp"
#include "sip/message_builder.hpp"

namespace {

bool same_essentials(const orbit::sip::Message& a, const orbit::sip::Message& b) {
  return a.method() == b.method() && a.status() == b.status() && a.call_id() == b.call_id() &&
         a.cseq().number == b.cseq().number && a.cseq().method == b.cseq().method &&
         a.body() == b.body();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)orbit::sip::frame_stream(bytes);
  auto message = orbit::sip::Message::parse(bytes);
  if (!message) return 0;
  std::string text = orbit::sip::serialize(*message);
  auto again = orbit::sip::Message::parse(text);
  if (!again || !same_essentials(*message, *again)) __builtin_trap();
  // On a stream the serialised message is framed exactly by its own Content-Length.
  auto frame = orbit::sip::frame_stream(text);
  if (!frame || !*frame || (*frame)->size != text.size()) __builtin_trap();
  return 0;
}
