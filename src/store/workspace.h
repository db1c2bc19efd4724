// The workspace: what people add to a collection, kept in the store's database beside the
// ledger (DIR/trove.sqlite): tags, notes, stars, saved searches, the accounts and sessions of
// team mode, and the audit log. Format: docs/formats/store.md (version 3).
//
// One Workspace per thread, like Store.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace trove::store {

struct Tag {
  std::string doc_id;
  std::string tag;
  std::string user;  // who tagged ("" in local mode)
  std::int64_t created = 0;
};

struct Note {
  std::int64_t id = 0;
  std::string doc_id;
  std::string user;
  std::string text;
  std::int64_t created = 0;
};

struct SavedSearch {
  std::int64_t id = 0;
  std::string user;
  std::string name;
  std::string query;  // the search as the UI sends it (JSON object text)
  std::int64_t created = 0;
};

// Roles, weakest first: each may do everything the ones before it may.
enum class Role { kReader, kEditor, kAdmin };
const char* RoleName(Role role);
std::optional<Role> ParseRole(const std::string& name);

struct User {
  std::string name;
  Role role = Role::kReader;
  std::string password_hash;  // argon2id, libsodium's crypto_pwhash_str format
  std::int64_t created = 0;
};

struct Session {
  std::string token_hash;  // BLAKE2b of the cookie's token: the token itself is never stored
  std::string user;
  std::string csrf;  // the token a state-changing request must echo
  std::int64_t created = 0;
  std::int64_t expires = 0;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t time = 0;  // Unix seconds
  std::string user;
  std::string action;  // "search", "view", "download", "export", "tag", "login"...
  std::string detail;  // the query, the document id...
};

class Workspace {
 public:
  // Opens the workspace of the store at `path`, creating or migrating the store as needed.
  static Result<std::unique_ptr<Workspace>> Open(const std::string& path);
  virtual ~Workspace() = default;

  // Adding a tag twice changes nothing.
  virtual Status AddTag(const Tag& tag) = 0;
  virtual Status RemoveTag(const std::string& doc_id, const std::string& tag) = 0;
  virtual Result<std::vector<Tag>> TagsOf(const std::string& doc_id) = 0;
  // The ids of the documents tagged `tag`.
  virtual Result<std::vector<std::string>> Tagged(const std::string& tag) = 0;
  // Every tag and the number of documents that carry it, most used first.
  virtual Result<std::vector<std::pair<std::string, std::uint64_t>>> ListTags() = 0;

  // Returns the new note's id.
  virtual Result<std::int64_t> AddNote(const Note& note) = 0;
  virtual Result<std::vector<Note>> NotesOf(const std::string& doc_id) = 0;
  virtual Result<std::optional<Note>> FindNote(std::int64_t id) = 0;
  virtual Status DeleteNote(std::int64_t id) = 0;

  virtual Status SetStar(const std::string& doc_id, const std::string& user, bool is_starred) = 0;
  virtual Result<bool> IsStarred(const std::string& doc_id, const std::string& user) = 0;
  virtual Result<std::vector<std::string>> StarredBy(const std::string& user) = 0;

  virtual Result<std::int64_t> SaveSearch(const SavedSearch& search) = 0;
  virtual Result<std::vector<SavedSearch>> ListSavedSearches(const std::string& user) = 0;
  virtual Status DeleteSavedSearch(std::int64_t id, const std::string& user) = 0;

  // Inserts or replaces the account `user.name`.
  virtual Status PutUser(const User& user) = 0;
  virtual Result<std::optional<User>> FindUser(const std::string& name) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  // Deletes the account and its sessions; NotFound when there is none.
  virtual Status DeleteUser(const std::string& name) = 0;
  virtual Result<std::uint64_t> CountUsers() = 0;

  virtual Status PutSession(const Session& session) = 0;
  // The unexpired session whose token hashes to `token_hash`.
  virtual Result<std::optional<Session>> FindSession(const std::string& token_hash,
                                                     std::int64_t now) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;

  virtual Status Audit(const AuditEntry& entry) = 0;
  // The newest entries first.
  virtual Result<std::vector<AuditEntry>> ListAudit(std::uint64_t offset, std::uint64_t limit) = 0;
};

}  // namespace trove::store
