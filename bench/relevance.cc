// Relevance of trove's ranking on the classic test collections (Cranfield, CISI, CACM): MAP,
// nDCG@10, P@10 and R@100, beside the Lucene and Xapian BM25 figures measured on this kind of
// machine (shared/bench/README.md).
//
//   bench_relevance [--data DIR] [--work DIR] [--per-query FILE]
//
// DIR (default: ../shared/data beside the source tree) holds ir-cranfield, ir-cisi and ir-cacm.
// Each collection is indexed through trove's own index API (PrepareDocument + Writer, one shard,
// language "en") into --work (default /tmp/trove-bench/relevance), then every judged query is run:
//
//   default       query::Search, the path a user takes: the words ANDed, relaxed to "most of the
//                 words" (OR) when nothing matches all of them.
//   default/words the same with every non-word character turned into a space first, so that no
//                 hyphenated word becomes a phrase and no lone punctuation becomes a term.
//   AND           the parsed query without relaxation (index::Reader::Search).
//   OR            the words joined with OR, parsed by trove's parser.
//   AND, then OR  (words only) the documents that have every word, then the OR ranking's others:
//                 what relaxing whenever AND finds fewer than the page (not only none) would give.
//
// Query text becomes a valid trove query by removing what the language treats as syntax: quotes,
// parentheses, '*', ':' (fields), a leading '-' or '+', and upper-case operator words (AND, OR,
// NOT, NEAR) are lower-cased. Documents are title + text; relevant means grade > 0; Cranfield's
// grades 1..4 are gains 4..1 for nDCG (binary elsewhere). MAP runs to depth 1000.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "core/hash.h"
#include "core/text.h"
#include "index/index.h"
#include "query/parser.h"
#include "query/search.h"

namespace trove::bench {
namespace {

constexpr std::uint64_t kRankDepth = 1000;
constexpr std::size_t kCutoff10 = 10;
constexpr std::size_t kCutoff100 = 100;

// One SMART record: ".I id" then ".X" sections, each a letter and its lines.
struct SmartRecord {
  std::string id;
  std::map<char, std::string> fields;
};

std::vector<SmartRecord> ReadSmart(const std::string& path) {
  std::ifstream in(path);
  std::vector<SmartRecord> out;
  std::string line;
  char section = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() >= 2 && line[0] == '.' && std::isupper(static_cast<unsigned char>(line[1])) &&
        (line.size() == 2 || line[2] == ' ')) {
      section = line[1];
      if (section == 'I') {
        out.push_back(SmartRecord{});
        std::string id = line.size() > 3 ? line.substr(3) : "";
        id.erase(0, id.find_first_not_of(' '));
        out.back().id = id;
      }
      continue;
    }
    if (out.empty() || section == 0 || section == 'I') continue;
    std::string& text = out.back().fields[section];
    if (!text.empty()) text += '\n';
    text += line;
  }
  return out;
}

struct Collection {
  std::string name;
  std::vector<SmartRecord> docs;           // id = the collection's document number
  std::vector<std::pair<std::string, std::string>> queries;  // (qrel id, text)
  std::map<std::string, std::map<std::string, double>> gains;  // qrel id -> doc number -> gain
};

std::string StripLeadingZeros(std::string s) {
  s.erase(0, std::min(s.find_first_not_of('0'), s.size() - 1));
  return s;
}

Collection LoadCranfield(const std::string& dir) {
  Collection c{"Cranfield", ReadSmart(dir + "/cran.all.1400"), {}, {}};
  // Queries are numbered 1..225 in order of appearance in the qrels, not by their .I ids.
  int ordinal = 0;
  for (const SmartRecord& q : ReadSmart(dir + "/cran.qry")) {
    c.queries.emplace_back(std::to_string(++ordinal), q.fields.count('W') ? q.fields.at('W') : "");
  }
  std::ifstream in(dir + "/cranqrel");
  std::string qid, docid;
  int grade = 0;
  while (in >> qid >> docid >> grade) {
    if (grade >= 1 && grade <= 4) c.gains[qid][docid] = 5 - grade;  // 1 (complete) -> gain 4
  }
  return c;
}

Collection LoadCisi(const std::string& dir) {
  Collection c{"CISI", ReadSmart(dir + "/CISI.ALL"), {}, {}};
  for (const SmartRecord& q : ReadSmart(dir + "/CISI.QRY")) {
    c.queries.emplace_back(q.id, q.fields.count('W') ? q.fields.at('W') : "");
  }
  std::ifstream in(dir + "/CISI.REL");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string qid, docid;
    if (fields >> qid >> docid) c.gains[qid][docid] = 1;
  }
  return c;
}

Collection LoadCacm(const std::string& dir) {
  Collection c{"CACM", ReadSmart(dir + "/cacm.all"), {}, {}};
  for (const SmartRecord& q : ReadSmart(dir + "/query.text")) {
    if (q.id == "0") continue;  // the empty closing record
    c.queries.emplace_back(q.id, q.fields.count('W') ? q.fields.at('W') : "");
  }
  std::ifstream in(dir + "/qrels.text");
  std::string qid, docid, a, b;
  while (in >> qid >> docid >> a >> b) c.gains[StripLeadingZeros(qid)][docid] = 1;
  return c;
}

// --- Query text -> trove query -----------------------------------------------------------------

bool IsOperatorWord(const std::string& w) {
  return w == "AND" || w == "OR" || w == "NOT" || w == "NEAR" || w.rfind("NEAR/", 0) == 0 ||
         w == "&&" || w == "||";
}

// Whitespace-separated words with the query language's syntax removed.
std::vector<std::string> SyntaxFreeWords(const std::string& text, bool is_words_only) {
  std::string cleaned;
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    const bool is_syntax = ch == '"' || ch == '(' || ch == ')' || ch == '*' || ch == ':';
    const bool is_other = is_words_only && byte < 0x80 && !std::isalnum(byte);
    cleaned += (is_syntax || is_other || std::isspace(byte)) ? ' ' : ch;
  }
  std::vector<std::string> out;
  std::istringstream in(cleaned);
  std::string word;
  while (in >> word) {
    while (!word.empty() && (word[0] == '-' || word[0] == '+')) word.erase(0, 1);
    if (word.empty()) continue;
    if (IsOperatorWord(word)) {
      std::transform(word.begin(), word.end(), word.begin(), ::tolower);
    }
    out.push_back(word);
  }
  return out;
}

std::string Join(const std::vector<std::string>& words, const std::string& sep) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += sep;
    out += w;
  }
  return out;
}

// --- Metrics -------------------------------------------------------------------------------------

struct Scores {
  double ap = 0, ndcg10 = 0, p10 = 0, r100 = 0;
};

Scores Score(const std::vector<std::string>& ranked, const std::map<std::string, double>& gains) {
  Scores s;
  std::size_t found = 0;
  double dcg = 0;
  for (std::size_t rank_idx = 0; rank_idx < ranked.size(); ++rank_idx) {
    const auto it = gains.find(ranked[rank_idx]);
    if (it == gains.end()) continue;
    ++found;
    s.ap += static_cast<double>(found) / static_cast<double>(rank_idx + 1);
    if (rank_idx < kCutoff10) {
      s.p10 += 1;
      dcg += it->second / std::log2(static_cast<double>(rank_idx) + 2);
    }
    if (rank_idx < kCutoff100) s.r100 += 1;
  }
  std::vector<double> ideal;
  for (const auto& [doc, gain] : gains) ideal.push_back(gain);
  std::sort(ideal.rbegin(), ideal.rend());
  double idcg = 0;
  for (std::size_t rank_idx = 0; rank_idx < ideal.size() && rank_idx < kCutoff10; ++rank_idx) {
    idcg += ideal[rank_idx] / std::log2(static_cast<double>(rank_idx) + 2);
  }
  const auto relevant = static_cast<double>(gains.size());
  s.ap /= relevant;
  s.ndcg10 = idcg > 0 ? dcg / idcg : 0;
  s.p10 /= static_cast<double>(kCutoff10);
  s.r100 /= relevant;
  return s;
}

// --- Runs ----------------------------------------------------------------------------------------

enum class Mode { kDefault, kDefaultWords, kAnd, kOr, kAndThenOr };

const char* ModeName(Mode mode) {
  switch (mode) {
    case Mode::kDefault: return "trove default (AND, relaxed)";
    case Mode::kDefaultWords: return "trove default, words only";
    case Mode::kAnd: return "trove AND, no relaxation";
    case Mode::kOr: return "trove OR";
    case Mode::kAndThenOr: return "trove AND, then OR (words only)";
  }
  return "?";
}

struct RunSummary {
  Scores mean;
  std::size_t queries = 0, relaxed = 0, empty = 0, parse_errors = 0, match_nothing_terms = 0, phrases = 0;
  double seconds = 0;
};

struct Doc2Number {
  std::map<std::string, std::string> by_id;  // trove id -> collection's document number
};

Result<std::vector<std::string>> RunQuery(index::Reader& reader, const Doc2Number& numbers,
                                          const std::string& text, Mode mode, RunSummary* summary) {
  const bool is_words_only = mode == Mode::kDefaultWords || mode == Mode::kAndThenOr;
  const std::vector<std::string> words = SyntaxFreeWords(text, is_words_only);
  if (mode == Mode::kAndThenOr) {
    std::vector<std::string> ranked;
    std::set<std::string> seen;
    for (const std::string& sep : {std::string(" "), std::string(" OR ")}) {
      if (words.empty()) break;
      TROVE_ASSIGN_OR_RETURN(index::QueryNode node, query::Parse(Join(words, sep)));
      index::SearchRequest request;
      request.query = std::move(node);
      request.limit = kRankDepth;
      TROVE_ASSIGN_OR_RETURN(index::SearchResult result, reader.Search(request));
      for (const auto& hit : result.hits) {
        const auto it = numbers.by_id.find(hit.id);
        if (it != numbers.by_id.end() && seen.insert(it->second).second) ranked.push_back(it->second);
      }
    }
    if (ranked.size() > kRankDepth) ranked.resize(kRankDepth);
    return ranked;
  }
  const std::string query_text = Join(words, mode == Mode::kOr ? " OR " : " ");
  std::vector<std::string> ranked;
  if (query_text.empty()) return ranked;
  std::vector<std::string> ids;
  if (mode == Mode::kDefault || mode == Mode::kDefaultWords) {
    query::SearchOptions options;
    options.limit = kRankDepth;
    TROVE_ASSIGN_OR_RETURN(query::SearchResponse response, query::Search(reader, query_text, options));
    if (!response.notice.empty()) ++summary->relaxed;
    if (response.parsed.find("<nothing>") != std::string::npos) ++summary->match_nothing_terms;
    if (response.parsed.find('"') != std::string::npos) ++summary->phrases;
    for (const auto& hit : response.hits) ids.push_back(hit.hit.id);
  } else {
    TROVE_ASSIGN_OR_RETURN(index::QueryNode node, query::Parse(query_text));
    const std::string parsed = query::Describe(node);
    if (parsed.find("<nothing>") != std::string::npos) ++summary->match_nothing_terms;
    if (parsed.find('"') != std::string::npos) ++summary->phrases;
    index::SearchRequest request;
    request.query = std::move(node);
    request.limit = kRankDepth;
    TROVE_ASSIGN_OR_RETURN(index::SearchResult result, reader.Search(request));
    for (const auto& hit : result.hits) ids.push_back(hit.id);
  }
  for (const std::string& id : ids) {
    const auto it = numbers.by_id.find(id);
    if (it != numbers.by_id.end()) ranked.push_back(it->second);
  }
  return ranked;
}

Result<Doc2Number> BuildIndex(const Collection& c, const std::string& index_dir) {
  std::filesystem::remove_all(index_dir);
  TROVE_ASSIGN_OR_RETURN(std::unique_ptr<index::Writer> writer, index::Writer::Open(index_dir, 1));
  Doc2Number numbers;
  for (const SmartRecord& doc : c.docs) {
    DocumentRecord record;
    // Ids are content hashes in trove; hash the collection's number too, so that Cranfield's
    // two empty documents stay two documents.
    const std::string path = "/" + c.name + "/" + doc.id;
    record.id = ContentHash(path);
    record.occurrence.source_key = SourceKey(path);
    record.occurrence.path = path;
    record.name = doc.id;
    record.media_type = "text/plain";
    record.type = "text";
    record.lang = "en";
    record.extraction.title = doc.fields.count('T') ? doc.fields.at('T') : "";
    record.extraction.text = doc.fields.count('W') ? doc.fields.at('W') : "";
    record.size = record.extraction.title.size() + record.extraction.text.size();
    TROVE_ASSIGN_OR_RETURN(index::PreparedDocument prepared, index::PrepareDocument(record));
    TROVE_RETURN_IF_ERROR(writer->Add(prepared));
    numbers.by_id[record.id] = doc.id;
  }
  TROVE_RETURN_IF_ERROR(writer->Commit());
  return numbers;
}

struct PeerRow {
  const char* collection;
  const char* engine;
  double map, ndcg10, p10, r100;
};

// shared/bench/README.md, "Relevance on the classic test collections".
constexpr PeerRow kPeers[] = {
    {"Cranfield", "Lucene 8, EnglishAnalyzer, BM25, OR", 0.305, 0.368, 0.233, 0.736},
    {"Cranfield", "Xapian 1.4, English stemmer, BM25, OR", 0.285, 0.350, 0.224, 0.717},
    {"Cranfield", "Xapian 1.4, AND", 0.009, 0.013, 0.006, 0.011},
    {"CISI", "Lucene 8, OR", 0.208, 0.371, 0.346, 0.435},
    {"CISI", "Xapian 1.4, OR", 0.191, 0.342, 0.308, 0.401},
    {"CACM", "Lucene 8, OR", 0.341, 0.494, 0.346, 0.657},
    {"CACM", "Xapian 1.4, OR", 0.317, 0.453, 0.285, 0.609},
};

int Run(const std::string& data_dir, const std::string& work_dir, const std::string& per_query_path) {
  std::FILE* per_query = per_query_path.empty() ? nullptr : std::fopen(per_query_path.c_str(), "w");
  std::vector<Collection> collections = {LoadCranfield(data_dir + "/ir-cranfield"),
                                         LoadCisi(data_dir + "/ir-cisi"),
                                         LoadCacm(data_dir + "/ir-cacm")};
  std::printf("| collection | engine / mode | queries | MAP | nDCG@10 | P@10 | R@100 | relaxed | no hits | with <nothing> | with phrase | s |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const Collection& c : collections) {
    if (c.docs.empty() || c.queries.empty()) {
      std::fprintf(stderr, "%s: no documents or queries under %s\n", c.name.c_str(), data_dir.c_str());
      return 1;
    }
    const std::string index_dir = work_dir + "/" + c.name;
    auto numbers = BuildIndex(c, index_dir);
    if (!numbers.ok()) {
      std::fprintf(stderr, "%s: %s\n", c.name.c_str(), numbers.status().ToString().c_str());
      return 1;
    }
    auto reader = index::Reader::Open(index_dir);
    if (!reader.ok()) {
      std::fprintf(stderr, "%s: %s\n", c.name.c_str(), reader.status().ToString().c_str());
      return 1;
    }
    for (const Mode mode : {Mode::kDefault, Mode::kDefaultWords, Mode::kAnd, Mode::kOr, Mode::kAndThenOr}) {
      RunSummary summary;
      const double start = NowSeconds();
      for (const auto& [qid, text] : c.queries) {
        const auto judged = c.gains.find(qid);
        if (judged == c.gains.end() || judged->second.empty()) continue;
        ++summary.queries;
        auto ranked = RunQuery(**reader, *numbers, text, mode, &summary);
        Scores s;
        if (!ranked.ok()) {
          ++summary.parse_errors;
          std::fprintf(stderr, "%s q%s (%s): %s\n", c.name.c_str(), qid.c_str(), ModeName(mode),
                       ranked.status().ToString().c_str());
        } else {
          if (ranked->empty()) ++summary.empty;
          s = Score(*ranked, judged->second);
        }
        summary.mean.ap += s.ap;
        summary.mean.ndcg10 += s.ndcg10;
        summary.mean.p10 += s.p10;
        summary.mean.r100 += s.r100;
        if (per_query != nullptr) {
          std::fprintf(per_query, "%s\t%s\t%s\t%.4f\t%.4f\t%.4f\t%.4f\n", c.name.c_str(), ModeName(mode),
                       qid.c_str(), s.ap, s.ndcg10, s.p10, s.r100);
        }
      }
      summary.seconds = NowSeconds() - start;
      const auto n = static_cast<double>(std::max<std::size_t>(summary.queries, 1));
      std::printf("| %s | %s | %zu | %.3f | %.3f | %.3f | %.3f | %zu | %zu | %zu | %zu | %.1f |\n",
                  c.name.c_str(), ModeName(mode), summary.queries, summary.mean.ap / n,
                  summary.mean.ndcg10 / n, summary.mean.p10 / n, summary.mean.r100 / n,
                  summary.relaxed, summary.empty, summary.match_nothing_terms, summary.phrases,
                  summary.seconds);
      if (summary.parse_errors > 0) {
        std::printf("|  | (%zu queries failed to parse, scored 0) |  |  |  |  |  |  |  |  |  |  |\n",
                    summary.parse_errors);
      }
    }
    for (const PeerRow& peer : kPeers) {
      if (c.name != peer.collection) continue;
      std::printf("| %s | %s (peer) |  | %.3f | %.3f | %.3f | %.3f |  |  |  |  |  |\n", peer.collection,
                  peer.engine, peer.map, peer.ndcg10, peer.p10, peer.r100);
    }
    std::fflush(stdout);
  }
  if (per_query != nullptr) std::fclose(per_query);
  return 0;
}

}  // namespace
}  // namespace trove::bench

int main(int argc, char** argv) {
  std::string data_dir = std::string(TROVE_SOURCE_DIR) + "/../shared/data";
  std::string work_dir = "/tmp/trove-bench/relevance";
  std::string per_query;
  for (int arg_idx = 1; arg_idx < argc; ++arg_idx) {
    const std::string arg = argv[arg_idx];
    const bool has_value = arg_idx + 1 < argc;
    if (arg == "--data" && has_value) {
      data_dir = argv[++arg_idx];
    } else if (arg == "--work" && has_value) {
      work_dir = argv[++arg_idx];
    } else if (arg == "--per-query" && has_value) {
      per_query = argv[++arg_idx];
    } else {
      std::fprintf(stderr, "usage: %s [--data DIR] [--work DIR] [--per-query FILE]\n", argv[0]);
      return 2;
    }
  }
  return trove::bench::Run(data_dir, work_dir, per_query);
}
