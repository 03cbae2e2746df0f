// Turns the configuration's tenants into the directory the signalling core looks users up in.
#pragma once

#include "app/config.hpp"
#include "park/lot_config.hpp"
#include "pbx/directory.hpp"

namespace orbit::app {

[[nodiscard]] pbx::Directory build_directory(const Config& config);

// The parking lots of every tenant for the park domain; a tenant with Webex park codes also
// gets a lot "users" that takes parks against its users.
[[nodiscard]] std::vector<park::LotConfig> build_lots(const Config& config);

}  // namespace orbit::app
