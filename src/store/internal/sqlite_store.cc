#include <cstdlib>
#include <ctime>

#include <sqlite3.h>

#include "store/internal/sqlite.h"
#include "store/store.h"

namespace trove::store {
namespace {

using internal::Statement;

constexpr int kStoreFormatVersion = 6;
constexpr int kBusyTimeoutMs = 10'000;

// Each version's statements; a store at version N runs kMigrations[N..] to reach the newest.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE source_files (
      path TEXT PRIMARY KEY,
      key TEXT NOT NULL UNIQUE,
      size INTEGER NOT NULL,
      mtime_ns INTEGER NOT NULL,
      content_hash TEXT NOT NULL DEFAULT '',
      state TEXT NOT NULL,
      reason TEXT NOT NULL DEFAULT '',
      media_type TEXT NOT NULL DEFAULT '',
      run_id INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX source_files_state ON source_files(state);
    CREATE INDEX source_files_hash ON source_files(content_hash);
    CREATE TABLE problems (
      source_key TEXT NOT NULL,
      path TEXT NOT NULL,
      state TEXT NOT NULL,
      reason TEXT NOT NULL,
      media_type TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (source_key, path)
    );
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,
      started INTEGER NOT NULL,
      finished INTEGER NOT NULL DEFAULT 0,
      state TEXT NOT NULL,
      summary TEXT NOT NULL DEFAULT '{}'
    );
    )sql",
    R"sql(
    CREATE TABLE entity_rules (
      type TEXT NOT NULL,
      key TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (type, key)
    );
    )sql",
    // The workspace (store/workspace.h): what people add to a collection.
    R"sql(
    CREATE TABLE tags (
      doc_id TEXT NOT NULL,
      tag TEXT NOT NULL,
      user TEXT NOT NULL DEFAULT '',
      created INTEGER NOT NULL,
      PRIMARY KEY (doc_id, tag)
    );
    CREATE INDEX tags_by_tag ON tags(tag);
    CREATE TABLE notes (
      id INTEGER PRIMARY KEY,
      doc_id TEXT NOT NULL,
      user TEXT NOT NULL DEFAULT '',
      text TEXT NOT NULL,
      created INTEGER NOT NULL
    );
    CREATE INDEX notes_by_doc ON notes(doc_id);
    CREATE TABLE stars (
      doc_id TEXT NOT NULL,
      user TEXT NOT NULL DEFAULT '',
      created INTEGER NOT NULL,
      PRIMARY KEY (doc_id, user)
    );
    CREATE TABLE saved_searches (
      id INTEGER PRIMARY KEY,
      user TEXT NOT NULL DEFAULT '',
      name TEXT NOT NULL,
      query TEXT NOT NULL,
      created INTEGER NOT NULL
    );
    CREATE TABLE users (
      name TEXT PRIMARY KEY,
      role TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      created INTEGER NOT NULL
    );
    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      user TEXT NOT NULL,
      csrf TEXT NOT NULL,
      created INTEGER NOT NULL,
      expires INTEGER NOT NULL
    );
    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      time INTEGER NOT NULL,
      user TEXT NOT NULL,
      action TEXT NOT NULL,
      detail TEXT NOT NULL
    );
    )sql",
    // OCR: the queue of documents waiting for it, and the cache of its results.
    R"sql(
    CREATE TABLE ocr_queue (
      doc_id TEXT PRIMARY KEY,
      source_key TEXT NOT NULL,
      source_path TEXT NOT NULL,
      chain TEXT NOT NULL,
      pages TEXT NOT NULL,
      languages TEXT NOT NULL,
      record TEXT NOT NULL,
      added INTEGER NOT NULL
    );
    CREATE INDEX ocr_queue_source ON ocr_queue(source_key);
    CREATE TABLE ocr_cache (
      content_hash TEXT NOT NULL,
      page INTEGER NOT NULL,
      languages TEXT NOT NULL,
      text TEXT NOT NULL,
      confidence INTEGER NOT NULL,
      PRIMARY KEY (content_hash, page, languages)
    );
    )sql",
    // Watch lists (store/watchlists.h): the names `trove xref` looks for.
    R"sql(
    CREATE TABLE watch_lists (
      name TEXT PRIMARY KEY,
      source TEXT NOT NULL,
      format TEXT NOT NULL,
      added INTEGER NOT NULL,
      entries INTEGER NOT NULL
    );
    CREATE TABLE watch_entries (
      list TEXT NOT NULL,
      line INTEGER NOT NULL,
      entry_id TEXT NOT NULL DEFAULT '',
      schema TEXT NOT NULL DEFAULT '',
      names TEXT NOT NULL,
      emails TEXT NOT NULL DEFAULT '',
      fields TEXT NOT NULL DEFAULT '{}',
      PRIMARY KEY (list, line)
    );
    )sql",
    // The watch pass (pipeline/internal/watch_pass.h): every ingest run matches the stored
    // lists against the documents it indexed and keeps the hits. Lists stored before are taken
    // as matched up to the last run (the documents already there are `trove xref`'s).
    R"sql(
    ALTER TABLE watch_lists ADD COLUMN matched_run INTEGER NOT NULL DEFAULT 0;
    UPDATE watch_lists SET matched_run = (SELECT COALESCE(MAX(id), 0) FROM runs);
    CREATE TABLE watch_hits (
      list TEXT NOT NULL,
      line INTEGER NOT NULL,
      doc_id TEXT NOT NULL,
      entry_id TEXT NOT NULL DEFAULT '',
      entry_name TEXT NOT NULL,
      schema TEXT NOT NULL DEFAULT '',
      name TEXT NOT NULL,
      type TEXT NOT NULL,
      matched TEXT NOT NULL,
      kind TEXT NOT NULL,
      score REAL NOT NULL,
      run_id INTEGER NOT NULL,
      found INTEGER NOT NULL,
      PRIMARY KEY (list, line, doc_id)
    );
    CREATE INDEX watch_hits_run ON watch_hits(run_id);
    CREATE INDEX IF NOT EXISTS source_files_run ON source_files(run_id);
    )sql",
};
static_assert(std::size(kMigrations) == kStoreFormatVersion);

std::string JoinPages(const std::vector<int>& pages) {
  std::string out;
  for (const int page : pages) (out += out.empty() ? "" : ",") += std::to_string(page);
  return out;
}

std::vector<int> SplitPages(const std::string& text) {
  std::vector<int> pages;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    pages.push_back(std::atoi(text.substr(start, comma - start).c_str()));
    start = comma + 1;
  }
  return pages;
}

// The queue keeps the binary record as hex: TEXT columns are meant for UTF-8.
std::string ToHex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    out += kDigits[static_cast<unsigned char>(c) >> 4];
    out += kDigits[static_cast<unsigned char>(c) & 0xF];
  }
  return out;
}

std::string FromHex(const std::string& hex) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1]));
  }
  return out;
}

SourceFile ReadSource(const Statement& st) {
  SourceFile s;
  s.path = st.Text(0);
  s.key = st.Text(1);
  s.size = static_cast<std::uint64_t>(st.Int(2));
  s.mtime_ns = st.Int(3);
  s.content_hash = st.Text(4);
  s.state = st.Text(5);
  s.reason = st.Text(6);
  s.media_type = st.Text(7);
  s.run_id = st.Int(8);
  return s;
}

constexpr const char* kSourceColumns =
    "path, key, size, mtime_ns, content_hash, state, reason, media_type, run_id";

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }

  Status Exec(const char* sql) { return internal::Exec(db_, sql); }

  Status Migrate(const std::string& path) {
    TROVE_RETURN_IF_ERROR(Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
    Statement version(db_, "PRAGMA user_version");
    TROVE_RETURN_IF_ERROR(version.status());
    const int found = version.Step() == SQLITE_ROW ? static_cast<int>(version.Int(0)) : 0;
    if (found > kStoreFormatVersion) {
      return Status::Unsupported(path + " has store format " + std::to_string(found) +
                                 ", newer than this trove reads (" +
                                 std::to_string(kStoreFormatVersion) + ")");
    }
    for (int v = found; v < kStoreFormatVersion; ++v) {
      TROVE_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
      Status status = Exec(kMigrations[v]);
      if (status.ok()) {
        status = Exec(("PRAGMA user_version=" + std::to_string(v + 1)).c_str());
      }
      if (!status.ok()) {
        (void)Exec("ROLLBACK");
        return status;
      }
      TROVE_RETURN_IF_ERROR(Exec("COMMIT"));
    }
    return Status::Ok();
  }

  Status Begin() override { return Exec("BEGIN IMMEDIATE"); }
  Status Commit() override { return Exec("COMMIT"); }

  Result<std::optional<SourceFile>> FindSource(const std::string& path) override {
    Statement st(
        db_,
        (std::string("SELECT ") + kSourceColumns + " FROM source_files WHERE path = ?").c_str());
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, path);
    const int rc = st.Step();
    if (rc == SQLITE_ROW) return std::optional<SourceFile>(ReadSource(st));
    if (rc == SQLITE_DONE) return std::optional<SourceFile>();
    return Status::IOError(std::string("store: ") + sqlite3_errmsg(db_));
  }

  Status PutSource(const SourceFile& s) override {
    Statement st(db_, (std::string("INSERT OR REPLACE INTO source_files (") + kSourceColumns +
                       ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                          .c_str());
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, s.path)
        .Bind(2, s.key)
        .Bind(3, static_cast<std::int64_t>(s.size))
        .Bind(4, s.mtime_ns);
    st.Bind(5, s.content_hash)
        .Bind(6, s.state)
        .Bind(7, s.reason)
        .Bind(8, s.media_type)
        .Bind(9, s.run_id);
    return st.Run();
  }

  Result<std::vector<SourceFile>> SourcesInState(const std::string& state) override {
    Statement st(db_, (std::string("SELECT ") + kSourceColumns +
                       " FROM source_files WHERE state = ? ORDER BY path")
                          .c_str());
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, state);
    std::vector<SourceFile> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) out.push_back(ReadSource(st));
    if (rc != SQLITE_DONE) return Status::IOError(std::string("store: ") + sqlite3_errmsg(db_));
    return out;
  }

  Result<std::map<std::string, std::uint64_t>> CountSourcesByState() override {
    Statement st(db_, "SELECT state, COUNT(*) FROM source_files GROUP BY state");
    TROVE_RETURN_IF_ERROR(st.status());
    std::map<std::string, std::uint64_t> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) out[st.Text(0)] = static_cast<std::uint64_t>(st.Int(1));
    if (rc != SQLITE_DONE) return Status::IOError(std::string("store: ") + sqlite3_errmsg(db_));
    return out;
  }

  Status ClearProblems(const std::string& source_key) override {
    Statement st(db_, "DELETE FROM problems WHERE source_key = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, source_key);
    return st.Run();
  }

  Status AddProblem(const Problem& p) override {
    Statement st(db_,
                 "INSERT OR REPLACE INTO problems (source_key, path, state, reason, media_type) "
                 "VALUES (?, ?, ?, ?, ?)");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, p.source_key)
        .Bind(2, p.path)
        .Bind(3, p.state)
        .Bind(4, p.reason)
        .Bind(5, p.media_type);
    return st.Run();
  }

  Result<std::vector<Problem>> ListProblems() override {
    Statement st(db_,
                 "SELECT source_key, path, state, reason, media_type FROM problems ORDER BY path");
    TROVE_RETURN_IF_ERROR(st.status());
    std::vector<Problem> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      out.push_back(Problem{st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4)});
    }
    if (rc != SQLITE_DONE) return Status::IOError(std::string("store: ") + sqlite3_errmsg(db_));
    return out;
  }

  Status ForgetSources() override {
    // The OCR cache stays: it is keyed by content, and a re-ingest reads it.
    return Exec("DELETE FROM source_files; DELETE FROM problems; DELETE FROM ocr_queue;");
  }

  Status PutOcrJob(const OcrJob& job) override {
    Statement st(db_,
                 "INSERT OR REPLACE INTO ocr_queue (doc_id, source_key, source_path, chain, pages, "
                 "languages, record, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, job.doc_id).Bind(2, job.source_key).Bind(3, job.source_path).Bind(4, job.chain);
    st.Bind(5, JoinPages(job.pages)).Bind(6, job.languages).Bind(7, ToHex(job.record));
    st.Bind(8, static_cast<std::int64_t>(std::time(nullptr)));
    return st.Run();
  }

  Status DeleteOcrJob(const std::string& doc_id) override {
    Statement st(db_, "DELETE FROM ocr_queue WHERE doc_id = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, doc_id);
    return st.Run();
  }

  Status DeleteOcrJobsOfSource(const std::string& source_key) override {
    Statement st(db_, "DELETE FROM ocr_queue WHERE source_key = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, source_key);
    return st.Run();
  }

  Result<std::vector<OcrJob>> ListOcrJobs() override {
    Statement st(db_,
                 "SELECT doc_id, source_key, source_path, chain, pages, languages, record "
                 "FROM ocr_queue ORDER BY added, rowid");
    TROVE_RETURN_IF_ERROR(st.status());
    std::vector<OcrJob> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      out.push_back(OcrJob{st.Text(0), st.Text(1), st.Text(2), st.Text(3), SplitPages(st.Text(4)),
                           st.Text(5), FromHex(st.Text(6))});
    }
    if (rc != SQLITE_DONE) return Status::IOError(std::string("store: ") + sqlite3_errmsg(db_));
    return out;
  }

  Result<std::optional<OcrPageText>> FindOcrPage(const std::string& content_hash, int page,
                                                 const std::string& languages) override {
    Statement st(db_,
                 "SELECT text, confidence FROM ocr_cache WHERE content_hash = ? AND page = ? "
                 "AND languages = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, content_hash).Bind(2, static_cast<std::int64_t>(page)).Bind(3, languages);
    const int rc = st.Step();
    if (rc == SQLITE_ROW) {
      return std::optional<OcrPageText>(OcrPageText{st.Text(0), static_cast<int>(st.Int(1))});
    }
    if (rc == SQLITE_DONE) return std::optional<OcrPageText>();
    return Status::IOError(std::string("store: ") + sqlite3_errmsg(db_));
  }

  Status PutOcrPage(const std::string& content_hash, int page, const std::string& languages,
                    const OcrPageText& page_text) override {
    Statement st(db_,
                 "INSERT OR REPLACE INTO ocr_cache (content_hash, page, languages, text, "
                 "confidence) VALUES (?, ?, ?, ?, ?)");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, content_hash).Bind(2, static_cast<std::int64_t>(page)).Bind(3, languages);
    st.Bind(4, page_text.text).Bind(5, static_cast<std::int64_t>(page_text.confidence));
    return st.Run();
  }

  Result<OcrCounts> CountOcr() override {
    OcrCounts counts;
    {
      Statement st(db_, "SELECT pages FROM ocr_queue");
      TROVE_RETURN_IF_ERROR(st.status());
      int rc;
      while ((rc = st.Step()) == SQLITE_ROW) {
        ++counts.queued_documents;
        counts.queued_pages += SplitPages(st.Text(0)).size();
      }
      if (rc != SQLITE_DONE) return Status::IOError(std::string("store: ") + sqlite3_errmsg(db_));
    }
    Statement st(db_, "SELECT COUNT(*) FROM ocr_cache");
    TROVE_RETURN_IF_ERROR(st.status());
    if (st.Step() == SQLITE_ROW) counts.cached_pages = static_cast<std::uint64_t>(st.Int(0));
    return counts;
  }

  Status PutEntityRule(const EntityRule& rule) override {
    Statement st(db_,
                 "INSERT OR REPLACE INTO entity_rules (type, key, action, target) "
                 "VALUES (?, ?, ?, ?)");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, rule.type).Bind(2, rule.key).Bind(3, ActionName(rule.action)).Bind(4, rule.target);
    return st.Run();
  }

  Result<std::vector<EntityRule>> ListEntityRules() override {
    Statement st(db_, "SELECT type, key, action, target FROM entity_rules ORDER BY type, key");
    TROVE_RETURN_IF_ERROR(st.status());
    std::vector<EntityRule> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      EntityRule rule{st.Text(0), st.Text(1), EntityRule::Action::kDelete, st.Text(3)};
      const std::string action = st.Text(2);
      if (action == "merge") {
        rule.action = EntityRule::Action::kMerge;
      } else if (action == "rename") {
        rule.action = EntityRule::Action::kRename;
      } else if (action != "delete") {
        return Status::Corrupt("store: entity rule for " + rule.key + " has unknown action '" +
                               action + "'");
      }
      out.push_back(std::move(rule));
    }
    if (rc != SQLITE_DONE) return Status::IOError(std::string("store: ") + sqlite3_errmsg(db_));
    return out;
  }

  static const char* ActionName(EntityRule::Action action) {
    switch (action) {
      case EntityRule::Action::kMerge:
        return "merge";
      case EntityRule::Action::kRename:
        return "rename";
      case EntityRule::Action::kDelete:
        return "delete";
    }
    return "delete";
  }

  Result<std::int64_t> BeginRun() override {
    Statement st(db_, "INSERT INTO runs (started, state) VALUES (?, 'running')");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, static_cast<std::int64_t>(std::time(nullptr)));
    TROVE_RETURN_IF_ERROR(st.Run());
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_));
  }

  Status UpdateRun(std::int64_t run_id, const std::string& summary_json) override {
    Statement st(db_, "UPDATE runs SET summary = ? WHERE id = ? AND finished = 0");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, summary_json).Bind(2, run_id);
    return st.Run();
  }

  Status FinishRun(std::int64_t run_id, const std::string& summary_json) override {
    Statement st(db_,
                 "UPDATE runs SET finished = ?, state = 'completed', summary = ? WHERE id = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, static_cast<std::int64_t>(std::time(nullptr))).Bind(2, summary_json).Bind(3, run_id);
    return st.Run();
  }

  Result<std::optional<Run>> LastRun() override {
    Statement st(db_,
                 "SELECT id, started, finished, state, summary FROM runs ORDER BY id DESC LIMIT 1");
    TROVE_RETURN_IF_ERROR(st.status());
    const int rc = st.Step();
    if (rc == SQLITE_ROW)
      return std::optional<Run>(Run{st.Int(0), st.Int(1), st.Int(2), st.Text(3), st.Text(4)});
    if (rc == SQLITE_DONE) return std::optional<Run>();
    return Status::IOError(std::string("store: ") + sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_;
};

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Status::IOError("cannot open store " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  auto store = std::make_unique<SqliteStore>(db);
  TROVE_RETURN_IF_ERROR(store->Migrate(path));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace trove::store

namespace trove::store::internal {

Result<sqlite3*> OpenConnection(const std::string& path) {
  TROVE_RETURN_IF_ERROR(Store::Open(path).status());
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Status::IOError("cannot open store " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // As the store's own connection: in WAL mode, NORMAL syncs at checkpoints, not at every
  // commit (the default, FULL, cost the server an fsync per audited search: 8-20 ms each).
  // A crash of trove loses nothing; a power cut may lose the last commits.
  if (Status status = Exec(db, "PRAGMA synchronous=NORMAL;"); !status.ok()) {
    sqlite3_close_v2(db);
    return status;
  }
  return db;
}

Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : "unknown error";
    sqlite3_free(err);
    return Status::IOError("store: " + msg);
  }
  return Status::Ok();
}

}  // namespace trove::store::internal
