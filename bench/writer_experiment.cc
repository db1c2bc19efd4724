// An experiment, not a benchmark of trove as it is: how fast Xapian takes trove's prepared
// documents when some of their terms are left out or the commit policy changes. It opens the
// prepared blobs with Xapian directly (only this diagnostic does so; src/ keeps Xapian inside
// index/), so each variant differs from trove's writer by exactly one thing.
//
//   bench_writer_experiment --corpus corpus.tsv --out DIR [--docs 20000] [--variant V]...
//
// Variants (each into a fresh database, one thread, documents prepared beforehand and untimed):
//   as-is            unserialise + replace_document(Q<id>), commit every 5,000 (as ShardWriter)
//   add-document     add_document instead of replace_document(unique term)
//   commit-at-end    as-is, with Xapian's own flushing (every 10,000) and one commit at the end
//   no-same-exact    leaves out XE<word> terms whose word equals its folded form
//   no-same-stem     leaves out Z<stem> terms whose stem equals the folded word
//   lean             both of the above
//   no-data          as-is without the stored record (document data: the compressed text)
//   no-values        as-is without value slots (date, type, lang, year, from, size, places, state)
//   no-bands         as-is without the near-duplicate band terms (XH<band><key>: 16 a document,
//                    nearly all of them unique in the collection)
//   no-bands-values  without band terms and without value slots
//   block-16k, block-32k, block-64k   as-is in a database of larger blocks (Xapian's default
//                    is 8 KiB; trove's writer uses the default)
#include <xapian.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "index/index.h"

namespace trove::bench {
namespace {

struct Prepared {
  std::string id;
  std::string blob;
};

Xapian::Document Strip(const Xapian::Document& in, bool drop_same_exact, bool drop_same_stem,
                       bool drop_bands) {
  if (!drop_same_exact && !drop_same_stem && !drop_bands) return in;
  std::set<std::string> unprefixed;
  for (auto it = in.termlist_begin(); it != in.termlist_end(); ++it) {
    const std::string term = *it;
    if (!term.empty() && (term[0] < 'A' || term[0] > 'Z')) unprefixed.insert(term);
  }
  Xapian::Document out = in;
  std::vector<std::string> drop;
  for (auto it = in.termlist_begin(); it != in.termlist_end(); ++it) {
    const std::string term = *it;
    if (drop_same_exact && term.rfind("XE", 0) == 0 && unprefixed.count(term.substr(2)) != 0) drop.push_back(term);
    if (drop_same_stem && term.rfind("Z", 0) == 0 && unprefixed.count(term.substr(1)) != 0) drop.push_back(term);
    if (drop_bands && term.rfind("XH", 0) == 0) drop.push_back(term);
  }
  for (const std::string& term : drop) out.remove_term(term);
  return out;
}

struct WriteOptions {
  bool is_add = false;
  bool commit_at_end = false;
  int block_size = 0;  // 0: Xapian's default (8 KiB)
};

// The timed part alone, in a function of its own so that callgrind can count it alone
// (`--toggle-collect='*Write*'`, bench/README.md).
[[gnu::noinline]] bool Write(const std::string& path, const std::vector<Prepared>& prepared,
                             const std::vector<std::string>& blobs, const WriteOptions& options) {
  try {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE, options.block_size);
    std::uint64_t since_commit = 0;
    for (std::size_t i = 0; i < prepared.size(); ++i) {
      Xapian::Document doc = Xapian::Document::unserialise(blobs[i]);
      if (options.is_add) {
        db.add_document(doc);
      } else {
        db.replace_document("Q" + prepared[i].id, doc);
      }
      if (!options.commit_at_end && ++since_commit >= 5'000) {
        db.commit();
        since_commit = 0;
      }
    }
    db.commit();
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), e.get_description().c_str());
    return false;
  }
  return true;
}

int Run(const std::string& corpus, const std::string& out, std::uint64_t docs,
        const std::vector<std::string>& variants) {
  std::vector<Prepared> prepared;
  std::uint64_t bytes = 0;
  {
    CorpusReader reader(corpus);
    CorpusDoc doc;
    while (prepared.size() < docs && reader.Next(&doc)) {
      auto p = index::PrepareDocument(ToRecord(doc));
      if (!p.ok()) continue;
      bytes += TextBytes(doc);
      prepared.push_back({p->id, std::move(p->blob)});
    }
  }
  std::printf("| variant | docs | wall s | docs/s | MB/s | db MB | load before/after |\n|---|---|---|---|---|---|---|\n");
  for (const std::string& variant : variants) {
    const std::string path = out + "/" + variant;
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(out);
    const bool is_add = variant == "add-document";
    const bool commit_at_end = variant == "commit-at-end";
    const bool drop_exact = variant == "no-same-exact" || variant == "lean";
    const bool drop_stem = variant == "no-same-stem" || variant == "lean";
    const bool drop_bands = variant == "no-bands" || variant == "no-bands-values";
    // The variant's documents, stripped before the clock starts.
    std::vector<std::string> blobs;
    blobs.reserve(prepared.size());
    for (const Prepared& p : prepared) {
      Xapian::Document doc =
          Strip(Xapian::Document::unserialise(p.blob), drop_exact, drop_stem, drop_bands);
      if (variant == "no-data") doc.set_data(std::string());
      if (variant == "no-values" || variant == "no-bands-values") doc.clear_values();
      blobs.push_back(doc.serialise());
    }
    const double load = LoadAverage();
    const double start = NowSeconds();
    int block_size = 0;  // Xapian's default
    if (variant.rfind("block-", 0) == 0) block_size = std::stoi(variant.substr(6)) * 1024;
    if (!Write(path, prepared, blobs, WriteOptions{is_add, commit_at_end, block_size})) {
      std::fprintf(stderr, "%s: failed\n", variant.c_str());
      return 1;
    }
    const double seconds = NowSeconds() - start;
    std::uint64_t db_bytes = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
      if (entry.is_regular_file()) db_bytes += entry.file_size();
    }
    std::printf("| %s | %zu | %.1f | %.0f | %.2f | %.0f | %.2f / %.2f |\n", variant.c_str(), prepared.size(), seconds,
                static_cast<double>(prepared.size()) / seconds, static_cast<double>(bytes) / 1e6 / seconds,
                static_cast<double>(db_bytes) / 1e6, load, LoadAverage());
    std::fflush(stdout);
    std::filesystem::remove_all(path);
  }
  return 0;
}

}  // namespace
}  // namespace trove::bench

int main(int argc, char** argv) {
  std::string corpus, out;
  std::uint64_t docs = 20'000;
  std::vector<std::string> variants;
  for (int arg_idx = 1; arg_idx + 1 < argc; arg_idx += 2) {
    const std::string arg = argv[arg_idx];
    if (arg == "--corpus") corpus = argv[arg_idx + 1];
    else if (arg == "--out") out = argv[arg_idx + 1];
    else if (arg == "--docs") docs = std::stoull(argv[arg_idx + 1]);
    else if (arg == "--variant") variants.push_back(argv[arg_idx + 1]);
  }
  if (variants.empty()) variants = {"as-is", "add-document", "commit-at-end", "no-same-exact", "no-same-stem", "lean"};
  if (corpus.empty() || out.empty()) {
    std::fprintf(stderr, "usage: %s --corpus corpus.tsv --out DIR [--docs 20000] [--variant V]...\n", argv[0]);
    return 2;
  }
  return trove::bench::Run(corpus, out, docs, variants);
}
