// Helpers shared by the benchmark programs: the generated corpus (corpus.tsv, queries.tsv) as
// trove records, wall clock, percentiles, peak RSS and the machine's load. Bench code only: it
// uses trove's public headers and nothing under internal/.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"
#include "core/hash.h"

namespace trove::bench {

// One line of corpus.tsv: id \t yyyymmdd \t from \t subject \t body.
struct CorpusDoc {
  std::string id, date, from, subject, body;
};

// One line of queries.tsv: kind \t query \t lo \t hi (lo, hi as YYYYMMDD for kind "filter").
struct CorpusQuery {
  std::string kind, text, lo, hi;
};

// Splits `line` into exactly `count` tab-separated fields (the last keeps any further tabs).
inline bool SplitTsv(std::string_view line, std::size_t count, std::vector<std::string>* fields) {
  fields->clear();
  std::size_t start = 0;
  for (std::size_t field_idx = 0; field_idx + 1 < count; ++field_idx) {
    const std::size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) return false;
    fields->emplace_back(line.substr(start, tab - start));
    start = tab + 1;
  }
  fields->emplace_back(line.substr(start));
  return true;
}

// Reads corpus.tsv one document at a time.
class CorpusReader {
 public:
  explicit CorpusReader(const std::string& path) : in_(path) {}
  bool is_open() const { return in_.is_open(); }

  bool Next(CorpusDoc* doc) {
    std::string line;
    while (std::getline(in_, line)) {
      if (!SplitTsv(line, 5, &fields_)) continue;
      doc->id = std::move(fields_[0]);
      doc->date = std::move(fields_[1]);
      doc->from = std::move(fields_[2]);
      doc->subject = std::move(fields_[3]);
      doc->body = std::move(fields_[4]);
      return true;
    }
    return false;
  }

 private:
  std::ifstream in_;
  std::vector<std::string> fields_;
};

inline std::vector<CorpusQuery> ReadQueries(const std::string& path) {
  std::ifstream in(path);
  std::vector<CorpusQuery> out;
  std::vector<std::string> fields;
  std::string line;
  while (std::getline(in, line)) {
    if (SplitTsv(line, 4, &fields)) out.push_back({fields[0], fields[1], fields[2], fields[3]});
  }
  return out;
}

// Text bytes of a corpus document, counted as the peer harnesses count them.
inline std::uint64_t TextBytes(const CorpusDoc& doc) { return doc.subject.size() + doc.body.size() + 1; }

// "20120304" -> seconds since the epoch at 00:00 UTC; nullopt when malformed.
inline std::optional<std::int64_t> DaySeconds(const std::string& yyyymmdd) {
  std::tm tm{};
  if (yyyymmdd.size() != 8 ||
      std::sscanf(yyyymmdd.c_str(), "%4d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&tm));
}

// The record the pipeline would hand to the index for this document, had it been ingested as
// an e-mail-like file: subject as title, body as text, sender, date, English.
inline DocumentRecord ToRecord(const CorpusDoc& doc) {
  DocumentRecord record;
  const std::string path = "/corpus/" + doc.id + ".txt";
  record.id = ContentHash(doc.id + '\t' + doc.subject + '\t' + doc.body);
  record.occurrence.source_key = SourceKey(path);
  record.occurrence.path = path;
  record.name = doc.id + ".txt";
  record.media_type = "message/rfc822";
  record.type = "email";
  record.size = TextBytes(doc);
  record.lang = "en";
  record.extraction.title = doc.subject;
  record.extraction.text = doc.body;
  record.extraction.from = {doc.from};
  record.extraction.date = DaySeconds(doc.date);
  return record;
}

inline double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Peak resident set of this process so far, in MiB.
inline double PeakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// The 1-minute load average, to print beside a figure taken on a shared machine.
inline double LoadAverage() {
  double load = -1;
  if (std::FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &load) != 1) load = -1;
    std::fclose(f);
  }
  return load;
}

// The p-th quantile (0..1) of `sorted` by the nearest-rank method the peer harnesses use.
inline double Quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(p * static_cast<double>(sorted.size()));
  return sorted[std::min(sorted.size() - 1, rank)];
}

}  // namespace trove::bench
