// The transaction layer's matching (RFC 3261 §17.2.3, RFC 2543, CANCEL) and its table's lifetime.
#include <gtest/gtest.h>

#include "sip/tests/transaction_test_support.hpp"

namespace orbit::sip::test {
namespace {

ServerTransactionId received_id(TransactionLayer& layer) {
  auto actions = layer.take_actions();
  auto requests = only<RequestReceived>(actions);
  EXPECT_EQ(requests.size(), 1u);
  return requests.empty() ? ServerTransactionId{} : requests[0]->id;
}

TEST(TransactionMatching, CancelIsItsOwnTransactionAndNamesTheInviteItTargets) {
  TransactionLayer layer;
  auto invite = RequestSpec{.method = "INVITE"};
  layer.on_message(request(invite), kPhoneUdp, kStart);
  auto invite_id = received_id(layer);

  auto cancel = RequestSpec{.method = "CANCEL"};
  layer.on_message(request(cancel), kPhoneUdp, kStart + 1s);
  auto actions = layer.take_actions();
  auto requests = only<RequestReceived>(actions);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_NE(requests[0]->id, invite_id);
  EXPECT_EQ(requests[0]->cancels, invite_id);
  EXPECT_EQ(layer.find_invite_for_cancel(request(cancel)), invite_id);
  EXPECT_TRUE(only<Send>(actions).empty());  // the TU answers a CANCEL

  ASSERT_TRUE(layer.respond(requests[0]->id, response_bytes(cancel, 200), 200, kStart + 1s));
  ASSERT_TRUE(layer.respond(invite_id, response_bytes(invite, 487), 487, kStart + 1s));
  EXPECT_EQ(layer.state(invite_id), ServerState::Completed);
}

TEST(TransactionMatching, CancelOfAnUnknownInviteNamesNone) {
  TransactionLayer layer;
  layer.on_message(request({.method = "INVITE"}), kPhoneUdp, kStart);
  (void)layer.take_actions();
  auto stranger = RequestSpec{.method = "CANCEL", .branch = "z9hG4bK-other"};
  layer.on_message(request(stranger), kPhoneUdp, kStart + 1s);
  auto actions = layer.take_actions();
  ASSERT_EQ(only<RequestReceived>(actions).size(), 1u);
  EXPECT_EQ(only<RequestReceived>(actions)[0]->cancels, std::nullopt);
}

TEST(TransactionMatching, SameBranchFromAnotherSentByIsAnotherTransaction) {
  TransactionLayer layer;
  layer.on_message(request({}), kPhoneUdp, kStart);
  (void)received_id(layer);
  layer.on_message(request({.sent_by = "198.51.100.7:5060"}), kPhoneUdp, kStart);
  (void)received_id(layer);
  layer.on_message(request({.sent_by = "192.0.2.10:5062"}), kPhoneUdp, kStart);  // the first one
  EXPECT_EQ(count<RequestReceived>(layer.take_actions()), 0u);
  EXPECT_EQ(layer.server_count(), 2u);
}

TEST(TransactionMatching, SameBranchWithAnotherMethodIsAnotherTransaction) {
  TransactionLayer layer;
  layer.on_message(request({.method = "INVITE"}), kPhoneUdp, kStart);
  (void)received_id(layer);
  layer.on_message(request({.method = "OPTIONS"}), kPhoneUdp, kStart);
  (void)received_id(layer);
  EXPECT_EQ(layer.server_count(), 2u);
}

TEST(TransactionMatching, Rfc2543RequestsMatchOnDialogFieldsAndTopVia) {
  TransactionLayer layer;
  auto invite = RequestSpec{.method = "INVITE", .branch = ""};
  layer.on_message(request(invite), kPhoneUdp, kStart);
  auto id = received_id(layer);

  layer.on_message(request(invite), kPhoneUdp, kStart + 500ms);  // retransmission
  EXPECT_EQ(count<RequestReceived>(layer.take_actions()), 0u);

  auto next = invite;
  next.cseq = 2;
  layer.on_message(request(next), kPhoneUdp, kStart + 500ms);  // a new CSeq: a new request
  EXPECT_NE(received_id(layer), id);

  auto cancel = RequestSpec{.method = "CANCEL", .branch = ""};
  EXPECT_EQ(layer.find_invite_for_cancel(request(cancel)), id);

  ASSERT_TRUE(layer.respond(id, response_bytes(invite, 486, "uas-7"), 486, kStart + 1s));
  (void)layer.take_actions();
  auto wrong_ack = RequestSpec{.method = "ACK", .branch = "", .to_tag = "someone-else"};
  layer.on_message(request(wrong_ack), kPhoneUdp, kStart + 2s);
  EXPECT_EQ(count<AckReceived>(layer.take_actions()), 1u);  // matches nothing
  EXPECT_EQ(layer.state(id), ServerState::Completed);

  auto ack = RequestSpec{.method = "ACK", .branch = "", .to_tag = "uas-7"};
  layer.on_message(request(ack), kPhoneUdp, kStart + 2s);
  EXPECT_TRUE(layer.take_actions().empty());
  EXPECT_EQ(layer.state(id), ServerState::Confirmed);
}

TEST(TransactionMatching, Rfc2543ReInviteAckRepeatsTheToTagOfTheInvite) {
  TransactionLayer layer;
  auto reinvite = RequestSpec{.method = "INVITE", .branch = "", .to_tag = "dlg-1", .cseq = 5};
  layer.on_message(request(reinvite), kPhoneUdp, kStart);
  auto id = received_id(layer);
  ASSERT_TRUE(layer.respond(id, response_bytes(reinvite, 488), 488, kStart));
  auto ack = RequestSpec{.method = "ACK", .branch = "", .to_tag = "dlg-1", .cseq = 5};
  layer.on_message(request(ack), kPhoneUdp, kStart + 1s);
  EXPECT_EQ(layer.state(id), ServerState::Confirmed);
}

TEST(TransactionMatching, AckMatchingNoTransactionGoesToTheTu) {
  TransactionLayer layer;
  layer.on_message(request({.method = "ACK", .to_tag = "x"}), kPhoneUdp, kStart);
  auto actions = layer.take_actions();
  auto acks = only<AckReceived>(actions);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0]->from, kPhoneUdp);
  EXPECT_EQ(layer.server_count(), 0u);
}

TEST(TransactionMatching, ResponseToNoClientTransactionIsStray) {
  TransactionLayer layer;
  layer.on_message(response({.branch = "z9hG4bK-nobody"}, 200), kPhoneUdp, kStart);
  auto actions = layer.take_actions();
  ASSERT_EQ(only<StrayResponse>(actions).size(), 1u);
  EXPECT_EQ(only<StrayResponse>(actions)[0]->response.status(), 200);
}

TEST(TransactionMatching, ResponseMatchesOnBranchAndCSeqMethod) {
  TransactionLayer layer;
  auto id = layer.send_request(request({.method = "INVITE"}), kPhoneUdp, kStart);
  ASSERT_TRUE(id.has_value());
  (void)layer.take_actions();
  layer.on_message(response({.method = "INVITE", .branch = "z9hG4bK-2"}, 180), kPhoneUdp, kStart);
  layer.on_message(response({.method = "CANCEL"}, 200), kPhoneUdp, kStart);
  EXPECT_EQ(count<StrayResponse>(layer.take_actions()), 2u);
  layer.on_message(response({.method = "INVITE"}, 180), kPhoneUdp, kStart);
  auto actions = layer.take_actions();
  auto up = only<ResponseReceived>(actions);
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0]->id, *id);
}

TEST(TransactionTable, EmptiesOnceEveryTransactionHasTerminated) {
  TransactionLayer layer;
  for (int i = 0; i < 1000; ++i) {
    auto branch = fmt::format("z9hG4bK-{}", i);
    auto in = RequestSpec{.method = i % 2 ? "INVITE" : "REGISTER", .branch = branch};
    layer.on_message(request(in), kPhoneUdp, kStart);
    auto id = received_id(layer);
    ASSERT_TRUE(layer.respond(id, response_bytes(in, i % 4 < 2 ? 200 : 486), i % 4 < 2 ? 200 : 486,
                              kStart));
    auto out = RequestSpec{.method = i % 2 ? "INVITE" : "OPTIONS", .branch = branch + "-out"};
    ASSERT_TRUE(layer.send_request(request(out), kPhoneUdp, kStart).has_value());
  }
  EXPECT_EQ(layer.server_count(), 1000u);
  EXPECT_EQ(layer.client_count(), 1000u);
  (void)layer.take_actions();
  (void)run_until(layer, kStart + 40s);
  EXPECT_EQ(layer.server_count(), 0u);
  EXPECT_EQ(layer.client_count(), 0u);
  EXPECT_FALSE(layer.next_deadline());
}

TEST(TransactionTable, OneLateTimerCallFiresEverythingDueInOrder) {
  TransactionLayer layer;
  ASSERT_TRUE(layer.send_request(request({}), kPhoneUdp, kStart).has_value());
  (void)layer.take_actions();
  layer.on_timer(kStart + 40s);  // the event loop stalled: only the timeout is left to report
  auto actions = layer.take_actions();
  EXPECT_EQ(only<TransactionTimeout>(actions).size(), 1u);
  EXPECT_TRUE(only<Send>(actions).empty());
  EXPECT_EQ(layer.client_count(), 0u);
}

TEST(TransactionTable, CustomTimersScaleEveryInterval) {
  TransactionLayer layer(TimerConfig{.t1 = 100ms, .t2 = 400ms, .t4 = 1s});
  ASSERT_TRUE(layer.send_request(request({}), kPhoneUdp, kStart).has_value());
  (void)layer.take_actions();
  auto timeline = run_until(layer, kStart + 60s);
  EXPECT_EQ(times_of<Send>(timeline).front(), 100);
  EXPECT_EQ(times_of<TransactionTimeout>(timeline), std::vector<std::int64_t>{6400});
}

}  // namespace
}  // namespace orbit::sip::test
