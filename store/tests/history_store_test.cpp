// The history on a real SQLite file: every outcome of a park, paging, restarts, failures.
#include "store/history_store.hpp"

#include <sqlite3.h>

#include <fstream>

#include <gtest/gtest.h>

#include "store/tests/temp_database.hpp"

namespace orbit::store {
namespace {

using namespace std::chrono_literals;

const auto kT0 = std::chrono::system_clock::time_point{} + 1'700'000'000s;  // 2023-11-14T22:13:20Z

pbx::SupervisionEvent event(std::string type, std::uint64_t call, std::chrono::milliseconds after,
                            std::string tenant = "a.example") {
  pbx::SupervisionEvent e;
  e.tenant = std::move(tenant);
  e.type = std::move(type);
  e.at = kT0 + after;
  e.call = call;
  e.lot = "main";
  e.slot = "701";
  e.caller = pbx::PartyView{"+33123456789", "Alice Caller"};
  e.parker = "100";
  return e;
}

pbx::SupervisionEvent resolved(std::string type, std::uint64_t call,
                               std::chrono::milliseconds waited, std::string by = "") {
  auto e = event(std::move(type), call, waited);
  e.by = std::move(by);
  e.waited = waited;
  return e;
}

class HistoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = opened(); }

  std::unique_ptr<HistoryStore> opened() {
    auto store = HistoryStore::open(path_);
    EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().reason);
    return store ? std::move(*store) : nullptr;
  }

  void record(const pbx::SupervisionEvent& e) {
    auto result = store_->record(e);
    ASSERT_TRUE(result.has_value()) << result.error().reason;
  }

  std::vector<HistoryRow> rows(const std::string& tenant = "a.example") {
    auto page = store_->page(tenant, max_page_size, std::nullopt);
    EXPECT_TRUE(page.has_value());
    return page ? page->rows : std::vector<HistoryRow>{};
  }

  test::TempDirectory dir_;
  std::filesystem::path path_ = dir_.file("history.sqlite");
  std::unique_ptr<HistoryStore> store_;
};

TEST_F(HistoryStoreTest, AParkedCallIsARowWithItsCallerParkerNoteAndTime) {
  auto parked = event("parked", 7, 0ms);
  parked.note = "Dupont, HR";
  record(parked);
  const auto all = rows();
  ASSERT_EQ(all.size(), 1U);
  const HistoryRow& row = all[0];
  EXPECT_GT(row.id, 0);
  EXPECT_EQ(row.tenant, "a.example");
  EXPECT_EQ(row.call, 7U);
  EXPECT_EQ(row.lot, "main");
  EXPECT_EQ(row.slot, "701");
  EXPECT_EQ(row.caller_number, "+33123456789");
  EXPECT_EQ(row.caller_name, "Alice Caller");
  EXPECT_EQ(row.parker, "100");
  EXPECT_EQ(row.note, "Dupont, HR");
  EXPECT_EQ(row.parked_at, std::chrono::floor<std::chrono::milliseconds>(kT0));
  EXPECT_EQ(row.outcome, Outcome::Parked);
  EXPECT_EQ(row.wait, std::nullopt);
  EXPECT_EQ(row.resolved_at, std::nullopt);
  EXPECT_EQ(row.recalls, 0);
  EXPECT_FALSE(row.escalated);
}

TEST_F(HistoryStoreTest, RetrievedByAColleagueAfterTwelveSeconds) {
  record(event("parked", 7, 0ms));
  record(resolved("retrieved", 7, 12'345ms, "101"));
  const auto row = rows().at(0);
  EXPECT_EQ(row.outcome, Outcome::Retrieved);
  EXPECT_EQ(row.by, "101");
  EXPECT_EQ(row.wait, 12'345ms);
  EXPECT_EQ(row.resolved_at, std::chrono::floor<std::chrono::milliseconds>(kT0 + 12'345ms));
  EXPECT_EQ(row.note, std::nullopt);
}

TEST_F(HistoryStoreTest, NobodyTakesItTheParkerAnswersTheRecall) {
  record(event("parked", 7, 0ms));
  record(event("timed-out", 7, 60s));
  record(event("recall-started", 7, 60s));
  record(resolved("recall-answered", 7, 65s, "100"));
  const auto row = rows().at(0);
  EXPECT_EQ(row.outcome, Outcome::Retrieved);
  EXPECT_EQ(row.by, "100");
  EXPECT_EQ(row.wait, 65s);
  EXPECT_EQ(row.recalls, 1);
  EXPECT_FALSE(row.escalated);
}

TEST_F(HistoryStoreTest, RecallsUnansweredEscalateThenTheCallerHangsUp) {
  record(event("parked", 7, 0ms));
  record(event("timed-out", 7, 60s));
  record(event("recall-started", 7, 60s));
  record(event("recall-unanswered", 7, 80s));
  record(event("recall-started", 7, 80s));
  record(event("recall-unanswered", 7, 100s));
  record(event("escalated", 7, 100s));
  record(resolved("abandoned", 7, 130s));
  const auto row = rows().at(0);
  EXPECT_EQ(row.outcome, Outcome::Abandoned);
  EXPECT_EQ(row.by, "");
  EXPECT_EQ(row.wait, 130s);
  EXPECT_EQ(row.recalls, 2);
  EXPECT_TRUE(row.escalated);
}

TEST_F(HistoryStoreTest, CallEventsAndRefusalsLeaveNoRow) {
  record(event("call-ringing", 7, 0ms));
  record(event("call-answered", 7, 0ms));
  auto refused = event("park-refused", 8, 0ms);
  refused.reason = "lot main is full";
  record(refused);
  auto retrieve_refused = event("retrieve-refused", 9, 0ms);
  retrieve_refused.call.reset();
  record(retrieve_refused);
  record(event("call-ended", 7, 0ms));
  EXPECT_TRUE(rows().empty());
}

TEST_F(HistoryStoreTest, ACallParkedAgainAfterItsRetrieveIsANewRow) {
  record(event("parked", 7, 0ms));
  record(resolved("retrieved", 7, 5s, "101"));
  auto again = event("parked", 7, 20s);
  again.slot = "702";
  again.parker = "101";
  record(again);
  record(resolved("abandoned", 7, 3s));
  const auto all = rows();
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].slot, "702");  // newest first
  EXPECT_EQ(all[0].outcome, Outcome::Abandoned);
  EXPECT_EQ(all[0].wait, 3s);
  EXPECT_EQ(all[1].slot, "701");
  EXPECT_EQ(all[1].outcome, Outcome::Retrieved);
  EXPECT_EQ(all[1].wait, 5s);
}

TEST_F(HistoryStoreTest, EachTenantSeesOnlyItsOwnRows) {
  record(event("parked", 1, 0ms, "a.example"));
  record(event("parked", 2, 0ms, "b.example"));
  record(event("parked", 3, 0ms, "b.example"));
  EXPECT_EQ(rows("a.example").size(), 1U);
  EXPECT_EQ(rows("b.example").size(), 2U);
  EXPECT_TRUE(rows("c.example").empty());
}

TEST_F(HistoryStoreTest, PagesGoNewestFirstAndEndWithoutANextPage) {
  for (std::uint64_t call = 1; call <= 5; ++call) {
    record(event("parked", call, std::chrono::seconds(call)));
  }
  auto first = store_->page("a.example", 2, std::nullopt);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->rows.size(), 2U);
  EXPECT_EQ(first->rows[0].call, 5U);
  EXPECT_EQ(first->rows[1].call, 4U);
  ASSERT_TRUE(first->next_before);
  EXPECT_EQ(*first->next_before, first->rows[1].id);

  auto second = store_->page("a.example", 2, first->next_before);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->rows.size(), 2U);
  EXPECT_EQ(second->rows[0].call, 3U);
  EXPECT_EQ(second->rows[1].call, 2U);

  auto last = store_->page("a.example", 2, second->next_before);
  ASSERT_TRUE(last);
  ASSERT_EQ(last->rows.size(), 1U);
  EXPECT_EQ(last->rows[0].call, 1U);
  EXPECT_EQ(last->next_before, std::nullopt);

  // Exactly a page's worth: no next page either.
  auto whole = store_->page("a.example", 5, std::nullopt);
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->rows.size(), 5U);
  EXPECT_EQ(whole->next_before, std::nullopt);
}

TEST_F(HistoryStoreTest, TheHistorySurvivesARestart) {
  record(event("parked", 7, 0ms));
  record(resolved("retrieved", 7, 9s, "102"));
  record(event("parked", 8, 30s));
  store_.reset();

  store_ = opened();
  ASSERT_TRUE(store_);
  auto all = rows();
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[1].outcome, Outcome::Retrieved);
  EXPECT_EQ(all[1].by, "102");
  EXPECT_EQ(all[1].wait, 9s);
  EXPECT_EQ(all[0].outcome, Outcome::Parked);

  // Call ids start again after a restart: a new call 8 must not resolve the old row of call 8.
  record(resolved("retrieved", 8, 4s, "101"));
  EXPECT_EQ(rows()[0].outcome, Outcome::Parked);
  record(event("parked", 8, 60s));
  record(resolved("retrieved", 8, 4s, "101"));
  all = rows();
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[0].outcome, Outcome::Retrieved);
  EXPECT_EQ(all[1].outcome, Outcome::Parked);
}

TEST_F(HistoryStoreTest, TheSchemaVersionIsRecordedInTheFile) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &statement, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(statement, 0), HistoryStore::schema_version);
  sqlite3_finalize(statement);
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)), "wal");
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

TEST_F(HistoryStoreTest, ADatabaseOfANewerOrbitIsRefused) {
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = HistoryStore::open(path_);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, StoreErrorCode::CannotOpen);
  EXPECT_NE(store.error().reason.find("99"), std::string::npos) << store.error().reason;
}

TEST_F(HistoryStoreTest, AFailedWriteIsAnErrorValueAndWritingResumesAfterwards) {
  record(event("parked", 7, 0ms));
  // Another process holds the write lock.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto failed = store_->record(event("parked", 8, 1s));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, StoreErrorCode::Failed);
  EXPECT_FALSE(store_->record(resolved("retrieved", 7, 2s, "101")));
  EXPECT_EQ(store_->write_failures(), 2U);
  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);

  record(event("parked", 9, 3s));
  const auto all = rows();
  ASSERT_EQ(all.size(), 2U);  // 8 was lost, 7 stays parked: its resolution was lost too
  EXPECT_EQ(all[0].call, 9U);
  EXPECT_EQ(all[1].call, 7U);
  EXPECT_EQ(all[1].outcome, Outcome::Parked);
  EXPECT_EQ(store_->write_failures(), 2U);
}

TEST(HistoryStoreOpen, APathThatCannotBeOpenedIsAnErrorNamingIt) {
  test::TempDirectory dir;
  const auto not_a_directory = dir.file("plain-file");
  std::ofstream(not_a_directory) << "x";
  const auto path = not_a_directory / "history.sqlite";
  auto store = HistoryStore::open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, StoreErrorCode::CannotOpen);
  EXPECT_NE(store.error().reason.find(path.string()), std::string::npos) << store.error().reason;

  const auto missing_directory = dir.file("no-such-dir") / "history.sqlite";
  EXPECT_FALSE(HistoryStore::open(missing_directory));
}

TEST(HistoryStoreOpen, AFileThatIsNotADatabaseIsRefused) {
  test::TempDirectory dir;
  const auto path = dir.file("notes.txt");
  std::ofstream(path) << std::string(4096, 'x');
  auto store = HistoryStore::open(path);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().reason.find(path.string()), std::string::npos);
}

}  // namespace
}  // namespace orbit::store
