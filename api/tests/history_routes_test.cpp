// GET /history and /figures through the Router, sans I/O: roles, tenant, parameters, JSON shape.
#include "api/routes.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/history_json.hpp"
#include "api/iso8601.hpp"
#include "api/tests/fake_history.hpp"
#include "api/tests/fake_source.hpp"
#include "api/tests/server_fixture.hpp"

namespace orbit::api::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using std::chrono::milliseconds;

const store::WallTime kT0 = store::WallTime(milliseconds(1'700'000'000'000));  // 22:13:20Z

store::HistoryRow retrieved_row() {
  store::HistoryRow row;
  row.id = 41;
  row.tenant = "a.example";
  row.call = 7;
  row.lot = "main";
  row.slot = "701";
  row.caller_number = "+33123456789";
  row.caller_name = "Alice";
  row.parker = "100";
  row.note = "Dupont, HR";
  row.parked_at = kT0;
  row.outcome = store::Outcome::Retrieved;
  row.by = "101";
  row.resolved_at = kT0 + 12'500ms;
  row.wait = 12'500ms;
  row.recalls = 1;
  return row;
}

class HistoryRoutes : public ::testing::Test {
 protected:
  ApiResponse get(std::string target, std::string token = "sup-a",
                  const store::HistoryReader* history = nullptr) {
    Router router(tokens_, source_, nullptr, history ? history : &history_);
    const std::string authorization = token.empty() ? "" : "Bearer " + token;
    return router.handle(ApiRequest{"GET", target, authorization, false, {}});
  }
  static json body(const ApiResponse& response) { return json::parse(response.body); }

  TokenStore tokens_ = demo_tokens();
  FakeSource source_ = two_tenants();
  FakeHistory history_;
};

TEST_F(HistoryRoutes, AnAgentReadsTheHistoryOfItsTenantNewestFirstWithTheNextPage) {
  history_.next_page.rows = {retrieved_row()};
  history_.next_page.next_before = 41;
  const auto response = get("/api/v1/history", "agent-a");
  ASSERT_EQ(response.status, 200U) << response.body;
  ASSERT_EQ(history_.pages_asked.size(), 1U);
  EXPECT_EQ(history_.pages_asked[0].tenant, "a.example");
  EXPECT_EQ(history_.pages_asked[0].limit, 50U);
  EXPECT_EQ(history_.pages_asked[0].before, std::nullopt);
  const json page = body(response);
  EXPECT_EQ(page["next_before"], 41);
  ASSERT_EQ(page["entries"].size(), 1U);
  const json& entry = page["entries"][0];
  EXPECT_EQ(entry["id"], 41);
  EXPECT_EQ(entry["call"], 7);
  EXPECT_EQ(entry["caller"]["number"], "+33123456789");
  EXPECT_EQ(entry["caller"]["display_name"], "Alice");
  EXPECT_EQ(entry["note"], "Dupont, HR");
  EXPECT_EQ(entry["parked_at"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(entry["resolved_at"], "2023-11-14T22:13:32.500Z");
  EXPECT_EQ(entry["outcome"], "retrieved");
  EXPECT_EQ(entry["by"], "101");
  EXPECT_EQ(entry["waited_ms"], 12'500);
  EXPECT_EQ(entry["recalls"], 1);
  EXPECT_EQ(entry["escalated"], false);
}

TEST_F(HistoryRoutes, AStillParkedCallHasNoWaitNorResolutionAndTheLastPageNoNext) {
  store::HistoryRow row = retrieved_row();
  row.outcome = store::Outcome::Parked;
  row.by.clear();
  row.resolved_at.reset();
  row.wait.reset();
  row.note.reset();
  history_.next_page.rows = {row};
  const json page = body(get("/api/v1/history"));
  EXPECT_TRUE(page["next_before"].is_null());
  EXPECT_EQ(page["entries"][0]["outcome"], "parked");
  EXPECT_TRUE(page["entries"][0]["waited_ms"].is_null());
  EXPECT_TRUE(page["entries"][0]["resolved_at"].is_null());
  EXPECT_TRUE(page["entries"][0]["note"].is_null());
}

TEST_F(HistoryRoutes, LimitAndBeforeArePassedOn) {
  ASSERT_EQ(get("/api/v1/history?limit=500&before=1234", "sup-b").status, 200U);
  ASSERT_EQ(history_.pages_asked.size(), 1U);
  EXPECT_EQ(history_.pages_asked[0].tenant, "b.example");
  EXPECT_EQ(history_.pages_asked[0].limit, 500U);
  EXPECT_EQ(history_.pages_asked[0].before, 1234);
  ASSERT_EQ(get("/api/v1/history?limit=1").status, 200U);
  EXPECT_EQ(history_.pages_asked[1].limit, 1U);
}

TEST_F(HistoryRoutes, ABadLimitOrBeforeIs400NamingIt) {
  for (const char* query :
       {"limit=0", "limit=501", "limit=ten", "limit=", "limit=5x", "limit=-1"}) {
    const auto response = get(std::string("/api/v1/history?") + query);
    EXPECT_EQ(response.status, 400U) << query;
    EXPECT_NE(body(response)["error"].get<std::string>().find("'limit'"), std::string::npos)
        << query;
  }
  for (const char* query : {"before=0", "before=abc", "before=99999999999999999999"}) {
    const auto response = get(std::string("/api/v1/history?") + query);
    EXPECT_EQ(response.status, 400U) << query;
    EXPECT_NE(body(response)["error"].get<std::string>().find("'before'"), std::string::npos)
        << query;
  }
  EXPECT_TRUE(history_.pages_asked.empty());
}

TEST_F(HistoryRoutes, FiguresOverAPeriodGiveRatesWaitsLotsAndHours) {
  store::Figures& f = history_.next_figures;
  f.total = {3, 2, 1, 0, 4, 1, 20s, 40s};
  f.lots = {{"main", {3, 2, 1, 0, 4, 1, 20s, 40s}}};
  f.hours = {{store::WallTime(kT0 - 13min - 20s), 3, 2, 20s}};
  const auto response =
      get("/api/v1/figures?from=2023-11-14T22:00:00Z&to=2023-11-15T00:00:00%2B01:00", "agent-a");
  ASSERT_EQ(response.status, 200U) << response.body;
  ASSERT_EQ(history_.figures_asked.size(), 1U);
  EXPECT_EQ(history_.figures_asked[0].tenant, "a.example");
  EXPECT_EQ(history_.figures_asked[0].from, kT0 - 13min - 20s);
  EXPECT_EQ(history_.figures_asked[0].to, kT0 - 13min - 20s + 1h);  // 00:00+01:00 = 23:00Z
  const json figures = body(response);
  EXPECT_EQ(figures["from"], "2023-11-14T22:00:00.000Z");
  EXPECT_EQ(figures["to"], "2023-11-14T23:00:00.000Z");
  EXPECT_EQ(figures["parks"], 3);
  EXPECT_EQ(figures["retrieved"], 2);
  EXPECT_EQ(figures["abandoned"], 1);
  EXPECT_EQ(figures["parked"], 0);
  EXPECT_DOUBLE_EQ(figures["retrieved_pct"].get<double>(), 66.7);
  EXPECT_DOUBLE_EQ(figures["abandoned_pct"].get<double>(), 33.3);
  EXPECT_EQ(figures["recalls"], 4);
  EXPECT_EQ(figures["escalations"], 1);
  EXPECT_EQ(figures["median_wait_ms"], 20'000);
  EXPECT_EQ(figures["p90_wait_ms"], 40'000);
  EXPECT_EQ(figures["lots"][0]["lot"], "main");
  EXPECT_EQ(figures["lots"][0]["median_wait_ms"], 20'000);
  EXPECT_EQ(figures["hours"][0]["hour"], "2023-11-14T22:00:00.000Z");
  EXPECT_EQ(figures["hours"][0]["parks"], 3);
  EXPECT_EQ(figures["hours"][0]["median_wait_ms"], 20'000);
}

TEST_F(HistoryRoutes, WithoutParksTheRatesAndWaitsAreNull) {
  const json figures = body(get("/api/v1/figures"));
  EXPECT_EQ(figures["parks"], 0);
  EXPECT_TRUE(figures["retrieved_pct"].is_null());
  EXPECT_TRUE(figures["median_wait_ms"].is_null());
}

TEST_F(HistoryRoutes, TheDefaultPeriodIsTheLast24Hours) {
  const auto before = std::chrono::system_clock::now();
  ASSERT_EQ(get("/api/v1/figures").status, 200U);
  const auto after = std::chrono::system_clock::now();
  ASSERT_EQ(history_.figures_asked.size(), 1U);
  const auto& asked = history_.figures_asked[0];
  EXPECT_EQ(asked.to - asked.from, 24h);
  EXPECT_GE(asked.to, std::chrono::floor<milliseconds>(before));
  EXPECT_LE(asked.to, std::chrono::ceil<milliseconds>(after));

  ASSERT_EQ(get("/api/v1/figures?to=2023-11-14T22:13:20Z").status, 200U);
  EXPECT_EQ(history_.figures_asked[1].from, kT0 - 24h);
}

TEST_F(HistoryRoutes, ABadFromOrToIs400NamingIt) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"from=yesterday", "'from'"},
      {"from=2023-11-14T22:13:20", "'from'"},  // no zone
      {"from=2023-02-30T00:00:00Z", "'from'"},
      {"from=2023-11-14T24:00:00Z", "'from'"},
      {"to=2023-11-14T22:13:20+1", "'to'"},
      {"from=2023-11-14T22:00:00Z&to=2023-11-14T22:00:00Z", "'from' must be before 'to'"},
      {"from=2023-11-14T23:00:00Z&to=2023-11-14T22:00:00Z", "'from' must be before 'to'"},
      {"from=2023-10-01&to=2023-11-14", "'to' must be at most 31 days"},
  };
  for (const auto& [query, message] : cases) {
    const auto response = get("/api/v1/figures?" + query);
    EXPECT_EQ(response.status, 400U) << query;
    EXPECT_NE(body(response)["error"].get<std::string>().find(message), std::string::npos)
        << query << ": " << response.body;
  }
  EXPECT_TRUE(history_.figures_asked.empty());
}

TEST_F(HistoryRoutes, WithoutAHistoryBothRoutesAre404) {
  Router router(tokens_, source_);
  for (const char* path : {"/api/v1/history", "/api/v1/figures"}) {
    const auto response = router.handle(ApiRequest{"GET", path, "Bearer sup-a", false, {}});
    EXPECT_EQ(response.status, 404U) << path;
    EXPECT_EQ(body(response)["error"], "history is not configured") << path;
  }
}

TEST_F(HistoryRoutes, NoTokenIs401AndAStoreFailureIs500) {
  EXPECT_EQ(get("/api/v1/history", "").status, 401U);
  EXPECT_EQ(get("/api/v1/figures", "nobody").status, 401U);
  EXPECT_EQ(get("/api/v1/history?token=sup-a", "").status, 401U);
  EXPECT_TRUE(history_.pages_asked.empty());
  history_.failure = store::StoreError{store::StoreErrorCode::Failed, "disk I/O error"};
  const auto response = get("/api/v1/history");
  EXPECT_EQ(response.status, 500U);
  EXPECT_EQ(body(response)["error"], "history: disk I/O error");
}

TEST_F(HistoryRoutes, OpenApiDescribesBothRoutesTheirParametersAndSchemas) {
  const json doc = body(get("/api/v1/openapi.json", ""));
  for (const char* path : {"/history", "/figures"}) {
    const json& op = doc["paths"][path]["get"];
    EXPECT_TRUE(op["responses"].contains("400")) << path;
    EXPECT_TRUE(op["responses"].contains("404")) << path;
    EXPECT_TRUE(op["responses"].contains("401")) << path;
    EXPECT_EQ(op["parameters"].size(), 2U) << path;
  }
  EXPECT_EQ(doc["paths"]["/history"]["get"]["responses"]["200"]["content"]["application/json"]
               ["schema"]["$ref"],
            "#/components/schemas/HistoryPage");
  for (const char* schema :
       {"HistoryEntry", "HistoryPage", "Figures", "LotFigures", "HourFigures"}) {
    EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
  }
  // Every field the JSON has is in the schema, and the other way round.
  const json entry = to_json(retrieved_row());
  const json& properties = doc["components"]["schemas"]["HistoryEntry"]["properties"];
  EXPECT_EQ(entry.size(), properties.size());
  for (const auto& [name, _] : entry.items()) EXPECT_TRUE(properties.contains(name)) << name;
  store::Figures figures;
  figures.lots = {{"main", {}}};
  const json rendered = to_json(figures);
  const json& figure_properties = doc["components"]["schemas"]["Figures"]["properties"];
  EXPECT_EQ(rendered.size(), figure_properties.size());
  for (const auto& [name, _] : rendered.items()) {
    EXPECT_TRUE(figure_properties.contains(name)) << name;
  }
}

TEST(Iso8601, ReadsUtcOffsetsFractionsAndDates) {
  const auto at = [](const char* text) { return parse_iso8601(text); };
  EXPECT_EQ(at("2023-11-14T22:13:20Z"), kT0);
  EXPECT_EQ(at("2023-11-14T22:13:20.5Z"), kT0 + 500ms);
  EXPECT_EQ(at("2023-11-14T22:13:20.123456Z"), kT0 + 123ms);
  EXPECT_EQ(at("2023-11-14T23:13:20+01:00"), kT0);
  EXPECT_EQ(at("2023-11-14T23:13:20 01:00"), kT0);  // '+' decoded from a query as a space
  EXPECT_EQ(at("2023-11-14T17:13:20-05:00"), kT0);
  EXPECT_EQ(at("2023-11-14"), kT0 - 22h - 13min - 20s);
  EXPECT_EQ(at("2024-02-29"),
            store::WallTime(std::chrono::sys_days(std::chrono::year(2024) / 2 / 29)));
  for (const char* bad : {"", "2023", "2023-11-14T22:13Z", "2023-13-01", "2023-11-14T22:13:60Z",
                          "2023-11-14T22:13:20.Z", "2023-11-14T22:13:20+0100", "2023-11-14x",
                          "2023-02-29", "2023-11-14T22:13:20Zjunk"}) {
    EXPECT_EQ(at(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace orbit::api::test
