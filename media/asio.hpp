// Boost.Asio for media/, included the way that builds here (same workaround as net/asio.hpp):
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#pragma once

#include <utility>

#include <boost/asio.hpp>
