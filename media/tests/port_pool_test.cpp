// The RTP port pool: every port of the range but the RTCP one, exhaustion, and ports given back
// reused last.
#include "media/port_pool.hpp"

#include <gtest/gtest.h>

namespace orbit::media {
namespace {

TEST(PortPool, HandsOutTheRangeWithoutTheReservedPort) {
  PortPool pool(20000, 20003, 20000);
  EXPECT_EQ(pool.capacity(), 3u);
  EXPECT_EQ(pool.acquire(), 20001);
  EXPECT_EQ(pool.acquire(), 20002);
  EXPECT_EQ(pool.acquire(), 20003);
  EXPECT_EQ(pool.acquire(), std::nullopt);
  EXPECT_EQ(pool.available(), 0u);
}

TEST(PortPool, APortGivenBackIsReusedAfterTheOthers) {
  PortPool pool(30000, 30002);
  const auto first = pool.acquire();
  pool.release(*first);
  EXPECT_EQ(pool.acquire(), 30001);
  EXPECT_EQ(pool.acquire(), 30002);
  EXPECT_EQ(pool.acquire(), 30000);
}

TEST(PortPool, TheTopPortOfTheRangeIsUsable) {
  PortPool pool(65534, 65535);
  EXPECT_EQ(pool.capacity(), 2u);
}

}  // namespace
}  // namespace orbit::media
