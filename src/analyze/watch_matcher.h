// Matching a watch list against a batch of documents held in memory: the core of the watch pass
// that every ingest runs over the documents it indexed (pipeline/internal/watch_pass.h), so that
// a list of 100,000 names costs each ingest in proportion to what that ingest brought, not to
// the collection. `trove xref` (query/xref.h) matches a list against the whole collection
// through the index instead; both follow the same rules (docs/watchlists.md, "What matches"):
// names against the documents' people and organisations (analyze/name_matcher.h), e-mail
// addresses exactly, and names of two whole words or more against the text, as a phrase or
// within a small window, only in documents that no entity of the entry's was found in.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/watch_entry.h"

namespace trove::analyze {

// Which of the collection's entities a watch-list entry is compared with, by its schema
// (FollowTheMoney schema or the CSV type column, case aside): people for "Person", organisations
// for "Organization", "Company", "PublicBody"..., both for anything else or nothing.
enum class WatchSide { kPeople, kOrganisations, kBoth };
WatchSide SideOfSchema(std::string_view schema);

// True when a name of these words (NameWords) is looked for in running text: one word alone
// ("Smith", "Total") says too little there, and so does one word with initials ("R. Harris").
bool IsSearchableInText(const std::vector<std::string>& words);

// Text hits score below entity hits: the words are there, but nothing says they name someone.
inline constexpr double kWatchPhraseScore = 0.9;
inline constexpr double kWatchNearScore = 0.75;

// A document as the matcher reads it. Entities are those of EntityMention::type "person",
// "org" and "email" (others are ignored), already curated by the caller: a deleted entity left
// out, a renamed one present under its new name too.
struct WatchDocument {
  std::string id;
  std::string_view text;  // the body text (Extraction::text), positions as the index counts them
  std::vector<EntityMention> entities;
};

struct WatchMatcherOptions {
  double min_score = 0.75;  // hits below are left out
  bool with_text = true;
  int near_slack = 2;  // words allowed between a name's words in the text
  // True when the curation deleted the entity `name` of `type` ("person", "org"): such a name
  // is not looked for in the text either. Null: nothing is deleted.
  std::function<bool(const std::string& type, const std::string& name)> is_deleted;
};

// The best hit of one entry in one document.
struct WatchDocumentHit {
  std::size_t entry = 0;     // index into the matcher's entries
  std::size_t document = 0;  // index into the batch
  std::string name;          // the entry's name or alias (or e-mail address) that matched
  std::string type;          // "person", "org", "email" or "text"
  std::string matched;       // the entity as the document writes it, or the words in the text
  std::string kind;          // NameMatchKindName, "exact" (e-mail), "phrase" or "near" (text)
  double score = 0;
};

// One list's entries, prepared once (their names' words folded), matched against one batch of
// documents after another. Not thread-safe.
class WatchMatcher {
 public:
  WatchMatcher(std::vector<WatchEntry> entries, WatchMatcherOptions options);
  ~WatchMatcher();
  WatchMatcher(const WatchMatcher&) = delete;
  WatchMatcher& operator=(const WatchMatcher&) = delete;

  const std::vector<WatchEntry>& entries() const;

  // The hits of every entry in `documents`: at most one per entry and document, its best
  // (entity hits first: a text hit only where no entity of the entry's was found), ordered by
  // entry, then document. Costs a look-up per name and word of the list, plus reading the
  // batch's words and entities once.
  std::vector<WatchDocumentHit> Match(const std::vector<WatchDocument>& documents);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trove::analyze
