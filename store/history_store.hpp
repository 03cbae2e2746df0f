// The history of parked calls in SQLite: fed by supervision events, read through HistoryReader.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>

#include "pbx/supervision.hpp"
#include "store/history_reader.hpp"
#include "store/sqlite.hpp"

namespace orbit::store {

// One row per park. Used on the signalling thread only: a write is one prepared statement in
// WAL mode with synchronous=NORMAL (no fsync per event), so an event costs a few microseconds.
class HistoryStore final : public HistoryReader {
 public:
  static constexpr std::int64_t schema_version = 1;

  // Opens or creates the database (its directory must exist) and its schema. The error names
  // the path, for a start-up message.
  [[nodiscard]] static std::expected<std::unique_ptr<HistoryStore>, StoreError> open(
      const std::filesystem::path& path);

  // Keeps what a park event says; call events and refusals are ignored. A failed write is
  // returned and logged, once per burst of failures: the events keep flowing.
  std::expected<void, StoreError> record(const pbx::SupervisionEvent& event);

  [[nodiscard]] std::expected<HistoryPage, StoreError> page(
      const std::string& tenant, std::size_t limit,
      std::optional<std::int64_t> before) const override;
  [[nodiscard]] std::expected<Figures, StoreError> figures(const std::string& tenant, WallTime from,
                                                           WallTime to) const override;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // Writes that failed since opening.
  [[nodiscard]] std::uint64_t write_failures() const { return write_failures_; }

 private:
  struct Statements {
    sqlite::Statement insert;
    sqlite::Statement resolve;
    sqlite::Statement recall;
    sqlite::Statement escalate;
    sqlite::Statement page;
    sqlite::Statement facts;
  };
  HistoryStore(std::filesystem::path path, sqlite::Database db, Statements statements)
      : path_(std::move(path)), db_(std::move(db)), statements_(std::move(statements)) {}

  std::expected<void, StoreError> apply(const pbx::SupervisionEvent& event);
  void account(const std::expected<void, StoreError>& result, const pbx::SupervisionEvent& event);

  std::filesystem::path path_;
  sqlite::Database db_;
  // Reads reuse their prepared statements: stepping them changes no stored data.
  mutable Statements statements_;
  // The row of each call parked now, by tenant and call id: an event updates it by its id,
  // without a search. Filled by this run only, so that call ids reused after a restart never
  // touch an older row.
  std::unordered_map<std::string, std::int64_t> open_rows_;
  bool failing_ = false;
  std::uint64_t write_failures_ = 0;
  std::uint64_t burst_failures_ = 0;
};

}  // namespace orbit::store
