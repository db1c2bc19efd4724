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
    // Read inside the transaction: an ingest that finishes meanwhile is either before the list
    // (its documents are xref's) or after it (the watch pass matches them).
    Result<std::int64_t> last_run = LastRunId();
    if (!last_run.ok()) {
      (void)internal::Exec(db_, "ROLLBACK");
      return last_run.status();
    }
    info.matched_run = *last_run;
    Status status = PutInTransaction(info, entries);
    if (!status.ok()) {
      (void)internal::Exec(db_, "ROLLBACK");
      return status;
    }
    return internal::Exec(db_, "COMMIT");
  }

  Result<std::vector<WatchListInfo>> List() override {
    Statement st(db_,
                 "SELECT name, source, format, added, entries, matched_run FROM watch_lists "
                 "ORDER BY name");
    TROVE_RETURN_IF_ERROR(st.status());
    std::vector<WatchListInfo> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      out.push_back(WatchListInfo{st.Text(0), st.Text(1), st.Text(2), st.Int(3),
                                  static_cast<std::uint64_t>(st.Int(4)), st.Int(5)});
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

  Result<std::vector<std::string>> SourcesIndexedBetween(std::int64_t after_run,
                                                         std::int64_t up_to_run) override {
    Statement st(db_,
                 "SELECT key FROM source_files WHERE run_id > ? AND run_id <= ? AND state = ? "
                 "ORDER BY path");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, after_run).Bind(2, up_to_run).Bind(3, std::string(kStateIndexed));
    std::vector<std::string> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) out.push_back(st.Text(0));
    if (rc != SQLITE_DONE) return Error();
    return out;
  }

  Result<std::uint64_t> AddHits(const std::string& list, std::int64_t run_id,
                                const std::vector<WatchHit>& hits) override {
    TROVE_RETURN_IF_ERROR(internal::Exec(db_, "BEGIN IMMEDIATE"));
    Result<std::uint64_t> added = AddHitsInTransaction(list, run_id, hits);
    if (!added.ok()) {
      (void)internal::Exec(db_, "ROLLBACK");
      return added;
    }
    TROVE_RETURN_IF_ERROR(internal::Exec(db_, "COMMIT"));
    return added;
  }

  Result<std::vector<WatchHit>> Hits(const std::string& list, std::int64_t run_id) override {
    if (!list.empty()) {
      TROVE_ASSIGN_OR_RETURN(const bool exists, Exists(list));
      if (!exists) return Status::NotFound("no watch list '" + list + "' (trove watch list)");
    }
    Statement st(db_,
                 "SELECT list, line, entry_id, entry_name, schema, doc_id, name, type, matched, "
                 "kind, score, run_id, found FROM watch_hits "
                 "WHERE (? = '' OR list = ?) AND (? = 0 OR run_id = ?) "
                 "ORDER BY list, score DESC, line, doc_id");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, list).Bind(2, list).Bind(3, run_id).Bind(4, run_id);
    std::vector<WatchHit> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      WatchHit hit;
      hit.list = st.Text(0);
      hit.line = static_cast<std::uint64_t>(st.Int(1));
      hit.entry_id = st.Text(2);
      hit.entry_name = st.Text(3);
      hit.schema = st.Text(4);
      hit.doc_id = st.Text(5);
      hit.name = st.Text(6);
      hit.type = st.Text(7);
      hit.matched = st.Text(8);
      hit.kind = st.Text(9);
      hit.score = st.Double(10);
      hit.run_id = st.Int(11);
      hit.found = st.Int(12);
      out.push_back(std::move(hit));
    }
    if (rc != SQLITE_DONE) return Error();
    return out;
  }

  Result<std::map<std::string, WatchHitCount>> CountHits(std::int64_t run_id) override {
    Statement st(
        db_, "SELECT list, COUNT(*), COALESCE(SUM(run_id = ?), 0) FROM watch_hits GROUP BY list");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, run_id);
    std::map<std::string, WatchHitCount> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      out[st.Text(0)] = {static_cast<std::uint64_t>(st.Int(1)),
                         static_cast<std::uint64_t>(st.Int(2))};
    }
    if (rc != SQLITE_DONE) return Error();
    return out;
  }

 private:
  Result<std::int64_t> LastRunId() {
    Statement st(db_, "SELECT COALESCE(MAX(id), 0) FROM runs");
    TROVE_RETURN_IF_ERROR(st.status());
    if (st.Step() != SQLITE_ROW) return Error();
    return st.Int(0);
  }

  Result<std::uint64_t> AddHitsInTransaction(const std::string& list, std::int64_t run_id,
                                             const std::vector<WatchHit>& hits) {
    TROVE_ASSIGN_OR_RETURN(const bool exists, Exists(list));
    if (!exists) return Status::NotFound("no watch list '" + list + "' (trove watch list)");
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    std::uint64_t added = 0;
    for (const WatchHit& hit : hits) {
      // The first finding stays: "new" means new to the collection, not to this run.
      Statement row(db_,
                    "INSERT INTO watch_hits (list, line, doc_id, entry_id, entry_name, schema, "
                    "name, type, matched, kind, score, run_id, found) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (list, line, doc_id) DO UPDATE SET name = excluded.name, "
                    "type = excluded.type, matched = excluded.matched, kind = excluded.kind, "
                    "score = excluded.score WHERE excluded.score > watch_hits.score");
      TROVE_RETURN_IF_ERROR(row.status());
      row.Bind(1, list).Bind(2, static_cast<std::int64_t>(hit.line)).Bind(3, hit.doc_id);
      row.Bind(4, hit.entry_id).Bind(5, hit.entry_name).Bind(6, hit.schema).Bind(7, hit.name);
      row.Bind(8, hit.type).Bind(9, hit.matched).Bind(10, hit.kind).BindDouble(11, hit.score);
      row.Bind(12, run_id).Bind(13, hit.found != 0 ? hit.found : now);
      TROVE_ASSIGN_OR_RETURN(const bool was_there, HasHit(list, hit.line, hit.doc_id));
      TROVE_RETURN_IF_ERROR(row.Run());
      added += was_there ? 0 : 1;
    }
    Statement mark(db_, "UPDATE watch_lists SET matched_run = ? WHERE name = ?");
    TROVE_RETURN_IF_ERROR(mark.status());
    mark.Bind(1, run_id).Bind(2, list);
    TROVE_RETURN_IF_ERROR(mark.Run());
    return added;
  }

  Result<bool> HasHit(const std::string& list, std::uint64_t line, const std::string& doc_id) {
    Statement st(db_, "SELECT 1 FROM watch_hits WHERE list = ? AND line = ? AND doc_id = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, list).Bind(2, static_cast<std::int64_t>(line)).Bind(3, doc_id);
    const int rc = st.Step();
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return Error();
  }

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
         {"DELETE FROM watch_hits WHERE list = ?", "DELETE FROM watch_entries WHERE list = ?",
          "DELETE FROM watch_lists WHERE name = ?"}) {
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
                   "INSERT INTO watch_lists (name, source, format, added, entries, matched_run) "
                   "VALUES (?, ?, ?, ?, ?, ?)");
    TROVE_RETURN_IF_ERROR(list.status());
    list.Bind(1, info.name)
        .Bind(2, info.source)
        .Bind(3, info.format)
        .Bind(4, info.added)
        .Bind(5, static_cast<std::int64_t>(info.entries))
        .Bind(6, info.matched_run);
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
