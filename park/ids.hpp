// Strong identifiers of the park domain: tenants, lots, extensions, slot numbers, call references.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

namespace orbit::park {

// A name that only compares with names of the same kind: a tenant is never taken for a lot.
template <class Tag>
class Name {
 public:
  Name() = default;
  explicit Name(std::string value) : value_(std::move(value)) {}

  [[nodiscard]] const std::string& str() const { return value_; }
  [[nodiscard]] bool empty() const { return value_.empty(); }

  friend bool operator==(const Name&, const Name&) = default;
  friend auto operator<=>(const Name&, const Name&) = default;

 private:
  std::string value_;
};

using TenantId = Name<struct TenantTag>;      // the tenant's SIP domain, e.g. "demo.orbit"
using LotName = Name<struct LotTag>;          // unique within its tenant, e.g. "main"
using Extension = Name<struct ExtensionTag>;  // a user of the tenant, e.g. "101"

// A numbered slot (an "orbit"), e.g. 701.
struct SlotNumber {
  std::uint32_t value = 0;

  friend bool operator==(const SlotNumber&, const SlotNumber&) = default;
  friend auto operator<=>(const SlotNumber&, const SlotNumber&) = default;
};

// The caller's handle on a call it parks (pbx/ gives one per call leg); the domain never reads it.
struct CallRef {
  std::uint64_t value = 0;

  friend bool operator==(const CallRef&, const CallRef&) = default;
  friend auto operator<=>(const CallRef&, const CallRef&) = default;
};

}  // namespace orbit::park

template <class Tag>
struct std::hash<orbit::park::Name<Tag>> {
  std::size_t operator()(const orbit::park::Name<Tag>& name) const noexcept {
    return std::hash<std::string>{}(name.str());
  }
};

template <>
struct std::hash<orbit::park::CallRef> {
  std::size_t operator()(orbit::park::CallRef call) const noexcept {
    return std::hash<std::uint64_t>{}(call.value);
  }
};
