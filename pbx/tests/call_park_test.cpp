// Park over SIP on simulated time, as the receptionist and colleagues live it: park by transfer
// in every dialect, the slot told at once, retrieve, refusals with reasons, recall, abandon.
#include <gtest/gtest.h>

#include "pbx/tests/park_harness.hpp"

namespace orbit::pbx::testing {
namespace {

class ParkTest : public ParkHarness {};

TEST_F(ParkTest, TransferTo700ParksOn701AndTellsTheParkerAtOnce) {
  caller_talks_to_reception();
  reception_transfers_to("700");
  EXPECT_TRUE(take(5070, "SIP/2.0 202"));
  auto notify = take(5070, "NOTIFY");
  ASSERT_TRUE(notify);
  EXPECT_NE(notify->body().find("SIP/2.0 200"), std::string_view::npos);
  EXPECT_TRUE(take(5070, "BYE")) << "the parker is released";
  EXPECT_EQ(media_.hears[caller_media_], "music default") << "the caller hears music at once";
  auto message = take(5070, "MESSAGE");
  ASSERT_TRUE(message);
  EXPECT_EQ(message->body(), "Parked on 701: +33123456789 Dupont — dial 701");
  EXPECT_NE(service_->parking().occupant(park::TenantId("demo.orbit"), park::SlotNumber{701}),
            nullptr);
}

TEST_F(ParkTest, DiallingTheSlotRetrievesTheCallerWithItsIdentity) {
  caller_talks_to_reception();
  reception_transfers_to("700");
  register_phone("101", 5071);
  user_calls("101", 5071, "701", "retrieve-1", 30010);
  auto ok = take(5071, "SIP/2.0 200");
  ASSERT_TRUE(ok);
  EXPECT_NE(ok->header("P-Asserted-Identity")->find("Dupont"), std::string_view::npos);
  auto retriever = *media_.open.rbegin();
  EXPECT_EQ(media_.hears[caller_media_], fmt::format("leg {}", retriever));
  EXPECT_EQ(service_->parking().parked_count(), 0u);
}

TEST_F(ParkTest, DirectedParkAndTheWebexAndThreeCxDialects) {
  caller_talks_to_reception();
  reception_transfers_to("*03");
  EXPECT_TRUE(take(5070, "SIP/2.0 202"));
  EXPECT_NE(service_->parking().occupant(park::TenantId("demo.orbit"), park::SlotNumber{704}),
            nullptr)
      << "orbit 3 is the fourth slot of the first lot";
  register_phone("101", 5071);
  user_calls("101", 5071, "*13", "retrieve-13", 30010);
  EXPECT_TRUE(take(5071, "SIP/2.0 200"));
  EXPECT_EQ(service_->parking().parked_count(), 0u);
}

TEST_F(ParkTest, ParkAgainstAUserTellsThatUserAndStar88TakesItBack) {
  register_phone("101", 5071);
  caller_talks_to_reception();
  reception_transfers_to("*68101");
  EXPECT_TRUE(take(5070, "SIP/2.0 202"));
  auto to_101 = take(5071, "MESSAGE");
  ASSERT_TRUE(to_101) << "101 is told a call is parked for them";
  EXPECT_NE(to_101->body().find("dial *88101"), std::string_view::npos);
  user_calls("101", 5071, "*88101", "retrieve-88", 30010);
  EXPECT_TRUE(take(5071, "SIP/2.0 200"));
}

TEST_F(ParkTest, AUserWithoutPermissionIsRefused403WithAWarningAndKeepsTheCall) {
  register_phone("105", 5075);
  // 105 answers the caller this time.
  register_phone("100", 5070);
  caller_talks_to_reception();
  service_->locations().unbind_all({"demo.orbit", "100"});
  // Re-run with 105 as the callee: simplest is to call 105 directly from the trunk.
  sent_.clear();
  auto invite = sip::MessageBuilder::request("INVITE", "sip:105@127.0.0.1")
                    .header("Via", "SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bKeva;rport")
                    .header("Max-Forwards", "70")
                    .header("From", "<sip:+331@127.0.0.2>;tag=eva")
                    .header("To", "<sip:105@127.0.0.1>")
                    .header("Call-ID", "eva-call")
                    .header("CSeq", "1 INVITE")
                    .body("application/sdp", sdp_body("127.0.0.2", 40002))
                    .build();
  feed(invite, kTrunk);
  auto to_phone = take(5075, "INVITE");
  ASSERT_TRUE(to_phone);
  auto ok_text = answer(*to_phone, 200, "eva", "5075", sdp_body("127.0.0.1", 30050));
  feed(ok_text, udp("127.0.0.1", 5075));
  auto ok = sip::Message::parse(ok_text);
  feed(in_dialog("REFER", *ok, false, 3, 5075, "Refer-To: <sip:700@127.0.0.1>\r\n"),
       udp("127.0.0.1", 5075));
  auto refused = take(5075, "SIP/2.0 403");
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->header("Warning")->find("not allowed to park"), std::string_view::npos)
      << *refused->header("Warning");
  EXPECT_EQ(count(5075, "BYE"), 0u) << "a failed park leaves the call with the parker";
}

TEST_F(ParkTest, DirectedParkIntoAnOccupiedSlotIsRefused) {
  caller_talks_to_reception();
  reception_transfers_to("705");
  EXPECT_TRUE(take(5070, "SIP/2.0 202"));
  reception_dialog_.reset();
  // A second caller, parked on 705 too.
  sent_.clear();
  auto invite = sip::MessageBuilder::request("INVITE", "sip:100@127.0.0.1")
                    .header("Via", "SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bKsecond;rport")
                    .header("Max-Forwards", "70")
                    .header("From", "<sip:+332@127.0.0.2>;tag=second")
                    .header("To", "<sip:100@127.0.0.1>")
                    .header("Call-ID", "second-call")
                    .header("CSeq", "1 INVITE")
                    .body("application/sdp", sdp_body("127.0.0.2", 40004))
                    .build();
  feed(invite, kTrunk);
  auto to_phone = take(5070, "INVITE");
  ASSERT_TRUE(to_phone);
  auto ok_text = answer(*to_phone, 200, "rec2", "5070", sdp_body("127.0.0.1", 30002));
  feed(ok_text, udp("127.0.0.1", 5070));
  reception_dialog_ = std::move(*sip::Message::parse(ok_text));
  reception_transfers_to("705");
  auto refused = take(5070, "SIP/2.0 486");
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->reason().find("705"), std::string_view::npos) << refused->reason();
}

TEST_F(ParkTest, RetrievingAnEmptySlotPlaysAPromptThenHangsUpWithAReason) {
  register_phone("101", 5071);
  user_calls("101", 5071, "702", "empty-1", 30010);
  EXPECT_TRUE(take(5071, "SIP/2.0 200")) << "answered, so the prompt is heard";
  auto leg = *media_.open.rbegin();
  EXPECT_EQ(media_.hears[leg], "prompts pbx-invalidpark");
  service_->on_media_event(media::PromptsFinished{leg, 1}, now_, wall_);
  collect();
  auto bye = take(5071, "BYE");
  ASSERT_TRUE(bye);
  auto reason = bye->header("Reason");
  ASSERT_TRUE(reason);
  EXPECT_NE(reason->find("702"), std::string_view::npos) << *reason;
}

TEST_F(ParkTest, NobodyTakesItSoAfterSixtySecondsItRingsTheParker) {
  caller_talks_to_reception();
  reception_transfers_to("700");
  sent_.clear();
  advance(59s);
  EXPECT_EQ(count(5070, "INVITE"), 0u);
  advance(1s);
  auto recall = take(5070, "INVITE");
  ASSERT_TRUE(recall);
  EXPECT_EQ(recall->from().display_text(), "Parked 701: Dupont");
  EXPECT_TRUE(recall->header("Alert-Info"));
  EXPECT_EQ(media_.hears[caller_media_], "music default") << "music while it rings";
  feed(answer(*recall, 200, "back", "5070", sdp_body("127.0.0.1", 30020)),
       udp("127.0.0.1", 5070));
  auto parker = *media_.open.rbegin();
  EXPECT_EQ(media_.hears[caller_media_], fmt::format("leg {}", parker));
  EXPECT_EQ(service_->parking().parked_count(), 0u);
}

TEST_F(ParkTest, RecallUnansweredRingsTheFallbackThenGoesBackToItsSlot) {
  register_phone("102", 5072);
  caller_talks_to_reception();
  reception_transfers_to("700");
  sent_.clear();
  advance(60s);
  auto to_parker = take(5070, "INVITE");
  ASSERT_TRUE(to_parker);
  feed(answer(*to_parker, 180, "r100"), udp("127.0.0.1", 5070));
  advance(20s);
  EXPECT_TRUE(take(5070, "CANCEL")) << "the parker's phone stops ringing";
  auto to_fallback = take(5072, "INVITE");
  ASSERT_TRUE(to_fallback) << "then the fallback rings";
  feed(answer(*to_fallback, 180, "r102"), udp("127.0.0.1", 5072));
  advance(20s);
  EXPECT_TRUE(take(5072, "CANCEL"));
  const auto* parked =
      service_->parking().occupant(park::TenantId("demo.orbit"), park::SlotNumber{701});
  ASSERT_NE(parked, nullptr) << "Orbit never hangs up on a parked caller";
  EXPECT_TRUE(parked->escalated);
  EXPECT_EQ(media_.hears[caller_media_], "music default");
}

TEST_F(ParkTest, TheCallerHangingUpFreesTheSlot) {
  caller_talks_to_reception();
  reception_transfers_to("700");
  ASSERT_EQ(service_->parking().parked_count(), 1u);
  feed(in_dialog("BYE", *caller_dialog_, true, 2, 5060), kTrunk);
  EXPECT_TRUE(take(5060, "SIP/2.0 200"));
  EXPECT_EQ(service_->parking().parked_count(), 0u) << "abandoned: the slot is free";
  EXPECT_FALSE(media_.open.contains(caller_media_));
  EXPECT_EQ(service_->active_calls(), 0u);
}

TEST_F(ParkTest, AParkedCallerThatSendsNoMediaIsProbedAndKeptWhenItsPhoneAnswers) {
  caller_talks_to_reception();
  reception_transfers_to("700");
  sent_.clear();
  auto updates = media_.remote_updates[caller_media_];
  service_->on_media_event(media::MediaTimeout{caller_media_}, now_, wall_);
  collect();
  EXPECT_FALSE(take(5060, "BYE")) << "silence alone never loses a parked caller";
  auto probe = take(5060, "OPTIONS");
  ASSERT_TRUE(probe);
  feed(answer(*probe, 200, "dupont", "5060"), kTrunk);
  EXPECT_EQ(service_->parking().parked_count(), 1u);
  EXPECT_EQ(media_.remote_updates[caller_media_], updates + 2) << "the media timeout starts over";
  EXPECT_TRUE(media_.remotes[caller_media_].sends);
  EXPECT_EQ(media_.hears[caller_media_], "music default");
}

TEST_F(ParkTest, AParkedCallerWhosePhoneIsGoneIsHungUpAndTheSlotFreed) {
  caller_talks_to_reception();
  reception_transfers_to("700");
  sent_.clear();
  service_->on_media_event(media::MediaTimeout{caller_media_}, now_, wall_);
  collect();
  auto probe = take(5060, "OPTIONS");
  ASSERT_TRUE(probe);
  feed(answer(*probe, 481, "dupont", "5060"), kTrunk);
  EXPECT_EQ(service_->parking().parked_count(), 0u);
  EXPECT_EQ(service_->active_calls(), 0u);
}

TEST_F(ParkTest, AnUnansweredProbeEndsTheParkedCall) {
  caller_talks_to_reception();
  reception_transfers_to("700");
  service_->on_media_event(media::MediaTimeout{caller_media_}, now_, wall_);
  collect();
  ASSERT_TRUE(take(5060, "OPTIONS"));
  advance(33s);  // timer F: 64·T1 without an answer
  EXPECT_EQ(service_->parking().parked_count(), 0u);
  EXPECT_EQ(service_->active_calls(), 0u);
}

TEST_F(ParkTest, AtCapacityNewCallsAreShedButParkedCallsCanStillBeRetrieved) {
  start(1);
  caller_talks_to_reception();
  reception_transfers_to("700");
  ASSERT_EQ(service_->active_calls(), 1u);
  register_phone("101", 5071);
  user_calls("101", 5071, "100", "new-call", 30010);
  auto refused = take(5071, "SIP/2.0 503");
  ASSERT_TRUE(refused) << "a new call is shed";
  EXPECT_TRUE(refused->header("Retry-After"));
  user_calls("101", 5071, "701", "retrieve-at-capacity", 30012);
  EXPECT_TRUE(take(5071, "SIP/2.0 200")) << "a retrieve adds no call: the lot drains";
  EXPECT_EQ(service_->parking().parked_count(), 0u);
}

TEST_F(ParkTest, TwoColleaguesDial701AtOnceAndExactlyOneGetsTheCaller) {
  caller_talks_to_reception();
  reception_transfers_to("700");
  register_phone("101", 5071);
  register_phone("102", 5072);
  user_calls("101", 5071, "701", "race-101", 30010);
  user_calls("102", 5072, "701", "race-102", 30012);
  EXPECT_TRUE(take(5071, "SIP/2.0 200"));
  EXPECT_TRUE(take(5072, "SIP/2.0 200")) << "the loser is answered to hear why";
  auto loser = *media_.open.rbegin();
  EXPECT_EQ(media_.hears[loser], "prompts pbx-invalidpark");
}

TEST_F(ParkTest, SlotLampLightsWhenACallIsParkedAndGoesOutWhenItIsTaken) {
  register_phone("102", 5072);
  auto subscribe = [&](std::string_view extra, int n) {
    auto text = sip::MessageBuilder::request("SUBSCRIBE", "sip:701@127.0.0.1")
                    .header("Via", fmt::format("SIP/2.0/UDP 127.0.0.1:5072;branch=z9hG4bKsub{};rport", n))
                    .header("Max-Forwards", "70")
                    .header("From", "<sip:102@127.0.0.1>;tag=blf")
                    .header("To", "<sip:701@127.0.0.1>")
                    .header("Call-ID", "blf-701")
                    .header("CSeq", fmt::format("{} SUBSCRIBE", n))
                    .header("Contact", "<sip:102@127.0.0.1:5072>")
                    .header("Event", "dialog")
                    .header("Accept", "application/dialog-info+xml")
                    .header("Expires", "3600")
                    .build();
    if (!extra.empty()) text.insert(text.find("Content-Length:"), extra);
    return text;
  };
  feed(subscribe({}, 1), udp("127.0.0.1", 5072));
  auto challenge = take(5072, "SIP/2.0 401");
  ASSERT_TRUE(challenge);
  auto www = std::string(*challenge->header("WWW-Authenticate"));
  auto at = www.find("nonce=\"") + 7;
  sip::DigestCredentials c;
  c.username = "102";
  c.realm = "demo.orbit";
  c.nonce = www.substr(at, www.find('"', at) - at);
  c.uri = "sip:701@127.0.0.1";
  c.qop = "auth";
  c.cnonce = "x";
  c.nc = "00000001";
  c.response = *sip::compute_digest_response(
      c, "SUBSCRIBE",
      *sip::compute_digest_ha1(sip::DigestAlgorithm::Md5, "102", "demo.orbit", "secret102"));
  feed(subscribe(fmt::format("Authorization: Digest username=\"102\", realm=\"demo.orbit\", "
                             "nonce=\"{}\", uri=\"sip:701@127.0.0.1\", response=\"{}\", "
                             "qop=auth, cnonce=\"x\", nc=00000001\r\n",
                             c.nonce, c.response),
                 2),
       udp("127.0.0.1", 5072));
  EXPECT_TRUE(take(5072, "SIP/2.0 200"));
  auto first = take(5072, "NOTIFY");
  ASSERT_TRUE(first);
  EXPECT_NE(first->body().find("terminated"), std::string_view::npos) << "free: lamp off";
  caller_talks_to_reception();
  reception_transfers_to("700");
  auto lit = take(5072, "NOTIFY");
  ASSERT_TRUE(lit);
  EXPECT_NE(lit->body().find("confirmed"), std::string_view::npos) << lit->body();
  EXPECT_NE(lit->body().find("Dupont"), std::string_view::npos);
  register_phone("101", 5071);
  user_calls("101", 5071, "701", "take-701", 30010);
  auto off = take(5072, "NOTIFY");
  ASSERT_TRUE(off);
  EXPECT_NE(off->body().find("terminated"), std::string_view::npos);
}

TEST_F(ParkTest, TheSupervisorSeesTheParkedCallAndItsEvents) {
  std::vector<SupervisionEvent> events;
  service_->subscribe([&](const SupervisionEvent& e) { events.push_back(e); });
  caller_talks_to_reception();
  auto talking = service_->calls("demo.orbit");
  ASSERT_EQ(talking.size(), 1u);
  EXPECT_EQ(talking[0].state, "talking");
  reception_transfers_to("700");
  advance(12s);
  auto calls = service_->calls("demo.orbit");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].state, "parked");
  auto lots = service_->lots("demo.orbit");
  ASSERT_FALSE(lots.empty());
  EXPECT_EQ(lots[0].name, "main");
  ASSERT_EQ(lots[0].slots.size(), 20u);
  EXPECT_EQ(lots[0].slots[0].slot, "701");
  ASSERT_TRUE(lots[0].slots[0].caller);
  EXPECT_EQ(lots[0].slots[0].caller->display_name, "Dupont");
  EXPECT_EQ(lots[0].slots[0].waited, 12s);
  EXPECT_FALSE(lots[0].slots[1].call) << "702 is free";
  std::vector<std::string> types;
  for (const auto& e : events) types.push_back(e.type);
  EXPECT_EQ(types, (std::vector<std::string>{"call-ringing", "call-answered", "parked"}));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].caller->display_name, "Dupont");
  EXPECT_EQ(events[1].by, "100");
  EXPECT_EQ(events[2].slot, "701");
  EXPECT_EQ(events[2].parker, "100");
  EXPECT_TRUE(service_->calls("other.tenant").empty()) << "nothing leaks to another tenant";
}

TEST_F(ParkTest, KeysStar68HashParkTheCallAndReadTheSlotOut) {
  caller_talks_to_reception();
  auto reception = *media_.open.rbegin();
  for (char k : std::string_view("*68#")) {
    service_->on_media_event(media::DtmfDigit{reception, k}, now_, wall_);
  }
  collect();
  EXPECT_EQ(media_.hears[reception], "prompts digits/7 digits/0 digits/1")
      << "the parker hears the slot before being released";
  EXPECT_EQ(media_.hears[caller_media_], "music default");
  EXPECT_EQ(count(5070, "BYE"), 0u);
  // After the read-out, Orbit hangs up on the parker.
  for (auto token = 1; token < 10; ++token) {
    service_->on_media_event(media::PromptsFinished{reception, static_cast<std::uint64_t>(token)},
                             now_, wall_);
  }
  collect();
  EXPECT_TRUE(take(5070, "BYE"));
  EXPECT_EQ(service_->parking().parked_count(), 1u);
}

}  // namespace
}  // namespace orbit::pbx::testing
