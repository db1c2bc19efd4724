// SQLite helpers shared by the store's classes.
#pragma once

#include <cstdint>
#include <string>

#include <sqlite3.h>

#include "core/status.h"

namespace trove::store::internal {

// A prepared statement, finalised on destruction.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Status status() const {
    return stmt_ != nullptr ? Status::Ok()
                            : Status::IOError(std::string("store: ") + sqlite3_errmsg(db_));
  }
  Statement& Bind(int idx, const std::string& value) {
    sqlite3_bind_text(stmt_, idx, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int idx, std::int64_t value) {
    sqlite3_bind_int64(stmt_, idx, value);
    return *this;
  }
  Statement& BindDouble(int idx, double value) {
    sqlite3_bind_double(stmt_, idx, value);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int Step() { return sqlite3_step(stmt_); }
  Status Run() {
    const int rc = Step();
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
    return Status::IOError(std::string("store: ") + sqlite3_errmsg(db_));
  }
  std::string Text(int col) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return text == nullptr ? std::string() : std::string(text, sqlite3_column_bytes(stmt_, col));
  }
  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// A further connection to the store at `path` (busy timeout set), after Store::Open has created
// or migrated it: the store owns the schema. The caller closes it (sqlite3_close_v2).
Result<sqlite3*> OpenConnection(const std::string& path);

// Runs `sql` (one or more statements without results).
Status Exec(sqlite3* db, const char* sql);

}  // namespace trove::store::internal
