#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "extract/internal/builtin.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract {
namespace {

using testing::RecordingSink;

Result<Extraction> Extract(std::string_view bytes, RecordingSink& sink, Limits limits = {}) {
  std::unique_ptr<Extractor> extractor = internal::NewMboxExtractor();
  Input input;
  input.bytes = bytes;
  input.name = "box.mbox";
  input.media_type = "application/mbox";
  input.limits = limits;
  return extractor->Extract(input, sink);
}

constexpr std::string_view kMbox =
    "From alice@example.com Mon Nov 21 10:00:00 2011\n"
    "From: alice@example.com\nSubject: one\nMessage-ID: <one@example.com>\n\nfirst body\n"
    ">From the start of a line\n\n"
    "From bob@example.com Mon Nov 21 11:00:00 2011\n"
    "From: bob@example.com\nSubject: two\n\nsecond body\n\n"
    "From carol@example.com Mon Nov 21 12:00:00 2011\n"
    "From: carol@example.com\nSubject: three\nMessage-Id: <three@example.com>\n\nthird body\n";

std::string MetadataValue(const Extraction& extraction, std::string_view key) {
  for (const auto& [name, value] : extraction.metadata) {
    if (name == key) return value;
  }
  return "<absent>";
}

TEST(MboxExtractor, AcceptsMbox) {
  std::unique_ptr<Extractor> extractor = internal::NewMboxExtractor();
  EXPECT_EQ(extractor->Name(), "mbox");
  EXPECT_TRUE(extractor->Accepts("application/mbox"));
  EXPECT_FALSE(extractor->Accepts("message/rfc822"));
}

TEST(MboxExtractor, EmitsEachMessageRaw) {
  RecordingSink sink;
  Result<Extraction> extraction = Extract(kMbox, sink);
  ASSERT_TRUE(extraction.ok()) << extraction.status().ToString();
  EXPECT_EQ(extraction->text, "");
  EXPECT_EQ(MetadataValue(*extraction, "messages"), "3");
  ASSERT_EQ(sink.children.size(), 3u);
  EXPECT_EQ(sink.children[0].name, "<one@example.com>");
  EXPECT_EQ(sink.children[0].media_type, "message/rfc822");
  EXPECT_EQ(sink.children[0].bytes,
            "From: alice@example.com\nSubject: one\nMessage-ID: <one@example.com>\n\n"
            "first body\n>From the start of a line\n");
  EXPECT_EQ(sink.children[1].name, "message-2");
  EXPECT_EQ(sink.children[1].bytes, "From: bob@example.com\nSubject: two\n\nsecond body\n");
  EXPECT_EQ(sink.children[2].name, "<three@example.com>");
  EXPECT_EQ(sink.children[2].bytes,
            "From: carol@example.com\nSubject: three\nMessage-Id: <three@example.com>\n\n"
            "third body\n");
  EXPECT_TRUE(sink.failures.empty());
}

TEST(MboxExtractor, ReportsOversizedAndEmptyMessagesAndGoesOn) {
  const std::string mbox =
      "From x\n\n"
      "From y\nFrom: y@example.com\nSubject: big\n\n" +
      std::string(200, 'z') +
      "\n\n"
      "From z\nFrom: z@example.com\nSubject: small\n\nok\n";
  RecordingSink sink;
  Limits limits;
  limits.max_child_bytes = 100;
  Result<Extraction> extraction = Extract(mbox, sink, limits);
  ASSERT_TRUE(extraction.ok()) << extraction.status().ToString();
  ASSERT_EQ(sink.failures.size(), 2u);
  EXPECT_EQ(sink.failures[0].name, "message-1");
  EXPECT_EQ(sink.failures[0].why.code(), StatusCode::kCorrupt);
  EXPECT_EQ(sink.failures[1].name, "message-2");
  EXPECT_EQ(sink.failures[1].why.code(), StatusCode::kLimitExceeded);
  ASSERT_EQ(sink.children.size(), 1u);
  EXPECT_EQ(sink.children[0].name, "message-3");
}

TEST(MboxExtractor, StopsWhenSinkRefuses) {
  RecordingSink sink(/*accept_count=*/1);
  Result<Extraction> extraction = Extract(kMbox, sink);
  ASSERT_FALSE(extraction.ok());
  EXPECT_EQ(extraction.status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(sink.children.size(), 1u);
}

TEST(MboxExtractor, ReturnsCorruptWithoutFromLine) {
  RecordingSink sink;
  Result<Extraction> extraction = Extract("Subject: no envelope\n\nbody\n", sink);
  ASSERT_FALSE(extraction.ok());
  EXPECT_EQ(extraction.status().code(), StatusCode::kCorrupt);
}

TEST(MboxExtractor, ReadsEmptyMailboxAsNoMessages) {
  RecordingSink sink;
  Result<Extraction> empty = Extract("", sink);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(MetadataValue(*empty, "messages"), "0");
  EXPECT_TRUE(sink.children.empty());
}

}  // namespace
}  // namespace trove::extract
