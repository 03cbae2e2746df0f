// The act routes through the Router, sans I/O: bodies and parameters checked, roles, the
// agent's own extension, pbx/'s refusals mapped to 400/403/404/409/503, and /me.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/routes.hpp"
#include "api/tests/fake_source.hpp"
#include "api/tests/server_fixture.hpp"

namespace orbit::api::test {
namespace {

using nlohmann::json;

// Records what it is asked; answers with `next_error` when set.
class FakeActions : public pbx::SupervisionActions {
 public:
  std::vector<std::string> asked;
  std::optional<pbx::ActionError> next_error;

  std::expected<pbx::ParkOutcome, pbx::ActionError> park_call(
      const pbx::Actor& actor, std::uint64_t call, std::optional<std::string> for_user,
      std::optional<std::string> note) override {
    asked.push_back(fmt::format("park {} {} {} for={} note={}", actor.tenant, call,
                                actor.agent ? "agent" : "boss", for_user.value_or("-"),
                                note.value_or("-")));
    if (next_error) return std::unexpected(*next_error);
    return pbx::ParkOutcome{call, "main", "701"};
  }
  std::expected<pbx::PickUpOutcome, pbx::ActionError> pick_up(
      const pbx::Actor& actor, const std::string& slot, const std::string& extension) override {
    asked.push_back(fmt::format("pick-up {} {} to {}", actor.tenant, slot, extension));
    if (next_error) return std::unexpected(*next_error);
    return pbx::PickUpOutcome{7, slot, extension};
  }
  std::expected<void, pbx::ActionError> hang_up(const pbx::Actor& actor,
                                                std::uint64_t call) override {
    asked.push_back(fmt::format("hang-up {} {}", actor.tenant, call));
    if (next_error) return std::unexpected(*next_error);
    return {};
  }
};

class ActionRoutesTest : public ::testing::Test {
 protected:
  ApiResponse send(std::string_view method, std::string_view target, std::string_view token,
                   std::string_view body = {}) {
    auto authorization = token.empty() ? std::string() : "Bearer " + std::string(token);
    return router_.handle(ApiRequest{method, target, authorization, false, body});
  }
  TokenStore tokens_ = TokenStore({
      {"boss-a", sha256_hex("sup-a"), "supervisor", "a.example", "102"},
      {"alice-a", sha256_hex("agent-a"), "agent", "a.example", "101"},
      {"root-b", sha256_hex("admin-b"), "admin", "b.example", std::nullopt},
  });
  FakeSource source_;
  FakeActions actions_;
  Router router_{tokens_, source_, &actions_};
};

TEST_F(ActionRoutesTest, MeNamesThePrincipal) {
  auto r = send("GET", "/api/v1/me", "agent-a");
  ASSERT_EQ(r.status, 200U) << r.body;
  auto me = json::parse(r.body);
  EXPECT_EQ(me["role"], "agent");
  EXPECT_EQ(me["tenant"], "a.example");
  EXPECT_EQ(me["extension"], "101");
  EXPECT_TRUE(json::parse(send("GET", "/api/v1/me", "admin-b").body)["extension"].is_null());
  EXPECT_EQ(send("GET", "/api/v1/me", "").status, 401U);
}

TEST_F(ActionRoutesTest, ParkPassesTheNoteAndTheColleague) {
  auto r = send("POST", "/api/v1/calls/42/park", "sup-a", R"({"for":"101","note":"Dupont"})");
  ASSERT_EQ(r.status, 200U) << r.body;
  EXPECT_EQ(json::parse(r.body)["slot"], "701");
  ASSERT_EQ(actions_.asked.size(), 1U);
  EXPECT_EQ(actions_.asked[0], "park a.example 42 boss for=101 note=Dupont");
  EXPECT_EQ(send("POST", "/api/v1/calls/42/park", "agent-a").status, 200U) << "no body is fine";
  EXPECT_EQ(actions_.asked[1], "park a.example 42 agent for=- note=-");
}

TEST_F(ActionRoutesTest, BadInputIs400WithTheFieldNamed) {
  auto not_json = send("POST", "/api/v1/calls/42/park", "sup-a", "{nope");
  EXPECT_EQ(not_json.status, 400U);
  auto bad_note = send("POST", "/api/v1/calls/42/park", "sup-a", R"({"note": 5})");
  EXPECT_EQ(bad_note.status, 400U);
  EXPECT_NE(bad_note.body.find("note"), std::string::npos);
  auto bad_id = send("POST", "/api/v1/calls/x1/park", "sup-a");
  EXPECT_EQ(bad_id.status, 400U);
  EXPECT_NE(bad_id.body.find("call id"), std::string::npos);
  auto no_target = send("POST", "/api/v1/slots/701/send", "sup-a", "{}");
  EXPECT_EQ(no_target.status, 400U);
  EXPECT_NE(no_target.body.find("extension"), std::string::npos);
  auto no_own_phone = send("POST", "/api/v1/slots/701/retrieve", "admin-b", "{}");
  EXPECT_EQ(no_own_phone.status, 400U);
  EXPECT_TRUE(actions_.asked.empty()) << "nothing reaches the calls";
}

TEST_F(ActionRoutesTest, RetrieveGoesToTheTokensOwnPhoneAndAnAgentCannotSendElsewhere) {
  auto r = send("POST", "/api/v1/slots/701/retrieve", "sup-a");
  ASSERT_EQ(r.status, 202U) << r.body;
  EXPECT_EQ(actions_.asked.back(), "pick-up a.example 701 to 102");
  ASSERT_EQ(send("POST", "/api/v1/slots/%2A88101/retrieve", "agent-a").status, 202U);
  EXPECT_EQ(actions_.asked.back(), "pick-up a.example *88101 to 101") << "percent-decoded";
  EXPECT_EQ(send("POST", "/api/v1/slots/701/retrieve", "agent-a", R"({"extension":"103"})").status,
            403U);
  EXPECT_EQ(send("POST", "/api/v1/slots/701/send", "agent-a", R"({"extension":"103"})").status,
            403U)
      << "send is for supervisors";
  ASSERT_EQ(send("POST", "/api/v1/slots/701/send", "sup-a", R"({"extension":"103"})").status,
            202U);
  EXPECT_EQ(actions_.asked.back(), "pick-up a.example 701 to 103");
}

TEST_F(ActionRoutesTest, RefusalsOfTheCallsMapToStatuses) {
  const std::pair<pbx::ActionErrorCode, unsigned> cases[] = {
      {pbx::ActionErrorCode::invalid, 400U},   {pbx::ActionErrorCode::forbidden, 403U},
      {pbx::ActionErrorCode::not_found, 404U}, {pbx::ActionErrorCode::conflict, 409U},
      {pbx::ActionErrorCode::unavailable, 503U}};
  for (const auto& [code, status] : cases) {
    actions_.next_error = pbx::ActionError{code, "slot 701 is being taken"};
    auto r = send("POST", "/api/v1/slots/701/retrieve", "sup-a");
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(json::parse(r.body)["error"], "slot 701 is being taken");
  }
}

TEST_F(ActionRoutesTest, HangUpIs204AndWrongMethodsAre405) {
  EXPECT_EQ(send("DELETE", "/api/v1/calls/9", "sup-a").status, 204U);
  EXPECT_EQ(actions_.asked.back(), "hang-up a.example 9");
  auto wrong = send("GET", "/api/v1/calls/9/park", "sup-a");
  EXPECT_EQ(wrong.status, 405U);
  EXPECT_EQ(wrong.allow, "POST");
  EXPECT_EQ(send("POST", "/api/v1/calls/9", "sup-a").status, 405U);
  EXPECT_EQ(send("DELETE", "/api/v1/calls/9", "").status, 401U);
}

TEST_F(ActionRoutesTest, WithoutActionsTheActRoutesAre503) {
  Router read_only(tokens_, source_);
  auto r = read_only.handle(ApiRequest{"POST", "/api/v1/calls/1/park", "Bearer sup-a", false, {}});
  EXPECT_EQ(r.status, 503U);
}

}  // namespace
}  // namespace orbit::api::test
