// Boost.Asio, included the one way that builds here: Boost 1.74's awaitable.hpp uses
// std::exchange without including <utility>, which libstdc++ 12 in C++23 no longer pulls in.
#pragma once

#include <utility>

#include <boost/asio.hpp>
