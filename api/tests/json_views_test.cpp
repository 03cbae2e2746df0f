// JSON shapes of the supervision views: what the web console and API clients rely on.
#include "api/json_views.hpp"

#include <gtest/gtest.h>

#include "api/tests/fake_source.hpp"

namespace orbit::api {
namespace {

using namespace std::chrono_literals;

TEST(JsonViews, TimesAreIso8601UtcWithMilliseconds) {
  const auto at = std::chrono::system_clock::time_point{} + 1'700'000'000s + 42ms;
  EXPECT_EQ(iso8601_utc(at), "2023-11-14T22:13:20.042Z");
  EXPECT_EQ(iso8601_utc(std::chrono::system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
}

TEST(JsonViews, ACallHasItsStatePartiesAndDurationInMilliseconds) {
  const auto source = test::two_tenants();
  const auto json = to_json(source.all_calls[0]);
  EXPECT_EQ(json["id"], 1);
  EXPECT_EQ(json["tenant"], "a.example");
  EXPECT_EQ(json["state"], "parked");
  ASSERT_EQ(json["parties"].size(), 2U);
  EXPECT_EQ(json["parties"][0]["number"], "+3312345678a");
  EXPECT_EQ(json["parties"][0]["display_name"], "Caller a");
  EXPECT_EQ(json["duration_ms"], 42'500);
  EXPECT_TRUE(json["duration_ms"].is_number_integer());
}

TEST(JsonViews, ALotListsEverySlotFreeOnesWithNulls) {
  const auto source = test::two_tenants();
  const auto json = to_json(source.all_lots[0]);
  EXPECT_EQ(json["name"], "main-a");
  EXPECT_EQ(json["park_code"], "700");
  EXPECT_EQ(json["timeout_ms"], 60'000);
  ASSERT_EQ(json["slots"].size(), 2U);
  const auto& busy = json["slots"][0];
  EXPECT_EQ(busy["slot"], "701");
  EXPECT_EQ(busy["call"], 1);
  EXPECT_EQ(busy["caller"]["number"], "+3312345678a");
  EXPECT_EQ(busy["parker"], "100");
  EXPECT_TRUE(busy["note"].is_null());
  EXPECT_EQ(busy["waited_ms"], 12'000);
  EXPECT_EQ(busy["stage"], "in slot");
  EXPECT_EQ(busy["escalated"], false);
  const auto& free = json["slots"][1];
  EXPECT_TRUE(free["call"].is_null());
  EXPECT_TRUE(free["caller"].is_null());
}

TEST(JsonViews, ARegistrationSaysWhenItExpires) {
  const auto source = test::two_tenants();
  const auto json = to_json(source.all_registrations[1]);
  EXPECT_EQ(json, (nlohmann::json{{"tenant", "b.example"},
                                  {"extension", "100"},
                                  {"contact", "sip:100@127.0.0.1:5062"},
                                  {"source", "UDP:127.0.0.1:5062"},
                                  {"expires_in_ms", 3'600'000}}));
}

TEST(JsonViews, AnEventCarriesEveryFieldWithItsTime) {
  auto event = test::parked_event("a.example", "701");
  event.note = "VIP, Mr Smith";
  event.waited = 1500ms;
  const auto json = to_json(event);
  EXPECT_EQ(json["type"], "parked");
  EXPECT_EQ(json["at"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(json["call"], 7);
  EXPECT_EQ(json["lot"], "main");
  EXPECT_EQ(json["slot"], "701");
  EXPECT_EQ(json["caller"]["display_name"], "Alice");
  EXPECT_EQ(json["parker"], "100");
  EXPECT_EQ(json["by"], "");
  EXPECT_EQ(json["note"], "VIP, Mr Smith");
  EXPECT_EQ(json["waited_ms"], 1500);
  EXPECT_EQ(json["reason"], "");
  EXPECT_EQ(json["tenant"], "a.example");
  event.call.reset();
  EXPECT_TRUE(to_json(event)["call"].is_null());
}

}  // namespace
}  // namespace orbit::api
