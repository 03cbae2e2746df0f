// sdp_fuzz.cpp — libFuzzer target: parse_sdp must not crash, and what it accepts must round-trip.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sip/sdp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto first = orbit::sip::parse_sdp(text);
  if (!first) return 0;
  const std::string serialised = orbit::sip::serialize_sdp(*first);
  const auto second = orbit::sip::parse_sdp(serialised);
  if (!second) __builtin_trap();            // we wrote something we cannot read back
  if (*second != *first) __builtin_trap();  // the text lost or changed a field
  if (orbit::sip::serialize_sdp(*second) != serialised) __builtin_trap();  // unstable output
  return 0;
}
