// The CSeq header: a sequence number and a method (RFC 3261 §20.16).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace orbit::sip {

struct CSeq {
  std::uint32_t number = 0;  // below 2^31 (RFC 3261 §8.1.1.5)
  std::string_view method;
};

[[nodiscard]] std::expected<CSeq, std::string> parse_cseq(std::string_view text);

}  // namespace orbit::sip
