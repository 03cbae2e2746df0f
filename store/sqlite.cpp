// SQLite calls behind Database and Statement; every error carries SQLite's own message.
#include "store/sqlite.hpp"

#include <sqlite3.h>

#include <utility>

namespace orbit::store::sqlite {
namespace {

StoreError failure(sqlite3* db, std::string_view what) {
  return StoreError{StoreErrorCode::Failed,
                    std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory")};
}

}  // namespace

Statement::~Statement() {
  sqlite3_finalize(statement_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      statement_(std::exchange(other.statement_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(statement_);
    db_ = std::exchange(other.db_, nullptr);
    statement_ = std::exchange(other.statement_, nullptr);
  }
  return *this;
}

void Statement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

void Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
}

void Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                    SQLITE_TRANSIENT);
}

void Statement::bind(int index, const std::optional<std::string>& text) {
  if (text) {
    bind(index, std::string_view(*text));
  } else {
    bind_null(index);
  }
}

void Statement::bind_null(int index) {
  sqlite3_bind_null(statement_, index);
}

std::expected<bool, StoreError> Statement::step() {
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Leave the statement ready for the next use whatever happened.
  auto error = failure(db_, "SQLite");
  sqlite3_reset(statement_);
  return std::unexpected(std::move(error));
}

std::expected<void, StoreError> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return {};
  }
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(statement_, column);
}

std::string Statement::text(int column) const {
  const auto* bytes = sqlite3_column_text(statement_, column);
  if (bytes == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(bytes),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

std::expected<Database, StoreError> Database::open(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    // The caller names the path; the reason is SQLite's.
    StoreError error{StoreErrorCode::CannotOpen, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)};
    sqlite3_close_v2(db);
    return std::unexpected(std::move(error));
  }
  sqlite3_extended_result_codes(db, 1);
  return Database(db);
}

Database::~Database() {
  // _v2: statements still open are finalised first, whatever the order of destruction.
  sqlite3_close_v2(db_);
}

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

std::expected<void, StoreError> Database::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return {};
  StoreError error{StoreErrorCode::Failed, message ? message : sqlite3_errmsg(db_)};
  sqlite3_free(message);
  return std::unexpected(std::move(error));
}

std::expected<Statement, StoreError> Database::prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
  if (rc != SQLITE_OK) return std::unexpected(failure(db_, "SQLite prepare"));
  return Statement(db_, statement);
}

std::expected<std::int64_t, StoreError> Database::integer(std::string_view sql) {
  auto statement = prepare(sql);
  if (!statement) return std::unexpected(std::move(statement.error()));
  auto row = statement->step();
  if (!row) return std::unexpected(std::move(row.error()));
  return *row ? statement->integer(0) : 0;
}

std::int64_t Database::last_insert_id() const {
  return sqlite3_last_insert_rowid(db_);
}

std::int64_t Database::changes() const {
  return sqlite3_changes64(db_);
}

void Database::busy_timeout(int milliseconds) {
  sqlite3_busy_timeout(db_, milliseconds);
}

}  // namespace orbit::store::sqlite
