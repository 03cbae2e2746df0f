// A thin RAII layer over the SQLite C API: one connection, prepared statements, errors as values.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "store/history_reader.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace orbit::store::sqlite {

// A prepared statement, reused: reset() before binding the next values.
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void reset();
  // Parameters are numbered from 1, as in SQL's `?1`.
  void bind(int index, std::int64_t value);
  void bind(int index, std::string_view text);
  void bind(int index, const std::optional<std::string>& text);
  void bind_null(int index);

  // Runs one step: true when a row is there to read, false when done.
  [[nodiscard]] std::expected<bool, StoreError> step();
  // step() until done, for statements that return no rows.
  [[nodiscard]] std::expected<void, StoreError> run();

  // Columns are numbered from 0.
  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] std::int64_t integer(int column) const;
  [[nodiscard]] std::string text(int column) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
};

class Database {
 public:
  // Opens (creating it when missing) the database file; the directory must exist.
  [[nodiscard]] static std::expected<Database, StoreError> open(const std::filesystem::path& path);
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // SQL without parameters, possibly several statements; rows it returns are dropped.
  [[nodiscard]] std::expected<void, StoreError> exec(const std::string& sql);
  [[nodiscard]] std::expected<Statement, StoreError> prepare(std::string_view sql);
  // The value of a one-integer query such as `PRAGMA user_version`.
  [[nodiscard]] std::expected<std::int64_t, StoreError> integer(std::string_view sql);
  [[nodiscard]] std::int64_t last_insert_id() const;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  [[nodiscard]] std::int64_t changes() const;
  void busy_timeout(int milliseconds);

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace orbit::store::sqlite
