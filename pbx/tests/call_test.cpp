// Calls through the B2BUA on simulated time: trunk and user callers, parallel ringing, failures,
// CANCEL, BYE, hold with music and blind transfer, as the phones would see them.
#include <gtest/gtest.h>

#include "pbx/tests/call_harness.hpp"
#include "sip/digest.hpp"

namespace orbit::pbx::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::uint16_t kTrunkPort = 5060;
const sip::Endpoint kTrunk = udp("127.0.0.2", kTrunkPort);

std::string trunk_invite(std::string_view dialed, std::string_view sdp, int n = 1) {
  return sip::MessageBuilder::request("INVITE", fmt::format("sip:{}@127.0.0.1", dialed))
      .header("Via", fmt::format("SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bKtrunk{};rport", n))
      .header("Max-Forwards", "70")
      .header("From", "\"Dupont\" <sip:+33123456789@127.0.0.2>;tag=trunk")
      .header("To", fmt::format("<sip:{}@127.0.0.1>", dialed))
      .header("Call-ID", fmt::format("trunk-call-{}", n))
      .header("CSeq", "1 INVITE")
      .header("Contact", "<sip:+33123456789@127.0.0.2:5060>")
      .body("application/sdp", sdp)
      .build();
}

class CallTest : public CallHarness {
 protected:
  // The trunk calls 100; returns Orbit's INVITE to 100's phone.
  sip::Message trunk_calls_100() {
    register_phone("100", 5070);
    feed(trunk_invite("100", sdp_body("127.0.0.2", 40000, "8 0 101")), kTrunk);
    EXPECT_TRUE(take(kTrunkPort, "SIP/2.0 100"));
    auto invite = take(5070, "INVITE sip:100@127.0.0.1:5070");
    EXPECT_TRUE(invite);
    return std::move(*invite);
  }

  // ... and 100 answers: returns (Orbit's 200 to the trunk, 100's 200 to Orbit).
  std::pair<sip::Message, sip::Message> answered_call() {
    auto invite = trunk_calls_100();
    feed(answer(invite, 180, "p100"), udp("127.0.0.1", 5070));
    EXPECT_TRUE(take(kTrunkPort, "SIP/2.0 180"));
    auto ok_text = answer(invite, 200, "p100", "5070", sdp_body("127.0.0.1", 30000, "0 101"));
    feed(ok_text, udp("127.0.0.1", 5070));
    EXPECT_TRUE(take(5070, "ACK"));
    auto ok = take(kTrunkPort, "SIP/2.0 200");
    EXPECT_TRUE(ok);
    feed(in_dialog("ACK", *ok, true, 1, 5060), kTrunk);
    return {std::move(*ok), std::move(*sip::Message::parse(ok_text))};
  }
};

TEST_F(CallTest, TrunkCallRingsTheExtensionAndConnectsMedia) {
  auto [to_trunk, from_phone] = answered_call();
  // The caller's SDP is Orbit's: media is anchored.
  EXPECT_NE(to_trunk.body().find("c=IN IP4 127.0.0.1"), std::string_view::npos);
  EXPECT_NE(to_trunk.body().find("RTP/AVP 8 101"), std::string_view::npos)
      << "answers with the caller's preferred codec: " << to_trunk.body();
  ASSERT_EQ(media_.open.size(), 2u);
  auto a = *media_.open.begin();
  auto b = *media_.open.rbegin();
  EXPECT_EQ(media_.hears[a], fmt::format("leg {}", b));
  EXPECT_EQ(media_.remotes[a].codec, media::Codec::Pcma);
  EXPECT_EQ(media_.remotes[b].codec, media::Codec::Pcmu);
  EXPECT_EQ(media_.remotes[a].address, "127.0.0.2");
  EXPECT_EQ(service_->active_calls(), 1u);
}

TEST_F(CallTest, CallerIdentityReachesTheCallee) {
  auto invite = trunk_calls_100();
  EXPECT_EQ(invite.from().display_text(), "Dupont");
  EXPECT_EQ(invite.from().uri.user, "+33123456789");
}

TEST_F(CallTest, ByeFromEitherSideEndsBothLegs) {
  auto [to_trunk, from_phone] = answered_call();
  feed(in_dialog("BYE", to_trunk, true, 2, 5060), kTrunk);
  EXPECT_TRUE(take(kTrunkPort, "SIP/2.0 200"));
  auto bye = take(5070, "BYE");
  ASSERT_TRUE(bye);
  EXPECT_EQ(bye->call_id(), from_phone.call_id());
  EXPECT_TRUE(media_.open.empty());
  EXPECT_EQ(service_->active_calls(), 0u);
}

TEST_F(CallTest, ByeFromTheCallee) {
  auto [to_trunk, from_phone] = answered_call();
  feed(in_dialog("BYE", from_phone, false, 5, 5070), udp("127.0.0.1", 5070));
  EXPECT_TRUE(take(5070, "SIP/2.0 200"));
  auto bye = take(kTrunkPort, "BYE sip:+33123456789@127.0.0.2:5060");
  ASSERT_TRUE(bye);
  EXPECT_TRUE(media_.open.empty());
}

TEST_F(CallTest, TrunkNumberThatIsNoExtensionReachesTheTrunkDestination) {
  register_phone("100", 5070);
  feed(trunk_invite("999", sdp_body("127.0.0.2", 40000)), kTrunk);
  EXPECT_TRUE(take(5070, "INVITE sip:100@")) << "a trunk number that is no extension goes to "
                                                "the trunk's destination";
}

TEST_F(CallTest, NotRegisteredIs480WithAReason) {
  feed(trunk_invite("101", sdp_body("127.0.0.2", 40000)), kTrunk);
  auto r = take(kTrunkPort, "SIP/2.0 480");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reason(), "Extension 101 is not registered");
  EXPECT_TRUE(media_.open.empty());
}

TEST_F(CallTest, NoCommonCodecIs488) {
  register_phone("100", 5070);
  feed(trunk_invite("100", sdp_body("127.0.0.2", 40000, "18")), kTrunk);
  auto r = take(kTrunkPort, "SIP/2.0 488");
  ASSERT_TRUE(r);
  EXPECT_NE(r->reason().find("codec"), std::string_view::npos);
}

TEST_F(CallTest, BusyCalleeGives486) {
  auto invite = trunk_calls_100();
  feed(answer(invite, 486, "p100"), udp("127.0.0.1", 5070));
  EXPECT_TRUE(take(5070, "ACK"));  // the client transaction ACKs the failure
  auto r = take(kTrunkPort, "SIP/2.0 486");
  ASSERT_TRUE(r);
  EXPECT_TRUE(media_.open.empty());
}

TEST_F(CallTest, EveryContactRingsAndTheFirstAnswerWins) {
  register_phone("100", 5070);
  register_phone("100", 5071);
  feed(trunk_invite("100", sdp_body("127.0.0.2", 40000)), kTrunk);
  auto first = take(5070, "INVITE");
  auto second = take(5071, "INVITE");
  ASSERT_TRUE(first && second);
  feed(answer(*first, 180, "x"), udp("127.0.0.1", 5070));
  feed(answer(*second, 180, "y"), udp("127.0.0.1", 5071));
  EXPECT_EQ(count(kTrunkPort, "SIP/2.0 180"), 1u) << "one ringing for the caller";
  feed(answer(*second, 200, "y", "5071", sdp_body("127.0.0.1", 30002)), udp("127.0.0.1", 5071));
  EXPECT_TRUE(take(kTrunkPort, "SIP/2.0 200"));
  auto cancel = take(5070, "CANCEL");
  ASSERT_TRUE(cancel) << "the other contact stops ringing";
  EXPECT_EQ(cancel->top_via().branch(), first->top_via().branch());
}

TEST_F(CallTest, CallerCancelsWhileRinging) {
  auto invite = trunk_calls_100();
  feed(answer(invite, 180, "p100"), udp("127.0.0.1", 5070));
  auto cancel = sip::MessageBuilder::request("CANCEL", "sip:100@127.0.0.1")
                    .header("Via", "SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bKtrunk1;rport")
                    .header("Max-Forwards", "70")
                    .header("From", "\"Dupont\" <sip:+33123456789@127.0.0.2>;tag=trunk")
                    .header("To", "<sip:100@127.0.0.1>")
                    .header("Call-ID", "trunk-call-1")
                    .header("CSeq", "1 CANCEL")
                    .build();
  feed(cancel, kTrunk);
  EXPECT_TRUE(take(kTrunkPort, "SIP/2.0 200"));
  EXPECT_TRUE(take(kTrunkPort, "SIP/2.0 487"));
  EXPECT_TRUE(take(5070, "CANCEL"));
  EXPECT_TRUE(media_.open.empty());
}

TEST_F(CallTest, NoAnswerWithinTheRingTimeIs408) {
  auto invite = trunk_calls_100();
  feed(answer(invite, 180, "p100"), udp("127.0.0.1", 5070));
  advance(29s);
  EXPECT_EQ(count(kTrunkPort, "SIP/2.0 408"), 0u);
  advance(1s);
  auto r = take(kTrunkPort, "SIP/2.0 408");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reason(), "No answer from 100");
  EXPECT_TRUE(take(5070, "CANCEL"));
}

TEST_F(CallTest, HoldPlaysMusicToTheOtherPartyAndResumeReconnects) {
  auto [to_trunk, from_phone] = answered_call();
  auto a = *media_.open.begin();
  auto b = *media_.open.rbegin();
  feed(in_dialog("INVITE", from_phone, false, 6, 5070, {},
                 sdp_body("127.0.0.1", 30000, "0 101", "sendonly")),
       udp("127.0.0.1", 5070));
  auto ok = take(5070, "SIP/2.0 200");
  ASSERT_TRUE(ok);
  EXPECT_NE(ok->body().find("a=recvonly"), std::string_view::npos) << ok->body();
  EXPECT_EQ(media_.hears[a], "music default") << "the caller hears music while held";
  feed(in_dialog("INVITE", from_phone, false, 7, 5070, {}, sdp_body("127.0.0.1", 30000, "0 101")),
       udp("127.0.0.1", 5070));
  ok = take(5070, "SIP/2.0 200");
  ASSERT_TRUE(ok);
  EXPECT_NE(ok->body().find("a=sendrecv"), std::string_view::npos);
  EXPECT_EQ(media_.hears[a], fmt::format("leg {}", b));
}

TEST_F(CallTest, BlindTransferConnectsTheTransfereeToTheTarget) {
  auto [to_trunk, from_phone] = answered_call();
  register_phone("101", 5071);
  auto a = *media_.open.begin();
  feed(in_dialog("REFER", from_phone, false, 8, 5070, "Refer-To: <sip:101@127.0.0.1>\r\n"),
       udp("127.0.0.1", 5070));
  EXPECT_TRUE(take(5070, "SIP/2.0 202"));
  auto trying = take(5070, "NOTIFY");
  ASSERT_TRUE(trying);
  EXPECT_NE(trying->body().find("SIP/2.0 100"), std::string_view::npos);
  EXPECT_EQ(media_.hears[a], "music default") << "the transferee waits with music";
  auto invite = take(5071, "INVITE sip:101@127.0.0.1:5071");
  ASSERT_TRUE(invite);
  EXPECT_EQ(invite->from().display_text(), "Dupont") << "the target sees who is transferred";
  feed(answer(*invite, 200, "p101", "5071", sdp_body("127.0.0.1", 30004)), udp("127.0.0.1", 5071));
  EXPECT_TRUE(take(5071, "ACK"));
  auto done = take(5070, "NOTIFY");
  ASSERT_TRUE(done);
  EXPECT_NE(done->body().find("SIP/2.0 200"), std::string_view::npos);
  EXPECT_NE(done->header("Subscription-State")->find("terminated"), std::string_view::npos);
  EXPECT_TRUE(take(5070, "BYE")) << "the transferor's leg is released";
  auto c = *media_.open.rbegin();
  EXPECT_EQ(media_.hears[a], fmt::format("leg {}", c));
  EXPECT_EQ(media_.open.size(), 2u);
}

TEST_F(CallTest, FailedTransferLeavesTheCallWithTheTransferor) {
  auto [to_trunk, from_phone] = answered_call();
  register_phone("101", 5071);
  auto a = *media_.open.begin();
  auto b = *media_.open.rbegin();
  feed(in_dialog("REFER", from_phone, false, 8, 5070, "Refer-To: <sip:101@127.0.0.1>\r\n"),
       udp("127.0.0.1", 5070));
  auto invite = take(5071, "INVITE");
  ASSERT_TRUE(invite);
  feed(answer(*invite, 486, "p101"), udp("127.0.0.1", 5071));
  take(5070, "NOTIFY");  // 100 Trying
  auto failed = take(5070, "NOTIFY");
  ASSERT_TRUE(failed);
  EXPECT_NE(failed->body().find("SIP/2.0 486"), std::string_view::npos);
  EXPECT_EQ(count(5070, "BYE"), 0u);
  EXPECT_EQ(media_.hears[a], fmt::format("leg {}", b));
  EXPECT_EQ(service_->active_calls(), 1u);
}

TEST_F(CallTest, UserCallNeedsProxyAuthentication) {
  register_phone("101", 5071);
  feed(user_invite("100", 5070, "101", "user-call", 1), udp("127.0.0.1", 5070));
  ASSERT_TRUE(take(5070, "SIP/2.0 407")) << "no call without credentials";
  EXPECT_EQ(count(5071, "INVITE"), 0u);
  user_calls("100", 5070, "101", "user-call-2");
  auto ringing = take(5071, "INVITE sip:101@127.0.0.1:5071");
  ASSERT_TRUE(ringing);
  EXPECT_EQ(ringing->from().display_text(), "User 100");
}

TEST_F(CallTest, UserDiallingAnUnknownExtensionGets404) {
  user_calls("100", 5070, "999", "user-call");
  auto r = take(5070, "SIP/2.0 404");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reason(), "Unknown extension 999");
}

TEST_F(CallTest, WrongPasswordForACallIsRefused) {
  user_calls("100", 5070, "101", "user-call", 30000, "not-the-password");
  EXPECT_TRUE(take(5070, "SIP/2.0 403"));
}

}  // namespace
}  // namespace orbit::pbx::testing

namespace orbit::pbx::testing {
namespace {

TEST_F(CallTest, APartyThatHoldsIsNotExpectedToSendAndGetsNothing) {
  auto [to_trunk, from_phone] = answered_call();
  auto b = *media_.open.rbegin();
  EXPECT_TRUE(media_.remotes[b].sends);
  feed(in_dialog("INVITE", from_phone, false, 6, 5070, {},
                 sdp_body("127.0.0.1", 30000, "0 101", "sendonly")),
       udp("127.0.0.1", 5070));
  EXPECT_FALSE(media_.remotes[b].sends) << "no media timeout for a party on hold";
  EXPECT_FALSE(media_.remotes[b].receives) << "no RTP to a party that said sendonly";
}

TEST_F(CallTest, MediaTimeoutHangsUpBothParties) {
  auto [to_trunk, from_phone] = answered_call();
  auto b = *media_.open.rbegin();
  service_->on_media_event(media::MediaTimeout{b}, now_, wall_);
  collect();
  EXPECT_TRUE(take(kTrunkPort, "BYE"));
  EXPECT_TRUE(take(5070, "BYE")) << "the silent party is told too";
  EXPECT_EQ(service_->active_calls(), 0u);
}

TEST_F(CallTest, CrossingByeAfterTransferIsAnswered200) {
  auto [to_trunk, from_phone] = answered_call();
  register_phone("101", 5071);
  feed(in_dialog("REFER", from_phone, false, 8, 5070, "Refer-To: <sip:101@127.0.0.1>\r\n"),
       udp("127.0.0.1", 5070));
  auto invite = take(5071, "INVITE");
  ASSERT_TRUE(invite);
  feed(answer(*invite, 200, "p101", "5071", sdp_body("127.0.0.1", 30004)),
       udp("127.0.0.1", 5071));
  EXPECT_TRUE(take(5070, "BYE"));
  // The transferor hangs up on its own at the same time.
  feed(in_dialog("BYE", from_phone, false, 9, 5070), udp("127.0.0.1", 5070));
  auto r = take(5070, "SIP/2.0");
  while (r && r->status() != 200 && r->status() != 481) r = take(5070, "SIP/2.0");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->cseq().method, "BYE");
  EXPECT_EQ(r->status(), 200);
}

}  // namespace
}  // namespace orbit::pbx::testing

namespace orbit::pbx::testing {
namespace {

TEST_F(CallTest, BeyondMaxCallsNewCallsAreShedAndHeldCallsKept) {
  start(1);
  register_phone("100", 5070);
  feed(trunk_invite("100", sdp_body("127.0.0.2", 40000), 1), kTrunk);
  ASSERT_TRUE(take(5070, "INVITE"));
  feed(trunk_invite("100", sdp_body("127.0.0.2", 40002), 2), kTrunk);
  auto r = take(kTrunkPort, "SIP/2.0 503");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reason(), "Orbit is at capacity");
  EXPECT_EQ(r->header("Retry-After"), "5");
  EXPECT_EQ(service_->active_calls(), 1u) << "the call held is untouched";
}

TEST_F(CallTest, NoMediaPortLeftShedsTheCallWith503AndRetryAfter) {
  register_phone("100", 5070);
  media_.exhausted = true;
  feed(trunk_invite("100", sdp_body("127.0.0.2", 40000)), kTrunk);
  auto r = take(kTrunkPort, "SIP/2.0 503");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("Retry-After"), "5");
}

}  // namespace
}  // namespace orbit::pbx::testing

namespace orbit::pbx::testing {
namespace {

TEST_F(CallTest, NoCancelBeforeAProvisionalResponseThenOneWhenItComes) {
  register_phone("100", 5070);
  register_phone("100", 5071);
  feed(trunk_invite("100", sdp_body("127.0.0.2", 40000)), kTrunk);
  auto a = take(5070, "INVITE");
  auto b = take(5071, "INVITE");
  ASSERT_TRUE(a && b);
  feed(answer(*a, 200, "a", "5070", sdp_body("127.0.0.1", 30000)), udp("127.0.0.1", 5070));
  EXPECT_EQ(count(5071, "CANCEL"), 0u) << "RFC 3261 9.1: not before a provisional response";
  feed(answer(*b, 180, "b"), udp("127.0.0.1", 5071));
  EXPECT_TRUE(take(5071, "CANCEL"));
}

TEST_F(CallTest, A200CrossingTheCancelIsAckedAndHungUp) {
  register_phone("100", 5070);
  register_phone("100", 5071);
  feed(trunk_invite("100", sdp_body("127.0.0.2", 40000)), kTrunk);
  auto a = take(5070, "INVITE");
  auto b = take(5071, "INVITE");
  ASSERT_TRUE(a && b);
  feed(answer(*b, 180, "b"), udp("127.0.0.1", 5071));
  feed(answer(*a, 200, "a", "5070", sdp_body("127.0.0.1", 30000)), udp("127.0.0.1", 5070));
  ASSERT_TRUE(take(5071, "CANCEL"));
  // b answered at the same moment.
  feed(answer(*b, 200, "b", "5071", sdp_body("127.0.0.1", 30002)), udp("127.0.0.1", 5071));
  EXPECT_TRUE(take(5071, "ACK"));
  EXPECT_TRUE(take(5071, "BYE")) << "a phone left in a call without audio would be worse";
  EXPECT_EQ(service_->active_calls(), 1u);
}

}  // namespace
}  // namespace orbit::pbx::testing
