// splitmix64: a fast, well-distributed sequence; the seed comes from the OS at start-up.
#include "sip/tag_generator.hpp"

#include <fmt/format.h>

namespace orbit::sip {

std::string TagGenerator::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return fmt::format("{:016x}", z);
}

}  // namespace orbit::sip
