// The answer to a request that failed to parse: 400 (or 505) built from whatever header lines
// can be salvaged, so that even a broken request learns why it was refused.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sip/message.hpp"

namespace orbit::sip {

// nullopt when the bytes are not a request (responses are dropped, RFC 3261 §18.1.2), or are an
// ACK, which is never answered.
[[nodiscard]] std::optional<std::string> error_response(std::string_view raw,
                                                        const ParseError& error,
                                                        std::string_view to_tag);

}  // namespace orbit::sip
