// Near-duplicate detection (index/internal/minhash.h): precision and recall on a labelled set
// made from real mail, and throughput on a large corpus.
//
//   bench_near_dups --mail DIR [--bases 1000] [--seed 1]
//       DIR: the easy-ham messages of the SpamAssassin corpus (bench/README.md). The first
//       `bases` messages with enough text are the originals. Positives: each original against
//       one variant made by each rule below. Negatives: each original against 20 other
//       originals drawn at random (SpamAssassin's ham has few natural near-duplicates; a drawn
//       pair with a similarity over 0.5 is reported, not counted).
//   bench_near_dups --corpus corpus.tsv [--docs 1000000]
//       Signatures per second over the corpus bodies, then the LSH grouping: every band key
//       sorted, candidate pairs counted; peak RSS.
//
// Variant rules (stated, so that the set can be rebuilt):
//   header   a different header block and a signature added (a copy from another mailbox)
//   forward  "---------- Forwarded message ---------" with From/Date/Subject lines before, and
//            "> " before every line (a forward that quotes)
//   ocr      2% of the letters replaced by OCR look-alikes (l->1, o->0, e->c, m->rn, i->l)
//   reflow   the lines re-wrapped at 50 columns, spacing doubled
//   trim     the last 15% of the text dropped (a truncated copy)
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "index/internal/minhash.h"

namespace fs = std::filesystem;
using trove::index::internal::BandKeys;
using trove::index::internal::MinHashOf;
using trove::index::internal::Signature;
using trove::index::internal::Similarity;

namespace {

std::string Body(const std::string& message) {
  const std::size_t end = message.find("\n\n");
  return end == std::string::npos ? message : message.substr(end + 2);
}

std::string Variant(const std::string& rule, const std::string& text, std::mt19937& rng) {
  if (rule == "header") {
    return "From: Records Office <records@example.org>\nDate: Mon, 3 Mar 2003 10:00:00\n"
           "Subject: copy for the file\n\n" +
           text + "\n--\nRecords Office, third floor\n";
  }
  if (rule == "forward") {
    std::string out =
        "FYI, see below.\n\n---------- Forwarded message ---------\nFrom: Jane Roe "
        "<jane@example.org>\nDate: Tue, 4 Mar 2003\nSubject: as discussed\n\n> ";
    for (char c : text) {
      out += c;
      if (c == '\n') out += "> ";
    }
    return out;
  }
  if (rule == "ocr") {
    std::string out;
    std::uniform_real_distribution<double> coin(0, 1);
    for (char c : text) {
      if (coin(rng) < 0.02) {
        switch (c) {
          case 'l':
            out += '1';
            continue;
          case 'o':
            out += '0';
            continue;
          case 'e':
            out += 'c';
            continue;
          case 'm':
            out += "rn";
            continue;
          case 'i':
            out += 'l';
            continue;
          default:
            break;
        }
      }
      out += c;
    }
    return out;
  }
  if (rule == "reflow") {
    std::istringstream words(text);
    std::string word, out, line;
    while (words >> word) {
      if (line.size() + word.size() > 50) {
        out += line + "\n";
        line.clear();
      }
      line += (line.empty() ? "" : "  ") + word;
    }
    return out + line;
  }
  // trim
  return text.substr(0, text.size() * 85 / 100);
}

bool SharesBand(const Signature& a, const Signature& b) {
  const auto ka = BandKeys(a), kb = BandKeys(b);
  for (std::size_t i = 0; i < ka.size(); ++i) {
    if (ka[i] == kb[i]) return true;
  }
  return false;
}

struct Pair {
  std::string rule;  // "" for a negative
  double similarity;
  bool candidate;  // shares an LSH band
};

int Labelled(const std::string& dir, std::size_t bases, unsigned seed) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<std::string> texts;
  std::vector<Signature> signatures;
  for (const fs::path& file : files) {
    if (texts.size() >= bases) break;
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string body = Body(buffer.str());
    auto signature = MinHashOf(body);
    if (!signature) continue;
    texts.push_back(std::move(body));
    signatures.push_back(*signature);
  }
  std::mt19937 rng(seed);
  const std::vector<std::string> rules = {"header", "forward", "ocr", "reflow", "trim"};
  std::vector<Pair> pairs;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    for (const std::string& rule : rules) {
      const auto variant = MinHashOf(Variant(rule, texts[i], rng));
      if (!variant) continue;
      pairs.push_back(
          {rule, Similarity(signatures[i], *variant), SharesBand(signatures[i], *variant)});
    }
  }
  std::uniform_int_distribution<std::size_t> pick(0, texts.size() - 1);
  std::size_t natural = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    for (int n = 0; n < 20; ++n) {
      const std::size_t j = pick(rng);
      if (j == i) continue;
      const double s = Similarity(signatures[i], signatures[j]);
      if (s > 0.5) {  // a natural near-duplicate (a resent message, a digest): not a negative
        ++natural;
        continue;
      }
      pairs.push_back({"", s, SharesBand(signatures[i], signatures[j])});
    }
  }
  std::size_t positives = 0, negatives = 0;
  for (const Pair& p : pairs) (p.rule.empty() ? negatives : positives)++;
  std::printf(
      "labelled set: %zu originals from %s, %zu positive pairs (5 rules), %zu negative "
      "pairs, %zu drawn pairs left out as natural near-duplicates; load %.2f\n\n",
      texts.size(), dir.c_str(), positives, negatives, natural, trove::bench::LoadAverage());
  std::printf("| similarity >= | precision | recall | header | forward | ocr | reflow | trim |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  for (double t : {0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}) {
    std::map<std::string, std::pair<int, int>> by_rule;  // found, total
    int tp = 0, fp = 0, fn = 0;
    for (const Pair& p : pairs) {
      const bool found = p.candidate && p.similarity >= t;
      if (p.rule.empty()) {
        fp += found;
      } else {
        tp += found;
        fn += !found;
        by_rule[p.rule].first += found;
        by_rule[p.rule].second += 1;
      }
    }
    std::printf("| %.1f | %.4f | %.4f |", t, tp + fp ? double(tp) / (tp + fp) : 1.0,
                double(tp) / (tp + fn));
    for (const std::string& rule : rules) {
      std::printf(" %.3f |", double(by_rule[rule].first) / std::max(1, by_rule[rule].second));
    }
    std::printf("\n");
  }
  return 0;
}

int Throughput(const std::string& corpus, std::size_t docs) {
  trove::bench::CorpusReader reader(corpus);
  if (!reader.is_open()) {
    std::fprintf(stderr, "cannot read %s\n", corpus.c_str());
    return 1;
  }
  trove::bench::CorpusDoc doc;
  std::vector<std::pair<std::string, std::uint32_t>> keys;  // (band key, document)
  std::size_t read = 0, signed_docs = 0;
  std::uint64_t bytes = 0;
  const double start = trove::bench::NowSeconds();
  while (read < docs && reader.Next(&doc)) {
    ++read;
    bytes += doc.body.size();
    const auto signature = MinHashOf(doc.body);
    if (!signature) continue;
    ++signed_docs;
    for (std::string& key : BandKeys(*signature)) {
      keys.emplace_back(std::move(key), static_cast<std::uint32_t>(read));
    }
  }
  const double signed_at = trove::bench::NowSeconds();
  std::sort(keys.begin(), keys.end());
  std::uint64_t candidate_pairs = 0;
  for (std::size_t i = 0; i < keys.size();) {
    std::size_t j = i;
    while (j < keys.size() && keys[j].first == keys[i].first) ++j;
    candidate_pairs += (j - i) * (j - i - 1) / 2;
    i = j;
  }
  const double end = trove::bench::NowSeconds();
  std::printf(
      "| documents | signed | MB | signatures/s | MB/s | LSH grouping s | candidate pairs | "
      "peak RSS MiB | load |\n|---|---|---|---|---|---|---|---|---|\n");
  std::printf("| %zu | %zu | %.1f | %.0f | %.2f | %.1f | %llu | %.0f | %.2f |\n", read, signed_docs,
              bytes / 1e6, read / (signed_at - start), bytes / 1e6 / (signed_at - start),
              end - signed_at, static_cast<unsigned long long>(candidate_pairs),
              trove::bench::PeakRssMib(), trove::bench::LoadAverage());
  std::printf("RESULT near_dup_signatures_per_s=%.0f docs=%zu\n", read / (signed_at - start), read);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mail, corpus;
  std::size_t bases = 1000, docs = 1000000;
  unsigned seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--mail")
      mail = value;
    else if (flag == "--corpus")
      corpus = value;
    else if (flag == "--bases")
      bases = std::stoul(value);
    else if (flag == "--docs")
      docs = std::stoul(value);
    else if (flag == "--seed")
      seed = static_cast<unsigned>(std::stoul(value));
  }
  if (!mail.empty()) return Labelled(mail, bases, seed);
  if (!corpus.empty()) return Throughput(corpus, docs);
  std::fprintf(stderr, "usage: bench_near_dups --mail DIR | --corpus corpus.tsv [--docs N]\n");
  return 2;
}
