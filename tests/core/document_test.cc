#include "core/document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace trove {
namespace {

using ::testing::HasSubstr;

DocumentRecord FullRecord() {
  DocumentRecord r;
  r.id = "0123456789abcdef0123456789abcdef";
  r.occurrence = {"00aa11bb22cc33dd", "dump.zip!/mail/2012.mbox!/<id@x>!/report.pdf", "fedcba98"};
  r.name = "report.pdf";
  r.media_type = "application/pdf";
  r.type = "pdf";
  r.size = 5'000'000'000ull;  // over 32 bits
  r.mtime = -86400;           // before the epoch
  r.state = DocState::kSkipped;
  r.reason = "too large";
  r.lang = "fr";
  Extraction& ex = r.extraction;
  ex.text = std::string("Élection présidentielle\fpage deux ") + std::string(1, '\0') + " fin";
  ex.title = "Rapport « secret »";
  ex.author = "Jean Dupont";
  ex.date = 1321833600;
  ex.page_count = 2;
  ex.is_truncated = true;
  ex.from = {"Jane Doe <jane@example.org>"};
  ex.to = {"a@example.org", "b@example.org"};
  ex.cc = {"c@example.org"};
  ex.bcc = {"d@example.org"};
  ex.message_id = "<msg-1@example.org>";
  ex.in_reply_to = "<msg-0@example.org>";
  ex.references = {"<msg-0@example.org>", "<msg-00@example.org>"};
  ex.metadata = {{"creator", "Writer"}, {"producer", "LibreOffice"}, {"creator", "again"}};
  r.entities = {{"date", "2011-11-21", 0, 10},
                {"person", "Jean Dupont", 5'000'000'000ull, 5'000'000'011ull}};
  return r;
}

void ExpectSameRecord(const DocumentRecord& a, const DocumentRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.occurrence, b.occurrence);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.media_type, b.media_type);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.size, b.size);
  EXPECT_EQ(a.mtime, b.mtime);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.lang, b.lang);
  EXPECT_EQ(a.entities, b.entities);
  const Extraction& x = a.extraction;
  const Extraction& y = b.extraction;
  EXPECT_EQ(x.text, y.text);
  EXPECT_EQ(x.title, y.title);
  EXPECT_EQ(x.author, y.author);
  EXPECT_EQ(x.date, y.date);
  EXPECT_EQ(x.page_count, y.page_count);
  EXPECT_EQ(x.is_truncated, y.is_truncated);
  EXPECT_EQ(x.from, y.from);
  EXPECT_EQ(x.to, y.to);
  EXPECT_EQ(x.cc, y.cc);
  EXPECT_EQ(x.bcc, y.bcc);
  EXPECT_EQ(x.message_id, y.message_id);
  EXPECT_EQ(x.in_reply_to, y.in_reply_to);
  EXPECT_EQ(x.references, y.references);
  EXPECT_EQ(x.metadata, y.metadata);
}

TEST(DocumentRecord, RoundTripsEveryField) {
  const DocumentRecord record = FullRecord();
  const Result<DocumentRecord> decoded = DecodeRecord(EncodeRecord(record));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectSameRecord(*decoded, record);
}

TEST(DocumentRecord, RoundTripsAnEmptyRecordWithoutOptionalFields) {
  const DocumentRecord record;
  const Result<DocumentRecord> decoded = DecodeRecord(EncodeRecord(record));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectSameRecord(*decoded, record);
  EXPECT_FALSE(decoded->mtime.has_value());
  EXPECT_FALSE(decoded->extraction.date.has_value());
}

TEST(DocumentRecord, RoundTripsEveryState) {
  for (const DocState state : {DocState::kIndexed, DocState::kFailed, DocState::kSkipped}) {
    DocumentRecord record;
    record.state = state;
    const Result<DocumentRecord> decoded = DecodeRecord(EncodeRecord(record));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->state, state);
  }
}

TEST(DocumentRecord, LeavesTextOutWhenAskedAndKeepsTheRest) {
  const DocumentRecord record = FullRecord();
  const std::string without = EncodeRecord(record, /*with_text=*/false);
  EXPECT_LT(without.size(), EncodeRecord(record).size());
  const Result<DocumentRecord> decoded = DecodeRecord(without);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->extraction.text, "");
  DocumentRecord expected = record;
  expected.extraction.text.clear();
  ExpectSameRecord(*decoded, expected);
}

TEST(DecodeRecord, ReturnsCorruptForGarbage) {
  for (const std::string& bytes : {std::string(), std::string("garbage"),
                                   std::string("\xC1\xFF\x00", 3), std::string("\x2A")}) {
    const Result<DocumentRecord> decoded = DecodeRecord(bytes);
    ASSERT_FALSE(decoded.ok()) << ::testing::PrintToString(bytes);
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorrupt);
  }
}

TEST(DecodeRecord, ReturnsCorruptForEveryTruncation) {
  const std::string bytes = EncodeRecord(FullRecord());
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    const Result<DocumentRecord> decoded = DecodeRecord(std::string_view(bytes).substr(0, size));
    ASSERT_FALSE(decoded.ok()) << "a prefix of " << size << " bytes decoded";
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorrupt);
  }
}

TEST(DecodeRecord, ReturnsCorruptForAMissingField) {
  const std::string bytes = EncodeRecord(FullRecord());
  nlohmann::json j = nlohmann::json::from_msgpack(bytes);
  j.erase("title");
  const std::vector<std::uint8_t> damaged = nlohmann::json::to_msgpack(j);
  const Result<DocumentRecord> decoded = DecodeRecord(std::string(damaged.begin(), damaged.end()));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorrupt);
}

TEST(DecodeRecord, ReturnsCorruptForAnUnknownStateNamingTheRecord) {
  nlohmann::json j = nlohmann::json::from_msgpack(EncodeRecord(FullRecord()));
  for (const int state : {-1, 3, 200}) {
    j["st"] = state;
    const std::vector<std::uint8_t> damaged = nlohmann::json::to_msgpack(j);
    const Result<DocumentRecord> decoded =
        DecodeRecord(std::string(damaged.begin(), damaged.end()));
    ASSERT_FALSE(decoded.ok()) << "state " << state;
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorrupt);
    EXPECT_THAT(decoded.status().message(), HasSubstr("0123456789abcdef0123456789abcdef"));
  }
}

TEST(DecodeRecord, ReturnsCorruptForAFieldOfTheWrongType) {
  nlohmann::json j = nlohmann::json::from_msgpack(EncodeRecord(FullRecord()));
  j["size"] = "big";
  const std::vector<std::uint8_t> damaged = nlohmann::json::to_msgpack(j);
  const Result<DocumentRecord> decoded = DecodeRecord(std::string(damaged.begin(), damaged.end()));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorrupt);
}

TEST(DocStateName, NamesEachState) {
  EXPECT_EQ(DocStateName(DocState::kIndexed), "indexed");
  EXPECT_EQ(DocStateName(DocState::kFailed), "failed");
  EXPECT_EQ(DocStateName(DocState::kSkipped), "skipped");
}

}  // namespace
}  // namespace trove
