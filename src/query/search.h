// Search: parse the query, run it on the index, and cut snippets with the matches marked.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "index/index.h"
#include "query/parser.h"

namespace trove::query {

struct SearchOptions {
  std::uint64_t offset = 0;
  std::uint64_t limit = 10;
  index::SortOrder sort = index::SortOrder::kRelevance;
  bool want_facets = false;
  double similarity = index::kDefaultSimilarity;  // for similar:ID and collapse
  bool collapse = false;  // one hit per group of near-duplicates (index::SearchRequest)
  bool is_exact = false;
  std::size_t snippet_bytes = 240;  // 0: no snippets
  // The collection's entity curation: person:, org:... look for merged and renamed entities
  // under their new names, and find nothing for a deleted one.
  std::vector<EntityRule> entity_rules;
  // Filters in the query language, ANDed in without changing scores (the facet values a user
  // picked); one starting with '-' keeps the documents it does not match.
  std::vector<std::string> filters;
  // The ids of the documents tagged `tag` (store::Workspace::Tagged), for tag:. Without it,
  // tag: is refused.
  std::function<Result<std::vector<std::string>>(const std::string& tag)> tagged;
};

// A piece of document text with the spans that matched the query.
struct Snippet {
  std::string text;
  std::vector<std::pair<std::size_t, std::size_t>> marks;  // (offset, length) in text, in order

  // The text with each mark wrapped in `open` and `close`.
  std::string Render(std::string_view open, std::string_view close) const;
  // HTML-escaped text with <mark> around the matches: safe to insert into a page.
  std::string RenderHtml() const;
};

struct SearchHit {
  index::Hit hit;
  Snippet snippet;
};

struct SearchResponse {
  std::uint64_t total = 0;
  bool is_total_exact = false;
  std::string parsed;  // Describe() of the query that ran
  std::string notice;  // set when the query was relaxed to find more
  std::vector<SearchHit> hits;
  std::map<std::string, std::vector<index::FacetValue>> facets;
  std::uint64_t facet_documents = 0;  // the matches the facets counted (index::SearchResult)
  std::uint64_t entity_facet_documents = 0;
};

// Runs `query` (blank: every document). InvalidArgument for a malformed query (the message says
// what and where). A query of three or more plain words that fewer than ten documents match in full
// lists them first, then the documents with most of its words (OR, ranked by how many match);
// `notice` says so and `total` counts both.
Result<SearchResponse> Search(index::Reader& reader, std::string_view query,
                              const SearchOptions& options);

struct AggregateResponse {
  std::string parsed;             // Describe() of the query that ran
  index::AggregateResult counts;  // counts.total: every match, exactly
};

// Counts `wanted` (index::Reader::Aggregate: months, mentioned months, entities, who wrote to
// whom) over the matches of `query` as Search reads it: curation, tag: and thread:, the
// filters of `options`, and a long conjunction that fewer than ten documents match read as
// any of its words, so that the counts are those of the documents Search lists. Paging,
// facets and collapse in `options` do not apply.
Result<AggregateResponse> Aggregate(index::Reader& reader, std::string_view query,
                                    const SearchOptions& options, index::AggregateRequest wanted);

// The words a query looks for, to mark them in text.
struct Highlighter {
  explicit Highlighter(const index::QueryNode& query);
  // The best window of about `max_bytes` of `text` (a document in `lang`), with matches marked.
  Snippet Cut(std::string_view text, std::string_view lang, std::size_t max_bytes) const;
  // Every match in `text`, as (offset, length).
  std::vector<std::pair<std::size_t, std::size_t>> Matches(std::string_view text,
                                                           std::string_view lang) const;

 private:
  std::vector<std::string> words_;     // folded
  std::vector<std::string> prefixes_;  // folded
};

}  // namespace trove::query
