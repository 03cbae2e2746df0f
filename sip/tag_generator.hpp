// Tags and branches: unique, unguessable-enough identifiers from an injected seed and a counter.
#pragma once

#include <cstdint>
#include <string>

namespace orbit::sip {

class TagGenerator {
 public:
  explicit TagGenerator(std::uint64_t seed) : state_(seed) {}
  // 16 hex digits, different at every call (splitmix64 over a counter).
  [[nodiscard]] std::string next();
  // A branch with the RFC 3261 magic cookie.
  [[nodiscard]] std::string next_branch() { return "z9hG4bK" + next(); }

 private:
  std::uint64_t state_;
};

}  // namespace orbit::sip
