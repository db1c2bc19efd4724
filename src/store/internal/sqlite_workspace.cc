#include <ctime>

#include <sqlite3.h>

#include "store/internal/sqlite.h"
#include "store/store.h"
#include "store/workspace.h"

namespace trove::store {
namespace {

using internal::Statement;

class SqliteWorkspace final : public Workspace {
 public:
  explicit SqliteWorkspace(sqlite3* db) : db_(db) {}
  ~SqliteWorkspace() override { sqlite3_close_v2(db_); }

  Status AddTag(const Tag& tag) override {
    Statement st(db_,
                 "INSERT OR IGNORE INTO tags (doc_id, tag, user, created) VALUES (?, ?, ?, ?)");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, tag.doc_id).Bind(2, tag.tag).Bind(3, tag.user).Bind(4, Now(tag.created));
    return st.Run();
  }

  Status RemoveTag(const std::string& doc_id, const std::string& tag) override {
    Statement st(db_, "DELETE FROM tags WHERE doc_id = ? AND tag = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, doc_id).Bind(2, tag);
    return st.Run();
  }

  Result<std::vector<Tag>> TagsOf(const std::string& doc_id) override {
    Statement st(db_, "SELECT doc_id, tag, user, created FROM tags WHERE doc_id = ? ORDER BY tag");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, doc_id);
    return Rows<Tag>(st, [](const Statement& r) {
      return Tag{r.Text(0), r.Text(1), r.Text(2), r.Int(3)};
    });
  }

  Result<std::vector<std::string>> Tagged(const std::string& tag) override {
    Statement st(db_, "SELECT doc_id FROM tags WHERE tag = ? ORDER BY doc_id");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, tag);
    return Rows<std::string>(st, [](const Statement& r) { return r.Text(0); });
  }

  Result<std::vector<std::pair<std::string, std::uint64_t>>> ListTags() override {
    Statement st(db_, "SELECT tag, COUNT(*) AS n FROM tags GROUP BY tag ORDER BY n DESC, tag");
    TROVE_RETURN_IF_ERROR(st.status());
    return Rows<std::pair<std::string, std::uint64_t>>(st, [](const Statement& r) {
      return std::make_pair(r.Text(0), static_cast<std::uint64_t>(r.Int(1)));
    });
  }

  Result<std::int64_t> AddNote(const Note& note) override {
    Statement st(db_, "INSERT INTO notes (doc_id, user, text, created) VALUES (?, ?, ?, ?)");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, note.doc_id).Bind(2, note.user).Bind(3, note.text).Bind(4, Now(note.created));
    TROVE_RETURN_IF_ERROR(st.Run());
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_));
  }

  Result<std::vector<Note>> NotesOf(const std::string& doc_id) override {
    Statement st(db_,
                 "SELECT id, doc_id, user, text, created FROM notes WHERE doc_id = ? ORDER BY id");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, doc_id);
    return Rows<Note>(st, ReadNote);
  }

  Result<std::optional<Note>> FindNote(std::int64_t id) override {
    Statement st(db_, "SELECT id, doc_id, user, text, created FROM notes WHERE id = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, id);
    TROVE_ASSIGN_OR_RETURN(std::vector<Note> notes, Rows<Note>(st, ReadNote));
    if (notes.empty()) return std::optional<Note>();
    return std::optional<Note>(std::move(notes.front()));
  }

  Status DeleteNote(std::int64_t id) override {
    Statement st(db_, "DELETE FROM notes WHERE id = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, id);
    TROVE_RETURN_IF_ERROR(st.Run());
    if (sqlite3_changes(db_) == 0) return Status::NotFound("no note " + std::to_string(id));
    return Status::Ok();
  }

  Status SetStar(const std::string& doc_id, const std::string& user, bool is_starred) override {
    Statement st(db_, is_starred ? "INSERT OR IGNORE INTO stars (doc_id, user, created) "
                                   "VALUES (?, ?, ?)"
                                 : "DELETE FROM stars WHERE doc_id = ? AND user = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, doc_id).Bind(2, user);
    if (is_starred) st.Bind(3, Now(0));
    return st.Run();
  }

  Result<bool> IsStarred(const std::string& doc_id, const std::string& user) override {
    Statement st(db_, "SELECT 1 FROM stars WHERE doc_id = ? AND user = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, doc_id).Bind(2, user);
    TROVE_ASSIGN_OR_RETURN(auto rows, Rows<int>(st, [](const Statement&) { return 1; }));
    return !rows.empty();
  }

  Result<std::vector<std::string>> StarredBy(const std::string& user) override {
    Statement st(db_, "SELECT doc_id FROM stars WHERE user = ? ORDER BY created DESC, doc_id");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, user);
    return Rows<std::string>(st, [](const Statement& r) { return r.Text(0); });
  }

  Result<std::int64_t> SaveSearch(const SavedSearch& search) override {
    Statement st(db_,
                 "INSERT INTO saved_searches (user, name, query, created) VALUES (?, ?, ?, ?)");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, search.user).Bind(2, search.name).Bind(3, search.query).Bind(4, Now(search.created));
    TROVE_RETURN_IF_ERROR(st.Run());
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_));
  }

  Result<std::vector<SavedSearch>> ListSavedSearches(const std::string& user) override {
    Statement st(db_,
                 "SELECT id, user, name, query, created FROM saved_searches WHERE user = ? "
                 "ORDER BY id");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, user);
    return Rows<SavedSearch>(st, [](const Statement& r) {
      return SavedSearch{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4)};
    });
  }

  Status DeleteSavedSearch(std::int64_t id, const std::string& user) override {
    Statement st(db_, "DELETE FROM saved_searches WHERE id = ? AND user = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, id).Bind(2, user);
    TROVE_RETURN_IF_ERROR(st.Run());
    if (sqlite3_changes(db_) == 0) return Status::NotFound("no saved search " + std::to_string(id));
    return Status::Ok();
  }

  Status PutUser(const User& user) override {
    Statement st(db_,
                 "INSERT OR REPLACE INTO users (name, role, password_hash, created) "
                 "VALUES (?, ?, ?, ?)");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, user.name)
        .Bind(2, std::string(RoleName(user.role)))
        .Bind(3, user.password_hash)
        .Bind(4, Now(user.created));
    return st.Run();
  }

  Result<std::optional<User>> FindUser(const std::string& name) override {
    Statement st(db_, "SELECT name, role, password_hash, created FROM users WHERE name = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, name);
    TROVE_ASSIGN_OR_RETURN(std::vector<User> users, ReadUsers(st));
    if (users.empty()) return std::optional<User>();
    return std::optional<User>(std::move(users.front()));
  }

  Result<std::vector<User>> ListUsers() override {
    Statement st(db_, "SELECT name, role, password_hash, created FROM users ORDER BY name");
    TROVE_RETURN_IF_ERROR(st.status());
    return ReadUsers(st);
  }

  Status DeleteUser(const std::string& name) override {
    Statement st(db_, "DELETE FROM users WHERE name = ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, name);
    TROVE_RETURN_IF_ERROR(st.Run());
    if (sqlite3_changes(db_) == 0) return Status::NotFound("no user " + name);
    Statement sessions(db_, "DELETE FROM sessions WHERE user = ?");
    TROVE_RETURN_IF_ERROR(sessions.status());
    sessions.Bind(1, name);
    return sessions.Run();
  }

  Result<std::uint64_t> CountUsers() override {
    Statement st(db_, "SELECT COUNT(*) FROM users");
    TROVE_RETURN_IF_ERROR(st.status());
    TROVE_ASSIGN_OR_RETURN(auto rows,
                           Rows<std::int64_t>(st, [](const Statement& r) { return r.Int(0); }));
    return rows.empty() ? 0 : static_cast<std::uint64_t>(rows.front());
  }

  Status PutSession(const Session& s) override {
    Statement st(db_,
                 "INSERT OR REPLACE INTO sessions (token_hash, user, csrf, created, expires) "
                 "VALUES (?, ?, ?, ?, ?)");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, s.token_hash)
        .Bind(2, s.user)
        .Bind(3, s.csrf)
        .Bind(4, Now(s.created))
        .Bind(5, s.expires);
    return st.Run();
  }

  Result<std::optional<Session>> FindSession(const std::string& token_hash,
                                             std::int64_t now) override {
    Statement st(db_,
                 "SELECT token_hash, user, csrf, created, expires FROM sessions "
                 "WHERE token_hash = ? AND expires > ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, token_hash).Bind(2, now);
    TROVE_ASSIGN_OR_RETURN(auto rows, Rows<Session>(st, [](const Statement& r) {
                             return Session{r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4)};
                           }));
    if (rows.empty()) return std::optional<Session>();
    return std::optional<Session>(std::move(rows.front()));
  }

  Status DeleteSession(const std::string& token_hash) override {
    Statement st(db_, "DELETE FROM sessions WHERE token_hash = ? OR expires <= ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, token_hash).Bind(2, static_cast<std::int64_t>(std::time(nullptr)));
    return st.Run();
  }

  Status Audit(const AuditEntry& e) override {
    Statement st(db_, "INSERT INTO audit_log (time, user, action, detail) VALUES (?, ?, ?, ?)");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, Now(e.time)).Bind(2, e.user).Bind(3, e.action).Bind(4, e.detail);
    return st.Run();
  }

  Result<std::vector<AuditEntry>> ListAudit(std::uint64_t offset, std::uint64_t limit) override {
    Statement st(db_,
                 "SELECT id, time, user, action, detail FROM audit_log ORDER BY id DESC "
                 "LIMIT ? OFFSET ?");
    TROVE_RETURN_IF_ERROR(st.status());
    st.Bind(1, static_cast<std::int64_t>(limit)).Bind(2, static_cast<std::int64_t>(offset));
    return Rows<AuditEntry>(st, [](const Statement& r) {
      return AuditEntry{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4)};
    });
  }

 private:
  static std::int64_t Now(std::int64_t given) {
    return given != 0 ? given : static_cast<std::int64_t>(std::time(nullptr));
  }

  static Note ReadNote(const Statement& r) {
    return Note{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4)};
  }

  Result<std::vector<User>> ReadUsers(Statement& st) {
    std::vector<User> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      const std::optional<Role> role = ParseRole(st.Text(1));
      if (!role) {
        return Status::Corrupt("store: user " + st.Text(0) + " has unknown role '" + st.Text(1) +
                               "'");
      }
      out.push_back(User{st.Text(0), *role, st.Text(2), st.Int(3)});
    }
    if (rc != SQLITE_DONE) return Status::IOError(std::string("store: ") + sqlite3_errmsg(db_));
    return out;
  }

  template <typename T, typename Read>
  Result<std::vector<T>> Rows(Statement& st, Read read) {
    std::vector<T> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) out.push_back(read(st));
    if (rc != SQLITE_DONE) return Status::IOError(std::string("store: ") + sqlite3_errmsg(db_));
    return out;
  }

  sqlite3* db_;
};

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kReader:
      return "reader";
    case Role::kEditor:
      return "editor";
    case Role::kAdmin:
      return "admin";
  }
  return "reader";
}

std::optional<Role> ParseRole(const std::string& name) {
  if (name == "reader") return Role::kReader;
  if (name == "editor") return Role::kEditor;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

Result<std::unique_ptr<Workspace>> Workspace::Open(const std::string& path) {
  TROVE_ASSIGN_OR_RETURN(sqlite3 * db, internal::OpenConnection(path));
  return std::unique_ptr<Workspace>(std::make_unique<SqliteWorkspace>(db));
}

}  // namespace trove::store
