// Indexing throughput of trove's index layer alone (PrepareDocument + Writer), on the generated
// corpus: documents/s, MB/s of text and peak RSS. No extraction, no ledger, no worker processes.
//
//   bench_index_throughput --corpus corpus.tsv --out DIR [--docs N] [--layout L]
//                          [--commit-every N] [--commit-seconds S] [--entities]
//
// Layouts (one per process, so that peak RSS belongs to one configuration):
//   serial        1 job: one thread reads, prepares and hands documents to a one-shard Writer
//                 (which applies them in a thread of its own).
//   pipeline      2 jobs, trove ingest's shape: two threads prepare, one thread feeds the Writer
//                 of one shard.
//   pipeline-2    the same with two shards, which the Writer writes in parallel (trove ingest's
//                 default on 2 cores).
//   parallel-2    2 jobs: two threads, each preparing and writing its own shard (the shape of
//                 the peers' "2 shards on 2 cores"); the shards are then placed as DIR/index/shard-N
//                 so that one Reader searches both, each document in the shard its id selects.
// Commits every 5,000 documents or 10 seconds, and at the end: trove ingest's default until
// b481791 (now 20,000 or 30 s: pass --commit-every 20000 --commit-seconds 30 to match it).
// --entities finds each document's entities (analyze::FindMentions: addresses, numbers, dates,
// markings and the names tagger) in the preparing threads, as the ingest workers do; it builds
// the collection that bench_xref needs at scale (bench/README.md), and its rate is not the index
// layer's.
// The index is left in DIR/index for bench_query_latency.
#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "analyze/mentions.h"
#include "bench/bench_util.h"
#include "index/index.h"

namespace trove::bench {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::string corpus;
  std::string out;
  std::uint64_t docs = 200'000;
  std::string layout = "serial";
  std::uint64_t commit_every = 5'000;
  double commit_seconds = 10;
  bool entities = false;
};

// The record of a corpus document, with its entities when asked for.
DocumentRecord RecordOf(const CorpusDoc& doc, const Options& o) {
  DocumentRecord record = ToRecord(doc);
  if (o.entities) record.entities = analyze::FindMentions(record.extraction.text, record.lang);
  return record;
}

struct Totals {
  std::uint64_t docs = 0;
  std::uint64_t bytes = 0;
  std::uint64_t commits = 0;
  double prepare_seconds = 0;  // summed over preparing threads
  double add_seconds = 0;      // Writer::Add, summed
  double commit_seconds = 0;   // Writer::Commit, summed
};

// Commits every `every` documents or `seconds` seconds, as the pipeline does.
class CommitPolicy {
 public:
  CommitPolicy(std::uint64_t every, double seconds) : every_(every), seconds_(seconds), last_(NowSeconds()) {}
  bool IsDue() {
    ++since_;
    if (since_ < every_ && NowSeconds() - last_ < seconds_) return false;
    since_ = 0;
    last_ = NowSeconds();
    return true;
  }

 private:
  std::uint64_t every_;
  double seconds_;
  std::uint64_t since_ = 0;
  double last_;
};

// The shard a document id goes to, as the index's writer chooses it: its first 8 hex digits
// modulo the shard count (docs/formats/index.md). Needed only to build the parallel layout.
std::size_t ShardOfId(const std::string& id, std::size_t shard_count) {
  std::size_t value = 0;
  for (std::size_t i = 0; i < id.size() && i < 8; ++i) {
    const char ch = id[i];
    const int digit = (ch >= '0' && ch <= '9') ? ch - '0' : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10 : 0;
    value = value * 16 + static_cast<std::size_t>(digit);
  }
  return value % shard_count;
}

bool Check(const Status& status, const char* what) {
  if (status.ok()) return true;
  std::fprintf(stderr, "%s: %s\n", what, status.ToString().c_str());
  return false;
}

// One thread: read, prepare, write. With `shard_count` > 1 it keeps only its own shard's documents.
bool IndexSerial(const Options& o, const std::string& index_dir, std::size_t shard, std::size_t shard_count,
                 Totals* totals) {
  auto writer = index::Writer::Open(index_dir, 1);
  if (!Check(writer.status(), "open")) return false;
  CorpusReader reader(o.corpus);
  CommitPolicy policy(o.commit_every, o.commit_seconds);
  CorpusDoc doc;
  for (std::uint64_t line = 0; line < o.docs && reader.Next(&doc); ++line) {
    const DocumentRecord record = RecordOf(doc, o);
    if (shard_count > 1 && ShardOfId(record.id, shard_count) != shard) continue;
    double t0 = NowSeconds();
    auto prepared = index::PrepareDocument(record);
    if (!Check(prepared.status(), "prepare")) return false;
    double t1 = NowSeconds();
    if (!Check((*writer)->Add(*prepared), "add")) return false;
    double t2 = NowSeconds();
    totals->prepare_seconds += t1 - t0;
    totals->add_seconds += t2 - t1;
    ++totals->docs;
    totals->bytes += TextBytes(doc);
    if (policy.IsDue()) {
      if (!Check((*writer)->Commit(), "commit")) return false;
      totals->commit_seconds += NowSeconds() - t2;
      ++totals->commits;
    }
  }
  const double t = NowSeconds();
  if (!Check((*writer)->Commit(), "commit")) return false;
  totals->commit_seconds += NowSeconds() - t;
  ++totals->commits;
  return true;
}

// A bounded queue between threads.
template <typename T>
class Channel {
 public:
  explicit Channel(std::size_t capacity) : capacity_(capacity) {}
  void Push(T item) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(std::move(item));
    not_empty_.notify_one();
  }
  void Close() {
    std::lock_guard lock(mu_);
    is_closed_ = true;
    not_empty_.notify_all();
  }
  std::optional<T> Pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !items_.empty() || is_closed_; });
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

 private:
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<T> items_;  // guarded by mu_
  bool is_closed_ = false;  // guarded by mu_
  std::size_t capacity_;
};

// Two preparing threads feed one writer thread (the shape of trove ingest: workers prepare,
// the supervisor writes). The main thread reads the corpus.
bool IndexPipeline(const Options& o, const std::string& index_dir, int shard_count, int preparers,
                   Totals* totals) {
  auto writer = index::Writer::Open(index_dir, shard_count);
  if (!Check(writer.status(), "open")) return false;
  constexpr std::size_t kQueueDepth = 256;
  Channel<CorpusDoc> docs(kQueueDepth);
  Channel<index::PreparedDocument> prepared(kQueueDepth);
  std::atomic<bool> is_failed{false};
  std::vector<double> prepare_seconds(static_cast<std::size_t>(preparers), 0);
  std::vector<std::thread> threads;
  for (int p = 0; p < preparers; ++p) {
    threads.emplace_back([&, p] {
      while (auto doc = docs.Pop()) {
        const double t0 = NowSeconds();
        auto result = index::PrepareDocument(RecordOf(*doc, o));
        prepare_seconds[static_cast<std::size_t>(p)] += NowSeconds() - t0;
        if (!Check(result.status(), "prepare")) {
          is_failed = true;
          continue;
        }
        prepared.Push(std::move(*result));
      }
    });
  }
  std::thread writer_thread([&] {
    CommitPolicy policy(o.commit_every, o.commit_seconds);
    while (auto doc = prepared.Pop()) {
      const double t0 = NowSeconds();
      if (!Check((*writer)->Add(*doc), "add")) is_failed = true;
      const double t1 = NowSeconds();
      totals->add_seconds += t1 - t0;
      ++totals->docs;
      if (policy.IsDue()) {
        if (!Check((*writer)->Commit(), "commit")) is_failed = true;
        totals->commit_seconds += NowSeconds() - t1;
        ++totals->commits;
      }
    }
    const double t = NowSeconds();
    if (!Check((*writer)->Commit(), "commit")) is_failed = true;
    totals->commit_seconds += NowSeconds() - t;
    ++totals->commits;
  });
  CorpusReader reader(o.corpus);
  CorpusDoc doc;
  for (std::uint64_t line = 0; line < o.docs && reader.Next(&doc); ++line) {
    totals->bytes += TextBytes(doc);
    docs.Push(std::move(doc));
  }
  docs.Close();
  for (auto& t : threads) t.join();
  prepared.Close();
  writer_thread.join();
  for (const double s : prepare_seconds) totals->prepare_seconds += s;
  return !is_failed;
}

// Two threads, each with its own Writer on its own directory; afterwards the shards are moved
// into one index directory in the order the writer's shard choice expects.
bool IndexParallel(const Options& o, const std::string& index_dir, int shard_count, Totals* totals) {
  std::vector<Totals> parts(static_cast<std::size_t>(shard_count));
  std::vector<char> is_ok(static_cast<std::size_t>(shard_count), 0);
  std::vector<std::thread> threads;
  for (int s = 0; s < shard_count; ++s) {
    threads.emplace_back([&, s] {
      const auto shard = static_cast<std::size_t>(s);
      is_ok[shard] = IndexSerial(o, o.out + "/part-" + std::to_string(s), shard,
                                 static_cast<std::size_t>(shard_count), &parts[shard]);
    });
  }
  for (auto& t : threads) t.join();
  fs::create_directories(index_dir);
  for (int s = 0; s < shard_count; ++s) {
    const auto shard = static_cast<std::size_t>(s);
    if (!is_ok[shard]) return false;
    fs::rename(o.out + "/part-" + std::to_string(s) + "/shard-0", index_dir + "/shard-" + std::to_string(s));
    fs::remove_all(o.out + "/part-" + std::to_string(s));
    totals->docs += parts[shard].docs;
    totals->bytes += parts[shard].bytes;
    totals->commits += parts[shard].commits;
    totals->prepare_seconds += parts[shard].prepare_seconds;
    totals->add_seconds += parts[shard].add_seconds;
    totals->commit_seconds += parts[shard].commit_seconds;
  }
  return true;
}

std::uint64_t DirectoryBytes(const std::string& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) total += entry.file_size(ec);
  }
  return total;
}

int Run(const Options& o) {
  if (!CorpusReader(o.corpus).is_open()) {
    std::fprintf(stderr, "cannot read %s\n", o.corpus.c_str());
    return 1;
  }
  const std::string index_dir = o.out + "/index";
  fs::remove_all(o.out);
  fs::create_directories(o.out);
  const double load_before = LoadAverage();
  const double start = NowSeconds();
  Totals totals;
  int jobs = 1, shards = 1;
  bool ok = false;
  if (o.layout == "serial") {
    ok = IndexSerial(o, index_dir, 0, 1, &totals);
  } else if (o.layout == "pipeline") {
    jobs = 2;
    ok = IndexPipeline(o, index_dir, 1, 2, &totals);
  } else if (o.layout == "pipeline-2") {
    jobs = 2;
    shards = 2;
    ok = IndexPipeline(o, index_dir, 2, 2, &totals);
  } else if (o.layout == "parallel-2") {
    jobs = 2;
    shards = 2;
    ok = IndexParallel(o, index_dir, 2, &totals);
  } else {
    std::fprintf(stderr, "unknown layout %s (serial, pipeline, pipeline-2, parallel-2)\n", o.layout.c_str());
    return 2;
  }
  const double seconds = NowSeconds() - start;
  if (!ok) return 1;
  const double mb = static_cast<double>(totals.bytes) / 1e6;
  const double index_mb = static_cast<double>(DirectoryBytes(index_dir)) / 1e6;
  std::printf("| layout | jobs | shards | docs | text MB | wall s | docs/s | MB/s | index MB | peak RSS MiB | prepare s | add s | commit s (n) | load before/after |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  std::printf("| %s | %d | %d | %llu | %.1f | %.1f | %.0f | %.2f | %.0f | %.0f | %.1f | %.1f | %.1f (%llu) | %.2f / %.2f |\n",
              o.layout.c_str(), jobs, shards, static_cast<unsigned long long>(totals.docs), mb, seconds,
              static_cast<double>(totals.docs) / seconds, mb / seconds, index_mb, PeakRssMib(),
              totals.prepare_seconds, totals.add_seconds, totals.commit_seconds,
              static_cast<unsigned long long>(totals.commits), load_before, LoadAverage());
  std::printf("RESULT engine=trove-index layout=%s jobs=%d shards=%d docs=%llu mb=%.1f secs=%.1f docs_per_s=%.0f "
              "mb_per_s=%.2f index_mb=%.0f peak_rss_mib=%.0f\n",
              o.layout.c_str(), jobs, shards, static_cast<unsigned long long>(totals.docs), mb, seconds,
              static_cast<double>(totals.docs) / seconds, mb / seconds, index_mb, PeakRssMib());
  return 0;
}

}  // namespace
}  // namespace trove::bench

int main(int argc, char** argv) {
  trove::bench::Options o;
  for (int arg_idx = 1; arg_idx < argc; ++arg_idx) {
    const std::string arg = argv[arg_idx];
    if (arg == "--entities") {
      o.entities = true;
      continue;
    }
    if (arg_idx + 1 == argc) {
      argc = 0;
      break;
    }
    const std::string value = argv[++arg_idx];
    if (arg == "--corpus") {
      o.corpus = value;
    } else if (arg == "--out") {
      o.out = value;
    } else if (arg == "--docs") {
      o.docs = std::stoull(value);
    } else if (arg == "--layout") {
      o.layout = value;
    } else if (arg == "--commit-every") {
      o.commit_every = std::stoull(value);
    } else if (arg == "--commit-seconds") {
      o.commit_seconds = std::stod(value);
    } else {
      argc = 0;
    }
  }
  if (argc == 0 || o.corpus.empty() || o.out.empty()) {
    std::fprintf(stderr,
                 "usage: %s --corpus corpus.tsv --out DIR [--docs 200000] "
                 "[--layout serial|pipeline|pipeline-2|parallel-2] [--commit-every 5000] [--commit-seconds 10] "
                 "[--entities]\n",
                 argv[0]);
    return 2;
  }
  return trove::bench::Run(o);
}
