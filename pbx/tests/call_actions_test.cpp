// The web console's actions on simulated time: park a call (for a colleague, with a note),
// have a parked call picked up by an extension, hang up; who may, and every refusal.
#include <gtest/gtest.h>

#include "pbx/tests/park_harness.hpp"

namespace orbit::pbx::testing {
namespace {

const Actor kSupervisor{"demo.orbit", "102", false};

class ActionsTest : public ParkHarness {
 protected:
  void SetUp() override {
    service_->subscribe([this](const SupervisionEvent& e) { events_.push_back(e); });
  }
  std::uint64_t only_call() {
    auto calls = service_->calls("demo.orbit");
    EXPECT_EQ(calls.size(), 1u);
    return calls.empty() ? 0 : calls[0].id;
  }
  std::expected<ParkOutcome, ActionError> park(const Actor& actor, std::uint64_t id,
                                               std::optional<std::string> for_user = {},
                                               std::optional<std::string> note = {}) {
    auto r = service_->park_call(actor, id, std::move(for_user), std::move(note));
    collect();
    return r;
  }
  std::expected<PickUpOutcome, ActionError> pick_up(const Actor& actor, std::string slot,
                                                    std::string extension) {
    auto r = service_->pick_up(actor, slot, extension);
    collect();
    return r;
  }
  const SupervisionEvent* event(std::string_view type) const {
    for (const auto& e : events_) {
      if (e.type == type) return &e;
    }
    return nullptr;
  }
  std::vector<SupervisionEvent> events_;
};

TEST_F(ActionsTest, ASupervisorParksTheCallerForAColleagueWithANote) {
  caller_talks_to_reception();
  auto parked = park(kSupervisor, only_call(), "101", "Dupont, HR question");
  ASSERT_TRUE(parked) << parked.error().message;
  EXPECT_EQ(parked->slot, "701");
  EXPECT_EQ(parked->lot, "main");
  EXPECT_TRUE(take(5070, "BYE")) << "reception is released as after a transfer to 700";
  EXPECT_EQ(media_.hears[caller_media_], "music default");
  auto to_parker = take(5070, "MESSAGE");
  ASSERT_TRUE(to_parker);
  EXPECT_EQ(to_parker->body(), "Parked on 701: +33123456789 Dupont — dial 701");
  const auto* e = event("parked");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->for_user, "101");
  EXPECT_EQ(e->parker, "100");
  EXPECT_EQ(e->note, "Dupont, HR question");
}

TEST_F(ActionsTest, TheColleagueAParkIsForGetsAMessage) {
  register_phone("101", 5071);
  caller_talks_to_reception();
  ASSERT_TRUE(park(kSupervisor, only_call(), "101", std::nullopt));
  auto message = take(5071, "MESSAGE");
  ASSERT_TRUE(message);
  EXPECT_EQ(message->body(), "A call is parked for you by 100 on 701: +33123456789 Dupont — dial 701");
}

TEST_F(ActionsTest, AnAgentParksItsOwnCallOnlyAndIsReleased) {
  caller_talks_to_reception();
  auto id = only_call();
  auto foreign = park(Actor{"demo.orbit", "101", true}, id);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ActionErrorCode::forbidden);
  EXPECT_EQ(service_->parking().parked_count(), 0u) << "the call is untouched";
  auto own = park(Actor{"demo.orbit", "100", true}, id);
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_TRUE(take(5070, "BYE")) << "the agent's own phone is released";
  EXPECT_FALSE(take(5060, "BYE")) << "the caller stays, parked";
}

TEST_F(ActionsTest, UnknownCallsOtherTenantsAndParkedCallsAreRefused) {
  caller_talks_to_reception();
  auto id = only_call();
  EXPECT_EQ(park(kSupervisor, 9999).error().code, ActionErrorCode::not_found);
  EXPECT_EQ(park(Actor{"other.tenant", std::nullopt, false}, id).error().code,
            ActionErrorCode::not_found)
      << "another tenant's call is as if unknown";
  EXPECT_EQ(park(kSupervisor, id, "999").error().code, ActionErrorCode::invalid);
  ASSERT_TRUE(park(kSupervisor, id));
  EXPECT_EQ(park(kSupervisor, id).error().code, ActionErrorCode::conflict) << "already parked";
}

TEST_F(ActionsTest, PickUpRingsTheExtensionAndBridgesWhenItAnswers) {
  caller_talks_to_reception();
  reception_transfers_to("700");
  register_phone("102", 5072);
  auto picked = pick_up(kSupervisor, "701", "102");
  ASSERT_TRUE(picked) << picked.error().message;
  auto invite = take(5072, "INVITE");
  ASSERT_TRUE(invite);
  EXPECT_NE(invite->header(sip::HeaderId::From)->find("Parked 701: Dupont"), std::string_view::npos);
  EXPECT_EQ(service_->parking().parked_count(), 1u) << "parked until it answers";
  EXPECT_EQ(pick_up(kSupervisor, "701", "102").error().code, ActionErrorCode::conflict)
      << "a second pick-up while the first rings";
  feed(answer(*invite, 200, "sup", "5072", sdp_body("127.0.0.1", 30020)), udp("127.0.0.1", 5072));
  EXPECT_TRUE(take(5072, "ACK"));
  EXPECT_EQ(service_->parking().parked_count(), 0u);
  EXPECT_EQ(media_.hears[caller_media_].rfind("leg ", 0), 0u) << "the caller is bridged";
  const auto* retrieved = event("retrieved");
  ASSERT_TRUE(retrieved);
  EXPECT_EQ(retrieved->by, "102");
  EXPECT_EQ(service_->calls("demo.orbit")[0].state, "talking");
}

TEST_F(ActionsTest, AnUnansweredPickUpLeavesTheCallParkedWithItsMusic) {
  caller_talks_to_reception();
  reception_transfers_to("700");
  register_phone("102", 5072);
  ASSERT_TRUE(pick_up(kSupervisor, "701", "102"));
  auto invite = take(5072, "INVITE");
  ASSERT_TRUE(invite);
  feed(answer(*invite, 180, "sup", "5072"), udp("127.0.0.1", 5072));
  advance(31s);
  EXPECT_TRUE(take(5072, "CANCEL"));
  EXPECT_EQ(service_->parking().parked_count(), 1u);
  EXPECT_EQ(media_.hears[caller_media_], "music default");
  EXPECT_TRUE(pick_up(kSupervisor, "701", "102")) << "and it can be tried again";
}

TEST_F(ActionsTest, PickUpRefusals) {
  caller_talks_to_reception();
  reception_transfers_to("700");
  EXPECT_EQ(pick_up(kSupervisor, "702", "100").error().code, ActionErrorCode::not_found);
  EXPECT_EQ(pick_up(kSupervisor, "799", "100").error().code, ActionErrorCode::not_found);
  EXPECT_EQ(pick_up(kSupervisor, "701", "999").error().code, ActionErrorCode::invalid);
  EXPECT_EQ(pick_up(kSupervisor, "701", "103").error().code, ActionErrorCode::conflict)
      << "103 has no phone registered";
  EXPECT_EQ(pick_up(Actor{"other.tenant", std::nullopt, false}, "701", "100").error().code,
            ActionErrorCode::not_found);
}

TEST_F(ActionsTest, HangUpEndsBothPartiesAndAnAgentOnlyItsOwn) {
  caller_talks_to_reception();
  auto id = only_call();
  EXPECT_EQ(service_->hang_up(Actor{"demo.orbit", "101", true}, id).error().code,
            ActionErrorCode::forbidden);
  ASSERT_TRUE(service_->hang_up(kSupervisor, id));
  collect();
  EXPECT_TRUE(take(5060, "BYE"));
  EXPECT_TRUE(take(5070, "BYE"));
  EXPECT_EQ(service_->active_calls(), 0u);
  ASSERT_TRUE(event("call-ended"));
  EXPECT_EQ(service_->hang_up(kSupervisor, id).error().code, ActionErrorCode::not_found);
}

TEST_F(ActionsTest, HangingUpAPhoneThatHearsAnAnnouncementSendsItABye) {
  register_phone("101", 5071);
  user_calls("101", 5071, "705", "empty-slot", 30010);
  ASSERT_TRUE(take(5071, "SIP/2.0 200"));
  auto id = only_call();
  ASSERT_TRUE(service_->hang_up(kSupervisor, id));
  collect();
  EXPECT_TRUE(take(5071, "BYE"));
  EXPECT_EQ(service_->active_calls(), 0u);
}

}  // namespace
}  // namespace orbit::pbx::testing
