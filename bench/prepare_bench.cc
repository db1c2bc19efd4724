// Google Benchmark micro-benchmarks of the steps that PrepareDocument chains, on the first
// 2,000 documents of the generated corpus, to see where a document's indexing time goes before
// the writer: tokenising, folding, stemming, encoding the stored record, building the document.
//
//   TROVE_BENCH_CORPUS=/tmp/trove-bench/corpus.tsv bench_prepare [--benchmark_filter=...]
//
// Throughput is reported as bytes/s of text (subject + body). BM_TermMix opens the prepared
// blobs with Xapian (a diagnostic only this program does: the blob is opaque to the rest of
// trove) to count the terms a document carries, by kind, and how many of them say nothing that
// another term does not (a stem equal to its word, an exact form equal to its folded form).
#include <benchmark/benchmark.h>
#include <xapian.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "core/text.h"
#include "index/index.h"

namespace trove::bench {
namespace {

constexpr std::uint64_t kDocs = 2'000;

const std::vector<DocumentRecord>& Records() {
  static const std::vector<DocumentRecord> records = [] {
    std::vector<DocumentRecord> out;
    const char* path = std::getenv("TROVE_BENCH_CORPUS");
    if (path == nullptr) return out;
    CorpusReader reader(path);
    CorpusDoc doc;
    while (out.size() < kDocs && reader.Next(&doc)) out.push_back(ToRecord(doc));
    return out;
  }();
  return records;
}

std::int64_t TextBytesOf(const std::vector<DocumentRecord>& records) {
  std::int64_t bytes = 0;
  for (const auto& r : records) bytes += static_cast<std::int64_t>(r.extraction.title.size() + r.extraction.text.size() + 1);
  return bytes;
}

bool HaveCorpus(benchmark::State& state) {
  if (!Records().empty()) return true;
  state.SkipWithError("set TROVE_BENCH_CORPUS to a corpus.tsv (see bench/README.md)");
  return false;
}

void BM_Tokenize(benchmark::State& state) {
  if (!HaveCorpus(state)) return;
  for (auto _ : state) {
    std::size_t tokens = 0;
    for (const auto& r : Records()) {
      TokenIterator it(r.extraction.text);
      Token token;
      while (it.Next(&token)) ++tokens;
    }
    benchmark::DoNotOptimize(tokens);
  }
  state.SetBytesProcessed(state.iterations() * TextBytesOf(Records()));
}
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMillisecond);

void BM_TokenizeFold(benchmark::State& state) {
  if (!HaveCorpus(state)) return;
  for (auto _ : state) {
    std::size_t bytes = 0;
    for (const auto& r : Records()) {
      TokenIterator it(r.extraction.text);
      Token token;
      while (it.Next(&token)) bytes += FoldToken(token.text).size();
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(state.iterations() * TextBytesOf(Records()));
}
BENCHMARK(BM_TokenizeFold)->Unit(benchmark::kMillisecond);

void BM_TokenizeFoldStem(benchmark::State& state) {
  if (!HaveCorpus(state)) return;
  for (auto _ : state) {
    std::size_t bytes = 0;
    for (const auto& r : Records()) {
      TokenIterator it(r.extraction.text);
      Token token;
      while (it.Next(&token)) bytes += index::StemWord("en", FoldToken(token.text)).size();
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(state.iterations() * TextBytesOf(Records()));
}
BENCHMARK(BM_TokenizeFoldStem)->Unit(benchmark::kMillisecond);

void BM_EncodeRecord(benchmark::State& state) {
  if (!HaveCorpus(state)) return;
  for (auto _ : state) {
    std::size_t bytes = 0;
    for (const auto& r : Records()) bytes += EncodeRecord(r).size();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(state.iterations() * TextBytesOf(Records()));
}
BENCHMARK(BM_EncodeRecord)->Unit(benchmark::kMillisecond);

void BM_PrepareDocument(benchmark::State& state) {
  if (!HaveCorpus(state)) return;
  std::size_t blob_bytes = 0;
  for (auto _ : state) {
    blob_bytes = 0;
    for (const auto& r : Records()) {
      auto prepared = index::PrepareDocument(r);
      blob_bytes += prepared.ok() ? prepared->blob.size() : 0;
    }
    benchmark::DoNotOptimize(blob_bytes);
  }
  state.SetBytesProcessed(state.iterations() * TextBytesOf(Records()));
  state.counters["docs/s"] = benchmark::Counter(static_cast<double>(state.iterations() * Records().size()),
                                                benchmark::Counter::kIsRate);
  state.counters["blob/text"] = static_cast<double>(blob_bytes) / static_cast<double>(TextBytesOf(Records()));
}
BENCHMARK(BM_PrepareDocument)->Unit(benchmark::kMillisecond);

void BM_TermMix(benchmark::State& state) {
  if (!HaveCorpus(state)) return;
  std::vector<std::string> blobs;
  for (const auto& r : Records()) {
    auto prepared = index::PrepareDocument(r);
    if (prepared.ok()) blobs.push_back(std::move(prepared->blob));
  }
  double terms = 0, folded = 0, stems = 0, stems_same = 0, exact = 0, exact_same = 0, other = 0, positions = 0;
  for (auto _ : state) {
    terms = folded = stems = stems_same = exact = exact_same = other = positions = 0;
    for (const std::string& blob : blobs) {
      const Xapian::Document doc = Xapian::Document::unserialise(blob);
      std::set<std::string> unprefixed;
      for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
        const std::string term = *it;
        if (!term.empty() && term[0] >= 'a' && term[0] <= 'z') unprefixed.insert(term);
        if (!term.empty() && (term[0] < 'A' || term[0] > 'Z')) positions += it.positionlist_count();
      }
      for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
        const std::string term = *it;
        ++terms;
        if (term.empty() || (term[0] < 'A' || term[0] > 'Z')) {
          ++folded;
        } else if (term[0] == 'Z') {
          ++stems;
          stems_same += unprefixed.count(term.substr(1));
        } else if (term.rfind("XE", 0) == 0) {
          ++exact;
          exact_same += unprefixed.count(term.substr(2));
        } else {
          ++other;
        }
      }
    }
    benchmark::DoNotOptimize(terms);
  }
  const double n = static_cast<double>(blobs.size());
  state.counters["terms/doc"] = terms / n;
  state.counters["folded/doc"] = folded / n;
  state.counters["Z/doc"] = stems / n;
  state.counters["Z=word/doc"] = stems_same / n;
  state.counters["XE/doc"] = exact / n;
  state.counters["XE=folded/doc"] = exact_same / n;
  state.counters["other/doc"] = other / n;
  state.counters["positions/doc"] = positions / n;
}
BENCHMARK(BM_TermMix)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace trove::bench

BENCHMARK_MAIN();
