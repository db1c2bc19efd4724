// Cross-referencing speed and quality (query/xref.h): a large watch list against a collection,
// or, with --names-only, against its own names (the name matcher alone, at the scale of a big
// collection's entity list). Prints a markdown table and RESULT lines; see bench/README.md.
//
//   bench_xref --collection DIR --list FILE.csv [--min-score 0.75] [--no-text]
//   bench_xref --index DIR/index --list FILE.csv   (an index without a store: no curation)
//   bench_xref --names-only --list FILE.csv [--min-score 0.75]
//
// Rows with a `variant_of` column (bench/make_watchlist.py) are labelled: a planted variant is
// found when a person hit (or, with --names-only, a name) is the name it was made from.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyze/name_matcher.h"
#include "analyze/watchlist.h"
#include "bench/bench_util.h"
#include "core/collection.h"
#include "core/file.h"
#include "index/index.h"
#include "query/xref.h"
#include "store/store.h"

namespace trove::bench {
namespace {

struct Args {
  std::string collection, list;
  std::string index_dir;  // an index without a store (bench_index_throughput's): no curation
  double min_score = 0.75;
  bool names_only = false;
  bool with_text = true;
  std::string sample_out;  // write non-exact hits here, for labelling by hand
};

std::string Field(const WatchEntry& entry, const char* name) {
  const nlohmann::json fields = nlohmann::json::parse(entry.fields_json, nullptr, false);
  if (!fields.is_object() || !fields.contains(name) || !fields[name].is_string()) return "";
  return fields[name].get<std::string>();
}

struct Labelled {
  std::uint64_t planted = 0, found = 0;      // planted variants, and those found
  std::uint64_t hits = 0, correct_hits = 0;  // person hits of planted entries, right ones
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> by_kind;  // planted, found
};

void PrintLabelled(const Labelled& l, const char* what) {
  if (l.planted == 0) return;
  std::printf("\nLabelled sample (%s): %llu planted variants\n\n", what,
              static_cast<unsigned long long>(l.planted));
  std::printf("| variant | planted | found (recall) |\n|---|---:|---:|\n");
  for (const auto& [kind, counts] : l.by_kind) {
    std::printf("| %s | %llu | %llu (%.1f%%) |\n", kind.c_str(),
                static_cast<unsigned long long>(counts.first),
                static_cast<unsigned long long>(counts.second),
                100.0 * static_cast<double>(counts.second) / static_cast<double>(counts.first));
  }
  std::printf("| all | %llu | %llu (%.1f%%) |\n", static_cast<unsigned long long>(l.planted),
              static_cast<unsigned long long>(l.found),
              100.0 * static_cast<double>(l.found) / static_cast<double>(l.planted));
  std::printf(
      "\nprecision: %llu of %llu hits on planted entries are the name they were made from "
      "or another variant of it (%.1f%%)\n",
      static_cast<unsigned long long>(l.correct_hits), static_cast<unsigned long long>(l.hits),
      l.hits == 0 ? 0.0
                  : 100.0 * static_cast<double>(l.correct_hits) / static_cast<double>(l.hits));
  std::printf(
      "RESULT xref_planted_recall=%.4f xref_planted_precision=%.4f\n",
      static_cast<double>(l.found) / static_cast<double>(l.planted),
      l.hits == 0 ? 0.0 : static_cast<double>(l.correct_hits) / static_cast<double>(l.hits));
}

int NamesOnly(const Args& args, const std::vector<WatchEntry>& entries) {
  double start = NowSeconds();
  analyze::NameIndex index;
  for (const WatchEntry& entry : entries) index.Add(entry.names.front());
  index.Build();
  const double build_seconds = NowSeconds() - start;
  start = NowSeconds();
  std::map<std::string, std::uint64_t> by_kind;
  std::uint64_t matches = 0;
  Labelled labelled;
  // A row and its variants share a base name: a hit between them is right, any other is wrong
  // (even "J. Smith" ~ "John Smith" when the list means James).
  std::vector<std::string> base(entries.size());
  for (std::size_t e = 0; e < entries.size(); ++e) {
    base[e] = Field(entries[e], "variant_of");
    if (base[e].empty()) base[e] = entries[e].names.front();
  }
  for (std::size_t e = 0; e < entries.size(); ++e) {
    const std::vector<analyze::NameIndex::Match> found =
        index.Find(entries[e].names.front(), args.min_score);
    // Variants of the collection's people (--collection-names) have no base row in the list.
    const std::string variant_of =
        Field(entries[e], "source") == "collection" ? "" : Field(entries[e], "variant_of");
    const std::string kind = Field(entries[e], "variant");
    bool is_found = false;
    for (const analyze::NameIndex::Match& m : found) {
      if (m.name == e) continue;  // itself
      ++matches;
      ++by_kind[analyze::NameMatchKindName(m.comparison.kind)];
      if (variant_of.empty()) continue;
      ++labelled.hits;
      if (base[m.name] == base[e]) ++labelled.correct_hits;
      if (entries[m.name].names.front() == variant_of) is_found = true;
    }
    if (!variant_of.empty()) {
      ++labelled.planted;
      ++labelled.by_kind[kind].first;
      if (is_found) {
        ++labelled.found;
        ++labelled.by_kind[kind].second;
      }
    }
  }
  const double match_seconds = NowSeconds() - start;
  const double pairs = static_cast<double>(entries.size()) * static_cast<double>(entries.size());
  std::printf(
      "| names | index build s | matching s | names/s | comparisons | of all pairs | "
      "matches | peak RSS MiB | load |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  std::printf("| %zu | %.2f | %.2f | %.0f | %llu | %.2e | %llu | %.0f | %.2f |\n", entries.size(),
              build_seconds, match_seconds, static_cast<double>(entries.size()) / match_seconds,
              static_cast<unsigned long long>(index.comparisons()),
              static_cast<double>(index.comparisons()) / pairs,
              static_cast<unsigned long long>(matches), PeakRssMib(), LoadAverage());
  std::printf("\nmatches by kind:");
  for (const auto& [kind, count] : by_kind) {
    std::printf(" %s %llu", kind.c_str(), static_cast<unsigned long long>(count));
  }
  std::printf("\n");
  PrintLabelled(labelled, "variants of the list's own names");
  std::printf(
      "RESULT xref_names_only names=%zu build_s=%.3f match_s=%.3f comparisons=%llu "
      "peak_rss_mib=%.0f\n",
      entries.size(), build_seconds, match_seconds,
      static_cast<unsigned long long>(index.comparisons()), PeakRssMib());
  return 0;
}

int Collection(const Args& args, const std::vector<WatchEntry>& entries) {
  auto reader =
      index::Reader::Open(args.index_dir.empty() ? IndexDir(args.collection) : args.index_dir);
  if (!reader.ok()) {
    std::fprintf(stderr, "bench_xref: %s\n", reader.status().ToString().c_str());
    return 1;
  }
  Result<std::vector<EntityRule>> rules = std::vector<EntityRule>{};
  if (args.index_dir.empty()) {
    auto store = store::Store::Open(StorePath(args.collection));
    if (!store.ok()) {
      std::fprintf(stderr, "bench_xref: %s\n", store.status().ToString().c_str());
      return 1;
    }
    rules = (*store)->ListEntityRules();
  }
  auto stats = (*reader)->Stats();
  query::XrefOptions options;
  options.min_score = args.min_score;
  options.with_text = args.with_text;
  options.entity_rules = rules.ok() ? *rules : std::vector<EntityRule>{};
  const double start = NowSeconds();
  auto result = query::Xref(**reader, entries, options);
  const double seconds = NowSeconds() - start;
  if (!result.ok()) {
    std::fprintf(stderr, "bench_xref: %s\n", result.status().ToString().c_str());
    return 1;
  }
  const query::XrefStats& s = result->stats;
  std::map<std::string, std::uint64_t> hits_by_kind;
  std::uint64_t hits = 0;
  Labelled labelled;
  std::FILE* sample = args.sample_out.empty() ? nullptr : std::fopen(args.sample_out.c_str(), "w");
  if (sample != nullptr) std::fprintf(sample, "score\tkind\ttype\tname\tmatched\tdocuments\tid\n");
  std::map<std::uint64_t, const query::XrefMatch*> by_line;
  for (const query::XrefMatch& match : result->matches) {
    by_line[match.entry.line] = &match;
    for (const query::XrefHit& hit : match.hits) {
      ++hits;
      ++hits_by_kind[hit.type + "/" + hit.kind];
      if (sample != nullptr && hit.kind != "exact") {
        std::fprintf(sample, "%.3f\t%s\t%s\t%s\t%s\t%llu\t%s\n", hit.score, hit.kind.c_str(),
                     hit.type.c_str(), hit.name.c_str(), hit.matched.c_str(),
                     static_cast<unsigned long long>(hit.documents),
                     hit.ids.empty() ? "" : hit.ids.front().c_str());
      }
    }
  }
  if (sample != nullptr) std::fclose(sample);
  for (const WatchEntry& entry : entries) {
    const std::string variant_of = Field(entry, "variant_of");
    if (variant_of.empty() || Field(entry, "source") != "collection") continue;
    const std::string kind = Field(entry, "variant");
    ++labelled.planted;
    ++labelled.by_kind[kind].first;
    const auto it = by_line.find(entry.line);
    if (it == by_line.end()) continue;
    bool is_found = false;
    for (const query::XrefHit& hit : it->second->hits) {
      if (hit.type != "person") continue;
      ++labelled.hits;
      if (index::EntityKey(hit.matched) == index::EntityKey(variant_of)) {
        ++labelled.correct_hits;
        is_found = true;
      }
    }
    if (is_found) {
      ++labelled.found;
      ++labelled.by_kind[kind].second;
    }
  }
  std::printf(
      "| documents | entries | names | entities | comparisons | text lookups | "
      "entities s | matching s | documents s | total s | entries/s | matched entries | "
      "hits | peak RSS MiB | load |\n"
      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  std::printf(
      "| %llu | %llu | %llu | %llu | %llu | %llu | %.2f | %.2f | %.2f | %.2f | %.0f | %zu | "
      "%llu | %.0f | %.2f |\n",
      static_cast<unsigned long long>(stats.ok() ? stats->documents : 0),
      static_cast<unsigned long long>(s.entries), static_cast<unsigned long long>(s.names),
      static_cast<unsigned long long>(s.entities), static_cast<unsigned long long>(s.comparisons),
      static_cast<unsigned long long>(s.text_lookups), s.seconds_entities, s.seconds_matching,
      s.seconds_documents, seconds, static_cast<double>(s.entries) / seconds,
      result->matches.size(), static_cast<unsigned long long>(hits), PeakRssMib(), LoadAverage());
  std::printf("\nhits by type/kind:");
  for (const auto& [kind, count] : hits_by_kind) {
    std::printf(" %s %llu", kind.c_str(), static_cast<unsigned long long>(count));
  }
  std::printf("\n");
  PrintLabelled(labelled, "variants of the collection's own people");
  std::printf(
      "RESULT xref entries=%llu entities=%llu total_s=%.3f matched=%zu hits=%llu "
      "peak_rss_mib=%.0f\n",
      static_cast<unsigned long long>(s.entries), static_cast<unsigned long long>(s.entities),
      seconds, result->matches.size(), static_cast<unsigned long long>(hits), PeakRssMib());
  return 0;
}

int Main(int argc, char** argv) {
  Args args;
  for (int k = 1; k < argc; ++k) {
    const std::string arg = argv[k];
    const auto value = [&]() -> std::string { return k + 1 < argc ? argv[++k] : ""; };
    if (arg == "--collection") {
      args.collection = value();
    } else if (arg == "--index") {
      args.index_dir = value();
    } else if (arg == "--list") {
      args.list = value();
    } else if (arg == "--min-score") {
      args.min_score = std::stod(value());
    } else if (arg == "--names-only") {
      args.names_only = true;
    } else if (arg == "--no-text") {
      args.with_text = false;
    } else if (arg == "--sample-out") {
      args.sample_out = value();
    } else {
      std::fprintf(stderr, "bench_xref: unknown argument %s\n", arg.c_str());
      return 2;
    }
  }
  if (args.list.empty() ||
      (args.collection.empty() && args.index_dir.empty() && !args.names_only)) {
    std::fprintf(stderr,
                 "usage: bench_xref --list FILE (--collection DIR | --index DIR | --names-only) "
                 "[--min-score S] [--no-text] [--sample-out FILE]\n");
    return 2;
  }
  const double start = NowSeconds();
  auto bytes = ReadFile(args.list);
  if (!bytes.ok()) {
    std::fprintf(stderr, "bench_xref: %s\n", bytes.status().ToString().c_str());
    return 1;
  }
  auto parsed = analyze::ParseWatchList(*bytes);
  if (!parsed.ok()) {
    std::fprintf(stderr, "bench_xref: %s\n", parsed.status().ToString().c_str());
    return 1;
  }
  std::printf("list %s: %zu entries, %zu problems, parsed in %.2f s; min score %.2f\n\n",
              args.list.c_str(), parsed->entries.size(), parsed->problems.size(),
              NowSeconds() - start, args.min_score);
  return args.names_only ? NamesOnly(args, parsed->entries) : Collection(args, parsed->entries);
}

}  // namespace
}  // namespace trove::bench

int main(int argc, char** argv) { return trove::bench::Main(argc, argv); }
