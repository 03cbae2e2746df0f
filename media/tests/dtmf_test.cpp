// RFC 4733 DTMF: the telephone-event payload, digit codes, and one digit per event however
// many end packets arrive.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "media/dtmf_detector.hpp"
#include "media/telephone_event.hpp"

namespace orbit::media {
namespace {

TEST(TelephoneEvent, ReadsAndWritesThePayload) {
  const TelephoneEvent event{.event = 5, .end = true, .volume = 10, .duration = 800};
  const auto bytes = build_telephone_event(event);
  EXPECT_EQ(bytes, (std::array<std::uint8_t, 4>{0x05, 0x8A, 0x03, 0x20}));
  EXPECT_EQ(parse_telephone_event(bytes), event);
  EXPECT_EQ(parse_telephone_event(std::vector<std::uint8_t>{1, 2, 3}), std::nullopt);
  // The reserved bit is ignored.
  EXPECT_EQ(parse_telephone_event(std::vector<std::uint8_t>{11, 0x4A, 0, 160}),
            (TelephoneEvent{.event = 11, .end = false, .volume = 10, .duration = 160}));
}

TEST(TelephoneEvent, NamesTheSixteenDtmfDigits) {
  EXPECT_EQ(dtmf_digit(0), '0');
  EXPECT_EQ(dtmf_digit(9), '9');
  EXPECT_EQ(dtmf_digit(10), '*');
  EXPECT_EQ(dtmf_digit(11), '#');
  EXPECT_EQ(dtmf_digit(12), 'A');
  EXPECT_EQ(dtmf_digit(15), 'D');
  EXPECT_EQ(dtmf_digit(16), std::nullopt);  // flash
  EXPECT_EQ(dtmf_event('#'), 11);
  EXPECT_EQ(dtmf_event('x'), std::nullopt);
}

// What a phone sends for one key press: updates every 50 ms, then the end packet three times.
std::vector<TelephoneEvent> key_press(std::uint8_t event) {
  std::vector<TelephoneEvent> packets;
  for (std::uint16_t d = 400; d <= 1200; d += 400)
    packets.push_back({.event = event, .volume = 10, .duration = d});
  for (int i = 0; i < 3; ++i)
    packets.push_back({.event = event, .end = true, .volume = 10, .duration = 1280});
  return packets;
}

TEST(DtmfDetector, ReportsOneDigitPerKeyPressDespiteRetransmittedEnds) {
  DtmfDetector detector;
  std::vector<char> digits;
  const std::vector<std::pair<std::uint32_t, std::uint8_t>> presses{
      {1000, 10}, {9000, 6}, {17000, 8}, {25000, 8}, {33000, 11}};
  for (const auto& [timestamp, event] : presses) {
    for (const auto& packet : key_press(event)) {
      if (auto digit = detector.on_packet(timestamp, packet)) digits.push_back(*digit);
    }
  }
  EXPECT_EQ(digits, (std::vector<char>{'*', '6', '8', '8', '#'}));
}

TEST(DtmfDetector, ALateRetransmissionOfAnOldEndIsIgnored) {
  DtmfDetector detector;
  const TelephoneEvent end{.event = 7, .end = true, .duration = 800};
  EXPECT_EQ(detector.on_packet(1000, end), '7');
  EXPECT_EQ(detector.on_packet(1000, end), std::nullopt);
  EXPECT_EQ(detector.on_packet(1000, end), std::nullopt);
}

TEST(DtmfDetector, EventsThatAreNotDigitsAreNotReported) {
  DtmfDetector detector;
  EXPECT_EQ(detector.on_packet(1000, {.event = 16, .end = true, .duration = 800}), std::nullopt);
  EXPECT_EQ(detector.on_packet(2000, {.event = 3, .end = false, .duration = 800}), std::nullopt);
  EXPECT_EQ(detector.on_packet(2000, {.event = 3, .end = true, .duration = 960}), '3');
}

}  // namespace
}  // namespace orbit::media
