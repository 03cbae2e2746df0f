// Turns the configuration's tenants into the directory the signalling core looks users up in.
#pragma once

#include "app/config.hpp"
#include "pbx/directory.hpp"

namespace orbit::app {

[[nodiscard]] pbx::Directory build_directory(const Config& config);

}  // namespace orbit::app
