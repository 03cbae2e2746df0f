// text_frame: the three length encodings of RFC 6455 §5.2, at their boundaries.
#include <string>

#include <gtest/gtest.h>

#include "api/ws_frame.hpp"

namespace orbit::api {
namespace {

std::string header_of(std::size_t payload_size) {
  const std::string frame = text_frame(std::string(payload_size, 'x'));
  EXPECT_EQ(frame.substr(frame.size() - payload_size), std::string(payload_size, 'x'));
  return frame.substr(0, frame.size() - payload_size);
}

TEST(TextFrame, SevenBitLengthUpTo125) {
  EXPECT_EQ(header_of(0), std::string("\x81\x00", 2));
  EXPECT_EQ(header_of(125), std::string("\x81\x7d", 2));
}

TEST(TextFrame, SixteenBitLengthFrom126To65535) {
  EXPECT_EQ(header_of(126), std::string("\x81\x7e\x00\x7e", 4));
  EXPECT_EQ(header_of(65535), std::string("\x81\x7e\xff\xff", 4));
}

TEST(TextFrame, SixtyFourBitLengthFrom65536) {
  EXPECT_EQ(header_of(65536), std::string("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
  EXPECT_EQ(header_of(1090658), std::string("\x81\x7f\x00\x00\x00\x00\x00\x10\xa4\x62", 10));
}

TEST(TextFrame, ThePayloadFollowsTheHeaderUnmasked) {
  EXPECT_EQ(text_frame("{\"type\":\"event\"}"), std::string("\x81\x10{\"type\":\"event\"}"));
}

}  // namespace
}  // namespace orbit::api
