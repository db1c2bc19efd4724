// Watch lists kept in a collection (`trove watch add|list|remove`): the names `trove xref`
// looks for, and the hits of the watch pass that matches them against the documents of every
// ingest run (`trove watch hits`). They live in the store's database (DIR/trove.sqlite), tables
// watch_lists, watch_entries and watch_hits; format: docs/formats/store.md (versions 5 and 6).
//
// One WatchLists per thread, like Store.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/watch_entry.h"

namespace trove::store {

struct WatchListInfo {
  std::string name;        // what the user calls it; unique in the collection
  std::string source;      // the file it was read from
  std::string format;      // "csv" or "ftm"
  std::int64_t added = 0;  // Unix seconds
  std::uint64_t entries = 0;
  // The documents of the ingest runs up to this one have been matched against the list (the
  // last run when the list was added: the documents already there are `trove xref`'s).
  std::int64_t matched_run = 0;
};

// One entry of a list found in one document by the watch pass: the best of its hits there.
struct WatchHit {
  std::string list;
  std::uint64_t line = 0;  // the entry (WatchEntry::line)
  std::string entry_id;    // WatchEntry::id
  std::string entry_name;  // WatchEntry::names.front()
  std::string schema;      // WatchEntry::schema
  std::string doc_id;
  std::string name;     // the entry's name or alias that matched (or its e-mail address)
  std::string type;     // "person", "org", "email" (an entity of the document) or "text"
  std::string matched;  // the entity as the document writes it, or the words found in the text
  std::string kind;     // analyze::NameMatchKindName, or phrase, near (text), exact (e-mail)
  double score = 0;
  std::int64_t run_id = 0;  // the ingest run that found it first
  std::int64_t found = 0;   // when, Unix seconds
};

// How many hits a list keeps (WatchLists::CountHits).
struct WatchHitCount {
  std::uint64_t hits = 0;
  std::uint64_t of_run = 0;  // those found first by the run asked about
};

class WatchLists {
 public:
  // Opens the watch lists of the store at `path`, creating or migrating the store as needed.
  static Result<std::unique_ptr<WatchLists>> Open(const std::string& path);
  virtual ~WatchLists() = default;

  // Stores a list and its entries in one transaction, replacing a list of the same name and
  // dropping its hits. info.entries is set from `entries`; info.added is set to now when 0;
  // info.matched_run is set to the last ingest run (documents ingested later are matched).
  virtual Status Put(WatchListInfo info, const std::vector<WatchEntry>& entries) = 0;
  // Every list, by name.
  virtual Result<std::vector<WatchListInfo>> List() = 0;
  // The entries of list `name` in file order; NotFound when there is no such list.
  virtual Result<std::vector<WatchEntry>> Entries(const std::string& name) = 0;
  // Forgets the list, its entries and its hits. NotFound when there is no such list.
  virtual Status Remove(const std::string& name) = 0;

  // The watch pass (pipeline): the keys of the source files indexed by the runs after
  // `after_run` up to `up_to_run`, in path order.
  virtual Result<std::vector<std::string>> SourcesIndexedBetween(std::int64_t after_run,
                                                                 std::int64_t up_to_run) = 0;
  // Records the hits of the watch pass over the documents of the runs up to `run_id` and moves
  // the list's matched_run there, in one transaction. A hit of an entry in a document that an
  // earlier run found already keeps its run and time (a better score replaces its kind and
  // score). Returns the number of hits not found before. NotFound when there is no such list.
  virtual Result<std::uint64_t> AddHits(const std::string& list, std::int64_t run_id,
                                        const std::vector<WatchHit>& hits) = 0;
  // Hits of list `list` (every list when empty) found first by run `run_id` (any run when 0),
  // by list, best score first, then by entry line and document. NotFound for an unknown list.
  virtual Result<std::vector<WatchHit>> Hits(const std::string& list, std::int64_t run_id) = 0;
  // The number of hits of each list that has any, and of those found first by run `run_id`
  // (the server's list of lists). One pass over the hits table, without reading the entries.
  virtual Result<std::map<std::string, WatchHitCount>> CountHits(std::int64_t run_id) = 0;
};

}  // namespace trove::store
