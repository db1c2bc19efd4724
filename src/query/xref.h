// Cross-referencing: a watch list (analyze/watchlist.h) against a collection. Every name and
// alias of every entry is matched against the collection's people and organisations (tolerant
// of accents, case, word order, initials, missing middle names and small misspellings:
// analyze/name_matcher.h), its e-mail addresses against the e-mail entities (exactly), and its
// words against the text (as a phrase, then in any order within a small window). Each hit has a
// score in (0, 1], the reason for it, and the documents it occurs in. The collection's entity
// curation applies: a deleted entity matches nothing, a merged one counts as the entity it
// joined, a renamed one matches under its new name. User docs: docs/watchlists.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/document.h"
#include "core/status.h"
#include "core/watch_entry.h"
#include "index/index.h"

namespace trove::query {

struct XrefOptions {
  double min_score = 0.75;               // hits below are left out
  std::uint64_t max_ids = 10;            // document ids listed per hit
  bool with_text = true;                 // also search the text for the names
  int near_slack = 2;                    // words allowed between a name's words in the text
  std::vector<EntityRule> entity_rules;  // the collection's curation
};

// Text hits score below entity hits: the words are there, but nothing says they name someone.
inline constexpr double kTextPhraseScore = 0.9;
inline constexpr double kTextNearScore = 0.75;

struct XrefHit {
  std::string name;     // the entry's name or alias that matched
  std::string type;     // "person", "org", "email" (an entity), or "text"
  std::string matched;  // the entity as the collection names it, or the words found in the text
  std::string kind;     // exact, reordered, partial, initial, fuzzy; text: phrase, near
  double score = 0;
  std::uint64_t documents = 0;  // text hits: only documents the entry's entity hits lack
  std::vector<std::string> ids;
};

struct XrefMatch {
  WatchEntry entry;
  double score = 0;             // its best hit's
  std::uint64_t documents = 0;  // documents found by any of its hits
  std::vector<XrefHit> hits;    // best first
};

struct XrefStats {
  std::uint64_t entries = 0;
  std::uint64_t names = 0;        // names and aliases looked for
  std::uint64_t entities = 0;     // people, organisations and addresses in the collection
  std::uint64_t comparisons = 0;  // name comparisons that blocking let through
  std::uint64_t text_lookups = 0;
  double seconds_entities = 0;   // listing and indexing the collection's entities
  double seconds_matching = 0;   // matching names against them
  double seconds_documents = 0;  // finding documents (entity postings and text search)
};

struct XrefResult {
  std::vector<XrefMatch> matches;  // entries with at least one hit, best score first
  XrefStats stats;
};

// Cross-references `entries` against the collection `reader` reads. Entries with schema
// "Person" match people, "Organization", "Company", "LegalEntity"... organisations, and entries
// without a schema both. Errors come from the index.
Result<XrefResult> Xref(index::Reader& reader, const std::vector<WatchEntry>& entries,
                        const XrefOptions& options);

}  // namespace trove::query
