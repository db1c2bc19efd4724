// The index: the only module that talks to Xapian. Documents are prepared (terms, values, data)
// in worker processes with PrepareDocument, written by one Writer, and searched by a Reader.
//
// Layout: DIR/index/shard-N/ are Xapian databases searched as one. A document lives in the
// shard chosen by its id, so re-indexing it replaces it in place. Document ids are content
// hashes; a document found at several places keeps every place as an Occurrence.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/document.h"
#include "core/status.h"

namespace trove::index {

// A document ready for the writer: its id and occurrence in clear, the rest opaque.
struct PreparedDocument {
  std::string id;
  Occurrence occurrence;
  std::string blob;  // serialised index document
  // A new version of an existing document's content (its OCR text arrived): it replaces the
  // terms and record of the document `id`, which keeps every place it was found at. Dropped
  // when there is no document `id` (its source file was removed meanwhile).
  bool is_revision = false;
};

// Builds the index document for `record`: folded, exact and stemmed text terms with positions,
// filter terms, sortable values and the stored data. Pure computation; thread-compatible.
Result<PreparedDocument> PrepareDocument(const DocumentRecord& record);

// The stem of a folded word in `lang` (ISO 639-1), or the word itself when there is no stemmer.
std::string StemWord(std::string_view lang, std::string_view folded_word);

// Languages that have a stemmer, as ISO 639-1 codes.
const std::vector<std::string>& StemmedLanguages();

// Writes the index. One Writer per collection at a time: Open fails with IOError ("locked")
// while another process writes. Call it from one thread; it writes each shard in a thread of
// its own, so an error in applying Add or AddOccurrence is returned by a later FirstPath,
// RemoveSource or Commit.
class Writer {
 public:
  static Result<std::unique_ptr<Writer>> Open(const std::string& index_dir, int shard_count = 1);
  virtual ~Writer() = default;

  // Adds `doc`, or, when a document with the same id exists, adds its occurrence to it.
  // Adding an occurrence twice changes nothing. A revision (doc.is_revision) replaces the
  // content of the existing document instead.
  virtual Status Add(PreparedDocument doc) = 0;
  // Adds an occurrence to the existing document `id`; NotFound when there is none.
  virtual Status AddOccurrence(const std::string& id, const Occurrence& occurrence) = 0;
  // True when a document `id` exists (including uncommitted additions).
  virtual Result<bool> Contains(const std::string& id) = 0;
  // The path chain of the first place document `id` was found at; NotFound when there is none.
  virtual Result<std::string> FirstPath(const std::string& id) = 0;
  // Removes every occurrence that came from source `source_key`; a document left with none is
  // deleted. Used before a source file is indexed again.
  virtual Status RemoveSource(const std::string& source_key) = 0;
  // Makes everything added so far durable.
  virtual Status Commit() = 0;
  virtual int shard_count() const = 0;
};

// --- Search --------------------------------------------------------------------------------

// A query tree, built by the query module from the user's query language.
struct QueryNode {
  enum class Kind {
    kMatchAll,
    kMatchNothing,
    kWord,       // words[0] in `field` (default: the text)
    kPhrase,     // words in order
    kNear,       // words within `distance` of each other, any order
    kPrefix,     // words[0] is a prefix
    kFilter,     // a boolean filter: field in type, lang, id, parent, source, state, year, or
                 // similar (the near-duplicates of the id in words[0], weighted by similarity)
    kDateRange,  // lo..hi as "YYYYMMDD" (either may be empty for an open end)
    kAnd,
    kOr,
    kAndNot,  // children[0] AND NOT children[1]
  };
  Kind kind = Kind::kMatchAll;
  std::string field;  // "" (text), "title", "from", "to", "cc", "bcc", "path", "name", or a filter
  std::vector<std::string> words;
  int distance = 0;
  bool is_exact = false;  // case and accents kept, no stemming
  std::string lo, hi;
  std::vector<QueryNode> children;
};

enum class SortOrder { kRelevance, kDateNewest, kDateOldest };

// SearchRequest::facet_sample unless said otherwise.
inline constexpr std::uint64_t kDefaultFacetSample = 20000;
inline constexpr std::uint64_t kDefaultEntityFacetSample = 5000;

// similar:ID finds the documents whose estimated share of three-word shingles with ID (Jaccard
// similarity of MinHash signatures) is at least this, unless SearchRequest::similarity says.
inline constexpr double kDefaultSimilarity = 0.6;

struct SearchRequest {
  QueryNode query;
  std::uint64_t offset = 0;
  std::uint64_t limit = 10;
  SortOrder sort = SortOrder::kRelevance;
  bool want_facets = false;
  std::uint64_t facet_size = 20;  // values per facet
  // Facets count at most this many matches (the first Xapian examines), so that a word found in
  // half of a million documents still answers in well under a second; SearchResult::
  // facet_documents says how many were counted. 0: every match.
  std::uint64_t facet_sample = kDefaultFacetSample;
  // The entity facets read each counted match's term list (about 30 µs a document): they count
  // at most this many of those matches (SearchResult::entity_facet_documents). 0: all.
  std::uint64_t entity_facet_sample = kDefaultEntityFacetSample;
  // Count at least this many matches exactly (total is then exact whenever it is below).
  std::uint64_t min_exact_total = 0;
  // The collection's entity curation, applied to the entity facets.
  std::vector<EntityRule> entity_rules;
  // A node ANDed in as a pure filter (no effect on scores), e.g. facet selections.
  std::vector<QueryNode> filters;
  double similarity = kDefaultSimilarity;  // for similar:ID, from 0 to 1
  // One hit per group of near-duplicates: a match whose text is at least `similarity` like a
  // better-placed hit's is folded under it (Hit::collapsed) instead of listed. Paging counts
  // the hits that remain; at most kMaxCollapseScan matches are read to fill a page.
  bool collapse = false;
};

// With SearchRequest::collapse, the matches read at most to fill one page.
inline constexpr std::uint64_t kMaxCollapseScan = 100000;

// A stored document, as a search hit or a document view shows it.
struct StoredDocument {
  DocumentRecord record;                // record.occurrence is the first occurrence
  std::vector<Occurrence> occurrences;  // every place it was found
};

struct Hit {
  std::string id;
  double score = 0;
  StoredDocument doc;
  // With SearchRequest::collapse: the near-duplicates folded under this hit among the matches
  // read to fill the page (later pages may fold more).
  std::uint64_t collapsed = 0;
};

struct FacetValue {
  std::string value;
  std::uint64_t count = 0;
};

struct SearchResult {
  std::uint64_t total = 0;  // matching documents (exact when is_total_exact)
  bool is_total_exact = false;
  std::vector<Hit> hits;
  // "type", "lang", "year", "from", and one per entity type present, named as its query field
  // ("person", "org", "email", "mentions"...): values by descending count, except "year" (the
  // date histogram): every year, oldest first, whatever facet_size says.
  std::map<std::string, std::vector<FacetValue>> facets;
  // The matches the facets counted: `total` unless the request's facet_sample cut them short.
  std::uint64_t facet_documents = 0;
  std::uint64_t entity_facet_documents = 0;  // the matches the entity facets counted
};

struct IndexStats {
  std::uint64_t documents = 0;
  std::map<std::string, std::uint64_t> by_type, by_lang, by_state;
};

// An entity and the number of documents that mention it (or that mention it together with
// another, for EntityQuery::with).
struct EntityCount {
  std::string type;   // EntityMention::type
  std::string value;  // the normalised value written by most of those documents
  std::uint64_t documents = 0;
  std::string key;  // the entity's key once curation is applied (what NameLookup::key takes)
  // With EntityQuery::with_forms: every value written for it, merged entities' included.
  std::vector<std::string> forms;
};

struct EntityQuery {
  std::string type;  // one EntityMention::type, or empty for all
  // When set: the entities mentioned in the documents that mention an entity whose words are
  // these (any type), counted over those documents; the named entity itself is left out.
  std::string with;
  std::uint64_t limit = 50;
  std::vector<EntityRule> rules;  // the collection's curation (store::Store::ListEntityRules)
  bool with_forms = false;        // fill EntityCount::forms (not with `with`)
};

// Where names occur, for cross-referencing (query/xref.h): the documents that mention an
// entity, or whose text holds some words as a phrase or near each other.
struct NameLookup {
  enum class Kind {
    kEntity,  // the entity (type, key), as Entities lists it: merged entities count as it
    kPhrase,  // `words` in this order, adjacent
    kNear,    // `words` in any order within `window` positions
  };
  Kind kind = Kind::kEntity;
  std::string type, key;           // kEntity
  std::vector<std::string> words;  // kPhrase, kNear: folded words (FoldToken)
  int window = 0;                  // kNear
};

struct NameLookupRequest {
  std::vector<NameLookup> lookups;
  std::vector<EntityRule> rules;  // the collection's curation
  std::uint64_t max_ids = 10;     // document ids to return per lookup
};

struct DocumentSet {
  std::uint64_t documents = 0;
  std::vector<std::string> ids;  // the first max_ids of them, in index order
};

struct NameLookupResult {
  // One per lookup, in the request's order. An entity lookup counts every document that
  // mentions the entity; a text lookup counts only documents that no earlier lookup found.
  std::vector<DocumentSet> found;
  std::uint64_t documents = 0;  // documents found by any lookup
};

// --- Aggregates of a search --------------------------------------------------------------

// AggregateRequest::sample unless said otherwise.
inline constexpr std::uint64_t kDefaultAggregateSample = 5000;

// What the timeline and the graphs of a search count: figures over the matches of a query,
// read from values and terms (never from the stored documents, but for the names of the
// correspondents shown).
struct AggregateRequest {
  // The query, its filters, similarity and sort as in SearchRequest.
  QueryNode query;
  std::vector<QueryNode> filters;
  double similarity = kDefaultSimilarity;
  SortOrder sort = SortOrder::kRelevance;  // which matches come first, for `sample`
  // The collection's entity curation, applied to the entities.
  std::vector<EntityRule> entity_rules;
  // The parts that read a match's term list (mentioned dates, entities, correspondents: about
  // 30 µs a document) read the first `sample` matches in `sort` order only; AggregateResult::
  // documents_counted says how many they read. 0: every match. The months of the documents'
  // own dates always count every match (a value read, about 100 times cheaper).
  std::uint64_t sample = kDefaultAggregateSample;
  bool want_mentioned_months = false;
  // Entities of these types (EntityMention::type): the `max_entities` that most counted
  // documents mention, and how many documents mention each pair of them. Empty: none.
  std::vector<std::string> entity_types;
  std::uint64_t max_entities = 50;
  // Who wrote to whom: the `max_correspondents` addresses in most counted messages (From, To
  // and Cc) and the messages from each to each of the others (To or Cc).
  bool want_correspondents = false;
  std::uint64_t max_correspondents = 100;
};

struct MonthCount {
  std::string month;  // "YYYY-MM"
  std::uint64_t documents = 0;
  std::uint64_t mentions = 0;  // mentioned months: the mentions of a day of it (0 otherwise)
};

// A weighted link between two entries of a list (AggregateResult::entities or
// correspondents), by their indexes.
struct AggregateLink {
  std::size_t source = 0;
  std::size_t target = 0;
  std::uint64_t documents = 0;  // documents (messages) counted with both
};

struct Correspondent {
  std::string address;  // lower case
  // The name written beside the address in its From, To or Cc header, or "": read from the
  // stored headers of its first counted messages (at most three), for the addresses returned
  // only.
  std::string name;
  std::uint64_t sent = 0;      // counted messages from it
  std::uint64_t received = 0;  // counted messages to it or copied to it
};

struct AggregateResult {
  std::uint64_t total = 0;  // matching documents, exact: every match is counted
  // Every match by the month of its own date (UTC), oldest first; `undated` have none.
  std::vector<MonthCount> months;
  std::uint64_t undated = 0;
  // The matches the sampled parts below read: `total` unless AggregateRequest::sample cut
  // them short.
  std::uint64_t documents_counted = 0;
  // Per month, the counted documents whose text mentions a day of it (date entities), oldest
  // first.
  std::vector<MonthCount> mentioned_months;
  // By documents, most first (ties by type and value); EntityCount::key is after curation.
  std::vector<EntityCount> entities;
  // Pairs of `entities` mentioned in the same counted document, source < target, most
  // documents first.
  std::vector<AggregateLink> entity_links;
  // Counted documents with a sender address and a recipient address.
  std::uint64_t messages = 0;
  // By messages sent and received, most first (ties by address).
  std::vector<Correspondent> correspondents;
  // From `source` to `target` (indexes in `correspondents`), most messages first.
  std::vector<AggregateLink> correspondence;
};

// A collection's entity rules, ready to apply.
class EntityRules {
 public:
  explicit EntityRules(const std::vector<EntityRule>& rules);
  // The key `key` counts under once merges are followed; nullopt when deleted.
  std::optional<std::string> Resolve(const std::string& type, const std::string& key) const;
  // The name given to the entity `key` by a rename, or "".
  std::string NewName(const std::string& type, const std::string& key) const;
  // The key that `name_key` stands for: the renamed entity when it is a new name, else itself.
  std::string KeyOfName(const std::string& type, const std::string& name_key) const;
  // Every key that resolves to `key`, `key` included.
  std::vector<std::string> Sources(const std::string& type, const std::string& key) const;
  bool empty() const { return rules_.empty(); }

 private:
  std::map<std::pair<std::string, std::string>, EntityRule> rules_;
};

// The key under which an entity value is indexed and looked up: its folded words joined by
// single spaces ("Marine Le Pen" and "MARINE LE PEN" -> "marine le pen").
std::string EntityKey(std::string_view value);

// The entity types (EntityMention::type) and the query field of each ("date" -> "mentions").
const std::vector<std::pair<std::string, std::string>>& EntityTypeFields();

// True while a trove process writes the index (an ingest, or a compaction): its shards are
// locked for writing. A run the store has not seen finish is running when this is true, and
// was interrupted otherwise.
bool IsIndexBeingWritten(const std::string& index_dir);

struct CompactResult {
  int shards = 0;
  std::uint64_t bytes_before = 0, bytes_after = 0;
};

// Rewrites every shard compactly (Xapian's compactor: full blocks, posting lists in few
// chunks), in place, and safe against a crash at any moment: queries then read fewer blocks.
// IOError when another trove process writes the collection. Readers open meanwhile keep
// reading the old files until they reopen.
Result<CompactResult> CompactIndex(const std::string& index_dir);

struct ReaderOptions {
  // A search runs on every shard at once, one thread each, when every shard holds at least
  // this many documents (0: never). Each shard then ranks with its own term statistics, as
  // Elasticsearch's shards do: documents go to shards by the hash of their content, so on
  // large shards the statistics differ by sampling noise only, while on small ones a common
  // word could rank differently in each. Small shards answer fast enough one after the other.
  std::uint64_t parallel_shard_documents = 50000;
};

// Reads the index (all shards, local or remote). Thread-compatible: one Reader per thread.
class Reader {
 public:
  // NotFound when the collection has no index yet.
  static Result<std::unique_ptr<Reader>> Open(const std::string& index_dir,
                                              const ReaderOptions& options = {});
  virtual ~Reader() = default;

  // InvalidArgument for a query that cannot run (explained in the message).
  virtual Result<SearchResult> Search(const SearchRequest& request) = 0;
  // Counts the matches of a query for a timeline or a graph, without loading them.
  // InvalidArgument for a query that cannot run or an unknown entity type.
  virtual Result<AggregateResult> Aggregate(const AggregateRequest& request) = 0;
  // NotFound when there is no document `id`.
  virtual Result<StoredDocument> Get(const std::string& id) = 0;
  // Ids of the documents whose parent is `id`, in path order.
  virtual Result<std::vector<std::string>> Children(const std::string& id) = 0;
  virtual Result<IndexStats> Stats() = 0;
  // Entities by the number of documents that mention them, most first. InvalidArgument for an
  // unknown type.
  virtual Result<std::vector<EntityCount>> Entities(const EntityQuery& query) = 0;
  // True when some document mentions an entity of `type` (EntityMention::type) under `key`.
  virtual Result<bool> HasEntity(const std::string& type, const std::string& key) = 0;
  // The documents of each lookup. A text lookup with a word that no document holds costs one
  // dictionary look-up. InvalidArgument for an unknown entity type.
  virtual Result<NameLookupResult> LookUpNames(const NameLookupRequest& request) = 0;
  // The ids of the documents in the e-mail thread of document `id` (itself first), linked by
  // Message-ID, In-Reply-To and References, or by subject where those are missing (see
  // docs/formats/index.md), at most `limit`; `truncated` says whether there were more. A
  // document that is not a message is alone in its thread. NotFound when there is no `id`.
  virtual Result<std::vector<std::string>> ThreadMembers(const std::string& id, std::size_t limit,
                                                         bool* truncated) = 0;
  // Re-opens at the latest commit, for long-lived readers.
  virtual Status Reopen() = 0;
};

}  // namespace trove::index
