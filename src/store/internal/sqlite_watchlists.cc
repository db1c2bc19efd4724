#include <ctime>

#include <sqlite3.h>

#include "store/internal/sqlite.h"
#include "store/store.h"
#include "store/watchlists.h"

namespace trove::store {
namespace {

using internal::Statement;

// Names and e-mail addresses are kept one per line: the parser collapses every whitespace run,
// line breaks included, into one space.
std::string JoinLines(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) (out += out.empty() ? "" : "\n") += value;
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

class SqliteWatchLists final : public WatchLists {
 public:
  explicit SqliteWatchLists(sqlite3* db) : db_(db) {}
  ~SqliteWatchLists() override { sqlite3_close_v2(db_); }

  Status Put(WatchListInfo info, const std::vector<WatchEntry>& entries) override {
    if (info.added == 0) info.added = static_cast<std::int64_t>(std::time(nullptr));
    info.entries = entries.size();
    TROVE_RETURN_IF_ERROR(internal::Exec(db_, "BEGIN IMMEDIATE"));
    Status status = PutInTransaction(info, entries);
    if (!status.ok()) {
      (void)internal::Exec(db_, "ROLLBACK");
      return status;
    }
    return internal::Exec(db_, "COMMIT");
  }

  Result<std::vector<WatchListInfo>> List() override {
    Statement st(db_, "SELECT name, source, format, added, entries FROM watch_lists ORDER BY name");
    TROVE_RETURN_IF_ERROR(st.status());
    std::vector<WatchListInfo> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      out.push_back(WatchListInfo{st.Text(0), st.Text(1), st.Text(2), st.Int(3),
                                  static_cast<std::uint64_t>(st.Int(4))});
    }
    if (rc != SQLITE_DONE) return Error();
    return out;
  }

  Result<std::vector<WatchEntry>> Entries(const std::string& name) override {
    TROVE_ASSIGN_OR_RETURN(const bool exists, Exists(name));
    if (!exists) return Status::NotFound("no watch list '" + name + "' (trove watch list)");
    Statement st(db_,
                 "SELECT line, entry_id, schema, names, emails, fields FROM watch_entries "
                 "WHERE list = ? ORDER BY line");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, name);
    std::vector<WatchEntry> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      WatchEntry entry;
      entry.line = static_cast<std::uint64_t>(st.Int(0));
      entry.id = st.Text(1);
      entry.schema = st.Text(2);
      entry.names = SplitLines(st.Text(3));
      entry.emails = SplitLines(st.Text(4));
      entry.fields_json = st.Text(5);
      out.push_back(std::move(entry));
    }
    if (rc != SQLITE_DONE) return Error();
    return out;
  }

  Status Remove(const std::string& name) override {
    TROVE_ASSIGN_OR_RETURN(const bool exists, Exists(name));
    if (!exists) return Status::NotFound("no watch list '" + name + "' (trove watch list)");
    TROVE_RETURN_IF_ERROR(internal::Exec(db_, "BEGIN IMMEDIATE"));
    Status status = DeleteRows(name);
    if (!status.ok()) {
      (void)internal::Exec(db_, "ROLLBACK");
      return status;
    }
    return internal::Exec(db_, "COMMIT");
  }

 private:
  Status Error() const { return Status::IOError(std::string("store: ") + sqlite3_errmsg(db_)); }

  Result<bool> Exists(const std::string& name) {
    Statement st(db_, "SELECT 1 FROM watch_lists WHERE name = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, name);
    const int rc = st.Step();
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return Error();
  }

  Status DeleteRows(const std::string& name) {
    for (const char* sql :
         {"DELETE FROM watch_entries WHERE list = ?", "DELETE FROM watch_lists WHERE name = ?"}) {
      Statement st(db_, sql);
      TROVE_RETURN_IF_ERROR(st.status());
      st.Bind(1, name);
      TROVE_RETURN_IF_ERROR(st.Run());
    }
    return Status::Ok();
  }

  Status PutInTransaction(const WatchListInfo& info, const std::vector<WatchEntry>& entries) {
    TROVE_RETURN_IF_ERROR(DeleteRows(info.name));
    Statement list(db_,
                   "INSERT INTO watch_lists (name, source, format, added, entries) "
                   "VALUES (?, ?, ?, ?, ?)");
    TROVE_RETURN_IF_ERROR(list.status());
    list.Bind(1, info.name)
        .Bind(2, info.source)
        .Bind(3, info.format)
        .Bind(4, info.added)
        .Bind(5, static_cast<std::int64_t>(info.entries));
    TROVE_RETURN_IF_ERROR(list.Run());
    // One statement per row: sqlite.h has no reset, and preparing costs microseconds.
    for (const WatchEntry& entry : entries) {
      Statement row(db_,
                    "INSERT OR REPLACE INTO watch_entries "
                    "(list, line, entry_id, schema, names, emails, fields) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)");
      TROVE_RETURN_IF_ERROR(row.status());
      row.Bind(1, info.name)
          .Bind(2, static_cast<std::int64_t>(entry.line))
          .Bind(3, entry.id)
          .Bind(4, entry.schema);
      row.Bind(5, JoinLines(entry.names))
          .Bind(6, JoinLines(entry.emails))
          .Bind(7, entry.fields_json.empty() ? std::string("{}") : entry.fields_json);
      TROVE_RETURN_IF_ERROR(row.Run());
    }
    return Status::Ok();
  }

  sqlite3* db_;
};

}  // namespace

Result<std::unique_ptr<WatchLists>> WatchLists::Open(const std::string& path) {
  TROVE_ASSIGN_OR_RETURN(sqlite3* db, internal::OpenConnection(path));
  return std::unique_ptr<WatchLists>(std::make_unique<SqliteWatchLists>(db));
}

}  // namespace trove::store
