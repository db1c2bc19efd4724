#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include <xapian.h>

#include "index/index.h"
#include "index/internal/aggregate.h"
#include "index/internal/minhash.h"
#include "index/internal/occurrences.h"
#include "index/internal/query_builder.h"
#include "index/internal/schema.h"
#include "index/internal/sharded_search.h"
#include "index/internal/shards.h"
#include "index/internal/similar.h"
#include "index/internal/stored.h"
#include "index/internal/threads.h"

namespace trove::index {
namespace {

using internal::Term;

// BM25 parameters as Lucene sets them (k1 = 1.2, b = 0.75); bench/relevance compares both.
constexpr double kBm25K1 = 1.2;
constexpr double kBm25B = 0.75;

// The `size` most frequent values of one slot over the counters of every database searched
// (the whole collection, or each shard), most frequent first, ties in value order.
std::vector<FacetValue> TopValues(const std::vector<const Xapian::ValueCountMatchSpy*>& spies,
                                  std::uint64_t size) {
  std::map<std::string, std::uint64_t> counts;
  for (const Xapian::ValueCountMatchSpy* spy : spies) {
    for (auto it = spy->values_begin(); it != spy->values_end(); ++it) {
      if (!(*it).empty()) counts[*it] += it.get_termfreq();
    }
  }
  std::vector<FacetValue> out;
  for (auto& [value, count] : counts) out.push_back(FacetValue{value, count});
  std::stable_sort(out.begin(), out.end(),
                   [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
  if (out.size() > size) out.resize(size);
  return out;
}

// Counts matches by the year of their date (value slot kSlotDate): the year facet, without a
// value slot of its own.
class YearSpy final : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double /*wt*/) override {
    const std::string value = doc.get_value(internal::kSlotDate);
    if (value.empty()) return;
    const auto seconds = std::chrono::sys_seconds(
        std::chrono::seconds(static_cast<std::int64_t>(Xapian::sortable_unserialise(value))));
    const std::chrono::year_month_day day(std::chrono::floor<std::chrono::days>(seconds));
    ++counts_[static_cast<int>(day.year())];
  }

  void Merge(const YearSpy& other) {
    for (const auto& [year, count] : other.counts_) counts_[year] += count;
  }

  // Every year, oldest first: the date histogram, which must not lose its quiet years.
  std::vector<FacetValue> All() const {
    std::vector<FacetValue> out;
    for (const auto& [year, count] : counts_) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d", year);
      out.push_back(FacetValue{buf, count});
    }
    return out;
  }

 private:
  std::map<int, std::uint64_t> counts_;
};

// Counts matches by the entities they mention (their XK terms), per entity type, with the
// collection's curation applied: the entity facets. Reads each match's term list, so it costs
// more than a value count; it runs only when facets are asked for.
class EntitySpy final : public Xapian::MatchSpy {
 public:
  EntitySpy(const std::vector<EntityRule>& rules, std::uint64_t sample)
      : rules_(rules), sample_(sample) {}

  void operator()(const Xapian::Document& doc, double /*wt*/) override {
    if (sample_ > 0 && documents_ >= sample_) return;
    ++documents_;
    Xapian::TermIterator t = doc.termlist_begin();
    t.skip_to(std::string(internal::kPrefixEntity));
    seen_.clear();
    for (; t != doc.termlist_end(); ++t) {
      const std::string term = *t;
      if (term.rfind(internal::kPrefixEntity, 0) != 0) break;
      std::optional<internal::EntityTerm> entity = internal::ParseEntityTerm(term);
      if (!entity) continue;
      const std::string type(entity->field->name);
      const std::optional<std::string> resolved = rules_.Resolve(type, entity->key);
      if (!resolved) continue;
      Entry& entry = counts_[{type, *resolved}];
      if (entry.value.empty() || entity->key == *resolved) {
        entry.is_own = entity->key == *resolved;
        entry.value = std::move(entity->value);
      }
      if (seen_.insert({type, *resolved}).second) ++entry.documents;
    }
  }

  std::uint64_t documents() const { return documents_; }

  // Adds another shard's counts (its own sample).
  void Merge(const EntitySpy& other) {
    documents_ += other.documents_;
    for (const auto& [id, entry] : other.counts_) {
      Entry& mine = counts_[id];
      // Its own written form names an entity before a form merged into it.
      if (mine.value.empty() || (entry.is_own && !mine.is_own)) {
        mine.value = entry.value;
        mine.is_own = entry.is_own;
      }
      mine.documents += entry.documents;
    }
  }

  // The facets, one per entity type, each cut to `size` values.
  void AddTo(std::map<std::string, std::vector<FacetValue>>* facets, std::uint64_t size) const {
    std::map<std::string, std::vector<FacetValue>> by_type;
    for (const auto& [id, entry] : counts_) {
      std::string name = rules_.NewName(id.first, id.second);
      if (name.empty()) name = entry.value;
      by_type[id.first].push_back(FacetValue{std::move(name), entry.documents});
    }
    for (auto& [type, values] : by_type) {
      std::stable_sort(values.begin(), values.end(),
                       [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
      if (values.size() > size) values.resize(size);
      // Named as the query field that searches them ("mentions" for dates, not "date").
      (*facets)[std::string(internal::EntityFieldOfType(type)->field)] = std::move(values);
    }
  }

 private:
  struct Entry {
    std::string value;
    bool is_own = false;  // `value` is a form of the entity itself, not of one merged into it
    std::uint64_t documents = 0;
  };

  EntityRules rules_;
  std::uint64_t sample_;  // documents to read at most (0: all)
  std::uint64_t documents_ = 0;
  std::map<std::pair<std::string, std::string>, Entry> counts_;
  std::set<std::pair<std::string, std::string>> seen_;
};

// Documents by the values of one boolean-term prefix, from the terms' frequencies: exact, and
// read from the lexicon rather than from every document.
void CountByPrefix(const Xapian::Database& db, std::string_view prefix, std::uint64_t documents,
                   std::map<std::string, std::uint64_t>* out) {
  std::uint64_t counted = 0;
  const std::string p(prefix);
  for (auto it = db.allterms_begin(p); it != db.allterms_end(p); ++it) {
    (*out)[(*it).substr(p.size())] = it.get_termfreq();
    counted += it.get_termfreq();
  }
  // A document without the term has no value ("unknown").
  if (counted < documents) (*out)["unknown"] += documents - counted;
}

class XapianReader final : public Reader {
 public:
  XapianReader(Xapian::Database db, std::vector<std::string> shard_paths,
               std::uint64_t parallel_shard_documents)
      : db_(std::move(db)),
        shard_paths_(std::move(shard_paths)),
        parallel_shard_documents_(parallel_shard_documents) {
    LoadLanguages();
    OpenShardsApart();
  }

  Result<SearchResult> Search(const SearchRequest& request) override {
    // Every shard at once (sharded_search.h), each counting its own facets, except where a
    // query needs the whole collection: similar: reads its document's signature from whichever
    // shard holds it, and --collapse compares each hit with those ranked before it.
    const bool is_sharded =
        shards_.size() > 1 && !request.collapse && !UsesSimilar(request.query) &&
        std::none_of(request.filters.begin(), request.filters.end(), UsesSimilar);
    if (is_sharded) return SearchShards(request);
    TROVE_ASSIGN_OR_RETURN(Xapian::Query query,
                           QueryOf(request.query, request.filters, request.similarity));
    try {
      Xapian::Enquire enquire = EnquireOf(query, request.sort);
      Facets facets(request.entity_rules, request.entity_facet_sample);
      auto check_at_least = static_cast<Xapian::doccount>(request.min_exact_total);
      if (request.want_facets) {
        facets.AddTo(enquire, has_entities_);
        check_at_least = FacetCheck(request.facet_sample, db_.get_doccount());
      }
      const Xapian::MSet mset = enquire.get_mset(
          static_cast<Xapian::doccount>(request.collapse ? 0 : request.offset),
          static_cast<Xapian::doccount>(request.collapse ? 0 : request.limit), check_at_least);
      SearchResult result;
      result.total = mset.get_matches_estimated();
      result.is_total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
      if (request.collapse) {
        enquire.clear_matchspies();
        TROVE_ASSIGN_OR_RETURN(result.hits, CollapsedHits(enquire, request));
      }
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        Hit hit;
        TROVE_ASSIGN_OR_RETURN(hit.doc, Load(it.get_document()));
        hit.id = hit.doc.record.id;
        hit.score = it.get_weight();
        result.hits.push_back(std::move(hit));
      }
      if (request.want_facets) Facets::Fill({&facets}, request, &result);
      return result;
    } catch (const Xapian::Error& e) {
      return Status::IOError("search: " + e.get_description());
    }
  }

  Result<AggregateResult> Aggregate(const AggregateRequest& request) override {
    TROVE_ASSIGN_OR_RETURN(Xapian::Query query,
                           QueryOf(request.query, request.filters, request.similarity));
    try {
      Xapian::Enquire enquire = EnquireOf(query, request.sort);
      return internal::RunAggregate(db_, enquire, request);
    } catch (const Xapian::Error& e) {
      return Status::IOError("counting the matches: " + e.get_description());
    }
  }

  Result<StoredDocument> Get(const std::string& id) override {
    try {
      const std::string term = Term(internal::kPrefixId, id);
      auto it = db_.postlist_begin(term);
      if (it == db_.postlist_end(term)) return Status::NotFound("no document " + id);
      return Load(db_.get_document(*it));
    } catch (const Xapian::Error& e) {
      return Status::IOError("reading document " + id + ": " + e.get_description());
    }
  }

  Result<std::vector<std::string>> Children(const std::string& id) override {
    try {
      const std::string term = Term(internal::kPrefixParent, id);
      std::vector<std::pair<std::string, std::string>> children;  // (path, id)
      for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) {
        TROVE_ASSIGN_OR_RETURN(StoredDocument doc, Load(db_.get_document(*it)));
        std::string path = doc.record.occurrence.path;
        for (const Occurrence& occ : doc.occurrences) {
          if (occ.parent_id == id) {
            path = occ.path;
            break;
          }
        }
        children.emplace_back(std::move(path), doc.record.id);
      }
      std::sort(children.begin(), children.end());
      std::vector<std::string> ids;
      for (auto& child : children) ids.push_back(std::move(child.second));
      return ids;
    } catch (const Xapian::Error& e) {
      return Status::IOError("listing children of " + id + ": " + e.get_description());
    }
  }

  Result<IndexStats> Stats() override {
    try {
      IndexStats stats;
      stats.documents = db_.get_doccount();
      if (stats.documents == 0) return stats;
      CountByPrefix(db_, internal::kPrefixType, stats.documents, &stats.by_type);
      CountByPrefix(db_, internal::kPrefixLang, stats.documents, &stats.by_lang);
      CountByPrefix(db_, internal::kPrefixState, stats.documents, &stats.by_state);
      return stats;
    } catch (const Xapian::Error& e) {
      return Status::IOError("index statistics: " + e.get_description());
    }
  }

  Result<std::vector<EntityCount>> Entities(const EntityQuery& query) override {
    std::vector<const internal::EntityField*> fields;
    for (const internal::EntityField& field : internal::kEntityFields) {
      if (query.type.empty() || query.type == field.name) fields.push_back(&field);
    }
    if (fields.empty()) {
      std::string known;
      for (const internal::EntityField& field : internal::kEntityFields) {
        (known += known.empty() ? "" : ", ") += field.name;
      }
      return Status::InvalidArgument("unknown entity type '" + query.type + "'; types are " +
                                     known);
    }
    try {
      const EntityRules rules(query.rules);
      std::vector<EntityCount> out = query.with.empty()
                                         ? CountEntities(fields, rules, query.with_forms)
                                         : CountCoMentions(fields, query.with, rules);
      std::sort(out.begin(), out.end(), [](const EntityCount& a, const EntityCount& b) {
        return a.documents != b.documents ? a.documents > b.documents
                                          : std::tie(a.type, a.value) < std::tie(b.type, b.value);
      });
      if (out.size() > query.limit) out.resize(query.limit);
      return out;
    } catch (const Xapian::Error& e) {
      return Status::IOError("listing entities: " + e.get_description());
    }
  }

  Result<bool> HasEntity(const std::string& type, const std::string& key) override {
    const internal::EntityField* field = internal::EntityFieldOfType(type);
    if (field == nullptr) return Status::InvalidArgument("unknown entity type '" + type + "'");
    const std::string prefix = internal::EntityKeyPrefix(*field, key);
    try {
      return db_.allterms_begin(prefix) != db_.allterms_end(prefix);
    } catch (const Xapian::Error& e) {
      return Status::IOError("looking up entity " + key + ": " + e.get_description());
    }
  }

  Result<NameLookupResult> LookUpNames(const NameLookupRequest& request) override {
    try {
      const EntityRules rules(request.rules);
      NameLookupResult result;
      std::vector<Xapian::docid> found_before;  // sorted: every document found so far
      for (const NameLookup& lookup : request.lookups) {
        std::vector<Xapian::docid> docs;
        if (lookup.kind == NameLookup::Kind::kEntity) {
          const internal::EntityField* field = internal::EntityFieldOfType(lookup.type);
          if (field == nullptr) {
            return Status::InvalidArgument("unknown entity type '" + lookup.type + "'");
          }
          for (const std::string& source : rules.Sources(lookup.type, lookup.key)) {
            const std::string prefix = internal::EntityKeyPrefix(*field, source);
            for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) {
              for (auto p = db_.postlist_begin(*t); p != db_.postlist_end(*t); ++p) {
                docs.push_back(*p);
              }
            }
          }
          std::sort(docs.begin(), docs.end());
          docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
        } else {
          docs = TextDocuments(lookup);
          std::vector<Xapian::docid> only_new;
          std::set_difference(docs.begin(), docs.end(), found_before.begin(), found_before.end(),
                              std::back_inserter(only_new));
          docs = std::move(only_new);
        }
        DocumentSet set;
        set.documents = docs.size();
        for (std::size_t k = 0; k < docs.size() && k < request.max_ids; ++k) {
          set.ids.push_back(IdOf(docs[k]));
        }
        result.found.push_back(std::move(set));
        std::vector<Xapian::docid> merged;
        std::set_union(found_before.begin(), found_before.end(), docs.begin(), docs.end(),
                       std::back_inserter(merged));
        found_before = std::move(merged);
      }
      result.documents = found_before.size();
      return result;
    } catch (const Xapian::Error& e) {
      return Status::IOError("looking up names: " + e.get_description());
    }
  }

  Result<std::vector<std::string>> ThreadMembers(const std::string& id, std::size_t limit,
                                                 bool* truncated) override {
    try {
      const std::string term = Term(internal::kPrefixId, id);
      auto it = db_.postlist_begin(term);
      if (it == db_.postlist_end(term)) return Status::NotFound("no document " + id);
      return internal::ThreadDocuments(db_, *it, limit, truncated);
    } catch (const Xapian::Error& e) {
      return Status::IOError("reading the thread of " + id + ": " + e.get_description());
    }
  }

  Status Reopen() override {
    try {
      db_.reopen();
      for (Xapian::Database& shard : shards_) shard.reopen();
      LoadLanguages();
      if (shards_.empty()) OpenShardsApart();
      return Status::Ok();
    } catch (const Xapian::Error& e) {
      return Status::IOError("reopening the index: " + e.get_description());
    }
  }

 private:
  // `node` with `filters` ANDed in as pure filters (no effect on scores), for the whole
  // collection or (QueryOf(db, ...)) for one shard's database.
  Result<Xapian::Query> QueryOf(const QueryNode& node, const std::vector<QueryNode>& filters,
                                double similarity) const {
    return QueryOf(db_, node, filters, similarity);
  }
  Result<Xapian::Query> QueryOf(const Xapian::Database& db, const QueryNode& node,
                                const std::vector<QueryNode>& filters, double similarity) const {
    TROVE_ASSIGN_OR_RETURN(Xapian::Query query,
                           internal::BuildQuery(node, languages_, &db, similarity));
    if (filters.empty()) return query;
    QueryNode all;
    all.kind = QueryNode::Kind::kAnd;
    all.children = filters;
    TROVE_ASSIGN_OR_RETURN(Xapian::Query filter,
                           internal::BuildQuery(all, languages_, &db, similarity));
    return Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
  }

  // An enquire for `query` ranked as searches rank, over the whole collection or (as the
  // shards' threads call it) one shard. Throws Xapian::Error.
  Xapian::Enquire EnquireOf(const Xapian::Query& query, SortOrder sort) {
    return EnquireOf(db_, query, sort);
  }
  Xapian::Enquire EnquireOf(const Xapian::Database& db, const Xapian::Query& query,
                            SortOrder sort) const {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BM25Weight(kBm25K1, 0, 1, kBm25B, 0.5));
    switch (sort) {
      case SortOrder::kRelevance:
        break;
      case SortOrder::kDateNewest:
        enquire.set_sort_by_value_then_relevance(internal::kSlotDate, true);
        break;
      case SortOrder::kDateOldest: {
        // Undated documents last in both orders: an empty value would sort first here.
        // sortable_serialise never produces 0xFF first. A key maker of its own: the shards'
        // threads must not share one.
        auto* oldest_first = new Xapian::MultiValueKeyMaker;
        oldest_first->add_value(internal::kSlotDate, false, std::string(1, '\xff'));
        enquire.set_sort_by_key_then_relevance(oldest_first->release(), false);
        break;
      }
    }
    return enquire;
  }

  // True when `node` has a similar: filter.
  static bool UsesSimilar(const QueryNode& node) {
    if (node.kind == QueryNode::Kind::kFilter && node.field == "similar") return true;
    return std::any_of(node.children.begin(), node.children.end(), UsesSimilar);
  }

  // The sharded page's documents, loaded, after those already in `result`.
  static Status AddHits(const internal::ShardedPage& page, SearchResult* result) {
    for (const internal::ShardHit& shard_hit : page.hits) {
      Hit hit;
      TROVE_ASSIGN_OR_RETURN(hit.doc, Load(shard_hit.doc));
      hit.id = hit.doc.record.id;
      hit.score = shard_hit.weight;
      result->hits.push_back(std::move(hit));
    }
    return Status::Ok();
  }

  // The facet counters of one database searched (the whole collection, or one shard).
  struct Facets {
    Facets(const std::vector<EntityRule>& rules, std::uint64_t entity_sample)
        : type(internal::kSlotType),
          lang(internal::kSlotLang),
          from(internal::kSlotFrom),
          entities(rules, entity_sample) {}

    void AddTo(Xapian::Enquire& enquire, bool with_entities) {
      enquire.add_matchspy(&type);
      enquire.add_matchspy(&lang);
      enquire.add_matchspy(&year);
      enquire.add_matchspy(&from);
      // Reading every match's term list is the dearest part of the facets: not when no
      // document has an entity.
      if (with_entities) enquire.add_matchspy(&entities);
    }

    // The facets of `result`, summed over `all`.
    static void Fill(const std::vector<Facets*>& all, const SearchRequest& request,
                     SearchResult* result) {
      std::vector<const Xapian::ValueCountMatchSpy*> types, langs, froms;
      YearSpy years;
      EntitySpy entities(request.entity_rules, 0);
      for (Facets* f : all) {
        types.push_back(&f->type);
        langs.push_back(&f->lang);
        froms.push_back(&f->from);
        years.Merge(f->year);
        entities.Merge(f->entities);
        result->facet_documents += f->type.get_total();
      }
      result->facets["type"] = TopValues(types, request.facet_size);
      result->facets["lang"] = TopValues(langs, request.facet_size);
      result->facets["year"] = years.All();
      result->facets["from"] = TopValues(froms, request.facet_size);
      entities.AddTo(&result->facets, request.facet_size);
      result->entity_facet_documents = entities.documents();
    }

    Xapian::ValueCountMatchSpy type, lang, from;
    YearSpy year;
    EntitySpy entities;
  };

  // Facet counts over every match, or over the first `sample` of them.
  static Xapian::doccount FacetCheck(std::uint64_t sample, Xapian::doccount documents) {
    return sample > 0 && sample < documents ? static_cast<Xapian::doccount>(sample) : documents;
  }

  // Search() on every shard at once, each with its share of the facet samples.
  Result<SearchResult> SearchShards(const SearchRequest& request) {
    const std::size_t n = shards_.size();
    const auto share = [n](std::uint64_t sample) { return sample == 0 ? 0 : (sample + n - 1) / n; };
    // One set of counters per shard, only when facets are asked for (each copies the curation).
    std::vector<std::unique_ptr<Facets>> facets;
    auto check_at_least = static_cast<Xapian::doccount>(request.min_exact_total);
    if (request.want_facets) {
      for (std::size_t s = 0; s < n; ++s) {
        facets.push_back(
            std::make_unique<Facets>(request.entity_rules, share(request.entity_facet_sample)));
      }
      Xapian::doccount largest = 0;
      for (const Xapian::Database& shard : shards_)
        largest = std::max(largest, shard.get_doccount());
      check_at_least = FacetCheck(share(request.facet_sample), largest);
    }
    const Result<internal::ShardedPage> page = internal::MatchShards(
        shards_,
        [&](Xapian::Database& db, std::size_t shard) -> Result<Xapian::Enquire> {
          TROVE_ASSIGN_OR_RETURN(Xapian::Query q,
                                 QueryOf(db, request.query, request.filters, request.similarity));
          Xapian::Enquire enquire = EnquireOf(db, q, request.sort);
          if (request.want_facets) facets[shard]->AddTo(enquire, has_entities_);
          return enquire;
        },
        request.sort, static_cast<Xapian::doccount>(request.offset),
        static_cast<Xapian::doccount>(request.limit), check_at_least);
    if (!page.ok()) return page.status();
    SearchResult result;
    result.total = page->estimated;
    result.is_total_exact = page->lower_bound == page->upper_bound;
    TROVE_RETURN_IF_ERROR(AddHits(*page, &result));
    if (request.want_facets) {
      std::vector<Facets*> all;
      for (auto& f : facets) all.push_back(f.get());
      Facets::Fill(all, request, &result);
    }
    return result;
  }

  // The page of hits once near-duplicates are folded under the best-placed one: the matches
  // are read in order, each compared with the hits kept so far.
  Result<std::vector<Hit>> CollapsedHits(Xapian::Enquire& enquire, const SearchRequest& request) {
    struct Kept {
      std::optional<internal::Signature> signature;
      Xapian::Document doc;
      // Read when first needed, then every folded member's links added: a reply is not folded
      // into a group that holds the message it answers.
      std::optional<internal::ReplyLinks> links;
      Hit hit;  // loaded only when on the page
    };
    std::vector<Kept> kept;
    const std::uint64_t wanted = request.offset + request.limit;
    constexpr Xapian::doccount kChunk = 200;
    for (Xapian::doccount first = 0; kept.size() < wanted && first < kMaxCollapseScan;
         first += kChunk) {
      const Xapian::MSet chunk = enquire.get_mset(first, kChunk);
      for (auto it = chunk.begin(); it != chunk.end(); ++it) {
        const Xapian::Document doc = it.get_document();
        std::optional<internal::Signature> signature =
            internal::DecodeSignature(doc.get_value(internal::kSlotSignature));
        Kept* host = nullptr;
        std::optional<internal::ReplyLinks> links;
        if (signature) {
          for (Kept& k : kept) {
            if (!k.signature ||
                internal::Similarity(*k.signature, *signature) < request.similarity) {
              continue;
            }
            // A reply is not folded under the message it answers (similar.h).
            if (!links) links = internal::ReplyLinksOf(doc);
            if (!k.links) k.links = internal::ReplyLinksOf(k.doc);
            if (internal::AreReplyLinked(*k.links, *links)) continue;
            host = &k;
            break;
          }
        }
        if (host != nullptr) {
          ++host->hit.collapsed;
          for (std::string& id : links->ids) host->links->ids.push_back(std::move(id));
          for (std::string& id : links->answers) host->links->answers.push_back(std::move(id));
          continue;
        }
        if (kept.size() >= wanted) break;
        Kept k{std::move(signature), doc, std::move(links), Hit{}};
        if (kept.size() >= request.offset) {
          TROVE_ASSIGN_OR_RETURN(k.hit.doc, Load(doc));
          k.hit.id = k.hit.doc.record.id;
          k.hit.score = it.get_weight();
        }
        kept.push_back(std::move(k));
      }
      if (chunk.size() < kChunk) break;
    }
    std::vector<Hit> hits;
    for (std::size_t i = request.offset; i < kept.size(); ++i)
      hits.push_back(std::move(kept[i].hit));
    return hits;
  }

  // Opens shards_ once the shards are large enough to be searched in parallel
  // (ReaderOptions::parallel_shard_documents). Throws Xapian::Error.
  void OpenShardsApart() {
    if (shard_paths_.size() < 2 || parallel_shard_documents_ == 0) return;
    std::vector<Xapian::Database> apart;
    for (const std::string& path : shard_paths_) {
      apart.emplace_back(path);
      if (apart.back().get_doccount() < parallel_shard_documents_) return;
    }
    shards_ = std::move(apart);
  }

  void LoadLanguages() {
    has_entities_ = db_.allterms_begin(std::string(internal::kPrefixEntity)) !=
                    db_.allterms_end(std::string(internal::kPrefixEntity));
    languages_.clear();
    const std::string prefix(internal::kPrefixLang);
    for (auto it = db_.allterms_begin(prefix); it != db_.allterms_end(prefix); ++it) {
      languages_.push_back((*it).substr(prefix.size()));
    }
  }

  std::vector<EntityCount> CountEntities(const std::vector<const internal::EntityField*>& fields,
                                         const EntityRules& rules, bool with_forms) {
    struct Tally {
      std::vector<std::string> terms;  // every written form, merged entities' included
      std::string own_value;           // its own form with the most documents
      Xapian::doccount own_docs = 0;
      std::string any_value;  // any form with the most documents (when it has none of its own)
      Xapian::doccount any_docs = 0;
    };
    std::vector<EntityCount> out;
    for (const internal::EntityField* field : fields) {
      const std::string type(field->name);
      const std::string prefix = std::string(internal::kPrefixEntity) + field->code;
      std::map<std::string, Tally> by_key;
      for (auto it = db_.allterms_begin(prefix); it != db_.allterms_end(prefix); ++it) {
        const std::optional<internal::EntityTerm> entity = internal::ParseEntityTerm(*it);
        if (!entity) continue;
        const std::string& key = entity->key;
        const std::string& value = entity->value;
        const std::optional<std::string> resolved = rules.Resolve(type, key);
        if (!resolved) continue;  // deleted: not an entity
        Tally& tally = by_key[*resolved];
        tally.terms.push_back(*it);
        const Xapian::doccount docs = it.get_termfreq();
        if (key == *resolved && docs > tally.own_docs) {
          tally.own_value = value;
          tally.own_docs = docs;
        }
        if (docs > tally.any_docs) {
          tally.any_value = value;
          tally.any_docs = docs;
        }
      }
      for (const auto& [key, tally] : by_key) {
        std::uint64_t documents = tally.any_docs;
        if (tally.terms.size() > 1) documents = UnionSize(tally.terms);
        std::string value = rules.NewName(type, key);
        if (value.empty()) value = tally.own_docs > 0 ? tally.own_value : tally.any_value;
        EntityCount count{type, std::move(value), documents, key, {}};
        if (with_forms) {
          for (const std::string& term : tally.terms) {
            std::optional<internal::EntityTerm> entity = internal::ParseEntityTerm(term);
            if (entity) count.forms.push_back(std::move(entity->value));
          }
        }
        out.push_back(std::move(count));
      }
    }
    return out;
  }

  // The documents whose text holds the words of a phrase or near lookup, sorted. Most names of a
  // watch list occur nowhere: a word missing from the dictionary answers without a query.
  std::vector<Xapian::docid> TextDocuments(const NameLookup& lookup) {
    std::vector<Xapian::docid> docs;
    if (lookup.words.empty()) return docs;
    for (const std::string& word : lookup.words) {
      if (!db_.term_exists(word)) return docs;
    }
    if (lookup.words.size() == 1) {
      for (auto p = db_.postlist_begin(lookup.words[0]); p != db_.postlist_end(lookup.words[0]);
           ++p) {
        docs.push_back(*p);
      }
      return docs;
    }
    const bool is_phrase = lookup.kind == NameLookup::Kind::kPhrase;
    const auto window = static_cast<Xapian::termcount>(
        is_phrase ? lookup.words.size()
                  : std::max<std::size_t>(lookup.words.size(),
                                          static_cast<std::size_t>(std::max(lookup.window, 0))));
    const Xapian::Query query(is_phrase ? Xapian::Query::OP_PHRASE : Xapian::Query::OP_NEAR,
                              lookup.words.begin(), lookup.words.end(), window);
    Xapian::Enquire enquire(db_);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::MSet mset = enquire.get_mset(0, db_.get_doccount());
    for (auto m = mset.begin(); m != mset.end(); ++m) docs.push_back(*m);
    std::sort(docs.begin(), docs.end());
    return docs;
  }

  // The trove id of a document (its Q term).
  std::string IdOf(Xapian::docid docid) {
    const Xapian::Document doc = db_.get_document(docid);
    Xapian::TermIterator t = doc.termlist_begin();
    t.skip_to(std::string(internal::kPrefixId));
    if (t == doc.termlist_end()) return std::string();
    const std::string term = *t;
    if (term.rfind(internal::kPrefixId, 0) != 0) return std::string();
    return term.substr(internal::kPrefixId.size());
  }

  // The number of documents holding any of `terms`.
  std::uint64_t UnionSize(const std::vector<std::string>& terms) {
    std::set<Xapian::docid> docids;
    for (const std::string& term : terms) {
      for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p) docids.insert(*p);
    }
    return docids.size();
  }

  std::vector<EntityCount> CountCoMentions(const std::vector<const internal::EntityField*>& fields,
                                           const std::string& with, const EntityRules& rules) {
    const std::string with_key = EntityKey(with);
    if (with_key.empty()) return {};
    // The documents that mention `with` as an entity of any type (a new name stands for the
    // entity it renamed, and entities merged into it count as it).
    std::vector<Xapian::Query> alternatives;
    std::set<std::pair<char, std::string>> named;  // (code, key) of `with` itself
    for (const internal::EntityField& field : internal::kEntityFields) {
      const std::string type(field.name);
      const std::string key = rules.KeyOfName(type, with_key);
      named.insert({field.code, key});
      for (const std::string& source : rules.Sources(type, key)) {
        const std::string prefix = std::string(internal::kPrefixEntityWord) + field.code;
        std::vector<Xapian::Query> terms;
        for (std::size_t start = 0; start < source.size();) {
          std::size_t end = source.find(' ', start);
          if (end == std::string::npos) end = source.size();
          terms.emplace_back(prefix + source.substr(start, end - start));
          start = end + 1;
        }
        alternatives.emplace_back(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                                  terms.size());
      }
    }
    Xapian::Enquire enquire(db_);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end()));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const Xapian::MSet mset = enquire.get_mset(0, db_.get_doccount());
    std::map<std::pair<char, std::string>, EntityCount> by_key;
    std::map<std::pair<char, std::string>, std::map<std::string, int>> forms;
    for (auto m = mset.begin(); m != mset.end(); ++m) {
      const Xapian::Document doc = m.get_document();
      Xapian::TermIterator t = doc.termlist_begin();
      t.skip_to(std::string(internal::kPrefixEntity));
      std::set<std::pair<char, std::string>> seen;
      for (; t != doc.termlist_end(); ++t) {
        const std::string term = *t;
        if (term.rfind(internal::kPrefixEntity, 0) != 0) break;
        const std::optional<internal::EntityTerm> entity = internal::ParseEntityTerm(term);
        if (!entity || std::find(fields.begin(), fields.end(), entity->field) == fields.end()) {
          continue;
        }
        const char code = entity->field->code;
        const std::string type(entity->field->name);
        const std::string& key = entity->key;
        const std::string& value = entity->value;
        const std::optional<std::string> resolved = rules.Resolve(type, key);
        if (!resolved || named.count({code, *resolved}) != 0) continue;
        const std::pair<char, std::string> id{code, *resolved};
        forms[id][value] += key == *resolved ? 1000000 : 1;  // its own forms name it first
        if (!seen.insert(id).second) continue;
        EntityCount& count = by_key[id];
        count.type = type;
        count.key = *resolved;
        ++count.documents;
      }
    }
    std::vector<EntityCount> out;
    for (auto& [id, count] : by_key) {
      count.value = rules.NewName(count.type, id.second);
      if (count.value.empty()) {
        const auto& counted = forms[id];
        count.value =
            std::max_element(counted.begin(), counted.end(), [](const auto& a, const auto& b) {
              return a.second < b.second;
            })->first;
      }
      out.push_back(std::move(count));
    }
    return out;
  }

  static Result<StoredDocument> Load(const Xapian::Document& doc) {
    StoredDocument stored;
    const std::string data = doc.get_data();
    TROVE_ASSIGN_OR_RETURN(const internal::StoredParts parts, internal::SplitStoredData(data));
    TROVE_ASSIGN_OR_RETURN(stored.record, internal::DecompressRecord(parts.record));
    stored.occurrences = internal::DecodeOccurrences(parts.occurrences);
    if (!stored.occurrences.empty()) stored.record.occurrence = stored.occurrences.front();
    return stored;
  }

  Xapian::Database db_;
  std::vector<std::string> languages_;
  bool has_entities_ = false;  // some document has an entity term (checked at each reopen)
  std::vector<std::string> shard_paths_;
  std::uint64_t parallel_shard_documents_;
  // The shards again, opened apart from db_ (Xapian objects are not thread-safe): the threads
  // of a sharded search use one each. Empty until every shard holds parallel_shard_documents_.
  std::vector<Xapian::Database> shards_;
};

}  // namespace

Result<std::unique_ptr<Reader>> Reader::Open(const std::string& index_dir,
                                             const ReaderOptions& options) {
  const std::vector<std::string> shards = internal::ListShards(index_dir);
  if (shards.empty())
    return Status::NotFound("no index in " + index_dir + " (run trove ingest first)");
  try {
    Xapian::Database db;
    for (const std::string& path : shards) {
      Xapian::Database shard(path);
      const std::string found = shard.get_metadata(internal::kFormatKey);
      int version = 0;
      const auto [end, ec] = std::from_chars(found.data(), found.data() + found.size(), version);
      if (!found.empty() && (ec != std::errc() || end != found.data() + found.size())) {
        return Status::Corrupt(path + " has an unreadable index format marker '" + found + "'");
      }
      if (version != internal::kIndexFormatVersion) {
        return Status::Unsupported(internal::FormatMismatch(path, version));
      }
      db.add_database(shard);
    }
    return std::unique_ptr<Reader>(
        std::make_unique<XapianReader>(std::move(db), shards, options.parallel_shard_documents));
  } catch (const Xapian::Error& e) {
    return Status::IOError("cannot open index " + index_dir + ": " + e.get_description());
  }
}

}  // namespace trove::index
