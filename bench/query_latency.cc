// Query latency on an index built by bench_index_throughput (or any trove collection's index):
// p50 / p95 / p99 in ms per query kind of the generator's queries.tsv, warm, one thread, top 10,
// beside the peers' figures (shared/bench/README.md).
//
//   bench_query_latency --index DIR/index --queries queries.tsv [--per-query FILE] [--passes N]
//                       [--parallel-shard-documents N]
//
// Each kind becomes a trove query: term "w"; and "w1 w2" (trove's default is AND); or
// "w1 OR w2"; phrase "\"w1 w2\""; filter "w date:YYYY-MM-DD..YYYY-MM-DD".
// Two paths are timed, each after one untimed warm-up pass over all queries:
//   search  query::Search: parse, run, load the 10 stored documents, cut snippets (what a user
//           of the CLI or API waits for);
//   index   query::Parse + index::Reader::Search: the same without snippets.
// With --passes N > 1 the timed pass is repeated and every pass's latencies are pooled.
// --parallel-shard-documents sets index::ReaderOptions (0: shards searched one after the other).
#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "index/index.h"
#include "query/parser.h"
#include "query/search.h"

namespace trove::bench {
namespace {

const char* const kKinds[] = {"term", "and", "or", "phrase", "filter"};

std::string Day(const std::string& yyyymmdd) {
  if (yyyymmdd.size() != 8) return yyyymmdd;
  return yyyymmdd.substr(0, 4) + "-" + yyyymmdd.substr(4, 2) + "-" + yyyymmdd.substr(6, 2);
}

// The query text with the query language's syntax characters removed, as words.
std::vector<std::string> Words(const std::string& text) {
  std::string cleaned;
  for (const char ch : text) {
    const bool is_syntax = ch == '"' || ch == '(' || ch == ')' || ch == '*' || ch == ':';
    cleaned += is_syntax ? ' ' : ch;
  }
  std::vector<std::string> out;
  std::istringstream in(cleaned);
  std::string word;
  while (in >> word) {
    while (!word.empty() && (word[0] == '-' || word[0] == '+')) word.erase(0, 1);
    if (word == "AND" || word == "OR" || word == "NOT" || word.rfind("NEAR", 0) == 0) {
      std::transform(word.begin(), word.end(), word.begin(), ::tolower);
    }
    if (!word.empty()) out.push_back(word);
  }
  return out;
}

std::string ToTroveQuery(const CorpusQuery& q) {
  const std::vector<std::string> words = Words(q.text);
  std::string out;
  const std::string sep = q.kind == "or" ? " OR " : " ";
  for (const std::string& w : words) {
    if (!out.empty()) out += sep;
    out += w;
  }
  if (q.kind == "phrase") out = "\"" + out + "\"";
  if (q.kind == "filter") out += " date:" + Day(q.lo) + ".." + Day(q.hi);
  return out;
}

struct Sample {
  double ms = 0;
  std::uint64_t hits = 0;  // the engine's match count (an estimate when not exact)
};

int Run(const std::string& index_dir, const std::string& queries_path, const std::string& per_query_path,
        int passes, const index::ReaderOptions& options) {
  const std::vector<CorpusQuery> queries = ReadQueries(queries_path);
  if (queries.empty()) {
    std::fprintf(stderr, "no queries in %s\n", queries_path.c_str());
    return 1;
  }
  auto reader = index::Reader::Open(index_dir, options);
  if (!reader.ok()) {
    std::fprintf(stderr, "%s\n", reader.status().ToString().c_str());
    return 1;
  }
  auto stats = (*reader)->Stats();
  std::vector<std::string> texts;
  for (const CorpusQuery& q : queries) texts.push_back(ToTroveQuery(q));

  std::FILE* per_query = per_query_path.empty() ? nullptr : std::fopen(per_query_path.c_str(), "w");
  std::map<std::string, std::map<std::string, std::vector<Sample>>> by_path;  // path -> kind -> samples
  std::size_t relaxed = 0, errors = 0;
  for (const std::string path : {"search", "index"}) {
    auto run_one = [&](std::size_t q_idx) -> Sample {
      Sample sample;
      const double start = NowSeconds();
      if (path == "search") {
        auto response = query::Search(**reader, texts[q_idx], query::SearchOptions{});
        sample.ms = (NowSeconds() - start) * 1e3;
        if (response.ok()) {
          sample.hits = response->total;
          if (!response->notice.empty()) ++relaxed;
        } else {
          ++errors;
          std::fprintf(stderr, "%s: %s\n", texts[q_idx].c_str(), response.status().ToString().c_str());
        }
      } else {
        auto node = query::Parse(texts[q_idx]);
        if (node.ok()) {
          index::SearchRequest request;
          request.query = std::move(*node);
          auto result = (*reader)->Search(request);
          sample.ms = (NowSeconds() - start) * 1e3;
          if (result.ok()) sample.hits = result->total;
        }
      }
      return sample;
    };
    for (std::size_t q_idx = 0; q_idx < queries.size(); ++q_idx) (void)run_one(q_idx);  // warm-up
    relaxed = 0;
    errors = 0;
    for (int pass = 0; pass < passes; ++pass) {
      for (std::size_t q_idx = 0; q_idx < queries.size(); ++q_idx) {
        const Sample sample = run_one(q_idx);
        by_path[path][queries[q_idx].kind].push_back(sample);
        if (per_query != nullptr && pass == 0) {
          std::fprintf(per_query, "%s\t%s\t%s\t%.3f\t%llu\n", path.c_str(), queries[q_idx].kind.c_str(),
                       texts[q_idx].c_str(), sample.ms, static_cast<unsigned long long>(sample.hits));
        }
      }
    }
    if (path == "search" && (relaxed > 0 || errors > 0)) {
      std::printf("search path: %zu queries relaxed to OR, %zu failed (per pass)\n", relaxed / passes,
                  errors / passes);
    }
  }
  if (per_query != nullptr) std::fclose(per_query);

  std::printf("index %s: %llu documents; %zu queries, %d timed pass(es); load %.2f\n\n", index_dir.c_str(),
              stats.ok() ? static_cast<unsigned long long>(stats->documents) : 0ull, queries.size(), passes,
              LoadAverage());
  std::printf("| engine | term | AND | OR | phrase | term + date |\n|---|---|---|---|---|---|\n");
  for (const auto& [path, kinds] : by_path) {
    std::printf("| trove (%s) |", path.c_str());
    for (const char* kind : kKinds) {
      const auto it = kinds.find(kind);
      if (it == kinds.end()) {
        std::printf("  |");
        continue;
      }
      std::vector<double> ms;
      for (const Sample& s : it->second) ms.push_back(s.ms);
      std::sort(ms.begin(), ms.end());
      std::printf(" %.2f / %.2f / %.2f |", Quantile(ms, 0.50), Quantile(ms, 0.95), Quantile(ms, 0.99));
    }
    std::printf("\n");
  }
  // shared/bench/README.md: first 200,000 documents, idle machine.
  std::printf("| Lucene 8 (peer) | 0.25 / 0.42 / 0.50 | 0.37 / 0.89 / 1.52 | 0.41 / 1.38 / 4.60 | 0.49 / 2.98 / 4.89 | 0.17 / 0.43 / 0.68 |\n");
  std::printf("| Xapian 1.4, 1 db (peer) | 0.29 / 1.83 / 2.47 | 0.50 / 2.14 / 3.23 | 0.95 / 1.91 / 2.71 | 1.17 / 6.43 / 9.03 | 0.57 / 5.68 / 8.17 |\n");
  std::printf("| Xapian 1.4, 2 shards (peer) | 0.30 / 1.88 / 2.71 | 0.48 / 2.18 / 3.23 | 0.91 / 1.82 / 2.73 | 0.87 / 4.47 / 5.98 | 0.56 / 5.63 / 8.16 |\n");
  std::printf("| SQLite FTS5 (peer) | 0.42 / 20.3 / 46.2 | 1.30 / 10.9 / 47.2 | 6.02 / 38.5 / 82.1 | 2.12 / 30.5 / 56.0 | 0.90 / 23.4 / 106 |\n");

  std::printf("\n| path | kind | n | p50 ms | p95 ms | p99 ms | mean ms | max ms | mean hits |\n|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& [path, kinds] : by_path) {
    for (const char* kind : kKinds) {
      const auto it = kinds.find(kind);
      if (it == kinds.end()) continue;
      std::vector<double> ms;
      double sum = 0, hits = 0;
      for (const Sample& s : it->second) {
        ms.push_back(s.ms);
        sum += s.ms;
        hits += static_cast<double>(s.hits);
      }
      std::sort(ms.begin(), ms.end());
      const double n = static_cast<double>(ms.size());
      std::printf("| %s | %s | %zu | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f |\n", path.c_str(), kind, ms.size(),
                  Quantile(ms, 0.50), Quantile(ms, 0.95), Quantile(ms, 0.99), sum / n, ms.back(), hits / n);
      std::printf("RESULT engine=trove-%s kind=%s n=%zu p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f mean_ms=%.3f mean_hits=%.0f\n",
                  path.c_str(), kind, ms.size(), Quantile(ms, 0.50), Quantile(ms, 0.95), Quantile(ms, 0.99),
                  sum / n, hits / n);
    }
  }
  return 0;
}

}  // namespace
}  // namespace trove::bench

int main(int argc, char** argv) {
  std::string index_dir, queries, per_query;
  int passes = 1;
  trove::index::ReaderOptions options;
  for (int arg_idx = 1; arg_idx + 1 < argc; arg_idx += 2) {
    const std::string arg = argv[arg_idx];
    if (arg == "--index") {
      index_dir = argv[arg_idx + 1];
    } else if (arg == "--queries") {
      queries = argv[arg_idx + 1];
    } else if (arg == "--per-query") {
      per_query = argv[arg_idx + 1];
    } else if (arg == "--passes") {
      passes = std::max(1, std::stoi(argv[arg_idx + 1]));
    } else if (arg == "--parallel-shard-documents") {
      options.parallel_shard_documents = std::stoull(argv[arg_idx + 1]);
    } else {
      index_dir.clear();
      break;
    }
  }
  if (index_dir.empty() || queries.empty()) {
    std::fprintf(stderr, "usage: %s --index DIR/index --queries queries.tsv [--per-query FILE] [--passes N] "
                 "[--parallel-shard-documents N]\n",
                 argv[0]);
    return 2;
  }
  return trove::bench::Run(index_dir, queries, per_query, passes, options);
}
