// Shared by the index tests: a scratch index, records to put in it and QueryNode builders.
#pragma once

#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/document.h"
#include "core/hash.h"
#include "index/index.h"
#include "testing/temp_dir.h"

namespace trove::index::test_util {

using Kind = QueryNode::Kind;

// Seconds since the epoch of a UTC date and time.
inline std::int64_t Utc(int year, int month, int day, int hour = 12, int minute = 0,
                        int second = 0) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&tm));
}

// A plain-text document called `name` whose id and source derive from the name.
inline DocumentRecord Doc(const std::string& name, const std::string& text) {
  DocumentRecord r;
  r.id = ContentHash(name);
  r.occurrence.source_key = SourceKey("/leak/" + name);
  r.occurrence.path = "leak/" + name;
  r.name = name;
  r.media_type = "text/plain";
  r.type = "text";
  r.size = text.size();
  r.extraction.text = text;
  return r;
}

inline QueryNode Word(const std::string& word, const std::string& field = "") {
  QueryNode n;
  n.kind = Kind::kWord;
  n.words = {word};
  n.field = field;
  return n;
}
inline QueryNode ExactWord(const std::string& word) {
  QueryNode n = Word(word);
  n.is_exact = true;
  return n;
}
inline QueryNode Phrase(std::vector<std::string> words, const std::string& field = "") {
  QueryNode n;
  n.kind = Kind::kPhrase;
  n.words = std::move(words);
  n.field = field;
  return n;
}
inline QueryNode Near(std::vector<std::string> words, int distance) {
  QueryNode n;
  n.kind = Kind::kNear;
  n.words = std::move(words);
  n.distance = distance;
  return n;
}
inline QueryNode Prefix(const std::string& prefix, const std::string& field = "") {
  QueryNode n;
  n.kind = Kind::kPrefix;
  n.words = {prefix};
  n.field = field;
  return n;
}
inline QueryNode Filter(const std::string& field, const std::string& value) {
  QueryNode n;
  n.kind = Kind::kFilter;
  n.field = field;
  n.words = {value};
  return n;
}
inline QueryNode Dates(const std::string& lo, const std::string& hi) {
  QueryNode n;
  n.kind = Kind::kDateRange;
  n.lo = lo;
  n.hi = hi;
  return n;
}
inline QueryNode Compound(Kind kind, std::vector<QueryNode> children) {
  QueryNode n;
  n.kind = kind;
  n.children = std::move(children);
  return n;
}
inline QueryNode And(std::vector<QueryNode> children) {
  return Compound(Kind::kAnd, std::move(children));
}
inline QueryNode Or(std::vector<QueryNode> children) {
  return Compound(Kind::kOr, std::move(children));
}
inline QueryNode AndNot(QueryNode positive, QueryNode negative) {
  return Compound(Kind::kAndNot, {std::move(positive), std::move(negative)});
}
inline QueryNode All() { return QueryNode{}; }

class IndexTest : public ::testing::Test {
 protected:
  std::string IndexDir() const { return dir_.Sub("index"); }

  std::unique_ptr<Writer> OpenWriter(int shard_count = 1) {
    Result<std::unique_ptr<Writer>> writer = Writer::Open(IndexDir(), shard_count);
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    return writer.ok() ? std::move(writer).value() : nullptr;
  }

  static void Add(Writer& writer, const DocumentRecord& record) {
    const Result<PreparedDocument> prepared = PrepareDocument(record);
    ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
    const Status status = writer.Add(*prepared);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  // Adds `records` in one writer session and commits.
  void Write(const std::vector<DocumentRecord>& records, int shard_count = 1) {
    std::unique_ptr<Writer> writer = OpenWriter(shard_count);
    ASSERT_NE(writer, nullptr);
    for (const DocumentRecord& record : records) Add(*writer, record);
    ASSERT_TRUE(writer->Commit().ok());
  }

  std::unique_ptr<Reader> OpenReader() {
    Result<std::unique_ptr<Reader>> reader = Reader::Open(IndexDir());
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    return reader.ok() ? std::move(reader).value() : nullptr;
  }

  Result<SearchResult> Run(const SearchRequest& request) {
    std::unique_ptr<Reader> reader = OpenReader();
    if (reader == nullptr) return Status::Internal("no reader");
    return reader->Search(request);
  }

  // Names of the documents matching `query`, in result order (first 100).
  std::vector<std::string> Find(const QueryNode& query) {
    SearchRequest request;
    request.query = query;
    request.limit = 100;
    const Result<SearchResult> result = Run(request);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    std::vector<std::string> names;
    if (!result.ok()) return names;
    for (const Hit& hit : result->hits) names.push_back(hit.doc.record.name);
    return names;
  }

  trove::testing::TempDir dir_;
};

}  // namespace trove::index::test_util
