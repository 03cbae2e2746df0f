// Where a parked call waits: a numbered slot (701) or a user's extension (parked "against" 101).
#pragma once

#include <string>
#include <variant>

#include "park/ids.hpp"

namespace orbit::park {

// A slot keyed by a user's extension (Webex "park against a user": *68101, taken back by *88101).
struct UserSlot {
  Extension user;

  friend bool operator==(const UserSlot&, const UserSlot&) = default;
  friend auto operator<=>(const UserSlot&, const UserSlot&) = default;
};

// Unique within a tenant: no two lots of a tenant share a slot number, and only one lot of a
// tenant takes parks against users.
using SlotKey = std::variant<SlotNumber, UserSlot>;

// "701", or "101" for the park of user 101: what a phone dials after the retrieve code.
[[nodiscard]] std::string to_string(const SlotKey& slot);

// For human reasons: "slot 701" or "the park of user 101".
[[nodiscard]] std::string describe(const SlotKey& slot);

}  // namespace orbit::park
