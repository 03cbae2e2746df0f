// Client transactions on simulated time: retransmissions, timeouts, ACK of non-2xx, RFC 6026.
#include <gtest/gtest.h>

#include "sip/tests/transaction_test_support.hpp"

namespace orbit::sip::test {
namespace {

std::vector<std::int64_t> intervals(const std::vector<std::int64_t>& times) {
  std::vector<std::int64_t> out;
  std::int64_t last = 0;
  for (auto t : times) {
    out.push_back(t - last);
    last = t;
  }
  return out;
}

struct Sent {
  TransactionLayer layer;
  ClientTransactionId id;
};

Sent send(const RequestSpec& spec, const Endpoint& to = kPhoneUdp) {
  TransactionLayer layer;
  auto id = layer.send_request(request(spec), to, kStart);
  EXPECT_TRUE(id.has_value());
  auto first = layer.take_actions();
  EXPECT_EQ(only<Send>(first).size(), 1u);
  return {std::move(layer), *id};
}

TEST(ClientTransaction, OptionsOverUdpRetransmitsDoublingUpToT2ThenTimesOutAt64T1) {
  auto [layer, id] = send({.method = "OPTIONS"});
  auto timeline = run_until(layer, kStart + 60s);
  EXPECT_EQ(intervals(times_of<Send>(timeline)),
            (std::vector<std::int64_t>{500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000, 4000}));
  EXPECT_EQ(times_of<TransactionTimeout>(timeline), std::vector<std::int64_t>{32000});
  EXPECT_EQ(std::get<TransactionTimeout>(timeline.back().action).id, id);
  EXPECT_EQ(layer.client_count(), 0u);
  EXPECT_FALSE(layer.next_deadline());
}

TEST(ClientTransaction, InviteOverUdpRetransmitsDoublingWithoutCapThenTimesOutAt64T1) {
  auto [layer, id] = send({.method = "INVITE"});
  auto timeline = run_until(layer, kStart + 60s);
  EXPECT_EQ(times_of<Send>(timeline),
            (std::vector<std::int64_t>{500, 1500, 3500, 7500, 15500, 31500}));
  EXPECT_EQ(times_of<TransactionTimeout>(timeline), std::vector<std::int64_t>{32000});
  EXPECT_EQ(layer.client_count(), 0u);
}

TEST(ClientTransaction, RetransmissionsAreTheRequestBytesToTheSamePeer) {
  auto spec = RequestSpec{.method = "INVITE"};
  auto [layer, id] = send(spec);
  auto timeline = run_until(layer, kStart + 1s);
  ASSERT_EQ(timeline.size(), 1u);
  const auto& resent = std::get<Send>(timeline[0].action);
  EXPECT_EQ(resent.bytes, request_bytes(spec));
  EXPECT_EQ(resent.to, kPhoneUdp);
}

TEST(ClientTransaction, NothingIsRetransmittedOverTcpButTheTimeoutStays) {
  auto [invite_layer, invite] = send({.method = "INVITE"}, kPhoneTcp);
  auto [options_layer, options] = send({.method = "OPTIONS"}, kPhoneTcp);
  auto invite_timeline = run_until(invite_layer, kStart + 60s);
  auto options_timeline = run_until(options_layer, kStart + 60s);
  EXPECT_TRUE(times_of<Send>(invite_timeline).empty());
  EXPECT_TRUE(times_of<Send>(options_timeline).empty());
  EXPECT_EQ(times_of<TransactionTimeout>(invite_timeline), std::vector<std::int64_t>{32000});
  EXPECT_EQ(times_of<TransactionTimeout>(options_timeline), std::vector<std::int64_t>{32000});
}

TEST(ClientTransaction, NonInviteAfterAProvisionalRetransmitsEveryT2) {
  auto spec = RequestSpec{.method = "REGISTER"};
  auto [layer, id] = send(spec);
  layer.on_message(response(spec, 100), kPhoneUdp, kStart + 200ms);
  EXPECT_EQ(count<ResponseReceived>(layer.take_actions()), 1u);
  EXPECT_EQ(layer.state(id), ClientState::Proceeding);
  auto timeline = run_until(layer, kStart + 60s);
  EXPECT_EQ(times_of<Send>(timeline),
            (std::vector<std::int64_t>{500, 4500, 8500, 12500, 16500, 20500, 24500, 28500}));
  EXPECT_EQ(times_of<TransactionTimeout>(timeline), std::vector<std::int64_t>{32000});
}

TEST(ClientTransaction, NonInviteFinalResponseGoesUpOnceThenTimerKEndsIt) {
  auto spec = RequestSpec{.method = "REGISTER"};
  auto [layer, id] = send(spec);
  layer.on_message(response(spec, 200), kPhoneUdp, kStart + 300ms);
  auto up = layer.take_actions();
  ASSERT_EQ(only<ResponseReceived>(up).size(), 1u);
  EXPECT_EQ(only<ResponseReceived>(up)[0]->id, id);
  EXPECT_EQ(layer.state(id), ClientState::Completed);

  layer.on_message(response(spec, 200), kPhoneUdp, kStart + 1s);  // retransmitted 200
  EXPECT_TRUE(layer.take_actions().empty());
  EXPECT_EQ(layer.next_deadline(), kStart + 300ms + 5s);  // Timer K = T4
  auto timeline = run_until(layer, kStart + 60s);
  EXPECT_TRUE(timeline.empty());
  EXPECT_EQ(layer.client_count(), 0u);
}

TEST(ClientTransaction, NonInviteOverTcpEndsAtTheFinalResponse) {
  auto spec = RequestSpec{.method = "REGISTER", .transport = "TCP"};
  auto [layer, id] = send(spec, kPhoneTcp);
  layer.on_message(response(spec, 200), kPhoneTcp, kStart + 300ms);
  EXPECT_EQ(count<ResponseReceived>(layer.take_actions()), 1u);
  EXPECT_EQ(layer.client_count(), 0u);  // Timer K = 0
}

TEST(ClientTransaction, InviteProvisionalStopsRetransmissionsAndTimerB) {
  auto spec = RequestSpec{.method = "INVITE"};
  auto [layer, id] = send(spec);
  layer.on_message(response(spec, 180), kPhoneUdp, kStart + 200ms);
  EXPECT_EQ(count<ResponseReceived>(layer.take_actions()), 1u);
  EXPECT_EQ(layer.state(id), ClientState::Proceeding);
  EXPECT_FALSE(layer.next_deadline());  // the TU ends the wait with a CANCEL
}

TEST(ClientTransaction, InviteBusyIsAcknowledgedByTheTransactionItself) {
  auto spec = RequestSpec{
      .method = "INVITE", .cseq = 7, .extra_headers = "Route: <sip:proxy.example;lr>\r\n"};
  auto [layer, id] = send(spec);
  layer.on_message(response(spec, 486, "callee-9"), kPhoneUdp, kStart + 1s);
  auto actions = layer.take_actions();
  ASSERT_EQ(only<ResponseReceived>(actions).size(), 1u);
  EXPECT_EQ(only<ResponseReceived>(actions)[0]->response.status(), 486);
  ASSERT_EQ(only<Send>(actions).size(), 1u);
  EXPECT_EQ(only<Send>(actions)[0]->to, kPhoneUdp);

  auto ack = parse(only<Send>(actions)[0]->bytes);
  EXPECT_EQ(ack.method(), "ACK");
  EXPECT_EQ(ack.request_uri().raw, "sip:700@orbit.example");
  EXPECT_EQ(ack.top_via().branch(), "z9hG4bK-1");  // same branch as the INVITE
  EXPECT_EQ(ack.header_values(HeaderId::Via).size(), 1u);
  EXPECT_EQ(ack.cseq().number, 7u);
  EXPECT_EQ(ack.cseq().method, "ACK");
  EXPECT_EQ(ack.to().tag(), "callee-9");
  EXPECT_EQ(ack.from().tag(), "from-1");
  EXPECT_EQ(ack.call_id(), "call-1@192.0.2.10");
  EXPECT_EQ(ack.header(HeaderId::Route), "<sip:proxy.example;lr>");
  EXPECT_EQ(layer.state(id), ClientState::Completed);
}

TEST(ClientTransaction, InviteRetransmittedFinalResponseIsAcknowledgedAgainNotPassedUp) {
  auto spec = RequestSpec{.method = "INVITE"};
  auto [layer, id] = send(spec);
  layer.on_message(response(spec, 486), kPhoneUdp, kStart + 1s);
  auto first_ack = sends(layer.take_actions()).at(0).bytes;
  layer.on_message(response(spec, 486), kPhoneUdp, kStart + 2s);
  auto again = layer.take_actions();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(std::get<Send>(again[0]).bytes, first_ack);
  auto timeline = run_until(layer, kStart + 60s);
  EXPECT_TRUE(timeline.empty());  // Timer D ends it quietly, 32 s after the 486
  EXPECT_EQ(layer.client_count(), 0u);
}

TEST(ClientTransaction, InviteOverTcpEndsAtTheNon2xxFinalResponse) {
  auto spec = RequestSpec{.method = "INVITE", .transport = "TCP"};
  auto [layer, id] = send(spec, kPhoneTcp);
  layer.on_message(response(spec, 603), kPhoneTcp, kStart + 1s);
  EXPECT_EQ(count<Send>(layer.take_actions()), 1u);  // the ACK
  EXPECT_EQ(layer.client_count(), 0u);               // Timer D = 0
}

TEST(ClientTransaction, Invite2xxIsAcceptedEvery2xxGoesUpAndTimerMEndsIt) {
  auto spec = RequestSpec{.method = "INVITE"};
  auto [layer, id] = send(spec);
  layer.on_message(response(spec, 200, "fork-a"), kPhoneUdp, kStart + 1s);
  auto actions = layer.take_actions();
  EXPECT_EQ(only<ResponseReceived>(actions).size(), 1u);
  EXPECT_TRUE(only<Send>(actions).empty());  // the ACK of a 2xx is the TU's
  EXPECT_EQ(layer.state(id), ClientState::Accepted);

  layer.on_message(response(spec, 200, "fork-a"), kPhoneUdp, kStart + 1500ms);  // retransmission
  layer.on_message(response(spec, 200, "fork-b"), kPhoneUdp, kStart + 2s);      // another fork
  auto later = layer.take_actions();
  ASSERT_EQ(only<ResponseReceived>(later).size(), 2u);
  EXPECT_EQ(only<ResponseReceived>(later)[1]->response.to().tag(), "fork-b");

  auto timeline = run_until(layer, kStart + 60s);
  EXPECT_TRUE(times_of<Send>(timeline).empty());  // no INVITE retransmission after a 2xx
  EXPECT_EQ(layer.client_count(), 0u);            // Timer M: 1 s + 64·T1

  layer.on_message(response(spec, 200, "fork-a"), kPhoneUdp, kStart + 40s);
  auto stray = layer.take_actions();
  ASSERT_EQ(only<StrayResponse>(stray).size(), 1u);
  EXPECT_EQ(only<StrayResponse>(stray)[0]->from, kPhoneUdp);
}

TEST(ClientTransaction, TimerMRunsFromThe2xx) {
  auto spec = RequestSpec{.method = "INVITE"};
  auto [layer, id] = send(spec);
  layer.on_message(response(spec, 200), kPhoneUdp, kStart + 3s);
  EXPECT_EQ(layer.next_deadline(), kStart + 3s + 32s);
}

TEST(ClientTransaction, CancelIsItsOwnTransactionBesideTheInvite) {
  auto invite = RequestSpec{.method = "INVITE"};
  auto cancel = RequestSpec{.method = "CANCEL"};
  auto [layer, invite_id] = send(invite);
  auto cancel_id = layer.send_request(request(cancel), kPhoneUdp, kStart + 1s);
  ASSERT_TRUE(cancel_id.has_value());
  EXPECT_NE(*cancel_id, invite_id);
  layer.on_message(response(cancel, 200), kPhoneUdp, kStart + 1100ms);
  layer.on_message(response(invite, 487), kPhoneUdp, kStart + 1200ms);
  auto actions = layer.take_actions();
  auto up = only<ResponseReceived>(actions);
  ASSERT_EQ(up.size(), 2u);
  EXPECT_EQ(up[0]->id, *cancel_id);
  EXPECT_EQ(up[1]->id, invite_id);
  EXPECT_EQ(up[1]->response.status(), 487);
}

TEST(ClientTransaction, SendRequestRefusesAckMissingCookieAndDuplicates) {
  TransactionLayer layer;
  auto ack = layer.send_request(request({.method = "ACK"}), kPhoneUdp, kStart);
  EXPECT_EQ(ack.error().code, TransactionErrorCode::NoTransactionForAck);
  auto old = layer.send_request(request({.branch = "1234"}), kPhoneUdp, kStart);
  EXPECT_EQ(old.error().code, TransactionErrorCode::NoMagicCookie);
  ASSERT_TRUE(layer.send_request(request({}), kPhoneUdp, kStart).has_value());
  auto twice = layer.send_request(request({}), kPhoneUdp, kStart);
  EXPECT_EQ(twice.error().code, TransactionErrorCode::DuplicateBranch);
  auto reply = layer.send_request(response({}, 200), kPhoneUdp, kStart);
  EXPECT_EQ(reply.error().code, TransactionErrorCode::NotARequest);
}

TEST(ClientTransaction, AckOfA2xxGoesOutStateless) {
  TransactionLayer layer;
  layer.send_stateless(request_bytes({.method = "ACK", .branch = "z9hG4bK-ack"}), kPhoneUdp);
  auto actions = layer.take_actions();
  ASSERT_EQ(only<Send>(actions).size(), 1u);
  EXPECT_EQ(layer.client_count(), 0u);
  EXPECT_FALSE(layer.next_deadline());
}

}  // namespace
}  // namespace orbit::sip::test
