// Server transactions on simulated time: absorbed retransmissions, Timers G, H, I, J, L.
#include <gtest/gtest.h>

#include "sip/tests/transaction_test_support.hpp"

namespace orbit::sip::test {
namespace {

struct Received {
  TransactionLayer layer;
  ServerTransactionId id;
  std::vector<Action> actions;
};

Received receive(const RequestSpec& spec, const Endpoint& from = kPhoneUdp) {
  TransactionLayer layer;
  layer.on_message(request(spec), from, kStart);
  auto actions = layer.take_actions();
  auto requests = only<RequestReceived>(actions);
  EXPECT_EQ(requests.size(), 1u);
  auto id = requests.empty() ? ServerTransactionId{} : requests[0]->id;
  return {std::move(layer), id, std::move(actions)};
}

TEST(ServerTransaction, RegisterRetransmissionIsAnsweredWithTheLastResponseNotDeliveredTwice) {
  auto spec = RequestSpec{.method = "REGISTER"};
  auto [layer, id, first] = receive(spec);
  EXPECT_TRUE(only<Send>(first).empty());  // no automatic 100 for a non-INVITE
  EXPECT_EQ(layer.state(id), ServerState::Trying);

  layer.on_message(request(spec), kPhoneUdp, kStart + 500ms);  // before any response
  EXPECT_TRUE(layer.take_actions().empty());

  auto ok = response_bytes(spec, 200);
  ASSERT_TRUE(layer.respond(id, ok, 200, kStart + 600ms).has_value());
  auto sent = layer.take_actions();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(std::get<Send>(sent[0]).bytes, ok);
  EXPECT_EQ(std::get<Send>(sent[0]).to, kPhoneUdp);

  layer.on_message(request(spec), kPhoneUdp, kStart + 1500ms);
  auto again = layer.take_actions();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(std::get<Send>(again[0]).bytes, ok);
  EXPECT_EQ(layer.state(id), ServerState::Completed);
}

TEST(ServerTransaction, NonInviteProvisionalIsResentUntilTheFinalResponse) {
  auto spec = RequestSpec{.method = "SUBSCRIBE"};
  auto [layer, id, first] = receive(spec);
  auto trying = response_bytes(spec, 100);
  ASSERT_TRUE(layer.respond(id, trying, 100, kStart).has_value());
  EXPECT_EQ(layer.state(id), ServerState::Proceeding);
  (void)layer.take_actions();
  layer.on_message(request(spec), kPhoneUdp, kStart + 500ms);
  EXPECT_EQ(std::get<Send>(layer.take_actions().at(0)).bytes, trying);
}

TEST(ServerTransaction, NonInviteTimerJEndsItAfter64T1OverUdpAndAtOnceOverTcp) {
  auto udp = RequestSpec{.method = "REGISTER"};
  auto [udp_layer, udp_id, udp_first] = receive(udp);
  ASSERT_TRUE(udp_layer.respond(udp_id, response_bytes(udp, 200), 200, kStart + 1s));
  EXPECT_EQ(udp_layer.next_deadline(), kStart + 33s);
  EXPECT_EQ(count<Send>(udp_layer.take_actions()), 1u);
  EXPECT_TRUE(times_of<Send>(run_until(udp_layer, kStart + 60s)).empty());
  EXPECT_EQ(udp_layer.server_count(), 0u);

  auto tcp = RequestSpec{.method = "REGISTER", .transport = "TCP"};
  auto [tcp_layer, tcp_id, tcp_first] = receive(tcp, kPhoneTcp);
  ASSERT_TRUE(tcp_layer.respond(tcp_id, response_bytes(tcp, 200), 200, kStart + 1s));
  EXPECT_EQ(sends(tcp_layer.take_actions()).at(0).to, kPhoneTcp);
  EXPECT_EQ(tcp_layer.server_count(), 0u);
}

TEST(ServerTransaction, SecondFinalResponseIsRefused) {
  auto spec = RequestSpec{.method = "REGISTER"};
  auto [layer, id, first] = receive(spec);
  ASSERT_TRUE(layer.respond(id, response_bytes(spec, 200), 200, kStart));
  auto twice = layer.respond(id, response_bytes(spec, 500), 500, kStart);
  EXPECT_EQ(twice.error().code, TransactionErrorCode::WrongState);
  auto unknown = layer.respond(ServerTransactionId{999}, "x", 200, kStart);
  EXPECT_EQ(unknown.error().code, TransactionErrorCode::UnknownTransaction);
}

TEST(ServerTransaction, InviteIsAnsweredWith100TryingAtOnce) {
  auto spec = RequestSpec{.method = "INVITE"};
  auto [layer, id, first] = receive(spec);
  auto sends = only<Send>(first);
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0]->to, kPhoneUdp);
  auto trying = parse(sends[0]->bytes);
  EXPECT_EQ(trying.status(), 100);
  EXPECT_TRUE(trying.to().tag().empty());
  EXPECT_EQ(trying.top_via().branch(), "z9hG4bK-1");
  EXPECT_EQ(trying.top_via().param("received"), std::nullopt);  // sent-by is the source address
  EXPECT_EQ(layer.state(id), ServerState::Proceeding);
}

TEST(ServerTransaction, InviteRetransmissionGetsTheLatestProvisionalNotTheTu) {
  auto spec = RequestSpec{.method = "INVITE"};
  auto [layer, id, first] = receive(spec);
  auto ringing = response_bytes(spec, 180);
  ASSERT_TRUE(layer.respond(id, ringing, 180, kStart + 100ms));
  (void)layer.take_actions();
  layer.on_message(request(spec), kPhoneUdp, kStart + 500ms);
  auto again = layer.take_actions();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(std::get<Send>(again[0]).bytes, ringing);
}

TEST(ServerTransaction, InviteBusyIsRetransmittedByTimerGUntilTheAckThenAcksAreAbsorbed) {
  auto spec = RequestSpec{.method = "INVITE"};
  auto [layer, id, first] = receive(spec);
  auto busy = response_bytes(spec, 486);
  ASSERT_TRUE(layer.respond(id, busy, 486, kStart));
  (void)layer.take_actions();
  auto timeline = run_until(layer, kStart + 8s);
  EXPECT_EQ(times_of<Send>(timeline), (std::vector<std::int64_t>{500, 1500, 3500, 7500}));
  EXPECT_EQ(std::get<Send>(timeline.back().action).bytes, busy);

  layer.on_message(request(spec), kPhoneUdp, kStart + 7600ms);  // INVITE again: 486 again
  EXPECT_EQ(std::get<Send>(layer.take_actions().at(0)).bytes, busy);

  auto ack = RequestSpec{.method = "ACK", .to_tag = "uas-1"};
  layer.on_message(request(ack), kPhoneUdp, kStart + 8s);
  EXPECT_TRUE(layer.take_actions().empty());  // absorbed, not for the TU
  EXPECT_EQ(layer.state(id), ServerState::Confirmed);
  layer.on_message(request(ack), kPhoneUdp, kStart + 9s);
  EXPECT_TRUE(layer.take_actions().empty());

  auto after = run_until(layer, kStart + 60s);
  EXPECT_TRUE(after.empty());           // no more 486
  EXPECT_EQ(layer.server_count(), 0u);  // Timer I = T4 after the ACK
}

TEST(ServerTransaction, InviteBusyWithoutAckEndsWithTimerH) {
  auto spec = RequestSpec{.method = "INVITE"};
  auto [layer, id, first] = receive(spec);
  ASSERT_TRUE(layer.respond(id, response_bytes(spec, 486), 486, kStart));
  (void)layer.take_actions();
  auto timeline = run_until(layer, kStart + 60s);
  EXPECT_EQ(
      times_of<Send>(timeline),
      (std::vector<std::int64_t>{500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500}));
  EXPECT_EQ(times_of<AckTimeout>(timeline), std::vector<std::int64_t>{32000});
  EXPECT_EQ(std::get<AckTimeout>(timeline.back().action).id, id);
  EXPECT_EQ(layer.server_count(), 0u);
}

TEST(ServerTransaction, InviteOverTcpHasNoTimerGAndEndsAtTheAck) {
  auto spec = RequestSpec{.method = "INVITE", .transport = "TCP"};
  auto [layer, id, first] = receive(spec, kPhoneTcp);
  ASSERT_TRUE(layer.respond(id, response_bytes(spec, 486), 486, kStart));
  (void)layer.take_actions();
  EXPECT_EQ(layer.next_deadline(), kStart + 32s);  // Timer H only
  layer.on_message(request({.method = "ACK", .transport = "TCP", .to_tag = "uas-1"}), kPhoneTcp,
                   kStart + 1s);
  EXPECT_TRUE(layer.take_actions().empty());
  EXPECT_EQ(layer.server_count(), 0u);  // Timer I = 0
}

TEST(ServerTransaction, Invite2xxIsAcceptedRetransmissionsAbsorbedTimerLEndsIt) {
  auto spec = RequestSpec{.method = "INVITE"};
  auto [layer, id, first] = receive(spec);
  auto ok = response_bytes(spec, 200);
  ASSERT_TRUE(layer.respond(id, ok, 200, kStart + 1s));
  EXPECT_EQ(count<Send>(layer.take_actions()), 1u);
  EXPECT_EQ(layer.state(id), ServerState::Accepted);

  layer.on_message(request(spec), kPhoneUdp, kStart + 1500ms);  // INVITE again
  EXPECT_TRUE(layer.take_actions().empty());                    // absorbed: no 200, no TU

  ASSERT_TRUE(layer.respond(id, ok, 200, kStart + 1500ms));  // the TU's own 2xx retransmission
  EXPECT_EQ(count<Send>(layer.take_actions()), 1u);
  EXPECT_EQ(layer.respond(id, response_bytes(spec, 486), 486, kStart + 2s).error().code,
            TransactionErrorCode::WrongState);

  auto ack = RequestSpec{.method = "ACK", .branch = "z9hG4bK-ack", .to_tag = "uas-1"};
  layer.on_message(request(ack), kPhoneUdp, kStart + 2s);  // end to end: a new branch
  EXPECT_EQ(count<AckReceived>(layer.take_actions()), 1u);

  auto timeline = run_until(layer, kStart + 60s);
  EXPECT_TRUE(timeline.empty());        // the layer never retransmits a 2xx itself
  EXPECT_EQ(layer.server_count(), 0u);  // Timer L: 1 s + 64·T1
}

TEST(ServerTransaction, AckWithTheInviteBranchInAcceptedStillReachesTheTu) {
  auto spec = RequestSpec{.method = "INVITE"};
  auto [layer, id, first] = receive(spec);
  ASSERT_TRUE(layer.respond(id, response_bytes(spec, 200), 200, kStart));
  (void)layer.take_actions();
  layer.on_message(request({.method = "ACK", .to_tag = "uas-1"}), kPhoneUdp, kStart + 1s);
  EXPECT_EQ(count<AckReceived>(layer.take_actions()), 1u);
  EXPECT_EQ(layer.state(id), ServerState::Accepted);
}

TEST(ServerTransaction, ResponsesGoToTheEndpointTheRequestCameFrom) {
  const Endpoint natted{Transport::Udp, "203.0.113.5", 40000, 0};
  auto spec = RequestSpec{.method = "INVITE"};
  auto [layer, id, first] = receive(spec, natted);
  auto trying = only<Send>(first).at(0);
  EXPECT_EQ(trying->to, natted);
  EXPECT_EQ(parse(trying->bytes).top_via().param("received"), "203.0.113.5");
  ASSERT_TRUE(layer.respond(id, response_bytes(spec, 486), 486, kStart));
  EXPECT_EQ(sends(layer.take_actions()).at(0).to, natted);
  EXPECT_EQ(std::get<Send>(run_until(layer, kStart + 500ms).at(0).action).to, natted);
}

}  // namespace
}  // namespace orbit::sip::test
