#include "query/search.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <unordered_map>

#include "core/hash.h"
#include "core/text.h"

namespace trove::query {
namespace {

// thread: stands for at most this many messages.
constexpr std::size_t kMaxThreadMembers = 10000;

using index::QueryNode;
using Kind = QueryNode::Kind;

// Only this much of a document is scanned for a snippet: hits must render fast even for a
// document of hundreds of megabytes.
constexpr std::size_t kMaxSnippetScanBytes = 2 << 20;
// A conjunction of this many plain words or more that fewer than kRelaxBelow documents match
// is followed by the documents that have some of its words ("AND, then OR": the best mean
// average precision of the ranking modes measured, bench/RESULTS.md). The threshold does not
// depend on the page asked for, so every page of a query reports the same total.
constexpr std::size_t kRelaxMinWords = 3;
constexpr std::uint64_t kRelaxBelow = 10;

void CollectWords(const QueryNode& node, bool is_negated, std::vector<std::string>* words,
                  std::vector<std::string>* prefixes) {
  switch (node.kind) {
    case Kind::kWord:
    case Kind::kPhrase:
    case Kind::kNear:
      if (is_negated || !(node.field.empty() || node.field == "title")) return;
      for (const auto& w : node.words) words->push_back(FoldToken(w));
      return;
    case Kind::kPrefix:
      if (!is_negated && (node.field.empty() || node.field == "title")) {
        prefixes->push_back(FoldToken(node.words.at(0)));
      }
      return;
    case Kind::kAndNot:
      CollectWords(node.children.at(0), is_negated, words, prefixes);
      CollectWords(node.children.at(1), !is_negated, words, prefixes);
      return;
    case Kind::kAnd:
    case Kind::kOr:
      for (const auto& child : node.children) CollectWords(child, is_negated, words, prefixes);
      return;
    default:
      return;
  }
}

// True for a conjunction of plain words only: the queries that are worth relaxing. A phrase
// that the user typed as one word ("slip-flow", "l'élection") counts as a word.
bool IsPlainConjunction(const QueryNode& node, std::size_t* word_count) {
  if ((node.kind == Kind::kWord || node.kind == Kind::kPhrase) && node.field.empty()) {
    ++*word_count;
    return true;
  }
  if (node.kind != Kind::kAnd) return false;
  return std::all_of(node.children.begin(), node.children.end(),
                     [&](const QueryNode& c) { return IsPlainConjunction(c, word_count); });
}

void AppendEscaped(std::string& out, std::string_view text) {
  for (const char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
}

// Moves `pos` back to the start of a UTF-8 character.
std::size_t CharStart(std::string_view text, std::size_t pos) {
  while (pos > 0 && pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80)
    --pos;
  return pos;
}

// The entity type a query field searches ("mentions" -> "date"), or "" for other fields.
std::string EntityTypeOfField(const std::string& field) {
  for (const auto& [type, name] : index::EntityTypeFields()) {
    if (name == field) return type;
  }
  return {};
}

QueryNode KeyPhrase(const std::string& field, const std::string& key) {
  QueryNode node;
  node.kind = Kind::kPhrase;
  node.field = field;
  for (std::size_t start = 0; start < key.size();) {
    std::size_t end = key.find(' ', start);
    if (end == std::string::npos) end = key.size();
    node.words.push_back(key.substr(start, end - start));
    start = end + 1;
  }
  if (node.words.size() == 1) node.kind = Kind::kWord;
  return node;
}

// Applies the entity rules to the entity fields of `node`: a new name finds the entity it
// renamed, an entity finds those merged into it, a deleted entity finds nothing.
void ApplyEntityRules(QueryNode& node, const index::EntityRules& rules) {
  for (QueryNode& child : node.children) ApplyEntityRules(child, rules);
  if (node.kind != Kind::kWord && node.kind != Kind::kPhrase) return;
  const std::string type = EntityTypeOfField(node.field);
  if (type.empty()) return;
  std::string typed;
  for (const std::string& word : node.words) (typed += typed.empty() ? "" : " ") += word;
  const std::string key = index::EntityKey(typed);
  const std::string named = rules.KeyOfName(type, key);
  if (!rules.Resolve(type, named)) {
    node = QueryNode{};
    node.kind = Kind::kMatchNothing;
    return;
  }
  const std::vector<std::string> sources = rules.Sources(type, named);
  if (named == key && sources.size() == 1) return;
  QueryNode any;
  any.kind = Kind::kOr;
  if (named == key) any.children.push_back(node);
  for (const std::string& source : sources) {
    if (source != key) any.children.push_back(KeyPhrase(node.field, source));
  }
  node = std::move(any);
}

QueryNode AnyOfIds(std::vector<std::string> ids) {
  QueryNode any;
  any.kind = ids.empty() ? Kind::kMatchNothing : Kind::kOr;
  for (std::string& id : ids) {
    QueryNode leaf;
    leaf.kind = Kind::kFilter;
    leaf.field = "id";
    leaf.words = {std::move(id)};
    any.children.push_back(std::move(leaf));
  }
  return any;
}

// `node` with every tag: and thread: filter replaced by the documents it stands for.
Result<QueryNode> ResolveSets(QueryNode node, index::Reader& reader, const SearchOptions& options) {
  if (node.kind == Kind::kFilter && node.field == "tag") {
    if (!options.tagged) return Status::InvalidArgument("tag: needs the collection's store");
    TROVE_ASSIGN_OR_RETURN(std::vector<std::string> ids, options.tagged(node.words.at(0)));
    return AnyOfIds(std::move(ids));
  }
  if (node.kind == Kind::kFilter && node.field == "thread") {
    const std::string& id = node.words.at(0);
    if (!IsDocumentId(id)) {
      return Status::InvalidArgument("thread: takes a document id (32 hexadecimal digits), not '" +
                                     id + "'");
    }
    bool truncated = false;
    auto members = reader.ThreadMembers(id, kMaxThreadMembers, &truncated);
    if (members.status().code() == StatusCode::kNotFound) {
      return Status::InvalidArgument("thread:" + id + ": no such document");
    }
    if (!members.ok()) return members.status();
    return AnyOfIds(std::move(members).value());
  }
  for (QueryNode& child : node.children) {
    TROVE_ASSIGN_OR_RETURN(child, ResolveSets(std::move(child), reader, options));
  }
  return node;
}

// The filters of `options`, parsed and ready for SearchRequest::filters.
Result<std::vector<QueryNode>> ParseFilters(index::Reader& reader, const SearchOptions& options) {
  std::vector<QueryNode> out;
  for (const std::string& text : options.filters) {
    const bool is_exclusion = !text.empty() && text.front() == '-';
    auto parsed = Parse(is_exclusion ? std::string_view(text).substr(1) : std::string_view(text),
                        ParseOptions{});
    if (!parsed.ok()) {
      return Status::InvalidArgument("filter '" + text + "': " + parsed.status().message());
    }
    TROVE_ASSIGN_OR_RETURN(QueryNode node, ResolveSets(std::move(parsed).value(), reader, options));
    if (is_exclusion) {
      QueryNode all;
      QueryNode keep;
      keep.kind = Kind::kAndNot;
      keep.children = {all, std::move(node)};
      node = std::move(keep);
    }
    out.push_back(std::move(node));
  }
  return out;
}

// A query as Search and Aggregate read it.
struct Prepared {
  QueryNode node;                // as parsed, curation applied
  index::SearchRequest request;  // tag: and thread: resolved, filters parsed
  bool is_relaxable = false;     // a long plain conjunction (kRelaxMinWords words or more)
  std::size_t word_count = 0;
};

Result<Prepared> Prepare(index::Reader& reader, std::string_view query,
                         const SearchOptions& options) {
  ParseOptions parse_options;
  parse_options.is_exact = options.is_exact;
  Prepared out;
  // A blank query is every document (to browse a dump by its facets).
  if (query.find_first_not_of(" \t\r\n") != std::string_view::npos) {
    TROVE_ASSIGN_OR_RETURN(out.node, Parse(query, parse_options));
  }
  if (!options.entity_rules.empty())
    ApplyEntityRules(out.node, index::EntityRules(options.entity_rules));
  index::SearchRequest& request = out.request;
  TROVE_ASSIGN_OR_RETURN(request.query, ResolveSets(out.node, reader, options));
  TROVE_ASSIGN_OR_RETURN(request.filters, ParseFilters(reader, options));
  request.offset = options.offset;
  request.limit = options.limit;
  request.sort = options.sort;
  request.want_facets = options.want_facets;
  request.similarity = options.similarity;
  request.collapse = options.collapse;
  request.entity_rules = options.entity_rules;
  out.is_relaxable =
      IsPlainConjunction(out.node, &out.word_count) && out.word_count >= kRelaxMinWords;
  if (out.is_relaxable) request.min_exact_total = kRelaxBelow;
  return out;
}

// The relaxed form of a plain conjunction: any of its words.
QueryNode AnyWord(const QueryNode& conjunction) {
  QueryNode any = conjunction;
  any.kind = Kind::kOr;
  return any;
}

}  // namespace

std::string Snippet::Render(std::string_view open, std::string_view close) const {
  std::string out;
  std::size_t at = 0;
  for (const auto& [offset, length] : marks) {
    out.append(text, at, offset - at);
    out += open;
    out.append(text, offset, length);
    out += close;
    at = offset + length;
  }
  out.append(text, at, std::string::npos);
  return out;
}

std::string Snippet::RenderHtml() const {
  std::string out;
  std::size_t at = 0;
  const std::string_view view(text);
  for (const auto& [offset, length] : marks) {
    AppendEscaped(out, view.substr(at, offset - at));
    out += "<mark>";
    AppendEscaped(out, view.substr(offset, length));
    out += "</mark>";
    at = offset + length;
  }
  AppendEscaped(out, view.substr(at));
  return out;
}

Highlighter::Highlighter(const QueryNode& query) {
  CollectWords(query, false, &words_, &prefixes_);
  std::sort(words_.begin(), words_.end());
  words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
}

std::vector<std::pair<std::size_t, std::size_t>> Highlighter::Matches(std::string_view text,
                                                                      std::string_view lang) const {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (words_.empty() && prefixes_.empty()) return out;
  std::set<std::string> stems;
  // Snowball stemmers only take endings off (and tidy inside a word); none changes a word's
  // first letter. A token whose first byte starts no stem needs no stemming: under load, the
  // search API spent a fifth of its time stemming snippet words that could not match.
  std::array<bool, 256> stem_starts{};
  for (const std::string& w : words_) {
    std::string stem = index::StemWord(lang, w);
    if (!stem.empty()) stem_starts[static_cast<unsigned char>(stem.front())] = true;
    stems.insert(std::move(stem));
  }
  // Text repeats its words: decide each distinct spelling once (stemming every token was a
  // tenth of query time, bench/RESULTS.md).
  std::unordered_map<std::string_view, bool> decided;
  TokenIterator tokens(text.substr(0, std::min(text.size(), kMaxSnippetScanBytes)));
  Token token;
  while (tokens.Next(&token)) {
    if (token.text.size() > kMaxTokenBytes) continue;
    auto [it, is_new] = decided.try_emplace(token.text, false);
    if (is_new) {
      const std::string folded = FoldToken(token.text);
      bool is_match = std::binary_search(words_.begin(), words_.end(), folded) ||
                      std::any_of(prefixes_.begin(), prefixes_.end(),
                                  [&](const std::string& p) { return folded.rfind(p, 0) == 0; });
      if (!is_match && !folded.empty() && stem_starts[static_cast<unsigned char>(folded.front())]) {
        is_match = stems.count(index::StemWord(lang, folded)) != 0;
      }
      it->second = is_match;
    }
    if (it->second) out.emplace_back(token.offset, token.text.size());
  }
  return out;
}

Snippet Highlighter::Cut(std::string_view text, std::string_view lang,
                         std::size_t max_bytes) const {
  const auto matches = Matches(text, lang);
  std::size_t start = 0;
  if (!matches.empty()) {
    // The window that holds the most matches; ties go to the earliest.
    std::size_t best = 0, best_count = 0, right = 0;
    for (std::size_t left = 0; left < matches.size(); ++left) {
      while (right < matches.size() &&
             matches[right].first + matches[right].second <= matches[left].first + max_bytes)
        ++right;
      if (right - left > best_count) {
        best_count = right - left;
        best = left;
      }
    }
    // Start a little before the first match so that it reads in context.
    const std::size_t lead = max_bytes / 5;
    start = matches[best].first > lead ? matches[best].first - lead : 0;
    // Begin at a word boundary.
    const std::size_t space = text.find_first_of(" \n\t", start);
    if (start > 0 && space != std::string_view::npos && space < matches[best].first)
      start = space + 1;
  }
  start = CharStart(text, start);
  std::size_t end = std::min(text.size(), start + max_bytes);
  if (end < text.size()) {
    const std::size_t space = text.rfind(' ', end);
    if (space != std::string_view::npos && space > start + max_bytes / 2) end = space;
    end = CharStart(text, end);
  }
  Snippet snippet;
  // Line breaks and page breaks read as spaces in a one-line snippet.
  snippet.text.assign(text.substr(start, end - start));
  for (char& ch : snippet.text) {
    if (ch == '\n' || ch == '\r' || ch == '\t' || ch == kPageBreak) ch = ' ';
  }
  for (const auto& [offset, length] : matches) {
    if (offset >= start && offset + length <= end)
      snippet.marks.emplace_back(offset - start, length);
  }
  return snippet;
}

Result<AggregateResponse> Aggregate(index::Reader& reader, std::string_view query,
                                    const SearchOptions& options, index::AggregateRequest wanted) {
  TROVE_ASSIGN_OR_RETURN(Prepared prepared, Prepare(reader, query, options));
  wanted.query = prepared.request.query;
  wanted.filters = prepared.request.filters;
  wanted.similarity = prepared.request.similarity;
  wanted.sort = prepared.request.sort;
  wanted.entity_rules = prepared.request.entity_rules;
  TROVE_ASSIGN_OR_RETURN(index::AggregateResult counts, reader.Aggregate(wanted));
  QueryNode node = prepared.node;
  if (prepared.is_relaxable && counts.total < kRelaxBelow) {
    // Search lists the documents with all the words, then those with some: count those.
    const QueryNode any = AnyWord(prepared.node);
    TROVE_ASSIGN_OR_RETURN(wanted.query, ResolveSets(any, reader, options));
    TROVE_ASSIGN_OR_RETURN(index::AggregateResult relaxed, reader.Aggregate(wanted));
    if (relaxed.total > counts.total) {
      counts = std::move(relaxed);
      node = any;
    }
  }
  return AggregateResponse{Describe(node), std::move(counts)};
}

Result<SearchResponse> Search(index::Reader& reader, std::string_view query,
                              const SearchOptions& options) {
  TROVE_ASSIGN_OR_RETURN(Prepared prepared, Prepare(reader, query, options));
  QueryNode node = std::move(prepared.node);
  index::SearchRequest& request = prepared.request;
  const bool is_relaxable = prepared.is_relaxable;
  const std::size_t word_count = prepared.word_count;
  TROVE_ASSIGN_OR_RETURN(index::SearchResult result, reader.Search(request));
  SearchResponse response;
  if (is_relaxable && result.is_total_exact && result.total < kRelaxBelow) {
    const QueryNode any = AnyWord(node);
    QueryNode rest;
    rest.kind = Kind::kAndNot;
    rest.children = {any, node};
    const std::uint64_t all_words = result.total;
    index::SearchRequest more = request;
    TROVE_ASSIGN_OR_RETURN(more.query, ResolveSets(rest, reader, options));
    more.offset = options.offset > all_words ? options.offset - all_words : 0;
    more.limit = options.limit > result.hits.size() ? options.limit - result.hits.size() : 0;
    more.want_facets = false;
    more.min_exact_total = 0;
    TROVE_ASSIGN_OR_RETURN(index::SearchResult tail, reader.Search(more));
    if (tail.total > 0) {
      const std::string words = "all " + std::to_string(word_count) + " words";
      response.notice = all_words == 0
                            ? "No document has " + words + "; showing documents with most of them."
                            : std::to_string(all_words) +
                                  (all_words == 1 ? " document has " : " documents have ") + words +
                                  "; after them, documents with most of them.";
      result.total = all_words + tail.total;
      result.is_total_exact = result.is_total_exact && tail.is_total_exact;
      for (index::Hit& hit : tail.hits) result.hits.push_back(std::move(hit));
      if (options.want_facets) {
        // Facets of every document shown: those with any of the words.
        index::SearchRequest counts = request;
        TROVE_ASSIGN_OR_RETURN(counts.query, ResolveSets(any, reader, options));
        counts.limit = 0;
        counts.offset = 0;
        TROVE_ASSIGN_OR_RETURN(index::SearchResult counted, reader.Search(counts));
        result.facets = std::move(counted.facets);
        result.facet_documents = counted.facet_documents;
        result.entity_facet_documents = counted.entity_facet_documents;
      }
      node = any;
    }
  }
  response.parsed = Describe(node);
  response.total = result.total;
  response.is_total_exact = result.is_total_exact;
  response.facets = std::move(result.facets);
  response.facet_documents = result.facet_documents;
  response.entity_facet_documents = result.entity_facet_documents;
  const Highlighter highlighter(node);
  for (index::Hit& hit : result.hits) {
    SearchHit out;
    const DocumentRecord& record = hit.doc.record;
    if (options.snippet_bytes > 0) {
      out.snippet = highlighter.Cut(record.extraction.text, record.lang, options.snippet_bytes);
    }
    out.hit = std::move(hit);
    response.hits.push_back(std::move(out));
  }
  return response;
}

}  // namespace trove::query
