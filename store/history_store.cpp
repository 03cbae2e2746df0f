// HistoryStore: opening and schema, and park events turned into inserts and updates of a row.
#include "store/history_store.hpp"

#include <spdlog/spdlog.h>

namespace orbit::store {
namespace {

// Version 1. A later version adds its migration after this one and raises schema_version.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS parked_calls (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL,
  call_id INTEGER,
  lot TEXT NOT NULL,
  slot TEXT NOT NULL,
  caller_number TEXT NOT NULL,
  caller_name TEXT NOT NULL,
  parker TEXT NOT NULL,
  note TEXT,
  parked_at_ms INTEGER NOT NULL,
  outcome TEXT NOT NULL DEFAULT 'parked' CHECK (outcome IN ('parked', 'retrieved', 'abandoned')),
  resolved_by TEXT NOT NULL DEFAULT '',
  resolved_at_ms INTEGER,
  wait_ms INTEGER,
  recalls INTEGER NOT NULL DEFAULT 0,
  escalated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS parked_calls_by_tenant ON parked_calls (tenant, id);
CREATE INDEX IF NOT EXISTS parked_calls_by_time ON parked_calls (tenant, parked_at_ms);
PRAGMA user_version = 1;
)sql";

constexpr std::string_view kInsert =
    "INSERT INTO parked_calls (tenant, call_id, lot, slot, caller_number, caller_name, parker, "
    "note, parked_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr std::string_view kResolve =
    "UPDATE parked_calls SET outcome = ?2, resolved_by = ?3, resolved_at_ms = ?4, wait_ms = ?5 "
    "WHERE id = ?1";
constexpr std::string_view kRecall = "UPDATE parked_calls SET recalls = recalls + 1 WHERE id = ?1";
constexpr std::string_view kEscalate = "UPDATE parked_calls SET escalated = 1 WHERE id = ?1";
constexpr std::string_view kPage =
    "SELECT id, tenant, call_id, lot, slot, caller_number, caller_name, parker, note, "
    "parked_at_ms, outcome, resolved_by, resolved_at_ms, wait_ms, recalls, escalated "
    "FROM parked_calls WHERE tenant = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3";
constexpr std::string_view kFacts =
    "SELECT lot, parked_at_ms, outcome, wait_ms, recalls, escalated FROM parked_calls "
    "WHERE tenant = ?1 AND parked_at_ms >= ?2 AND parked_at_ms < ?3";

std::int64_t unix_ms(std::chrono::system_clock::time_point at) {
  return std::chrono::floor<std::chrono::milliseconds>(at).time_since_epoch().count();
}

std::string row_key(const pbx::SupervisionEvent& event) {
  return event.tenant + '\n' + std::to_string(*event.call);
}

StoreError cannot_open(const std::filesystem::path& path, const StoreError& cause) {
  return StoreError{StoreErrorCode::CannotOpen,
                    "cannot use history database " + path.string() + ": " + cause.reason};
}

std::expected<void, StoreError> create_schema(sqlite::Database& db) {
  const auto version = db.integer("PRAGMA user_version");
  if (!version) return std::unexpected(version.error());
  if (*version > HistoryStore::schema_version) {
    return std::unexpected(StoreError{StoreErrorCode::CannotOpen,
                                      "its schema version " + std::to_string(*version) +
                                          " is newer than this Orbit's (" +
                                          std::to_string(HistoryStore::schema_version) + ")"});
  }
  if (*version == HistoryStore::schema_version) return {};
  return db.exec(std::string("BEGIN;") + kSchema + "COMMIT;");
}

}  // namespace

std::expected<std::unique_ptr<HistoryStore>, StoreError> HistoryStore::open(
    const std::filesystem::path& path) {
  auto db = sqlite::Database::open(path);
  if (!db) return std::unexpected(cannot_open(path, db.error()));
  // WAL: readers never block the writer. NORMAL: no fsync per commit in WAL mode; a power cut
  // may lose the last events, never corrupt the file.
  if (auto ok = db->exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"); !ok) {
    return std::unexpected(cannot_open(path, ok.error()));
  }
  if (auto ok = create_schema(*db); !ok) return std::unexpected(cannot_open(path, ok.error()));
  // Another process holding the write lock must not stall the signalling thread for long:
  // after 20 ms the write fails, is counted and logged.
  db->busy_timeout(20);
  Statements statements;
  for (auto [statement, sql] : {std::pair{&statements.insert, kInsert},
                                {&statements.resolve, kResolve},
                                {&statements.recall, kRecall},
                                {&statements.escalate, kEscalate},
                                {&statements.page, kPage},
                                {&statements.facts, kFacts}}) {
    auto prepared = db->prepare(sql);
    if (!prepared) return std::unexpected(cannot_open(path, prepared.error()));
    *statement = std::move(*prepared);
  }
  return std::unique_ptr<HistoryStore>(
      new HistoryStore(path, std::move(*db), std::move(statements)));
}

std::expected<void, StoreError> HistoryStore::record(const pbx::SupervisionEvent& event) {
  auto result = apply(event);
  account(result, event);
  return result;
}

std::expected<void, StoreError> HistoryStore::apply(const pbx::SupervisionEvent& event) {
  if (!event.call) return {};  // refusals and events without a call leave no row
  if (event.type == "parked") {
    auto& s = statements_.insert;
    s.reset();
    s.bind(1, std::string_view(event.tenant));
    s.bind(2, static_cast<std::int64_t>(*event.call));
    s.bind(3, std::string_view(event.lot));
    s.bind(4, std::string_view(event.slot));
    s.bind(5, std::string_view(event.caller ? event.caller->number : ""));
    s.bind(6, std::string_view(event.caller ? event.caller->display_name : ""));
    s.bind(7, std::string_view(event.parker));
    s.bind(8, event.note);
    s.bind(9, unix_ms(event.at));
    auto done = s.run();
    if (done) open_rows_[row_key(event)] = db_.last_insert_id();
    return done;
  }
  const auto row = open_rows_.find(row_key(event));
  if (row == open_rows_.end()) return {};  // parked before this run, or its insert failed
  const std::int64_t id = row->second;
  if (event.type == "recall-started" || event.type == "escalated") {
    auto& s = event.type == "escalated" ? statements_.escalate : statements_.recall;
    s.reset();
    s.bind(1, id);
    return s.run();
  }
  const bool retrieved = event.type == "retrieved" || event.type == "recall-answered";
  if (!retrieved && event.type != "abandoned") return {};  // timed-out, recall-unanswered
  auto& s = statements_.resolve;
  s.reset();
  s.bind(1, id);
  s.bind(2, to_string(retrieved ? Outcome::Retrieved : Outcome::Abandoned));
  s.bind(3, std::string_view(retrieved ? event.by : ""));
  s.bind(4, unix_ms(event.at));
  s.bind(5, static_cast<std::int64_t>(event.waited.count()));
  auto done = s.run();
  // Even when the update failed: the call has left, a later event must not reach this row.
  open_rows_.erase(row);
  return done;
}

void HistoryStore::account(const std::expected<void, StoreError>& result,
                           const pbx::SupervisionEvent& event) {
  if (!result) {
    ++write_failures_;
    ++burst_failures_;
    if (!failing_) {
      spdlog::error(
          "history {}: cannot record a '{}' event of call {} ({}); further failures "
          "are counted until a write succeeds",
          path_.string(), event.type, event.call.value_or(0), result.error().reason);
    }
    failing_ = true;
  } else if (failing_ && event.call) {
    spdlog::warn("history {}: writing again after {} failed write(s)", path_.string(),
                 burst_failures_);
    failing_ = false;
    burst_failures_ = 0;
  }
}

}  // namespace orbit::store
