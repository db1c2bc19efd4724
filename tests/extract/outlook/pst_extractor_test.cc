// Tests for the PST extractor (src/extract/outlook/pst_extractor.cc) on real stores from the
// shared corpus (../shared/data/hostile-docs).
#include <memory>
#include <random>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/registry.h"
#include "tests/extract/common/fixture.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using testing::HostileDoc;
using testing::RecordingSink;
using ::testing::StartsWith;

constexpr char kPstType[] = "application/vnd.ms-outlook-pst";

Result<Extraction> ExtractPst(const std::string& bytes, RecordingSink& sink) {
  return testing::ExtractBytes(*internal::NewPstExtractor(), bytes, "store.pst", kPstType, sink);
}

Result<Extraction> ExtractMessage(const ChildFile& child) {
  RecordingSink sink;
  return testing::ExtractBytes(*internal::NewEmailExtractor(), child.bytes, child.name,
                               DetectMediaType(child.bytes, child.name, child.media_type), sink);
}

TEST(PstExtractor, FolderNamesFormThePathChainAndEveryMessageIsEmitted) {
  const std::string bytes = HostileDoc("ingest-file/testPST.pst");
  EXPECT_EQ(DetectMediaType(bytes, "testPST.pst"), kPstType);
  EXPECT_EQ(TypeFamily(kPstType), "mailbox");
  RecordingSink sink;
  Result<Extraction> result = ExtractPst(bytes, sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(sink.failures.empty());
  ASSERT_EQ(sink.children.size(), 6u);
  EXPECT_THAT(result->metadata, Contains(std::pair<std::string, std::string>("messages", "6")));
  for (const ChildFile& child : sink.children) {
    EXPECT_THAT(child.name, StartsWith("Début du fichier de données Outlook/<"));
    EXPECT_EQ(child.media_type, "message/rfc822");
  }
  EXPECT_EQ(sink.children[0].name,
            "Début du fichier de données Outlook/<530D9CAC.5080901@gmail.com>");
  EXPECT_THAT(result->text, HasSubstr("Début du fichier de données Outlook/Éléments supprimés"));
}

TEST(PstExtractor, MessagesKeepTheirHeadersAndBodies) {
  RecordingSink sink;
  Result<Extraction> result = ExtractPst(HostileDoc("ingest-file/testPST.pst"), sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_FALSE(sink.children.empty());
  for (const ChildFile& child : sink.children) {
    Result<Extraction> message = ExtractMessage(child);
    ASSERT_TRUE(message.ok()) << child.name << ": " << message.status().ToString();
    EXPECT_FALSE(message->title.empty()) << child.name;
    EXPECT_FALSE(message->from.empty()) << child.name;
    EXPECT_FALSE(message->message_id.empty()) << child.name;
    EXPECT_TRUE(message->date.has_value()) << child.name;
    EXPECT_FALSE(message->text.empty()) << child.name;
  }
}

TEST(PstExtractor, NestedFoldersAndBodyTypes) {
  RecordingSink sink;
  Result<Extraction> result = ExtractPst(HostileDoc("tika/testPST_variousBodyTypes.pst"), sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "Outlook Data File");
  ASSERT_EQ(sink.children.size(), 4u);
  for (const ChildFile& child : sink.children) {
    EXPECT_THAT(child.name, StartsWith("Top of Outlook data file/Inbox/tmp/<"));
    Result<Extraction> message = ExtractMessage(child);
    ASSERT_TRUE(message.ok()) << message.status().ToString();
    EXPECT_THAT(message->from, Contains("Allison, Timothy B. <tallison@mitre.org>"));
  }
}

TEST(PstExtractor, StopsWhenTheSinkRefuses) {
  RecordingSink sink(/*accept_count=*/2);
  Result<Extraction> result = ExtractPst(HostileDoc("ingest-file/testPST.pst"), sink);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().Is(StatusCode::kLimitExceeded));
  EXPECT_EQ(sink.children.size(), 2u);
  EXPECT_EQ(sink.refused, 1);
}

TEST(PstExtractor, RejectsRandomAndSurvivesDamagedStores) {
  RecordingSink sink;
  Result<Extraction> result = ExtractPst("!BDN this is not a store at all", sink);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().Is(StatusCode::kCorrupt)) << result.status().ToString();

  const std::string bytes = HostileDoc("ingest-file/testPST.pst");
  for (std::size_t size : {0ul, 512ul, 8192ul, bytes.size() / 2, bytes.size() - 1}) {
    RecordingSink truncated_sink;
    (void)ExtractPst(bytes.substr(0, size), truncated_sink);  // any status; no crash
  }
  std::mt19937 random(7);
  for (int round = 0; round < 10; ++round) {
    std::string damaged = bytes;
    for (int flip = 0; flip < 100; ++flip) {
      damaged[512 + random() % (damaged.size() - 512)] = static_cast<char>(random());
    }
    RecordingSink damaged_sink;
    (void)ExtractPst(damaged, damaged_sink);
  }
}

}  // namespace
}  // namespace trove::extract
